from django.core.management.base import BaseCommand, CommandError

from statements.backups import RestoreRefused, restore_backup
from statements.interchange import ImportRejected

from .import_archive import import_progress, rejection


class Command(BaseCommand):
    help = "Restore a backup written by backup_archive into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the dated backup folder, e.g. backups/verbatim-…")

    def handle(self, *args, folder, **options):
        try:
            report = restore_backup(folder, progress=import_progress(self.stderr))
        except RestoreRefused as error:
            raise CommandError(f"{error}\nNothing was restored.") from None
        except ImportRejected as rejected:
            raise rejection(
                self.stderr,
                rejected,
                f"{folder}: the archive file is not valid. Nothing was restored.",
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}: {report.summary()}."))
