"""What a bulk load does the same way on every engine: set aside, count, report, rebuild."""

import time
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection

from statements import search


def quiet(message):
    pass


@dataclass
class LoadNotes:
    """What the loader did around the load, for the command's summary."""

    indexes_rebuilt: list = field(default_factory=list)
    constraints_rebuilt: list = field(default_factory=list)
    search_indexes: list = field(default_factory=list)

    def lines(self):
        lines = [f"secondary indexes rebuilt after the load: {len(self.indexes_rebuilt)}"]
        if self.constraints_rebuilt:
            lines.append(f"foreign keys re-added and checked: {len(self.constraints_rebuilt)}")
        lines.extend(self.search_indexes or ["no full-text search index found in this database"])
        return lines


class Progress:
    """Reports statements loaded, at most every two seconds."""

    def __init__(self, progress, total):
        self.progress, self.total = progress, total
        self.started = self.last = time.monotonic()

    def __call__(self, done):
        now = time.monotonic()
        if now - self.last > 2 or done == self.total:
            elapsed = now - self.started
            rate = done / elapsed if elapsed else 0
            self.progress(f"statements: {done:,} / {self.total:,} ({rate:,.0f}/s, {elapsed:.0f} s)")
            self.last = now


class SetAside:
    """Indexes, foreign keys and the full-text index of some tables, set aside for a load.

    Feeding an index row by row, or checking a foreign key row by row, costs more than
    building the index or checking the key once over the loaded table. ``drop(cursor)`` finds
    them in the catalogue and drops them; ``rebuild(cursor)`` puts everything back on that
    connection, or a loader runs ``index_steps()`` and ``foreign_key_steps()`` its own way.

    ``unique=False`` keeps the unique indexes; ``keep_columns`` keeps the indexes that lead
    with one of those columns (what the load itself queries); ``foreign_keys_to`` sets aside
    only the foreign keys that point to those tables (None: every one).
    """

    def __init__(self, tables, *, unique=True, keep_columns=(), foreign_keys_to=None):
        self.tables = list(tables)
        self.unique = unique
        self.keep_columns = tuple(keep_columns)
        self.foreign_keys_to = None if foreign_keys_to is None else list(foreign_keys_to)
        self.indexes, self.foreign_keys = [], []
        self.full_text = search.IndexPause()

    def drop(self, cursor):
        self.full_text = search.pause_index(cursor, self.tables)
        self.indexes = [
            (name, sql) for name, sql in self.find_indexes(cursor) if not self._kept(sql)
        ]
        self.foreign_keys = self.find_foreign_keys(cursor)
        self.drop_found(cursor)

    def _kept(self, sql):
        # SQLite writes its definitions with quoted names: ("article_id", ...).
        plain = sql.replace('"', "")
        return any(f"({column}" in plain for column in self.keep_columns)

    def find_foreign_keys(self, cursor):
        return []

    def index_steps(self):
        """``(label, [sql])`` that build the indexes again, the full-text index first."""
        return [
            *self.full_text.steps,
            *((f"building index {name}", [sql]) for name, sql in self.indexes),
        ]

    def foreign_key_steps(self):
        """``(label, [sql])`` that add the foreign keys back, checking every row at once."""
        return [
            (
                f"checking the foreign keys of {table}",
                [
                    f'ALTER TABLE "{table}" '
                    + ", ".join(
                        f'ADD CONSTRAINT "{name}" {definition}' for name, definition in keys
                    )
                ],
            )
            for table, keys in by_table(self.foreign_keys).items()
        ]

    def rebuild(self, cursor, progress=quiet):
        """Everything back, on this connection and in its transaction."""
        for label, statements in [*self.index_steps(), *self.foreign_key_steps()]:
            progress(label)
            for sql in statements:
                cursor.execute(sql)

    def note(self, notes):
        notes.indexes_rebuilt = [
            *(name for name, _ in self.full_text.indexes),
            *(name for name, _ in self.indexes),
        ]
        notes.constraints_rebuilt = [name for _, name, _ in self.foreign_keys]
        notes.search_indexes = list(self.full_text.notes)


def by_table(foreign_keys):
    """``{table: [(name, definition)]}`` from ``(table, name, definition)``."""
    tables = {}
    for table, name, definition in foreign_keys:
        tables.setdefault(table, []).append((name, definition))
    return tables


class Loader:
    """Fills tables from a source of rows; an engine's subclass says how (``run``)."""

    def __init__(self, tables):
        self.tables = dict(tables)
        self.names = [table.name for table in self.tables.values()]
        self.notes = LoadNotes()
        self.counts = dict.fromkeys(self.tables, 0)
        self.set_aside = self.SetAside(self.names)

    def reset_sequences(self):
        models = [table.model for table in self.tables.values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
