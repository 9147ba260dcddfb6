import sys

from django.core.management.base import BaseCommand, CommandError

from statements.corpus.generation import ArchiveNotEmpty, generate_corpus


def positive(text):
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Fill an empty database with a deterministic synthetic archive of fictional officials "
        "and their statements, for benchmarks. The same --statements and --seed give the same "
        "archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--statements", type=positive, default=100_000, help="How many (default 100000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the archive already in the database (all statements, articles, "
            "meetings, topics, officials) and generate a new one.",
        )

    def handle(self, *args, statements, seed, force, **options):
        verbosity = options["verbosity"]

        def progress(message):
            if verbosity >= 1:
                print(f"generate_corpus: {message}", file=sys.stderr, flush=True)

        try:
            summary = generate_corpus(
                statements=statements, seed=seed, force=force, progress=progress
            )
        except ArchiveNotEmpty as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            for line in summary.lines():
                self.stdout.write(line)
