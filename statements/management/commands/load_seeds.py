from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.seeding import SeedError, load_seed_file

DEFAULT_SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "verbatim.toml"


class Command(BaseCommand):
    help = "Load the seed archive (seeds/verbatim.toml). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SEED_FILE))

    def handle(self, *args, path, **options):
        try:
            report = load_seed_file(path)
        except SeedError as error:
            raise CommandError(
                f"{error}\nNothing was loaded: fix the seed file and run again."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Seeds loaded from {path}: {report.summary()}"))
