"""Errors are logged with enough context to debug, and show nothing private to the reader."""

import logging

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.urls("tests.boom_urls")
def test_a_server_error_is_logged_with_context_and_shown_calmly(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/boom/?page=2", {"password": "hunter2-secret"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "RuntimeError" not in page and "Traceback" not in page
    assert settings.SECRET_KEY not in page
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    logged = record.getMessage() + caplog.text
    assert "Internal Server Error: /boom/" in logged
    assert "the archive index is inconsistent" in logged  # the cause, for whoever debugs it
    assert "hunter2-secret" not in logged
    assert settings.SECRET_KEY not in logged
