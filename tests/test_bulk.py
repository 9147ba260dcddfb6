"""The bulk writer: what it sets aside comes back as it was, and rows go in on either engine."""

import pytest
from django.db import connection

from statements import bulk, search
from statements.corpus.synthetic import TABLES
from statements.models import Outlet, Statement
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

ARCHIVE_TABLES = [table.name for table in TABLES.values()]


def schema():
    """Every index, key and constraint of the archive's tables, and SQLite's triggers."""
    with connection.cursor() as cursor:
        found = {
            (table, name, tuple(c["columns"] or ()), bool(c["foreign_key"]), bool(c["unique"]))
            for table in ARCHIVE_TABLES
            for name, c in connection.introspection.get_constraints(cursor, table).items()
        }
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            found |= {("trigger", name, (sql,), False, False) for name, sql in cursor.fetchall()}
    return found


def test_tables_set_aside_get_back_every_index_foreign_key_and_full_text_trigger():
    before = schema()
    aside = bulk.set_aside(ARCHIVE_TABLES)

    with connection.cursor() as cursor:
        aside.drop(cursor)
        assert aside.indexes and aside.full_text.steps
        assert len(schema()) < len(before)
        aside.rebuild(cursor)

    assert schema() == before


def test_a_set_aside_keeps_the_unique_indexes_and_those_it_is_told_to():
    aside = bulk.set_aside(
        [Statement._meta.db_table], unique=False, keep_columns=["article_id"], foreign_keys_to=[]
    )

    with connection.cursor() as cursor:
        aside.drop(cursor)
        dropped = [sql.replace('"', "") for _, sql in aside.indexes]
        assert dropped and not any("(article_id" in sql for sql in dropped)
        assert not any(" UNIQUE " in f" {sql.upper()} " for sql in dropped)
        assert aside.foreign_keys == []
        aside.rebuild(cursor)


def test_statements_loaded_while_set_aside_are_found_by_search_once_rebuilt():
    aside = bulk.set_aside([Statement._meta.db_table])
    with connection.cursor() as cursor:
        aside.drop(cursor)
        assert aside.full_text.steps
        statement = make_statement(text="The ceasefire holds along the northern border.")
        aside.rebuild(cursor)

    assert list(search.search(Statement.objects.all(), "ceasefire")) == [statement]


def test_rows_written_in_bulk_get_ids_past_every_id_already_used():
    first = Outlet.objects.create(name="Courier", slug="courier")
    table = Outlet._meta.db_table

    ids = bulk.take_ids(table, 2)
    bulk.write_rows(
        table,
        ["id", "name", "slug", "homepage", "country", "language"],
        [(pk, f"Outlet {pk}", f"outlet-{pk}", "", "", "") for pk in ids],
    )

    assert min(ids) > first.pk and len(set(ids)) == 2
    assert set(Outlet.objects.values_list("pk", flat=True)) == {first.pk, *ids}
    assert Outlet.objects.create(name="Herald", slug="herald").pk > max(ids)


def test_byte_order_sorts_by_code_point_whatever_the_locale():
    for slug in ["b", "B", "a", "é", "Z"]:
        Outlet.objects.create(name=slug, slug=f"x{slug}")

    ordered = Outlet.objects.order_by(bulk.byte_order("name")).values_list("name", flat=True)

    assert list(ordered) == ["B", "Z", "a", "b", "é"]
