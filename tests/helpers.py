"""Helpers that several test files use: admin form data, archive builders, import/export."""

import datetime
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.interchange import export_archive, import_archive
from statements.models import (
    Article,
    DatePrecision,
    Meeting,
    Official,
    Organization,
    Outlet,
    Role,
    Statement,
    Topic,
)
from statements.suggestions import SpeakerDirectory, suggest_statements

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_organization,
    make_outlet,
    make_role,
    make_statement,
    make_topic,
)

# -- the curator's admin forms ---


def admin_url(model, view, *args):
    return reverse(f"admin:statements_{model._meta.model_name}_{view}", args=args)


def statement_form(article, speaker, **overrides):
    data = {
        "speaker": speaker.pk,
        "attribution": "",
        "text": "We will meet again in spring",
        "kind": "direct",
        "language": "en",
        "translation": "",
        "said_on": "2020-03-04",
        "said_on_precision": "day",
        "place_city": "",
        "place_country": "",
        "meeting": "",
        "article": article.pk,
        "start_offset": "",
        "end_offset": "",
        "in_reply_to": "",
        "status": "published",
        "curator_note": "",
    }
    data.update(overrides)
    return data


def inline_formset_data(article, speaker, prefix="statements", **statement_fields):
    data = {
        "title": article.title,
        "slug": article.slug,
        "outlet": "",
        "url": "",
        "byline": "",
        "language": "en",
        "published_on": "",
        "published_on_precision": "day",
        "retrieved_on": "",
        "body": article.body,
        "curator_note": "",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    fields = {
        "speaker": speaker.pk,
        "attribution": "the Foreign Minister",
        "kind": "direct",
        "text": "We will meet again in spring",
        "said_on": "2020-03-04",
        "said_on_precision": "day",
        "place_city": "Port Ardent",
        "place_country": "",
        "meeting": "",
        "start_offset": "",
        "end_offset": "",
        "language": "en",
        "status": "published",
    }
    fields.update(statement_fields)
    data.update({f"{prefix}-0-{name}": value for name, value in fields.items()})
    return data


# -- import and export ---


def export_text():
    out = io.StringIO()
    export_archive(out)
    return out.getvalue()


def run_import(text, **options):
    return import_archive(io.BytesIO(text.encode("utf-8")), name="upload.jsonl", **options)


def lines_of(text):
    # Not str.splitlines(): it also breaks at U+2028, which JSON strings may hold as is.
    return [json.loads(line) for line in text.split("\n") if line]


def line(record):
    return json.dumps(record, ensure_ascii=False)


def empty_the_archive():
    """Delete every record, as in a fresh database (PROTECT links are cut first)."""
    Statement.objects.update(in_reply_to=None)
    Statement.objects.all().delete()
    Meeting.objects.all().delete()
    Role.objects.all().delete()
    Article.objects.all().delete()
    Outlet.objects.all().delete()
    Topic.objects.update(parent=None)
    Topic.objects.all().delete()
    Official.objects.all().delete()
    Organization.objects.update(parent=None)
    Organization.objects.all().delete()


def archive_counts():
    return [
        model.objects.count()
        for model in (Organization, Outlet, Official, Role, Topic, Article, Meeting, Statement)
    ]


# -- query counts ---


def build_archive(size):
    """``size`` published statements with every relation filled in, each with its own speaker,
    organisation, outlet, topic and article, all sharing one meeting, one parent topic and one
    source article; every statement after the first replies to it. Drafts sit beside them.
    """
    parent_org = make_organization(slug=f"government-of-veloria-{size}")
    # The factory's own slug, not one made from ``size``: "fisheries-{size}" was also a slug the
    # factory hands out ("fisheries-{n}"), so the second archive could collide with the first.
    parent_topic = make_topic()
    meeting = make_meeting(slug=f"talks-{size}")
    shared = make_article(slug=f"report-{size}", outlet=make_outlet())
    statements = []
    for n in range(size):
        speaker = make_official(wikidata_id=f"Q{size * 1000 + n + 1}")
        make_role(
            speaker,
            organization=make_organization(parent=parent_org),
            start_date=datetime.date(2001, 1, 1),
        )
        meeting.participants.add(speaker)
        meeting.articles.add(make_article(outlet=make_outlet()))
        statement = make_statement(
            speaker=speaker,
            article=shared,
            meeting=meeting,
            text=f"We will meet again in spring, number {n}",
            said_on=datetime.date(2015, 1 + n % 12, 1),
            said_on_precision=DatePrecision.MONTH,
            topics=[parent_topic, make_topic(parent=parent_topic)],
            in_reply_to=statements[0] if statements else None,
        )
        statement.mentions.add(speaker)
        statements.append(statement)
    make_statement(
        speaker=statements[0].speaker,
        article=shared,
        in_reply_to=statements[0],
        status=Statement.Status.DRAFT,
        text="A draft reply nobody may see",
    )
    return statements


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(captured)


def assert_constant_queries(client, django_assert_max_num_queries, template, most):
    """The page at ``template`` runs the same number of queries with 1 and 50 statements."""
    counts = []
    for size in (1, 50):
        first = build_archive(size)[0]
        path = template.format(
            statement=first.pk,
            official=first.speaker.slug,
            topic=first.topics.get(parent__isnull=True).slug,
            meeting=first.meeting.slug,
            article=first.article.slug,
            outlet=first.article.outlet.slug,
            organization=first.speaker.roles.get().organization.slug,
        )
        with django_assert_max_num_queries(most):
            counts.append(count_queries(client, path))
    assert counts[0] == counts[1], f"{template}: {counts[0]} queries with 1, {counts[1]} with 50"


def suggest(text, *, has_title=False):
    """The suggester's suggestions for ``text``, each checked to slice the text it names."""
    suggestions = suggest_statements(
        text, directory=SpeakerDirectory.from_database(), has_title=has_title
    )
    for s in suggestions:
        assert text[s.start : s.end] == s.text
    return suggestions
