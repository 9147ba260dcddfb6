"""A search with filters finds exactly what the filters and the words allow, on both engines.

On SQLite the filters' values are also terms of the full-text index (migration 0006), which
narrows the index's matches before the filters run; these tests check that the narrowing is
never narrower than the filters, that the terms follow edits, and that the bulk paths leave
them right. PostgreSQL ignores the narrowing and must give the same answers.
"""

import datetime
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from statements import search, tallies
from statements.filters import StatementFilter
from statements.interchange import export_archive, import_archive
from statements.interchange.writing import DeferredIndexes
from statements.models import DatePrecision, Statement

from .factories import make_article, make_meeting, make_official, make_statement

pytestmark = pytest.mark.django_db

FTS = "statements_statement_fts"
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def archive():
    """Statements on security by three speakers, at two meetings, with every kind of date."""
    speakers = [make_official(slug=f"speaker-{n}") for n in range(3)]
    meetings = [make_meeting(slug=f"meeting-{n}") for n in range(2)]
    article = make_article()
    dates = [
        ("2014-12-31", DatePrecision.DAY),
        ("2014-12-01", DatePrecision.MONTH),
        ("2014-01-01", DatePrecision.YEAR),
        ("2015-01-01", DatePrecision.DAY),
        ("2015-01-01", DatePrecision.YEAR),
        ("2015-03-01", DatePrecision.MONTH),
        ("2015-06-15", DatePrecision.DAY),
        ("2015-12-31", DatePrecision.DAY),
        ("2016-01-01", DatePrecision.DAY),
        ("2016-01-01", DatePrecision.YEAR),
        ("2017-07-01", DatePrecision.MONTH),
        ("0999-05-05", DatePrecision.DAY),
    ]
    for n, (said_on, precision) in enumerate(dates * 2):
        make_statement(
            speaker=speakers[n % 3],
            meeting=meetings[n % 2] if n % 3 else None,
            article=article,
            text=f"Security matters, said speaker {n % 3}. Fisheries too."
            if n < len(dates) or n % 2
            else f"Fisheries first, said speaker {n % 3}.",
            said_on=day(said_on),
            said_on_precision=precision,
        )
    return {"speakers": speakers, "meetings": meetings}


def page(params):
    """The statements a list page shows for these parameters, in its order."""
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    filterset = StatementFilter(data, queryset=Statement.objects.published())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def filtered_then_searched(params):
    """What the page must show: the filters alone (no index terms), then the words alone."""
    words = params["q"]
    unfiltered = {k: v for k, v in params.items() if k not in ("q", "sort")}
    allowed = set(page(unfiltered))
    matching = set(Statement.objects.search(words).values_list("pk", flat=True))
    return allowed & matching


FILTERS = [
    {"official": "speaker-1"},
    {"official": ["speaker-0", "speaker-2"]},
    {"year": "2015"},
    {"year": "2014"},
    {"date_from": "2015-03-10"},
    {"date_from": "2015-06-16", "date_to": "2015-12-31"},
    {"date_from": "2014-12-15", "date_to": "2015-01-01"},
    {"date_to": "2015-01-01"},
    {"date_from": "2016-01-01", "date_to": "2016-01-01"},
    {"date_from": "0900-01-01", "date_to": "2015-02-01"},
    {"date_from": "2015-05-01", "date_to": "2017-07-31", "official": "speaker-0"},
    {"year": "2015", "date_from": "2015-02-01", "official": ["speaker-1", "speaker-2"]},
    {"year": "2016", "date_to": "2015-12-31"},
    {"meeting": "meeting-1"},
    {"meeting": "meeting-0", "year": "2015"},
]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_a_filtered_search_finds_exactly_what_the_filters_and_the_words_allow(
    archive, filters, sort
):
    params = {"q": "security", "sort": sort, **filters}
    shown = page(params)
    assert len(shown) == len(set(shown))
    assert set(shown) == filtered_then_searched(params)


def test_a_partial_date_is_found_when_its_month_or_year_reaches_into_the_range(archive):
    found = Statement.objects.filter(
        pk__in=page({"q": "security", "date_from": "2015-06-16", "date_to": "2015-12-31"})
    )
    assert {(s.said_on, s.said_on_precision) for s in found} >= {
        (day("2015-01-01"), DatePrecision.YEAR),
        (day("2015-12-31"), DatePrecision.DAY),
    }


def test_the_readers_words_never_match_the_filter_terms(archive):
    speaker = archive["speakers"][0]
    assert page({"q": f"spk{speaker.pk}"}) == []
    assert page({"q": "y2015 OR security", "year": "2015"}) == page(
        {"q": "security", "year": "2015"}
    )


@on_sqlite
def test_on_sqlite_the_index_match_carries_the_filter_terms(archive):
    speaker = archive["speakers"][1]
    with CaptureQueriesContext(connection) as queries:
        page(
            {
                "q": "security",
                "official": speaker.slug,
                "date_from": "2014-05-01",
                "date_to": "2016-02-01",
            }
        )
    sql = "\n".join(query["sql"] for query in queries)
    assert f'tags : ("spk{speaker.pk}")' in sql
    assert 'tags : ("y2014" OR "y2015" OR "y2016")' in sql


@on_sqlite
def test_a_range_of_many_years_is_left_to_the_filters_alone(archive):
    with CaptureQueriesContext(connection) as queries:
        shown = page({"q": "security", "date_to": "2015-01-01"})
    assert "tags :" not in "\n".join(query["sql"] for query in queries)
    assert set(shown) == filtered_then_searched({"q": "security", "date_to": "2015-01-01"})


def test_the_scope_of_contradictory_dates_narrows_nothing_and_finds_nothing(archive):
    assert page({"q": "security", "year": "2016", "date_to": "2015-12-31"}) == []


# -- the terms follow the statement ------------------------------------------------------------


def assert_index_agrees_with_the_statements():
    """FTS5 compares every indexed term with what the content view gives now (SQLite)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)")


def test_a_new_speaker_and_date_are_searchable_and_the_old_ones_no_longer(archive):
    old, new = archive["speakers"][0], archive["speakers"][1]
    statement = make_statement(
        speaker=old, text="An unusual albatross clause", said_on=day("2015-04-04")
    )
    assert page({"q": "albatross", "official": old.slug, "year": "2015"}) == [statement.pk]

    statement.speaker = new
    statement.said_on = day("2019-09-09")
    statement.save()
    assert page({"q": "albatross", "official": new.slug, "year": "2019"}) == [statement.pk]
    assert page({"q": "albatross", "official": old.slug}) == []
    assert page({"q": "albatross", "year": "2015"}) == []
    assert_index_agrees_with_the_statements()

    Statement.objects.filter(pk=statement.pk).update(speaker=old, said_on=day("2011-01-01"))
    assert page({"q": "albatross", "official": old.slug, "year": "2011"}) == [statement.pk]
    assert page({"q": "albatross", "official": new.slug}) == []
    assert_index_agrees_with_the_statements()


def test_a_new_meeting_is_searchable_and_the_old_one_no_longer(archive):
    first, second = archive["meetings"]
    statement = make_statement(meeting=first, text="An unusual albatross clause")
    assert page({"q": "albatross", "meeting": first.slug}) == [statement.pk]
    statement.meeting = second
    statement.save()
    assert page({"q": "albatross", "meeting": second.slug}) == [statement.pk]
    assert page({"q": "albatross", "meeting": first.slug}) == []
    statement.meeting = None
    statement.save()
    assert page({"q": "albatross", "meeting": second.slug}) == []
    assert page({"q": "albatross"}) == [statement.pk]
    assert_index_agrees_with_the_statements()


def test_a_deleted_statement_leaves_the_index(archive):
    Statement.objects.filter(said_on__year=2015).delete()
    assert page({"q": "security", "year": "2015"}) == []
    assert_index_agrees_with_the_statements()


# -- bulk loads ------------------------------------------------------------------------------


def sqlite_triggers():
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_generated_corpus_leaves_the_filter_terms_right():
    out = io.StringIO()
    call_command("generate_corpus", statements=300, seed=3, stdout=out)
    if connection.vendor == "sqlite":
        # The loader found the index through its content view and rebuilt it once.
        assert f"FTS5 table {FTS} rebuilt after the load" in out.getvalue()
    assert_index_agrees_with_the_statements()
    busiest = (
        Statement.objects.published()
        .values_list("speaker__slug", flat=True)
        .order_by("speaker__slug")
        .first()
    )
    for filters in ({"official": busiest}, {"year": "2015"}, {"date_from": "2016-03-01"}):
        for words in ("security", "agreement OR talks", "the"):
            params = {"q": words, **filters}
            assert set(page(params)) == filtered_then_searched(params), params


def test_an_import_into_an_empty_archive_rebuilds_the_index_with_its_terms(archive):
    out = io.StringIO()
    export_archive(out)
    expected = {
        key: page({"q": "security", **key_filters})
        for key, key_filters in (
            ("speaker", {"official": "speaker-2"}),
            ("range", {"date_from": "2015-02-01", "date_to": "2016-01-01"}),
        )
    }
    triggers = sqlite_triggers()
    Statement.objects.all().delete()

    report = import_archive(io.BytesIO(out.getvalue().encode()), name="archive.jsonl")
    assert not report.problems
    assert_index_agrees_with_the_statements()
    assert len(page({"q": "security", "official": "speaker-2"})) == len(expected["speaker"])
    assert len(page({"q": "security", "date_from": "2015-02-01", "date_to": "2016-01-01"})) == (
        len(expected["range"])
    )
    assert sqlite_triggers() == triggers


@on_sqlite
def test_an_import_defers_the_index_through_its_content_view():
    deferred = DeferredIndexes()
    with transaction.atomic():
        assert deferred.begin()
        assert deferred.full_text.tables == [FTS]
        assert {name for name, _ in deferred.full_text.triggers} == {
            f"{FTS}_insert",
            f"{FTS}_update",
            f"{FTS}_delete",
        }
        deferred.end()
    assert_index_agrees_with_the_statements()


# -- cost ------------------------------------------------------------------------------------


def test_a_filtered_search_page_runs_as_many_queries_with_few_or_many_statements(client, archive):
    speaker = archive["speakers"][0]
    path = (
        f"/statements/?q=security&official={speaker.slug}&date_from=2014-06-01"
        "&date_to=2016-06-01&meeting=meeting-1"
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    def add(number):
        for n in range(number):
            make_statement(
                speaker=speaker,
                meeting=archive["meetings"][1],
                text=f"Security again, number {n}",
                said_on=day("2015-05-05"),
            )

    add(2)
    few = count()
    add(40)
    assert count() == few


def test_the_scope_describes_the_filters_in_plain_values(archive):
    speaker = archive["speakers"][2]
    data = QueryDict(mutable=True)
    data.update({"q": "x", "official": speaker.slug, "date_from": "2014-02-02", "year": "2015"})
    filterset = StatementFilter(data, queryset=Statement.objects.all())
    assert filterset.search_scope() == search.Scope(
        speaker_ids=frozenset({speaker.pk}), years=range(2015, 2016)
    )
    assert StatementFilter(QueryDict("q=x"), queryset=Statement.objects.all()).search_scope() == (
        search.Scope()
    )


# -- the migration ---------------------------------------------------------------------------


def search_schema():
    """The index, its triggers and its view (not FTS5's own shadow tables)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE name = %s OR (name LIKE %s AND type IN ('trigger', 'view')) ORDER BY name",
            [FTS, f"{FTS}%"],
        )
        return cursor.fetchall()


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_going_back_restores_the_index_of_0005_exactly_and_forward_adds_the_terms_again():
    search_index = importlib.import_module("statements.migrations.0005_search_index")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("statements")[0]
    speaker = make_official()
    statement = make_statement(speaker=speaker, text="A lighthouse treaty")
    try:
        migrate_to(("statements", "0005_search_index"))
        created = {sql for sql in search_index.SQLITE_FORWARD if sql.startswith("CREATE")}
        assert {sql for _, _, sql in search_schema()} == created
        assert list(Statement.objects.search("lighthouse")) == [statement]
    finally:
        migrate_to(latest)
    assert {kind for kind, _, _ in search_schema()} == {"table", "trigger", "view"}
    assert page({"q": "lighthouse", "official": speaker.slug}) == [statement.pk]
    assert_index_agrees_with_the_statements()


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_table_rebuild_keeps_search_when_wrapped_in_the_drop_and_create_statements():
    filter_terms = importlib.import_module("statements.migrations.0006_search_filter_terms")
    speaker = make_official()
    statement = make_statement(speaker=speaker, text="A lighthouse treaty")
    old = Statement._meta.get_field("attribution")
    new = models.CharField(max_length=301, blank=True)
    new.set_attributes_from_name("attribution")

    def rebuild_the_table(before, after):
        # The tallies' triggers (migration 0008) name the statements table too.
        with connection.schema_editor() as editor:
            tallies.drop_triggers(connection)
            for sql in filter_terms.SQLITE_DROP:
                editor.execute(sql, params=None)
            editor.alter_field(Statement, before, after)
            for sql in filter_terms.SQLITE_CREATE:
                editor.execute(sql, params=None)
            tallies.create_triggers(connection)

    rebuild_the_table(old, new)
    try:
        assert page({"q": "lighthouse", "official": speaker.slug}) == [statement.pk]
        assert_index_agrees_with_the_statements()
    finally:
        rebuild_the_table(new, old)
