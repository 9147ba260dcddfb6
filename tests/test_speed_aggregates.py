"""Per-object counts and lists that pages read, rewritten to touch only the rows they show.

The shapes changed (correlated counts, semi-joins instead of DISTINCT joins); what they
return must not: each is checked against a plain count of the same thing.
"""

import datetime

import pytest

from statements.models import Article, Meeting, Official, Statement

from .factories import make_article, make_meeting, make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db
DRAFT = Statement.Status.DRAFT


def test_each_meeting_counts_its_published_statements_only():
    busy, quiet, empty = make_meeting(), make_meeting(), make_meeting()
    for _ in range(3):
        make_statement(meeting=busy)
    make_statement(meeting=busy, status=DRAFT)
    make_statement(meeting=quiet)
    counts = dict(Meeting.objects.with_published_counts().values_list("pk", "published_count"))
    assert counts == {busy.pk: 3, quiet.pk: 1, empty.pk: 0}


def test_each_article_counts_its_published_statements_only():
    busy, empty = make_article(), make_article()
    make_statement(article=busy)
    make_statement(article=busy)
    make_statement(article=busy, status=DRAFT)
    counts = dict(Article.objects.with_published_counts().values_list("pk", "published_count"))
    assert counts[busy.pk] == 2 and counts[empty.pk] == 0


def test_each_official_counts_their_published_statements_from_the_tallies():
    busy, silent = make_official(), make_official()
    make_statement(speaker=busy)
    draft = make_statement(speaker=busy, status=DRAFT)
    counts = dict(Official.objects.with_published_counts().values_list("pk", "published_count"))
    assert counts[busy.pk] == 1 and counts[silent.pk] == 0
    draft.status = Statement.Status.PUBLISHED
    draft.save()
    Statement.objects.filter(pk=draft.pk).update(status=Statement.Status.PUBLISHED)
    assert Official.objects.with_published_counts().get(pk=busy.pk).published_count == 2


def test_an_official_attended_the_meetings_they_joined_or_spoke_at_once_each():
    official, other = make_official(), make_official()
    joined, spoke, both, draft_only, elsewhere = (make_meeting() for _ in range(5))
    joined.participants.add(official)
    make_statement(speaker=official, meeting=spoke)
    make_statement(speaker=official, meeting=spoke)
    both.participants.add(official)
    make_statement(speaker=official, meeting=both)
    make_statement(speaker=official, meeting=draft_only, status=DRAFT)
    make_statement(speaker=other, meeting=elsewhere)
    make_statement(speaker=official)
    attended = list(Meeting.objects.attended_by(official).values_list("pk", flat=True))
    assert sorted(attended) == sorted([joined.pk, spoke.pk, both.pk])


def test_a_topic_lists_each_statement_on_it_or_below_it_once_newest_first():
    root = make_topic()
    child = make_topic(parent=root)
    grandchild = make_topic(parent=child)
    other = make_topic()
    days = [datetime.date(2015, 1, day) for day in range(1, 6)]
    on_both = make_statement(topics=[root, grandchild], said_on=days[0])
    on_child = make_statement(topics=[child], said_on=days[1])
    on_other = make_statement(topics=[other], said_on=days[2])
    on_leaf = make_statement(topics=[grandchild, other], said_on=days[3])
    listed = list(Statement.objects.about_topics([root]).newest_first())
    assert listed == [on_leaf, on_child, on_both]
    assert Statement.objects.about_topics([root]).count() == 3
    assert list(Statement.objects.about_topics([other]).newest_first()) == [on_leaf, on_other]


def test_the_most_quoted_on_a_topic_count_each_statement_once_ties_by_name():
    root = make_topic()
    child = make_topic(parent=root)
    anna = make_official(name="Anna Quill", sort_name="Quill, Anna")
    bela = make_official(name="Bela Arne", sort_name="Arne, Bela")
    carl = make_official(name="Carl Moss", sort_name="Moss, Carl")
    make_statement(speaker=anna, topics=[root, child])
    make_statement(speaker=anna, topics=[child])
    make_statement(speaker=bela, topics=[child])
    make_statement(speaker=bela, topics=[root])
    make_statement(speaker=carl, topics=[root])
    make_statement(speaker=carl, topics=[child], status=DRAFT)
    make_statement(speaker=carl, topics=[make_topic()])
    ranked = Official.objects.most_quoted_on({root.pk, child.pk}, limit=2)
    assert [(o.name, o.published_count) for o in ranked] == [("Bela Arne", 2), ("Anna Quill", 2)]
    everyone = Official.objects.most_quoted_on({root.pk, child.pk})
    assert [(o.name, o.published_count) for o in everyone][-1] == ("Carl Moss", 1)
    assert Official.objects.most_quoted_on({make_topic().pk}) == []
