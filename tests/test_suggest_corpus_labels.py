"""The v2 labelled set for statement suggestions (tests/suggest_corpus/dev and test) is sound.

Every label must stand in its article where it says, name a speaker the archive knows (or give
a name, or say the speaker is unclear), and follow the labelling conventions that can be checked
mechanically; the splits must keep their sizes. See tests/suggest_corpus/README.md.
"""

import tomllib
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings

from statements.models import Official
from statements.seeding import load_seed_file

BASE = Path(settings.BASE_DIR)
CORPUS = BASE / "tests" / "suggest_corpus"
SPLITS = ("dev", "test")
KINDS = {"direct", "paraphrase"}
FORMATS = {"wire", "transcript", "interview", "roundup", "press_release", "translated", "feature"}
SPEAKER_KEYS = ("speaker", "speaker_name", "speaker_unclear")
LABEL_KEYS = {"kind", "text", "occurrence", *SPEAKER_KEYS}
OFFICIAL_FILES = (
    CORPUS / "officials_v2.toml",
    CORPUS / "officials.toml",
    BASE / "seeds" / "verbatim.toml",
)


def read_toml(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))


def slugs(path, section):
    return {record["slug"] for record in read_toml(path).get(section, [])}


def articles(split):
    return sorted((CORPUS / split).glob("*.toml"))


ALL_ARTICLES = [path for split in SPLITS for path in articles(split)]


def place(source, text, occurrence):
    """The label's start in the source, counting occurrences as the evaluation does."""
    position = -1
    for _ in range(occurrence):
        position = source.find(text, position + 1)
        if position < 0:
            return None
    return position


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_label_stands_in_its_article_and_names_a_known_speaker(path):
    known = set().union(*(slugs(file, "officials") for file in OFFICIAL_FILES))
    data = read_toml(path)
    source = path.with_suffix(".txt").read_bytes().decode("utf-8")
    assert data.get("format") in FORMATS, f"{path.name}: format must be one of {sorted(FORMATS)}"
    assert data.get("style"), f"{path.name}: give a style"
    assert data.get("statements"), f"{path.name}: no statements labelled"
    spans = []
    for number, label in enumerate(data["statements"], start=1):
        where = f"{path.name}: statement {number}"
        assert set(label) <= LABEL_KEYS, f"{where}: unknown keys {set(label) - LABEL_KEYS}"
        assert label.get("kind") in KINDS, f"{where}: kind must be direct or paraphrase"
        given = [key for key in SPEAKER_KEYS if key in label]
        assert len(given) == 1, f"{where}: give exactly one of {', '.join(SPEAKER_KEYS)}"
        if "speaker" in label:
            assert label["speaker"] in known, f"{where}: no official '{label['speaker']}'"
        if "speaker_name" in label:
            assert label["speaker_name"].strip(), f"{where}: empty speaker_name"
        if "speaker_unclear" in label:
            assert label["speaker_unclear"] is True, f"{where}: speaker_unclear must be true"
        text = label["text"]
        assert text == text.strip() and text, f"{where}: text with edge whitespace or empty"
        if label["kind"] == "direct":
            assert not text.endswith(","), f"{where}: a quote's trailing comma is left out"
        else:
            assert not text.endswith("."), f"{where}: a paraphrase's full stop is left out"
            assert not text.startswith("that "), f"{where}: a paraphrase's 'that' is left out"
        occurrence = label.get("occurrence", 1)
        if source.count(text) > 1:
            assert "occurrence" in label, f"{where}: the words stand more than once; say which"
        start = place(source, text, occurrence)
        assert start is not None, f"{where}: not in the article at occurrence {occurrence}: {text}"
        assert start > source.index("\n"), f"{where}: the title line is not read"
        spans.append((start, start + len(text), number))
    spans.sort()
    for (_, end, first), (start, _, second) in pairwise(spans):
        assert end <= start, f"{path.name}: statements {first} and {second} overlap"


def test_every_article_has_its_labels_and_every_labels_file_its_article():
    for split in SPLITS:
        texts = {path.stem for path in (CORPUS / split).glob("*.txt")}
        labels = {path.stem for path in (CORPUS / split).glob("*.toml")}
        assert texts == labels, f"{split}: unpaired files {texts ^ labels}"


def test_the_splits_keep_their_size_and_the_test_split_is_about_a_third():
    counts = {}
    for split in SPLITS:
        tomls = [read_toml(path) for path in articles(split)]
        counts[split] = (len(tomls), sum(len(data["statements"]) for data in tomls))
        assert {data["format"] for data in tomls} == FORMATS, f"{split}: a format is missing"
    n_articles = sum(articles for articles, _ in counts.values())
    n_statements = sum(statements for _, statements in counts.values())
    assert n_articles >= 30 and n_statements >= 250
    assert counts["test"][0] >= 12 and counts["test"][1] >= 100
    assert 0.28 <= counts["test"][0] / n_articles <= 0.4
    assert 0.28 <= counts["test"][1] / n_statements <= 0.4


def test_new_officials_do_not_reuse_a_slug_of_the_older_files():
    new = CORPUS / "officials_v2.toml"
    for section in ("officials", "organizations"):
        for older in OFFICIAL_FILES[1:]:
            assert not slugs(new, section) & slugs(older, section), f"{section} in {older.name}"


@pytest.mark.django_db
def test_new_officials_load_after_the_seed_and_the_old_officials_and_miss_the_named_outsiders():
    for path in reversed(OFFICIAL_FILES):
        load_seed_file(path)
    names = {name for official in Official.objects.all() for name in official.all_names}
    outsiders = {
        label["speaker_name"]
        for path in ALL_ARTICLES
        for label in read_toml(path)["statements"]
        if "speaker_name" in label
    }
    assert Official.objects.filter(slug="teodor-vance").exists()
    assert not outsiders & names, "a speaker labelled as not in the archive is in it"
