"""A curator's path from a new article to a published statement, in Debian's Chromium.

Suggest statements, add the speaker the archive does not know yet from a popup, re-read
without losing the ticks, set topics for every ticked row, create drafts; an editor then
publishes, and the public page shows the words under the right speaker.
"""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from statements.models import Statement

from .factories import make_article, make_official, make_role, make_topic

# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop in
# this one, which Django would otherwise refuse to mix with database access.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
BODY = (
    "SALTMERE, Sept 9 (Northern Wire) - Foreign Minister Mira Vondel said on Tuesday that the "
    "fishing talks would resume in May.\n\n"
    "French Trade Minister Teodor Vance said the quotas would fall by a third."
)


@pytest.fixture
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed")
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's Chromium is missing; CI=true, so the test may not skip.")
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(page, base, username):
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def row_of(page, text):
    """The suggestion row whose text area holds these words."""
    return page.locator("table.suggestions tbody tr").filter(
        has=page.locator(f'textarea:text-is("{text}")')
    )


def test_a_curator_archives_a_new_article_and_an_editor_publishes_it(
    live_server, chromium, curator, editor
):
    vondel = make_official(name="Mira Vondel", slug="mira-vondel")
    make_role(vondel, title="Foreign Minister")
    make_topic(name="Fisheries", slug="fisheries")
    article = make_article(
        title="Fishing talks to resume", body=BODY, published_on=datetime.date(2025, 9, 10)
    )
    base = live_server.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    log_in(page, base, "curator")
    page.goto(base + reverse("admin:statements_article_change", args=[article.pk]))
    page.click("text=Suggest statements")
    page.wait_for_selector("#not-in-archive")
    assert page.input_value("#id_said_on") in ("2025-09-09", "09/09/2025")
    assert "Check this date" in page.inner_text("#suggest-form")

    vondel_row = row_of(page, "the fishing talks would resume in May")
    vondel_row.locator("input[type=checkbox]").check()
    vondel_row.locator("select[name$=kind]").select_option("direct")

    with page.expect_popup() as popup_info:
        page.locator("#not-in-archive li", has_text="Teodor Vance").locator(
            "text=Add official"
        ).click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.input_value("#id_name") == "Teodor Vance"
    assert popup.input_value("#id_country") == "FR"
    assert popup.input_value("#id_roles-0-title") == "Trade Minister"
    popup.fill("#id_roles-0-title", "")  # no organisation for the role: leave it out
    with page.expect_navigation():
        popup.click("input[name=_save]")

    # The re-read kept the tick and the edit, and matched the new official.
    vondel_row = row_of(page, "the fishing talks would resume in May")
    assert vondel_row.locator("input[type=checkbox]").is_checked()
    assert vondel_row.locator("select[name$=kind]").input_value() == "direct"
    vance_row = row_of(page, "the quotas would fall by a third")
    assert "Teodor Vance" in vance_row.locator("select[name$=speaker]").inner_text()
    assert page.locator("#not-in-archive").count() == 0
    vance_row.locator("input[type=checkbox]").check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-suggest-reread.png"), full_page=True)

    page.locator("#id_topics + .select2").click()
    page.keyboard.type("Fish")
    page.locator(".select2-results__option", has_text="Fisheries").click()
    page.click("input[value='Create the ticked statements as drafts']")
    page.wait_for_selector("text=Created 2 draft statement(s)")
    drafts = Statement.objects.filter(article=article)
    assert sorted((s.speaker.slug, s.status) for s in drafts) == [
        ("mira-vondel", "draft"),
        ("teodor-vance", "draft"),
    ]
    assert all([t.slug for t in s.topics.all()] == ["fisheries"] for s in drafts)

    context.clear_cookies()
    log_in(page, base, "editor")
    page.goto(base + reverse("admin:statements_statement_changelist") + "?status__exact=draft")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector("text=Published 2 statement(s).")

    statement = Statement.objects.get(speaker__slug="teodor-vance")
    page.goto(base + statement.get_absolute_url())
    assert "the quotas would fall by a third" in page.inner_text("main")
    assert "Teodor Vance" in page.inner_text("main")
    context.close()
    # Inside Playwright's event loop this thread reads through a connection of its own,
    # which nothing else closes before the test database is dropped.
    connections.close_all()
