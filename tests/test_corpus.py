"""The synthetic archive: deterministic, shaped like the real one, and safe to run."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from statements.corpus.generation import generate_corpus
from statements.corpus.synthetic import TOPICS, officials_for
from statements.corpus.vocabulary import DIPLOMATIC_TERMS, rare_words, vocabulary
from statements.models import Article, Official, Statement, Topic
from tests.factories import make_statement

SEED_OFFICIALS = {"Sergei Lavrov", "John Kerry"}


def snapshot():
    """Everything that identifies the archive's rows, in a comparable form."""
    return {
        "statements": list(
            Statement.objects.order_by("pk").values_list(
                "pk",
                "speaker__slug",
                "text",
                "said_on",
                "said_on_precision",
                "status",
                "kind",
                "article_id",
                "start_offset",
                "end_offset",
                "meeting_id",
                "in_reply_to_id",
            )
        ),
        "topics": list(Statement.topics.through.objects.order_by("pk").values_list()),
        "mentions": list(Statement.mentions.through.objects.order_by("pk").values_list()),
        "articles": list(Article.objects.order_by("pk").values_list("pk", "slug", "body")),
        "officials": list(Official.objects.order_by("pk").values_list("pk", "name", "slug")),
        "topic_tree": list(Topic.objects.order_by("pk").values_list("pk", "name", "parent_id")),
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_archive_and_another_seed_a_different_one():
    generate_corpus(statements=120, seed=7)
    first = snapshot()
    generate_corpus(statements=120, seed=7, force=True)
    assert snapshot() == first
    generate_corpus(statements=120, seed=8, force=True)
    assert snapshot()["statements"] != first["statements"]


@pytest.mark.django_db
def test_the_archive_has_the_shape_the_benchmark_needs():
    summary = generate_corpus(statements=300, seed=3)

    assert Statement.objects.count() == 300 == summary.counts["statement"]
    assert Official.objects.count() == officials_for(300) == 20
    assert Topic.objects.count() == TOPICS
    assert Topic.objects.filter(parent__isnull=True).count() == 20
    assert Topic.objects.filter(parent__parent__isnull=False).exists()  # three levels deep
    assert 100 <= Article.objects.count() <= 200  # about half as many articles as statements
    drafts = Statement.objects.drafts().count()
    assert 0 < drafts < 30  # a few percent
    assert Statement.topics.through.objects.exists()
    assert Statement.mentions.through.objects.exists()
    precisions = set(Statement.objects.values_list("said_on_precision", flat=True))
    assert "day" in precisions and precisions <= {"day", "month", "year"}

    for text, start, end, body, said_on in Statement.objects.values_list(
        "text", "start_offset", "end_offset", "article__body", "said_on"
    ):
        assert body[start:end] == text
        assert 20 <= len(text.split()) <= 80
        assert datetime.date(2006, 1, 1) <= said_on <= datetime.date(2025, 12, 31)


@pytest.mark.django_db
def test_every_generated_statement_passes_model_validation():
    generate_corpus(statements=40, seed=5)
    for statement in Statement.objects.select_related("article"):
        statement.full_clean()
    for official in Official.objects.all():
        official.full_clean()


@pytest.mark.django_db
def test_generated_officials_are_fictional():
    generate_corpus(statements=200, seed=1)
    names = set(Official.objects.values_list("name", flat=True))
    assert not names & SEED_OFFICIALS
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", name) for name in names)
    assert set(Official.objects.values_list("country", flat=True)) == {""}


@pytest.mark.django_db
def test_generation_refuses_a_database_that_already_holds_statements():
    existing = make_statement()
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_corpus", statements=50, seed=1, verbosity=0)
    assert list(Statement.objects.all()) == [existing]


@pytest.mark.django_db
def test_force_replaces_the_archive_already_there():
    existing = make_statement()
    call_command("generate_corpus", statements=50, seed=1, force=True, verbosity=0)
    assert Statement.objects.count() == 50
    assert not Statement.objects.filter(text=existing.text).exists()


@pytest.mark.django_db
def test_the_command_rejects_a_statement_count_that_is_not_a_positive_number():
    with pytest.raises(CommandError):
        call_command("generate_corpus", "--statements", "zero", verbosity=0)
    with pytest.raises(CommandError):
        call_command("generate_corpus", "--statements", "-5", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_command_loads_outside_a_transaction_and_prints_a_summary(capsys):
    # Outside a test transaction PostgreSQL loads on parallel connections: the path that
    # `make bench` takes.
    call_command("generate_corpus", statements=250, seed=2)
    out = capsys.readouterr().out
    assert "Generated 250 statements (seed 2)" in out
    assert Statement.objects.count() == 250
    assert Statement.objects.filter(said_on__year__gte=2006).count() == 250
    connection.check_constraints()


def _search_migration_applied():
    return ("statements", "0005_search_index") in MigrationLoader(connection).disk_migrations


@pytest.mark.django_db(transaction=True)
def test_generated_statements_are_found_by_search():
    if not _search_migration_applied():
        pytest.skip("the full-text search migration (0005_search_index) is not there yet")
    generate_corpus(statements=300, seed=4)
    published = Statement.objects.published()
    term = next(t for t in DIPLOMATIC_TERMS if published.filter(text__icontains=f" {t} "))
    found = list(published.search(term).values_list("text", flat=True))
    assert found
    assert all(term in text.lower() for text in found)


def test_rare_words_come_from_the_long_tail_of_the_vocabulary():
    tokens, cumulative = vocabulary()
    assert len(tokens) == len(set(tokens)) == len(cumulative)
    assert "ceasefire" in tokens[:400] and "sanctions" in tokens[:400]
    for word in rare_words(3):
        assert tokens.index(word) > 5_000
