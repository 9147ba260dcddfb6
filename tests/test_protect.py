"""Nothing a curator entered disappears by accident."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from statements.models import Article, Official, Statement

from .factories import make_meeting, make_official, make_organization, make_role, make_statement

pytestmark = pytest.mark.django_db


def test_an_official_with_statements_cannot_be_deleted():
    statement = make_statement()
    with pytest.raises(ProtectedError):
        statement.speaker.delete()
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_an_article_with_statements_cannot_be_deleted():
    statement = make_statement()
    with pytest.raises(ProtectedError):
        statement.article.delete()


def test_a_meeting_with_statements_cannot_be_deleted():
    statement = make_statement(meeting=make_meeting())
    with pytest.raises(ProtectedError):
        statement.meeting.delete()


def test_a_statement_that_others_reply_to_cannot_be_deleted():
    original = make_statement()
    make_statement(in_reply_to=original)
    with pytest.raises(ProtectedError):
        original.delete()


def test_an_organization_with_roles_cannot_be_deleted():
    organization = make_organization()
    make_role(make_official(), organization=organization)
    with pytest.raises(ProtectedError):
        organization.delete()


def test_an_official_without_statements_can_be_deleted_with_their_roles():
    official = make_official()
    make_role(official)
    official.delete()
    assert not Official.objects.filter(pk=official.pk).exists()


def test_the_admin_explains_why_an_official_cannot_be_deleted(client, superuser):
    statement = make_statement()
    client.force_login(superuser)
    url = reverse("admin:statements_official_delete", args=[statement.speaker.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"would require deleting the following protected related objects" in page.content
    client.post(url, {"post": "yes"})
    assert Official.objects.filter(pk=statement.speaker.pk).exists()
    assert Article.objects.filter(pk=statement.article.pk).exists()
