"""No lost edits: versions, revisions, edit conflicts and likely duplicates.

Every save of a statement records a revision (``record_on_save``, a ``post_save`` receiver
connected in ``StatementsConfig.ready()``). The admin saves a statement's many-to-many fields
after the statement itself, so it asks for the revision to wait (``recorded_later``) and
records it once, when everything is saved.
"""

import re
import unicodedata

from django.db.models import F
from django.db.models.signals import post_save

from .models import Statement, StatementRevision

# The fields a revision records, in the order a diff shows them (the history page). Spelled
# out, not read from the model: that order is the reader's, not the model's. The admin's
# STATEMENT_INLINE_FIELDS (the order a curator types, plus form-only fields) and the corpus's
# TABLES["statement"] (database columns in the order of its rows) list alike for other ends.
TRACKED_FIELDS = [
    "speaker",
    "attribution",
    "text",
    "kind",
    "language",
    "translation",
    "said_on",
    "said_on_precision",
    "place_city",
    "place_country",
    "meeting",
    "article",
    "start_offset",
    "end_offset",
    "topics",
    "mentions",
    "in_reply_to",
    "status",
    "curator_note",
]


def normalised_text(text):
    """Text reduced to its words: case, accents, quotes and punctuation do not count."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"\w+", text.casefold()))


def likely_duplicates(*, speaker, text, exclude_pk=None):
    """Statements by the same speaker whose normalised text is the same."""
    wanted = normalised_text(text)
    if not wanted or speaker is None:
        return []
    candidates = Statement.objects.filter(speaker=speaker).exclude(pk=exclude_pk)
    return [
        statement
        for statement in candidates.only("pk", "text", "status", "article_id").iterator()
        if normalised_text(statement.text) == wanted
    ]


def snapshot(statement):
    """A JSON-ready record of the tracked fields, related objects by their labels."""

    def label(value):
        return str(value) if value is not None else None

    data = {}
    for name in TRACKED_FIELDS:
        field = Statement._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(obj) for obj in getattr(statement, name).all())
        elif field.is_relation:
            data[name] = label(getattr(statement, name))
        else:
            value = getattr(statement, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else label(value)
    return data


def record_revision(statement, *, user, comment=""):
    """Record the statement as it now stands in the database, under its current version."""
    statement.refresh_from_db()
    return StatementRevision.objects.update_or_create(
        statement=statement,
        version=statement.version,
        defaults={"data": snapshot(statement), "changed_by": user, "comment": comment},
    )[0]


def recorded_later(statement):
    """Make the next save of ``statement`` leave its revision to an explicit
    ``record_revision`` (the admin's, once the many-to-many fields are saved too)."""
    statement._revision_recorded_later = True


def record_on_save(sender, instance, raw=False, **kwargs):
    """Record a revision for every save, except a fixture load (``raw``) or a deferred one."""
    if raw:
        return
    if instance.__dict__.pop("_revision_recorded_later", False):
        return
    record_revision(instance, user=instance.updated_by)


def connect():
    """Record a revision whenever a statement is saved (``StatementsConfig.ready()``)."""
    post_save.connect(record_on_save, sender=Statement, dispatch_uid="revisions-record-on-save")


def diff(before, after):
    """[(field verbose name, old, new)] for the tracked fields that differ."""
    changes = []
    for name in TRACKED_FIELDS:
        old, new = (before or {}).get(name), (after or {}).get(name)
        if old != new:
            changes.append((Statement._meta.get_field(name).verbose_name, old, new))
    return changes


def changes_since(statement, version):
    """What changed in ``statement`` after ``version``, from its recorded revisions."""
    before = statement.revisions.filter(version=version).values_list("data", flat=True).first()
    if before is None:
        before = (
            statement.revisions.filter(version__lt=version).values_list("data", flat=True).first()
        )
    if before is None:
        return None
    return diff(before, snapshot(statement))


def bump_versions(queryset, **changes):
    """A bulk update that still tells open edit forms the statements have changed."""
    return queryset.update(version=F("version") + 1, **changes)
