"""SQLite's full-text index row of a statement, declared so that a search can join it.

Here and not in ``statements/search/`` only because Django loads every model from
``statements.models``, and search/ reads the models: the SQL that uses it (MATCH, bm25) is in
``statements/search/sqlite.py``.

``statements_statement_fts`` is an FTS5 table kept by the database (migrations 0005 and
0006). It is not Django's to create or change (``managed = False``): the model only lets a
statement query join the index on its rowid, so that one scan of the index yields the
matching statements *and* their bm25 scores and can stop after the first few hundred. A
subquery (``id IN (SELECT rowid ... MATCH ...)``) has to collect every match first, and a
correlated score looks the query up again for every row.

On PostgreSQL the table does not exist and nothing reads it: the relation is never followed
there (``DO_NOTHING``, no constraint, no reverse accessor used outside the SQLite engine).
"""

from django.db import models


class StatementIndexEntry(models.Model):
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
    document = models.Field(db_column="statements_statement_fts")

    class Meta:
        managed = False
        db_table = "statements_statement_fts"

    def __str__(self):
        return f"index entry of statement {self.statement_id}"
