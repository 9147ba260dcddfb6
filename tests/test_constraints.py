"""Every database constraint refuses bad data, with a clear message at validation time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from statements.models import Article, Meeting, Official, Role, Statement, Topic

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_organization,
    make_role,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db


def refused_by_database(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_role_cannot_end_before_it_starts():
    role = make_role(make_official(), start_date=datetime.date(2015, 1, 1))
    role.end_date = datetime.date(2014, 1, 1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        role.full_clean()
    refused_by_database(role.save)


def test_a_role_may_end_on_the_day_it_starts():
    role = make_role(make_official(), start_date=datetime.date(2015, 1, 1))
    role.end_date = role.start_date
    role.full_clean()
    role.save()


def test_a_meeting_cannot_end_before_it_starts():
    meeting = make_meeting(start_date=datetime.date(2015, 9, 30))
    meeting.end_date = datetime.date(2015, 9, 1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        meeting.full_clean()
    refused_by_database(meeting.save)


def test_a_meeting_kind_must_be_one_of_the_choices():
    refused_by_database(lambda: make_meeting(kind="picnic"))


def test_official_slugs_are_unique():
    make_official(slug="ana-kessel")
    with pytest.raises(ValidationError, match="slug"):
        Official(name="Ana Kessel", slug="ana-kessel").full_clean()
    refused_by_database(lambda: make_official(slug="ana-kessel"))


def test_a_wikidata_id_must_look_like_a_qid():
    official = Official(name="Ana Kessel", slug="ana-kessel", wikidata_id="22316")
    with pytest.raises(ValidationError) as error:
        official.full_clean()
    assert "wikidata_id" in error.value.message_dict
    refused_by_database(lambda: make_official(wikidata_id="X1"))


def test_two_officials_cannot_share_a_wikidata_id():
    make_official(wikidata_id="Q424242")
    with pytest.raises(ValidationError, match="already has this Wikidata ID"):
        Official(name="Ana Kessel", slug="ana-kessel", wikidata_id="Q424242").full_clean()
    refused_by_database(lambda: make_official(wikidata_id="Q424242"))


def test_officials_without_a_wikidata_id_do_not_collide():
    make_official(wikidata_id="")
    make_official(wikidata_id="")
    assert Official.objects.filter(wikidata_id="").count() == 2


def test_an_official_needs_a_name():
    refused_by_database(lambda: Official.objects.create(name="", slug="nameless"))


def test_other_names_are_tidied_on_save():
    official = make_official(other_names=["  Ana  Kessel ", "ana kessel", "", "A. Kessel"])
    official.refresh_from_db()
    assert official.other_names == ["Ana Kessel", "A. Kessel"]


def test_article_urls_are_unique_when_given():
    make_article(url="https://courier.example/talks")
    with pytest.raises(ValidationError, match="already has this URL"):
        Article(
            title="Copy", slug="copy", body="Text", url="https://courier.example/talks"
        ).full_clean()
    refused_by_database(lambda: make_article(url="https://courier.example/talks"))


def test_articles_without_a_url_do_not_collide():
    make_article(url="")
    make_article(url="")


def test_an_article_needs_a_body():
    refused_by_database(lambda: make_article(body=""))


def test_a_language_must_be_a_bcp47_tag():
    statement = make_statement()
    statement.language = "english please"
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "language" in error.value.message_dict


def test_a_topic_cannot_be_its_own_parent():
    topic = make_topic()
    topic.parent = topic
    with pytest.raises(ValidationError, match="loop"):
        topic.full_clean()
    refused_by_database(lambda: Topic.objects.filter(pk=topic.pk).update(parent=topic.pk))


def test_topics_cannot_form_a_loop():
    parent = make_topic()
    child = make_topic(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="loop"):
        parent.full_clean()


def test_topic_names_are_unique_under_one_parent():
    parent = make_topic()
    make_topic(name="Quotas", parent=parent)
    refused_by_database(lambda: make_topic(name="Quotas", parent=parent))


def test_an_organization_cannot_be_its_own_parent():
    organization = make_organization()
    refused_by_database(
        lambda: type(organization).objects.filter(pk=organization.pk).update(parent=organization.pk)
    )


def test_an_organization_kind_must_be_one_of_the_choices():
    refused_by_database(lambda: make_organization(kind="club"))


def test_a_statement_needs_text():
    refused_by_database(lambda: make_statement(text=""))


def test_a_statement_kind_must_be_direct_or_paraphrase():
    refused_by_database(lambda: make_statement(kind="rumour"))


def test_a_statement_status_must_be_draft_or_published():
    refused_by_database(lambda: make_statement(status="hidden"))


def test_a_date_precision_must_be_day_month_or_year():
    refused_by_database(lambda: make_statement(said_on_precision="week"))


def test_statement_offsets_come_in_pairs_with_the_end_after_the_start():
    refused_by_database(lambda: make_statement(start_offset=5, end_offset=None))
    refused_by_database(lambda: make_statement(start_offset=5, end_offset=5))
    refused_by_database(lambda: make_statement(start_offset=None, end_offset=5))


def test_a_statement_cannot_reply_to_itself():
    statement = make_statement()
    statement.in_reply_to = statement
    with pytest.raises(ValidationError, match="cannot reply to itself"):
        statement.full_clean()
    refused_by_database(
        lambda: Statement.objects.filter(pk=statement.pk).update(in_reply_to=statement.pk)
    )


def test_statement_offsets_are_checked_against_the_article_text():
    article = make_article(body="The minister said: “Fish stocks are recovering.” Then she left.")
    statement = make_statement(article=article, text="Fish stocks are recovering.")
    statement.start_offset, statement.end_offset = 0, 10
    with pytest.raises(ValidationError, match="At these offsets the article reads"):
        statement.full_clean()
    statement.start_offset = article.body.index("Fish")
    statement.end_offset = statement.start_offset + len(statement.text)
    statement.full_clean()


def test_offsets_beyond_the_article_are_refused():
    article = make_article(body="Short text.")
    statement = make_statement(article=article, text="Short text.")
    statement.start_offset, statement.end_offset = 0, 500
    with pytest.raises(ValidationError, match="only 11 characters long"):
        statement.full_clean()


def test_offsets_are_found_when_the_text_stands_once_in_the_article():
    article = make_article(body="She said: “Fish stocks are recovering.” Then she left.")
    statement = Statement(
        speaker=make_official(),
        article=article,
        text="Fish stocks are recovering.",
        said_on=datetime.date(2020, 1, 1),
    )
    statement.full_clean()
    assert article.body[statement.start_offset : statement.end_offset] == statement.text


def test_a_month_date_is_stored_as_the_first_of_the_month():
    statement = make_statement(said_on=datetime.date(2015, 9, 17), said_on_precision="month")
    statement.full_clean()
    assert statement.said_on == datetime.date(2015, 9, 1)
    assert statement.said_on_display == "September 2015"


def test_new_statements_are_drafts():
    official, article = make_official(), make_article()
    statement = Statement.objects.create(
        speaker=official, article=article, text="Hello.", said_on=datetime.date(2020, 1, 1)
    )
    assert statement.status == Statement.Status.DRAFT


def test_meeting_kinds_and_roles_have_readable_strings():
    meeting = make_meeting(title="Harbour talks", start_date=datetime.date(2020, 3, 4))
    assert str(meeting) == "Harbour talks (4 March 2020)"
    official = make_official(name="Ana Kessel")
    role = make_role(official, title="Minister", start_date=datetime.date(2019, 5, 1))
    assert str(role).startswith("Ana Kessel: Minister, ")
    assert "since 1 May 2019" in str(role)
    assert isinstance(Meeting.Kind.SUMMIT.label, str)
    assert Role.objects.count() == 1
