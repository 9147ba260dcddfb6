"""Measure the suggester against labelled articles: precision and recall per kind and format.

A labelled article is a plain-text file (first line the title) with a TOML file of the same
name listing every statement a curator would archive from it, and (in the v2 set) the
article's ``format``. The seed archive's articles count too: their statements in
``seeds/verbatim.toml`` are the labels, and their captured pages (``source_file``) are the text.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .speakers import HONORIFICS, RANKS, TITLE_WORDS, fold
from .suggester import suggest_statements

KINDS = ("direct", "paraphrase")
MATCH_OVERLAP = 0.8
EDGES = " \t\r\n,.;:!?—–-\"'“”„‘’«»‹›‚"
RANKS_AND_TITLES = TITLE_WORDS | RANKS | set(HONORIFICS)


class CorpusError(Exception):
    """A labelled article cannot be read, or a label does not stand in its text."""


@dataclass
class Label:
    kind: str
    text: str
    start: int
    end: int
    official: str | None  # the official's slug, or None for a speaker not in the archive
    speaker_name: str = ""
    unclear: bool = False  # the report does not let a careful reader tell who said it

    @property
    def who(self):
        if self.unclear:
            return "(speaker unclear)"
        return self.official or f"{self.speaker_name} (not in the archive)"


@dataclass
class Case:
    name: str
    style: str
    source: str
    labels: list
    format: str = ""


def read_article(path):
    return Path(path).read_bytes().decode("utf-8")


def locate(source, text, occurrence, where):
    position = -1
    for _ in range(occurrence):
        position = source.find(text, position + 1)
        if position < 0:
            raise CorpusError(f"{where}: the label's text is not in the article: “{text[:60]}”")
    return position, position + len(text)


def load_corpus(directory):
    """The labelled articles in a directory: NAME.txt with its labels in NAME.toml."""
    cases = []
    for text_path in sorted(Path(directory).glob("*.txt")):
        labels_path = text_path.with_suffix(".toml")
        if not labels_path.exists():
            raise CorpusError(f"{text_path}: no labels file {labels_path.name} next to it")
        source = read_article(text_path)
        data = tomllib.loads(labels_path.read_text(encoding="utf-8"))
        labels = []
        for number, record in enumerate(data.get("statements", []), start=1):
            where = f"{labels_path}: statement {number}"
            if record.get("kind") not in KINDS:
                raise CorpusError(f"{where}: kind must be one of {', '.join(KINDS)}")
            if not (
                record.get("speaker") or record.get("speaker_name") or record.get("speaker_unclear")
            ):
                raise CorpusError(
                    f"{where}: give speaker (a slug), speaker_name or speaker_unclear = true"
                )
            start, end = locate(source, record["text"], record.get("occurrence", 1), where)
            labels.append(
                Label(
                    kind=record["kind"],
                    text=record["text"],
                    start=start,
                    end=end,
                    official=record.get("speaker"),
                    speaker_name=record.get("speaker_name", ""),
                    unclear=bool(record.get("speaker_unclear")),
                )
            )
        cases.append(
            Case(text_path.stem, data.get("style", ""), source, labels, data.get("format", ""))
        )
    return cases


def load_seed_cases(seed_path):
    """The seed archive's articles that keep their captured page, labelled by its statements."""
    seed_path = Path(seed_path)
    data = tomllib.loads(seed_path.read_text(encoding="utf-8"))
    defaults = data.get("statement_defaults", {})
    cases = []
    for article in data.get("articles", []):
        if not article.get("source_file"):
            continue
        source = read_article(seed_path.parent / article["source_file"])
        labels = []
        for number, record in enumerate(data.get("statements", []), start=1):
            record = {**defaults, **record}
            if record.get("article") != article["slug"]:
                continue
            # The seed's offsets count in the article's body; the captured page has a title
            # line and furniture around it, so the label is placed by its text.
            start, end = locate(source, record["text"], 1, f"{seed_path}: statement {number}")
            labels.append(Label(record["kind"], record["text"], start, end, record["speaker"]))
        cases.append(Case(f"seed: {article['slug']}", "the seed article (real)", source, labels))
    return cases


# -- scoring ----------------------------------------------------------------------------------


def trimmed(source, start, end):
    while start < end and source[start] in EDGES:
        start += 1
    while end > start and source[end - 1] in EDGES:
        end -= 1
    return start, end


def overlap(source, a, b):
    """Shared characters over all characters of two spans, edge punctuation left out."""
    a, b = trimmed(source, *a), trimmed(source, *b)
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return shared / union if union else 0.0


def same_speaker(label, suggestion):
    unclear = getattr(suggestion, "speaker_unclear", False)
    if label.unclear:
        return unclear and suggestion.official is None
    if unclear:
        return False
    if label.official:
        return suggestion.official == label.official
    return suggestion.official is None and same_name(suggestion.speaker or "", label.speaker_name)


def same_name(given, labelled):
    """Whether a suggested name is the labelled one, ranks and titles before it left out:
    "Lieutenant Yorick Pell" is "Yorick Pell" (labels name people without rank or title)."""
    given, labelled = fold(given).split(), fold(labelled).split()
    extra = len(given) - len(labelled)
    if not labelled or extra < 0 or given[extra:] != labelled:
        return False
    return all(word.rstrip(".") in RANKS_AND_TITLES for word in given[:extra])


@dataclass
class Tally:
    labels: int = 0
    suggestions: int = 0
    matched: int = 0
    exact: int = 0
    wrong_speaker: int = 0  # suggestions over a label's span that name someone else

    def add(self, other):
        for name in ("labels", "suggestions", "matched", "exact", "wrong_speaker"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self):
        return self.matched / self.suggestions if self.suggestions else None

    @property
    def recall(self):
        return self.matched / self.labels if self.labels else None

    @property
    def wrong_share(self):
        return self.wrong_speaker / self.suggestions if self.suggestions else None


@dataclass
class CaseResult:
    case: Case
    tallies: dict
    missed: list = field(default_factory=list)  # labels
    spurious: list = field(default_factory=list)  # suggestions
    wrong_speaker: list = field(default_factory=list)  # (suggestion, label) pairs
    sliced: bool = True  # every suggestion's text is source[start:end]


def score_case(case, suggestions):
    """Match suggestions to labels one to one: same kind, same speaker, spans overlapping by
    at least MATCH_OVERLAP of their union. A suggestion left over that overlaps a label (of
    either kind) that much but names someone else is a wrong speaker; one that says the
    speaker is unclear names nobody, so it is a miss but not a wrong speaker."""
    result = CaseResult(case, {kind: Tally() for kind in KINDS})
    result.sliced = all(case.source[s.start : s.end] == s.text for s in suggestions)
    for kind in KINDS:
        labels = [label for label in case.labels if label.kind == kind]
        found = [s for s in suggestions if s.kind == kind]
        tally = result.tallies[kind]
        tally.labels, tally.suggestions = len(labels), len(found)
        pairs = sorted(
            (
                (overlap(case.source, (label.start, label.end), (s.start, s.end)), i, j)
                for i, label in enumerate(labels)
                for j, s in enumerate(found)
            ),
            reverse=True,
        )
        used_labels, used_found = set(), set()
        for ratio, i, j in pairs:
            if ratio < MATCH_OVERLAP or i in used_labels or j in used_found:
                continue
            if not same_speaker(labels[i], found[j]):
                continue
            used_labels.add(i)
            used_found.add(j)
            tally.matched += 1
            if trimmed(case.source, labels[i].start, labels[i].end) == trimmed(
                case.source, found[j].start, found[j].end
            ):
                tally.exact += 1
        result.missed += [label for i, label in enumerate(labels) if i not in used_labels]
        for j, s in enumerate(found):
            if j in used_found:
                continue
            result.spurious.append(s)
            label = next(
                (
                    label
                    for label in case.labels
                    if overlap(case.source, (label.start, label.end), (s.start, s.end))
                    >= MATCH_OVERLAP
                    and not same_speaker(label, s)
                    and not getattr(s, "speaker_unclear", False)
                ),
                None,
            )
            if label is not None:
                tally.wrong_speaker += 1
                result.wrong_speaker.append((s, label))
    return result


def evaluate(cases, directory):
    return [
        score_case(case, suggest_statements(case.source, directory=directory, has_title=True))
        for case in cases
    ]


def totals(results):
    """Tallies per kind, and for both kinds under "all"."""
    overall = {kind: Tally() for kind in (*KINDS, "all")}
    for result in results:
        for kind in KINDS:
            overall[kind].add(result.tallies[kind])
            overall["all"].add(result.tallies[kind])
    return overall


def totals_by_format(results):
    """{format: totals(...)} for the results' articles, in the order formats first appear."""
    groups = {}
    for result in results:
        groups.setdefault(result.case.format or "(none)", []).append(result)
    return {name: totals(group) for name, group in groups.items()}


def percent(value):
    return "   –  " if value is None else f"{100 * value:5.1f}%"
