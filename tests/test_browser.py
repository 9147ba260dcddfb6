"""A reader's paths through the site in Debian's Chromium, with screenshots of every page type.

Chromium comes from the system (never `playwright install`). Where it is missing these tests
skip, except under CI=true, where a missing browser is a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop in
# this one, which Django would otherwise refuse to mix with database access.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so the browser tests may not be skipped.")
    pytest.skip(reason)


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("Debian's Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_server, seeded, browser):
    # The browser comes last so that it closes first, before the database is flushed: no
    # request can then reach the live server between the flush and the next test.
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def screenshot(page, name):
    """Save the page at phone and desktop widths, then restore the desktop width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_a_reader_walks_from_home_to_an_official_a_statement_and_its_article(page):
    page.goto(page.base_url + "/")
    assert page.locator("h1").inner_text().startswith("What officials said")
    screenshot(page, "home")

    page.get_by_role("complementary").get_by_role("link", name="Sergei Lavrov").click()
    page.wait_for_url(re.compile(r"/officials/sergei-lavrov/$"))
    assert page.locator("h1").inner_text() == "Sergei Lavrov"
    assert page.locator("svg[role=img] title").first.text_content().startswith("Statements by")
    screenshot(page, "official")

    page.locator(".statement-card", has_text="departure of President Bashar Al-Assad").get_by_role(
        "link", name=re.compile("Cite this statement")
    ).click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    assert "departure of President Bashar Al-Assad" in page.locator("blockquote").inner_text()
    citation = page.locator("#citation-text").input_value()
    assert citation.startswith("Sergei Lavrov (Minister of Foreign Affairs)")
    screenshot(page, "statement")

    page.get_by_role("link", name="US -Russian Agreement on Making a Breakthrough").first.click()
    page.wait_for_url(re.compile(r"/articles/us-russian-agreement-breakthrough-syria/#statement-"))
    marks = page.locator(".article-body mark")
    assert marks.count() == 13
    screenshot(page, "article")


def test_a_reader_cites_lavrov_on_assad_in_three_clicks_from_the_home_page(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(page.base_url + "/")
    page.get_by_role("complementary").get_by_role("link", name="Assad's future").click()  # 1
    page.locator(".statement-card", has_text="departure of President Bashar Al-Assad").get_by_role(
        "link", name=re.compile("Cite this statement")
    ).click()  # 2
    page.get_by_role("button", name="Copy citation").click()  # 3
    page.get_by_role("button", name="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Bashar Al-Assad" in copied
    assert copied.startswith("Sergei Lavrov (Minister of Foreign Affairs), New York")


def test_a_reader_filters_the_list_by_topic_and_date_and_removes_a_chip(page):
    page.goto(page.base_url + "/statements/")
    screenshot(page, "statement-list")
    form = page.locator("form.filters")
    form.get_by_label("Topic").select_option(label="Military coordination")
    form.get_by_label("From", exact=True).fill("2015-06-01")
    form.get_by_label("To", exact=True).fill("2015-12-31")
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"topic=military-coordination"))
    assert page.locator(".statement-card").count() == 4
    assert page.locator(".chip").filter(has_text="Topic: Military coordination").count() == 1
    assert page.locator(".chip").filter(has_text="From 1 June 2015").count() == 1
    screenshot(page, "statement-list-filtered")

    page.get_by_role("link", name="Remove filter Topic: Military coordination").click()
    page.wait_for_url(lambda url: "topic=" not in url)
    assert page.locator(".statement-card").count() == 13


def test_a_search_highlights_words_and_offers_the_official_named(page):
    page.goto(page.base_url + "/")
    page.get_by_label("Search what was said").fill("dialogue")
    page.get_by_label("Search what was said").press("Enter")
    page.wait_for_url(re.compile(r"/statements/\?q=dialogue"))
    assert page.locator(".statement-card mark", has_text="dialogue").count() >= 1
    screenshot(page, "search")

    page.get_by_role("search").get_by_label("Search statements").fill("Sergei Lavrov")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.locator(".officials-named").get_by_role("link", name="Sergei Lavrov").click()
    page.wait_for_url(re.compile(r"/officials/sergei-lavrov/$"))


def test_every_other_page_type_renders_at_phone_and_desktop_widths(page):
    for name, path in [
        ("official-list", "/officials/"),
        ("topic-list", "/topics/"),
        ("topic", "/topics/syria/"),
        ("meeting-list", "/meetings/"),
        ("meeting", "/meetings/lavrov-kerry-talks-new-york/"),
        ("article-list", "/articles/"),
        ("bad-filter", "/statements/?topic=nowhere&date_from=yesterday"),
        ("not-found", "/statements/999999/"),
    ]:
        response = page.goto(page.base_url + path)
        assert response.status < 500, path
        assert page.locator("main h1").count() == 1, path
        screenshot(page, name)


def test_the_site_works_without_javascript(live_server, seeded, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/statements/")
    page.locator("form.filters").get_by_label("Kind").select_option(label="Direct quote")
    page.locator("form.filters").get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=direct"))
    assert page.locator(".statement-card").count() == 2
    page.locator(".statement-card").first.get_by_role("link", name=re.compile("Cite")).click()
    assert "Quoted in" in page.locator("#citation-text").input_value()
    assert not page.get_by_role("button", name="Copy citation").is_visible()
    context.close()


def test_keyboard_focus_is_visible(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent, s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "Skip to content"
    assert focused[1] == "solid" and focused[2] != "0px"
