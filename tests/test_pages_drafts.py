"""Draft statements appear nowhere public: lists, counts, charts, facets, highlights, sitemap."""

import datetime

import pytest

from statements.models import Statement

from .factories import make_article, make_meeting, make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db

SECRET = "Unpublished words about whales"


@pytest.fixture
def archive():
    official = make_official(slug="ana", name="Ana Rell")
    topic = make_topic(slug="fish", name="Fisheries")
    meeting = make_meeting(slug="talks")
    article = make_article(slug="report", body=f"Public words. {SECRET}.")
    public = make_statement(
        speaker=official,
        topics=[topic],
        meeting=meeting,
        article=article,
        text="Public words.",
        start_offset=0,
        end_offset=13,
        said_on=datetime.date(2015, 3, 1),
    )
    draft = make_statement(
        speaker=official,
        topics=[topic],
        meeting=meeting,
        article=article,
        text=SECRET,
        start_offset=14,
        end_offset=14 + len(SECRET),
        kind=Statement.Kind.PARAPHRASE,
        said_on=datetime.date(2009, 3, 1),
        status=Statement.Status.DRAFT,
    )
    return public, draft


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/statements/",
        "/statements/?q=whales",
        "/statements/?official=ana",
        "/officials/ana/",
        "/topics/fish/",
        "/meetings/talks/",
        "/articles/report/",
    ],
)
def test_a_draft_is_not_shown_on_any_public_page(client, archive, path):
    _, draft = archive
    html = client.get(path).content.decode()
    if path != "/articles/report/":  # the article's own text contains the words, unmarked
        assert SECRET not in html
    assert draft.get_absolute_url() not in html


def test_counts_charts_and_facets_leave_drafts_out(client, archive):
    official_page = client.get("/officials/ana/").content.decode()
    assert "1 published statement, all in Mar 2015." in official_page
    assert "2009" not in official_page
    listing = client.get("/statements/").content.decode()
    assert "1 statement" in listing
    assert 'href="?kind=paraphrase"' not in listing  # the only paraphrase is the draft
    assert 'href="?year=2009"' not in listing
    assert "1 statement archived" in client.get("/articles/").content.decode()
    assert "1 statement" in client.get("/meetings/").content.decode()
    home = client.get("/").content.decode()
    assert "1 statement by diplomats" in home
    topics = client.get("/topics/").content.decode()
    assert 'Fisheries</a> <span class="count">1<' in topics


def test_the_article_marks_only_the_published_statement(client, archive):
    html = client.get("/articles/report/").content.decode()
    assert html.count("<mark>") == 1


def test_the_sitemap_lists_published_statements_only(client, archive):
    public, draft = archive
    xml = client.get("/sitemap-statements.xml").content.decode()
    assert f"/statements/{public.pk}/<" in xml
    assert f"/statements/{draft.pk}/<" not in xml


def test_a_draft_permalink_is_a_404(client, archive):
    _, draft = archive
    assert client.get(draft.get_absolute_url()).status_code == 404
