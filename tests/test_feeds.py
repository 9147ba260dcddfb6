"""Atom feeds: the latest statements, an official's, a topic's and any search's."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from statements.models import Statement

from .factories import make_official, make_statement, make_topic
from .helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response):
    """The feed, checked against what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Verbatim"
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published", "summary"):
            assert entry.find(f"{ATOM}{required}").text, required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    return feed


def entry_ids(feed):
    """The statement ids of the entries, in feed order."""
    return [
        int(entry.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1])
        for entry in feed.findall(f"{ATOM}entry")
    ]


def newest_first(pks):
    return list(Statement.objects.filter(pk__in=pks).newest_first().values_list("pk", flat=True))


@pytest.mark.parametrize(
    "path",
    [
        "/statements/feed/",
        "/statements/feed/?q=Syria&topic=syria",
        "/statements/feed/?official=john-kerry&kind=direct",
        "/officials/sergei-lavrov/feed/",
        "/topics/syria/feed/",
        "/topics/russian-air-strikes-in-syria/feed/?q=air",
    ],
)
def test_each_feed_parses_as_atom_and_holds_the_pages_statements_newest_first(client, seeded, path):
    feed = parse_atom(client.get(path))
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"http://testserver{path}"
    page_path = path.replace("feed/", "")
    page = client.get(page_path)
    assert page.status_code == 200
    expected = newest_first([statement.pk for statement in page.context["statements"]])
    assert expected, "the seed archive answers each of these"
    assert entry_ids(feed) == expected
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://testserver{page_path}"
    )


def test_a_search_feed_names_its_filters_in_its_title(client, seeded):
    feed = parse_atom(client.get("/statements/feed/?q=Syria&topic=syria"))
    title = feed.find(f"{ATOM}title").text
    assert "Syria" in title and "Topic" in title


def test_an_entry_carries_the_speaker_the_source_and_the_topics(client, db):
    speaker = make_official(name="Mira Vondel", slug="mira-vondel")
    topic = make_topic(name="Fisheries")
    statement = make_statement(
        speaker=speaker, topics=[topic], text="Fish <b>quotas</b> & more", language="en"
    )
    feed = parse_atom(client.get("/officials/mira-vondel/feed/"))
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Mira Vondel"
    assert entry.find(f"{ATOM}author/{ATOM}uri").text == "http://testserver/officials/mira-vondel/"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Fisheries"]
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == f"http://testserver/statements/{statement.pk}/"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The summary is HTML; the statement's own markup is text inside it, escaped.
    assert "Fish &lt;b&gt;quotas&lt;/b&gt; &amp; more" in summary.text
    assert statement.article.title in summary.text


def test_feeds_leave_out_drafts(client, db):
    speaker = make_official(slug="mira-vondel")
    topic = make_topic(slug="fisheries")
    published = make_statement(speaker=speaker, topics=[topic])
    make_statement(speaker=speaker, topics=[topic], status=Statement.Status.DRAFT)
    for path in ("/statements/feed/", "/officials/mira-vondel/feed/", "/topics/fisheries/feed/"):
        assert entry_ids(parse_atom(client.get(path))) == [published.pk]


def test_a_feed_holds_the_latest_fifty(client, db):
    speaker = make_official(slug="mira-vondel")
    statements = [
        make_statement(speaker=speaker, said_on=datetime.date(2000, 1, 1) + datetime.timedelta(n))
        for n in range(55)
    ]
    ids = entry_ids(parse_atom(client.get("/officials/mira-vondel/feed/")))
    assert ids == [s.pk for s in reversed(statements)][:50]


def test_an_empty_feed_is_still_valid_atom(client, db):
    feed = parse_atom(client.get("/statements/feed/?q=nothingsaidthis"))
    assert feed.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("path", ["/officials/nobody/feed/", "/topics/nothing/feed/"])
def test_the_feed_of_an_unknown_official_or_topic_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["topic=nothing", "year=soon", "official=nobody", "date_from=yesterday", "q=a%00b"],
)
def test_a_feed_with_an_invalid_filter_is_a_400_that_says_why(client, db, query):
    response = client.get(f"/statements/feed/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


def test_the_feed_link_tag_keeps_the_pages_filters_and_drops_the_page_number():
    request = RequestFactory().get(
        "/statements/", {"q": "air strikes", "topic": "syria", "page": 3}
    )
    rendered = Template(
        "{% load open_data %}{% statements_feed_url %}|{% statements_feed_url official='x' %}"
    ).render(Context({"request": request}))
    plain, fixed = rendered.split("|")
    assert plain == "/statements/feed/?q=air+strikes&amp;topic=syria"
    assert fixed == "/statements/feed/?q=air+strikes&amp;topic=syria&amp;official=x"


@pytest.mark.parametrize(
    ("template", "most"),
    [
        ("/statements/feed/", 5),
        ("/statements/feed/?q=spring&topic={topic}", 7),
        ("/officials/{official}/feed/", 6),
        ("/topics/{topic}/feed/", 7),
    ],
)
def test_each_feed_runs_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, template, most
):
    assert_constant_queries(client, django_assert_max_num_queries, template, most)
