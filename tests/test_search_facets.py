"""Facet counts beside search results: each count is what its link then finds."""

import pytest

from statements.facets import facet_counts
from statements.models import Statement, Topic

from .factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db


def narrowed(queryset, param, value):
    """The list after following a facet's link (the filter it adds)."""
    if param == "official":
        return queryset.filter(speaker__slug=value)
    if param == "topic":
        return queryset.about_topics([Topic.objects.get(slug=value)])
    if param == "year":
        return queryset.filter(said_on__year=int(value))
    return queryset.filter(kind=value)


def as_counts(facets, name):
    return {value.value: value.count for value in facets[name]}


def test_the_seed_archive_counts_by_official_year_and_kind(seeded):
    facets = facet_counts(Statement.objects.published())
    assert as_counts(facets, "official") == {"sergei-lavrov": 9, "john-kerry": 4}
    assert [v.value for v in facets["official"]] == ["sergei-lavrov", "john-kerry"]
    assert as_counts(facets, "year") == {"2015": 13}
    assert as_counts(facets, "kind") == {"paraphrase": 11, "direct": 2}
    assert facets["kind"][1].label == "Direct quote"


@pytest.mark.parametrize("query", [None, "military", "syria OR russian", "assad -kerry"])
def test_every_facet_count_is_what_its_link_finds(seeded, query):
    queryset = Statement.objects.published()
    if query:
        queryset = queryset.search(query)
    facets = facet_counts(queryset, limit=20)
    assert facets["official"] and facets["topic"]
    for values in facets.values():
        for value in values:
            assert value.count == narrowed(queryset, value.param, value.value).count(), value
            assert not value.lower_bound


def test_a_topic_counts_the_statements_below_it_once(seeded):
    facets = facet_counts(Statement.objects.published(), limit=20)
    syria = Topic.objects.get(slug="syria")
    expected = Statement.objects.published().about_topics([syria]).count()
    assert as_counts(facets, "topic")["syria"] == expected > 3


def test_counts_follow_the_search_and_its_filters():
    speaker = make_official()
    fisheries = make_topic()
    make_statement(speaker=speaker, text="Krill quotas were agreed.", topics=[fisheries])
    make_statement(speaker=speaker, text="Whaling was not discussed.", topics=[fisheries])
    make_statement(text="Krill again.", kind=Statement.Kind.PARAPHRASE)
    make_statement(speaker=speaker, text="Krill in a draft.", status=Statement.Status.DRAFT)
    facets = facet_counts(Statement.objects.published().by_officials([speaker]).search("krill"))
    assert as_counts(facets, "official") == {speaker.slug: 1}
    assert as_counts(facets, "topic") == {fisheries.slug: 1}
    assert as_counts(facets, "kind") == {"direct": 1}


def test_the_most_frequent_values_come_first_up_to_the_limit():
    officials = [make_official(name=f"Ana Vondel {n}") for n in range(4)]
    for n, official in enumerate(officials):
        for _ in range(n + 1):
            make_statement(speaker=official)
    facets = facet_counts(Statement.objects.published(), limit=2)
    assert [v.value for v in facets["official"]] == [officials[3].slug, officials[2].slug]


def test_counting_stops_at_the_bound_and_says_so():
    for _ in range(6):
        make_statement()
    facets = facet_counts(Statement.objects.published(), max_statements=4)
    assert sum(v.count for v in facets["kind"]) == 4
    assert all(v.lower_bound for values in facets.values() for v in values)


def test_counting_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    topic = make_topic(parent=make_topic())
    for _ in range(30):
        make_statement(topics=[topic])
    with django_assert_max_num_queries(3):
        facet_counts(Statement.objects.published())


def test_an_empty_list_has_empty_facets():
    facets = facet_counts(Statement.objects.published().search("nothing-here"))
    assert facets == {"official": [], "topic": [], "year": [], "kind": []}
