"""The one StatementFilter: every parameter, their combinations, and bad input."""

import datetime

import pytest
from django.http import QueryDict

from statements.filters import StatementFilter
from statements.models import DatePrecision, Statement
from statements.querystrings import with_page, with_param, without_param

from .factories import (
    make_meeting,
    make_official,
    make_organization,
    make_role,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db


def filtered(query):
    filterset = StatementFilter(QueryDict(query), queryset=Statement.objects.published())
    assert filterset.is_valid(), filterset.form.errors
    return list(filterset.qs)


def test_official_filters_by_slug_and_repeats_for_several(db):
    ana, ben, cem = make_official(slug="ana"), make_official(slug="ben"), make_official(slug="cem")
    a, b = make_statement(speaker=ana), make_statement(speaker=ben)
    make_statement(speaker=cem)
    assert filtered("official=ana") == [a]
    assert set(filtered("official=ana&official=ben")) == {a, b}


def test_topic_includes_its_subtopics_and_counts_each_statement_once(db):
    fish = make_topic(slug="fish")
    cod = make_topic(slug="cod", parent=fish)
    both = make_statement(topics=[fish, cod])
    only_cod = make_statement(topics=[cod])
    make_statement(topics=[make_topic()])
    assert sorted(filtered("topic=fish"), key=lambda s: s.pk) == [both, only_cod]
    assert len(filtered("topic=cod")) == 2


def test_meeting_country_kind_and_language_filter(db):
    meeting = make_meeting(slug="summit")
    at_meeting = make_statement(meeting=meeting)
    from_chile = make_statement(speaker=make_official(country="CL"))
    quote = make_statement(kind=Statement.Kind.PARAPHRASE)
    in_french = make_statement(language="fr")
    assert filtered("meeting=summit") == [at_meeting]
    assert filtered("country=CL") == [from_chile]
    assert filtered("kind=paraphrase") == [quote]
    assert filtered("language=FR") == [in_french]


def test_organization_finds_speakers_who_held_a_role_there_once_each(db):
    ministry = make_organization(slug="veloria-fisheries")
    official = make_official()
    make_role(official, organization=ministry, start_date=datetime.date(2001, 1, 1))
    make_role(official, organization=ministry, start_date=datetime.date(2012, 1, 1))
    theirs = make_statement(speaker=official)
    make_statement()
    assert filtered("organization=veloria-fisheries") == [theirs]


def test_year_and_date_range_filters(db):
    early = make_statement(said_on=datetime.date(2014, 5, 1))
    late = make_statement(said_on=datetime.date(2016, 7, 9))
    assert filtered("year=2014") == [early]
    assert filtered("date_from=2015-01-01") == [late]
    assert filtered("date_to=2015-01-01") == [early]
    assert filtered("date_from=2014-05-01&date_to=2016-07-09") == [late, early]


def test_a_date_known_only_to_the_month_or_year_counts_when_its_period_reaches_the_range(db):
    month = make_statement(said_on=datetime.date(2015, 9, 1), said_on_precision=DatePrecision.MONTH)
    year = make_statement(said_on=datetime.date(2015, 1, 1), said_on_precision=DatePrecision.YEAR)
    day = make_statement(said_on=datetime.date(2015, 9, 1))
    assert set(filtered("date_from=2015-09-15")) == {month, year}
    assert set(filtered("date_from=2015-10-01")) == {year}
    assert filtered("date_from=2016-01-01") == []
    assert set(filtered("date_to=2015-09-01")) == {month, year, day}


def test_filters_combine(db):
    ana = make_official(slug="ana", country="CL")
    topic = make_topic(slug="fish")
    hit = make_statement(speaker=ana, topics=[topic], said_on=datetime.date(2015, 3, 1))
    make_statement(speaker=ana, said_on=datetime.date(2015, 3, 1))
    make_statement(speaker=ana, topics=[topic], said_on=datetime.date(2012, 3, 1))
    make_statement(topics=[topic], said_on=datetime.date(2015, 3, 1))
    assert filtered("official=ana&topic=fish&year=2015&country=CL") == [hit]


def test_sort_newest_is_the_default_and_oldest_reverses_it(db):
    old = make_statement(said_on=datetime.date(2001, 1, 1))
    new = make_statement(said_on=datetime.date(2020, 1, 1))
    assert filtered("") == [new, old]
    assert filtered("sort=oldest") == [old, new]
    assert filtered("sort=relevance") == [new, old]


def test_a_search_is_ranked_by_relevance_unless_a_sort_is_asked_for(db):
    old = make_statement(text="Fishing quotas matter", said_on=datetime.date(2001, 1, 1))
    new = make_statement(text="Fishing quotas again", said_on=datetime.date(2020, 1, 1))
    make_statement(text="Nothing about it")
    filterset = StatementFilter(QueryDict("q=quotas"), queryset=Statement.objects.published())
    assert filterset.sort_in_force == "relevance"
    assert set(filterset.qs) == {old, new}
    assert all(hasattr(statement, "search_rank") for statement in filterset.qs)
    assert filtered("q=quotas&sort=oldest") == [old, new]


def test_drafts_stay_out_even_when_filtered_for(db):
    make_statement(status=Statement.Status.DRAFT, speaker=make_official(slug="ana"))
    assert filtered("official=ana") == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("official=nobody", "official", "There is no official “nobody” in the archive."),
        ("topic=nowhere", "topic", "There is no topic “nowhere” in the archive."),
        ("meeting=never", "meeting", "There is no meeting “never” in the archive."),
        ("organization=none", "organization", "There is no organisation “none” in the archive."),
        ("country=XX", "country", "“XX” is not a country code (ISO 3166)."),
        ("kind=rumour", "kind", "“rumour” is not a kind of statement."),
        ("language=not a tag", "language", "BCP 47"),
        ("year=soon", "year", "Give the year as a number"),
        ("year=99999", "year", "9999"),
        ("year=0", "year", "1"),
        ("date_from=yesterday", "date_from", "YYYY-MM-DD"),
        ("date_to=2015-02-30", "date_to", "YYYY-MM-DD"),
        ("date_from=2016-01-01&date_to=2015-01-01", "date_to", "comes before the start"),
        ("sort=random", "sort", "Sort by relevance, newest or oldest."),
    ],
)
def test_an_invalid_value_gives_a_clear_message(db, query, field, message):
    filterset = StatementFilter(QueryDict(query), queryset=Statement.objects.published())
    assert not filterset.is_valid()
    assert message in " ".join(filterset.form.errors[field])
    assert dict(filterset.invalid_params())[field]


@pytest.mark.parametrize(
    "query",
    [
        "official=nobody",
        "topic=%00",
        "date_from=yesterday",
        "year=99999999999999999999",
        "year=1e400",
        "page=-1",
        "page=99999",
        "page=abc",
        "q=" + "x" * 600,
        "q=%22unbalanced",
        "q=NOT",
        "q=*",
        "country=" + "é" * 40,
    ],
)
def test_bad_input_on_any_list_never_gives_a_500(client, query):
    make_statement(speaker=make_official(slug="ana"), topics=[make_topic(slug="fish")])
    for path in ("/statements/", "/officials/ana/", "/topics/fish/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400, 404), (path, query)


def test_an_invalid_filter_shows_the_message_and_a_link_to_remove_it(client, db):
    response = client.get("/statements/?topic=nowhere&kind=direct")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no topic “nowhere” in the archive." in html
    assert 'href="?kind=direct">Remove this filter</a>' in html
    assert 'class="statement-card' not in html


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("-1", "There is no page -1: this list has only one page."),
        ("99999", "There is no page 99999: this list has only one page."),
        ("abc", "“abc” is not a page number."),
    ],
)
def test_a_page_that_does_not_exist_is_a_404_that_says_why(client, page, message):
    make_statement()
    response = client.get(f"/statements/?page={page}")
    assert response.status_code == 404
    assert message in response.content.decode()


def test_active_filters_show_as_removable_chips(client, db):
    make_official(slug="ana", name="Ana Rell")
    make_official(slug="ben", name="Ben Tarr")
    make_topic(slug="fish", name="Fisheries")
    html = client.get(
        "/statements/?official=ana&official=ben&topic=fish&date_from=2015-09-30"
    ).content.decode()
    assert "Official: Ana Rell" in html and "Official: Ben Tarr" in html
    assert "Topic: Fisheries" in html and "From 30 September 2015" in html
    assert 'href="?official=ben&amp;topic=fish&amp;date_from=2015-09-30"' in html
    assert 'href="?official=ana&amp;official=ben&amp;date_from=2015-09-30"' in html


def test_filters_survive_pagination(client, db):
    official = make_official(slug="ana")
    for day in range(1, 26):
        make_statement(speaker=official, said_on=datetime.date(2015, 1, day))
    make_statement(said_on=datetime.date(2015, 1, 1))
    html = client.get("/statements/?official=ana&year=2015").content.decode()
    assert "25 statements match" in html
    assert 'href="?official=ana&amp;year=2015&amp;page=2"' in html
    page_two = client.get("/statements/?official=ana&year=2015&page=2").content.decode()
    assert page_two.count('class="statement-card') == 5
    assert 'href="?official=ana&amp;year=2015"' in page_two  # back to page one
    assert '<input type="hidden" name="official" value="ana">' in page_two


def test_facet_links_add_their_filter_to_the_current_query(client, db):
    ana = make_official(slug="ana", name="Ana Rell")
    make_statement(speaker=ana, kind=Statement.Kind.PARAPHRASE)
    make_statement(speaker=make_official(slug="ben"), kind=Statement.Kind.PARAPHRASE)
    html = client.get("/statements/?kind=paraphrase&page=1").content.decode()
    assert 'href="?kind=paraphrase&amp;official=ana">Ana Rell</a>' in html
    html = client.get("/statements/?kind=paraphrase&official=ana").content.decode()
    assert '<span class="active-facet" aria-current="true">Ana Rell</span>' in html


def test_an_empty_result_says_so_and_suggests_removing_a_filter_or_a_word(client, db):
    make_statement(text="Fishing quotas matter")
    html = client.get("/statements/?q=quotas+whales&kind=direct").content.decode()
    assert "No statements match these filters." in html
    assert "Try removing a filter above, or a word from your search." in html
    assert 'href="?q=whales&amp;kind=direct">Search without “quotas”</a>' in html
    assert 'href="?q=quotas&amp;kind=direct">Search without “whales”</a>' in html


def test_officials_named_in_the_query_are_offered_above_the_results(client, db):
    make_official(name="Ana Rell", slug="ana-rell")
    html = client.get("/statements/?q=Ana+Rell+fish").content.decode()
    assert "Looking for an official?" in html
    assert 'href="/officials/ana-rell/">Ana Rell</a>' in html


def test_search_results_show_snippets_with_marks_and_escape_the_text(client, db):
    make_statement(text="<b>Quotas</b> & nets")
    html = client.get("/statements/?q=quotas").content.decode()
    assert "<mark>" in html
    assert "<b>Quotas</b>" not in html


def test_query_string_helpers_keep_other_parameters_and_drop_the_page():
    data = QueryDict("official=a&topic=t&page=3")
    assert with_param(data, "official", "b") == "?official=a&official=b&topic=t"
    assert with_param(data, "topic", "u") == "?official=a&topic=u"
    assert without_param(data, "official", "a") == "?topic=t"
    assert without_param(data, "topic") == "?official=a"
    assert with_page(data, 1) == "?official=a&topic=t"
    assert with_page(data, 4) == "?official=a&topic=t&page=4"
