"""SQLite: large ``executemany`` batches in one transaction, with the load PRAGMAs.

One writer at a time holds the database, so the whole load runs on one connection: no
fsync and no foreign-key checks meanwhile (PRAGMAs that can only change outside a
transaction, so a load inside one that the caller holds runs with the connection's
settings), the secondary indexes dropped and built again at the end.
"""

import contextlib
import datetime

from django.db import connection, transaction

from . import loading

BYTE_ORDER = "BINARY"
# (name, during a load, after it): after it, the values Django's connections run with.
LOAD_PRAGMAS = [
    ("foreign_keys", "OFF", "ON"),
    ("synchronous", "OFF", "NORMAL"),
    ("temp_store", "MEMORY", "DEFAULT"),
    ("cache_size", "-262144", "-2000"),
]


class SetAside(loading.SetAside):
    def find_indexes(self, cursor):
        """Indexes created by statements (those SQLite makes for a constraint have no SQL)."""
        marks = ", ".join("%s" for _ in self.tables)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            self.tables,
        )
        return [
            (name, sql)
            for name, sql in cursor.fetchall()
            if self.unique or not sql.upper().startswith("CREATE UNIQUE")
        ]

    def drop_found(self, cursor):
        for name, _ in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')


def take_ids(table, count):
    with connection.cursor() as cursor:
        # AUTOINCREMENT never reuses an id, even one deleted: start past both.
        cursor.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f'coalesce((SELECT max(id) FROM "{table}"), 0))',
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def write_rows(table, columns, rows):
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    connection.ensure_connection()
    connection.connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def begin_snapshot():
    """Nothing to ask: a transaction's reads already see one state of the database."""


@contextlib.contextmanager
def load_pragmas():
    """The PRAGMAs of a fast load, then those of everyday use; only outside a transaction."""
    outside = not connection.in_atomic_block
    if outside:
        _set_pragmas(during=True)
    try:
        yield
    finally:
        if outside:
            _set_pragmas(during=False)


def _set_pragmas(*, during):
    with connection.cursor() as cursor:
        for name, load_value, normal_value in LOAD_PRAGMAS:
            cursor.execute(f"PRAGMA {name} = {load_value if during else normal_value}")


class Loader(loading.Loader):
    """executemany in one transaction, with no fsync and no foreign-key checks meanwhile."""

    SetAside = SetAside

    def run(self, source, *, wipe, progress, chunk_size):
        with load_pragmas(), transaction.atomic():
            with connection.cursor() as cursor:
                self.set_aside.drop(cursor)
                if wipe:
                    progress("deleting the existing archive")
                    for name in wipe:
                        cursor.execute(f'DELETE FROM "{name}"')
            for key, rows in source.reference_rows().items():
                self.write(key, rows)
            report = loading.Progress(progress, source.statements)
            for chunk in source.chunks(chunk_size):
                for key, rows in chunk.items():
                    self.write(key, rows)
                report(self.counts["statement"])
            with connection.cursor() as cursor:
                self.set_aside.rebuild(cursor, progress)
                progress("analyzing")
                cursor.execute("ANALYZE")
            self.set_aside.note(self.notes)
            self.reset_sequences()

    def write(self, key, rows):
        self.counts[key] += len(rows)
        if not rows:
            return
        table = self.tables[key]
        other, defaults = table.other_columns()
        defaults = tuple(map(_stored, defaults))
        write_rows(
            table.name,
            (*table.columns, *other),
            [tuple(map(_stored, row)) + defaults for row in rows],
        )


def _stored(value):
    """As Django stores it: dates as ISO text, aware datetimes as naive UTC text."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
