"""Rows of a deterministic synthetic archive, shaped like the real one; no database here.

``SyntheticArchive(statements=N, seed=S)`` yields the same rows for the same N and S. Every
person, country, city and outlet is invented from syllables. Rows are tuples in the column
order of ``TABLES`` (dates as ISO strings, timestamps as aware datetimes, JSON as text), so
that ``statements.bulk.load`` can write them as they come, whatever the engine.
"""

import datetime
import itertools
import random
from bisect import bisect
from dataclasses import dataclass

from django.db.models import NOT_PROVIDED
from django.utils.text import slugify

from ..models import (
    Article,
    DatePrecision,
    Meeting,
    MeetingKind,
    Official,
    Organization,
    OrganizationKind,
    Outlet,
    Role,
    Statement,
    StatementKind,
    StatementStatus,
    Topic,
)
from .vocabulary import invented_word, vocabulary

FIRST_DAY = datetime.date(2006, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
DAYS = [FIRST_DAY + datetime.timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]

COUNTRIES = 120
TOPIC_ROOTS = (
    "Arms control",
    "Trade",
    "Energy",
    "Climate",
    "Migration",
    "Human rights",
    "Maritime affairs",
    "Territorial disputes",
    "Sanctions",
    "Humanitarian affairs",
    "Terrorism",
    "Nuclear programmes",
    "Elections",
    "Public health",
    "Cyber security",
    "Development aid",
    "Peace processes",
    "Regional security",
    "Multilateral institutions",
    "Consular affairs",
)
TOPIC_ASPECTS = (
    "treaties",
    "negotiations",
    "monitoring",
    "financing",
    "disputes",
    "cooperation",
    "legislation",
    "incidents",
)
TOPICS = 300
ROLE_TITLES = (
    ("Minister of External Affairs", OrganizationKind.MINISTRY),
    ("Deputy Minister of External Affairs", OrganizationKind.MINISTRY),
    ("Spokesperson of the Ministry of External Affairs", OrganizationKind.MINISTRY),
    ("Head of Government", OrganizationKind.GOVERNMENT),
    ("Head of State", OrganizationKind.GOVERNMENT),
    ("Special Envoy", OrganizationKind.GOVERNMENT),
    ("Permanent Representative to the Assembly of Nations", OrganizationKind.MISSION),
    ("Minister of Defence", OrganizationKind.MILITARY),
)
ORGANIZATION_NAMES = {
    OrganizationKind.MINISTRY: "Ministry of External Affairs of {}",
    OrganizationKind.GOVERNMENT: "Government of {}",
    OrganizationKind.MISSION: "Mission of {} to the Assembly of Nations",
    OrganizationKind.MILITARY: "Ministry of Defence of {}",
}
OUTLET_WORDS = ("Courier", "Herald", "Telegraph", "Observer", "Gazette", "Review", "Post")
DRAFT_SHARE = 0.03
PARAPHRASE_SHARE = 0.15
WORDS = (20, 80)
STREAM = 2**21
MAX_STRIDE = 97
BASE_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Table:
    model: type
    columns: tuple

    @property
    def name(self):
        return self.model._meta.db_table

    def other_columns(self):
        """(columns, values) for the model's fields these rows do not give: their defaults.

        Fields added to a model after this generator was written get their default (or NULL)
        instead of failing the load; a required field without a default is an error that
        says what to do.
        """
        columns, values = [], []
        for field in self.model._meta.concrete_fields:
            if (
                field.column in self.columns
                or field.generated
                or field.db_default is not NOT_PROVIDED
            ):
                continue
            if field.has_default():
                value = field.get_default()
                if not isinstance(value, str | int | float | bool | datetime.date):
                    raise TypeError(
                        f"generate_corpus cannot fill {self.model.__name__}.{field.name}: add "
                        "it to statements/corpus/synthetic.py."
                    )
            elif field.null:
                value = None
            else:
                raise TypeError(
                    f"generate_corpus cannot fill the required field "
                    f"{self.model.__name__}.{field.name}: add it to statements/corpus/synthetic.py."
                )
            columns.append(field.column)
            values.append(value)
        return tuple(columns), tuple(values)


def _m2m(model, field_name):
    return model._meta.get_field(field_name).remote_field.through


# Each table's columns in the order of the tuples this module yields, spelled out as the
# contract with the row builders below (a field added to a model must not shift them);
# a column left out is filled with its default (``Table.other_columns``).
TABLES = {
    "organization": Table(Organization, ("id", "name", "slug", "kind", "country", "parent_id")),
    "official": Table(
        Official,
        ("id", "name", "slug", "sort_name", "other_names", "country", "wikidata_id", "biography"),
    ),
    "role": Table(
        Role,
        (
            "id",
            "official_id",
            "title",
            "organization_id",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
        ),
    ),
    "topic": Table(Topic, ("id", "name", "slug", "parent_id", "description")),
    "outlet": Table(Outlet, ("id", "name", "slug", "homepage", "country", "language")),
    "meeting": Table(
        Meeting,
        (
            "id",
            "title",
            "slug",
            "kind",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "city",
            "country",
            "description",
        ),
    ),
    "meeting_participant": Table(
        _m2m(Meeting, "participants"), ("id", "meeting_id", "official_id")
    ),
    "article": Table(
        Article,
        (
            "id",
            "title",
            "slug",
            "outlet_id",
            "url",
            "published_on",
            "published_on_precision",
            "byline",
            "language",
            "body",
            "retrieved_on",
            "curator_note",
        ),
    ),
    "meeting_article": Table(_m2m(Meeting, "articles"), ("id", "meeting_id", "article_id")),
    "statement": Table(
        Statement,
        (
            "id",
            "speaker_id",
            "attribution",
            "text",
            "kind",
            "language",
            "translation",
            "said_on",
            "said_on_precision",
            "place_city",
            "place_country",
            "meeting_id",
            "article_id",
            "start_offset",
            "end_offset",
            "in_reply_to_id",
            "status",
            "curator_note",
            "created_at",
            "updated_at",
            "created_by_id",
            "updated_by_id",
        ),
    ),
    "statement_topic": Table(_m2m(Statement, "topics"), ("id", "statement_id", "topic_id")),
    "statement_mention": Table(_m2m(Statement, "mentions"), ("id", "statement_id", "official_id")),
}


def zipf_cumulative(count, exponent):
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


class _ZipfPicker:
    """Picks 1..count (ids), the first ones most often."""

    def __init__(self, rng, count, exponent):
        self.random = rng.random
        self.cumulative = zipf_cumulative(count, exponent)
        self.total = self.cumulative[-1]
        self.hi = count - 1

    def __call__(self):
        return bisect(self.cumulative, self.random() * self.total, 0, self.hi) + 1


def officials_for(statements):
    """About 5,000 officials at a million statements, and never fewer than 20."""
    return max(20, min(5_000, statements // 200))


class SyntheticArchive:
    """The rows of one archive; reference tables first, then statements in chunks."""

    def __init__(self, *, statements, seed):
        if statements < 1:
            raise ValueError("The archive needs at least one statement.")
        self.statements = statements
        self.seed = seed
        self.rng = random.Random(f"verbatim-corpus-{seed}")
        self.countries = self._unique_names(COUNTRIES, suffixes=("ia", "ara", "and", "or", "esh"))
        self.officials = officials_for(statements)
        self.meetings = max(5, statements // 25)
        self.outlets = max(5, min(200, statements // 100))
        self.articles = 0
        self._topic_links = itertools.count(1)
        tokens, weights = vocabulary()
        # One long i.i.d. draw from the Zipf vocabulary; each statement reads it from a random
        # start with a random stride (slicing is done in C: many times faster than drawing
        # every word, and two statements almost never share a run of words).
        self.stream_size = min(STREAM, max(2**16, 64 * statements))
        self.stream = self.rng.choices(tokens, cum_weights=weights, k=self.stream_size)

    # -- reference tables ------------------------------------------------------------------

    def _unique_names(self, count, *, suffixes=("",)):
        names, seen = [], set()
        while len(names) < count:
            name = (invented_word(self.rng, (1, 2)) + self.rng.choice(suffixes)).capitalize()
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def reference_rows(self):
        """{table key: [rows]} for everything but articles and statements."""
        rng = self.rng
        rows = {key: [] for key in TABLES}

        organizations = {}
        for index, country in enumerate(self.countries):
            for kind, pattern in ORGANIZATION_NAMES.items():
                pk = len(rows["organization"]) + 1
                name = pattern.format(country)
                rows["organization"].append((pk, name, f"{slugify(name)}", kind, "", None))
                organizations[index, kind] = pk

        self.cities = self._unique_names(3 * COUNTRIES)
        self.official_names = []
        seen = set()
        for pk in range(1, self.officials + 1):
            while True:
                first = invented_word(rng, (2, 2)).capitalize()
                last = invented_word(rng, (2, 3)).capitalize()
                if (first, last) not in seen:
                    seen.add((first, last))
                    break
            name = f"{first} {last}"
            country = pk % COUNTRIES
            title, kind = ROLE_TITLES[rng.randrange(len(ROLE_TITLES))]
            rows["official"].append(
                (
                    pk,
                    name,
                    f"{slugify(name)}-{pk}",
                    f"{last}, {first}",
                    "[]",
                    "",
                    "",
                    f"Served {self.countries[country]} as {title}.",
                )
            )
            self.official_names.append(name)
            year = rng.randint(2000, 2014)
            for number in range(rng.randint(1, 3)):
                start = datetime.date(year, rng.randint(1, 12), 1)
                year += rng.randint(2, 8)
                end = None if number == 2 or year > 2025 else datetime.date(year, 1, 1)
                if number and rng.random() < 0.5:
                    title, kind = ROLE_TITLES[rng.randrange(len(ROLE_TITLES))]
                rows["role"].append(
                    (
                        len(rows["role"]) + 1,
                        pk,
                        title,
                        organizations[country, kind],
                        start.isoformat(),
                        DatePrecision.MONTH,
                        end and end.isoformat(),
                        DatePrecision.YEAR,
                    )
                )
                if end is None:
                    break

        rows["topic"] = self._topic_rows()
        self.topic_count = len(rows["topic"])

        for pk in range(1, self.outlets + 1):
            name = f"The {self.rng.choice(self.cities)} {OUTLET_WORDS[pk % len(OUTLET_WORDS)]}"
            slug = f"{slugify(name)}-{pk}"
            rows["outlet"].append((pk, name, slug, f"https://{slug}.example/", "", "en"))
        self.outlet_slugs = [row[2] for row in rows["outlet"]]

        kinds = MeetingKind.values
        self.meeting_rows = {}
        for pk in range(1, self.meetings + 1):
            kind = kinds[rng.randrange(len(kinds))]
            city = rng.choice(self.cities)
            title = f"{MeetingKind(kind).label} in {city}"
            start = DAYS[rng.randrange(len(DAYS))]
            days = rng.choice((0, 0, 1, 2))
            end = (start + datetime.timedelta(days=days)).isoformat() if days else None
            rows["meeting"].append(
                (
                    pk,
                    title,
                    f"{slugify(title)}-{pk}",
                    kind,
                    start.isoformat(),
                    DatePrecision.DAY,
                    end,
                    DatePrecision.DAY,
                    city,
                    "",
                    "",
                )
            )
            self.meeting_rows[pk] = (start, city)
        self.speaker = _ZipfPicker(rng, self.officials, 0.8)
        self.topic = _ZipfPicker(rng, self.topic_count, 0.7)
        self.outlet = _ZipfPicker(rng, self.outlets, 1.0)
        for meeting in range(1, self.meetings + 1):
            participants = {self.speaker() for _ in range(rng.randint(2, 5))}
            for official in sorted(participants):
                pk = len(rows["meeting_participant"]) + 1
                rows["meeting_participant"].append((pk, meeting, official))
        return rows

    def _topic_rows(self):
        rng = self.rng
        rows = []
        for name in TOPIC_ROOTS:
            rows.append(
                (len(rows) + 1, name, slugify(name), None, f"Statements on {name.lower()}.")
            )
        roots = list(rows)
        for root in roots:
            for aspect in rng.sample(TOPIC_ASPECTS, 4):
                name = f"{root[1]}: {aspect}"
                rows.append((len(rows) + 1, name, slugify(name), root[0], ""))
        middles = rows[len(roots) :]
        countries = itertools.cycle(self.countries)
        while len(rows) < TOPICS:
            parent = middles[(len(rows) * 7) % len(middles)]
            name = f"{parent[1]} ({next(countries)})"
            rows.append((len(rows) + 1, name, slugify(name), parent[0], ""))
        return rows

    # -- articles and statements -----------------------------------------------------------

    def _text(self):
        """20-80 words on the Zipf vocabulary, as one sentence or two."""
        rng = self.rng
        length = WORDS[0] + (rng.randrange(61) + rng.randrange(61)) // 2
        step = rng.randint(1, MAX_STRIDE)
        start = rng.randrange(self.stream_size - length * step)
        words = " ".join(self.stream[start : start + length * step : step]).split(" ")[:length]
        cut = rng.randrange(8, length - 8) if length > 30 and rng.random() < 0.5 else 0
        if cut:
            words[cut - 1] += "."
            words[cut] = words[cut].capitalize()
        else:
            words[length // 2] += ","
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def chunks(self, size=20_000):
        """Yield ``{table key: [rows]}`` for articles and their statements, ``size`` at a time."""
        rng = self.rng
        statement_pk = 0
        article_pk = 0
        draft, paraphrase = DRAFT_SHARE, PARAPHRASE_SHARE
        published, drafts = StatementStatus.PUBLISHED.value, StatementStatus.DRAFT.value
        direct, reported = StatementKind.DIRECT.value, StatementKind.PARAPHRASE.value
        day_precision = DatePrecision.DAY.value
        while statement_pk < self.statements:
            chunk = {
                "article": [],
                "meeting_article": [],
                "statement": [],
                "statement_topic": [],
                "statement_mention": [],
            }
            target = min(self.statements, statement_pk + size)
            while statement_pk < target:
                article_pk += 1
                count = min(target - statement_pk, rng.choice((1, 2, 2, 3)))
                meeting = rng.randint(1, self.meetings) if rng.random() < 0.6 else None
                if meeting:
                    day, city = self.meeting_rows[meeting]
                    chunk["meeting_article"].append((article_pk, meeting, article_pk))
                else:
                    day, city = DAYS[rng.randrange(len(DAYS))], rng.choice(self.cities)
                outlet = self.outlet() if rng.random() < 0.95 else None
                speakers = [self.speaker() for _ in range(count)]
                lead = self.official_names[speakers[0] - 1]
                parts = [f"{city.upper()} — Officials met on {day:%d %B %Y}."]
                position = len(parts[0]) + 2
                for speaker in speakers:
                    statement_pk += 1
                    text = self._text()
                    name = self.official_names[speaker - 1]
                    kind = reported if rng.random() < paraphrase else direct
                    opening = f"{name} said: “" if kind == direct else f"According to {name}: "
                    start = position + len(opening)
                    end = start + len(text)
                    parts.append(opening + text + ("”" if kind == direct else ""))
                    position += len(parts[-1]) + 2
                    if meeting:
                        said_on, precision = day.isoformat(), day_precision
                    else:
                        said_on, precision = self._partial(day)
                    created = BASE_TIME + datetime.timedelta(seconds=statement_pk)
                    reply = None
                    if statement_pk > 10 and rng.random() < 0.01:
                        reply = rng.randrange(1, statement_pk)
                    chunk["statement"].append(
                        (
                            statement_pk,
                            speaker,
                            "",
                            text,
                            kind,
                            "en",
                            "",
                            said_on,
                            precision,
                            city,
                            "",
                            meeting,
                            article_pk,
                            start,
                            end,
                            reply,
                            drafts if rng.random() < draft else published,
                            "",
                            created,
                            created,
                            None,
                            None,
                        )
                    )
                    if rng.random() < 0.85:
                        for topic in sorted({self.topic() for _ in range(rng.randint(1, 3))}):
                            chunk["statement_topic"].append(
                                (next(self._topic_links), statement_pk, topic)
                            )
                    if rng.random() < 0.1:
                        chunk["statement_mention"].append(
                            (statement_pk, statement_pk, rng.randint(1, self.officials))
                        )
                body = "\n\n".join(parts)
                outlet_slug = self.outlet_slugs[outlet - 1] if outlet else "archive"
                chunk["article"].append(
                    (
                        article_pk,
                        f"{lead} speaks in {city}",
                        f"{slugify(lead)}-in-{slugify(city)}-{article_pk}",
                        outlet,
                        f"https://{outlet_slug}.example/{day.year}/{article_pk}",
                        day.isoformat(),
                        day_precision,
                        f"By {self.rng.choice(self.cities)} correspondent",
                        "en",
                        body,
                        None,
                        "",
                    )
                )
            self.articles = article_pk
            yield chunk

    def _partial(self, day):
        """A date said, mostly to the day, sometimes only to the month or the year."""
        roll = self.rng.random()
        if roll < 0.92:
            return day.isoformat(), DatePrecision.DAY.value
        if roll < 0.98:
            return day.replace(day=1).isoformat(), DatePrecision.MONTH.value
        return day.replace(month=1, day=1).isoformat(), DatePrecision.YEAR.value
