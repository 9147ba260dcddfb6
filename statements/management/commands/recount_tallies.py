import time

from django.core.management.base import BaseCommand

from statements import caching, tallies
from statements.models.tallies import TallyPause


class Command(BaseCommand):
    help = (
        "Recount every published tally (topics, officials, the archive total) from the "
        "statements, in one transaction. The triggers keep them exact; this repairs them "
        "after a load that paused the triggers was interrupted (run it when no load is "
        "running: it removes pauses left behind), or checks them with --check."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the tallies with a count from scratch and change nothing.",
        )

    def handle(self, *args, check, verbosity, **options):
        def progress(message):
            if verbosity >= 1:
                self.stdout.write(f"  {message}")

        started = time.monotonic()
        if check:
            progress("counting from scratch")
            expected = tallies.counted_from_scratch()
            stored = tallies.stored_counts()
            wrong = [name for name in expected if expected[name] != stored[name]]
            seconds = time.monotonic() - started
            if wrong:
                self.stdout.write(
                    self.style.ERROR(f"Tallies differ from the count: {', '.join(wrong)}.")
                )
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS(f"Tallies are exact ({seconds:.1f} s)."))
            return
        # A load interrupted while it held the triggers at rest (``tallies.paused``) leaves
        # its pause behind: the triggers would stay at rest after this recount.
        stale, _ = TallyPause.objects.all().delete()
        if stale:
            progress(f"removed {stale:,} pause(s) left by an interrupted load")
        summary = tallies.recount(progress=progress)
        caching.bump()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Recounted in {seconds:.1f} s: {summary['published']:,} published statements, "
                f"{summary['officials']:,} officials quoted, {summary['topics']:,} topics."
            )
        )
