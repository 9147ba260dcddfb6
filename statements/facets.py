"""Facet counts beside a list of statements: by official, topic, year and kind.

Each value carries the filter parameter and value that a link adds to the current query, and
its count is what that link then finds (a topic counts the statements on it or on any topic
below it, as the ``topic`` filter does).

Counting is bounded: the counts are taken over at most ``max_statements`` statements of the
list, whatever its size. When the list is longer, each count is a lower bound and says so
(``lower_bound``), like a "1,000+" total.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import Statement, Topic

MAX_STATEMENTS = 1000


@dataclass(frozen=True)
class FacetValue:
    param: str
    value: str
    label: str
    count: int
    lower_bound: bool = False


def facet_counts(queryset, *, limit=10, max_statements=MAX_STATEMENTS):
    """Counts within ``queryset`` (already filtered and searched), most frequent first.

    Years come newest first and are not cut to ``limit``; the other facets keep their
    ``limit`` most frequent values, ties in name order.
    """
    # The counted statements as a subquery, not a list of ids: a thousand bound parameters
    # in each of four queries cost more (in Django and in the driver) than the database
    # takes to find them again.
    ids = queryset.order_by().values("pk")[:max_statements]
    lower_bound = queryset.order_by().values("pk")[max_statements : max_statements + 1].exists()
    base = Statement.objects.filter(pk__in=ids).order_by()

    def value(param, key, label, count):
        return FacetValue(param, str(key), label, count, lower_bound)

    speakers = (
        base.values("speaker__slug", "speaker__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker__name", "speaker__slug")[:limit]
    )
    years = (
        base.annotate(year=ExtractYear("said_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    kinds = base.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    kind_labels = dict(Statement.Kind.choices)
    return {
        "official": [
            value("official", r["speaker__slug"], r["speaker__name"], r["n"]) for r in speakers
        ],
        "topic": [
            value("topic", topic.slug, topic.name, n) for topic, n in _topic_counts(ids, limit)
        ],
        "year": [value("year", r["year"], str(r["year"]), r["n"]) for r in years],
        "kind": [
            value("kind", r["kind"], kind_labels.get(r["kind"], r["kind"]), r["n"]) for r in kinds
        ],
    }


def _topic_counts(statement_ids, limit):
    """[(topic, statements on it or below it)], most frequent first, ties by name."""
    pairs = Statement.topics.through.objects.filter(statement_id__in=statement_ids).values_list(
        "statement_id", "topic_id"
    )
    topics_of = {}
    for statement_id, topic_id in pairs:
        topics_of.setdefault(statement_id, set()).add(topic_id)
    if not topics_of:
        return []
    # Topics number in the hundreds: one pass over the tree is cheaper than a recursive CTE.
    topics = Topic.objects.only("pk", "name", "slug", "parent_id").in_bulk()
    counts = Counter()
    for filed_under in topics_of.values():
        covered = set()
        for topic_id in filed_under:
            seen = set()
            while topic_id is not None and topic_id not in seen:
                seen.add(topic_id)
                topic_id = topics[topic_id].parent_id if topic_id in topics else None
            covered |= seen
        counts.update(covered & topics.keys())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], topics[item[0]].name))
    return [(topics[pk], n) for pk, n in ranked[:limit]]
