"""Inserting many new rows fast, one implementation per database engine.

The importer has already checked every value, so rows go in as plain tuples, without model
instances: COPY on PostgreSQL, ``executemany`` on SQLite. Primary keys are taken before the
insert (from the table's sequence on PostgreSQL; past the largest id on SQLite, whose
transaction holds the write lock), so that the many-to-many rows can name them.
"""

import json

from django.db import connection, models

from statements.models import Statement

from .records import RECORD_TYPES


class RowWriter:
    """``insert(model, values_list)`` for new objects; ``link(through, pairs)`` for M2M rows."""

    def __init__(self, *, now, user):
        self.now = now
        self.user_id = user.pk if user is not None else None
        self.tables = {}

    def table(self, model):
        if model not in self.tables:
            self.tables[model] = _Table(model, now=self.now, user_id=self.user_id)
        return self.tables[model]

    def insert(self, model, values_list):
        """Insert one row per dict of attribute values; return their primary keys in order."""
        if not values_list:
            return []
        table = self.table(model)
        pks = self.take_pks(table, len(values_list))
        rows = [(pk, *table.row(values)) for pk, values in zip(pks, values_list, strict=True)]
        self.write(table.name, ["id", *table.columns], rows)
        return pks

    def link(self, through, source, target, pairs):
        """Insert many-to-many rows ``(source_id, target_id)``."""
        if pairs:
            self.write(through._meta.db_table, [f"{source}_id", f"{target}_id"], pairs)


class PostgresRowWriter(RowWriter):
    def take_pks(self, table, count):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [f'"{table.name}"', count],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def write(self, name, columns, rows):
        names = ", ".join(f'"{column}"' for column in columns)
        with (
            connection.cursor() as cursor,
            cursor.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy,
        ):
            write_row = copy.write_row  # psycopg formats the row in C, escaping included
            for row in rows:
                write_row(row)


class SqliteRowWriter(RowWriter):
    def take_pks(self, table, count):
        with connection.cursor() as cursor:
            # AUTOINCREMENT never reuses an id, even one deleted: start past both.
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f'coalesce((SELECT max(id) FROM "{table.name}"), 0))',
                [table.name],
            )
            last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))

    def write(self, name, columns, rows):
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join("?" for _ in columns)
        connection.ensure_connection()
        connection.connection.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)


def row_writer(*, now, user):
    if connection.vendor == "postgresql":
        return PostgresRowWriter(now=now, user=user)
    return SqliteRowWriter(now=now, user=user)


class _Table:
    """A model's columns (the primary key aside), their defaults and how to store each."""

    def __init__(self, model, *, now, user_id):
        self.name = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = [_default(f, now, user_id) for f in fields]
        self.columns_of = list(
            zip(self.attnames, self.defaults, [_converter(f) for f in fields], strict=True)
        )

    def row(self, values):
        return tuple(
            (value if convert is None else convert(value))
            for name, default, convert in self.columns_of
            for value in (values.get(name, default),)
        )


def _default(field, now, user_id):
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return now
    if field.name in ("created_by", "updated_by"):
        return user_id
    return field.get_default()


def _converter(field):
    """A function that turns an attribute value into what the database stores, or None."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


class DeferredIndexes:
    """Into an empty statements table, build its indexes and foreign keys once, at the end.

    Feeding the full-text index (FTS5 triggers, the GIN index) and the list indexes row by
    row costs more than building them once from the loaded table; the same goes for the
    statements' many-to-many tables. On PostgreSQL, the foreign keys between the archive's
    own tables are dropped too and added back at the end, which checks every row in one
    join instead of one deferred trigger per row and key (those to ``auth_user`` stay, so
    that the users' table is never locked). This is done only when the statements table is
    empty at the start, inside the import's transaction: a rolled-back import puts
    everything back as it was, and readers never see the tables without them (on PostgreSQL
    they wait for the import to finish; on SQLite they read the old, empty tables). Unique
    indexes, and the index on ``article_id`` that the import itself queries, are kept.
    """

    TABLE = "statements_statement"

    def __init__(self):
        self.indexes, self.triggers, self.fts_tables, self.foreign_keys = [], [], [], []

    @staticmethod
    def tables():
        return [
            Statement._meta.db_table,
            *(f.remote_field.through._meta.db_table for f in Statement._meta.many_to_many),
        ]

    @staticmethod
    def archive_tables():
        """Every table an import writes to: foreign keys between them may be deferred."""
        names = set()
        for spec in RECORD_TYPES.values():
            names.add(spec.model._meta.db_table)
            names.update(
                f.remote_field.through._meta.db_table for f in spec.model._meta.many_to_many
            )
        return sorted(names)

    def begin(self):
        tables = self.tables()
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{self.TABLE}")')
            if cursor.fetchone()[0]:
                return False
            if connection.vendor == "postgresql":
                cursor.execute(
                    """
                    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                    JOIN pg_class i ON i.oid = x.indexrelid
                    JOIN pg_class t ON t.oid = x.indrelid
                    WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
                      AND NOT x.indisunique
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                    """,
                    [tables],
                )
                indexes = cursor.fetchall()
                cursor.execute(
                    """
                    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                    FROM pg_constraint c
                    WHERE c.contype = 'f'
                      AND c.conrelid::regclass::text = ANY(%s)
                      AND c.confrelid::regclass::text = ANY(%s)
                    """,
                    [tables, self.archive_tables()],
                )
                self.foreign_keys = cursor.fetchall()
            else:
                marks = ", ".join("%s" for _ in tables)
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    tables,
                )
                indexes = [
                    (name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper()
                ]
            # SQLite writes its definitions with quoted names: ("article_id", ...).
            self.indexes = [
                (name, sql) for name, sql in indexes if "(article_id" not in sql.replace('"', "")
            ]
            if connection.vendor == "sqlite":
                # External-content FTS5 tables (their content the table itself or a view of
                # it) fed by triggers on the table: those a 'rebuild' refills.
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND lower(sql) LIKE '%%using fts5%%' AND sql LIKE %s "
                    "AND sql NOT LIKE %s",
                    ["%content=%", "%content=''%"],
                )
                fts_tables = [name for (name,) in cursor.fetchall()]
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [self.TABLE],
                )
                self.triggers = [
                    (name, sql)
                    for name, sql in cursor.fetchall()
                    if any(fts in sql for fts in fts_tables)
                ]
                self.fts_tables = [
                    fts for fts in fts_tables if any(fts in sql for _, sql in self.triggers)
                ]
            for name, _ in self.triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            if connection.vendor == "postgresql" and self.indexes:
                cursor.execute("DROP INDEX " + ", ".join(f'"{name}"' for name, _ in self.indexes))
            else:
                for name, _ in self.indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
            if self.foreign_keys:
                # Within a larger transaction, checks may be waiting on these tables.
                _run_deferred_checks(cursor)
            for table, keys in _by_table(self.foreign_keys).items():
                drops = ", ".join(f'DROP CONSTRAINT "{name}"' for name, _ in keys)
                cursor.execute(f'ALTER TABLE "{table}" {drops}')
        return True

    def end(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Neither a foreign key nor an index can be added to a table whose rows still
                # have deferred checks waiting (those of the keys kept): run them now.
                _run_deferred_checks(cursor)
            for table, keys in _by_table(self.foreign_keys).items():
                # Checks every row at once; a row naming nothing fails the import here.
                adds = ", ".join(
                    f'ADD CONSTRAINT "{name}" {definition}' for name, definition in keys
                )
                cursor.execute(f'ALTER TABLE "{table}" {adds}')
            for _, sql in self.indexes:
                cursor.execute(sql)
            for _, sql in self.triggers:
                cursor.execute(sql)
            for name in self.fts_tables:
                cursor.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')


def _run_deferred_checks(cursor):
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _by_table(foreign_keys):
    tables = {}
    for table, name, definition in foreign_keys:
        tables.setdefault(table, []).append((name, definition))
    return tables
