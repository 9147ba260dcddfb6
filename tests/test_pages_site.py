"""Site-wide pieces: redirects for renamed slugs, sitemap, robots.txt, error pages, styles."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from .factories import make_article, make_meeting, make_official, make_statement, make_topic

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "verbatim.css"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "prefix"),
    [
        (make_official, "/officials/"),
        (make_topic, "/topics/"),
        (make_meeting, "/meetings/"),
        (make_article, "/articles/"),
    ],
)
def test_a_renamed_slug_redirects_permanently_to_the_new_url(client, make, prefix):
    obj = make(slug="old-name")
    obj.slug = "new-name"
    obj.save()
    response = client.get(f"{prefix}old-name/?page=1")
    assert response.status_code == 301
    assert response["Location"] == f"{prefix}new-name/?page=1"
    assert client.get(f"{prefix}new-name/").status_code == 200


@pytest.mark.django_db
def test_an_unknown_slug_is_a_404_page_with_a_way_back(client):
    response = client.get("/officials/nobody-at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'href="/"' in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_custom_404_without_internals(client):
    response = client.get("/no/such/place/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Resolver404" not in html


def test_a_server_error_shows_the_custom_500_page_without_details(rf):
    from archive import urls
    from statements import views

    assert urls.handler500 == "statements.views.server_error"
    response = views.server_error(rf.get("/anything/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "Traceback" not in html


@pytest.mark.django_db
def test_the_sitemap_index_lists_every_section_and_each_section_its_pages(client):
    official = make_official(slug="ana")
    statement = make_statement(speaker=official)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    for section in ("pages", "statements", "officials", "topics", "meetings", "articles"):
        assert f"/sitemap-{section}.xml" in index.content.decode()
    statements = client.get("/sitemap-statements.xml").content.decode()
    assert f"http://testserver{statement.get_absolute_url()}" in statements
    assert "<lastmod>" in statements
    assert (
        "http://testserver/officials/ana/" in client.get("/sitemap-officials.xml").content.decode()
    )


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert f"Sitemap: http://testserver{reverse('sitemap')}" in text


@pytest.mark.django_db
def test_pages_have_landmarks_a_skip_link_and_one_h1(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_every_form_control_has_a_label(client):
    make_statement()
    html = client.get("/statements/").content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html)
    controls = re.findall(r"<(?:input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>", html)
    assert len(ids) == len(controls) > 5
    for control_id in ids:
        assert f'<label for="{control_id}"' in html, control_id


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast_on_their_backgrounds():
    css = CSS.read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", css))
    pairs = [
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "panel"),
        ("link", "paper"),
        ("link", "panel"),
        ("accent", "paper"),
        ("ink", "mark"),
        ("error-ink", "error-bg"),
    ]
    for text, background in pairs:
        ratio = contrast(colours[text], colours[background])
        assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}"
    assert contrast("#ffffff", colours["link"]) >= 4.5  # button text


def test_focus_is_always_visible():
    css = CSS.read_text()
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid", css)
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")
