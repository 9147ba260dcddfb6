"""The helpers that keep a cache-missed search page to a few cheap queries.

- ``among``: a list of ids sent as one parameter, the same rows as ``__in``;
- ``caching.remember_here``: per-process tables (officials' names) that are rebuilt after any
  change to the archive;
- the search page's facets (topics from the lineage the database keeps) and officials named,
  still exact.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import caching, search
from statements.facets import facet_counts
from statements.models import Official, Statement, Topic

from .factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [0, 1, 3, 1200])
def test_among_finds_what_in_finds_with_one_parameter(size):
    statements = [make_statement() for _ in range(3)]
    ids = [s.pk for s in statements][:size] + list(range(10_000_000, 10_000_000 + size - 3))
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Statement.objects.filter(pk__among=ids).values_list("pk", flat=True))
    assert found == sorted(Statement.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert queries[0]["sql"].count("%s") <= 1 and len(queries) == 1


def test_among_works_on_a_foreign_key_and_refuses_what_is_not_a_number():
    topic = make_topic()
    statement = make_statement(topics=[topic])
    links = Statement.topics.through.objects.filter(statement_id__among=[statement.pk])
    assert list(links.values_list("topic_id", flat=True)) == [topic.pk]
    with pytest.raises((TypeError, ValueError)):
        list(Statement.objects.filter(pk__among=["1; DROP TABLE x"]))


def test_what_is_kept_here_is_rebuilt_after_a_change(real_cache):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.remember_here("counter", compute) == 1
    assert caching.remember_here("counter", compute) == 1
    caching.bump()
    assert caching.remember_here("counter", compute) == 2


def test_a_renamed_official_is_named_by_the_next_search(real_cache):
    official = make_official(name="Anna Kessell", slug="anna-kessell")
    assert search.officials_named("kessell", Official.objects) == [official]
    assert search.officials_named("vortrand", Official.objects) == []
    official.name, official.sort_name = "Anna Vortrand", "Vortrand, Anna"
    official.save()
    assert search.officials_named("vortrand", Official.objects) == [
        Official.objects.get(pk=official.pk)
    ]
    assert search.officials_named("kessell", Official.objects) == []


def test_a_query_that_names_nobody_costs_no_query_once_the_names_are_kept(
    real_cache, django_assert_num_queries
):
    make_official(name="Anna Kessell")
    search.officials_named("kessell", Official.objects)
    with django_assert_num_queries(0):
        assert search.officials_named("sanctions ceasefire", Official.objects) == []


def test_a_moved_topic_counts_under_its_new_parent_on_the_next_page(real_cache):
    seas, forests = make_topic(slug="seas"), make_topic(slug="forests")
    quotas = make_topic(slug="quotas", parent=seas)
    make_statement(topics=[quotas])
    counts = {v.value: v.count for v in facet_counts(Statement.objects.all())["topic"]}
    assert counts == {"seas": 1, "quotas": 1}
    quotas.parent = forests
    quotas.save()
    assert set(Topic.objects.below([seas, forests])) == {seas, forests, quotas}
    assert set(Topic.objects.below(seas)) == {seas}
    counts = {v.value: v.count for v in facet_counts(Statement.objects.all())["topic"]}
    assert counts == {"forests": 1, "quotas": 1}
