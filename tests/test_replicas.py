"""The read-replica router: reads to a replica, writes and what follows them to the primary.

The alias ``replica`` is a test mirror of ``default`` (tests/settings.py): the same database
under a second connection, so each test sees on which connection a query ran. Tests that read
through it commit their rows first (``transaction=True``), as a real replica only shows what
the primary committed.
"""

import pytest
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive import routers
from statements.models import Official, Statement

from .factories import make_official, make_statement

BOTH = ["default", "replica"]


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    routers.forget_writes()
    yield
    routers.forget_writes()


@pytest.fixture
def logged_in_client(client, django_user_model):
    # Not the curator fixture: a transactional test's flush removed the migrations' groups.
    client.force_login(django_user_model.objects.create_user("ana", password="pw-for-tests"))
    return client


class Queries:
    """Counts the queries each alias ran inside the block."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def on(self, alias):
        return len(self.contexts[alias].captured_queries)


def test_without_replicas_every_query_goes_to_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert router.db_for_read(Official) == "default"
    assert router.db_for_write(Official) == "default"


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate("default", "statements")
    assert not router.allow_migrate("replica", "statements")
    assert not router.allow_migrate("replica1", "auth")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_read_goes_to_the_replica_and_finds_what_the_primary_committed(with_replica):
    official = make_official(name="Ana Kessel")
    routers.forget_writes()  # a new request
    with Queries() as queries:
        found = Official.objects.get(pk=official.pk)
    assert found.name == "Ana Kessel"
    assert queries.on("replica") == 1
    assert queries.on("default") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_after_a_write_go_to_the_primary(with_replica):
    official = make_official()
    with Queries() as queries:
        Official.objects.filter(pk=official.pk).update(biography="Envoy since 2011.")
        assert Official.objects.get(pk=official.pk).biography == "Envoy since 2011."
    assert queries.on("default") == 2
    assert queries.on("replica") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_inside_a_transaction_go_to_the_primary(with_replica):
    official = make_official()
    routers.forget_writes()
    with Queries() as queries, transaction.atomic():
        Official.objects.get(pk=official.pk)
    assert queries.on("default") >= 1
    assert queries.on("replica") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_anonymous_page_is_read_from_the_replica(with_replica, client):
    official = make_official(name="Ana Kessel")
    make_statement(speaker=official, status=Statement.Status.PUBLISHED)
    with Queries() as queries:
        response = client.get(official.get_absolute_url())
    assert response.status_code == 200
    assert "Ana Kessel" in response.text
    assert queries.on("replica") >= 1
    assert queries.on("default") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_logged_in_curator_reads_from_the_primary(with_replica, logged_in_client):
    official = make_official(name="Ana Kessel")
    with Queries() as queries:
        response = logged_in_client.get(official.get_absolute_url())
    assert response.status_code == 200
    assert queries.on("default") >= 1
    assert queries.on("replica") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_post_reads_from_the_primary_even_when_it_is_refused(with_replica, client):
    official = make_official()
    with Queries() as queries:
        response = client.post(official.get_absolute_url())
    assert response.status_code in (403, 405)
    assert queries.on("replica") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_next_request_reads_from_the_replica_again(with_replica, logged_in_client):
    official = make_official()
    logged_in_client.get(official.get_absolute_url())
    with Queries() as queries:
        Client().get(official.get_absolute_url())  # an anonymous reader, no session
    assert queries.on("replica") >= 1
    assert queries.on("default") == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_one_request_reads_from_one_replica_of_several(with_replica, settings):
    settings.DATABASE_REPLICAS = ["replica", "default"]  # two names for the test's purpose
    chosen = set()
    for _ in range(20):
        routers.forget_writes()  # a new request
        first = router.db_for_read(Official)
        assert {router.db_for_read(Statement) for _ in range(10)} == {first}
        chosen.add(first)
    assert chosen == {"replica", "default"}
