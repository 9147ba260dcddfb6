"""Small factories for tests: fictional officials and countries only."""

import datetime
import itertools

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


HOSTILE_BODY = (
    'The envoy said: "We will not \\ yield".\n'
    "Line two carries an emoji 🕊️ and a separator\u2028inside.\n"
    "قال الوزير إن المحادثات كانت مثمرة\n"
    "“Fish first,” she said. “Fish first,” she said again."
)


def make_hostile_archive():
    """Fictional records with everything that tends to break a file format."""
    ministry = make_organization(slug="veloria-mfa", name="Ministry of Veloria")
    embassy = make_organization(slug="a-veloria-embassy", name="Embassy", parent=ministry)
    speaker = make_official(
        slug="mira-vondel",
        name="Mira Vondel",
        other_names=["M. Vondel", "ميرا فوندل"],
        wikidata_id="Q4115189",
    )
    other = make_official(slug="tarek-ossan", name="Tarek Ossan", country="")
    make_role(
        speaker,
        organization=embassy,
        start_date=datetime.date(2011, 1, 1),
        start_date_precision=DatePrecision.YEAR,
    )
    make_role(
        speaker,
        organization=ministry,
        start_date=datetime.date(2015, 9, 1),
        start_date_precision=DatePrecision.MONTH,
        end_date=datetime.date(2019, 3, 30),
    )
    root = make_topic(slug="fisheries", name="Fisheries")
    child = make_topic(slug="cod-quotas", name="Cod quotas", parent=root)
    outlet = make_outlet(slug="veloria-courier", name='The "Courier" 📰', language="en")
    article = make_article(
        slug="envoy-speaks",
        title='Envoy: "No" — ولا',
        body=HOSTILE_BODY,
        outlet=outlet,
        url='https://courier.example/envoy?id=1&x="y"',
        published_on=datetime.date(2015, 9, 1),
        published_on_precision=DatePrecision.MONTH,
        retrieved_on=datetime.date(2024, 2, 29),
        curator_note="Line one.\nLine two with a tab\tand a backslash \\.",
    )
    meeting = make_meeting(slug="port-ardent-talks", city="Port Ardent")
    meeting.participants.set([speaker, other])
    meeting.articles.set([article])
    quote = "We will not \\ yield"
    first = make_statement(
        speaker=speaker,
        article=article,
        text=quote,
        start_offset=HOSTILE_BODY.index(quote),
        end_offset=HOSTILE_BODY.index(quote) + len(quote),
        said_on=datetime.date(2015, 1, 1),
        said_on_precision=DatePrecision.YEAR,
        meeting=meeting,
        topics=[child, root],
    )
    first.mentions.set([other])
    arabic = "قال الوزير إن المحادثات كانت مثمرة"
    make_statement(
        speaker=other,
        article=article,
        text=arabic,
        kind=Statement.Kind.PARAPHRASE,
        language="ar",
        translation="The minister said the talks were fruitful.",
        start_offset=HOSTILE_BODY.index(arabic),
        end_offset=HOSTILE_BODY.index(arabic) + len(arabic),
        in_reply_to=first,
        status=Statement.Status.DRAFT,
    )
    # The same words twice in the article, archived without offsets, twice by mistake.
    make_statement(speaker=speaker, article=article, text="Fish first,", curator_note="a")
    make_statement(speaker=speaker, article=article, text="Fish first,", curator_note="b")
    return article
