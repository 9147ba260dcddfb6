"""Writing many rows fast, one implementation per database engine.

PostgreSQL: COPY through psycopg's ``cursor.copy()``, with the secondary indexes (the search
GIN index among them) and the foreign keys dropped during the load and rebuilt after it, then
ANALYZE. SQLite: large ``executemany`` batches with the load PRAGMAs, secondary indexes
dropped and rebuilt, and an external-content FTS5 index rebuilt once at the end instead of
being fed row by row by its triggers.

Both find what to drop by inspecting the database, so indexes and triggers added by later
migrations are handled without this module knowing their names.
"""

import datetime
import queue
import re
import threading
import time
from dataclasses import dataclass, field

import psycopg
from django.core.management.color import no_style
from django.db import transaction

from ..models import FormerSlug, StatementRevision


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


def loader_for(connection, tables):
    if connection.vendor == "postgresql":
        return PostgresLoader(connection, tables)
    if connection.vendor == "sqlite":
        return SqliteLoader(connection, tables)
    raise NotImplementedError(
        f"generate_corpus supports PostgreSQL and SQLite, not {connection.vendor}."
    )


class _Loader:
    def __init__(self, connection, tables):
        self.connection = connection
        self.tables = dict(tables)
        self.names = [table.name for table in self.tables.values()]
        self.notes = LoadNotes()
        self.counts = dict.fromkeys(self.tables, 0)

    def reset_sequences(self):
        models = [table.model for table in self.tables.values()]
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def delete_archive(self, cursor):
        """Every row of the loaded tables, the slugs they retired and the statements' revisions."""
        names = [StatementRevision._meta.db_table, *reversed(self.names), FormerSlug._meta.db_table]
        if self.connection.vendor == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in names)
            # Checks deferred by the caller's own transaction would forbid the TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            for name in names:
                cursor.execute(f'DELETE FROM "{name}"')


class _Progress:
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


class PostgresLoader(_Loader):
    """COPY into tables stripped of secondary indexes and foreign keys.

    The statements table carries a generated tsvector column whose computation is the
    largest cost of the load, and one COPY runs on one core: so the chunks of articles and
    statements go to WORKERS connections in threads, while this thread generates the next
    chunk. The workers commit only after everything has loaded; on any error all of them
    roll back and the dropped indexes and foreign keys are put back.
    """

    WORKERS = 2

    def run(self, archive, *, wipe, progress, chunk_size):
        # Other connections cannot see, and would wait on, a transaction the caller holds
        # open (a test, a shell): then everything runs on this one connection.
        self.parallel = not self.connection.in_atomic_block
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            self._inspect(cursor)
            if wipe:
                progress("deleting the existing archive")
                self.delete_archive(cursor)
            for name, table, _ in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        try:
            self._load(archive, progress, chunk_size)
        finally:
            self._restore(progress)
        self.reset_sequences()

    def _inspect(self, cursor):
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY (i.relname LIKE '%%search%%' OR pg_get_indexdef(i.oid) ILIKE '%%using gin%%')
                DESC, i.relname
            """,
            [self.names],
        )
        self.indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.conname, t.relname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s)
              AND t.relnamespace = 'public'::regnamespace
            ORDER BY t.relname, c.conname
            """,
            [self.names],
        )
        self.foreign_keys = cursor.fetchall()
        self.search_indexes = set()
        for name, definition in self.indexes:
            if "using gin" in definition.lower() and self._indexes_tsvector(cursor, name):
                self.search_indexes.add(name)

    @staticmethod
    def _indexes_tsvector(cursor, name):
        """A GIN index over a tsvector column, or over a to_tsvector() expression."""
        cursor.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
                WHERE i.relname = %s AND a.atttypid = 'tsvector'::regtype
            ) OR EXISTS (
                SELECT 1 FROM pg_class i WHERE i.relname = %s
                AND pg_get_indexdef(i.oid) ILIKE '%%to_tsvector%%'
            )
            """,
            [name, name],
        )
        return cursor.fetchone()[0]

    def _load(self, archive, progress, chunk_size):
        params = self.connection.get_connection_params()
        workers = [_CopyWorker(params) for _ in range(self.WORKERS if self.parallel else 0)]
        report = _Progress(progress, archive.statements)
        try:
            with transaction.atomic(using=self.connection.alias):
                with self.connection.cursor() as cursor:
                    for key, rows in archive.reference_rows().items():
                        copy_rows(cursor, self.tables[key], rows)
                        self.counts[key] += len(rows)
                for number, chunk in enumerate(archive.chunks(chunk_size)):
                    payload = []
                    for key, rows in chunk.items():
                        payload.append((self.tables[key], copy_text(self.tables[key], rows)))
                        self.counts[key] += len(rows)
                    if workers:
                        workers[number % len(workers)].send(payload)
                    else:
                        with self.connection.cursor() as cursor:
                            copy_payload(cursor, payload)
                    report(self.counts["statement"])
                for worker in workers:
                    worker.finish()
                progress("committing")
                for worker in workers:
                    worker.commit()
        finally:
            for worker in workers:
                worker.close()

    def _restore(self, progress):
        """Indexes in parallel on two connections (the GIN index first), then foreign keys."""
        tasks = [(f"building index {name}", [definition]) for name, definition in self.indexes]
        self._run(tasks, progress)
        self.notes.indexes_rebuilt = [name for name, _ in self.indexes]
        self.notes.search_indexes = [
            f"full-text GIN index {name} dropped during the load and rebuilt"
            for name in sorted(self.search_indexes)
        ]
        tasks = [
            (
                f"checking foreign key {name}",
                [f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {sql}'],
            )
            for name, table, sql in self.foreign_keys
        ]
        self._run(tasks, progress, workers=1)
        self.notes.constraints_rebuilt = [name for name, _, _ in self.foreign_keys]
        tasks = [(f"analyzing {name}", [f'ANALYZE "{name}"']) for name in self.names]
        self._run(tasks, progress)

    def _run(self, tasks, progress, workers=2):
        if self.parallel:
            run_in_parallel(self.connection.get_connection_params(), tasks, progress, workers)
            return
        with self.connection.cursor() as cursor:
            for label, statements in tasks:
                progress(label)
                for sql in statements:
                    cursor.execute(sql)


def copy_rows(cursor, table, rows):
    copy_payload(cursor, [(table, copy_text(table, rows))])


def copy_payload(cursor, payload):
    """COPY each (table, text) pair of the payload."""
    for table, text in payload:
        if text:
            other, _ = table.other_columns()
            columns = ", ".join(f'"{column}"' for column in (*table.columns, *other))
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                copy.write(text)


def copy_text(table, rows):
    """Rows in COPY's text format, with the defaults of the columns they do not give."""
    _, defaults = table.other_columns()
    tail = "".join("\t" + _copy_value(value) for value in defaults) + "\n"
    return "".join("\t".join(map(_copy_value, row)) + tail for row in rows)


class _CopyWorker(threading.Thread):
    """One connection that COPYs the chunks it is sent, in one transaction."""

    def __init__(self, params):
        super().__init__(daemon=True)
        self.conn = psycopg.connect(**params)
        self.queue = queue.Queue(maxsize=1)
        self.error = None
        self.start()

    def run(self):
        while (payload := self.queue.get()) is not None:
            if self.error is not None:
                continue  # keep draining so that the sender never blocks
            try:
                with self.conn.cursor() as cursor:
                    copy_payload(cursor, payload)
            except Exception as error:
                self.error = error

    def send(self, payload):
        self._raise()
        self.queue.put(payload)

    def finish(self):
        self.queue.put(None)
        self.join()
        self._raise()

    def _raise(self):
        if self.error is not None:
            raise self.error

    def commit(self):
        self.conn.commit()

    def close(self):
        if self.is_alive():
            self.queue.put(None)
            self.join()
        self.conn.close()  # rolls back what was not committed


def run_in_parallel(params, tasks, progress, workers=2):
    """Run each task's SQL in autocommit on ``workers`` connections; raise the first error."""
    tasks = list(tasks)
    lock = threading.Lock()
    errors = []

    def work():
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            while True:
                with lock:
                    if not tasks or errors:
                        return
                    label, statements = tasks.pop(0)
                    progress(label)
                try:
                    for sql in statements:
                        conn.execute(sql)
                except Exception as error:
                    errors.append(error)
                    return

    threads = [threading.Thread(target=work) for _ in range(min(workers, len(tasks)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _copy_value(value):
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        if "\\" in value or "\n" in value or "\t" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\n", "\\n")
                .replace("\t", "\\t")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


FTS5_CONTENT = re.compile(r"""content\s*=\s*['"]?([A-Za-z_][A-Za-z0-9_]*)""", re.IGNORECASE)


class SqliteLoader(_Loader):
    """executemany in one transaction, with no fsync and no foreign-key checks meanwhile."""

    BATCH = 10_000

    def run(self, archive, *, wipe, progress, chunk_size):
        connection = self.connection
        # Both PRAGMAs can only change outside a transaction: inside one that the caller
        # holds (a test), the load runs with the connection's settings.
        pragmas = not connection.in_atomic_block
        if pragmas:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = OFF")
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA temp_store = MEMORY")
                cursor.execute("PRAGMA cache_size = -262144")
        try:
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    self._before(cursor)
                    if wipe:
                        progress("deleting the existing archive")
                        self.delete_archive(cursor)
                for key, rows in archive.reference_rows().items():
                    self.write(self.tables[key], rows)
                    self.counts[key] += len(rows)
                report = _Progress(progress, archive.statements)
                for chunk in archive.chunks(chunk_size):
                    for key, rows in chunk.items():
                        self.write(self.tables[key], rows)
                        self.counts[key] += len(rows)
                    report(self.counts["statement"])
                self._after(progress)
                self.reset_sequences()
        finally:
            if pragmas:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous = NORMAL")
                    cursor.execute("PRAGMA foreign_keys = ON")
                    cursor.execute("PRAGMA temp_store = DEFAULT")
                    cursor.execute("PRAGMA cache_size = -2000")

    def _before(self, cursor):
        placeholders = ", ".join("%s" for _ in self.names)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({placeholders}) ORDER BY name",
            self.names,
        )
        self.indexes = cursor.fetchall()
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%' AND lower(sql) LIKE '%using fts5%'"
        )
        self.fts_tables = cursor.fetchall()
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name IN ({placeholders}) ORDER BY name",
            self.names,
        )
        triggers = cursor.fetchall()
        # Triggers that feed an external-content FTS5 table can rest during the load: one
        # 'rebuild' afterwards reads the content table in a single pass. A table that keeps
        # its own content cannot be rebuilt that way, so its triggers stay and feed it.
        self.rebuildable = [name for name, sql in self.fts_tables if _fts5_content(sql)]
        self.triggers = [
            (name, sql)
            for name, sql in triggers
            if any(re.search(rf"\b{re.escape(fts)}\b", sql) for fts in self.rebuildable)
        ]
        for name, _ in self.triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for name, _ in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def write(self, table, rows):
        if not rows:
            return
        other, defaults = table.other_columns()
        names = (*table.columns, *other)
        columns = ", ".join(f'"{column}"' for column in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
        raw = self.connection.connection
        defaults = tuple(map(_sqlite_value, defaults))
        rows = [tuple(map(_sqlite_value, row)) + defaults for row in rows]
        for start in range(0, len(rows), self.BATCH):
            raw.executemany(sql, rows[start : start + self.BATCH])

    def _after(self, progress):
        with self.connection.cursor() as cursor:
            for name, sql in self.indexes:
                progress(f"building index {name}")
                cursor.execute(sql)
                self.notes.indexes_rebuilt.append(name)
            for _, sql in self.triggers:
                cursor.execute(sql)
            for name, _ in self.fts_tables:
                if name in self.rebuildable:
                    progress(f"rebuilding full-text index {name}")
                    cursor.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
                    self.notes.search_indexes.append(f"FTS5 table {name} rebuilt after the load")
                else:
                    self.notes.search_indexes.append(
                        f"FTS5 table {name} kept up to date by its triggers during the load"
                    )
            progress("analyzing")
            cursor.execute("ANALYZE")


def _fts5_content(sql):
    """The content table of an external-content FTS5 table, or ''."""
    match = FTS5_CONTENT.search(sql)
    return match.group(1) if match else ""


def _sqlite_value(value):
    """As Django stores it: dates as ISO text, aware datetimes as naive UTC text."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
