"""Small factories for tests: fictional officials and countries only."""

import datetime
import itertools

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

_sequence = itertools.count(1)


def _n():
    return next(_sequence)


def make_official(**fields):
    n = _n()
    fields.setdefault("name", f"Mira Vondel {n}")
    fields.setdefault("slug", f"mira-vondel-{n}")
    fields.setdefault("country", "NZ")
    return Official.objects.create(**fields)


def make_organization(**fields):
    n = _n()
    fields.setdefault("name", f"Ministry of External Affairs of Veloria {n}")
    fields.setdefault("slug", f"veloria-mfa-{n}")
    return Organization.objects.create(**fields)


def make_role(official, **fields):
    fields.setdefault("title", "Minister of External Affairs")
    if "organization" not in fields:
        fields["organization"] = make_organization()
    fields.setdefault("start_date", datetime.date(2010, 1, 1))
    return Role.objects.create(official=official, **fields)


def make_outlet(**fields):
    n = _n()
    fields.setdefault("name", f"The Veloria Courier {n}")
    fields.setdefault("slug", f"veloria-courier-{n}")
    return Outlet.objects.create(**fields)


def make_article(**fields):
    n = _n()
    fields.setdefault("title", f"Foreign ministers meet in Port Ardent {n}")
    fields.setdefault("slug", f"ministers-meet-port-ardent-{n}")
    fields.setdefault(
        "body",
        "Foreign Minister Mira Vondel said the talks were useful. "
        "“We will meet again in spring,” she told reporters.",
    )
    return Article.objects.create(**fields)


def make_meeting(**fields):
    n = _n()
    fields.setdefault("title", f"Talks in Port Ardent {n}")
    fields.setdefault("slug", f"talks-port-ardent-{n}")
    fields.setdefault("kind", Meeting.Kind.BILATERAL_TALKS)
    fields.setdefault("start_date", datetime.date(2020, 3, 4))
    return Meeting.objects.create(**fields)


def make_topic(**fields):
    n = _n()
    fields.setdefault("name", f"Fisheries {n}")
    fields.setdefault("slug", f"fisheries-{n}")
    return Topic.objects.create(**fields)


def make_statement(*, topics=(), **fields):
    if "speaker" not in fields:
        fields["speaker"] = make_official()
    if "article" not in fields:
        fields["article"] = make_article()
    fields.setdefault("text", "We will meet again in spring")
    fields.setdefault("said_on", datetime.date(2020, 3, 4))
    fields.setdefault("status", Statement.Status.PUBLISHED)
    statement = Statement.objects.create(**fields)
    if topics:
        statement.topics.set(topics)
    return statement
