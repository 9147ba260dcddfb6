"""SQLite: an FTS5 index over the statements' text and translation.

``statements_statement_fts`` is an external-content FTS5 table (tokenizer ``porter unicode61
remove_diacritics 2``: English stemming, case and accents folded). Triggers created by
migrations 0005 and 0006 keep it in step with every insert, update and delete, however they
are made (``save()``, ``QuerySet.update()``, ``bulk_create()``, raw SQL).

Every word of the parsed query is written as an FTS5 string (``"word"`` or ``"two words"``),
so nothing the reader typed is read as FTS5 syntax, and the reader's expression is confined
to the ``text`` and ``translation`` columns.

The third column, ``tags``, holds filter terms (``spk<speaker id> y<year> mtg<meeting id>``,
migration 0006). FTS5 cannot use the table's B-tree indexes, so a search with a speaker or
date filter would walk every text match before the filter applies; with a ``Scope`` the
match also requires the terms (``... AND tags : ("spk12" OR "spk40")``), a superset of what
the queryset's own filters keep, which still apply.

For a bulk load, ``pause_index`` drops the triggers that feed an external-content FTS5 table:
one ``'rebuild'`` afterwards reads the content in a single pass, where the triggers would
update the index row by row.
"""

import re

from django.db import connection, models
from django.db.models import BooleanField, F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

from .common import IndexPause, RowExpression
from .query import AnyOf
from .snippets import START, STOP, spans_from_marked

INDEX = "statements_statement_fts"
# bm25 weights per indexed column: the words as said count more than their translation;
# the filter terms count for nothing.
COLUMN_WEIGHTS = "1.0, 0.5, 0.0"
TEXT_COLUMNS = "{text translation}"
# Beyond these, a filter term would narrow too little to pay for its OR.
MAX_YEAR_TERMS = 30
MAX_ID_TERMS = 100


class StatementIndexEntry(models.Model):
    """A statement's row in the FTS5 index, declared so that a search can join it.

    ``statements_statement_fts`` is kept by the database (migrations 0005 and 0006); it is
    not Django's to create or change (``managed = False``): the model only lets a statement
    query join the index on its rowid, so that one scan of the index yields the matching
    statements *and* their bm25 scores and can stop after the first few hundred. A subquery
    (``id IN (SELECT rowid ... MATCH ...)``) has to collect every match first, and a
    correlated score looks the query up again for every row.

    Imported by ``statements.models``, where Django looks for the app's models. On
    PostgreSQL the table does not exist and nothing reads it: the relation is never followed
    there (``DO_NOTHING``, no constraint, no reverse accessor used outside this engine).
    """

    statement = models.OneToOneField(
        "statements.Statement",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    # FTS5's hidden column named after the table: the left-hand side of MATCH and of bm25().
    # A plain Field: it has no type of its own, and the model creates nothing.
    document = models.Field(db_column=INDEX)

    class Meta:
        app_label = "statements"
        managed = False
        db_table = INDEX

    def __str__(self):
        return f"index entry of statement {self.statement_id}"


def _string(term):
    return '"' + " ".join(term.words).replace('"', '""') + '"'


def _part(part):
    if isinstance(part, AnyOf):
        return "(" + " OR ".join(_string(term) for term in part.terms) + ")"
    return _string(part)


def _any_tag(terms):
    return "tags : (" + " OR ".join(f'"{term}"' for term in terms) + ")"


def scope_terms(scope):
    """FTS5 conditions on the ``tags`` column that every statement in ``scope`` meets."""
    conditions = []
    if scope is None:
        return conditions
    for prefix, ids in (("spk", scope.speaker_ids), ("mtg", scope.meeting_ids)):
        if 0 < len(ids) <= MAX_ID_TERMS:
            conditions.append(_any_tag(f"{prefix}{int(pk)}" for pk in sorted(ids)))
    years = scope.years
    if years is not None and 0 < len(years) <= MAX_YEAR_TERMS:
        conditions.append(_any_tag(f"y{year:04d}" for year in years))
    return conditions


def compile_query(query, scope=None):
    """The FTS5 MATCH expression for a parsed Query, narrowed to a Scope when given."""
    expression = " AND ".join(_part(part) for part in query.required)
    if query.excluded:
        excluded = " OR ".join(_string(term) for term in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return " AND ".join([f"{TEXT_COLUMNS} : ({expression})", *scope_terms(scope)])


def candidates(queryset, match, limit=None):
    """The ids of the statements of ``queryset`` that match, found by the index.

    With a ``limit``, only that many (the first the index yields, after the queryset's own
    filters): bm25 then scores a bounded set, however common the words. Without one, every
    match, for orders that do not rank.
    """
    found = RawSQL(f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s", [match])
    if limit is None:
        return found
    return queryset.filter(pk__in=found).order_by().values("pk")[:limit]


class Rank(RowExpression):
    """bm25 relevance of the outer row (higher is better), looked up by rowid in the index.

    The scores of every match are computed once per query (a MATERIALIZED CTE, which SQLite
    indexes automatically on rowid) and each row looks its own up. Asking FTS5 for one rowid
    at a time (``MATCH ? AND rowid = ?``) re-runs the query per row: 300 ms for 2,000 rows
    at 100,000 statements, against 20 ms this way.
    """

    output_field = FloatField()

    def __init__(self, match, pk=None):
        super().__init__(pk)
        self.match = match

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        sql = (
            f"(WITH search_scores AS MATERIALIZED (SELECT rowid AS id, "
            f"-bm25({INDEX}, {COLUMN_WEIGHTS}) AS score FROM {INDEX} WHERE {INDEX} MATCH %s) "
            f"SELECT score FROM search_scores WHERE search_scores.id = {pk_sql})"
        )
        return sql, [self.match, *pk_params]


class Matches(Func):
    """``document MATCH 'fts5 expression'`` on the joined index row, usable in ``filter()``.

    The FTS5 table's hidden column named after the table (``StatementIndexEntry.document``)
    is the left-hand side; the expression is a bound parameter.
    """

    template = "%(expressions)s"
    arg_joiner = " MATCH "
    output_field = BooleanField()


class Score(Func):
    """bm25 relevance (higher is better) of the index row joined in the same query."""

    template = f"-bm25(%(expressions)s, {COLUMN_WEIGHTS})"
    output_field = FloatField()


def search(queryset, query, candidate_limit=None, within=None):
    match = compile_query(query, within)
    found = candidates(queryset, match, candidate_limit)
    return queryset.filter(pk__in=found).annotate(search_rank=Rank(match))


def first_matches(queryset, query, within=None):
    """Matches in the order FTS5 yields them, each scored as it is read.

    The statements are joined to their index rows (``StatementIndexEntry``), so SQLite walks
    the index and looks each match up by primary key: a slice stops the walk, and bm25 is
    computed for the rows read only.
    """
    match = compile_query(query, within)
    document = F("search_entry__document")
    # ``isnull=False`` makes the join an inner one: FTS5 refuses MATCH across an outer join.
    return (
        queryset.filter(search_entry__isnull=False)
        .filter(Matches(document, Value(match)))
        .annotate(search_rank=Score(document))
    )


def match_spans(statements, query):
    """{pk: spans of the statement's text that match}, from FTS5's highlight()."""
    texts = {statement.pk: statement.text for statement in statements}
    if not texts:
        return {}
    match = compile_query(query.positive())
    placeholders = ", ".join(["%s"] * len(texts))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, highlight({INDEX}, 0, %s, %s) FROM {INDEX} "
            f"WHERE {INDEX} MATCH %s AND rowid IN ({placeholders})",
            [START, STOP, match, *texts],
        )
        rows = cursor.fetchall()
    return {pk: spans_from_marked(texts[pk], marked) for pk, marked in rows}


# An external-content FTS5 table names its content table (or view); content='' names none.
FTS5_CONTENT = re.compile(r"""content\s*=\s*['"]?([A-Za-z_][A-Za-z0-9_]*)""", re.IGNORECASE)


def pause_index(cursor, tables):
    """Drop the triggers on ``tables`` that feed an external-content FTS5 table.

    A table that keeps its own content cannot be rebuilt from elsewhere: its triggers stay
    and feed it during the load.
    """
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%' AND lower(sql) LIKE '%using fts5%' ORDER BY name"
    )
    fts_tables = cursor.fetchall()
    rebuildable = [name for name, sql in fts_tables if FTS5_CONTENT.search(sql)]
    marks = ", ".join("%s" for _ in tables)
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tables,
    )
    triggers = cursor.fetchall()
    pause = IndexPause()
    for fts in rebuildable:
        named = re.compile(rf"\b{re.escape(fts)}\b")
        feeding = [(name, sql) for name, sql in triggers if named.search(sql)]
        if not feeding:
            continue
        triggers = [trigger for trigger in triggers if trigger not in feeding]
        pause.tables.append(fts)
        pause.triggers.extend(feeding)
        pause.steps.append(
            (
                f"rebuilding full-text index {fts}",
                [
                    *(sql for _, sql in feeding),
                    f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
                ],
            )
        )
    for name, _ in pause.triggers:
        cursor.execute(f'DROP TRIGGER "{name}"')
    pause.notes = [
        f"FTS5 table {name} rebuilt after the load"
        if name in pause.tables
        else f"FTS5 table {name} kept up to date by its triggers during the load"
        for name, _ in fts_tables
    ]
    return pause
