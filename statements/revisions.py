"""No lost edits: versions, revisions, edit conflicts and likely duplicates.

Every save of a statement records a revision (``record_on_save``, a ``post_save`` receiver
connected in ``StatementsConfig.ready()``). The admin saves a statement's many-to-many fields
after the statement itself, so it asks for the revision to wait (``recorded_later``) and
records it once, when everything is saved.

A curator's change to what readers see of a published statement does not reach the live row:
``hold_for_approval`` keeps it as a ``PendingRevision`` until an editor approves it
(``approve``, through the statement's normal save, refused when the statement has moved on
since) or rejects it (``reject``). Every public page reads the live row, so none of them needs
to know about pending changes.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone

from .models import PendingRevision, Statement, StatementRevision

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

# What a reader sees of a statement: a curator's change to any of these on a published
# statement waits for an editor. The status is an editor's alone; the note is never shown.
PUBLIC_FIELDS = [name for name in TRACKED_FIELDS if name not in ("status", "curator_note")]


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


def snapshot(statement, chosen=None):
    """A JSON-ready record of the tracked fields, related objects by their labels.

    ``chosen`` (a form's cleaned data) gives the many-to-many fields of an unsaved change.
    """
    chosen = chosen or {}

    def label(value):
        return str(value) if value is not None else None

    data = {}
    for name in TRACKED_FIELDS:
        field = Statement._meta.get_field(name)
        if field.many_to_many:
            rows = chosen[name] if name in chosen else getattr(statement, name).all()
            data[name] = sorted(str(obj) for obj in rows)
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


class ChangeRefused(Exception):
    """A pending change that cannot be applied; the message says why."""


def _proposed_values(statement, chosen):
    """The tracked fields of an edited, unsaved statement as JSON, related rows by key."""
    values = {}
    for name in TRACKED_FIELDS:
        field = Statement._meta.get_field(name)
        if field.many_to_many:
            rows = chosen[name] if name in chosen else getattr(statement, name).all()
            values[name] = sorted(row.pk for row in rows)
        else:
            value = field.get_prep_value(field.value_from_object(statement))
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def needs_an_editor(statement, changed, *, can_publish):
    """Whether a change to ``changed`` fields of ``statement`` must wait for an editor."""
    return (
        not can_publish
        and not statement._state.adding
        and statement.is_published
        and bool(set(changed) & set(PUBLIC_FIELDS))
    )


def hold_for_approval(statement, *, chosen, user):
    """Keep an edited (unsaved) published statement's new values for an editor to approve.

    ``chosen`` is the form's cleaned data (for the many-to-many fields). The live row is not
    touched: the public keeps reading the approved version.
    """
    live = Statement.objects.filter(pk=statement.pk).values_list("version", "status").get()
    values = _proposed_values(statement, chosen)
    data = snapshot(statement, chosen)
    # The status is an editor's: the change keeps the live one.
    values["status"] = data["status"] = live[1]
    return PendingRevision.objects.create(
        statement_id=statement.pk, base_version=live[0], values=values, data=data, proposed_by=user
    )


def _decided(pending, state, *, user, note=""):
    pending.state = state
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.note = note
    pending.save(update_fields=["state", "decided_by", "decided_at", "note"])


def _locked(pending):
    pending = PendingRevision.objects.select_for_update().get(pk=pending.pk)
    if pending.state != PendingRevision.State.PENDING:
        raise ChangeRefused(f"This change was already {pending.get_state_display().lower()}.")
    return pending


def approve(pending, *, user):
    """Apply a pending change to the live statement through its normal save.

    Refused (``ChangeRefused``) when the statement has been saved since the change was made
    on it: applying it would silently undo that later work.
    """
    with transaction.atomic():
        pending = _locked(pending)
        statement = Statement.objects.select_for_update().get(pk=pending.statement_id)
        if statement.version != pending.base_version:
            changes = changes_since(statement, pending.base_version) or []
            listed = "; ".join(f"{field}: “{old}” → “{new}”" for field, old, new in changes)
            raise ChangeRefused(
                f"Statement #{statement.pk} has been saved since this change was proposed "
                f"(on version {pending.base_version}; it is now version {statement.version})"
                + (f": {listed}" if listed else "")
                + ". Nothing was applied: reject this change and make it again on the "
                "current version."
            )
        many = {}
        for name, value in pending.values.items():
            field = Statement._meta.get_field(name)
            if field.many_to_many:
                kept = set(
                    field.related_model.objects.filter(pk__in=value).values_list("pk", flat=True)
                )
                if kept != set(value):
                    raise ChangeRefused(
                        f"The change names {field.verbose_name} no longer in the archive: "
                        "reject it, and ask the curator to make it again."
                    )
                many[name] = value
            elif name != "status":
                setattr(statement, field.attname, field.to_python(value))
        try:
            statement.full_clean()
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise ChangeRefused(f"The change no longer fits the archive: {messages}") from error
        statement.updated_by = user
        recorded_later(statement)
        statement.save()
        for name, pks in many.items():
            getattr(statement, name).set(pks)
        proposer = pending.proposed_by or "a curator"
        record_revision(statement, user=user, comment=f"Approved the change proposed by {proposer}")
        _decided(pending, PendingRevision.State.APPROVED, user=user)
    return statement


def reject(pending, *, user, note=""):
    """Turn a pending change down; the live statement stays as it is."""
    with transaction.atomic():
        _decided(_locked(pending), PendingRevision.State.REJECTED, user=user, note=note)
