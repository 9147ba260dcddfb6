"""PostgreSQL: a stored tsvector over the statements' text and translation, with a GIN index.

Migration 0005 adds ``statements_statement.search_vector``, a generated column that the
database itself recomputes whenever a row's text or translation changes, and the function
``statements_search_normalize(text)``: unaccent (through the immutable wrapper a generated
column needs) and ASCII punctuation read as spaces, so that ``Al-Assad`` or ``1.5`` split into
words exactly as SQLite's unicode61 tokenizer splits them. Words are stemmed with the
``english`` configuration.

Each word of the parsed query goes to ``plainto_tsquery`` (phrases to ``phraseto_tsquery``) as
a bound parameter, and the resulting tsqueries are combined with ``&&``, ``||`` and ``!!``:
the reader's text is never parsed as tsquery syntax.

For a bulk load, ``pause_index`` drops the GIN index: built once over the loaded table, it
costs far less than kept up to date row by row.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import BooleanField, F, Func, TextField, Value

from .common import IndexPause, RowExpression
from .query import AnyOf
from .snippets import START, STOP, marked_words, spans_of_words

CONFIG = "english"
VECTOR_COLUMN = "search_vector"
NORMALIZE = "statements_search_normalize"
# ts_rank weights for D, C, B, A: the text is weighted A, its translation B.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# Divide the rank by 1 + log(document length), as bm25 favours shorter matches.
RANK_NORMALIZATION = 1


class IndexColumn(RowExpression):
    """The tsvector column the database keeps, which the model does not declare."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        # The primary key, resolved, knows the table's alias in this query (even inside a
        # subquery, where Django renames it): the vector is a column of that same alias.
        alias = compiler.quote_name_unless_alias(self.pk.alias)
        return f"{alias}.{connection.ops.quote_name(VECTOR_COLUMN)}", []


class Matches(Func):
    """``vector @@ tsquery``, usable directly in ``filter()``."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def normalized(expression):
    return Func(expression, function=NORMALIZE, output_field=TextField())


def _tsquery(term):
    search_type = "phrase" if term.is_phrase else "plain"
    value = normalized(Value(" ".join(term.words)))
    return SearchQuery(value, config=CONFIG, search_type=search_type)


def compile_query(query):
    """A tsquery expression for a parsed Query."""
    parts = [
        reduce(or_, map(_tsquery, part.terms)) if isinstance(part, AnyOf) else _tsquery(part)
        for part in query.required
    ]
    parts.extend(~_tsquery(term) for term in query.excluded)
    return reduce(lambda left, right: left & right, parts)


def candidates(queryset, tsquery, limit=None):
    """The ids of the statements of ``queryset`` that match, found through the GIN index.

    With a ``limit``, only that many (the first the index yields, after the queryset's own
    filters): ranking then scores a bounded set, however common the words. Without one,
    every match, for orders that do not rank (newest first is exact and cheap).
    """
    if limit is None:
        return queryset.model._base_manager.filter(Matches(IndexColumn(), tsquery)).values("pk")
    return queryset.filter(Matches(IndexColumn(), tsquery)).order_by().values("pk")[:limit]


def rank(query):
    # Ranked by the wanted words alone: ts_rank scores a query with !! (NOT) as 0.
    return SearchRank(
        IndexColumn(),
        compile_query(query.positive()),
        weights=WEIGHTS,
        normalization=Value(RANK_NORMALIZATION),
    )


def search(queryset, query, candidate_limit=None, within=None):
    # ``within`` is not needed: the queryset's filters use B-tree indexes alongside the GIN.
    found = candidates(queryset, compile_query(query), candidate_limit)
    return queryset.filter(pk__in=found).annotate(search_rank=rank(query))


def first_matches(queryset, query, within=None):
    """Matches in the order the GIN index yields them, ``ts_rank`` computed per row read."""
    return queryset.filter(Matches(IndexColumn(), compile_query(query))).annotate(
        search_rank=rank(query)
    )


def match_spans(statements, query):
    """{pk: spans of the statement's text that match}, from ts_headline.

    ts_headline reads the normalized text (the one indexed), so it reports which words
    matched; those words are then found in the original text, accents and all.
    """
    statements = list(statements)
    if not statements:
        return {}
    model = type(statements[0])
    headline = SearchHeadline(
        normalized(F("text")),
        compile_query(query.positive()),
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        highlight_all=True,
    )
    marked = dict(
        model._base_manager.filter(pk__in=[s.pk for s in statements])
        .annotate(marked=headline)
        .values_list("pk", "marked")
    )
    return {
        statement.pk: spans_of_words(statement.text, marked_words(marked.get(statement.pk)))
        for statement in statements
        if statement.pk in marked
    }


def pause_index(cursor, tables):
    """Drop the GIN indexes of ``tables`` over a tsvector (a column or ``to_tsvector()``)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND i.indexdef ILIKE '%% USING gin %%'
          AND (
            i.indexdef ILIKE '%%to_tsvector%%'
            OR EXISTS (
              SELECT 1 FROM information_schema.columns c
              WHERE c.table_schema = i.schemaname AND c.table_name = i.tablename
                AND c.data_type = 'tsvector'
                AND i.indexdef LIKE '%%(' || c.column_name || ')%%'
            )
          )
        ORDER BY i.indexname
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    if indexes:
        cursor.execute("DROP INDEX " + ", ".join(f'"{name}"' for name, _ in indexes))
    return IndexPause(
        steps=[(f"building index {name}", [sql]) for name, sql in indexes],
        notes=[
            f"full-text GIN index {name} dropped during the load and rebuilt" for name, _ in indexes
        ],
        indexes=indexes,
    )
