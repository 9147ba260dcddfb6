"""Long lists count only so far and say "1,000+"; ranking scores a bounded set of matches.

The bounds are made small here so that a handful of statements crosses them.
"""

import datetime

import pytest

from statements import paging
from statements.models import Statement
from statements.paging import CappedPaginator

from .factories import make_official, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_statements():
    speaker = make_official(slug="orla-fenwick")
    return [
        make_statement(
            speaker=speaker,
            text=f"The harbour treaty binds both shores {n}",
            said_on=datetime.date(2014, 1, 1 + n),
        )
        for n in range(5)
    ]


def test_a_capped_paginator_counts_exactly_up_to_its_cap(five_statements):
    paginator = CappedPaginator(Statement.objects.order_by("pk"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)


def test_a_capped_paginator_stops_counting_past_its_cap(five_statements):
    paginator = CappedPaginator(Statement.objects.order_by("pk"), 2, cap=3)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert [s.pk for s in paginator.page(2).object_list] == [five_statements[2].pk]


def test_a_capped_paginator_counts_a_list_as_well_as_a_queryset():
    paginator = CappedPaginator(list(range(10)), 4, cap=6)
    assert (paginator.count, paginator.capped) == (6, True)


def test_the_search_page_shows_a_capped_total_with_a_plus(client, monkeypatch, five_statements):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    response = client.get("/statements/", {"q": "harbour"})
    assert response.status_code == 200
    assert response.context["total"] == 3
    assert response.context["total_capped"] is True
    assert "3+ statements" in response.text


def test_a_total_below_the_cap_is_shown_exactly(client, monkeypatch, five_statements):
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    response = client.get("/statements/", {"q": "harbour"})
    assert response.context["total_capped"] is False
    assert "5 statements" in response.text
    assert "5+" not in response.text


def test_an_officials_page_shows_a_capped_total(client, monkeypatch, five_statements):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    response = client.get("/officials/orla-fenwick/")
    assert response.status_code == 200
    assert '<span class="count">2+</span>' in response.text


def test_pages_past_the_cap_are_not_found_and_say_why(client, monkeypatch, five_statements):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    response = client.get("/statements/", {"q": "harbour", "page": "40"})
    assert response.status_code == 404


def test_the_api_counts_to_the_cap_and_says_so(client, monkeypatch, five_statements):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    page = client.get("/api/v1/statements/", {"q": "harbour", "page_size": 2}).json()
    assert (page["count"], page["count_capped"]) == (3, True)
    assert len(page["results"]) == 2
    assert page["next"] is not None


def test_the_api_gives_an_exact_count_below_the_cap(client, five_statements):
    page = client.get("/api/v1/statements/", {"q": "harbour"}).json()
    assert (page["count"], page["count_capped"]) == (5, False)
