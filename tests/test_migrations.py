"""Every migration runs forwards and backwards on the seed archive without losing a statement."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from statements.models import Statement


def statement_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, text FROM statements_statement ORDER BY id")
        return cursor.fetchall()


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def app_migrations():
    executor = MigrationExecutor(connection)
    return sorted(name for app, name in executor.loader.disk_migrations if app == "statements")


@pytest.mark.django_db(transaction=True)
def test_each_migration_goes_back_and_forth_on_the_seed_archive_keeping_every_statement():
    call_command("load_seeds", verbosity=0)
    before = statement_rows()
    assert len(before) == 13
    names = app_migrations()
    latest = ("statements", names[-1])
    # Down one step at a time to the first migration (which creates the table), and up again.
    for name in reversed(names[:-1]):
        migrate_to(("statements", name))
        assert statement_rows() == before, f"statements changed migrating back to {name}"
    for name in names[1:]:
        migrate_to(("statements", name))
        assert statement_rows() == before, f"statements changed migrating forward to {name}"
    migrate_to(latest)
    assert Statement.objects.published().search("military personnel").count() == 2
    statement = Statement.objects.get(text__startswith="We have agreed")
    statement.text = "We have agreed to a ceasefire."
    statement.save()
    assert list(Statement.objects.search("ceasefire")) == [statement]
