from django.core.management.base import BaseCommand, CommandError

from statements.backups import write_backup


class Command(BaseCommand):
    help = "Write a complete, dated backup (archive JSON Lines, accounts, manifest) below DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="backups")

    def handle(self, *args, directory, **options):
        def progress(records):
            self.stderr.write(f"  exported {records:,} statements")

        try:
            folder = write_backup(directory, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot write the backup below {directory}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
