"""A statement shows the role its speaker held on the day it was made."""

import datetime
from types import SimpleNamespace

import pytest

from statements.models import Role, Statement

from .factories import make_official, make_organization, make_role, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def career():
    official = make_official(name="Ana Kessel")
    ambassador = make_role(
        official,
        title="Ambassador to Norland",
        start_date=datetime.date(2005, 1, 1),
        end_date=datetime.date(2012, 6, 30),
    )
    minister = make_role(
        official,
        title="Minister of External Affairs",
        organization=make_organization(),
        start_date=datetime.date(2012, 7, 1),
    )
    return SimpleNamespace(official=official, ambassador=ambassador, minister=minister)


def test_the_role_held_on_a_day_is_found(career):
    official, ambassador, minister = career.official, career.ambassador, career.minister
    assert official.role_on(datetime.date(2008, 5, 5)) == ambassador
    assert official.role_on(datetime.date(2020, 5, 5)) == minister


def test_a_role_covers_its_first_and_last_day(career):
    official, ambassador, minister = career.official, career.ambassador, career.minister
    assert official.role_on(datetime.date(2012, 6, 30)) == ambassador
    assert official.role_on(datetime.date(2012, 7, 1)) == minister


def test_no_role_before_the_first_one(career):
    official = career.official
    assert official.role_on(datetime.date(1999, 1, 1)) is None


def test_of_overlapping_roles_the_one_begun_last_wins(career):
    official, _ambassador, _minister = career.official, career.ambassador, career.minister
    envoy = make_role(official, title="Special Envoy", start_date=datetime.date(2015, 1, 1))
    assert official.role_on(datetime.date(2016, 1, 1)) == envoy


def test_the_queryset_lookup_agrees_with_the_prefetched_one(career):
    official, ambassador, _minister = career.official, career.ambassador, career.minister
    day = datetime.date(2008, 5, 5)
    assert list(Role.objects.filter(official=official).held_on(day)) == [ambassador]


def test_current_roles_come_first(career):
    official, ambassador, minister = career.official, career.ambassador, career.minister
    assert list(official.roles.current_first()) == [minister, ambassador]


def test_a_statement_shows_its_speakers_role_without_a_query_per_row(
    career, django_assert_max_num_queries
):
    official, _ambassador, _minister = career.official, career.ambassador, career.minister
    for year in range(2006, 2020):
        make_statement(speaker=official, said_on=datetime.date(year, 3, 1))
    with django_assert_max_num_queries(5):
        titles = [s.speaker_role.title for s in Statement.objects.with_related()]
    assert titles.count("Ambassador to Norland") == 7
    assert titles.count("Minister of External Affairs") == 7
