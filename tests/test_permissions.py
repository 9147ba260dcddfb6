"""Who may do what: anonymous, curator, editor and superuser against every admin and public URL.

Drafts leak nowhere public: lists, search, facets, counts, feeds, exports, the API, the sitemap,
article pages and replies.
"""

import pytest
from django.urls import reverse

from statements.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Outlet,
    Role,
    Statement,
    Topic,
)

from .factories import make_outlet, make_statement
from .helpers import admin_url

pytestmark = pytest.mark.django_db

MODELS = [Official, Organization, Role, Outlet, Article, Meeting, Topic, Statement]
ROLES = ["anonymous", "curator", "editor", "superuser", "staff_without_group"]


@pytest.fixture
def archive(seeded):
    make_outlet()
    return {model: model.objects.first() for model in MODELS}


def public_urls(archive):
    statement = archive[Statement]
    return [
        "/",
        "/statements/",
        "/statements/?q=assad",
        statement.get_absolute_url(),
        "/officials/",
        archive[Official].get_absolute_url(),
        "/topics/",
        archive[Topic].get_absolute_url(),
        "/meetings/",
        archive[Meeting].get_absolute_url(),
        "/articles/",
        archive[Article].get_absolute_url(),
        "/statements/feed/",
        "/statements/export.csv",
        "/statements/export.json",
        "/api/v1/",
        "/api/v1/statements/",
        f"/api/v1/statements/{statement.pk}/",
        "/api/v1/popolo.json",
        "/api/v1/schema/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_every_public_page(as_role, archive, role):
    client = as_role(role)
    for url in public_urls(archive):
        assert client.get(url).status_code == 200, url


EXPECTED = {
    # role: (changelist/add/change/history, delete, user admin, import, export, suggest,
    #        the queue of changes to published statements waiting for an editor)
    "anonymous": ("login", "login", "login", "login", "login", "login", "login"),
    "staff_without_group": (403, 403, 403, 403, 403, 403, 403),
    "curator": (200, 403, 403, 403, 200, 200, 403),
    "editor": (200, 200, 403, 200, 200, 200, 200),
    "superuser": (200, 200, 200, 200, 200, 200, 200),
}


def assert_answer(response, expected, url):
    if expected == "login":
        assert response.status_code == 302 and "/login/" in response["Location"], url
    else:
        assert response.status_code == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_it_may_in_the_admin(as_role, archive, role):
    client = as_role(role)
    edit, delete, users, importing, exporting, suggest, queue = EXPECTED[role]
    index = client.get(reverse("admin:index"))
    assert_answer(index, "login" if role == "anonymous" else 200, "admin index")
    for model in MODELS:
        obj = archive[model]
        for url in (
            admin_url(model, "changelist"),
            admin_url(model, "add"),
            admin_url(model, "change", obj.pk),
            admin_url(model, "history", obj.pk),
        ):
            assert_answer(client.get(url), edit, url)
        url = admin_url(model, "delete", obj.pk)
        assert_answer(client.get(url), delete, url)
    assert_answer(client.get(reverse("admin:auth_user_changelist")), users, "users")
    assert_answer(client.get(reverse("archive_import")), importing, "import")
    assert_answer(client.get(reverse("archive_export")), exporting, "export")
    suggest_url = reverse("admin:statements_article_suggest", args=[archive[Article].pk])
    assert_answer(client.get(suggest_url), suggest, "suggest")
    queue_url = reverse("admin:statements_pending_queue")
    assert_answer(client.get(queue_url), queue, "pending changes")


@pytest.mark.parametrize("role", ["curator", "editor", "superuser"])
def test_only_publishers_are_offered_the_publish_actions(as_role, archive, role):
    page = as_role(role).get(admin_url(Statement, "changelist"))
    action_form = page.context["action_form"]
    actions = {c[0] for c in action_form.fields["action"].choices} if action_form else set()
    assert ("publish" in actions) == (role != "curator")
    assert ("unpublish" in actions) == (role != "curator")
    assert ("delete_selected" in actions) == (role != "curator")


SECRET_WORD = "zanzibarquux"


@pytest.fixture
def draft(archive):
    published = archive[Statement]
    return make_statement(
        speaker=published.speaker,
        article=published.article,
        topics=list(published.topics.all()),
        meeting=published.meeting,
        said_on=published.said_on,
        in_reply_to=published,
        text=f"The {SECRET_WORD} draft must never be seen",
        status=Statement.Status.DRAFT,
    )


def test_a_draft_leaks_nowhere_public(client, archive, draft):
    published = archive[Statement]
    urls = [
        *public_urls(archive),
        f"/statements/?q={SECRET_WORD}",
        f"/statements/feed/?q={SECRET_WORD}",
        f"/statements/export.csv?q={SECRET_WORD}",
        f"/statements/export.json?q={SECRET_WORD}",
        f"/api/v1/statements/?q={SECRET_WORD}",
        f"/api/v1/statements/{published.pk}/",
        f"/api/v1/officials/{draft.speaker.slug}/",
        f"/officials/{draft.speaker.slug}/feed/",
        "/sitemap-statements.xml",
    ]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # The query itself may be echoed back; the draft's words may not.
        assert b"draft must never be seen" not in body, url
        assert f"/statements/{draft.pk}/".encode() not in body, url
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/statements/{draft.pk}/").status_code == 404


def test_counts_do_not_include_drafts(client, archive, draft):
    api = client.get("/api/v1/statements/", {"official": draft.speaker.slug}).json()
    published = Statement.objects.published().filter(speaker=draft.speaker).count()
    assert api["count"] == published
    page = client.get("/statements/", {"official": draft.speaker.slug})
    assert page.context["paginator"].count == published
