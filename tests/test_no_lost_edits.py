"""No lost edits: stale saves are refused, duplicates are flagged, history is kept."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.models import Statement
from statements.revisions import normalised_text

from .factories import make_article, make_official, make_statement
from .helpers import inline_formset_data, statement_form

pytestmark = pytest.mark.django_db


def change_url(statement):
    return reverse("admin:statements_statement_change", args=[statement.pk])


@pytest.fixture
def two_curators(client_factory):
    group = Group.objects.get(name="Curator")
    clients = []
    for name in ("ana", "ben"):
        user = User.objects.create_user(name, password="pw-for-tests", is_staff=True)
        user.groups.add(group)
        c = client_factory()
        c.force_login(user)
        clients.append(c)
    return clients


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def edit(statement, version, **changes):
    return statement_form(
        statement.article,
        statement.speaker,
        **{"status": "draft", "edited_version": version, **changes},
    )


def test_the_second_of_two_concurrent_saves_is_refused_and_shows_what_changed(two_curators):
    ana, ben = two_curators
    statement = make_statement(status="draft")
    opened = statement.version
    assert ana.get(change_url(statement)).status_code == 200
    assert ben.get(change_url(statement)).status_code == 200

    assert ana.post(change_url(statement), edit(statement, opened, curator_note="Ana's note"))[
        "Location"
    ]
    response = ben.post(change_url(statement), edit(statement, opened, curator_note="Ben's"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this statement by ana" in page
    assert "Nothing was saved." in page
    assert "curator note: “” → “Ana&#x27;s note”" in page
    statement.refresh_from_db()
    assert statement.curator_note == "Ana's note"


def test_after_seeing_the_conflict_a_curator_can_save_knowingly(two_curators):
    ana, ben = two_curators
    statement = make_statement(status="draft")
    opened = statement.version
    ana.post(change_url(statement), edit(statement, opened, curator_note="Ana's note"))
    refused = ben.post(change_url(statement), edit(statement, opened, curator_note="Ben's"))
    version_in_form = refused.context["adminform"].form["edited_version"].value()
    again = ben.post(change_url(statement), edit(statement, version_in_form, curator_note="Ben's"))
    assert again.status_code == 302
    statement.refresh_from_db()
    assert statement.curator_note == "Ben's"


def test_a_form_without_a_version_is_refused(curator_client):
    statement = make_statement(status="draft")
    data = edit(statement, None)
    data.pop("edited_version")
    response = curator_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()


def test_a_stale_inline_save_on_the_article_page_is_refused(two_curators):
    ana, ben = two_curators
    article, speaker = make_article(), make_official()
    statement = make_statement(article=article, speaker=speaker, status="draft")
    url = reverse("admin:statements_article_change", args=[article.pk])

    def inline_edit(attribution):
        data = inline_formset_data(
            article,
            speaker,
            attribution=attribution,
            id=statement.pk,
            edited_version=1,
            status="draft",
        )
        data["statements-INITIAL_FORMS"] = "1"
        return data

    assert ana.post(url, inline_edit("the minister"))["Location"]
    response = ben.post(url, inline_edit("the foreign minister"))
    assert response.status_code == 200
    assert "Someone else saved this statement" in response.content.decode()
    statement.refresh_from_db()
    assert statement.attribution == "the minister"


def test_publishing_by_action_makes_open_forms_stale(editor_client):
    statement = make_statement(status="draft")
    opened = statement.version
    editor_client.post(
        reverse("admin:statements_statement_changelist"),
        {"action": "publish", "_selected_action": [statement.pk]},
    )
    response = editor_client.post(change_url(statement), edit(statement, opened, status="draft"))
    assert response.status_code == 200
    assert "status: “draft” → “published”" in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED


def test_every_save_raises_the_version():
    statement = make_statement()
    first = statement.version
    statement.curator_note = "checked"
    statement.save()
    assert statement.version == first + 1
    stale = Statement.objects.get(pk=statement.pk)
    statement.save()
    stale.save()
    stale.refresh_from_db()
    assert stale.version == first + 3


def test_the_same_words_with_other_punctuation_count_as_a_duplicate():
    assert normalised_text("“We will  meet, again!”") == normalised_text("we will meet again")
    assert normalised_text("Lávrov") == normalised_text("lavrov")


def test_a_likely_duplicate_by_the_same_speaker_is_flagged_before_saving(curator_client):
    original = make_statement(text="We will meet again in spring", status="published")
    data = statement_form(original.article, original.speaker, text="we will meet AGAIN in spring!")
    response = curator_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 200
    assert f"looks like a duplicate of #{original.pk}" in response.content.decode()
    assert Statement.objects.count() == 1

    data["save_anyway"] = "on"
    response = curator_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 302
    assert Statement.objects.count() == 2


def test_the_same_words_by_another_speaker_are_not_a_duplicate(curator_client):
    original = make_statement(text="We will meet again in spring")
    data = statement_form(original.article, make_official(), text="We will meet again in spring")
    response = curator_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 302


def test_a_statements_history_shows_who_changed_what_and_when(two_curators, superuser, client):
    ana, ben = two_curators
    statement = make_statement(status="draft", attribution="the minister")
    ana.post(change_url(statement), edit(statement, statement.version, curator_note="first"))
    statement.refresh_from_db()
    ben.post(
        change_url(statement),
        edit(statement, statement.version, curator_note="first", place_city="Port Ardent"),
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:statements_statement_history", args=[statement.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "ben" in html and "ana" in html
    assert "<strong>city</strong>: “” → “Port Ardent”" in html
    assert "First recorded version." in html


def test_an_admin_save_records_its_revision_once(editor_client):
    statement = make_statement(status="draft")
    data = edit(statement, statement.version, curator_note="checked")
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.post(change_url(statement), data).status_code == 302
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if "statementrevision" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1
    assert statement.revisions.get(version=statement.version + 1).data["curator_note"] == "checked"
