"""The suggest_statements and evaluate_suggestions commands."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Official, Statement
from statements.suggestions.evaluation import load_corpus, load_seed_cases

from .factories import make_official

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
SEED_PAGE = BASE / "seeds" / "source" / "000_eb4cdbc8754cfe10.txt"
CORPUS = BASE / "tests" / "suggest_corpus"


def run(*args):
    out = StringIO()
    call_command("suggest_statements", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_lines_give_each_statement_with_offsets_into_the_file(seeded):
    lines = run(SEED_PAGE, "--json").splitlines()
    source = SEED_PAGE.read_bytes().decode("utf-8")
    records = [json.loads(line) for line in lines]
    assert len(records) == 13
    for record in records:
        assert set(record) == {
            "speaker", "official", "speaker_unclear", "text", "kind", "start", "end", "cue"
        }  # fmt: skip
        assert record["speaker_unclear"] is False
        assert source[record["start"] : record["end"]] == record["text"]
    archived = {
        (s.text, s.speaker.slug, s.kind)
        for s in Statement.objects.filter(article__slug="us-russian-agreement-breakthrough-syria")
    }
    assert {(r["text"], r["official"], r["kind"]) for r in records} == archived
    assert {r["cue"] for r in records} >= {"said", "added", "according to", "described"}


def test_the_plain_listing_names_speakers_not_in_the_archive(db, tmp_path):
    make_official(name="Mira Vondel", slug="mira-vondel")
    article = tmp_path / "article.txt"
    article.write_text(
        "Fishing talks\n\n“We will be there,” Vondel said. "
        "Lena Osk, a union leader, said the fleet would wait.\n",
        encoding="utf-8",
    )
    output = run(article)
    assert "2 statement(s) suggested" in output
    assert "Vondel [mira-vondel]" in output  # the fullest name the article gives
    assert "Speakers not matched to an official in the archive: Lena Osk" in output


def test_a_missing_file_is_named_in_the_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.txt: no such file"):
        run(tmp_path / "nowhere.txt")


def test_a_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="not a file"):
        run(tmp_path)


def test_a_file_that_is_not_utf8_says_how_to_fix_it(db, tmp_path):
    article = tmp_path / "latin1.txt"
    article.write_bytes("Titre\n\n“Déjà vu,” a dit Vondel.".encode("cp1252"))
    with pytest.raises(
        CommandError, match=r"latin1\.txt: not UTF-8 text .*Save the article as UTF-8"
    ):
        run(article)


def test_an_empty_file_says_what_it_needs(db, tmp_path):
    article = tmp_path / "empty.txt"
    article.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"empty\.txt: the file is empty.*title"):
        run(article)


def test_every_label_of_the_test_set_stands_in_its_article():
    cases = load_seed_cases(BASE / "seeds" / "verbatim.toml") + load_corpus(CORPUS)
    heldout = load_corpus(CORPUS / "heldout")
    assert len(cases) >= 9 and len(heldout) >= 1
    for case in cases + heldout:
        assert case.labels
        for label in case.labels:
            assert case.source[label.start : label.end] == label.text


def test_evaluation_finds_the_whole_seed_article_and_leaves_the_database_alone(db):
    out = StringIO()
    call_command("evaluate_suggestions", "--set", "old", stdout=out)
    report = out.getvalue()
    assert re.search(
        r"seed: us-russian-agreement-breakthrough-syria\s+direct 2/2/2\s+paraphrase 11/11/11",
        report,
    )
    assert re.search(r"== development set: 10 articles", report)
    assert re.search(r"== held-out set: \d+ articles", report)
    for kind in ("direct", "paraphrase"):
        assert re.search(
            rf"^{kind}\s+\d+\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+[\d.]+%\s+[\d.]+%$", report, re.M
        )
    assert "dev split" not in report and "test split" not in report
    assert not Official.objects.exists()
    assert not Statement.objects.exists()


def test_evaluation_of_a_broken_label_names_it(db, tmp_path):
    (tmp_path / "report.txt").write_text("Title\n\nVondel said it would rain.\n", encoding="utf-8")
    (tmp_path / "report.toml").write_text(
        '[[statements]]\nspeaker = "x"\nkind = "direct"\ntext = "not in the text"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"report\.toml: statement 1: the label's text is not"):
        call_command("evaluate_suggestions", "--corpus", str(tmp_path), stdout=StringIO())


def write_report(folder, name, text, labels):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.toml").write_text(labels, encoding="utf-8")


V2_REPORT = (
    "Border talks\n\n"
    "Agnes Weyl and Siri Aune spoke to reporters together. “We are not leaving,” she said.\n\n"
    "Lieutenant Yorick Pell, who commands the post, said the gate would stay shut.\n"
)
V2_LABELS = """format = "wire"

[[statements]]
speaker_unclear = true
kind = "direct"
text = "We are not leaving"

[[statements]]
speaker_name = "Yorick Pell"
kind = "paraphrase"
text = "the gate would stay shut"
"""


def evaluate_v2(tmp_path, *args):
    for split in ("dev", "test"):
        write_report(tmp_path / split, "border", V2_REPORT, V2_LABELS)
    out = StringIO()
    call_command("evaluate_suggestions", "--corpus", str(tmp_path), *args, stdout=out)
    return out.getvalue()


def test_evaluation_reads_the_v2_splits_with_unclear_speakers_and_formats(db, tmp_path):
    report = evaluate_v2(tmp_path, "--set", "dev", "--verbose")
    assert "== dev split: 1 articles" in report
    assert "test split" not in report and "development set" not in report
    # the unclear quote is found by a suggestion that names nobody; the lieutenant by name
    assert re.search(r"^all\s+2\s+2\s+2\s+2\s+100.0%\s+100.0%\s+0.0%$", report, re.M)
    assert re.search(r"^  wire\s+paraphrase\s+1\s+1\s+1\s+1\s+100.0%", report, re.M)
    assert "wrong speaker: 0 of 2 suggestions (0.0%)" in report
    assert "every suggestion's text is the article's text at its offsets: yes" in report
    assert "border" in report


def test_evaluation_shows_the_test_split_only_as_totals(db, tmp_path):
    report = evaluate_v2(tmp_path, "--set", "test", "--verbose")
    assert "== test split: 1 articles" in report
    assert "totals only" in report
    assert "border" not in report and "missed" not in report


def test_evaluation_runs_every_split_by_default(db, tmp_path):
    write_report(tmp_path, "old", "Title\n\nVondel said it would rain all week.\n", "")
    report = evaluate_v2(tmp_path)
    for name in ("development set", "dev split", "test split"):
        assert f"== {name}:" in report


def test_the_plain_listing_says_when_the_speaker_is_unclear(db, tmp_path):
    make_official(name="Mira Vondel", slug="mira-vondel")
    article = tmp_path / "article.txt"
    article.write_text(
        "Talks\n\nMira Vondel and Lena Osk met on Monday. “We have been here before,” she said.\n",
        encoding="utf-8",
    )
    output = run(article)
    assert "1. direct — speaker unclear, said" in output
    assert "Speakers not matched" not in output
    [record] = [json.loads(line) for line in run(article, "--json").splitlines()]
    assert record["speaker_unclear"] is True
    assert record["speaker"] is None and record["official"] is None
