"""PostgreSQL: COPY, on several connections when it can, into tables stripped of their indexes.

The statements table carries a generated tsvector column whose computation is the largest
cost of a load, and one COPY runs on one core: so ``Loader`` sends the chunks of articles and
statements to ``WORKERS`` connections in threads while its own thread makes the next chunk,
then builds the indexes two at a time (the GIN index first), checks the foreign keys and
runs ANALYZE. The workers commit only after everything has loaded; on any error all of them
roll back and what was dropped is put back.

Inside a transaction the caller holds (a test, a shell), other connections could not see its
rows and would wait on its locks: then everything runs on that one connection.
"""

import datetime
import queue
import threading

import psycopg
from django.db import connection, transaction

from . import loading

BYTE_ORDER = "C"


class SetAside(loading.SetAside):
    def find_indexes(self, cursor):
        """Indexes that no constraint owns (those of primary keys and UNIQUE stay)."""
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
              AND (%s OR NOT x.indisunique)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [self.tables, self.unique],
        )
        return cursor.fetchall()

    def find_foreign_keys(self, cursor):
        cursor.execute(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class r ON r.oid = c.confrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s)
              AND t.relnamespace = current_schema()::regnamespace
              AND (%s::text[] IS NULL OR r.relname = ANY(%s::text[]))
            ORDER BY t.relname, c.conname
            """,
            [self.tables, self.foreign_keys_to, self.foreign_keys_to],
        )
        return cursor.fetchall()

    def drop_found(self, cursor):
        if self.foreign_keys:
            # Within a larger transaction, checks may be waiting on these tables.
            run_deferred_checks(cursor)
        for table, keys in loading.by_table(self.foreign_keys).items():
            drops = ", ".join(f'DROP CONSTRAINT "{name}"' for name, _ in keys)
            cursor.execute(f'ALTER TABLE "{table}" {drops}')
        if self.indexes:
            cursor.execute("DROP INDEX " + ", ".join(f'"{name}"' for name, _ in self.indexes))

    def rebuild(self, cursor, progress=loading.quiet):
        # Neither a foreign key nor an index can be added to a table whose rows still have
        # deferred checks waiting (those of the keys kept): run them now.
        run_deferred_checks(cursor)
        super().rebuild(cursor, progress)


def run_deferred_checks(cursor):
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def take_ids(table, count):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [f'"{table}"', count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def write_rows(table, columns, rows):
    with connection.cursor() as cursor, cursor.copy(_copy_sql(table, columns)) as copy:
        write_row = copy.write_row  # psycopg formats the row in C, escaping included
        for row in rows:
            write_row(row)


def _copy_sql(table, columns):
    names = ", ".join(f'"{column}"' for column in columns)
    return f'COPY "{table}" ({names}) FROM STDIN'


def begin_snapshot():
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


class Loader(loading.Loader):
    """COPY into tables stripped of secondary indexes and foreign keys."""

    SetAside = SetAside
    WORKERS = 2

    def run(self, source, *, wipe, progress, chunk_size):
        self.parallel = not connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            self.set_aside.drop(cursor)
            if wipe:
                progress("deleting the existing archive")
                quoted = ", ".join(f'"{name}"' for name in wipe)
                # Checks deferred by the caller's own transaction would forbid the TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        try:
            self._load(source, progress, chunk_size)
        finally:
            self._restore(progress)
        self.reset_sequences()

    def _load(self, source, progress, chunk_size):
        params = connection.get_connection_params()
        workers = [_CopyWorker(params) for _ in range(self.WORKERS if self.parallel else 0)]
        report = loading.Progress(progress, source.statements)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for key, rows in source.reference_rows().items():
                        _copy_payload(cursor, [self._payload(key, rows)])
                        self.counts[key] += len(rows)
                for number, chunk in enumerate(source.chunks(chunk_size)):
                    payload = []
                    for key, rows in chunk.items():
                        payload.append(self._payload(key, rows))
                        self.counts[key] += len(rows)
                    if workers:
                        workers[number % len(workers)].send(payload)
                    else:
                        with connection.cursor() as cursor:
                            _copy_payload(cursor, payload)
                    report(self.counts["statement"])
                for worker in workers:
                    worker.finish()
                progress("committing")
                for worker in workers:
                    worker.commit()
        finally:
            for worker in workers:
                worker.close()

    def _payload(self, key, rows):
        """``(table, columns, text)``: the rows in COPY's text format, made in this thread."""
        table = self.tables[key]
        other, defaults = table.other_columns()
        tail = "".join("\t" + _copy_value(value) for value in defaults) + "\n"
        text = "".join("\t".join(map(_copy_value, row)) + tail for row in rows)
        return table.name, (*table.columns, *other), text

    def _restore(self, progress):
        """Indexes in parallel on two connections (the GIN index first), then foreign keys."""
        aside = self.set_aside
        self._run(aside.index_steps(), progress)
        self._run(aside.foreign_key_steps(), progress, workers=1)
        self._run([(f"analyzing {name}", [f'ANALYZE "{name}"']) for name in self.names], progress)
        aside.note(self.notes)

    def _run(self, tasks, progress, workers=2):
        if self.parallel:
            _run_in_parallel(connection.get_connection_params(), tasks, progress, workers)
            return
        with connection.cursor() as cursor:
            for label, statements in tasks:
                progress(label)
                for sql in statements:
                    cursor.execute(sql)


def _copy_payload(cursor, payload):
    """COPY each ``(table, columns, text)`` of the payload."""
    for table, columns, text in payload:
        if text:
            with cursor.copy(_copy_sql(table, columns)) as copy:
                copy.write(text)


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
                    _copy_payload(cursor, payload)
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


def _run_in_parallel(params, tasks, progress, workers=2):
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
