"""Fixtures shared by every test file, and how the seed archive is loaded once per session.

The seed archive (``seeds/verbatim.toml``, about 870 queries to load) is shared the way Django's
``TestCase.setUpTestData`` shares class data: it is loaded once inside an outer transaction that
stays open, and each test that asks for ``seeded`` runs inside its own savepoint within it
(pytest-django's ``TestCase`` atomics nest there), so whatever a test writes is rolled back and
the next seeded test finds the seeds as loaded.

The outer transaction is opened and closed just before pytest-django opens a test's own
transaction (the override of ``_django_db_helper`` below), so the order is always right:

- a database test that does not ask for ``seeded`` first rolls the outer transaction back, so
  it sees an empty archive, whatever ran before it;
- a seeded test opens it and loads the seeds if it is not open yet;
- a transactional test (``transaction=True``, ``live_server``) commits and flushes, which no
  outer transaction may wrap: it rolls the outer one back too, and ``seeded`` loads the seeds
  for that one test as ``make run`` does.

So every test passes alone, in any order and on any xdist worker; the order only decides how
often the seeds are loaded. ``pytest_collection_modifyitems`` puts the seeded tests last so that
each worker loads them about once.
"""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from pytest_django.fixtures import validate_django_db

from statements import caching

from .factories import make_hostile_archive

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _is_transactional(item, fixturenames):
    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(fixturenames))


def _shares_the_seeds(item, fixturenames):
    return "seeded" in fixturenames and not _is_transactional(item, fixturenames)


class SharedSeeds:
    """The outer transaction that holds the seed archive between seeded tests."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    @property
    def loaded(self):
        return self.atomic is not None

    def open(self):
        if self.loaded:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            # As Django's TestCase marks its own: a durable block inside still counts as outermost.
            atomic._from_testcase = True
            atomic.__enter__()
            self.atomic = atomic
            try:
                call_command("load_seeds", verbosity=0)
            except BaseException:
                self.close()
                raise

    def close(self):
        if not self.loaded:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _shared_seeds(django_db_setup, django_db_blocker):
    seeds = SharedSeeds(django_db_blocker)
    yield seeds
    seeds.close()


@pytest.fixture
def _seed_switch(request, _shared_seeds, django_db_blocker):
    if _shares_the_seeds(request.node, request.fixturenames):
        _shared_seeds.open()
    else:
        _shared_seeds.close()
    yield
    if _is_transactional(request.node, request.fixturenames):
        # Runs after pytest-django's flush, which emptied every table: content types and
        # permissions come back by themselves (post_migrate), the groups would not.
        with django_db_blocker.unblock():
            restore_the_groups_migrations_made()


def restore_the_groups_migrations_made():
    """The Curator and Editor groups as migration 0002 makes them, for the tests after a flush."""
    groups = import_module("statements.migrations.0002_curator_and_editor_groups").GROUPS
    for name, codenames in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="statements", codename__in=codenames)
        )


@pytest.fixture
def _django_db_helper(_seed_switch, _django_db_helper):
    """pytest-django's per-test transaction, with the seeds' outer one opened or closed first.

    ``_seed_switch`` is listed before the parent fixture of the same name, so it runs first and
    the outer transaction wraps the test's own one (see the module docstring).
    """
    return _django_db_helper


def pytest_collection_modifyitems(items):
    """Seeded tests last among the database tests that run in a transaction, so each process
    loads the seed archive about once. pytest-django has already put these first, then the
    transactional tests, then those without a database; this stable sort keeps that order.
    """

    def order(item):
        names = getattr(item, "fixturenames", ())
        if _is_transactional(item, names):
            return 2
        if item.get_closest_marker("django_db") or "db" in names:
            return 1 if "seeded" in names else 0
        return 3

    items.sort(key=order)


@pytest.fixture
def seeded(db, _shared_seeds):
    """The seed archive, loaded as `make run` loads it (shared between tests, see above)."""
    if not _shared_seeds.loaded:
        call_command("load_seeds", verbosity=0)


@pytest.fixture
def hostile_archive():
    """Fictional records with everything that tends to break a file format."""
    return make_hostile_archive()


@pytest.fixture
def real_cache(settings):
    """A real (local memory) cache instead of the test settings' dummy one, empty at each end."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "verbatim-tests",
        }
    }
    cache.clear()
    caching._kept_here.clear()
    yield
    cache.clear()
    caching._kept_here.clear()


def _staff_user(username, group_name=None):
    user = User.objects.create_user(username, password="pw-for-tests", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def curator(db):
    return _staff_user("curator", "Curator")


@pytest.fixture
def editor(db):
    return _staff_user("editor", "Editor")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def as_role(client, curator, editor, superuser):
    """Sign the test client in as one of the admin's roles (or out, as "anonymous")."""
    users = {
        "curator": curator,
        "editor": editor,
        "superuser": superuser,
        "staff_without_group": _staff_user("visitor"),
    }

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
