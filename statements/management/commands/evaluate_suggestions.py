from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from statements.seeding import SeedError, load_seed_file
from statements.suggestions import SpeakerDirectory
from statements.suggestions.evaluation import (
    KINDS,
    MATCH_OVERLAP,
    CorpusError,
    Tally,
    evaluate,
    load_corpus,
    load_seed_cases,
    percent,
    totals,
)

BASE = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = (
        "Measure statement suggestions against the labelled test set: precision and recall "
        "for direct quotes and for paraphrases, the speaker included. The development set is "
        "the seed article plus CORPUS/*.txt; the held-out set, CORPUS/heldout/*.txt, was "
        "written after the suggester and never tuned on. The test set's officials are loaded "
        "in a transaction that is rolled back: the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=str(BASE / "tests" / "suggest_corpus"))
        parser.add_argument("--seeds", default=str(BASE / "seeds" / "verbatim.toml"))
        parser.add_argument(
            "--verbose", action="store_true", help="list every missed label and wrong suggestion"
        )

    def handle(self, *args, corpus, seeds, verbose, **options):
        corpus = Path(corpus)
        try:
            groups = [("development set", load_seed_cases(seeds) + load_corpus(corpus))]
            if (corpus / "heldout").is_dir():
                groups.append(("held-out set", load_corpus(corpus / "heldout")))
        except (CorpusError, OSError) as error:
            raise CommandError(f"Cannot read the test set: {error}") from None
        try:
            with transaction.atomic():
                load_seed_file(seeds)
                if (corpus / "officials.toml").exists():
                    load_seed_file(corpus / "officials.toml")
                directory = SpeakerDirectory.from_database()
                results = [(name, evaluate(cases, directory)) for name, cases in groups]
                transaction.set_rollback(True)
        except SeedError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(
                f"Cannot use the database ({error}). Run 'python manage.py migrate' first."
            ) from None
        self.stdout.write(
            f"A suggestion is found when its kind and speaker are right and its span overlaps "
            f"the label's by at least {MATCH_OVERLAP:.0%} of both; 'exact' when the spans are "
            "equal but for edge punctuation."
        )
        for name, group in results:
            self.report(name, group, verbose)

    def report(self, name, results, verbose):
        write = self.stdout.write
        write(f"\n== {name}: {len(results)} articles")
        write(
            f"{'':12} {'labels':>6} {'suggested':>9} {'found':>5} {'exact':>5} "
            f"{'precision':>9} {'recall':>7}"
        )
        overall = totals(results)
        overall["all"] = Tally()
        for kind in KINDS:
            overall["all"].add(overall[kind])
        for kind, t in overall.items():
            write(
                f"{kind:12} {t.labels:6} {t.suggestions:9} {t.matched:5} {t.exact:5} "
                f"{percent(t.precision):>9} {percent(t.recall):>7}"
            )
        write(f"right span, wrong speaker: {overall['all'].wrong_speaker}")
        write("per article: found/labels/suggested")
        for result in results:
            d, p = result.tallies["direct"], result.tallies["paraphrase"]
            write(
                f"  {result.case.name:48} direct {d.matched}/{d.labels}/{d.suggestions}"
                f"  paraphrase {p.matched}/{p.labels}/{p.suggestions}"
            )
            if verbose:
                for label in result.missed:
                    write(f"      missed {label.kind} by {label.who}: “{label.text[:90]}”")
                for s in result.spurious:
                    who = s.official or f"{s.speaker} (not in the archive)"
                    write(f"      wrong  {s.kind} by {who}: “{s.text[:90]}”")
