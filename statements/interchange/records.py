"""The archive as records: one dict per object, related objects named by natural keys.

Both directions share this module: the exporter writes ``record_for(instance)`` and the
importer turns each line into the same canonical dict before comparing it with the record of
what the database already holds. That shared shape is what makes export -> import -> export
give an identical file.
"""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Prefetch

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
from statements.models.dates import iso_partial_date, parse_partial_date

FORMAT_VERSION = 1
HEADER = {"type": "archive", "format": "verbatim", "version": FORMAT_VERSION}

# The order records are written in: every record refers only to records above it, except
# ``parent`` and ``in_reply_to``, which may point anywhere in the file.
TYPES = ["organization", "outlet", "official", "role", "topic", "article", "meeting", "statement"]


@dataclass(frozen=True)
class Field:
    """One field of a record: its JSON shape and how it maps to the model."""

    name: str
    kind: str  # text, key, partial_date, date, offset, names, ref, refs
    required: bool = False
    target: str = ""  # the record type a ref/refs field names
    attr: str = ""  # the model attribute, when it differs from the name


@dataclass(frozen=True)
class RecordType:
    name: str
    model: type
    fields: list = field(default_factory=list)
    # ``parent`` or ``in_reply_to``: a reference to the same type, resolved after all writes.
    self_ref: str = ""

    @property
    def field_names(self):
        return [f.name for f in self.fields]

    def references(self, record):
        """``(field, key)`` for each record this one names, its self-reference aside."""
        for f in self.fields:
            if f.kind not in ("ref", "refs") or f.name == self.self_ref:
                continue
            for value in record[f.name] if f.kind == "refs" else (record[f.name],):
                if value is not None:
                    yield f, value


def text(name, required=False):
    return Field(name, "text", required)


RECORD_TYPES = {
    spec.name: spec
    for spec in [
        RecordType(
            "organization",
            Organization,
            [
                Field("slug", "key", True),
                text("name", True),
                text("kind"),
                text("country"),
                Field("parent", "ref", target="organization"),
            ],
            self_ref="parent",
        ),
        RecordType(
            "outlet",
            Outlet,
            [
                Field("slug", "key", True),
                text("name", True),
                text("homepage"),
                text("country"),
                text("language"),
            ],
        ),
        RecordType(
            "official",
            Official,
            [
                Field("slug", "key", True),
                text("name", True),
                text("sort_name"),
                Field("other_names", "names"),
                text("country"),
                text("wikidata_id"),
                text("biography"),
            ],
        ),
        RecordType(
            "role",
            Role,
            [
                Field("official", "ref", True, target="official"),
                text("title", True),
                Field("organization", "ref", True, target="organization"),
                Field("start_date", "partial_date", True),
                Field("end_date", "partial_date"),
            ],
        ),
        RecordType(
            "topic",
            Topic,
            [
                Field("slug", "key", True),
                text("name", True),
                Field("parent", "ref", target="topic"),
                text("description"),
            ],
            self_ref="parent",
        ),
        RecordType(
            "article",
            Article,
            [
                Field("slug", "key", True),
                text("title", True),
                Field("outlet", "ref", target="outlet"),
                text("url"),
                Field("published_on", "partial_date"),
                text("byline"),
                text("language"),
                Field("retrieved_on", "date"),
                text("body", True),
                text("curator_note"),
            ],
        ),
        RecordType(
            "meeting",
            Meeting,
            [
                Field("slug", "key", True),
                text("title", True),
                text("kind", True),
                Field("start_date", "partial_date", True),
                Field("end_date", "partial_date"),
                text("city"),
                text("country"),
                Field("participants", "refs", target="official"),
                Field("articles", "refs", target="article"),
                text("description"),
            ],
        ),
        RecordType(
            "statement",
            Statement,
            [
                Field("key", "statement_key"),
                Field("article", "ref", True, target="article"),
                Field("speaker", "ref", True, target="official"),
                Field("start_offset", "offset"),
                Field("end_offset", "offset"),
                text("text", True),
                text("kind"),
                text("attribution"),
                text("language"),
                text("translation"),
                Field("said_on", "partial_date", True),
                text("place_city"),
                text("place_country"),
                Field("meeting", "ref", target="meeting"),
                Field("topics", "refs", target="topic"),
                Field("mentions", "refs", target="official"),
                Field("in_reply_to", "ref", target="statement"),
                text("status"),
                text("curator_note"),
            ],
            self_ref="in_reply_to",
        ),
    ]
}


# -- natural keys ------------------------------------------------------------------------


def text_digest(value):
    """Twelve hex digits of the SHA-256 of the exact text: short, stable, collision-safe."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def statement_base_key(article_slug, speaker_slug, start, end, value):
    """``article/start-end/speaker/digest``; ``-`` stands for the span when there are no offsets."""
    span = "-" if start is None else f"{start}-{end}"
    return f"{article_slug}/{span}/{speaker_slug}/{text_digest(value)}"


def split_statement_key(key):
    """(base key, n): the n-th statement with the same base key, counting from 1 by age."""
    base, _, number = key.partition("#")
    return base, int(number) if number.isdigit() else 1


def number_statement_keys(rows):
    """``{pk: key}`` for rows of (pk, base key), given in pk order.

    Two statements with the same article, speaker, span and text are rare but possible
    (a curator entered one twice): the older keeps the base key, the next gets ``#2``, ...
    """
    seen, keys = {}, {}
    for pk, base in rows:
        seen[base] = seen.get(base, 0) + 1
        keys[pk] = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return keys


def statement_keys_for_articles(article_ids):
    """``{pk: key}`` for every statement of these articles, in a single query."""
    # Sorted here, not by the database: ``ORDER BY id`` tempts a planner without statistics
    # (a table filled in the same transaction) to walk the whole table in primary-key order
    # instead of using the index on ``article_id``.
    rows = sorted(
        Statement.objects.filter(article_id__in=article_ids)
        .order_by()
        .values_list("pk", "article__slug", "speaker__slug", "start_offset", "end_offset", "text")
    )
    return number_statement_keys(
        (pk, statement_base_key(article, speaker, start, end, value))
        for pk, article, speaker, start, end, value in rows
    )


def record_key(type_name, record):
    """The natural key of a canonical record."""
    if type_name == "role":
        # The start date's day, not its written precision: learning that "2004-03" was in
        # fact "2004-03-01" updates the role instead of adding another.
        start = parse_partial_date(record["start_date"])[0].isoformat()
        return (record["official"], record["title"], record["organization"], start)
    if type_name == "statement":
        return record["key"]
    return record["slug"]


# -- database -> record ------------------------------------------------------------------


def _slug(obj):
    return obj.slug if obj is not None else None


def _country(value):
    return value.code if value else ""


def _slugs(manager):
    """The slugs of a prefetched many-to-many, sorted so that records compare equal."""
    return sorted(obj.slug for obj in manager.all())


def organization_record(obj):
    return {
        "type": "organization",
        "slug": obj.slug,
        "name": obj.name,
        "kind": obj.kind,
        "country": _country(obj.country),
        "parent": _slug(obj.parent),
    }


def outlet_record(obj):
    return {
        "type": "outlet",
        "slug": obj.slug,
        "name": obj.name,
        "homepage": obj.homepage,
        "country": _country(obj.country),
        "language": obj.language,
    }


def official_record(obj):
    return {
        "type": "official",
        "slug": obj.slug,
        "name": obj.name,
        "sort_name": obj.sort_name,
        "other_names": list(obj.other_names or []),
        "country": _country(obj.country),
        "wikidata_id": obj.wikidata_id,
        "biography": obj.biography,
    }


def role_record(obj):
    return {
        "type": "role",
        "official": obj.official.slug,
        "title": obj.title,
        "organization": obj.organization.slug,
        "start_date": iso_partial_date(obj.start_date, obj.start_date_precision),
        "end_date": iso_partial_date(obj.end_date, obj.end_date_precision) or None,
    }


def topic_record(obj):
    return {
        "type": "topic",
        "slug": obj.slug,
        "name": obj.name,
        "parent": _slug(obj.parent),
        "description": obj.description,
    }


def article_record(obj):
    return {
        "type": "article",
        "slug": obj.slug,
        "title": obj.title,
        "outlet": _slug(obj.outlet),
        "url": obj.url,
        "published_on": iso_partial_date(obj.published_on, obj.published_on_precision) or None,
        "byline": obj.byline,
        "language": obj.language,
        "retrieved_on": obj.retrieved_on.isoformat() if obj.retrieved_on else None,
        "body": obj.body,
        "curator_note": obj.curator_note,
    }


def meeting_record(obj):
    return {
        "type": "meeting",
        "slug": obj.slug,
        "title": obj.title,
        "kind": obj.kind,
        "start_date": iso_partial_date(obj.start_date, obj.start_date_precision),
        "end_date": iso_partial_date(obj.end_date, obj.end_date_precision) or None,
        "city": obj.city,
        "country": _country(obj.country),
        "participants": _slugs(obj.participants),
        "articles": _slugs(obj.articles),
        "description": obj.description,
    }


def statement_record(obj, *, key, reply_key):
    return {
        "type": "statement",
        "key": key,
        "article": obj.article.slug,
        "speaker": obj.speaker.slug,
        "start_offset": obj.start_offset,
        "end_offset": obj.end_offset,
        "text": obj.text,
        "kind": obj.kind,
        "attribution": obj.attribution,
        "language": obj.language,
        "translation": obj.translation,
        "said_on": iso_partial_date(obj.said_on, obj.said_on_precision),
        "place_city": obj.place_city,
        "place_country": _country(obj.place_country),
        "meeting": _slug(obj.meeting),
        "topics": _slugs(obj.topics),
        "mentions": _slugs(obj.mentions),
        "in_reply_to": reply_key,
        "status": obj.status,
        "curator_note": obj.curator_note,
    }


RECORD_OF = {
    "organization": organization_record,
    "outlet": outlet_record,
    "official": official_record,
    "role": role_record,
    "topic": topic_record,
    "article": article_record,
    "meeting": meeting_record,
}


def queryset_for(type_name):
    """Everything one record of this type needs, in a constant number of queries."""
    if type_name == "organization":
        return Organization.objects.select_related("parent")
    if type_name == "outlet":
        return Outlet.objects.all()
    if type_name == "official":
        return Official.objects.all()
    if type_name == "role":
        return Role.objects.select_related("official", "organization")
    if type_name == "topic":
        return Topic.objects.select_related("parent")
    if type_name == "article":
        return Article.objects.select_related("outlet")
    if type_name == "meeting":
        return Meeting.objects.prefetch_related(
            _only_slugs("participants", Official), _only_slugs("articles", Article)
        )
    if type_name == "statement":
        return Statement.objects.select_related("article", "speaker", "meeting").prefetch_related(
            _only_slugs("topics", Topic), _only_slugs("mentions", Official)
        )
    raise ValueError(type_name)


def _only_slugs(name, model):
    return Prefetch(name, queryset=model.objects.only("pk", "slug").order_by())


def statement_records(statements):
    """Records for statements, their keys and reply keys computed in two queries."""
    statements = list(statements)
    article_ids = {s.article_id for s in statements}
    reply_ids = {s.in_reply_to_id for s in statements if s.in_reply_to_id}
    if reply_ids:
        article_ids |= set(
            Statement.objects.filter(pk__in=reply_ids).values_list("article_id", flat=True)
        )
    keys = statement_keys_for_articles(article_ids)
    return [
        (
            statement,
            statement_record(
                statement,
                key=keys[statement.pk],
                reply_key=keys.get(statement.in_reply_to_id),
            ),
        )
        for statement in statements
    ]
