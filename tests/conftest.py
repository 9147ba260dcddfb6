import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The seed archive, loaded as `make run` loads it."""
    call_command("load_seeds", verbosity=0)


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
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
