"""The fast paths of the import give the same answers as the slow ones they stand in for."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.interchange import ImportRejected, writing
from statements.interchange.checking import _quick_check
from statements.interchange.records import RECORD_TYPES, statement_base_key
from statements.models import Statement

from .helpers import empty_the_archive, export_text, line, run_import

pytestmark = pytest.mark.django_db

QUICK_FIELDS = [
    f
    for spec in RECORD_TYPES.values()
    for f in spec.model._meta.fields
    if _quick_check(f) is not None
]

TRICKY = [
    "",
    " ",
    "x" * 5000,
    "a\x00b",
    "Q42",
    "q42",
    "Q0",
    "en",
    "en-GB",
    "EN_gb",
    "zh-Hant-TW",
    "fish-first",
    "fish first",
    "fish_first-2",
    "ﬁsh",
    "https://example.org",
    "https://example.org/",
    "https://example.org/a/b.html",
    "https://example.org/a b",
    "https://-example.org/",
    "https://example-.org/",
    "https://ex--ample.org/",
    "https://example.o/",
    "https://example.123/",
    "https://localhost/",
    "https://example.org:80/",
    "https://[::1]/",
    "https://user@example.org/",
    "http://example.org/?q=1#top",
    "ftp://example.org/",
    "javascript:alert(1)",
    "https://" + "a" * 64 + ".org/",
    "https://" + ".".join(["a" * 63] * 4) + ".org/",
    "https://exämple.org/",
    "https://example.org/\n",
    "https://example.org/" + "p" * 2100,
]


def cleans(f, value):
    try:
        f.clean(value, None)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("f", QUICK_FIELDS, ids=lambda f: f"{f.model.__name__}.{f.name}")
def test_a_value_the_quick_check_passes_is_one_clean_accepts(f):
    quick = _quick_check(f)
    for value in TRICKY:
        if quick(value):
            assert cleans(f, value), value


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.from_regex(r"\Ahttps?://[a-zA-Z0-9.\-:@\[\]]{0,70}(/[ -~]{0,30})?\Z"),
        st.from_regex(r"\A[a-zA-Z0-9_\- ]{0,30}\Z"),
    )
)
def test_no_value_passes_a_quick_check_that_clean_refuses(value):
    for f in QUICK_FIELDS:
        if _quick_check(f)(value):
            assert cleans(f, value), (f, value)


def index_names():
    tables = ["statements_statement", "statements_statement_topics", "statements_article"]
    with connection.cursor() as cursor:
        found = set()
        for table in tables:
            found |= {
                (table, c["columns"] and tuple(c["columns"]), bool(c["foreign_key"]))
                for c in connection.introspection.get_constraints(cursor, table).values()
            }
    return found


@pytest.mark.usefixtures("seeded", "hostile_archive")
def test_an_import_into_an_empty_database_puts_back_every_index_and_foreign_key():
    text = export_text()
    empty_the_archive()
    before = index_names()
    assert any(foreign_key for _, _, foreign_key in before)

    run_import(text)

    assert index_names() == before
    assert export_text() == text


@pytest.mark.usefixtures("hostile_archive")
def test_a_rejected_import_into_an_empty_database_puts_back_every_index_and_foreign_key():
    text = export_text()
    empty_the_archive()
    before = index_names()

    with pytest.raises(ImportRejected):
        run_import(text + line({"type": "official", "slug": "broken"}) + "\n")

    assert index_names() == before
    assert not Statement.objects.exists()


@pytest.mark.usefixtures("hostile_archive")
def test_rows_the_foreign_keys_refuse_at_the_end_reject_the_whole_import(monkeypatch):
    """The foreign keys added back at the end still check every row."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL sets the foreign keys aside during an import")
    text = export_text()
    empty_the_archive()
    end = writing.DeferredIndexes.end

    def break_a_row_first(self):
        with connection.cursor() as cursor:
            # Past the importer's checks, as a bug would: a statement names no article.
            cursor.execute(
                "UPDATE statements_statement SET article_id = article_id + 1000000 "
                "WHERE id = (SELECT min(id) FROM statements_statement)"
            )
        end(self)

    monkeypatch.setattr(writing.DeferredIndexes, "end", break_a_row_first)

    with pytest.raises(ImportRejected) as rejected:
        run_import(text)

    assert "the database refused the import" in rejected.value.report.problem_lines()[0]
    assert not Statement.objects.exists()


def statement_line(text, **extra):
    record = {
        "type": "statement",
        "article": "talks",
        "speaker": "ana",
        "text": text,
        "said_on": "2020-01-02",
    }
    return line({**record, **extra})


FISH_KEY = statement_base_key("talks", "ana", None, None, "Fish first.")


def test_a_statement_given_twice_batches_apart_in_an_empty_archive_is_named_with_its_first_line(
    monkeypatch,
):
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 2)
    lines = [
        line({"type": "official", "slug": "ana", "name": "Ana"}),
        line({"type": "article", "slug": "talks", "title": "Talks", "body": "Fish first."}),
        statement_line("Fish first."),
        *(statement_line(f"Point {n}.") for n in range(5)),
        statement_line("Fish first.", key=FISH_KEY),
    ]

    with pytest.raises(ImportRejected) as rejected:
        run_import("\n".join(lines))

    assert rejected.value.report.problem_lines() == [
        f"upload.jsonl:9: statement '{FISH_KEY}': is already defined on line 3: keep one "
        "record per statement (merge the two lines)"
    ]
    assert not Statement.objects.exists()


def test_identical_statements_numbered_batches_apart_in_an_empty_archive_are_imported(
    monkeypatch,
):
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 2)
    lines = [
        line({"type": "official", "slug": "ana", "name": "Ana"}),
        line({"type": "article", "slug": "talks", "title": "Talks", "body": "Fish first."}),
        statement_line("Fish first."),
        *(statement_line(f"Point {n}.") for n in range(5)),
        statement_line("Fish first.", key=f"{FISH_KEY}#2"),
    ]

    report = run_import("\n".join(lines))

    assert report.created["statement"] == 7
    assert Statement.objects.filter(text="Fish first.").count() == 2
