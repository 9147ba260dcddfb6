"""Keyword search over statements: the one place that knows each engine's full-text features.

Engine-specific by nature (FTS5 and tsvector share neither syntax nor index), so the choice of
engine is made here once, and nothing outside search/ writes full-text SQL. (The others that
know the engine: ``statements.tallies``, whose triggers are written in each dialect, and the
bulk writer.)

The interface (views, filters and the API call only these):

- ``search(queryset, text)``: the statements of ``queryset`` that match the reader's query,
  annotated with ``search_rank`` (higher is more relevant). Never raises on user input; a
  query with nothing to search for (only punctuation, only exclusions) matches nothing.
  With ``candidate_limit``, only that many matches are kept (the first the index yields):
  what a page sorted by relevance needs, since scoring every match of a common word is the
  cost. Relevance is then approximate for queries with more matches than the limit.
  With ``within`` (a ``Scope``), the engine may narrow its matches to what the queryset's own
  filters allow anyway (SQLite does, through filter terms in its index); the queryset's
  filters stay the authority.
- ``first_matches(queryset, text, within=None)``: the same matches, each with
  ``search_rank``, in the order the index yields them, for the caller to slice:
  ``first_matches(qs, text)[:1001]`` reads and scores 1,001 matches in one pass over the
  index, however common the words, where
  ``search()`` finds the candidates first and scores them in a second step. The lists of the
  public pages sort such a slice by rank themselves (``StatementFilter.first_rows``).
- ``highlight(statements, text)``: ``{pk: safe HTML snippet with <mark>}`` for a page of
  statements, built so that the statement's own text is always escaped.
- ``officials_named(text, officials)``: of ``officials`` (``Official.objects``), those whose
  name or other spelling the query contains. search/ imports no model: the models call it.

The query is parsed once (``query.parse``) into a small tree; the engine chosen here compiles
it: FTS5 on SQLite (``sqlite.py``), a tsvector on PostgreSQL (``postgres.py``). The indexes
themselves are created by migrations 0005 and 0006 and kept by the database. See docs/search.md.

For a bulk load (``statements.bulk``), ``pause_index(cursor, tables)`` sets aside what feeds
the index row by row from these tables; the ``IndexPause`` it returns says how to rebuild the
index once, from the loaded rows.
"""

import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import FloatField, Value

from . import officials as officials_module
from .common import IndexPause as IndexPause
from .common import Scope
from .query import parse
from .snippets import render

HIGHLIGHT_BATCH = 500
# How many matches a list sorted by relevance ranks: one more than the capped count shows
# (paging.COUNT_CAP), so that the same candidates give the count, the facets and the order.
RANKED_CANDIDATES = 1001


def pause_index(cursor, tables):
    """Set aside what keeps the full-text index of ``tables`` in step, row by row.

    Found in the database's catalogue, so that an index or trigger a later migration adds is
    handled too. Returns the ``IndexPause`` whose steps rebuild it.
    """
    return engine().pause_index(cursor, list(tables))


@functools.cache
def engine():
    """The search module for the database in use, chosen once."""
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    if connection.vendor == "sqlite":
        from . import sqlite

        return sqlite
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")


def search(queryset, text, *, candidate_limit=None, within=None):
    query = parse(text)
    if query is None:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    return engine().search(queryset, query, candidate_limit, within or Scope())


def first_matches(queryset, text, *, within=None):
    query = parse(text)
    if query is None:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    return engine().first_matches(queryset.order_by(), query, within or Scope())


def highlight(statements, text):
    statements = list(statements)
    query = parse(text)
    spans = {}
    if query is not None:
        for start in range(0, len(statements), HIGHLIGHT_BATCH):
            spans.update(engine().match_spans(statements[start : start + HIGHLIGHT_BATCH], query))
    return {
        statement.pk: render(statement.text, spans.get(statement.pk, ()))
        for statement in statements
    }


def officials_named(text, officials):
    return officials_module.officials_named(parse(text), officials)
