"""The fast search shapes find exactly what the plain ones find.

A page sorted by relevance ranks a bounded set of candidates; below that bound (every test
here, and most real queries) its results and their order are those of ranking every match.
"""

import datetime
import re

import pytest

from statements import search
from statements.filters import StatementFilter
from statements.models import Statement

from .factories import make_official, make_statement

pytestmark = pytest.mark.django_db

SEED_QUERIES = [
    "strike",
    "Syria",
    '"military personnel"',
    "ceasefire OR truce",
    "Syria -Assad",
    "talks agreement",
    "Lavrov",
    "nothingmatcheshere",
]


def ranked_ids(queryset):
    return list(queryset.by_relevance().values_list("pk", flat=True))


@pytest.mark.parametrize("query", SEED_QUERIES)
def test_ranking_a_bounded_candidate_set_finds_the_same_statements_in_the_same_order(seeded, query):
    published = Statement.objects.published()
    everything = ranked_ids(published.search(query))
    bounded = ranked_ids(published.search(query, candidate_limit=search.RANKED_CANDIDATES))
    assert bounded == everything


@pytest.mark.parametrize("query", SEED_QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_the_search_page_lists_what_a_plain_search_finds(seeded, query, sort):
    filterset = StatementFilter({"q": query, "sort": sort}, queryset=Statement.objects.published())
    found = Statement.objects.published().search(query)
    expected = {
        "relevance": ranked_ids(found),
        "newest": list(found.newest_first().values_list("pk", flat=True)),
        "oldest": list(found.oldest_first().values_list("pk", flat=True)),
    }[sort]
    assert list(filterset.qs.values_list("pk", flat=True)) == expected


FILTERS = [
    {},
    {"official": ["sergei-lavrov"]},
    {"date_from": "2015-09-30", "date_to": "2015-10-01"},
    {"year": "2015"},
    {"kind": "paraphrase"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "+".join(f) or "none")
def test_the_rows_a_page_reads_are_what_a_plain_search_finds_in_the_same_order(seeded, filters):
    plain = StatementFilter(filters, queryset=Statement.objects.published())
    assert plain.is_valid()
    by_pk = {s.pk: s for s in Statement.objects.all()}
    for query in SEED_QUERIES:
        found = plain.qs.search(query)
        for sort, expected in (
            ("relevance", ranked_ids(found)),
            ("newest", list(found.newest_first().values_list("pk", flat=True))),
            ("oldest", list(found.oldest_first().values_list("pk", flat=True))),
        ):
            data = {"q": query, "sort": sort, **filters}
            filterset = StatementFilter(data, queryset=Statement.objects.published())
            rows = filterset.first_rows(search.RANKED_CANDIDATES)
            assert [row.pk for row in rows] == expected, (query, sort)
            assert [(row.speaker_id, row.said_on, row.kind) for row in rows] == [
                (by_pk[pk].speaker_id, by_pk[pk].said_on, by_pk[pk].kind) for pk in expected
            ]


def test_the_rows_of_a_list_without_words_follow_its_order_up_to_the_limit(seeded):
    filterset = StatementFilter({}, queryset=Statement.objects.published())
    everything = list(Statement.objects.published().newest_first().values_list("pk", flat=True))
    assert [row.pk for row in filterset.first_rows(5)] == everything[:5]
    assert [row.pk for row in filterset.first_rows(5, order_by=["pk"])] == sorted(everything)[:5]


def test_rows_read_past_the_limit_are_matches_ranked_best_first(two_speakers):
    filterset = StatementFilter({"q": "quota"}, queryset=Statement.objects.published())
    rows = filterset.first_rows(3)
    every_match = set(Statement.objects.published().search("quota").values_list("pk", flat=True))
    assert len(rows) == 3
    assert {row.pk for row in rows} <= every_match
    ranks = [row.search_rank for row in rows]
    assert ranks == sorted(ranks, reverse=True) and all(rank > 0 for rank in ranks)


def test_invalid_filters_read_no_rows(django_assert_num_queries):
    filterset = StatementFilter({"q": "quota", "date_from": "soon"})
    with django_assert_num_queries(0):
        assert filterset.first_rows(10) == []


@pytest.mark.parametrize("query", ['"(*', "-", "OR"])
def test_a_query_with_nothing_to_search_for_reads_no_rows(seeded, query):
    filterset = StatementFilter({"q": query}, queryset=Statement.objects.published())
    assert filterset.first_rows(10) == []
    assert not filterset.qs.exists()


@pytest.fixture
def two_speakers():
    busy, quiet = make_official(slug="busy-speaker"), make_official(slug="quiet-speaker")
    for n in range(6):
        make_statement(speaker=busy, text=f"The fishing quota stays {n}")
    make_statement(
        speaker=quiet, text="The fishing quota must fall", said_on=datetime.date(2019, 5, 5)
    )
    return busy, quiet


def test_the_candidate_bound_counts_after_the_filters_so_a_filtered_match_is_not_lost(
    two_speakers,
):
    _busy, quiet = two_speakers
    results = Statement.objects.published().filter(speaker=quiet).search("quota", candidate_limit=2)
    assert [s.speaker for s in results] == [quiet]


def test_a_bound_smaller_than_the_matches_ranks_that_many_of_them(two_speakers):
    published = Statement.objects.published()
    every_match = set(published.search("quota").values_list("pk", flat=True))
    bounded = list(published.search("quota", candidate_limit=3).by_relevance())
    assert len(bounded) == 3
    assert {s.pk for s in bounded} <= every_match
    assert all(s.search_rank > 0 for s in bounded)


def test_a_search_page_with_an_official_filter_finds_the_officials_statement(client, two_speakers):
    response = client.get("/statements/", {"q": "quota", "official": "quiet-speaker"})
    assert response.status_code == 200
    assert [s.speaker.slug for s in response.context["statements"]] == ["quiet-speaker"]


def test_the_quick_select_writes_what_djangos_select_template_writes():
    from django import forms

    from statements.filters import StatementFilter

    from .factories import make_topic

    make_topic(name="Fish & <chips> “quotas”", slug="fish-chips")
    make_topic(name="Harbours", slug="harbours")
    filterset = StatementFilter({"topic": "fish-chips", "country": "NZ"})
    assert filterset.is_valid()

    def tags(html):
        return re.sub(r">\s+<", "><", str(html).strip())

    for name in ("topic", "country"):
        field = filterset.form[name]
        template_select = forms.Select(choices=field.field.widget.choices)
        assert tags(field) == tags(field.as_widget(widget=template_select)), name
    assert "Fish &amp; &lt;chips&gt;" in str(filterset.form["topic"])
    assert '<option value="fish-chips" selected>' in str(filterset.form["topic"])


def test_topic_counts_include_subtopics_once_and_only_published_statements():
    from statements.models import Topic

    from .factories import make_topic

    root = make_topic(slug="seas")
    middle = make_topic(slug="fishing", parent=root)
    leaf = make_topic(slug="quotas", parent=middle)
    other = make_topic(slug="forests")
    make_statement(topics=[leaf, middle])
    make_statement(topics=[leaf])
    make_statement(topics=[root])
    make_statement(topics=[leaf], status=Statement.Status.DRAFT)
    counts = Topic.objects.published_counts()
    assert (counts[root.pk], counts[middle.pk], counts[leaf.pk], counts[other.pk]) == (3, 2, 2, 0)
    for topic in (root, middle, leaf, other):
        expected = Statement.objects.published().about_topics([topic]).count()
        assert counts[topic.pk] == expected, topic.slug
