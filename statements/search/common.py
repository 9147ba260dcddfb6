"""What the search interface and both engines share: the filters' promise (``Scope``), a
full-text index set aside for a bulk load (``IndexPause``) and the base of the engines'
per-row expressions (``RowExpression``).

Kept apart from ``search/__init__`` so that the engines import these without importing the
package that chooses between them.
"""

from dataclasses import dataclass, field

from django.db.models import Expression, F


@dataclass(frozen=True)
class Scope:
    """What the filters applied to a searched queryset already require, in plain values.

    A promise, not a filter: every statement the queryset can return has one of these
    speakers (when any are given), one of these meetings (idem) and a ``said_on`` whose year
    lies in ``years`` (when given). An engine may use it to narrow the index's matches to
    that superset before the queryset's own filters run; it must never be narrower.
    """

    speaker_ids: frozenset[int] = frozenset()
    meeting_ids: frozenset[int] = frozenset()
    years: range | None = None


@dataclass
class IndexPause:
    """The full-text index set aside for a bulk load, and how to build it again.

    ``steps`` are ``(label, [sql])``: run them once the rows are in, in order on the load's
    connection, or each on a connection of its own (they do not depend on one another).
    ``notes`` say what was done, for a summary. SQLite fills ``tables`` (the FTS5 tables to
    rebuild) and ``triggers`` (``(name, sql)`` set aside); PostgreSQL fills ``indexes``.
    """

    steps: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    triggers: list = field(default_factory=list)
    indexes: list = field(default_factory=list)


class RowExpression(Expression):
    """An engine's expression about one row of the statements table, given by its primary key.

    The key is kept as a source expression, so that Django resolves it to the table's alias in
    the query at hand (inside a subquery too, where the alias is renamed).
    """

    def __init__(self, pk=None):
        super().__init__()
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs


__all__ = ["IndexPause", "RowExpression", "Scope"]
