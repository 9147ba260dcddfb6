"""Facet counts beside a list of statements: by official, topic, year and kind.

Each value carries the filter parameter and value that a link adds to the current query, and
its count is what that link then finds (a topic counts the statements on it or on any topic
below it, as the ``topic`` filter does).

Counting is bounded: the counts are taken over at most ``max_statements`` statements of the
list, whatever its size: its first ones, in the list's order, when the list comes as the rows
a page has already read (``StatementFilter.first_rows``). When the list is longer, each count
is a lower bound and says so (``lower_bound``), like a "1,000+" total.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from .models import Official, Statement, TopicLineage

MAX_STATEMENTS = 1000


@dataclass(frozen=True)
class FacetValue:
    param: str
    value: str
    label: str
    count: int
    lower_bound: bool = False


def facet_counts(statements, *, limit=10, max_statements=MAX_STATEMENTS):
    """Counts within ``statements``, most frequent first.

    ``statements`` is a queryset (already filtered and searched) or a list of rows with
    ``pk``, ``speaker_id``, ``said_on`` and ``kind`` (``StatementFilter.first_rows``). Years
    come newest first and are not cut to ``limit``; the other facets keep their ``limit``
    most frequent values, ties in name order. Two queries, whatever the list's length: the
    officials' names and the topics the statements reach (one more for a queryset).
    """
    if hasattr(statements, "values_list"):
        statements = statements.order_by().values_list(
            "pk", "speaker_id", "said_on", "kind", named=True
        )[: max_statements + 1]
    rows = list(statements)
    lower_bound = len(rows) > max_statements
    rows = rows[:max_statements]

    def value(param, key, label, count):
        return FacetValue(param, str(key), label, count, lower_bound)

    speakers = Counter(row.speaker_id for row in rows)
    ranked_speakers = Official.objects.only("name", "slug").top_by_count(
        speakers, limit, ties=("name", "slug")
    )
    years = Counter(row.said_on.year for row in rows)
    kinds = Counter(row.kind for row in rows)
    kind_labels = dict(Statement.Kind.choices)
    return {
        "official": [
            value("official", official.slug, official.name, official.published_count)
            for official in ranked_speakers
        ],
        "topic": [
            value("topic", slug, name, n)
            for slug, name, n in _topic_counts([row.pk for row in rows], limit)
        ],
        "year": [
            value("year", year, str(year), n) for year, n in sorted(years.items(), reverse=True)
        ],
        "kind": [
            value("kind", kind, kind_labels.get(kind, kind), n)
            for kind, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def _topic_counts(statement_ids, limit):
    """[(slug, name, statements on it or below it)], most frequent first, ties by name.

    One grouped query over the topic links and the lineage (``TopicLineage``): each link
    reaches its topic and every topic above it, and a statement counts once per topic
    however many of its links reach it.
    """
    if not statement_ids:
        return []
    reached = (
        TopicLineage.objects.filter(topic__statements__pk__among=statement_ids)
        .values("ancestor_id")
        .annotate(n=Count("topic__statements", distinct=True))
        .order_by("-n", "ancestor__name", "ancestor__slug")
    )
    return list(reached.values_list("ancestor__slug", "ancestor__name", "n")[:limit])
