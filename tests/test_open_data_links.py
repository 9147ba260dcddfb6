"""Each list of statements links to its own feed and downloads, keeping its filters."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def links(html):
    feeds = [unescape(h) for h in re.findall(r'<link rel="alternate" [^>]*href="([^"]+)"', html)]
    downloads = [unescape(h) for h in re.findall(r'<a href="([^"]+)" download>', html)]
    return feeds, downloads


def test_every_page_offers_the_feed_of_latest_statements(client, seeded):
    feeds, _ = links(client.get("/articles/").content.decode())
    assert feeds == ["/statements/feed/"]


def test_a_search_links_to_its_feed_and_downloads_with_the_same_filters(client, seeded):
    html = client.get("/statements/", {"q": "assad", "kind": "paraphrase", "page": 1}).content
    feeds, downloads = links(html.decode())
    assert feeds == ["/statements/feed/?q=assad&kind=paraphrase"]
    assert downloads == [
        "/statements/export.csv?q=assad&kind=paraphrase",
        "/statements/export.json?q=assad&kind=paraphrase",
    ]
    for url in feeds + downloads:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("page", "feed", "param"),
    [
        ("/officials/sergei-lavrov/", "/officials/sergei-lavrov/feed/", "official=sergei-lavrov"),
        ("/topics/syria/", "/topics/syria/feed/", "topic=syria"),
        ("/meetings/lavrov-kerry-talks-new-york/", None, "meeting=lavrov-kerry-talks-new-york"),
    ],
)
def test_detail_pages_link_to_the_data_of_their_statements(client, seeded, page, feed, param):
    feeds, downloads = links(client.get(page).content.decode())
    if feed:
        assert feeds == [feed]
    assert downloads == [f"/statements/export.csv?{param}", f"/statements/export.json?{param}"]
    response = client.get(downloads[0])
    rows = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) > 1
