"""Schemathesis against the OpenAPI schema, over the seed archive: requests generated from
the schema (valid and invalid) never give a 500, and every answer matches the schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from statements.models import Statement

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(seeded):
    """The schema as the API serves it, called through the WSGI application in-process.

    Like Django's test client, requests must not close the database connection at their
    end: the test's transaction (and the seed archive in it) lives on that connection.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# Every operation the schema documents; a test below checks this list is complete.
OPERATIONS = [
    f"/api/v1/{collection}/{suffix}"
    for collection, lookup in [
        ("statements", "{id}"),
        ("officials", "{slug}"),
        ("topics", "{slug}"),
        ("meetings", "{slug}"),
        ("articles", "{slug}"),
        ("outlets", "{slug}"),
        ("organizations", "{slug}"),
    ]
    for suffix in ("", f"{lookup}/")
] + ["/api/v1/popolo.json"]


# Data that breaks the schema can only be made where a parameter has a type or a constraint:
# the lists (page, filters) and the statement by id; a slug or Popolo takes any string.
NEGATIVE = [path for path in OPERATIONS if path.endswith("s/") or "{id}" in path]


@pytest.mark.parametrize(
    ("path", "mode"),
    [(path, GenerationMode.POSITIVE) for path in OPERATIONS]
    + [(path, GenerationMode.NEGATIVE) for path in NEGATIVE],
)
def test_every_answer_matches_the_schema_and_none_is_a_server_error(api_schema, path, mode):
    # Hypothesis drives schemathesis' strategy directly (its pytest plugin's lazy loader does
    # not run on this pytest), one operation and one kind of data per test.
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


def test_the_list_of_operations_covers_the_whole_schema(api_schema):
    documented = {
        result.ok().path
        for result in api_schema.get_all_operations()
        if result.ok().method == "get"
    }
    assert documented == set(OPERATIONS)


def test_the_schema_describes_the_seed_archives_real_answers(api_schema):
    """Not only generated requests: the seed archive's own records, one by one."""
    operation = api_schema["/api/v1/statements/{id}/"]["GET"]
    pks = list(Statement.objects.published().values_list("pk", flat=True))
    assert len(pks) == 13
    for pk in pks:
        case = operation.Case(path_parameters={"id": pk})
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200
    for path, slug in [
        ("/api/v1/officials/{slug}/", "sergei-lavrov"),
        ("/api/v1/topics/{slug}/", "syria"),
        ("/api/v1/meetings/{slug}/", "lavrov-kerry-talks-new-york"),
        ("/api/v1/articles/{slug}/", "us-russian-agreement-breakthrough-syria"),
        ("/api/v1/organizations/{slug}/", "russia-mfa"),
    ]:
        case = api_schema[path]["GET"].Case(path_parameters={"slug": slug})
        assert case.call_and_validate(checks=CHECKS).status_code == 200
    search = api_schema["/api/v1/statements/"]["GET"].Case(
        query={"q": "Syria", "topic": "syria", "official": ["sergei-lavrov"]}
    )
    assert search.call_and_validate(checks=CHECKS).status_code == 200
