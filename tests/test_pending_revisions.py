"""Published words change only through an editor: a curator's change to a published statement
waits as a pending revision; editors see it in a queue, compare, approve or reject it."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.forms import modelform_factory
from django.urls import reverse

from statements.admin.forms import ArticleAdminForm
from statements.models import Article, OfficialTally, PendingRevision, Statement
from statements.revisions import ChangeRefused, approve

from .factories import make_article, make_meeting, make_official, make_statement, make_topic
from .helpers import (
    admin_url,
    count_queries,
    export_text,
    inline_formset_data,
    line,
    lines_of,
    statement_form,
)

pytestmark = pytest.mark.django_db

OLD = "We will meet again in spring"
NEW = "We will never meet again, zanzibarquux"
ROLES = ["anonymous", "curator", "editor", "superuser", "staff_without_group"]
PUBLISHERS = {"editor", "superuser"}
CHANGERS = {"curator", "editor", "superuser"}


def form_edit(statement, **changes):
    data = statement_form(
        statement.article, statement.speaker, edited_version=statement.version, text=NEW
    )
    data.update(changes)
    return data


def inline_edit(statement, **changes):
    data = inline_formset_data(
        statement.article,
        statement.speaker,
        id=statement.pk,
        edited_version=statement.version,
        text=NEW,
        **changes,
    )
    data["statements-INITIAL_FORMS"] = "1"
    return data


def post_edit(client, statement, how):
    if how == "form":
        return client.post(admin_url(Statement, "change", statement.pk), form_edit(statement))
    if how == "article inline":
        url = reverse("admin:statements_article_change", args=[statement.article.pk])
        return client.post(url, inline_edit(statement))
    meeting = statement.meeting
    data = inline_edit(statement)
    data["statements-0-article"] = data.pop("statements-0-meeting") or statement.article.pk
    data.update(
        title=meeting.title,
        slug=meeting.slug,
        kind=meeting.kind,
        start_date="2020-03-04",
        start_date_precision="day",
        end_date="",
        end_date_precision="day",
        city="",
        country="",
        description="",
    )
    return client.post(reverse("admin:statements_meeting_change", args=[meeting.pk]), data)


def assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("how", ["form", "article inline", "meeting inline"])
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_changed_directly_by_whoever_may_change_statements(as_role, role, how):
    draft = make_statement(status="draft", meeting=make_meeting())
    response = post_edit(as_role(role), draft, how)
    draft.refresh_from_db()
    if role in CHANGERS:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert draft.text == NEW
    else:
        assert_refused(response, role)
        assert draft.text == OLD
    assert not PendingRevision.objects.exists()


@pytest.mark.parametrize("how", ["form", "article inline", "meeting inline"])
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_change_published_words_and_curators_changes_wait(as_role, role, how):
    published = make_statement(meeting=make_meeting())
    version = published.version
    response = post_edit(as_role(role), published, how)
    published.refresh_from_db()
    if role in PUBLISHERS:
        assert response.status_code == 302
        assert published.text == NEW
        assert not PendingRevision.objects.exists()
    elif role == "curator":
        assert response.status_code == 302
        assert (published.text, published.version) == (OLD, version)
        pending = PendingRevision.objects.get()
        assert pending.state == PendingRevision.State.PENDING
        assert (pending.base_version, pending.values["text"]) == (version, NEW)
        assert pending.proposed_by.username == "curator"
    else:
        assert_refused(response, role)
        assert published.text == OLD
        assert not PendingRevision.objects.exists()


def held_change(changes, as_role):
    """A published statement and a curator's change to it, held for an editor."""
    published = make_statement()
    as_role("curator").post(
        admin_url(Statement, "change", published.pk), form_edit(published, **changes)
    )
    return published, PendingRevision.objects.get(statement=published)


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_see_the_queue_and_compare_a_change(as_role, role):
    published, pending = held_change({}, as_role)
    client = as_role(role)
    queue = client.get(reverse("admin:statements_pending_queue"))
    review = client.get(reverse("admin:statements_pending_revision", args=[pending.pk]))
    if role in PUBLISHERS:
        assert queue.status_code == review.status_code == 200
        assert f"#{published.pk}" in queue.content.decode()
        assert review.context["changes"] == [("text", OLD, NEW)]
    else:
        assert_refused(queue, role)
        assert_refused(review, role)


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_approve_or_reject_a_change(as_role, role, decision):
    published, pending = held_change({}, as_role)
    url = reverse("admin:statements_pending_revision", args=[pending.pk])
    response = as_role(role).post(url, {decision: "1", "note": "Check the source again"})
    published.refresh_from_db()
    pending.refresh_from_db()
    if role in PUBLISHERS:
        assert response.status_code == 302
        assert pending.state == ("approved" if decision == "approve" else "rejected")
        assert published.text == (NEW if decision == "approve" else OLD)
        assert pending.decided_by.username == ("root" if role == "superuser" else role)
    else:
        assert_refused(response, role)
        assert pending.state == PendingRevision.State.PENDING
        assert published.text == OLD


def test_a_curator_cannot_approve_their_own_change_through_the_service_view(as_role):
    _published, pending = held_change({}, as_role)
    client = as_role("curator")
    url = reverse("admin:statements_pending_revision", args=[pending.pk])
    assert client.post(url, {"approve": "1"}).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_import_so_a_curator_cannot_change_published_words_by_file(as_role, role):
    published = make_statement()
    records = lines_of(export_text())
    for record in records:
        if record.get("type") == "statement":
            record["attribution"] = "the zanzibarquux minister"
    body = "\n".join(line(record) for record in records) + "\n"
    client = as_role(role)
    upload = io.BytesIO(body.encode())
    upload.name = "changed.jsonl"
    response = client.post(reverse("archive_import"), {"file": upload})
    if role in PUBLISHERS:
        assert response.status_code == 200
        token = response.context["token"]
        client.post(reverse("archive_import"), {"confirm": "1", "token": token})
        published.refresh_from_db()
        assert published.attribution == "the zanzibarquux minister"
    else:
        assert_refused(response, role)
        published.refresh_from_db()
        assert published.attribution == ""


def public_bodies(client, statement):
    urls = [
        statement.get_absolute_url(),
        f"/api/v1/statements/{statement.pk}/",
        "/statements/feed/",
        "/statements/export.json",
    ]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(body.decode())
    return bodies


def test_the_public_reads_the_approved_words_until_an_editor_approves_the_new_ones(as_role, client):
    topic = make_topic()
    published, pending = held_change({"topics": [topic.pk]}, as_role)
    client.logout()
    for body in public_bodies(client, published):
        assert "never meet again" not in body
    assert "We will meet again in spring" in public_bodies(client, published)[0]
    assert client.get("/api/v1/statements/", {"q": "zanzibarquux"}).json()["count"] == 0

    editor = as_role("editor")
    editor.post(reverse("admin:statements_pending_revision", args=[pending.pk]), {"approve": "1"})
    client.logout()
    for body in public_bodies(client, published):
        assert "never meet again" in body
    assert client.get("/api/v1/statements/", {"q": "zanzibarquux"}).json()["count"] == 1
    published.refresh_from_db()
    assert list(published.topics.all()) == [topic]
    revision = published.revisions.first()
    assert revision.version == published.version
    assert revision.data["text"] == NEW
    assert "Approved the change proposed by curator" in revision.comment


def test_approving_a_change_made_on_an_older_version_is_refused_with_the_reason(as_role):
    published, pending = held_change({}, as_role)
    editor = as_role("editor")
    editor.post(
        admin_url(Statement, "change", published.pk),
        form_edit(published, text=OLD, attribution="the foreign minister"),
    )
    url = reverse("admin:statements_pending_revision", args=[pending.pk])
    page = editor.get(url)
    assert "cannot be approved" in page.content.decode()
    response = editor.post(url, {"approve": "1"}, follow=True)
    html = response.content.decode()
    assert "has been saved since this change was proposed" in html
    assert "attribution: “” → “the foreign minister”" in html
    published.refresh_from_db()
    pending.refresh_from_db()
    assert published.text == OLD and published.attribution == "the foreign minister"
    assert pending.state == PendingRevision.State.PENDING
    with pytest.raises(ChangeRefused):
        approve(pending, user=None)


def test_a_decided_change_cannot_be_decided_again(as_role):
    published, pending = held_change({}, as_role)
    editor = as_role("editor")
    url = reverse("admin:statements_pending_revision", args=[pending.pk])
    editor.post(url, {"reject": "1"})
    pending.refresh_from_db()
    with pytest.raises(ChangeRefused, match="already rejected"):
        approve(pending, user=None)
    published.refresh_from_db()
    assert published.text == OLD


def test_the_curator_sees_the_state_of_their_change_on_the_statements_page(as_role):
    published, pending = held_change({}, as_role)
    curator = as_role("curator")
    page = curator.get(admin_url(Statement, "change", published.pk)).content.decode()
    assert "pending editor approval" in page
    as_role("editor").post(
        reverse("admin:statements_pending_revision", args=[pending.pk]),
        {"reject": "1", "note": "The source says otherwise"},
    )
    page = as_role("curator").get(admin_url(Statement, "change", published.pk)).content.decode()
    assert "rejected" in page and "The source says otherwise" in page


def test_the_curators_save_says_the_change_waits_for_an_editor(as_role):
    published = make_statement()
    response = as_role("curator").post(
        admin_url(Statement, "change", published.pk), form_edit(published), follow=True
    )
    assert "pending editor approval" in response.content.decode()
    logged = LogEntry.objects.get(object_id=str(published.pk))
    assert logged.get_change_message() == (
        "Proposed a change (text), held for an editor's approval."
    )


def test_editors_see_the_count_of_waiting_changes_on_the_index_and_the_statement(as_role):
    published, _pending = held_change({}, as_role)
    editor = as_role("editor")
    assert (
        "Pending changes to published statements (1)"
        in editor.get(reverse("admin:index")).content.decode()
    )
    page = editor.get(admin_url(Statement, "change", published.pk)).content.decode()
    assert "Pending changes (1)" in page
    curator = as_role("curator")
    assert "Pending changes" not in curator.get(reverse("admin:index")).content.decode()


def test_a_curators_note_on_a_published_statement_is_saved_directly(as_role):
    published = make_statement()
    as_role("curator").post(
        admin_url(Statement, "change", published.pk),
        form_edit(published, text=OLD, curator_note="Checked against the recording"),
    )
    published.refresh_from_db()
    assert published.curator_note == "Checked against the recording"
    assert not PendingRevision.objects.exists()


def test_a_held_change_keeps_every_field_a_reader_sees(as_role):
    other, topic, meeting = make_official(), make_topic(), make_meeting()
    published, pending = held_change(
        {
            "speaker": other.pk,
            "kind": "paraphrase",
            "said_on": "2021-05-01",
            "said_on_precision": "month",
            "place_city": "Port Ardent",
            "meeting": meeting.pk,
            "topics": [topic.pk],
            "mentions": [other.pk],
            "language": "fr",
            "translation": "We will never meet again",
            "article": make_article(body=f"She said: {NEW}.").pk,
        },
        as_role,
    )
    published.refresh_from_db()
    assert published.topics.count() == 0 and published.speaker != other
    approve(pending, user=User.objects.get(username="editor"))
    published.refresh_from_db()
    assert published.speaker == other
    assert (published.kind, published.said_on.isoformat()) == ("paraphrase", "2021-05-01")
    assert (published.place_city, published.meeting, published.language) == (
        "Port Ardent",
        meeting,
        "fr",
    )
    assert list(published.topics.all()) == [topic]
    assert list(published.mentions.all()) == [other]
    assert published.article.body[published.start_offset : published.end_offset] == NEW
    assert published.status == Statement.Status.PUBLISHED


@pytest.mark.parametrize("role", ["curator", "editor", "superuser"])
def test_editors_create_and_publish_in_one_step_and_curators_create_drafts(as_role, role):
    article = make_article()
    client = as_role(role)
    add = client.get(admin_url(Statement, "add"))
    assert ("status" in add.context["adminform"].form.fields) == (role in PUBLISHERS)
    response = client.post(
        admin_url(Statement, "add"), statement_form(article, make_official(), status="published")
    )
    assert response.status_code == 302
    expected = "published" if role in PUBLISHERS else "draft"
    assert Statement.objects.get().status == expected
    url = reverse("admin:statements_article_change", args=[article.pk])
    inline = inline_formset_data(article, make_official(), status="published", text="Fish first")
    assert client.post(url, inline).status_code == 302
    assert Statement.objects.get(text="Fish first").status == expected


def test_the_queue_takes_a_bounded_number_of_queries(as_role):
    counts = []
    for _ in range(2):
        for _ in range(6):
            held_change({}, as_role)
        counts.append(count_queries(as_role("editor"), reverse("admin:statements_pending_queue")))
    assert counts[0] == counts[1] <= 8, counts


def test_an_approved_new_speaker_moves_the_tallies_and_the_official_pages(as_role, client):
    other = make_official()

    def tallied(official):
        tally = OfficialTally.objects.filter(official=official).first()
        return tally.published if tally else 0

    published, pending = held_change({"speaker": other.pk}, as_role)
    first = published.speaker
    assert (tallied(first), tallied(other)) == (1, 0)
    client.logout()
    assert client.get(other.get_absolute_url()).context["paginator"].count == 0
    approve(pending, user=User.objects.get(username="editor"))
    assert (tallied(first), tallied(other)) == (0, 1)
    assert client.get(other.get_absolute_url()).context["paginator"].count == 1


def body_form(article, body, *, can_publish):
    form_class = modelform_factory(Article, form=ArticleAdminForm, fields=["body"])
    form_class.can_publish = can_publish
    return form_class(data={"body": body}, instance=article)


def test_a_curator_cannot_move_a_published_statement_s_words_by_editing_the_body():
    article = make_article(body=f"Talks ended. {OLD}, the minister said.")
    start = article.body.index(OLD)
    make_statement(article=article, start_offset=start, end_offset=start + len(OLD))
    moved = body_form(article, "Breaking. " + article.body, can_publish=False)
    assert not moved.is_valid()
    assert "published statement" in moved.errors["body"][0]
    kept = body_form(article, article.body + "\n\nUpdated at noon.", can_publish=False)
    assert kept.is_valid(), kept.errors
    assert body_form(article, "Breaking. " + article.body, can_publish=True).is_valid()


def test_approving_a_change_that_names_a_topic_deleted_since_is_refused(as_role, editor):
    topic = make_topic()
    published, pending = held_change({"topics": [topic.pk]}, as_role)
    topic.delete()
    with pytest.raises(ChangeRefused, match="no longer in the archive"):
        approve(pending, user=editor)
    assert published.topics.count() == 0


def test_a_statement_page_with_an_id_that_is_not_a_number_is_not_an_error(as_role):
    client = as_role("editor")
    for object_id in ["abc", "99999999999999999999999"]:
        response = client.get(f"/admin/statements/statement/{object_id}/change/")
        assert response.status_code == 302
