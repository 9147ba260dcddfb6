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
    evaluate,
    load_corpus,
    load_seed_cases,
    percent,
    totals,
    totals_by_format,
)

BASE = Path(settings.BASE_DIR)
SETS = ("all", "old", "dev", "test")
OFFICIALS_FILES = ("officials.toml", "officials_v2.toml")


class Command(BaseCommand):
    help = (
        "Measure statement suggestions against the labelled sets: precision and recall for "
        "direct quotes and for paraphrases, per split and per format, the speaker included. "
        "'old' is the seed article plus CORPUS/*.txt (the development set) and CORPUS/heldout/; "
        "'dev' and 'test' are the v2 splits CORPUS/dev/ and CORPUS/test/. The test split is "
        "reported as totals only, never article by article: nobody tunes on it. The officials "
        "are loaded in a transaction that is rolled back: the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=str(BASE / "tests" / "suggest_corpus"))
        parser.add_argument("--seeds", default=str(BASE / "seeds" / "verbatim.toml"))
        parser.add_argument(
            "--set",
            dest="which",
            choices=SETS,
            default="all",
            help="which labelled set to run (default: all, reported split by split)",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="list every missed label and wrong suggestion (never for the test split)",
        )

    def handle(self, *args, corpus, seeds, which, verbose, **options):
        corpus = Path(corpus)
        try:
            groups = self.groups(corpus, seeds, which)
        except (CorpusError, OSError) as error:
            raise CommandError(f"Cannot read the test set: {error}") from None
        try:
            with transaction.atomic():
                load_seed_file(seeds)
                for name in OFFICIALS_FILES:
                    if (corpus / name).exists():
                        load_seed_file(corpus / name)
                directory = SpeakerDirectory.from_database()
                results = [
                    (name, per_article, evaluate(cases, directory))
                    for name, per_article, cases in groups
                ]
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
            "equal but for edge punctuation. A speaker-unclear label is found only by a "
            "suggestion that names nobody and says the speaker is unclear; a name not in the "
            "archive is compared without the ranks and titles before it."
        )
        for name, per_article, group in results:
            self.report(name, group, verbose=verbose, per_article=per_article)

    def groups(self, corpus, seeds, which):
        """(name, whether to list articles, cases) for each split asked for."""
        groups = []
        if which in ("all", "old"):
            groups.append(("development set", True, load_seed_cases(seeds) + load_corpus(corpus)))
            if (corpus / "heldout").is_dir():
                groups.append(("held-out set", True, load_corpus(corpus / "heldout")))
        if which in ("all", "dev") and (corpus / "dev").is_dir():
            groups.append(("dev split", True, load_corpus(corpus / "dev")))
        if which in ("all", "test") and (corpus / "test").is_dir():
            groups.append(("test split", False, load_corpus(corpus / "test")))
        if not groups:
            raise CorpusError(f"{corpus}: no labelled set '{which}' there")
        return groups

    def report(self, name, results, *, verbose, per_article):
        write = self.stdout.write
        write(f"\n== {name}: {len(results)} articles")
        header = (
            f"{'labels':>6} {'suggested':>9} {'found':>5} {'exact':>5} "
            f"{'precision':>9} {'recall':>7} {'wrong speaker':>13}"
        )
        write(f"{'':12} {header}")
        overall = totals(results)
        for kind, t in overall.items():
            write(f"{kind:12} {self.row(t)}")
        every = overall["all"]
        write(
            f"wrong speaker: {every.wrong_speaker} of {every.suggestions} suggestions "
            f"({percent(every.wrong_share).strip()})"
        )
        sliced = all(result.sliced for result in results)
        write(
            f"offsets: every suggestion's text is the article's text at its offsets: "
            f"{'yes' if sliced else 'NO'}; found with the label's exact span: "
            f"{every.exact} of {every.matched}"
        )
        formats = totals_by_format(results)
        if len(formats) > 1 or "(none)" not in formats:
            write(f"per format:\n{'':27} {header}")
            for fmt, tallies in sorted(formats.items()):
                for kind in (*KINDS, "all"):
                    write(f"  {fmt:14} {kind:10} {self.row(tallies[kind])}")
        if not per_article:
            write("(totals only: this split is not shown article by article)")
            return
        write("per article: found/labels/suggested")
        for result in results:
            d, p = result.tallies["direct"], result.tallies["paraphrase"]
            write(
                f"  {result.case.name:48} direct {d.matched}/{d.labels}/{d.suggestions}"
                f"  paraphrase {p.matched}/{p.labels}/{p.suggestions}"
            )
            if verbose:
                wrong = {id(s) for s, _ in result.wrong_speaker}
                for label in result.missed:
                    write(f"      missed {label.kind} by {label.who}: “{label.text[:90]}”")
                for s in result.spurious:
                    flag = "wrong speaker" if id(s) in wrong else "wrong"
                    write(f"      {flag} {s.kind} by {who(s)}: “{s.text[:90]}”")

    @staticmethod
    def row(t):
        return (
            f"{t.labels:6} {t.suggestions:9} {t.matched:5} {t.exact:5} "
            f"{percent(t.precision):>9} {percent(t.recall):>7} {percent(t.wrong_share):>13}"
        )


def who(suggestion):
    if getattr(suggestion, "speaker_unclear", False):
        return "(speaker unclear)"
    return suggestion.official or f"{suggestion.speaker} (not in the archive)"
