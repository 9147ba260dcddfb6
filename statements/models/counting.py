"""Counts of published statements per row, computed for the rows a query returns only."""

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from .statements import Statement, StatementStatus


def published_statements_count(field):
    """How many published statements have the outer row as their ``field``.

    A correlated subquery, not a join with GROUP BY: a page of 30 meetings or articles counts
    the statements of those 30 through the foreign key's index, where the grouped join
    counted every row's statements before the page was cut.
    """
    counted = (
        Statement.objects.filter(**{field: OuterRef("pk")}, status=StatementStatus.PUBLISHED)
        .order_by()
        .values(field)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=models.IntegerField())
