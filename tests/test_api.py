"""The read-only JSON API under /api/v1/: what it serves, what it hides, how it fails."""

import datetime

import pytest

from statements.models import DatePrecision, Statement

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_organization,
    make_outlet,
    make_role,
    make_statement,
    make_topic,
)
from .helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(results):
    return [row["id"] for row in results]


# -- what the API serves -------------------------------------------------------------------------


def test_the_api_root_lists_every_collection(client, db):
    root = get_json(client, f"{API}/")
    assert set(root) == {
        "statements",
        "officials",
        "topics",
        "meetings",
        "articles",
        "outlets",
        "organizations",
    }
    for url in root.values():
        assert url.startswith("http://testserver/api/v1/")


def test_the_statement_list_serves_the_seed_archive_newest_first(client, seeded):
    page = get_json(client, f"{API}/statements/")
    assert page["count"] == Statement.objects.published().count() == 13
    assert page["next"] is None and page["previous"] is None
    assert len(page["results"]) == 13
    expected = list(Statement.objects.published().newest_first().values_list("pk", flat=True))
    assert ids(page["results"]) == expected
    assert page["sort"] == "newest" and page["query"] == ""


def test_every_list_and_detail_serves_the_seed_archive(client, seeded):
    for collection, key in [
        ("officials", "slug"),
        ("topics", "slug"),
        ("meetings", "slug"),
        ("articles", "slug"),
        ("organizations", "slug"),
        ("statements", "id"),
    ]:
        page = get_json(client, f"{API}/{collection}/")
        assert page["count"] == len(page["results"]) > 0, collection
        for row in page["results"]:
            detail = get_json(client, f"{API}/{collection}/{row[key]}/")
            assert detail["url"] == row["url"]
            assert detail["url"].endswith(f"/api/v1/{collection}/{row[key]}/")


def test_a_statement_nests_its_related_records_with_api_and_page_urls(client, db):
    outlet = make_outlet(name="The Veloria Courier", slug="veloria-courier")
    article = make_article(
        slug="talks-report", outlet=outlet, url="https://courier.example/talks", language="en"
    )
    speaker = make_official(name="Mira Vondel", slug="mira-vondel", wikidata_id="Q4115189")
    make_role(speaker, title="Foreign Minister", start_date=datetime.date(2018, 5, 1))
    meeting = make_meeting(slug="port-ardent-talks", start_date=datetime.date(2020, 3, 1))
    topic = make_topic(name="Fisheries", slug="fisheries")
    statement = make_statement(
        speaker=speaker,
        article=article,
        meeting=meeting,
        topics=[topic],
        said_on=datetime.date(2020, 3, 4),
        place_city="Port Ardent",
        place_country="NZ",
    )

    data = get_json(client, f"{API}/statements/{statement.pk}/")

    assert data["url"] == f"http://testserver/api/v1/statements/{statement.pk}/"
    assert data["html_url"] == f"http://testserver/statements/{statement.pk}/"
    assert data["said_on"] == {"date": "2020-03-04", "precision": "day"}
    assert data["place"] == {
        "city": "Port Ardent",
        "country": {"code": "NZ", "name": "New Zealand"},
    }
    assert data["speaker"] == {
        "id": speaker.pk,
        "slug": "mira-vondel",
        "name": "Mira Vondel",
        "country": {"code": "NZ", "name": "New Zealand"},
        "wikidata_id": "Q4115189",
        "wikidata_url": "https://www.wikidata.org/wiki/Q4115189",
        "url": "http://testserver/api/v1/officials/mira-vondel/",
        "html_url": "http://testserver/officials/mira-vondel/",
    }
    assert data["speaker_role"]["title"] == "Foreign Minister"
    assert data["speaker_role"]["start_date"] == {"date": "2018-05-01", "precision": "day"}
    assert data["meeting"]["url"] == "http://testserver/api/v1/meetings/port-ardent-talks/"
    assert data["meeting"]["html_url"] == "http://testserver/meetings/port-ardent-talks/"
    assert data["article"]["source_url"] == "https://courier.example/talks"
    assert data["article"]["html_url"] == "http://testserver/articles/talks-report/"
    assert data["article"]["outlet"]["url"] == "http://testserver/api/v1/outlets/veloria-courier/"
    assert [t["url"] for t in data["topics"]] == ["http://testserver/api/v1/topics/fisheries/"]
    assert data["snippet"] is None
    assert "status" not in data and "curator_note" not in data


def test_dates_carry_their_precision(client, db):
    year = make_statement(said_on=datetime.date(2015, 1, 1), said_on_precision=DatePrecision.YEAR)
    month = make_statement(said_on=datetime.date(2015, 9, 1), said_on_precision=DatePrecision.MONTH)
    assert get_json(client, f"{API}/statements/{year.pk}/")["said_on"] == {
        "date": "2015",
        "precision": "year",
    }
    assert get_json(client, f"{API}/statements/{month.pk}/")["said_on"] == {
        "date": "2015-09",
        "precision": "month",
    }


def test_a_missing_article_date_and_link_are_null_not_empty(client, db):
    article = make_article(slug="undated", published_on=None, url="")
    data = get_json(client, f"{API}/articles/undated/")
    assert data["published_on"] is None
    assert data["source_url"] is None
    assert data["outlet"] is None
    assert data["statements"] == []
    assert data["body"] == article.body


def test_an_official_links_to_wikidata_and_lists_roles_and_counts(client, db):
    official = make_official(slug="mira-vondel", wikidata_id="Q4115189")
    make_role(official, title="Ambassador", start_date=datetime.date(2001, 1, 1))
    make_statement(speaker=official)
    make_statement(speaker=official, status=Statement.Status.DRAFT)
    data = get_json(client, f"{API}/officials/mira-vondel/")
    assert data["wikidata_id"] == "Q4115189"
    assert data["wikidata_url"] == "https://www.wikidata.org/wiki/Q4115189"
    assert [role["title"] for role in data["roles"]] == ["Ambassador"]
    assert data["roles"][0]["end_date"] is None
    assert data["statement_count"] == 1
    assert data["statements_url"] == "http://testserver/api/v1/statements/?official=mira-vondel"
    assert data["feed_url"] == "http://testserver/officials/mira-vondel/feed/"
    assert data["html_url"] == "http://testserver/officials/mira-vondel/"


def test_an_official_without_wikidata_id_has_null_links(client, db):
    make_official(slug="mira-vondel")
    data = get_json(client, f"{API}/officials/mira-vondel/")
    assert data["wikidata_id"] is None and data["wikidata_url"] is None


def test_topic_counts_include_subtopics_and_only_published_statements(client, db):
    parent = make_topic(slug="fisheries")
    child = make_topic(slug="quotas", parent=parent)
    make_statement(topics=[parent, child])
    make_statement(topics=[child])
    make_statement(topics=[child], status=Statement.Status.DRAFT)
    data = get_json(client, f"{API}/topics/fisheries/")
    assert data["statement_count"] == 2
    assert [c["slug"] for c in data["children"]] == ["quotas"]
    assert get_json(client, f"{API}/topics/quotas/")["parent"]["slug"] == "fisheries"


def test_meetings_organisations_and_outlets_have_their_fields(client, db):
    parent = make_organization(slug="veloria-government")
    make_organization(slug="veloria-mfa", parent=parent, country="NZ")
    make_outlet(slug="courier", homepage="", language="en")
    meeting = make_meeting(slug="talks", end_date=datetime.date(2020, 3, 6), city="Port Ardent")
    make_statement(meeting=meeting)
    make_statement(meeting=meeting, status=Statement.Status.DRAFT)

    org = get_json(client, f"{API}/organizations/veloria-mfa/")
    assert org["parent"]["slug"] == "veloria-government"
    assert org["country"]["code"] == "NZ"
    assert get_json(client, f"{API}/organizations/veloria-government/")["country"] is None
    assert get_json(client, f"{API}/outlets/courier/")["homepage"] is None
    data = get_json(client, f"{API}/meetings/talks/")
    assert data["end_date"] == {"date": "2020-03-06", "precision": "day"}
    assert data["statement_count"] == 1
    assert data["statements_url"].endswith("/api/v1/statements/?meeting=talks")


# -- only published statements, anywhere ---------------------------------------------------------


def test_drafts_never_appear_in_lists_details_replies_or_counts(client, db):
    speaker = make_official(slug="mira-vondel")
    article = make_article(slug="report")
    published = make_statement(speaker=speaker, article=article, text="Published words")
    draft = make_statement(
        speaker=speaker, article=article, status=Statement.Status.DRAFT, text="Draft words"
    )
    published_reply = make_statement(in_reply_to=published, text="A published reply")
    make_statement(in_reply_to=published, status=Statement.Status.DRAFT, text="A draft reply")
    reply_to_draft = make_statement(in_reply_to=draft, text="Replying to an unseen statement")

    page = get_json(client, f"{API}/statements/")
    assert draft.pk not in ids(page["results"])
    assert page["count"] == 3
    get_json(client, f"{API}/statements/{draft.pk}/", status=404)

    detail = get_json(client, f"{API}/statements/{published.pk}/")
    assert ids(detail["replies"]) == [published_reply.pk]
    assert get_json(client, f"{API}/statements/{reply_to_draft.pk}/")["in_reply_to"] is None

    assert get_json(client, f"{API}/officials/mira-vondel/")["statement_count"] == 1
    article_data = get_json(client, f"{API}/articles/report/")
    assert article_data["statement_count"] == 1
    assert ids(article_data["statements"]) == [published.pk]
    assert get_json(client, f"{API}/statements/?q=draft")["count"] == 0


# -- the same filters and search as the page ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "official=sergei-lavrov",
        "official=sergei-lavrov&official=john-kerry",
        "topic=syria",
        "topic=russian-air-strikes-in-syria&kind=direct",
        "meeting=lavrov-kerry-talks-new-york&sort=oldest",
        "country=US",
        "organization=russia-mfa",
        "language=en&year=2015",
        "date_from=2015-06-01&date_to=2015-12-31",
        "q=Syria",
        "q=military&sort=newest",
        "q=%22air+strikes%22",
        "q=nothingmatchesthis",
    ],
)
def test_the_statement_list_has_the_same_rows_as_the_page(client, seeded, query):
    page = client.get(f"/statements/?{query}")
    assert page.status_code == 200
    expected = [statement.pk for statement in page.context["statements"]]
    data = get_json(client, f"{API}/statements/?{query}")
    assert ids(data["results"]) == expected
    assert data["count"] == page.context["total"]


def test_a_search_returns_snippets_and_facet_counts(client, seeded):
    data = get_json(client, f"{API}/statements/?q=Syria")
    assert data["query"] == "Syria"
    assert data["sort"] == "relevance"
    assert data["count"] > 0
    for row in data["results"]:
        assert "<mark>" in row["snippet"]
    assert set(data["facets"]) >= {"official", "topic", "year", "kind"}
    officials = {value["value"]: value for value in data["facets"]["official"]}
    assert sum(value["count"] for value in officials.values()) == data["count"]
    lavrov = officials["sergei-lavrov"]
    assert lavrov["label"] == "Sergei Lavrov"
    narrowed = get_json(client, lavrov["url"].removeprefix("http://testserver"))
    assert narrowed["count"] == lavrov["count"]


def test_a_snippet_escapes_the_statements_own_text(client, db):
    make_statement(text="Fish <script>alert(1)</script> quotas")
    row = get_json(client, f"{API}/statements/?q=quotas")["results"][0]
    assert "<script>" not in row["snippet"]
    assert "&lt;script&gt;" in row["snippet"]
    assert row["text"] == "Fish <script>alert(1)</script> quotas"


def test_pagination_links_to_the_next_and_previous_pages(client, db):
    for n in range(5):
        make_statement(said_on=datetime.date(2020, 1, 1 + n))
    first = get_json(client, f"{API}/statements/?page_size=2")
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None
    second = get_json(client, first["next"].removeprefix("http://testserver"))
    assert second["previous"] is not None
    assert not set(ids(first["results"])) & set(ids(second["results"]))


# -- bad input and writes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "param", "words"),
    [
        ("official=nobody", "official", "no official"),
        ("topic=nothing", "topic", "no topic"),
        ("meeting=none", "meeting", "no meeting"),
        ("organization=none", "organization", "no organisation"),
        ("country=XX", "country", "not a country"),
        ("kind=shouting", "kind", "not a kind"),
        ("year=soon", "year", "as a number"),
        ("year=123456", "year", ""),
        ("date_from=30/09/2015", "date_from", "YYYY-MM-DD"),
        ("date_from=2015-12-01&date_to=2015-01-01", "date_to", "before the start"),
        ("sort=loudest", "sort", ""),
        ("language=!!", "language", ""),
        ("q=" + "x" * 501, "q", ""),
        ("q=a%00b", "q", ""),
        ("official=a%00b", "official", ""),
        ("topic=a%00b", "topic", ""),
        ("meeting=a%00b", "meeting", ""),
        ("organization=a%00b", "organization", ""),
        ("country=a%00b", "country", ""),
        ("language=e%00n", "language", ""),
    ],
)
def test_an_invalid_filter_is_a_400_that_says_what_is_wrong(client, db, query, param, words):
    data = get_json(client, f"{API}/statements/?{query}", status=400)
    assert param in data
    assert words in " ".join(data[param])


@pytest.mark.parametrize(
    "path",
    [
        "/statements/999999/",
        "/statements/not-a-number/",
        "/statements/99999999999999999999999/",
        "/officials/nobody/",
        "/officials/a%00b/",
        "/topics/x.y/",
        "/statements/?page=99",
        "/statements/?page=abc",
        "/no-such-collection/",
        "/officials/a/b/c/",
    ],
)
def test_what_is_not_there_is_a_json_404(client, db, path):
    data = get_json(client, f"{API}{path}", status=404)
    assert data["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/statements/", "/statements/{pk}/", "/officials/mira/"])
def test_the_api_is_read_only_even_for_a_superuser(client, superuser, method, path):
    statement = make_statement(speaker=make_official(slug="mira"))
    client.force_login(superuser)
    response = getattr(client, method)(
        f"{API}{path.format(pk=statement.pk)}", data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_any_origin_may_read_the_api_but_not_the_pages(client, db):
    api = client.get(f"{API}/statements/", HTTP_ORIGIN="https://newsroom.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    page = client.get("/statements/", HTTP_ORIGIN="https://newsroom.example")
    assert "Access-Control-Allow-Origin" not in page
    preflight = client.options(
        f"{API}/statements/",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


# -- schema and docs ------------------------------------------------------------------------------


def test_the_schema_is_openapi_3_and_documents_every_endpoint(client, db):
    response = client.get(f"{API}/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for collection, lookup in [
        ("statements", "id"),
        ("officials", "slug"),
        ("topics", "slug"),
        ("meetings", "slug"),
        ("articles", "slug"),
        ("outlets", "slug"),
        ("organizations", "slug"),
    ]:
        assert f"/api/v1/{collection}/" in schema["paths"]
        assert f"/api/v1/{collection}/{{{lookup}}}/" in schema["paths"]
    assert "/api/v1/popolo.json" in schema["paths"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]}
    assert set(parameters) >= {
        "q",
        "official",
        "topic",
        "meeting",
        "country",
        "organization",
        "kind",
        "language",
        "year",
        "date_from",
        "date_to",
        "sort",
        "page",
    }
    assert parameters["year"]["schema"]["type"] == "integer"
    assert parameters["official"]["schema"]["type"] == "array"


def test_the_docs_page_loads_its_scripts_from_this_site_only(client, db):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # the start-up script is a file too: a strict CSP allows it
    script = client.get(f"{API}/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


# -- a constant number of queries -----------------------------------------------------------------

# (path, the most queries it may run); the same count with 1 statement and with 50.
ENDPOINTS = [
    ("/statements/?page_size=100", 14),
    ("/statements/?q=spring&page_size=100&topic={topic}", 19),
    ("/statements/{statement}/", 9),
    ("/officials/?page_size=100", 4),
    ("/officials/{official}/", 3),
    ("/topics/?page_size=100", 7),
    ("/topics/{topic}/", 6),
    ("/meetings/?page_size=100", 4),
    ("/meetings/{meeting}/", 3),
    ("/articles/?page_size=100", 2),
    ("/articles/{article}/", 2),
    ("/outlets/?page_size=100", 2),
    ("/outlets/{outlet}/", 1),
    ("/organizations/?page_size=100", 2),
    ("/organizations/{organization}/", 1),
    ("/popolo.json", 9),
]


@pytest.mark.parametrize(("template", "most"), ENDPOINTS)
def test_each_endpoint_runs_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, template, most
):
    assert_constant_queries(client, django_assert_max_num_queries, API + template, most)
