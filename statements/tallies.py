"""Keeping the published counts (``statements.models.tallies``) exact, in the database.

Every count is changed by a trigger in the transaction of the write that changes it, so no
write path can forget it: ``save()``, ``delete()``, ``QuerySet.update()`` (the admin's publish
and unpublish actions), ``bulk_create()``, topics added or removed from either side, COPY and
plain inserts of the import. The cost of a write is a few indexed lookups per statement and
topic link written, whatever the size of the archive.

A statement counts towards a topic once, however many of its topics lie below it. A link
(statement, topic) therefore changes the tally of an ancestor of its topic only when no other
link of the same statement already reaches that ancestor (``topic_lineage`` lists each topic's
ancestors).

SQLite runs a row trigger as each row is written, and updates a row in place. PostgreSQL
needs the statement-level form, with transition tables, for the statements and their topic
links: row-level AFTER triggers all run once the whole INSERT is done (two links of one
statement would each believe the other already counted), and a tally row updated once per
row in a long transaction (an import of 100,000 statements) leaves a dead version behind
each time, which every later update has to step over. One grouped change per tally per
INSERT, UPDATE, DELETE or COPY avoids both.

Moving a topic recounts, for its old and new ancestors, the statements filed in its subtree:
proportional to those statements, not to the archive.

The bulk loaders pause the triggers (``paused()``) and recount everything at the end
(``recount()``). ``counted_from_scratch()`` counts the slow way, for tests and checks.

This module is one of the few that know the database engine (with ``statements.search`` and
the bulk writer), because triggers are written in each engine's own dialect.
Migration 0008 installs a frozen copy of ``create_sql()``: a change to the triggers here needs
a migration of its own (tests/test_tallies.py fails until it has one).

Beware, as for the search index (migrations 0005 and 0006): on SQLite, a migration that makes
Django rebuild one of the tables these triggers sit on (statements, their topic links, topics,
officials) drops the triggers with the old table, and must create them again after it.
"""

import contextlib
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import models, transaction

from statements import caching

PUBLISHED = "published"
STATEMENTS = "statements_statement"
LINKS = "statements_statement_topics"
TOPICS = "statements_topic"
OFFICIALS = "statements_official"
LINEAGE = "statements_topiclineage"
TOPIC_TALLY = "statements_topictally"
OFFICIAL_TALLY = "statements_officialtally"
ARCHIVE_TALLY = "statements_archivetally"
PAUSE = "statements_tallypause"

ACTIVE = f"NOT EXISTS (SELECT 1 FROM {PAUSE})"


def _reach(statement):
    """Every topic a statement's links reach, theirs and the ones above them."""
    return (
        f"SELECT c.ancestor_id FROM {LINKS} l JOIN {LINEAGE} c ON c.topic_id = l.topic_id "
        f"WHERE l.statement_id = {statement}"
    )


def _add_to_reach(statement, delta):
    return (
        f"UPDATE {TOPIC_TALLY} SET published = published + {delta} "
        f"WHERE topic_id IN ({_reach(statement)})"
    )


def _add_to_official(official, delta, when="TRUE"):
    """Count up (creating the row) or down (a missing row, as during a flush, stays so)."""
    if delta < 0:
        return (
            f"UPDATE {OFFICIAL_TALLY} SET published = published - {-delta} "
            f"WHERE official_id = {official} AND {when}"
        )
    return (
        f"INSERT INTO {OFFICIAL_TALLY} (official_id, published) SELECT {official}, {delta} "
        f"WHERE {when} ON CONFLICT (official_id) "
        f"DO UPDATE SET published = {OFFICIAL_TALLY}.published + excluded.published"
    )


def _add_to_archive(delta, when="TRUE"):
    if delta < 0:
        return f"UPDATE {ARCHIVE_TALLY} SET published = published - {-delta} WHERE {when}"
    return (
        f"INSERT INTO {ARCHIVE_TALLY} (id, published) SELECT 1, {delta} WHERE {when} "
        f"ON CONFLICT (id) DO UPDATE SET published = {ARCHIVE_TALLY}.published + excluded.published"
    )


def _link_changes_ancestors(row, delta):
    """Change the ancestors of row's topic that no other link of row's statement reaches."""
    return (
        f"UPDATE {TOPIC_TALLY} SET published = published + {delta} "
        f"WHERE topic_id IN (SELECT ancestor_id FROM {LINEAGE} WHERE topic_id = {row}.topic_id) "
        f"AND EXISTS (SELECT 1 FROM {STATEMENTS} s "
        f"WHERE s.id = {row}.statement_id AND s.status = '{PUBLISHED}') "
        f"AND NOT EXISTS (SELECT 1 FROM {LINKS} l JOIN {LINEAGE} c ON c.topic_id = l.topic_id "
        f"WHERE l.statement_id = {row}.statement_id AND l.topic_id <> {row}.topic_id "
        f"AND c.ancestor_id = {TOPIC_TALLY}.topic_id)"
    )


# A topic moving (new.id) changes the tallies of its old and new ancestors only through the
# statements filed in its subtree: each of them is uncounted there before the lineage
# changes and counted again after, so the cost follows the subtree, not the archive.
MOVED_TOPIC_ANCESTORS = (
    f"SELECT ancestor_id FROM {LINEAGE} WHERE topic_id IN (old.parent_id, new.parent_id)"
)


def _count_moving_statements(sign):
    return (
        f"UPDATE {TOPIC_TALLY} SET published = published {sign} ("
        f"SELECT COUNT(DISTINCT l.statement_id) FROM {LINKS} l "
        f"JOIN {LINEAGE} c ON c.topic_id = l.topic_id JOIN {STATEMENTS} s ON s.id = l.statement_id "
        f"WHERE c.ancestor_id = {TOPIC_TALLY}.topic_id AND s.status = '{PUBLISHED}' "
        f"AND l.statement_id IN (SELECT below.statement_id FROM {LINKS} below "
        f"JOIN {LINEAGE} under ON under.topic_id = below.topic_id WHERE under.ancestor_id = new.id)"
        f") WHERE topic_id IN ({MOVED_TOPIC_ANCESTORS})"
    )


# A statement whose counting changed, between its old row o and its new row n.
MOVED = "(n.status IS DISTINCT FROM o.status OR n.speaker_id IS DISTINCT FROM o.speaker_id)"
STATUS_CHANGED = f"(old.status = '{PUBLISHED}') <> (new.status = '{PUBLISHED}')"


def _pg_statements_counted(rows):
    """PostgreSQL: apply (id, speaker_id, sign) rows, one per statement counted or uncounted.

    One grouped change per tally, whatever the number of rows: a row updated once per
    statement in a long transaction (an import) would leave a version behind each time, and
    every later update would wade through them.
    """
    # Decrements as UPDATEs: an upsert checks its row (negative) before finding the conflict.
    return [
        f"UPDATE {OFFICIAL_TALLY} SET published = {OFFICIAL_TALLY}.published + delta.n "
        f"FROM (SELECT speaker_id, SUM(sign) AS n FROM ({rows}) AS rows GROUP BY speaker_id "
        f"HAVING SUM(sign) < 0) AS delta WHERE {OFFICIAL_TALLY}.official_id = delta.speaker_id",
        f"INSERT INTO {OFFICIAL_TALLY} (official_id, published) "
        f"SELECT speaker_id, SUM(sign) FROM ({rows}) AS rows GROUP BY speaker_id "
        f"HAVING SUM(sign) > 0 ON CONFLICT (official_id) "
        f"DO UPDATE SET published = {OFFICIAL_TALLY}.published + excluded.published",
        f"UPDATE {ARCHIVE_TALLY} SET published = published + delta.n "
        f"FROM (SELECT SUM(sign) AS n FROM ({rows}) AS rows HAVING SUM(sign) < 0) AS delta",
        f"INSERT INTO {ARCHIVE_TALLY} (id, published) "
        f"SELECT 1, SUM(sign) FROM ({rows}) AS rows HAVING SUM(sign) > 0 ON CONFLICT (id) "
        f"DO UPDATE SET published = {ARCHIVE_TALLY}.published + excluded.published",
        f"UPDATE {TOPIC_TALLY} SET published = {TOPIC_TALLY}.published + delta.n "
        f"FROM (SELECT ancestor_id, SUM(sign) AS n FROM (SELECT DISTINCT rows.id, "
        f"c.ancestor_id, rows.sign FROM ({rows}) AS rows "
        f"JOIN {LINKS} l ON l.statement_id = rows.id "
        f"JOIN {LINEAGE} c ON c.topic_id = l.topic_id) AS reached GROUP BY ancestor_id) AS delta "
        f"WHERE {TOPIC_TALLY}.topic_id = delta.ancestor_id AND delta.n <> 0",
    ]


def _pg_links_counted(changed, sign):
    """PostgreSQL: links added or removed, for published statements, counted once per ancestor.

    After the statement, the links table holds the added links and no longer the removed
    ones: an ancestor changes for a statement when none of its other links reaches it.
    """
    others = (
        f"AND NOT EXISTS (SELECT 1 FROM {changed} same WHERE same.id = l.id)" if sign > 0 else ""
    )
    return (
        f"UPDATE {TOPIC_TALLY} SET published = {TOPIC_TALLY}.published + {sign} * delta.n "
        f"FROM (SELECT c.ancestor_id, COUNT(DISTINCT x.statement_id) AS n FROM {changed} x "
        f"JOIN {LINEAGE} c ON c.topic_id = x.topic_id "
        f"JOIN {STATEMENTS} s ON s.id = x.statement_id AND s.status = '{PUBLISHED}' "
        f"WHERE NOT EXISTS (SELECT 1 FROM {LINKS} l "
        f"JOIN {LINEAGE} c2 ON c2.topic_id = l.topic_id "
        f"WHERE l.statement_id = x.statement_id AND c2.ancestor_id = c.ancestor_id {others}) "
        f"GROUP BY c.ancestor_id) AS delta WHERE {TOPIC_TALLY}.topic_id = delta.ancestor_id"
    )


# Every (topic, ancestor) pair, the topic itself included, found by following the parents: a
# recursive query both engines run. UNION, not UNION ALL, ends the walk at a loop (which
# ``Topic.clean()`` refuses anyway) instead of going round it for ever.
LINEAGE_FROM_PARENTS = (
    "WITH RECURSIVE lineage_from_parents (topic_id, ancestor_id) AS ("
    f"SELECT id, id FROM {TOPICS} UNION SELECT up.topic_id, t.parent_id "
    f"FROM lineage_from_parents up JOIN {TOPICS} t ON t.id = up.ancestor_id "
    "WHERE t.parent_id IS NOT NULL) "
)

# Published statements on each topic or below it, each once, from a lineage (``{lineage}``):
# the table the triggers keep, or ``lineage_from_parents``.
_COUNT_UNDER_EACH_TOPIC = (
    "SELECT c.ancestor_id, COUNT(DISTINCT l.statement_id) "
    f"FROM {LINKS} l JOIN {{lineage}} c ON c.topic_id = l.topic_id "
    f"JOIN {STATEMENTS} s ON s.id = l.statement_id "
    "WHERE s.status = %s GROUP BY c.ancestor_id"
)


@dataclass
class Trigger:
    name: str
    table: str
    event: str  # INSERT, DELETE, UPDATE OF ...
    row: str  # new or old: the row the PostgreSQL function returns
    when: str
    body: list
    # PostgreSQL: a statement-level trigger instead (``postgres_tables`` names its transition
    # tables), with this body, run once per INSERT/UPDATE/DELETE/COPY whatever its rows.
    postgres_body: list = None
    postgres_tables: str = ""


TRIGGERS = [
    Trigger(
        "tally_topic_insert",
        TOPICS,
        "INSERT",
        "new",
        ACTIVE,
        [
            f"INSERT INTO {LINEAGE} (topic_id, ancestor_id) SELECT new.id, ancestor_id "
            f"FROM {LINEAGE} WHERE topic_id = new.parent_id ON CONFLICT DO NOTHING",
            f"INSERT INTO {LINEAGE} (topic_id, ancestor_id) VALUES (new.id, new.id) "
            "ON CONFLICT DO NOTHING",
            f"INSERT INTO {TOPIC_TALLY} (topic_id, published) VALUES (new.id, 0) "
            "ON CONFLICT DO NOTHING",
        ],
    ),
    Trigger(
        "tally_topic_move",
        TOPICS,
        "UPDATE OF parent_id",
        "new",
        f"old.parent_id IS DISTINCT FROM new.parent_id AND {ACTIVE}",
        [
            _count_moving_statements("-"),
            # The subtree leaves its old ancestors and joins the new ones.
            f"DELETE FROM {LINEAGE} "
            f"WHERE topic_id IN (SELECT topic_id FROM {LINEAGE} WHERE ancestor_id = new.id) "
            f"AND ancestor_id IN "
            f"(SELECT ancestor_id FROM {LINEAGE} WHERE topic_id = old.parent_id)",
            f"INSERT INTO {LINEAGE} (topic_id, ancestor_id) "
            f"SELECT sub.topic_id, sup.ancestor_id FROM {LINEAGE} sub "
            f"JOIN {LINEAGE} sup ON sup.topic_id = new.parent_id WHERE sub.ancestor_id = new.id "
            "ON CONFLICT DO NOTHING",
            _count_moving_statements("+"),
        ],
    ),
    Trigger(
        "tally_topic_delete",
        TOPICS,
        "DELETE",
        "old",
        "TRUE",
        [
            f"DELETE FROM {LINEAGE} WHERE topic_id = old.id OR ancestor_id = old.id",
            f"DELETE FROM {TOPIC_TALLY} WHERE topic_id = old.id",
        ],
    ),
    Trigger(
        "tally_official_insert",
        OFFICIALS,
        "INSERT",
        "new",
        ACTIVE,
        [
            f"INSERT INTO {OFFICIAL_TALLY} (official_id, published) VALUES (new.id, 0) "
            "ON CONFLICT DO NOTHING"
        ],
    ),
    Trigger(
        "tally_official_delete",
        OFFICIALS,
        "DELETE",
        "old",
        "TRUE",
        [f"DELETE FROM {OFFICIAL_TALLY} WHERE official_id = old.id"],
    ),
    Trigger(
        "tally_statement_insert",
        STATEMENTS,
        "INSERT",
        "new",
        f"new.status = '{PUBLISHED}' AND {ACTIVE}",
        [
            _add_to_official("new.speaker_id", 1),
            _add_to_archive(1),
            # Links written before their statement (COPY with deferred foreign keys).
            _add_to_reach("new.id", 1),
        ],
        postgres_tables="NEW TABLE AS added",
        postgres_body=_pg_statements_counted(
            f"SELECT id, speaker_id, 1 AS sign FROM added WHERE status = '{PUBLISHED}'"
        ),
    ),
    Trigger(
        "tally_statement_delete",
        STATEMENTS,
        "DELETE",
        "old",
        f"old.status = '{PUBLISHED}' AND {ACTIVE}",
        [
            _add_to_official("old.speaker_id", -1),
            _add_to_archive(-1),
            # Links Django has not deleted first (it always does).
            _add_to_reach("old.id", -1),
        ],
        postgres_tables="OLD TABLE AS removed",
        postgres_body=_pg_statements_counted(
            f"SELECT id, speaker_id, -1 AS sign FROM removed WHERE status = '{PUBLISHED}'"
        ),
    ),
    Trigger(
        "tally_statement_update",
        STATEMENTS,
        "UPDATE OF status, speaker_id",
        "new",
        f"(old.status IS DISTINCT FROM new.status "
        f"OR old.speaker_id IS DISTINCT FROM new.speaker_id) AND {ACTIVE}",
        [
            _add_to_official("old.speaker_id", -1, f"old.status = '{PUBLISHED}'"),
            _add_to_official("new.speaker_id", 1, f"new.status = '{PUBLISHED}'"),
            _add_to_archive(-1, f"old.status = '{PUBLISHED}' AND {STATUS_CHANGED}"),
            _add_to_archive(1, f"new.status = '{PUBLISHED}' AND {STATUS_CHANGED}"),
            f"UPDATE {TOPIC_TALLY} SET published = published + "
            f"CASE WHEN new.status = '{PUBLISHED}' THEN 1 ELSE -1 END "
            f"WHERE {STATUS_CHANGED} AND topic_id IN ({_reach('new.id')})",
        ],
        postgres_tables="OLD TABLE AS old_rows NEW TABLE AS new_rows",
        # As if each changed statement were deleted as it was and inserted as it is.
        postgres_body=_pg_statements_counted(
            "SELECT o.id, o.speaker_id, -1 AS sign FROM old_rows o "
            f"JOIN new_rows n ON n.id = o.id WHERE o.status = '{PUBLISHED}' "
            f"AND {MOVED} "
            "UNION ALL SELECT n.id, n.speaker_id, 1 FROM old_rows o "
            f"JOIN new_rows n ON n.id = o.id WHERE n.status = '{PUBLISHED}' "
            f"AND {MOVED}"
        ),
    ),
    Trigger(
        "tally_link_insert",
        LINKS,
        "INSERT",
        "new",
        ACTIVE,
        [_link_changes_ancestors("new", 1)],
        postgres_tables="NEW TABLE AS added",
        postgres_body=[_pg_links_counted("added", 1)],
    ),
    Trigger(
        "tally_link_delete",
        LINKS,
        "DELETE",
        "old",
        ACTIVE,
        [_link_changes_ancestors("old", -1)],
        postgres_tables="OLD TABLE AS removed",
        postgres_body=[_pg_links_counted("removed", -1)],
    ),
]


def _sqlite_sql(trigger):
    body = "".join(f"    {sql};\n" for sql in trigger.body)
    return (
        f'CREATE TRIGGER "{trigger.name}" AFTER {trigger.event} '
        f'ON "{trigger.table}" FOR EACH ROW WHEN {trigger.when}\nBEGIN\n{body}END'
    )


def _postgres_sql(trigger):
    if trigger.postgres_body is None:
        body = "".join(f"        {sql};\n" for sql in trigger.body)
        return [
            f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n    IF {trigger.when} THEN\n{body}    END IF;\n"
            f"    RETURN {trigger.row};\nEND\n$$",
            f'CREATE TRIGGER "{trigger.name}" AFTER {trigger.event} '
            f'ON "{trigger.table}" FOR EACH ROW EXECUTE FUNCTION {trigger.name}()',
        ]
    body = "".join(f"        {sql};\n" for sql in trigger.postgres_body)
    # Transition tables allow no column list: UPDATE OF status becomes UPDATE.
    event = trigger.event.split(" OF ")[0]
    return [
        f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    IF {ACTIVE} THEN\n{body}    END IF;\n    RETURN NULL;\nEND\n$$",
        f'CREATE TRIGGER "{trigger.name}" AFTER {event} ON "{trigger.table}" '
        f"REFERENCING {trigger.postgres_tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger.name}()",
    ]


def create_sql(vendor):
    """The statements that create every trigger on this engine (``connection.vendor``).

    Migration 0008 holds a frozen copy of what they were when it was written: change them
    here, and a new migration must drop the old triggers and create these.
    """
    if vendor == "postgresql":
        return [sql for trigger in TRIGGERS for sql in _postgres_sql(trigger)]
    return [_sqlite_sql(trigger) for trigger in TRIGGERS]


def drop_sql(vendor):
    """The statements that drop every trigger (and, on PostgreSQL, its function)."""
    if vendor == "postgresql":
        return [
            sql
            for trigger in TRIGGERS
            for sql in (
                f'DROP TRIGGER IF EXISTS "{trigger.name}" ON "{trigger.table}"',
                f"DROP FUNCTION IF EXISTS {trigger.name}()",
            )
        ]
    return [f'DROP TRIGGER IF EXISTS "{trigger.name}"' for trigger in TRIGGERS]


def create_triggers(connection):
    with connection.cursor() as cursor:
        for sql in create_sql(connection.vendor):
            cursor.execute(sql)


def drop_triggers(connection):
    with connection.cursor() as cursor:
        for sql in drop_sql(connection.vendor):
            cursor.execute(sql)


def _quiet(message):
    pass


def recount(*, connection=None, progress=_quiet):
    """Rebuild every tally (and the topics' lineage) from the archive, in one transaction.

    Returns {"topics": n, "officials": n, "published": n} for a summary.
    """
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        progress("topic lineage")
        cursor.execute(f"DELETE FROM {LINEAGE}")
        cursor.execute(
            f"{LINEAGE_FROM_PARENTS} INSERT INTO {LINEAGE} (topic_id, ancestor_id) "
            "SELECT topic_id, ancestor_id FROM lineage_from_parents"
        )
        cursor.execute(f"SELECT id FROM {TOPICS}")
        topics = {pk: 0 for (pk,) in cursor.fetchall()}
        progress(f"topics: counting published statements under {len(topics):,} topics")
        cursor.execute(_COUNT_UNDER_EACH_TOPIC.format(lineage=LINEAGE), [PUBLISHED])
        topics.update(cursor.fetchall())
        cursor.execute(f"DELETE FROM {TOPIC_TALLY}")
        cursor.executemany(
            f"INSERT INTO {TOPIC_TALLY} (topic_id, published) VALUES (%s, %s)",
            list(topics.items()),
        )
        progress("officials")
        cursor.execute(f"DELETE FROM {OFFICIAL_TALLY}")
        cursor.execute(
            f"INSERT INTO {OFFICIAL_TALLY} (official_id, published) "
            f"SELECT o.id, (SELECT COUNT(*) FROM {STATEMENTS} s "
            f"WHERE s.speaker_id = o.id AND s.status = %s) FROM {OFFICIALS} o",
            [PUBLISHED],
        )
        cursor.execute(f"SELECT COUNT(*) FROM {OFFICIAL_TALLY} WHERE published > 0")
        (quoted,) = cursor.fetchone()
        progress("archive total")
        cursor.execute(f"DELETE FROM {ARCHIVE_TALLY}")
        cursor.execute(
            f"INSERT INTO {ARCHIVE_TALLY} (id, published) "
            f"SELECT 1, COUNT(*) FROM {STATEMENTS} WHERE status = %s",
            [PUBLISHED],
        )
        cursor.execute(f"SELECT published FROM {ARCHIVE_TALLY}")
        (published,) = cursor.fetchone()
    return {"topics": len(topics), "officials": quoted, "published": published}


@contextlib.contextmanager
def paused(reason, *, connection=None, progress=_quiet):
    """Let the triggers rest during a bulk load, then recount everything.

    Outside a transaction the pause is committed, so that a loader's other connections see
    it (and so does everyone else until the recount: the loaders already lock the archive).
    """
    from .models import TallyPause

    connection = connection or default_connection
    pause = TallyPause.objects.using(connection.alias).create(reason=reason[:100])
    try:
        yield
    finally:
        TallyPause.objects.using(connection.alias).filter(pk=pause.pk).delete()
        progress("recounting the published tallies")
        recount(connection=connection, progress=progress)
        caching.bump()


def stored_counts():
    """What the tallies say: {"topics": {pk: n}, "officials": {pk: n > 0}, "published": n}."""
    from .models import ArchiveTally, OfficialTally, Topic

    return {
        "topics": Topic.objects.published_counts(),
        "officials": dict(
            OfficialTally.objects.filter(published__gt=0).values_list("official", "published")
        ),
        "published": ArchiveTally.objects.values_list("published", flat=True).first() or 0,
    }


def counted_from_scratch():
    """The same counts computed from every statement, the slow way (as before the tallies)."""
    from .models import Statement

    return {
        "topics": topic_counts_from_scratch(),
        # Grouped from the statements themselves: ``Official.with_published_counts()`` reads
        # the tallies, which this is meant to check.
        "officials": dict(
            Statement.objects.published()
            .order_by()
            .values_list("speaker")
            .annotate(n=models.Count("pk"))
        ),
        "published": Statement.objects.published().count(),
    }


def topic_counts_from_scratch():
    """{topic pk: published statements on it or any topic below it}, from every statement.

    A statement filed under a topic and its subtopic counts once. Each topic's subtree is
    found by following the parents (``LINEAGE_FROM_PARENTS``), not from the lineage table the
    triggers keep, and one grouped COUNT(DISTINCT) over the topic links counts them all.
    """
    with default_connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {TOPICS}")
        counts = {pk: 0 for (pk,) in cursor.fetchall()}
        cursor.execute(
            LINEAGE_FROM_PARENTS + _COUNT_UNDER_EACH_TOPIC.format(lineage="lineage_from_parents"),
            [PUBLISHED],
        )
        counts.update(cursor.fetchall())
    return counts
