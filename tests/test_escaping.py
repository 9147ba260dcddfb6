"""Text from curators and sources renders as text everywhere: pages, feeds, exports, highlights."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from statements.models import Statement

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_outlet,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.fixture
def hostile():
    speaker = make_official(name=f"Ana {SCRIPT} Kessel", slug="ana-kessel")
    body = f"The minister said: “Fish & chips {IMG} </script> are {SCRIPT} recovering.” She left."
    article = make_article(
        title=f"Talks {SCRIPT}",
        slug="talks",
        body=body,
        byline=f"By {IMG}",
        outlet=make_outlet(name=f"Courier {SCRIPT}", slug="courier"),
    )
    text = f"Fish & chips {IMG} </script> are {SCRIPT} recovering."
    statement = make_statement(
        speaker=speaker,
        article=article,
        text=text,
        start_offset=body.index("Fish"),
        end_offset=body.index("Fish") + len(text),
        attribution=f"the {SCRIPT} minister",
        meeting=make_meeting(title=f"Summit {SCRIPT}", slug="summit"),
        topics=[make_topic(name=f"Fish {SCRIPT}", slug="fish")],
        curator_note=SCRIPT,
    )
    return statement


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/statements/",
        "/statements/?q=recovering",
        "/statements/?q=chips+script",
        "/officials/",
        "/officials/ana-kessel/",
        "/topics/",
        "/topics/fish/",
        "/meetings/",
        "/meetings/summit/",
        "/articles/",
        "/articles/talks/",
    ],
)
def test_html_pages_show_hostile_text_as_text(client, hostile, url):
    html = page(client, url)
    assert SCRIPT not in html
    assert IMG not in html
    assert 'onerror="alert' not in html


def test_the_permalink_escapes_text_meta_tags_and_json_ld(client, hostile):
    html = page(client, hostile.get_absolute_url())
    assert SCRIPT not in html and IMG not in html
    assert ESCAPED_SCRIPT in html
    # The JSON-LD block must not be closed early by a </script> in the quote.
    ld_start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    ld_end = html.index("</script>", ld_start)
    data = json.loads(html[ld_start:ld_end])
    assert data["text"] == hostile.text


def test_search_highlights_mark_words_but_escape_the_rest(client, hostile):
    html = page(client, "/statements/?q=recovering")
    assert "<mark>recovering</mark>" in html
    assert "Fish &amp; chips" in html
    assert SCRIPT not in html


def test_feeds_carry_hostile_text_as_text(client, hostile):
    for url in ["/statements/feed/", "/officials/ana-kessel/feed/", "/topics/fish/feed/"]:
        response = client.get(url)
        assert SCRIPT.encode() not in response.content, url
        root = ET.fromstring(response.content)  # well-formed XML, or this raises
        texts = " ".join(element.text or "" for element in root.iter())
        assert "</script>" in texts or "&lt;/script&gt;" in texts


def test_downloads_and_the_api_carry_the_text_exactly_as_data(client, hostile):
    csv_body = b"".join(client.get("/statements/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert [row["text"] for row in rows] == [hostile.text]
    response = client.get("/statements/export.json")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"].startswith("application/json")
    assert [record["text"] for record in json.loads(body)] == [hostile.text]
    api = client.get(f"/api/v1/statements/{hostile.pk}/")
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["text"] == hostile.text


def test_the_api_snippet_is_escaped_html(client, hostile):
    results = client.get("/api/v1/statements/", {"q": "recovering"}).json()["results"]
    (result,) = [r for r in results if r["id"] == hostile.pk]
    assert "<mark>recovering</mark>" in result["snippet"]
    assert "<script>" not in result["snippet"] and "&lt;script&gt;" in result["snippet"]
    assert Statement.objects.get(pk=hostile.pk).text == hostile.text
