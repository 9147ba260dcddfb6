"""Facet counts beside a list of statements: by official, topic, year and kind.

Each value carries the filter parameter and value that a link adds to the current query.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import Official, Statement, Topic


@dataclass(frozen=True)
class FacetValue:
    param: str
    value: str
    label: str
    count: int


def facet_counts(queryset, *, limit=10):
    """Counts within ``queryset`` (already filtered and searched), most frequent first."""
    ids = queryset.order_by().values("pk")
    base = Statement.objects.filter(pk__in=ids).order_by()

    speakers = list(
        base.values("speaker").annotate(n=Count("pk", distinct=True)).order_by("-n")[:limit]
    )
    officials = Official.objects.in_bulk([row["speaker"] for row in speakers])
    topics_rows = list(
        base.filter(topics__isnull=False)
        .values("topics")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")[:limit]
    )
    topics = Topic.objects.in_bulk([row["topics"] for row in topics_rows])
    years = base.annotate(year=ExtractYear("said_on")).values("year").annotate(n=Count("pk"))
    kinds = base.values("kind").annotate(n=Count("pk")).order_by("-n")
    kind_labels = dict(Statement.Kind.choices)
    return {
        "official": [
            FacetValue(
                "official", officials[r["speaker"]].slug, officials[r["speaker"]].name, r["n"]
            )
            for r in speakers
        ],
        "topic": [
            FacetValue("topic", topics[r["topics"]].slug, topics[r["topics"]].name, r["n"])
            for r in topics_rows
        ],
        "year": [
            FacetValue("year", str(r["year"]), str(r["year"]), r["n"])
            for r in sorted(years, key=lambda r: -r["year"])
        ],
        "kind": [FacetValue("kind", r["kind"], kind_labels[r["kind"]], r["n"]) for r in kinds],
    }
