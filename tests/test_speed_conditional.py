"""Conditional GET: permalinks and feeds carry an ETag, and a reader who has the page gets 304."""

import datetime

import pytest

from .factories import make_official, make_statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_cache")]


@pytest.fixture
def statement():
    return make_statement(
        speaker=make_official(slug="orla-fenwick"),
        text="The harbour stays open to every fleet",
        said_on=datetime.date(2016, 4, 2),
    )


@pytest.mark.parametrize(
    "path",
    ["{permalink}", "/statements/feed/", "/officials/orla-fenwick/feed/", "/statements/?q=harbour"],
)
def test_sending_back_the_etag_gets_304_not_modified(client, statement, path):
    path = path.format(permalink=statement.get_absolute_url())
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_a_head_request_is_answered_304_as_well(client, statement):
    etag = client.get(statement.get_absolute_url())["ETag"]
    response = client.head(statement.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304


def test_after_an_edit_the_old_etag_gets_the_new_page(client, statement):
    permalink = statement.get_absolute_url()
    etag = client.get(permalink)["ETag"]
    statement.text = "The harbour closes to foreign fleets"
    statement.save()
    response = client.get(permalink, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "The harbour closes" in response.text


def test_each_page_has_its_own_etag(client, statement):
    one = client.get(statement.get_absolute_url())["ETag"]
    other = client.get("/statements/feed/")["ETag"]
    assert one != other
    response = client.get("/statements/feed/", headers={"if-none-match": one})
    assert response.status_code == 200


def test_a_missing_permalink_has_no_etag(client, statement):
    response = client.get(f"/statements/{statement.pk + 1000}/")
    assert response.status_code == 404
    assert not response.has_header("ETag")
