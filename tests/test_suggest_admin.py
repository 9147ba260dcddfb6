"""The admin's 'Suggest statements' page: review suggestions, create them as drafts."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from statements.models import Article, Statement

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_organization,
    make_statement,
    make_topic,
)

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


# -- from suggestion to archive in few steps ---------------------------------------------------

WIRE = (
    "SALTMERE, Sept 9 (Northern Wire) - French Foreign Minister Teodor Vance said on Tuesday "
    "that the harbour would reopen. “We are ready,” he said.\n\n"
    "Lena Osk, director of Blue Shelf, said the fleet would stay in port.\n\n"
    "Dana Ruel and Teodor Vance met later. “It went <well> & fast,” she said."
)


@pytest.fixture
def wire(db):
    """A wire report: a dateline, two speakers not in the archive, an unclear one."""
    make_organization(name="Blue Shelf", slug="blue-shelf")
    return make_article(body=WIRE, published_on=datetime.date(2025, 9, 12))


def texts(response):
    """The rows' texts, in the page's order."""
    return [form.initial["text"] for form in response.context["formset"]]


def test_the_page_lists_each_speaker_not_in_the_archive_with_a_prefilled_add_link(
    curator_client, wire
):
    response = curator_client.get(suggest_url(wire))
    people = {
        name: (url, title, organization)
        for name, url, title, organization in response.context["people"]
    }
    assert set(people) == {"Teodor Vance", "Lena Osk"}
    vance_url, title, _ = people["Teodor Vance"]
    assert title == "Foreign Minister"
    assert "name=Teodor+Vance" in vance_url and "slug=teodor-vance" in vance_url
    assert "country=FR" in vance_url and "role_title=Foreign+Minister" in vance_url
    osk_url, title, organization = people["Lena Osk"]
    assert title == "director"
    assert organization.name == "Blue Shelf"
    assert f"role_organization={organization.pk}" in osk_url
    assert "_popup=1" in osk_url
    assert response.text.count("Add official") >= 2


def test_the_add_official_form_takes_the_prefilled_name_country_and_role(curator_client, wire):
    response = curator_client.get(suggest_url(wire))
    url = dict((name, url) for name, url, _, _ in response.context["people"])["Lena Osk"]
    page = curator_client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["name"] == "Lena Osk"
    role_form = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert role_form.initial["title"] == "director"
    assert str(role_form.initial["organization"]) == str(response.context["people"][1][3].pk)


def test_a_re_read_matches_new_officials_and_keeps_ticks_and_edits(curator_client, wire):
    topic = make_topic(name="Harbours", slug="harbours")
    page = curator_client.get(suggest_url(wire))
    before = texts(page)
    vance_row = before.index("the harbour would reopen")
    osk_row = before.index("the fleet would stay in port")
    vance = make_official(name="Teodor Vance", slug="teodor-vance")
    data = post_data(
        page,
        ticks={vance_row, osk_row},
        changes={(vance_row, "kind"): "direct", (osk_row, "topics"): topic.pk},
    )
    data["_reread"] = "Re-read speakers"
    response = curator_client.post(suggest_url(wire), data)
    assert response.status_code == 200
    assert not Statement.objects.exists()
    forms = response.context["formset"].forms
    assert texts(response) == before
    assert forms[vance_row].initial["speaker"] == vance
    assert forms[vance_row].initial["create"] is True
    assert forms[vance_row].initial["kind"] == "direct"
    assert forms[osk_row].initial["create"] is True
    assert forms[osk_row].initial["topics"] == [str(topic.pk)]
    assert forms[osk_row].initial["speaker"] is None
    assert "checked" in str(forms[osk_row]["create"])
    assert [name for name, *_ in response.context["people"]] == ["Lena Osk"]


def test_an_unclear_speaker_is_said_and_must_be_chosen(curator_client, wire):
    page = curator_client.get(suggest_url(wire))
    assert "Speaker unclear: choose who said this." in page.text
    row = texts(page).index("It went <well> & fast")
    assert page.context["formset"].forms[row].initial["speaker_unclear"] is True
    response = curator_client.post(suggest_url(wire), post_data(page, ticks={row}))
    assert response.status_code == 200
    assert "The article leaves the speaker unclear" in response.text
    assert not Statement.objects.exists()
    ruel = make_official(name="Dana Ruel", slug="dana-ruel")
    response = curator_client.post(
        suggest_url(wire), post_data(page, ticks={row}, changes={(row, "speaker"): ruel.pk})
    )
    assert response.status_code == 302
    assert Statement.objects.get().speaker == ruel


def test_the_context_is_escaped_and_the_words_marked(curator_client, wire):
    response = curator_client.get(suggest_url(wire))
    assert "<mark>It went &lt;well&gt; &amp; fast</mark>" in response.text
    assert "<well>" not in response.text


def test_the_date_comes_from_the_dateline_in_the_year_of_publication(curator_client, wire):
    response = curator_client.get(suggest_url(wire))
    assert response.context["shared"].initial["said_on"] == datetime.date(2025, 9, 9)
    assert "Check this date: it is the article&#x27;s dateline." in response.text


def test_a_dateline_after_the_publication_date_belongs_to_the_year_before(curator_client):
    article = make_article(
        body="HOLMSBY, Dec 30 (Northern Wire) - Mira Vondel said the port was open.",
        published_on=datetime.date(2026, 1, 2),
    )
    response = curator_client.get(suggest_url(article))
    assert response.context["shared"].initial["said_on"] == datetime.date(2025, 12, 30)


def test_without_a_dateline_the_date_is_the_publication_date(curator_client, article):
    response = curator_client.get(suggest_url(article))
    assert response.context["shared"].initial["said_on"] == datetime.date(2024, 3, 5)
    assert "publication date" in response.context["date_source"]


def test_without_a_publication_date_the_date_is_the_meetings_last_day_and_its_place(
    curator_client,
):
    make_official(name="Mira Vondel", slug="mira-vondel")
    article = make_article(body=BODY, published_on=None)
    meeting = make_meeting(
        start_date=datetime.date(2024, 3, 4),
        end_date=datetime.date(2024, 3, 6),
        city="Port Ardent",
        country="NO",
    )
    meeting.articles.add(article)
    response = curator_client.get(suggest_url(article))
    initial = response.context["shared"].initial
    assert initial["said_on"] == datetime.date(2024, 3, 6)
    assert (initial["meeting"], initial["place_city"], initial["place_country"]) == (
        meeting,
        "Port Ardent",
        "NO",
    )
    assert "Check this date: it is the meeting&#x27;s last day." in response.text
    page = response
    data = post_data(page, ticks={0}, said_on="2024-03-06")
    data.update(meeting=meeting.pk, place_city="Port Ardent", place_country="NO")
    response = curator_client.post(suggest_url(article), data)
    assert response.status_code == 302, response.context["formset"].errors
    statement = Statement.objects.get()
    assert (statement.place_city, statement.place_country.code) == ("Port Ardent", "NO")


def test_topics_for_every_ticked_row_are_added_to_each(curator_client, article):
    own, shared = make_topic(name="Fishing", slug="fishing"), make_topic(name="Talks", slug="talks")
    page = curator_client.get(suggest_url(article))
    data = post_data(page, ticks={0, 1}, changes={(0, "topics"): own.pk})
    data["topics"] = [shared.pk]
    assert curator_client.post(suggest_url(article), data).status_code == 302
    created = Statement.objects.order_by("start_offset")
    assert [sorted(t.slug for t in s.topics.all()) for s in created] == [
        ["fishing", "talks"],
        ["talks"],
    ]


def test_only_editors_can_create_published_statements_in_one_step(client, curator, editor, article):
    client.force_login(curator)
    page = client.get(suggest_url(article))
    assert "Create as published" not in page.text
    data = post_data(page, ticks={0})
    data["publish"] = "on"
    assert client.post(suggest_url(article), data).status_code == 302
    assert Statement.objects.get().status == "draft"

    client.force_login(editor)
    page = client.get(suggest_url(article))
    assert "Create as published" in page.text
    data = post_data(page, ticks={0})
    data["publish"] = "on"
    assert client.post(suggest_url(article), data).status_code == 302
    assert Statement.objects.filter(status="published").count() == 1


def test_a_statement_page_shows_its_span_marked_in_the_article(curator_client):
    body = "Intro <b>line</b>. Mira Vondel said the talks & the <treaty> would go on. Outro."
    article = make_article(body=body)
    start = body.index("the talks")
    end = body.index(" would")
    statement = make_statement(
        article=article, text=body[start:end], start_offset=start, end_offset=end
    )
    response = curator_client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    assert response.status_code == 200
    marked = "<mark>the talks &amp; the &lt;treaty&gt;</mark> would go on"
    assert f"Intro &lt;b&gt;line&lt;/b&gt;. Mira Vondel said {marked}" in response.text


def queries_of_the_page(client, rows, topic):
    """The queries of the page with this many suggestions: shown, re-read with every row
    ticked and given a topic, and refused (one row's text wrong)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = " ".join(f"Mira Vondel said port number {n} would open." for n in range(rows))
    article = make_article(body=body)
    client.get(suggest_url(article))  # the session and content types, read once
    counts = []
    with CaptureQueriesContext(connection) as shown:
        page = client.get(suggest_url(article))
    assert len(page.context["formset"].forms) == rows
    counts.append(len(shown))
    changes = {(n, "topics"): topic.pk for n in range(rows)}
    data = post_data(page, ticks=set(range(rows)), changes=changes)
    with CaptureQueriesContext(connection) as reread:
        assert client.post(suggest_url(article), {**data, "_reread": "1"}).status_code == 200
    counts.append(len(reread))
    data[f"suggestion-{rows - 1}-text"] = "words the article never printed"
    with CaptureQueriesContext(connection) as refused:
        assert client.post(suggest_url(article), data).status_code == 200
    counts.append(len(refused))
    return counts


def test_the_suggest_page_makes_as_many_queries_for_twenty_rows_as_for_two(curator_client):
    make_official(name="Mira Vondel", slug="mira-vondel")
    topic = make_topic(name="Ports", slug="ports")
    few = queries_of_the_page(curator_client, 2, topic)
    many = queries_of_the_page(curator_client, 20, topic)
    assert few == many
    assert max(many) <= 16, many


def test_the_prefill_reads_the_title_and_country_before_the_full_name_only():
    from statements.admin.suggest import described

    assert described("Teodor Vance", ["Mr Vance", "US Trade Secretary Teodor Vance"], "", []) == (
        "Trade Secretary",
        "US",
        None,
    )
    assert described("Teodor Vance", ["Vance"], "", []) == ("", "", None)


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999999"])
@pytest.mark.parametrize("field", ["0-speaker", "0-topics", "meeting", "topics"])
@pytest.mark.parametrize("reread", [False, True])
def test_an_id_that_cannot_be_one_is_a_form_error_not_a_500(
    curator_client, article, bad, field, reread
):
    page = curator_client.get(suggest_url(article))
    data = post_data(page, ticks={0})
    data[f"suggestion-{field}" if field[0].isdigit() else field] = bad
    if reread:
        data["_reread"] = "Re-read speakers"
    response = curator_client.post(suggest_url(article), data)
    assert response.status_code == 200
    assert not Statement.objects.filter(article=article).exists()


def test_a_statement_created_here_starts_its_history_with_its_topics(curator_client, article):
    topic = make_topic(name="Fisheries", slug="fisheries")
    page = curator_client.get(suggest_url(article))
    data = post_data(page, ticks={1}, changes={(1, "topics"): topic.pk})
    assert curator_client.post(suggest_url(article), data).status_code == 302
    statement = Statement.objects.get(article=article)
    (revision,) = statement.revisions.all()
    assert revision.data["topics"] == [str(topic)]
