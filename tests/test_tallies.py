"""The published tallies stay equal to a count from scratch after every kind of write."""

import datetime
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements import tallies
from statements.corpus.generation import generate_corpus
from statements.interchange import export_archive, import_archive
from statements.models import (
    ArchiveTally,
    Official,
    OfficialTally,
    Statement,
    TallyPause,
    Topic,
    TopicLineage,
    TopicTally,
)

from .factories import make_article, make_official, make_statement, make_topic
from .helpers import empty_the_archive

pytestmark = pytest.mark.django_db

PUBLISHED, DRAFT = Statement.Status.PUBLISHED, Statement.Status.DRAFT


def assert_exact():
    assert tallies.stored_counts() == tallies.counted_from_scratch()


@pytest.fixture
def tree():
    """world > europe > {baltic, alps}, and a separate root, trade."""
    world = make_topic(name="World")
    europe = make_topic(name="Europe", parent=world)
    baltic = make_topic(name="Baltic", parent=europe)
    alps = make_topic(name="Alps", parent=europe)
    trade = make_topic(name="Trade")
    return {"world": world, "europe": europe, "baltic": baltic, "alps": alps, "trade": trade}


def test_a_statement_on_a_topic_and_its_subtopic_counts_once_up_the_tree(tree):
    statement = make_statement(topics=[tree["baltic"], tree["europe"], tree["alps"]])
    counts = Topic.objects.published_counts()
    assert counts[tree["world"].pk] == counts[tree["europe"].pk] == 1
    assert counts[tree["baltic"].pk] == counts[tree["alps"].pk] == 1
    assert counts[tree["trade"].pk] == 0
    assert Official.objects.most_quoted().get().published_count == 1
    assert Statement.objects.published_total() == 1
    statement.topics.remove(tree["baltic"])
    assert Topic.objects.published_counts()[tree["baltic"].pk] == 0
    assert Topic.objects.published_counts()[tree["world"].pk] == 1
    assert_exact()


def test_drafts_are_never_counted(tree):
    make_statement(status=DRAFT, topics=[tree["baltic"], tree["trade"]])
    assert set(Topic.objects.published_counts().values()) == {0}
    assert list(Official.objects.most_quoted()) == []
    assert Statement.objects.published_total() == 0
    assert_exact()


def test_publishing_unpublishing_and_changing_speaker_by_save(tree):
    statement = make_statement(status=DRAFT, topics=[tree["alps"]])
    statement.status = PUBLISHED
    statement.save()
    assert_exact()
    statement.speaker = make_official()
    statement.save()
    assert_exact()
    statement.status = DRAFT
    statement.save()
    assert_exact()
    assert Statement.objects.published_total() == 0


def test_deleting_statements_one_by_one_and_in_bulk(tree):
    first = make_statement(topics=[tree["baltic"], tree["trade"]])
    make_statement(topics=[tree["alps"]])
    make_statement(status=DRAFT, topics=[tree["alps"]])
    first.delete()
    assert_exact()
    Statement.objects.all().delete()
    assert_exact()
    assert Topic.objects.published_counts()[tree["world"].pk] == 0


def test_topics_added_removed_and_cleared_from_both_sides(tree):
    statement = make_statement()
    other = make_statement()
    statement.topics.add(tree["baltic"], tree["alps"])
    assert_exact()
    tree["europe"].statements.add(statement, other)
    assert_exact()
    tree["europe"].statements.remove(statement)
    assert_exact()
    statement.topics.set([tree["trade"], tree["world"]])
    assert_exact()
    statement.topics.clear()
    tree["europe"].statements.clear()
    assert_exact()
    assert set(Topic.objects.published_counts().values()) == {0}


def test_update_bulk_create_and_bulk_update(tree):
    speaker = make_official()
    article = make_article()
    created = Statement.objects.bulk_create(
        Statement(
            speaker=speaker,
            article=article,
            text=f"Words {n}",
            said_on=datetime.date(2020, 1, n + 1),
            status=status,
        )
        for n, status in enumerate([PUBLISHED, DRAFT, PUBLISHED])
    )
    for statement in created:
        statement.topics.add(tree["baltic"])
    assert_exact()
    Statement.objects.update(status=PUBLISHED)
    assert_exact()
    Statement.objects.filter(pk=created[0].pk).update(speaker=make_official(), status=DRAFT)
    assert_exact()
    created[1].status = DRAFT
    Statement.objects.bulk_update([created[1]], ["status"])
    assert_exact()


def test_publishing_and_unpublishing_with_the_admin_actions(client, tree):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="pw-for-tests"))
    drafts = [
        make_statement(status=DRAFT, topics=[tree["baltic"], tree["europe"]]) for _ in range(3)
    ]
    url = reverse("admin:statements_statement_changelist")
    client.post(url, {"action": "publish", "_selected_action": [s.pk for s in drafts]})
    assert Topic.objects.published_counts()[tree["world"].pk] == 3
    assert_exact()
    client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert Topic.objects.published_counts()[tree["world"].pk] == 2
    assert Statement.objects.published_total() == 2
    assert_exact()


def test_a_topic_moved_to_another_parent_and_back(tree):
    make_statement(topics=[tree["baltic"], tree["trade"]])
    make_statement(topics=[tree["alps"]])
    europe = tree["europe"]
    europe.parent = tree["trade"]
    europe.save()
    assert Topic.objects.published_counts()[tree["world"].pk] == 0
    assert Topic.objects.published_counts()[tree["trade"].pk] == 2
    assert_exact()
    Topic.objects.filter(pk=europe.pk).update(parent=None)
    assert_exact()
    Topic.objects.filter(pk=europe.pk).update(parent=tree["world"])
    assert_exact()


def test_a_topic_or_an_official_deleted_takes_its_tally_with_it(tree):
    statement = make_statement(topics=[tree["alps"], tree["trade"]])
    tree["trade"].delete()
    assert not TopicTally.objects.filter(topic_id=tree["trade"].pk).exists()
    assert_exact()
    statement.topics.clear()
    tree["alps"].delete()
    assert_exact()
    official = make_official()
    official_pk = official.pk
    official.delete()
    assert not OfficialTally.objects.filter(official_id=official_pk).exists()
    assert_exact()


def test_import_into_an_empty_archive_and_again(seeded):
    assert_exact()
    buffer = io.StringIO()
    export_archive(buffer)
    text = buffer.getvalue()
    empty_the_archive()
    assert_exact()
    import_archive(io.BytesIO(text.encode()), name="archive.jsonl")
    assert Statement.objects.published_total() > 0
    assert_exact()
    import_archive(io.BytesIO(text.encode()), name="archive.jsonl")
    assert_exact()


def test_seeds_loaded_twice(seeded):
    assert Statement.objects.published_total() == Statement.objects.published().count() > 0
    call_command("load_seeds", verbosity=0)
    assert_exact()


def test_a_generated_corpus_is_counted_and_the_pause_is_lifted():
    generate_corpus(statements=300, seed=3)
    assert not TallyPause.objects.exists()
    assert Statement.objects.published_total() == Statement.objects.published().count() > 0
    assert_exact()
    generate_corpus(statements=120, seed=4, force=True)
    assert_exact()


def test_paused_triggers_leave_the_count_to_the_recount(tree):
    with tallies.paused("test"):
        make_statement(topics=[tree["baltic"]])
        assert Statement.objects.published_total() == 0
    assert Statement.objects.published_total() == 1
    assert_exact()


def test_recount_repairs_tallies_and_the_command_checks_them(tree):
    make_statement(topics=[tree["baltic"]])
    TopicTally.objects.update(published=7)
    ArchiveTally.objects.all().delete()
    assert tallies.stored_counts() != tallies.counted_from_scratch()
    with pytest.raises(SystemExit):
        call_command("recount_tallies", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("recount_tallies", stdout=out)
    assert "1 published statements" in out.getvalue()
    assert_exact()
    call_command("recount_tallies", "--check", stdout=io.StringIO())


def test_the_command_lifts_a_pause_an_interrupted_load_left_behind(tree):
    TallyPause.objects.create(reason="generate_corpus")
    make_statement(topics=[tree["baltic"]])
    assert Statement.objects.published_total() == 0
    call_command("recount_tallies", stdout=io.StringIO())
    assert not TallyPause.objects.exists()
    make_statement(topics=[tree["baltic"]])
    assert Statement.objects.published_total() == 2
    assert_exact()


def test_the_check_counts_officials_from_the_statements_not_from_the_tallies(tree):
    speaker = make_official()
    make_statement(speaker=speaker)
    OfficialTally.objects.filter(official=speaker).update(published=5)
    assert tallies.counted_from_scratch()["officials"][speaker.pk] == 1
    assert tallies.stored_counts() != tallies.counted_from_scratch()


def test_most_quoted_keeps_its_order_and_ties():
    names = ["Ana Brook", "Cleo Arden", "Bo Arden"]
    officials = [make_official(name=name) for name in names]
    article = make_article()
    for official, n in zip(officials, [2, 3, 2], strict=True):
        for _ in range(n):
            make_statement(speaker=official, article=article)
    make_statement(speaker=officials[0], article=article, status=DRAFT)
    quoted = list(Official.objects.most_quoted())
    assert [(o.name, o.published_count) for o in quoted] == [
        ("Cleo Arden", 3),
        ("Bo Arden", 2),
        ("Ana Brook", 2),
    ]
    expected = list(
        Official.objects.with_published_counts()
        .filter(published_count__gt=0)
        .order_by("-published_count", "sort_name", "name")
    )
    assert quoted == expected


def test_a_failed_write_leaves_the_tallies_as_they_were(tree):
    statement = make_statement(topics=[tree["alps"]])
    with pytest.raises(RuntimeError), transaction.atomic():
        statement.topics.add(tree["trade"])
        Statement.objects.filter(pk=statement.pk).update(status=DRAFT)
        raise RuntimeError
    assert Topic.objects.published_counts()[tree["trade"].pk] == 0
    assert_exact()


def test_one_insert_of_several_links_of_one_statement_counts_it_once(tree):
    statement = make_statement()
    links = Statement.topics.through
    links.objects.bulk_create(
        [links(statement=statement, topic=tree[name]) for name in ("baltic", "alps", "europe")]
    )
    assert Topic.objects.published_counts()[tree["world"].pk] == 1
    assert_exact()
    links.objects.filter(statement=statement).delete()
    assert Topic.objects.published_counts()[tree["world"].pk] == 0
    assert_exact()


# Random sequences of writes, each followed by the check.
TOPIC_NAMES = ["world", "europe", "baltic", "alps", "trade"]
write = st.one_of(
    st.tuples(st.just("create"), st.booleans(), st.lists(st.sampled_from(TOPIC_NAMES), max_size=3)),
    st.tuples(st.just("toggle"), st.integers(0, 20)),
    st.tuples(
        st.just("add"), st.integers(0, 20), st.lists(st.sampled_from(TOPIC_NAMES), max_size=3)
    ),
    st.tuples(st.just("remove"), st.integers(0, 20), st.sampled_from(TOPIC_NAMES)),
    st.tuples(st.just("clear"), st.integers(0, 20)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("publish_all"), st.booleans()),
    st.tuples(st.just("speaker"), st.integers(0, 20)),
    st.tuples(
        st.just("move"),
        st.sampled_from(["europe", "alps", "trade"]),
        st.sampled_from([None, *TOPIC_NAMES]),
    ),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(write, min_size=1, max_size=12))
def test_random_sequences_of_writes_keep_the_tallies_exact(writes):
    with transaction.atomic():
        topics = {}
        for name in TOPIC_NAMES:
            parent = {"europe": "world", "baltic": "europe", "alps": "europe"}.get(name)
            topics[name] = make_topic(name=name.title(), parent=topics.get(parent))
        speakers = [make_official(), make_official()]
        article = make_article()
        for step in writes:
            apply(step, topics, speakers, article)
            assert_exact()
        transaction.set_rollback(True)


def apply(step, topics, speakers, article):
    kind, *args = step
    statements = list(Statement.objects.order_by("pk"))

    def pick(n):
        return statements[n % len(statements)] if statements else None

    if kind == "create":
        published, names = args
        make_statement(
            speaker=speakers[0],
            article=article,
            status=PUBLISHED if published else DRAFT,
            topics=[topics[name] for name in names],
        )
    elif kind == "publish_all":
        Statement.objects.update(status=PUBLISHED if args[0] else DRAFT)
    elif kind == "move":
        name, parent = args
        below = set(Topic.objects.below(topics[name]).values_list("pk", flat=True))
        if parent is None or topics[parent].pk not in below:
            topic = Topic.objects.get(pk=topics[name].pk)
            topic.parent = topics[parent] if parent else None
            topic.save()
    elif (statement := pick(args[0])) is not None:
        if kind == "toggle":
            statement.status = DRAFT if statement.is_published else PUBLISHED
            statement.save()
        elif kind == "add":
            statement.topics.add(*[topics[name] for name in args[1]])
        elif kind == "remove":
            topics[args[1]].statements.remove(statement)
        elif kind == "clear":
            statement.topics.clear()
        elif kind == "delete":
            statement.delete()
        elif kind == "speaker":
            statement.speaker = speakers[1] if statement.speaker == speakers[0] else speakers[0]
            statement.save()


def test_the_tallies_are_triggers_on_this_engine():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tally_%%'")
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally_%'"
            )
        assert cursor.fetchone()[0] == len(tallies.TRIGGERS)


# The migration whose frozen SQL installs the triggers statements/tallies.py describes today.
# A change to the triggers comes with a new migration (dropping the old ones, creating these),
# named here.
LATEST_TRIGGERS = "statements.migrations.0008_tallies"


@pytest.mark.parametrize(("vendor", "prefix"), [("sqlite", "SQLITE"), ("postgresql", "POSTGRES")])
def test_the_latest_tally_migration_installs_the_triggers_this_code_describes(vendor, prefix):
    migration = importlib.import_module(LATEST_TRIGGERS)
    assert getattr(migration, f"{prefix}_TRIGGERS") == tallies.create_sql(vendor)
    assert getattr(migration, f"{prefix}_DROP_TRIGGERS") == tallies.drop_sql(vendor)


def test_the_first_count_of_the_migration_matches_the_recount(tree):
    migration = importlib.import_module("statements.migrations.0008_tallies")
    tallies.recount()
    expected = tallies.stored_counts()
    lineage = set(TopicLineage.objects.values_list("topic", "ancestor"))
    with connection.cursor() as cursor:
        for table in ("topiclineage", "topictally", "officialtally", "archivetally"):
            cursor.execute(f"DELETE FROM statements_{table}")
        for sql in migration.COUNT:
            cursor.execute(sql)
    assert tallies.stored_counts() == expected == tallies.counted_from_scratch()
    assert set(TopicLineage.objects.values_list("topic", "ancestor")) == lineage
