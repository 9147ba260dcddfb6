from django.core.management.base import BaseCommand, CommandError

from statements.interchange import export_archive


class Command(BaseCommand):
    help = (
        "Write the whole archive as JSON Lines (docs/data-format.md). The same archive always "
        "gives the same bytes. PATH '-' writes to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write, or '-' for standard output")

    def handle(self, *args, path, **options):
        verbose = options["verbosity"] > 0

        def progress(count):
            if verbose and count // 10_000 > progress.reported:
                progress.reported = count // 10_000
                self.stderr.write(f"  {count:,} statements written…")

        progress.reported = 0

        if path == "-":
            counts = export_archive(self.stdout, progress=progress)
        else:
            try:
                with open(path, "w", encoding="utf-8", newline="\n") as out:
                    counts = export_archive(out, progress=progress)
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        if verbose:
            total = sum(counts.values())
            detail = ", ".join(f"{n:,} {name}" for name, n in counts.items())
            where = "standard output" if path == "-" else path
            self.stderr.write(f"Exported {total:,} records to {where}: {detail}.")
