"""Downloads of statement lists as CSV and JSON: the page's rows, in the page's order."""

import csv
import datetime
import io
import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from statements.models import DatePrecision, Statement

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_outlet,
    make_role,
    make_statement,
    make_topic,
)
from .helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    assert response.streaming, "a download is streamed, not built in memory"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response, b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, path):
    response, text = download(client, path)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def page_ids(client, path):
    """Every statement the HTML list shows, page after page."""
    found, number = [], 1
    while True:
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}page={number}")
        assert response.status_code == 200
        found += [statement.pk for statement in response.context["statements"]]
        if not response.context["page_obj"].has_next():
            return found
        number += 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=Syria",
        "q=Syria&topic=syria",
        "q=military&sort=oldest",
        "official=sergei-lavrov&kind=paraphrase",
        "topic=us-russia-relations&country=RU",
        "meeting=lavrov-kerry-talks-new-york&year=2015",
    ],
)
def test_the_csv_of_a_filtered_search_has_the_same_rows_as_the_page(client, seeded, query):
    rows = csv_rows(client, f"/statements/export.csv?{query}")
    assert [int(row["id"]) for row in rows] == page_ids(client, f"/statements/?{query}")


def test_a_long_search_downloads_every_page_of_rows_in_order(client, db):
    speaker = make_official(slug="mira-vondel")
    for n in range(45):
        make_statement(
            speaker=speaker,
            text=f"Spring fishing quotas, point {n}" + (" and spring again" * (n % 3)),
            said_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=n % 7),
        )
    make_statement(text="Spring quotas by someone else")
    query = "q=spring+quotas&official=mira-vondel"
    expected = page_ids(client, f"/statements/?{query}")
    assert len(expected) == 45
    assert [int(row["id"]) for row in csv_rows(client, f"/statements/export.csv?{query}")] == (
        expected
    )
    _, text = download(client, f"/statements/export.json?{query}")
    assert [item["id"] for item in json.loads(text)] == expected


def test_a_csv_row_says_who_when_where_and_from_which_source(client, db):
    speaker = make_official(name="Mira Vondel", slug="mira-vondel", wikidata_id="Q4115189")
    make_role(speaker, title="Foreign Minister", start_date=datetime.date(2010, 1, 1))
    article = make_article(
        title="Talks in Port Ardent",
        url="https://courier.example/talks",
        outlet=make_outlet(name="The Veloria Courier"),
        published_on=datetime.date(2020, 3, 1),
        published_on_precision=DatePrecision.MONTH,
    )
    statement = make_statement(
        speaker=speaker,
        article=article,
        meeting=make_meeting(title="Port Ardent talks", slug="port-ardent-talks"),
        topics=[
            make_topic(slug="quotas", name="Quotas"),
            make_topic(slug="fisheries", name="Fish"),
        ],
        text="Мы встретимся весной",
        translation="We will meet again in spring",
        language="ru",
        said_on=datetime.date(2020, 3, 1),
        said_on_precision=DatePrecision.MONTH,
        place_city="Port Ardent",
        place_country="NZ",
        attribution="the foreign minister",
    )
    (row,) = csv_rows(client, "/statements/export.csv")
    assert row == {
        "id": str(statement.pk),
        "permalink": f"http://testserver/statements/{statement.pk}/",
        "said_on": "2020-03",
        "said_on_precision": "month",
        "speaker": "Mira Vondel",
        "speaker_slug": "mira-vondel",
        "speaker_wikidata_id": "Q4115189",
        "speaker_role": "Foreign Minister",
        "speaker_organization": speaker.roles.get().organization.name,
        "attribution": "the foreign minister",
        "kind": "direct",
        "language": "ru",
        "text": "Мы встретимся весной",
        "translation": "We will meet again in spring",
        "place_city": "Port Ardent",
        "place_country": "NZ",
        "meeting": "Port Ardent talks",
        "meeting_slug": "port-ardent-talks",
        "topics": "fisheries; quotas",
        "article_title": "Talks in Port Ardent",
        "article_url": "https://courier.example/talks",
        "outlet": "The Veloria Courier",
        "article_published_on": "2020-03",
    }


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(client, db):
    make_statement(text='=HYPERLINK("http://evil.example","click")', attribution="@someone")
    (row,) = csv_rows(client, "/statements/export.csv")
    assert row["text"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["attribution"] == "'@someone"


def test_the_json_download_holds_the_apis_statement_objects(client, seeded):
    response, text = download(client, "/statements/export.json?topic=syria")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    items = json.loads(text)
    api = client.get("/api/v1/statements/?topic=syria&page_size=100").json()["results"]
    assert items == api


def test_downloads_leave_out_drafts(client, db):
    published = make_statement(text="Published words")
    make_statement(text="Draft words", status=Statement.Status.DRAFT)
    rows = csv_rows(client, "/statements/export.csv?q=words")
    assert [int(row["id"]) for row in rows] == [published.pk]
    _, text = download(client, "/statements/export.json")
    assert [item["id"] for item in json.loads(text)] == [published.pk]


def test_an_empty_download_still_has_its_header_or_brackets(client, db):
    assert csv_rows(client, "/statements/export.csv?q=nothingsaidthis") == []
    _, text = download(client, "/statements/export.json?q=nothingsaidthis")
    assert json.loads(text) == []


@pytest.mark.parametrize("path", ["/statements/export.csv", "/statements/export.json"])
@pytest.mark.parametrize(
    "query", ["topic=nothing", "year=soon", "date_to=31-12-2015", "kind=shouting", "q=a%00b"]
)
def test_a_download_with_an_invalid_filter_is_a_400_that_says_why(client, db, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert query.split("=")[0] in response.content.decode()


@pytest.mark.parametrize("path", ["/statements/export.csv", "/statements/export.json"])
def test_a_download_cannot_be_posted_to(client, db, path):
    assert client.post(path).status_code == 405


def test_the_download_link_tag_keeps_the_pages_filters_and_drops_the_page_number():
    request = RequestFactory().get("/topics/fisheries/", {"q": "quotas", "page": 2})
    rendered = Template(
        "{% load open_data %}"
        "{% statements_download_url 'csv' topic='fisheries' %}|"
        "{% statements_download_url 'json' %}"
    ).render(Context({"request": request}))
    assert rendered == (
        "/statements/export.csv?q=quotas&amp;topic=fisheries|/statements/export.json?q=quotas"
    )


@pytest.mark.parametrize(
    ("template", "most"),
    [
        ("/statements/export.csv", 5),
        ("/statements/export.csv?q=spring&topic={topic}", 6),
        ("/statements/export.json", 9),
        ("/statements/export.json?q=spring&official={official}", 10),
    ],
)
def test_each_download_runs_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, template, most
):
    assert_constant_queries(client, django_assert_max_num_queries, template, most)
