"""Every page runs a constant number of SQL queries, whatever the archive's size."""

import datetime

import pytest

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_role,
    make_statement,
    make_topic,
)
from .helpers import count_queries

pytestmark = pytest.mark.django_db

# (path, the most queries the page may run). The bound is the same with 1 statement and 50.
PAGES = [
    ("/", 12),
    ("/officials/", 4),
    ("/officials/{official}/", 13),
    ("/topics/", 5),
    ("/topics/{topic}/", 14),
    ("/meetings/", 3),
    ("/meetings/{meeting}/", 11),
    ("/articles/", 3),
    ("/articles/{article}/", 7),
    ("/statements/", 13),
    ("/statements/?q=spring&official={official}&topic={topic}&year=2015", 18),
    ("/statements/{statement}/", 11),
    ("/sitemap.xml", 7),
    ("/sitemap-statements.xml", 3),
]


def build_archive(size):
    """``size`` published statements by several speakers, with every relation filled in."""
    parent = make_topic()  # not "fisheries-{size}": the factory's own slugs take that form
    topic = make_topic(slug=f"quotas-{size}", parent=parent)
    meeting = make_meeting(slug=f"talks-{size}")
    body = "x" * 10 + " We will meet again in spring." * size
    article = make_article(slug=f"report-{size}", body=body)
    speakers = [make_official(slug=f"speaker-{size}-{n}") for n in range(3)]
    for speaker in speakers:
        make_role(speaker)
    meeting.participants.set(speakers)
    meeting.articles.set([article])
    first = None
    for n in range(size):
        statement = make_statement(
            speaker=speakers[n % 3],
            article=article,
            meeting=meeting,
            text="We will meet again in spring.",
            said_on=datetime.date(2015, 1 + n % 12, 1),
            start_offset=11 + 30 * n,
            end_offset=11 + 30 * n + 29,
            topics=[topic, parent],
            in_reply_to=first,
        )
        statement.mentions.set(speakers[:2])
        first = first or statement
    return {
        "official": speakers[0].slug,
        "topic": parent.slug,
        "meeting": meeting.slug,
        "article": article.slug,
        "statement": first.pk,
    }


@pytest.mark.parametrize(("path", "bound"), PAGES, ids=[path for path, _ in PAGES])
def test_a_page_runs_the_same_bounded_number_of_queries_with_1_or_50_statements(
    client, django_assert_max_num_queries, path, bound
):
    one = build_archive(1)
    with django_assert_max_num_queries(bound):
        client.get(path.format(**one))

    fifty = build_archive(50)
    with django_assert_max_num_queries(bound):
        client.get(path.format(**fifty))

    # Not just under the bound: exactly as many with 10 statements as with 50. (With only one
    # statement a few prefetches have nothing to fetch, so that size may run fewer.)
    ten = build_archive(10)
    with_ten, with_fifty = (
        count_queries(client, path.format(**ten)),
        count_queries(client, path.format(**fifty)),
    )
    assert with_ten == with_fifty, f"{path}: {with_ten} queries with 10, {with_fifty} with 50"
