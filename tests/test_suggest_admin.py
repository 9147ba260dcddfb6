"""The admin's 'Suggest statements' page: review suggestions, create them as drafts."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from statements.models import Article, Statement

from .factories import make_article, make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db

BODY = (
    "Foreign Minister Mira Vondel said on Tuesday that the fishing talks would resume in May. "
    "“We have waited long enough,” she told reporters.\n\n"
    "Lena Osk, who leads the fishermen's union, said the fleet would stay in port."
)


@pytest.fixture
def article(db):
    make_official(name="Mira Vondel", slug="mira-vondel")
    return make_article(body=BODY, published_on=datetime.date(2024, 3, 5))


def suggest_url(article):
    return reverse("admin:statements_article_suggest", args=[article.pk])


def post_data(response, *, ticks, changes=None, said_on="2024-03-05"):
    """The page's own form, with some rows ticked and some fields changed."""
    formset = response.context["formset"]
    data = {
        "said_on": said_on,
        "said_on_precision": "day",
        "meeting": "",
        **{
            f"suggestion-{key}": value
            for key, value in formset.management_form.initial.items()
            if value is not None
        },
    }
    for index, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "create":
                continue
            if name == "speaker":
                value = value.pk if value else ""
            data[f"suggestion-{index}-{name}"] = value
        if index in ticks:
            data[f"suggestion-{index}-create"] = "on"
    for (index, name), value in (changes or {}).items():
        data[f"suggestion-{index}-{name}"] = value
    return data


def test_the_article_page_has_a_suggest_statements_button(curator_client, article):
    response = curator_client.get(reverse("admin:statements_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert suggest_url(article) in response.text
    assert "Suggest statements" in response.text


def test_the_button_is_hidden_from_staff_who_cannot_add_statements(client, article):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    response = client.get(reverse("admin:statements_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert suggest_url(article) not in response.text
    assert client.get(suggest_url(article)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, article):
    response = client.get(suggest_url(article))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_an_unknown_article_is_not_found(curator_client, article, object_id):
    url = reverse("admin:statements_article_suggest", args=[object_id])
    assert curator_client.get(url).status_code == 404


def test_the_page_shows_each_suggestion_in_its_context(curator_client, article):
    response = curator_client.get(suggest_url(article))
    assert response.status_code == 200
    assert "<mark>the fishing talks would resume in May</mark>" in response.text
    assert "<mark>We have waited long enough</mark>" in response.text
    assert "Not in the archive: Lena Osk" in response.text
    assert len(response.context["formset"].forms) == 3
    assert response.context["shared"].initial["said_on"] == datetime.date(2024, 3, 5)


def test_ticked_suggestions_become_drafts_in_one_submit(curator_client, curator, article):
    topic = make_topic(name="Fisheries", slug="fisheries")
    page = curator_client.get(suggest_url(article))
    response = curator_client.post(
        suggest_url(article),
        post_data(page, ticks={0, 1}, changes={(0, "kind"): "paraphrase", (1, "topics"): topic.pk}),
    )
    assert response.status_code == 302, response.context and response.context["formset"].errors
    created = list(Statement.objects.filter(article=article).order_by("start_offset"))
    assert [(s.text, s.speaker.slug, s.status) for s in created] == [
        ("the fishing talks would resume in May", "mira-vondel", "draft"),
        ("We have waited long enough", "mira-vondel", "draft"),
    ]
    for statement in created:
        assert article.body[statement.start_offset : statement.end_offset] == statement.text
        assert statement.created_by == curator
        assert statement.said_on == datetime.date(2024, 3, 5)
    assert list(created[1].topics.all()) == [topic]


def test_a_curator_can_correct_the_text_and_the_speaker(curator_client, article):
    osk = make_official(name="Lena Osk", slug="lena-osk")
    page = curator_client.get(suggest_url(article))
    response = curator_client.post(
        suggest_url(article),
        post_data(
            page,
            ticks={2},
            changes={(2, "speaker"): osk.pk, (2, "text"): "the fleet would stay in port"},
        ),
    )
    assert response.status_code == 302
    statement = Statement.objects.get(article=article)
    assert statement.speaker == osk
    assert article.body[statement.start_offset : statement.end_offset] == statement.text


def test_nothing_is_created_when_one_ticked_row_is_wrong(curator_client, article):
    page = curator_client.get(suggest_url(article))
    response = curator_client.post(
        suggest_url(article),
        post_data(page, ticks={0, 1}, changes={(1, "text"): "words the article never printed"}),
    )
    assert response.status_code == 200
    assert "does not stand in the article" in response.text
    assert not Statement.objects.exists()


def test_a_ticked_row_needs_a_speaker(curator_client, article):
    page = curator_client.get(suggest_url(article))
    response = curator_client.post(suggest_url(article), post_data(page, ticks={2}))
    assert response.status_code == 200
    assert "Choose the official who said this" in response.text
    assert not Statement.objects.exists()


def test_the_shared_date_is_required(curator_client, article):
    page = curator_client.get(suggest_url(article))
    response = curator_client.post(suggest_url(article), post_data(page, ticks={0}, said_on=""))
    assert response.status_code == 200
    assert not Statement.objects.exists()


def test_archived_suggestions_are_marked_and_not_offered_again(curator_client, article):
    vondel = article.statements.model.speaker.field.related_model.objects.get(slug="mira-vondel")
    existing = make_statement(
        speaker=vondel, article=article, text="We have waited long enough", status="draft"
    )
    response = curator_client.get(suggest_url(article))
    assert [s.text for s, statement, _ in response.context["archived"]] == [existing.text]
    assert reverse("admin:statements_statement_change", args=[existing.pk]) in response.text
    assert [form.initial["text"] for form in response.context["formset"].forms] == [
        "the fishing talks would resume in May",
        "the fleet would stay in port",
    ]


def test_submitting_the_same_page_twice_does_not_repeat_statements(curator_client, article):
    page = curator_client.get(suggest_url(article))
    data = post_data(page, ticks={0})
    assert curator_client.post(suggest_url(article), data).status_code == 302
    again = curator_client.post(suggest_url(article), data)
    assert again.status_code == 200
    assert "Already archived as statement" in again.text
    assert Statement.objects.count() == 1


def test_the_seed_article_is_fully_archived_already(curator_client, seeded):
    article = Article.objects.get(slug="us-russian-agreement-breakthrough-syria")
    response = curator_client.get(suggest_url(article))
    assert len(response.context["archived"]) == 13
    assert not response.context["formset"].forms
    assert "No new suggestions for this article." in response.text
    assert response.context["shared"].initial["said_on_precision"] == "year"


def test_a_tampered_form_is_refused_without_an_error_page(curator_client, article):
    page = curator_client.get(suggest_url(article))
    data = post_data(page, ticks={0}, changes={(0, "start"): "x", (0, "end"): "-4"})
    response = curator_client.post(suggest_url(article), data)
    assert response.status_code == 200
    assert not Statement.objects.exists()
    response = curator_client.post(suggest_url(article), {"said_on": "2024-01-01"})
    assert response.status_code == 200
