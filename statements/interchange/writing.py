"""Writing checked records as rows, through ``statements.bulk``, in the import's transaction.

Every value has been checked already, so new records go in as plain tuples, without model
instances, the fastest way the engine has (``bulk.write_rows``): their primary keys are
taken first (``bulk.take_ids``), so that the many-to-many rows can name them. Changed
records are updated with ``bulk_update``; ``parent`` and ``in_reply_to`` are set once the
whole file is written.
"""

import json
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import F
from django.utils import timezone

from statements import bulk
from statements.models import Statement

from .records import RECORD_TYPES

# Statements carry a version number for optimistic locking (when the model has it).
STATEMENT_VERSIONS = any(f.name == "version" for f in Statement._meta.get_fields())


@dataclass
class Written:
    """A record just inserted as a row: only its primary key is needed afterwards."""

    pk: int


class Writer:
    """Writes batches of checked records, and tells the ledger what it wrote."""

    def __init__(self, ledger, *, user, batch_size):
        self.ledger = ledger
        self.user = user
        self.batch_size = batch_size
        self.rows = RowWriter(now=timezone.now(), user=user)

    def save(self, spec, items):
        ledger = self.ledger
        created = [item for item in items if item.existing is None]
        updated = [
            item
            for item in items
            if item.existing is not None and item.record != item.existing_record
        ]
        pks = self.reference_pks(spec, created + updated)
        now = self.rows.now
        new_pks = self.rows.insert(
            spec.model, [self.model_values(spec, item, pks) for item in created]
        )
        known, lines = ledger.known[spec.name], ledger.lines[spec.name]
        for item, pk in zip(created, new_pks, strict=True):
            item.existing = Written(pk)
            known[item.key] = pk
            lines.add(pk, item.line)
            if spec.name == "article":
                ledger.bodies[item.key] = item.record["body"]
        if spec.name == "statement" and ledger.articles_with_statements is not None:
            marked = ledger.articles_with_statements
            for item in created:
                article = pks[("article", item.record["article"])]
                if article >= len(marked):
                    marked.extend(bytes(max(article + 1 - len(marked), len(marked) // 2)))
                marked[article] = 1
        if updated:
            fields = set()
            objs = []
            for item in updated:
                obj = item.existing
                for name, value in self.model_values(spec, item, pks).items():
                    setattr(obj, name, value)
                    fields.add(name)
                if spec.name == "statement":
                    obj.updated_by, obj.updated_at = self.user, now
                    fields |= {"updated_by", "updated_at"}
                    if STATEMENT_VERSIONS:
                        # A form opened before the import must not overwrite what it brought.
                        obj.version = F("version") + 1
                        fields.add("version")
                objs.append(obj)
            spec.model.objects.bulk_update(objs, sorted(fields), batch_size=self.batch_size)
        self.save_many_to_many(spec, created, updated, pks)

    def reference_pks(self, spec, items):
        """``{(type, key): pk}`` for every record these items name (self-references aside)."""
        wanted = {}
        for item in items:
            for f, value in spec.references(item.record):
                wanted.setdefault(f.target, set()).add(value)
        pks = {}
        for target, keys in wanted.items():
            known = self.ledger.known[target]
            found = {key: known[key] for key in keys if key in known}
            found.update(self.ledger.pks_for(target, keys - set(found)))
            pks.update({(target, key): pk for key, pk in found.items()})
        return pks

    def model_values(self, spec, item, pks):
        """The model's attribute values for this record, relations as primary keys."""
        record = item.record
        values = dict(item.values)
        for f in spec.fields:
            if f.kind == "ref" and f.name != spec.self_ref:
                value = record[f.name]
                values[f"{f.name}_id"] = pks[(f.target, value)] if value is not None else None
        return values

    def save_many_to_many(self, spec, created, updated, pks):
        for f in spec.fields:
            if f.kind != "refs":
                continue
            relation = spec.model._meta.get_field(f.name)
            through = relation.remote_field.through
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            changed = [
                item for item in updated if item.record[f.name] != item.existing_record[f.name]
            ]
            if changed:
                through.objects.filter(
                    **{f"{source}_id__in": [item.existing.pk for item in changed]}
                ).delete()
            pairs = [
                (item.existing.pk, pks[(f.target, value)])
                for item in created + changed
                for value in item.record[f.name]
            ]
            self.rows.link(through, source, target, pairs)

    def set_self_refs(self, pending):
        """Set the parents and replies (``(line, type, own key, target key)``), once checked."""
        by_type = {}
        for _, kind, key, target in pending:
            by_type.setdefault(kind, []).append((key, target))
        for kind, pairs in by_type.items():
            spec = RECORD_TYPES[kind]
            pks = self.ledger.pks_for(kind, {k for pair in pairs for k in pair if k is not None})
            objs = []
            for key, target in pairs:
                if key not in pks or (target is not None and target not in pks):
                    continue  # a bad line, reported: nothing will be written
                obj = spec.model(pk=pks[key])
                setattr(obj, f"{spec.self_ref}_id", pks.get(target))
                objs.append(obj)
            spec.model.objects.bulk_update(objs, [spec.self_ref], batch_size=self.batch_size)


class RowWriter:
    """``insert(model, values_list)`` for new objects; ``link(through, pairs)`` for M2M rows."""

    def __init__(self, *, now, user):
        self.now = now
        self.user_id = user.pk if user is not None else None
        self.tables = {}

    def table(self, model):
        if model not in self.tables:
            self.tables[model] = _Table(model, now=self.now, user_id=self.user_id)
        return self.tables[model]

    def insert(self, model, values_list):
        """Insert one row per dict of attribute values; return their primary keys in order."""
        if not values_list:
            return []
        table = self.table(model)
        pks = bulk.take_ids(table.name, len(values_list))
        rows = [(pk, *table.row(values)) for pk, values in zip(pks, values_list, strict=True)]
        bulk.write_rows(table.name, ["id", *table.columns], rows)
        return pks

    def link(self, through, source, target, pairs):
        """Insert many-to-many rows ``(source_id, target_id)``."""
        if pairs:
            bulk.write_rows(through._meta.db_table, [f"{source}_id", f"{target}_id"], pairs)


class _Table:
    """A model's columns (the primary key aside), their defaults and how to store each."""

    def __init__(self, model, *, now, user_id):
        self.name = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = [_default(f, now, user_id) for f in fields]
        self.columns_of = list(
            zip(self.attnames, self.defaults, [_converter(f) for f in fields], strict=True)
        )

    def row(self, values):
        return tuple(
            (value if convert is None else convert(value))
            for name, default, convert in self.columns_of
            for value in (values.get(name, default),)
        )


def _default(field, now, user_id):
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return now
    if field.name in ("created_by", "updated_by"):
        return user_id
    return field.get_default()


def _converter(field):
    """A function that turns an attribute value into what the database stores, or None."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


class DeferredIndexes:
    """Into an empty statements table, build its indexes and foreign keys once, at the end.

    Feeding the full-text index and the list indexes row by row costs more than building
    them once from the loaded table; the same goes for the statements' many-to-many tables.
    The foreign keys between the archive's own tables are set aside too (on PostgreSQL; those
    to ``auth_user`` stay, so that the users' table is never locked) and added back at the
    end, which checks every row in one join instead of one deferred trigger per row and key.
    This is done only when the statements table is empty at the start, inside the import's
    transaction: a rolled-back import puts everything back as it was, and readers never see
    the tables without them (on PostgreSQL they wait for the import to finish; on SQLite they
    read the old, empty tables). Unique indexes, and the index on ``article_id`` that the
    import itself queries, are kept. ``statements.bulk`` finds and rebuilds them.
    """

    def __init__(self):
        self.set_aside = bulk.set_aside(
            self.tables(),
            unique=False,
            keep_columns=["article_id"],
            foreign_keys_to=self.archive_tables(),
        )

    @property
    def full_text(self):
        """What the full-text index set aside (``search.IndexPause``)."""
        return self.set_aside.full_text

    @staticmethod
    def tables():
        return [
            Statement._meta.db_table,
            *(f.remote_field.through._meta.db_table for f in Statement._meta.many_to_many),
        ]

    @staticmethod
    def archive_tables():
        """Every table an import writes to: foreign keys between them may be deferred."""
        names = set()
        for spec in RECORD_TYPES.values():
            names.add(spec.model._meta.db_table)
            names.update(
                f.remote_field.through._meta.db_table for f in spec.model._meta.many_to_many
            )
        return sorted(names)

    def begin(self):
        """Set everything aside if the statements table is empty; say whether it was."""
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{Statement._meta.db_table}")')
            if cursor.fetchone()[0]:
                return False
            self.set_aside.drop(cursor)
        return True

    def end(self):
        with connection.cursor() as cursor:
            self.set_aside.rebuild(cursor)
