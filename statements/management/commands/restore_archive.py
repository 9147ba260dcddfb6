from django.core.management.base import BaseCommand, CommandError

from statements.backups import RestoreRefused, restore_backup
from statements.interchange import ImportRejected


class Command(BaseCommand):
    help = "Restore a backup written by backup_archive into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the dated backup folder, e.g. backups/verbatim-…")

    def handle(self, *args, folder, **options):
        def progress(phase, lines):
            self.stderr.write(f"  {phase}: {lines:,} lines")

        try:
            report = restore_backup(folder, progress=progress)
        except RestoreRefused as error:
            raise CommandError(f"{error}\nNothing was restored.") from None
        except ImportRejected as rejected:
            for line in rejected.report.problem_lines():
                self.stderr.write(line)
            raise CommandError(
                f"{folder}: the archive file is not valid. Nothing was restored."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}: {report.summary()}."))
