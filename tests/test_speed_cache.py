"""The public pages are cached until the archive changes, and every kind of change shows.

The test settings use no cache (so that the query-count tests measure real work); these tests
switch a real one on. Each checks that a page is served from the cache first, then that a
curator's change, by whichever path it is made, is on the very next request.
"""

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements import caching
from statements.interchange import export_archive, import_archive
from statements.models import Article, Statement

from .factories import make_article, make_official, make_statement, make_topic
from .helpers import admin_url, inline_formset_data, statement_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_cache")]


@pytest.fixture
def quoted():
    speaker = make_official(name="Orla Fenwick", slug="orla-fenwick")
    topic = make_topic(name="Harbour rights", slug="harbour-rights")
    statement = make_statement(
        speaker=speaker,
        text="The harbour stays open to every fleet",
        said_on=datetime.date(2016, 4, 2),
        topics=[topic],
    )
    return statement


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def cached(client, path):
    """The page, asked for twice: the second answer comes from the cache, with no query."""
    first = client.get(path)
    assert first.status_code == 200, path
    again, count = queries_for(client, path)
    assert count == 0, f"{path} ran {count} queries the second time"
    assert again.content == first.content
    return again.content.decode()


PAGES = ["/", "/statements/", "/officials/orla-fenwick/", "/topics/harbour-rights/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_is_served_from_the_cache_the_second_time(client, quoted, path):
    assert "The harbour stays open" in cached(client, path)


def test_the_same_page_for_another_query_string_is_another_entry(client, quoted):
    assert "stays open to every fleet" in cached(client, "/statements/?q=harbour")
    assert "stays open to every fleet" not in cached(client, "/statements/?q=glacier")


def test_saving_a_statement_shows_its_new_words_everywhere(client, quoted):
    permalink = quoted.get_absolute_url()
    for path in [*PAGES, permalink]:
        cached(client, path)
    quoted.text = "The harbour closes to foreign fleets"
    quoted.save()
    for path in [*PAGES, permalink]:
        assert "The harbour closes" in client.get(path).text, path


def test_a_draft_published_through_the_admin_form_appears(client, editor_client, quoted):
    draft = make_statement(status="draft", text="Glaciers are retreating")
    cached(client, "/statements/")
    response = editor_client.post(
        admin_url(Statement, "change", draft.pk),
        statement_form(
            draft.article,
            draft.speaker,
            text="Glaciers are retreating",
            status="published",
            edited_version=draft.version,
        ),
    )
    assert response.status_code == 302
    assert "Glaciers are retreating" in client.get("/statements/").text


def test_a_statement_published_inline_on_its_article_appears(client, editor_client, quoted):
    article, speaker = make_article(), make_official()
    cached(client, "/statements/")
    response = editor_client.post(
        admin_url(Article, "change", article.pk),
        inline_formset_data(article, speaker, text="We will meet again in spring"),
    )
    assert response.status_code == 302
    assert "We will meet again in spring" in client.get("/statements/").text


def test_unpublishing_with_the_admin_action_removes_the_statement_at_once(
    client, editor_client, quoted
):
    permalink = quoted.get_absolute_url()
    cached(client, permalink)
    cached(client, "/statements/")
    editor_client.post(
        admin_url(Statement, "changelist"),
        {"action": "unpublish", "_selected_action": [quoted.pk]},
    )
    assert client.get(permalink).status_code == 404
    assert "The harbour stays open" not in client.get("/statements/").text


def test_a_queryset_update_of_the_status_is_seen(client, quoted):
    cached(client, "/")
    Statement.objects.filter(pk=quoted.pk).update(status=Statement.Status.DRAFT)
    assert "The harbour stays open" not in client.get("/").text


def test_deleting_a_statement_removes_it(client, quoted):
    permalink = quoted.get_absolute_url()
    cached(client, permalink)
    cached(client, "/officials/orla-fenwick/")
    quoted.delete()
    assert client.get(permalink).status_code == 404
    assert "The harbour stays open" not in client.get("/officials/orla-fenwick/").text


def test_filing_a_statement_under_another_topic_updates_the_topic_pages(client, quoted):
    other = make_topic(name="Fishing quotas", slug="fishing-quotas")
    assert "The harbour stays open" not in cached(client, "/topics/fishing-quotas/")
    quoted.topics.add(other)
    assert "The harbour stays open" in client.get("/topics/fishing-quotas/").text


def test_renaming_an_official_renames_them_on_cached_pages(client, quoted):
    cached(client, quoted.get_absolute_url())
    speaker = quoted.speaker
    speaker.name = "Orla Fenwick-Ashe"
    speaker.save()
    assert "Orla Fenwick-Ashe" in client.get(quoted.get_absolute_url()).text


def test_an_import_that_renames_an_official_is_seen(client, quoted):
    permalink = quoted.get_absolute_url()
    cached(client, permalink)
    out = io.StringIO()
    export_archive(out)
    records = [json.loads(line) for line in out.getvalue().split("\n") if line]
    for record in records:
        if record.get("type") == "official":
            record["name"] = "Orla Fenwick-Ashe"
    text = "\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n"
    import_archive(io.BytesIO(text.encode()), name="upload.jsonl")
    assert quoted.speaker.__class__.objects.get(pk=quoted.speaker.pk).name == "Orla Fenwick-Ashe"
    assert "Orla Fenwick-Ashe" in client.get(permalink).text


def test_a_change_bumps_the_generation_again_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = caching.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        caching.bump()
        assert caching.generation() == before + 1
    assert len(callbacks) == 1
    assert caching.generation() == before + 2


def test_a_lost_generation_starts_a_new_one(quoted):
    before = caching.generation()
    cache.delete(caching.GENERATION_KEY)
    assert caching.generation() != before


def test_a_drafts_permalink_is_never_cached_and_never_shown(client):
    draft = make_statement(status="draft", text="Not yet for readers")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Not yet for readers" not in cached(client, "/statements/")


def test_bad_filters_are_answered_every_time_and_never_cached(client, quoted):
    assert client.get("/statements/?date_from=yesterday").status_code == 400
    response, count = queries_for(client, "/statements/?date_from=yesterday")
    assert response.status_code == 400
    assert count > 0


def test_a_former_slug_still_redirects_once_the_page_is_cached(client, quoted):
    speaker = quoted.speaker
    cached(client, speaker.get_absolute_url())
    speaker.slug = "orla-fenwick-ashe"
    speaker.save()
    response = client.get("/officials/orla-fenwick/")
    assert response.status_code == 301
    assert response["Location"] == reverse("official_detail", args=["orla-fenwick-ashe"])
