"""The full-text index over statements, kept by the database itself (see docs/search.md).

SQLite: an external-content FTS5 table and three triggers that keep it in step with every
insert, update and delete, then a rebuild for the rows already there.

PostgreSQL: the unaccent extension, an immutable normalizing function (unaccent itself is only
STABLE, which a generated column may not call), a stored generated tsvector column and its GIN
index. Adding the column computes it for the rows already there.

Beware: on SQLite, a later migration that makes Django rebuild statements_statement (altering
or removing one of its columns) drops these triggers with the old table. Such a migration must
create the triggers again after its schema change (the statements in SQLITE_FORWARD).
"""

import string

from django.db import migrations

FTS = "statements_statement_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        text, translation,
        content='statements_statement', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON statements_statement BEGIN
        INSERT INTO {FTS}(rowid, text, translation) VALUES (new.id, new.text, new.translation);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON statements_statement BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, translation)
        VALUES ('delete', old.id, old.text, old.translation);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF id, text, translation
    ON statements_statement BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, translation)
        VALUES ('delete', old.id, old.text, old.translation);
        INSERT INTO {FTS}(rowid, text, translation) VALUES (new.id, new.text, new.translation);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    # Without statistics SQLite's planner believes any indexed equality (status = ...) picks
    # out ten rows, and walks that index instead of letting the FTS index find candidates.
    "ANALYZE statements_statement",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]

# ASCII punctuation, each read as a space: "Al-Assad" is two words, as in SQLite's tokenizer.
# (Quotes doubled for the SQL string literal.)
PUNCTUATION = string.punctuation.replace("'", "''")

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    f"""CREATE FUNCTION statements_search_normalize(value text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN translate(
            public.unaccent('public.unaccent'::regdictionary, value),
            '{PUNCTUATION}',
            repeat(' ', {len(string.punctuation)})
        )""",
    """ALTER TABLE statements_statement ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig,
                statements_search_normalize(coalesce("text", ''))), 'A')
            || setweight(to_tsvector('english'::regconfig,
                statements_search_normalize(coalesce("translation", ''))), 'B')
        ) STORED""",
    """CREATE INDEX statements_statement_search_idx
        ON statements_statement USING gin (search_vector)""",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS statements_statement_search_idx",
    "ALTER TABLE statements_statement DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS statements_search_normalize(text)",
    # Without CASCADE: should anything else have come to use unaccent, this refuses.
    "DROP EXTENSION IF EXISTS unaccent",
]


def _run(schema_editor, statements_by_vendor):
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def create_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0004_statement_versions_and_revisions"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
