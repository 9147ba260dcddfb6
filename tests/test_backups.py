"""Backups restore the archive exactly, from SQLite to PostgreSQL and back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection

from statements.backups import RestoreRefused, archive_text, restore_backup, write_backup
from statements.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Outlet,
    Role,
    Statement,
    Topic,
)

from .factories import make_official, make_statement

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def manage(*args, database_url):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="1", DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="archive.settings"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result


def postgres_reachable():
    try:
        psycopg.connect(PG_SERVER, dbname="postgres", connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@pytest.fixture
def postgres_database():
    if not postgres_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL must be reachable under CI")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"verbatim_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_SERVER}/{name}"
    with psycopg.connect(PG_SERVER, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def only_backup_folder(parent):
    (folder,) = [p for p in Path(parent).iterdir() if p.name.startswith("verbatim-")]
    return folder


@pytest.mark.django_db
def test_a_backup_restores_from_sqlite_to_postgresql_and_back(tmp_path, postgres_database):
    if connection.vendor != "sqlite":
        pytest.skip("drives both engines itself; run once, in the SQLite half")
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    manage("migrate", "--noinput", database_url=first)
    manage("load_seeds", database_url=first)
    manage("shell", "-c", ADD_ACCOUNTS, database_url=first)
    manage("backup_archive", str(tmp_path / "from-sqlite"), database_url=first)
    backup = only_backup_folder(tmp_path / "from-sqlite")

    manage("migrate", "--noinput", database_url=postgres_database)
    manage("restore_archive", str(backup), database_url=postgres_database)
    manage("backup_archive", str(tmp_path / "from-postgres"), database_url=postgres_database)
    again = only_backup_folder(tmp_path / "from-postgres")

    last = f"sqlite:///{tmp_path / 'last.sqlite3'}"
    manage("migrate", "--noinput", database_url=last)
    manage("restore_archive", str(again), database_url=last)
    manage("backup_archive", str(tmp_path / "back-in-sqlite"), database_url=last)
    final = only_backup_folder(tmp_path / "back-in-sqlite")

    original = (backup / "archive.jsonl").read_text(encoding="utf-8")
    assert original.count('"type":"statement"') == 13
    assert (again / "archive.jsonl").read_text(encoding="utf-8") == original
    assert (final / "archive.jsonl").read_text(encoding="utf-8") == original
    check = manage("shell", "-c", SHOW_ACCOUNTS, database_url=last).stdout
    assert "ana Editor True" in check
    assert "ben Curator True" in check


ADD_ACCOUNTS = """
from django.contrib.auth.models import Group, User
ana = User.objects.create_user("ana", password="correct horse battery", is_staff=True)
ana.groups.add(Group.objects.get(name="Editor"))
ben = User.objects.create_user("ben", password="staple battery horse", is_staff=True)
ben.groups.add(Group.objects.get(name="Curator"))
"""

SHOW_ACCOUNTS = """
from django.contrib.auth.models import User
for name, password in [("ana", "correct horse battery"), ("ben", "staple battery horse")]:
    user = User.objects.get(username=name)
    print(name, user.groups.get().name, user.check_password(password))
"""


def empty_the_database():
    """Delete the archive and the accounts, as a freshly migrated database has neither."""
    Statement.objects.update(in_reply_to=None)
    Statement.objects.all().delete()
    for model in (Meeting, Article, Outlet, Role, Official):
        model.objects.all().delete()
    for model in (Topic, Organization):
        model.objects.update(parent=None)
        model.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.django_db
def test_restoring_in_process_reproduces_the_archive(tmp_path, seeded):
    make_statement(speaker=make_official(), text="“Quotes” & <tags>, ٱلسلام, 🕊️")
    before = archive_text()
    folder = write_backup(tmp_path)
    assert oct((folder / "accounts.json").stat().st_mode & 0o777) == "0o600"
    empty_the_database()
    restore_backup(folder)
    assert archive_text() == before


@pytest.mark.django_db
def test_a_restore_never_merges_into_an_existing_archive(tmp_path, seeded):
    folder = write_backup(tmp_path)
    with pytest.raises(RestoreRefused, match="already holds an archive"):
        restore_backup(folder)


@pytest.mark.django_db
def test_an_altered_backup_is_refused(tmp_path, seeded):
    folder = write_backup(tmp_path)
    with open(folder / "archive.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n")
    empty_the_database()
    with pytest.raises(RestoreRefused, match="altered since the backup was made"):
        restore_backup(folder)
    assert not Statement.objects.exists()
