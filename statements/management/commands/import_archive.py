from django.core.management.base import BaseCommand, CommandError

from statements.interchange import ImportRejected, import_archive


def import_progress(stream, *, verbose=True):
    """A ``progress(phase, lines)`` for the import that writes to ``stream``."""

    def progress(phase, lines):
        if verbose:
            stream.write(f"  {phase}: {lines:,} lines")

    return progress


def rejection(stream, rejected, message):
    """Each bad line of a rejected import on ``stream``; the CommandError to raise after."""
    for line in rejected.report.problem_lines():
        stream.write(line)
    return CommandError(message)


class Command(BaseCommand):
    help = (
        "Import an archive file written by export_archive (docs/data-format.md). Every line is "
        "checked first; if any is bad, each is listed and nothing is written. Importing the "
        "same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON Lines file to read")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only check the file and say what would change",
        )

    def handle(self, *args, path, dry_run, **options):
        progress = import_progress(self.stderr, verbose=options["verbosity"] > 0)
        try:
            report = import_archive(path, write=not dry_run, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ImportRejected as rejected:
            raise rejection(
                self.stderr,
                rejected,
                f"{rejected.report.bad_lines} bad line(s) in {path}. Nothing was imported: "
                "correct the lines above and run again.",
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{path}: {report.summary()}."))
