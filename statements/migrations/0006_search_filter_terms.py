"""Filter terms in the SQLite full-text index, so a filtered search does not walk every match.

FTS5 cannot use a B-tree index for a speaker or date filter: a search for a common word with
one official walks every text match before the filter applies. This migration rebuilds the
FTS5 table with a third indexed column, ``tags``, holding a few terms per statement (the
speaker ``spk<id>``, the year said ``y<yyyy>``, the meeting ``mtg<id>``), so that the query can
say ``{text translation}:(...) AND tags:(spk12)`` (see statements/search/sqlite.py).

The content stays external: the table reads its rows from the view
``statements_statement_fts_source``, which computes ``tags`` from the statement's own columns,
so ``'rebuild'`` still works. The triggers compute the same terms (``tags_sql`` writes the
expression once for the view and the triggers) and now also follow an UPDATE of the speaker,
date or meeting.

PostgreSQL: nothing to do; its B-tree indexes already serve the filters.
Backwards: 0005's table, triggers and rebuild, exactly.

Beware: on SQLite, a later migration that makes Django rebuild statements_statement (altering
or removing one of its columns) now fails outright ("error in view
statements_statement_fts_source: no such table") instead of silently losing the triggers:
SQLite checks views when Django renames the rebuilt table into place. Such a migration runs
SQLITE_DROP before its schema change and SQLITE_CREATE after it.
"""

import importlib

from django.db import migrations

FTS = "statements_statement_fts"
SOURCE = f"{FTS}_source"
TOKENIZER = "porter unicode61 remove_diacritics 2"
# The columns whose change alters what the index holds for a statement.
INDEXED = "id, text, translation, speaker_id, said_on, meeting_id"

search_index = importlib.import_module("statements.migrations.0005_search_index")


def tags_sql(row=""):
    """The filter terms of a statement, as an SQL expression over its columns.

    ``row`` is the prefix of the columns: "" in the view, "new." or "old." in a trigger.
    ``said_on`` is stored as ISO text (YYYY-MM-DD), so its first four characters are the year.
    """
    return (
        f"'spk' || {row}speaker_id || ' y' || substr({row}said_on, 1, 4)"
        f" || coalesce(' mtg' || {row}meeting_id, '')"
    )


def _values(row):
    return f"{row}id, {row}text, {row}translation, {tags_sql(row)}"


SQLITE_DROP = [
    *search_index.SQLITE_BACKWARD,
    f"DROP VIEW IF EXISTS {SOURCE}",
]

SQLITE_CREATE = [
    f"""CREATE VIEW {SOURCE} AS
        SELECT id, text, translation, {tags_sql()} AS tags FROM statements_statement""",
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        text, translation, tags,
        content='{SOURCE}', content_rowid='id',
        tokenize='{TOKENIZER}'
    )""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON statements_statement BEGIN
        INSERT INTO {FTS}(rowid, text, translation, tags) VALUES ({_values("new.")});
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON statements_statement BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, translation, tags)
        VALUES ('delete', {_values("old.")});
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF {INDEXED}
    ON statements_statement BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, translation, tags)
        VALUES ('delete', {_values("old.")});
        INSERT INTO {FTS}(rowid, text, translation, tags) VALUES ({_values("new.")});
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]

SQLITE_FORWARD = [*SQLITE_DROP, *SQLITE_CREATE]
SQLITE_BACKWARD = [*SQLITE_DROP, *search_index.SQLITE_FORWARD]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "sqlite":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def add_filter_terms(apps, schema_editor):
    _run(schema_editor, SQLITE_FORWARD)


def remove_filter_terms(apps, schema_editor):
    _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0005_search_index"),
    ]

    operations = [
        migrations.RunPython(add_filter_terms, remove_filter_terms),
    ]
