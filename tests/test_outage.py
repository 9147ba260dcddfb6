"""When the database is unreachable, pages answer 503 and recover by themselves."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def database_down():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    )


@pytest.mark.parametrize("url", ["/", "/statements/", "/officials/sergei-lavrov/"])
def test_public_pages_answer_503_with_a_friendly_page_and_recover(client, seeded, url):
    assert client.get(url).status_code == 200
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "SECRET" not in page and "Connection refused" not in page
    assert response["Retry-After"] == "30"
    assert client.get(url).status_code == 200


def test_the_outage_is_logged_without_secrets(client, seeded, caplog):
    with database_down():
        client.get("/statements/?q=assad")
    messages = [record.getMessage() for record in caplog.records]
    assert any("Database unreachable while serving GET /statements/" in m for m in messages)
    assert not any("Connection refused" in m for m in messages)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert client.get("/healthz").status_code == 200


def test_healthz_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405
