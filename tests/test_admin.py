"""The curator's workspace: every admin page renders, and the publish boundary holds."""

import datetime

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

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_outlet,
    make_role,
    make_statement,
    make_topic,
)
from .helpers import admin_url, inline_formset_data, statement_form

pytestmark = pytest.mark.django_db

MODELS = [Official, Organization, Role, Outlet, Article, Meeting, Topic, Statement]


@pytest.fixture
def one_of_each(seeded):
    """The seed archive plus a fictional outlet (the seed article's outlet is unknown)."""
    make_outlet()
    return {model: model.objects.first() for model in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_changelist_renders_for_a_superuser(client, superuser, one_of_each, model):
    client.force_login(superuser)
    page = client.get(admin_url(model, "changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_add_page_renders_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_change_page_renders_for_a_superuser(client, superuser, one_of_each, model):
    client.force_login(superuser)
    obj = one_of_each[model]
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_the_statement_changelist_filters_by_speaker_topic_kind_status_meeting_and_date(
    client, superuser, seeded
):
    client.force_login(superuser)
    lavrov = Official.objects.get(slug="sergei-lavrov")
    topic = Topic.objects.get(slug="assads-future")
    meeting = Meeting.objects.get()
    url = admin_url(Statement, "changelist")
    assert client.get(url, {"speaker__id__exact": lavrov.pk}).context["cl"].result_count == 9
    assert client.get(url, {"topics__id__exact": topic.pk}).context["cl"].result_count == 2
    assert client.get(url, {"kind__exact": "direct"}).context["cl"].result_count == 2
    assert client.get(url, {"status__exact": "draft"}).context["cl"].result_count == 0
    assert client.get(url, {"meeting__id__exact": meeting.pk}).context["cl"].result_count == 13
    assert client.get(url, {"said_on__year": "2015"}).context["cl"].result_count == 13
    assert client.get(url, {"q": "Assad"}).context["cl"].result_count == 1


def test_autocomplete_finds_an_official_by_another_spelling(client, superuser, seeded):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Sergey",
            "app_label": "statements",
            "model_name": "statement",
            "field_name": "speaker",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Sergei Lavrov"]


def test_a_curator_adds_a_statement_but_it_stays_a_draft(curator_client, curator):
    article, speaker = make_article(), make_official()
    response = curator_client.post(
        admin_url(Statement, "add"), statement_form(article, speaker, status="published")
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.DRAFT
    assert statement.created_by == curator
    assert statement.updated_by == curator
    assert article.body[statement.start_offset : statement.end_offset] == statement.text


def test_a_curator_cannot_publish_by_changing_the_form(curator_client):
    statement = make_statement(status="draft")
    data = statement_form(
        statement.article, statement.speaker, status="published", edited_version=statement.version
    )
    response = curator_client.post(admin_url(Statement, "change", statement.pk), data)
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_a_curator_is_not_offered_the_publish_action_and_cannot_force_it(curator_client):
    statement = make_statement(status="draft")
    page = curator_client.get(admin_url(Statement, "changelist"))
    action_form = page.context["action_form"]
    actions = [choice[0] for choice in action_form.fields["action"].choices] if action_form else []
    assert "publish" not in actions
    curator_client.post(
        admin_url(Statement, "changelist"),
        {"action": "publish", "_selected_action": [statement.pk]},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_a_curator_enters_statements_inline_on_the_article_page_as_drafts(curator_client):
    article, speaker = make_article(), make_official()
    response = curator_client.post(
        admin_url(Article, "change", article.pk), inline_formset_data(article, speaker)
    )
    assert response.status_code == 302, response.context["errors"]
    statement = Statement.objects.get()
    assert statement.article == article
    assert statement.status == Statement.Status.DRAFT
    assert statement.start_offset == article.body.index("We will")


def test_an_inline_statement_with_wrong_offsets_is_refused_with_a_message(superuser, client):
    client.force_login(superuser)
    article, speaker = make_article(), make_official()
    response = client.post(
        admin_url(Article, "change", article.pk),
        inline_formset_data(article, speaker, start_offset="0", end_offset="10"),
    )
    assert response.status_code == 200
    assert "At these offsets the article reads" in response.content.decode()
    assert not Statement.objects.exists()


def test_an_editor_publishes_by_form_inline_and_action(editor_client):
    article, speaker = make_article(), make_official()
    editor_client.post(
        admin_url(Article, "change", article.pk), inline_formset_data(article, speaker)
    )
    assert Statement.objects.get().status == Statement.Status.PUBLISHED

    draft = make_statement(status="draft")
    editor_client.post(
        admin_url(Statement, "change", draft.pk),
        statement_form(
            draft.article, draft.speaker, status="published", edited_version=draft.version
        ),
    )
    draft.refresh_from_db()
    assert draft.status == Statement.Status.PUBLISHED

    other = make_statement(status="draft")
    editor_client.post(
        admin_url(Statement, "changelist"),
        {"action": "publish", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.status == Statement.Status.PUBLISHED


def test_an_editor_unpublishes_with_the_action(editor_client):
    statement = make_statement(status="published")
    editor_client.post(
        admin_url(Statement, "changelist"),
        {"action": "unpublish", "_selected_action": [statement.pk]},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_a_curator_cannot_delete_anything(curator_client, model, seeded):
    obj = model.objects.first() or make_outlet()
    response = curator_client.get(admin_url(model, "delete", obj.pk))
    assert response.status_code == 403


def test_an_editor_can_delete_a_statement(editor_client):
    statement = make_statement()
    response = editor_client.post(admin_url(Statement, "delete", statement.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.exists()


def test_a_curator_adds_an_official_with_other_names_and_a_role(curator_client):
    organization_official = make_official()
    role = make_role(organization_official)
    response = curator_client.post(
        admin_url(Official, "add"),
        {
            "name": "Ana Kessel",
            "slug": "ana-kessel",
            "sort_name": "",
            "other_names": "Anna Kessel\r\nA. Kessel\r\n",
            "country": "NZ",
            "wikidata_id": "",
            "biography": "",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-title": "Minister of External Affairs",
            "roles-0-organization": role.organization.pk,
            "roles-0-start_date": "2019-01-01",
            "roles-0-start_date_precision": "day",
            "roles-0-end_date": "",
            "roles-0-end_date_precision": "day",
        },
    )
    assert response.status_code == 302
    official = Official.objects.get(slug="ana-kessel")
    assert official.other_names == ["Anna Kessel", "A. Kessel"]
    assert official.sort_name == "Kessel, Ana"
    assert official.role_on(datetime.date(2020, 1, 1)).title == "Minister of External Affairs"


def test_the_meeting_page_lists_its_statements_inline(client, superuser):
    meeting = make_meeting()
    make_statement(meeting=meeting, text="We will meet again in spring")
    client.force_login(superuser)
    page = client.get(admin_url(Meeting, "change", meeting.pk))
    assert "We will meet again in spring" in page.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(admin_url(Statement, "changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_topics_can_be_chosen_by_autocomplete_on_statements(client, superuser):
    make_topic(name="Fisheries quotas", slug="fisheries-quotas")
    client.force_login(superuser)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "quotas",
            "app_label": "statements",
            "model_name": "statement",
            "field_name": "topics",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Fisheries quotas"]
