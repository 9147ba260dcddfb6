"""Many rows in or out at once: the one place that writes rows in bulk.

``generate_corpus`` (``load``), ``import_archive`` and ``restore_archive``, which imports
(``take_ids``, ``write_rows``, ``set_aside``), write their rows here; ``export_archive`` reads
the whole archive through ``snapshot`` and ``byte_order``.

Why this package knows the database engine: the fast way to move many rows is not the same on
each, and the difference is the whole point. PostgreSQL takes COPY (psycopg's
``cursor.copy()``) on several connections at once, hands out primary keys from sequences, and
rebuilds an index or checks a foreign key in one pass over a loaded table. SQLite takes large
``executemany`` batches in one transaction (with the load PRAGMAs, outside a caller's
transaction), and ids past the largest.
The indexes and foreign keys to set aside are found in each engine's own catalogue
(``pg_index``/``pg_constraint``, ``sqlite_master``), so that those a later migration adds are
handled without this package knowing their names. Reading the archive out needs a consistent
snapshot and a byte-by-byte order, which each engine asks for in its own words.

What it leaves to their owners: the full-text index sets itself aside and is rebuilt through
``search.pause_index``; the published tallies pause and recount through ``tallies.paused``.
``loading`` holds what every engine does the same way; ``postgres`` and ``sqlite`` the rest.
"""

import contextlib
import functools
import importlib

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Collate

from statements import tallies

from .loading import quiet

# The module of this package that does the work on each database engine.
ENGINES = {"postgresql": "postgres", "sqlite": "sqlite"}


@functools.cache
def engine():
    """The bulk module for the database in use, chosen once."""
    if connection.vendor not in ENGINES:
        raise NotImplementedError(
            f"Bulk loads support {', '.join(ENGINES)}, not {connection.vendor}."
        )
    return importlib.import_module(f"{__name__}.{ENGINES[connection.vendor]}")


def load(tables, source, *, reason, wipe=(), progress=quiet, chunk_size=20_000):
    """Fill ``tables`` (``{key: table}``) from ``source``, as fast as the engine allows.

    ``source.reference_rows()`` gives ``{key: rows}`` written first, ``source.chunks(size)``
    the rest in chunks, ``source.statements`` how many statements to expect (for progress).
    A table has ``name``, ``model``, ``columns`` (of its rows) and ``other_columns()``
    (``(columns, values)`` the rows leave out). The tables named in ``wipe`` are emptied
    first. Indexes, foreign keys and the full-text index are set aside and rebuilt; the
    tallies pause meanwhile and are recounted. Returns the loader: its ``counts`` and
    ``notes``.
    """
    loader = engine().Loader(tables)
    # The tallies' triggers rest during the load (its COPY workers would queue on them).
    with tallies.paused(reason, progress=progress):
        loader.run(source, wipe=list(wipe), progress=progress, chunk_size=chunk_size)
    return loader


def set_aside(tables, *, unique=True, keep_columns=(), foreign_keys_to=None):
    """A ``SetAside`` of ``tables`` for this engine (see ``loading.SetAside``)."""
    return engine().SetAside(
        tables, unique=unique, keep_columns=keep_columns, foreign_keys_to=foreign_keys_to
    )


def take_ids(table, count):
    """``count`` new primary keys for ``table``, that no other writer will take."""
    return engine().take_ids(table, count)


def write_rows(table, columns, rows):
    """Insert ``rows`` (tuples in the order of ``columns``, values as the engine stores them)."""
    engine().write_rows(table, columns, rows)


@contextlib.contextmanager
def snapshot():
    """A transaction that reads the archive as it was when it began, while others write."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            engine().begin_snapshot()
        yield


def byte_order(name):
    """Order by a text column byte by byte on every engine, whatever the database locale."""
    return Collate(F(name), engine().BYTE_ORDER)
