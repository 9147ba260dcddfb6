"""The seed archive loads completely, correctly, and only once."""

import pytest
from django.core.management import call_command

from statements.models import Article, Meeting, Official, Role, Statement, Topic
from statements.seeding import SeedError, load_seed_file

pytestmark = pytest.mark.django_db


def test_the_seed_archive_holds_every_statement_of_the_article(seeded):
    article = Article.objects.get()
    statements = Statement.objects.filter(article=article)
    assert statements.count() == 13
    assert statements.filter(speaker__slug="sergei-lavrov").count() == 9
    assert statements.filter(speaker__slug="john-kerry").count() == 4
    assert set(statements.values_list("kind", flat=True)) == {"direct", "paraphrase"}
    assert statements.filter(kind="direct").count() == 2


def test_seed_statements_are_published_and_stand_where_the_article_says(seeded):
    for statement in Statement.objects.select_related("article"):
        assert statement.status == Statement.Status.PUBLISHED
        body = statement.article.body
        assert body[statement.start_offset : statement.end_offset] == statement.text
        statement.full_clean()


def test_the_seed_records_what_is_unknown_instead_of_inventing_it(seeded):
    article = Article.objects.get()
    assert article.outlet is None
    assert article.published_on is None
    assert article.url == ""
    assert "no outlet" in article.curator_note
    meeting = Meeting.objects.get()
    assert meeting.start_date_precision == "year"
    assert {s.said_on_precision for s in Statement.objects.all()} == {"year"}


def test_seed_officials_hold_their_roles_at_the_time(seeded):
    lavrov = Official.objects.get(slug="sergei-lavrov")
    kerry = Official.objects.get(slug="john-kerry")
    statement = Statement.objects.filter(speaker=kerry).first()
    assert lavrov.role_on(statement.said_on).title == "Minister of Foreign Affairs"
    assert kerry.role_on(statement.said_on).title == "Secretary of State"
    assert "Sergey Lavrov" in lavrov.other_names
    assert Topic.objects.get(slug="isis").parent.slug == "terrorism"
    assert Role.objects.filter(official=kerry).count() == 2


def test_loading_the_seeds_twice_changes_nothing(seeded):
    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (Official, Role, Article, Meeting, Topic, Statement)
        ] + [
            sorted(Statement.topics.through.objects.values_list("statement_id", "topic_id")),
            sorted(Statement.mentions.through.objects.values_list("statement_id", "official_id")),
        ]

    before = snapshot()
    call_command("load_seeds", verbosity=0)
    assert snapshot() == before


def test_the_loader_reports_nothing_changed_the_second_time(seeded, settings):
    report = load_seed_file(settings.BASE_DIR / "seeds" / "verbatim.toml")
    assert not report.changed_anything
    assert report.unchanged["statements"] == 13


def test_a_broken_seed_file_loads_nothing(tmp_path, db):
    path = tmp_path / "broken.toml"
    path.write_text(
        'format_version = 1\n[[topics]]\nslug = "a"\nname = "A"\n'
        '[[topics]]\nslug = "b"\nname = "B"\nparent = "missing"\n',
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match="no topic with slug 'missing'"):
        load_seed_file(path)
    assert not Topic.objects.exists()


def test_an_unreadable_seed_file_is_reported_with_its_path(tmp_path, db):
    path = tmp_path / "bad.toml"
    path.write_text("format_version = = 1", encoding="utf-8")
    with pytest.raises(SeedError, match=r"bad\.toml: cannot read"):
        load_seed_file(path)
