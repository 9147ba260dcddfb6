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

from . import caching
from .models import Official, Statement, Topic

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
    most frequent values, ties in name order. Three queries, whatever the list's length: the
    officials' names, the statements' topics and the topic tree (one more for a queryset;
    the tree is cached until the archive changes).
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
            value("topic", topic.slug, topic.name, n)
            for topic, n in _topic_counts([row.pk for row in rows], limit)
        ],
        "year": [
            value("year", year, str(year), n) for year, n in sorted(years.items(), reverse=True)
        ],
        "kind": [
            value("kind", kind, kind_labels.get(kind, kind), n)
            for kind, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


@dataclass(frozen=True)
class TopicNode:
    name: str
    slug: str
    covers: frozenset  # its own pk and its ancestors' pks: what a statement on it counts for


def topic_tree():
    """{pk: TopicNode} for every topic, cached until the archive changes (hundreds of topics)."""

    def compute():
        rows = {
            pk: (name, slug, parent)
            for pk, name, slug, parent in Topic.objects.values_list(
                "pk", "name", "slug", "parent_id"
            )
        }
        tree = {}
        for pk, (name, slug, _parent) in rows.items():
            covers, topic_id = set(), pk
            while topic_id is not None and topic_id not in covers and topic_id in rows:
                covers.add(topic_id)
                topic_id = rows[topic_id][2]
            tree[pk] = TopicNode(name, slug, frozenset(covers))
        return tree

    return caching.remember_here("topic-tree", compute)


def _topic_counts(statement_ids, limit):
    """[(topic node, statements on it or below it)], most frequent first, ties by name."""
    if not statement_ids:
        return []
    pairs = Statement.topics.through.objects.filter(statement_id__among=statement_ids)
    topics_of = {}
    for statement_id, topic_id in pairs.values_list("statement_id", "topic_id"):
        topics_of.setdefault(statement_id, set()).add(topic_id)
    if not topics_of:
        return []
    tree = topic_tree()
    counts = Counter()
    for filed_under in topics_of.values():
        counts.update(frozenset().union(*(tree[pk].covers for pk in filed_under if pk in tree)))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], tree[item[0]].name))
    return [(tree[pk], n) for pk, n in ranked[:limit]]
