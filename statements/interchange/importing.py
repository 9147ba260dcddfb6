"""Read an archive file: check every line and write it all or nothing, in one pass.

The whole import runs in one transaction. Each line is read once and checked (JSON, fields,
dates, references, field validation, offsets against the article's body); records of one
type that follow each other are handled a batch at a time, with one query per batch for what
they name (never one per line), and the good ones are written straight away as plain rows
(COPY on PostgreSQL), so that later lines find them in the database as they would find any
other record. When any line is bad, or when only checking (``write=False``), everything is
rolled back at the end: nothing was written, and every bad line is reported.

Memory stays bounded by the batch, not the file: what earlier lines defined is looked up in
the database (the transaction sees its own rows); only the keys of bad lines, the line
numbers of created records (two integers each) and caches with a cap are kept.

A record may name records above it in the file or already in the database; ``parent`` and
``in_reply_to`` may also point below, and are set once everything else is written.
"""

import contextlib
import datetime
import functools
import json
import queue
import re
import threading
import types
from array import array
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from django.db import DatabaseError, models, transaction
from django.db.models import ExpressionWrapper, F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from statements import caching
from statements.models import Article, Official, Statement, Topic
from statements.models.dates import iso_partial_date, parse_partial_date
from statements.models.people import clean_name_list, default_sort_name
from statements.models.statements import same_words

from .records import (
    FORMAT_VERSION,
    RECORD_OF,
    RECORD_TYPES,
    TYPES,
    queryset_for,
    record_key,
    split_statement_key,
    statement_base_key,
    statement_keys_for_articles,
    statement_records,
)
from .writing import DeferredIndexes, row_writer

BATCH_SIZE = 2000
# Caps on what is kept between batches; past them, the database is asked again.
KNOWN_CAP = 200_000  # keys -> primary keys, per type
BODIES_CAP = 20_000  # article bodies
# Values of at most this length that passed a field's validation are not checked again.
CACHED_VALUE_LENGTH = 200
VALID_VALUES_CAP = 5_000  # per field
# Statements carry a version number for optimistic locking (when the model has it).
STATEMENT_VERSIONS = any(f.name == "version" for f in Statement._meta.get_fields())
# The fields that say which object a record is about; a line must always give them.
KEY_FIELDS = {
    "role": {"official", "title", "organization", "start_date"},
    "statement": {"article", "speaker", "text"},
    **{
        kind: {"slug"}
        for kind in ("organization", "outlet", "official", "topic", "article", "meeting")
    },
}
PROGRESS_EVERY = 10_000
PARSE_CHUNK = 500  # lines the reading thread parses ahead at a time
JSON_TYPE_NAMES = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class ImportReport:
    """What an import did (or, when validating, would do), and every bad line."""

    name: str = "archive"
    lines: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.problems

    @property
    def bad_lines(self):
        return len({problem.line for problem in self.problems})

    def problem_lines(self):
        """``file:line: what is wrong, what to do``, in line order."""
        return [
            f"{self.name}:{p.line}: {p.message}"
            for p in sorted(self.problems, key=lambda p: p.line)
        ]

    def counts(self):
        """``[(type, created, updated, unchanged)]`` in file-format order."""
        return [
            (t, self.created[t], self.updated[t], self.unchanged[t])
            for t in TYPES
            if self.created[t] or self.updated[t] or self.unchanged[t]
        ]

    def summary(self):
        def fmt(counter):
            parts = [
                f"{counter[t]} {t}{'' if counter[t] == 1 else 's'}" for t in TYPES if counter[t]
            ]
            return ", ".join(parts) or "nothing"

        verb = "" if self.written else "would be "
        return (
            f"{self.lines} lines read; {verb}created {fmt(self.created)}; "
            f"{verb}updated {fmt(self.updated)}; unchanged {fmt(self.unchanged)}"
        )


class ImportRejected(Exception):
    """The file has bad lines; nothing was written. ``report`` lists them."""

    def __init__(self, report):
        self.report = report
        super().__init__(f"{report.bad_lines} bad line(s) in {report.name}")


def import_archive(path_or_file, *, name=None, write=True, user=None, progress=None):
    """Check the whole file and (if ``write`` and every line is good) import it.

    ``path_or_file`` is a path or a binary file object. Returns the ImportReport; raises
    ImportRejected, having written nothing, when any line is bad.
    """
    name = name or str(getattr(path_or_file, "name", path_or_file))
    importer = _Import(path_or_file, name=name, user=user, progress=progress, write=write)
    report = importer.report
    try:
        with transaction.atomic():
            importer.run()
            if report.problems or not write:
                transaction.set_rollback(True)
            elif report.created.total() or report.updated.total():
                # Rows went in as COPY/plain inserts, past the signals: the public pages'
                # cache must hear of them.
                caching.bump()
    except DatabaseError as error:
        # Checked lines do not fail in the database: someone else changed it meanwhile.
        report.problems.append(
            Problem(
                0,
                f"the database refused the import ({error}); nothing was written: "
                "run the import again",
            )
        )
        raise ImportRejected(report) from error
    if report.problems:
        raise ImportRejected(report)
    report.written = write
    return report


def _open_lines(path_or_file):
    if hasattr(path_or_file, "read"):
        path_or_file.seek(0)
        return path_or_file, False
    return open(path_or_file, "rb", buffering=1 << 20), True


@dataclass
class _Written:
    """A record just inserted as a row: only its primary key is needed afterwards."""

    pk: int


@dataclass
class _Item:
    line: int
    given: dict
    key: object = None
    record: dict = None
    existing: object = None
    existing_record: dict = None
    values: dict = None
    errors: list = field(default_factory=list)


class _Capped(dict):
    """A cache that forgets everything once it has grown past ``cap`` entries.

    Only between batches (``trim``): within one, what a query just found stays found.
    """

    def __init__(self, cap):
        super().__init__()
        self.cap = cap

    def trim(self):
        if len(self) > self.cap:
            self.clear()


class _LinesByPk:
    """The line that named each object met so far, indexed by primary key: four bytes each."""

    def __init__(self):
        self.lines = array("I")

    def add(self, pk, line):
        if pk >= len(self.lines):
            grow = max(pk + 1 - len(self.lines), len(self.lines) // 2, 1024)
            self.lines.extend(array("I", bytes(4 * grow)))
        self.lines[pk] = line

    def get(self, pk):
        return self.lines[pk] or None if pk < len(self.lines) else None


class _Import:
    def __init__(self, source, *, name, write=True, user=None, progress=None):
        self.source = source
        self.write = write
        self.user = user
        self.progress = progress
        self.report = ImportReport(name=name)
        # Records met in the file that are not in the database: key -> line. Bad lines, and
        # good lines that name a bad one (they cannot be written, but count as defined).
        self.unwritten = {t: {} for t in TYPES}
        self.lines = {t: _LinesByPk() for t in TYPES}
        # key -> pk of records known to be in the database.
        self.known = {t: _Capped(KNOWN_CAP) for t in TYPES}
        self.bodies = _Capped(BODIES_CAP)  # article slug -> body, of recently written articles
        self.topic_names = {}
        self.parents = {"organization": {}, "topic": {}}
        self.parent_lines = {"organization": {}, "topic": {}}
        self.pending_self_refs = []  # (line, type, own key, target key)
        self.batch_type, self.batch = None, []
        self.records_read = 0
        self.progressed = 0
        self.writer = row_writer(now=timezone.now(), user=user)
        self.field_checks = {}
        # Set when the statements table is empty at the start: then only the articles marked
        # here (one byte per article's primary key) can have statements in the database.
        self.articles_with_statements = None
        self.valid_values = {}

    # -- reading ---------------------------------------------------------------------------

    def run(self):
        handle, close = _open_lines(self.source)
        phase = "importing" if self.write else "checking"
        deferred = DeferredIndexes()
        deferring = deferred.begin()
        if deferring:
            self.articles_with_statements = bytearray()
        try:
            for number, chunk in _parsed_lines(handle):
                for parsed in chunk:
                    self.take(parsed)
                self.report.lines = number
                if self.progress and number // PROGRESS_EVERY != self.progressed:
                    self.progressed = number // PROGRESS_EVERY
                    self.progress(phase, number)
        finally:
            if close:
                handle.close()
        self.flush()
        self.resolve_self_refs()
        if deferring and not self.report.problems and self.write:
            deferred.end()  # else all is rolled back, the indexes with the rest
        return self.report

    def problem(self, line, message):
        self.report.problems.append(Problem(line, message))

    def take(self, parsed):
        """Act on one parsed line: a problem, the header, or a record for the batch."""
        number, what, value = parsed
        if what == "problem":
            self.problem(number, value)
        elif what == "header":
            self.header(number, value)
        else:
            kind, item = value
            if item.errors:
                self.report_item(kind, item)
                return
            if kind != self.batch_type or len(self.batch) >= BATCH_SIZE:
                self.flush()
                self.batch_type = kind
            self.batch.append(item)
            self.records_read += 1

    def header(self, number, data):
        if self.records_read:
            self.problem(number, "the archive header must be the first line: move it up")
        if data.get("version") != FORMAT_VERSION:
            self.problem(
                number,
                f"this is format version {data.get('version')!r}; this "
                f"Verbatim reads version {FORMAT_VERSION}: export it again",
            )

    # -- a batch of records of one type ----------------------------------------------------

    def flush(self):
        kind, items = self.batch_type, self.batch
        self.batch_type, self.batch = None, []
        if not items:
            return
        spec = RECORD_TYPES[kind]
        for cache in (*self.known.values(), self.bodies):
            cache.trim()
        in_batch = {}
        for item in items:
            try:
                item.key = self.key_of(kind, item.given)
            except ValueError as error:
                item.errors.append(str(error))
                continue
            first = in_batch.get(item.key) or self.unwritten[kind].get(item.key)
            if first is not None:
                item.errors.append(_defined_twice(kind, first))
            else:
                in_batch[item.key] = item.line
        items_ok = [item for item in items if not item.errors]
        self.attach_existing(kind, items_ok, in_batch)
        items_ok = [item for item in items_ok if not item.errors]
        for item in items_ok:
            item.record = self.merge(spec, item)
            if item.existing is None:
                item.errors.extend(
                    f"{f.name!r} is required for a new {kind}: add it"
                    for f in spec.fields
                    if f.required and f.name not in item.given
                )
        items_ok = [item for item in items_ok if not item.errors]
        unwritable = self.check_references(spec, items_ok)
        self.validate(spec, [item for item in items_ok if not item.errors])
        good = [item for item in items_ok if not item.errors]
        for item in good:
            if item.existing is None:
                self.report.created[kind] += 1
            elif item.record == item.existing_record:
                self.report.unchanged[kind] += 1
            else:
                self.report.updated[kind] += 1
        for item in items:
            if item.key is not None and (item.errors or id(item) in unwritable):
                self.unwritten[kind].setdefault(item.key, item.line)
        # Written even after a bad line (the transaction is then rolled back): the database
        # is what later lines are checked against.
        self.save(spec, [item for item in good if id(item) not in unwritable])
        for item in items:
            if item.errors:
                self.report_item(kind, item)

    def report_item(self, kind, item):
        key = item.key if item.key is not None else item.given.get("slug")
        label = f"{kind} {_show_key(key)}" if key is not None else kind
        for message in item.errors:
            self.problem(item.line, f"{label}: {message}")

    def key_of(self, kind, given):
        if kind != "statement":
            key = record_key(kind, given)
            return key
        start, end = given.get("start_offset"), given.get("end_offset")
        if (start is None) != (end is None):
            raise ValueError("give both 'start_offset' and 'end_offset', or neither")
        base = statement_base_key(given["article"], given["speaker"], start, end, given["text"])
        claimed = given.get("key")
        if claimed is None:
            return base
        claimed_base, number = split_statement_key(claimed)
        if claimed != base and (claimed_base != base or claimed != f"{base}#{max(number, 2)}"):
            raise ValueError(
                f"'key' is {claimed!r}, but its article, speaker, offsets and text make "
                f"{base!r}: correct the key or leave it out (it is worked out for you)"
            )
        return claimed

    def attach_existing(self, kind, items, in_batch):
        """Find, in one or two queries, which of these records the database already holds."""
        if not items:
            return
        keys = [item.key for item in items]
        if kind == "statement":
            article_ids = self.article_ids({key.partition("/")[0] for key in keys})
            if (marked := self.articles_with_statements) is not None:
                # Without statistics on a table filled in this transaction, the planner
                # reads the whole statements table for a thousand articles' statements.
                article_ids = [pk for pk in article_ids if pk < len(marked) and marked[pk]]
            pk_of_key = {key: pk for pk, key in statement_keys_for_articles(article_ids).items()}
            wanted = {pk_of_key[key]: key for key in keys if key in pk_of_key}
            found = queryset_for("statement").filter(pk__in=wanted)
            existing = {wanted[obj.pk]: (obj, record) for obj, record in statement_records(found)}
            for item in items:
                base, number = split_statement_key(item.key)
                before = base if number == 2 else f"{base}#{number - 1}"
                if (
                    number > 1
                    and item.key not in existing
                    and before not in pk_of_key
                    and before not in self.unwritten["statement"]
                    and in_batch.get(before, item.line) >= item.line
                ):
                    item.errors.append(
                        f"'#{number}' numbers identical statements by age, so {before!r} must "
                        "be in the database or above this line: renumber the key"
                    )
        elif kind == "role":
            officials = {key[0] for key in keys}
            found = queryset_for("role").filter(official__slug__in=officials)
            existing = {}
            for obj in found:
                record = RECORD_OF["role"](obj)
                existing[record_key("role", record)] = (obj, record)
        else:
            found = queryset_for(kind).filter(slug__in=keys)
            existing = {obj.slug: (obj, RECORD_OF[kind](obj)) for obj in found}
        lines = self.lines[kind]
        for item in items:
            if item.key in existing:
                item.existing, item.existing_record = existing[item.key]
                first = lines.get(item.existing.pk)
                if first is not None:
                    item.errors.append(_defined_twice(kind, first))
                    continue
                lines.add(item.existing.pk, item.line)
                self.known[kind][item.key] = item.existing.pk

    def article_ids(self, slugs):
        """The primary keys of these articles, from what the import knows, else one query.

        Not a subquery on the slugs: the articles were often written in this transaction,
        with no statistics, and PostgreSQL then scans the table instead of its slug index.
        """
        known = self.known["article"]
        ids = [known[slug] for slug in slugs if slug in known]
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            found = dict(Article.objects.filter(slug__in=missing).values_list("slug", "pk"))
            known.update(found)
            ids.extend(found.values())
        return ids

    def merge(self, spec, item):
        """The whole record: what the line gives, else what is stored, else the default."""
        base = item.existing_record or _defaults(spec)
        record = {**base, **item.given}
        if spec.name == "statement":
            record["key"] = item.key
        if spec.name == "official":
            record["other_names"] = clean_name_list(record["other_names"])
            if not record["sort_name"]:
                record["sort_name"] = default_sort_name(record["name"])
        return {name: record[name] for name in _record_fields(spec)}

    # -- references ------------------------------------------------------------------------

    def check_references(self, spec, items):
        """Flag names of nothing; return the ids of items that name a record not written."""
        wanted = {}
        for item in items:
            for f in spec.fields:
                if f.kind not in ("ref", "refs") or f.name == spec.self_ref:
                    continue
                values = item.record[f.name] if f.kind == "refs" else [item.record[f.name]]
                for value in values:
                    if value is not None and value not in self.known[f.target]:
                        wanted.setdefault(f.target, set()).add(value)
        for target, slugs in wanted.items():
            model = RECORD_TYPES[target].model
            for slug, pk in model.objects.filter(slug__in=slugs).values_list("slug", "pk"):
                self.known[target][slug] = pk
        unwritable = set()
        for item in items:
            for f in spec.fields:
                if f.kind not in ("ref", "refs"):
                    continue
                if f.name == spec.self_ref:
                    self.check_self_ref(spec, item)
                    continue
                values = item.record[f.name] if f.kind == "refs" else [item.record[f.name]]
                for value in values:
                    if value is None or value in self.known[f.target]:
                        continue
                    if value in self.unwritten[f.target]:
                        unwritable.add(id(item))  # a bad line above: reported there
                        continue
                    item.errors.append(
                        f"{f.name!r} names the {f.target} {value!r}, which is neither in the "
                        "database nor above this line in the file: add it above this line "
                        "or correct the name"
                    )
        return unwritable

    def check_self_ref(self, spec, item):
        """Queue a changed ``parent``/``in_reply_to``: its target may come later in the file."""
        target = item.record[spec.self_ref]
        if target is not None and target == item.key:
            item.errors.append(
                f"{spec.self_ref!r} names the {spec.name} itself: a record cannot point to itself"
            )
        elif target != (item.existing_record or {}).get(spec.self_ref):
            self.pending_self_refs.append((item.line, spec.name, item.key, target))

    def resolve_self_refs(self):
        """Check the parents and replies, now that all are known, and set them."""
        self.check_self_refs()
        by_type = {}
        for _, kind, key, target in self.pending_self_refs:
            by_type.setdefault(kind, []).append((key, target))
        for kind, pairs in by_type.items():
            spec = RECORD_TYPES[kind]
            pks = self.pks_for(kind, {k for pair in pairs for k in pair if k is not None})
            objs = []
            for key, target in pairs:
                if key not in pks or (target is not None and target not in pks):
                    continue  # a bad line, reported: nothing will be written
                obj = spec.model(pk=pks[key])
                setattr(obj, f"{spec.self_ref}_id", pks.get(target))
                objs.append(obj)
            spec.model.objects.bulk_update(objs, [spec.self_ref], batch_size=BATCH_SIZE)

    def check_self_refs(self):
        unresolved = {}
        for line, kind, key, target in self.pending_self_refs:
            if target is None or target in self.unwritten[kind] or target in self.known[kind]:
                continue
            unresolved.setdefault(kind, []).append((line, key, target))
        for kind, entries in unresolved.items():
            in_db = set(self.pks_for(kind, {target for _, _, target in entries}))
            for line, key, target in entries:
                if target not in in_db:
                    spec = RECORD_TYPES[kind]
                    self.problem(
                        line,
                        f"{kind} {_show_key(key)}: {spec.self_ref!r} names the {kind} "
                        f"{target!r}, which is neither in the database nor in the file: add it "
                        "or correct the name",
                    )
        for kind in ("organization", "topic"):
            self.check_loops(kind)

    def pks_for(self, kind, keys):
        """``{key: pk}`` for the records of ``kind`` in the database with these keys."""
        if not keys:
            return {}
        if kind == "statement":
            slugs = {key.partition("/")[0] for key in keys}
            ids = Article.objects.filter(slug__in=slugs).values_list("pk", flat=True)
            return {key: pk for pk, key in statement_keys_for_articles(ids).items() if key in keys}
        model = RECORD_TYPES[kind].model
        return dict(model.objects.filter(slug__in=keys).values_list("slug", "pk"))

    def check_loops(self, kind):
        model = RECORD_TYPES[kind].model
        parents = dict(
            model.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
        parents.update(self.parents[kind])
        for slug in self.parents[kind]:
            seen, current = set(), parents.get(slug)
            while current is not None and current not in seen:
                if current == slug:
                    self.problem(
                        self.parent_lines[kind][slug],
                        f"{kind} {slug!r}: its 'parent' chain comes back to itself: break the "
                        "loop by changing one parent",
                    )
                    break
                seen.add(current)
                current = parents.get(current)

    # -- model validation (first pass only) --------------------------------------------------

    def validate(self, spec, items):
        """What ``full_clean()`` would say of each record, field by field, with its messages.

        Each field's own validation runs as in ``clean_fields()``; a short value that passed
        once (a country, a kind, a language tag) is not checked again. The statements'
        ``clean()`` adds its check of the offsets against the article's body.
        """
        check = getattr(self, f"check_{spec.name}", None)
        if check:
            check(items)
        bodies = self.article_bodies(items) if spec.name == "statement" else {}
        for item in items:
            if item.errors:
                continue
            item.values = _plain_values(spec, item.record)
            errors = self.field_errors(spec, item.values)
            if spec.name == "statement" and item.values["text"]:
                body = bodies.get(item.record["article"])
                if body is not None:  # else the article's own line is bad, and reported
                    span = types.SimpleNamespace(
                        start_offset=item.values["start_offset"],
                        end_offset=item.values["end_offset"],
                        text=item.values["text"],
                    )
                    if span_errors := Statement._check_span(span, body):
                        errors = ValidationError(span_errors).update_error_dict(errors)
            if errors:
                item.errors.extend(_messages(ValidationError(errors)))
            if spec.self_ref and spec.name != "statement":
                self.parents[spec.name][item.key] = item.record["parent"]
                self.parent_lines[spec.name][item.key] = item.line

    def field_errors(self, spec, values):
        """``{field name: [errors]}`` as ``Model.clean_fields()`` gives them."""
        checks = self.field_checks.get(spec.name)
        if checks is None:
            checks = self.field_checks[spec.name] = [
                (f, _quick_check(f), self.valid_values.setdefault((spec.name, f.name), set()))
                for f in spec.model._meta.fields
                if f.attname in values and not f.generated
            ]
        errors = {}
        for f, surely_valid, valid in checks:
            value = values[f.attname]
            if surely_valid is not None and surely_valid(value):
                continue
            if f.blank and value in f.empty_values:
                continue
            cacheable = isinstance(value, str | int | datetime.date) and (
                not isinstance(value, str) or len(value) <= CACHED_VALUE_LENGTH
            )
            if cacheable and value in valid:
                continue
            try:
                f.clean(value, None)
            except ValidationError as error:
                errors[f.name] = error.error_list
                continue
            if cacheable:
                if len(valid) >= VALID_VALUES_CAP:
                    valid.clear()  # slugs, titles, URLs: each seen once, not worth keeping
                valid.add(value)
        return errors

    def article_bodies(self, items):
        slugs = {item.record["article"] for item in items}
        bodies = {slug: self.bodies[slug] for slug in slugs if slug in self.bodies}
        missing = slugs - set(bodies)
        if missing:
            bodies.update(Article.objects.filter(slug__in=missing).values_list("slug", "body"))
        return bodies

    def check_role(self, items):
        for item in items:
            _check_period(item)

    def check_meeting(self, items):
        for item in items:
            _check_period(item)

    def check_official(self, items):
        self._check_unique(items, "wikidata_id", Official, "Wikidata ID")

    def check_article(self, items):
        self._check_unique(items, "url", Article, "URL")
        # A new body must still hold every archived statement at its offsets.
        changed = {
            item.key: item
            for item in items
            if item.existing is not None and item.record["body"] != item.existing_record["body"]
        }
        statements = Statement.objects.filter(
            article__slug__in=changed, start_offset__isnull=False
        ).values_list("article__slug", "pk", "start_offset", "end_offset", "text")
        for slug, pk, start, end, value in statements:
            body = changed[slug].record["body"]
            if not same_words(body[start:end], value):
                changed[slug].errors.append(
                    f"the new 'body' no longer reads statement #{pk}'s text at {start}-{end}: "
                    "keep the body as it was or correct that statement first"
                )

    def check_topic(self, items):
        conflicts = {}
        names = {item.record["name"] for item in items if item.record["parent"]}
        for slug, name, parent in Topic.objects.filter(
            name__in=names, parent__isnull=False
        ).values_list("slug", "name", "parent__slug"):
            conflicts[(parent, name)] = slug
        for item in items:
            parent, name = item.record["parent"], item.record["name"]
            if parent is None:
                continue
            other = self.topic_names.get((parent, name)) or conflicts.get((parent, name))
            if other and other != item.key:
                item.errors.append(
                    f"the topic {other!r} under {parent!r} already has the name "
                    f"{name!r}: choose another name"
                )
            self.topic_names[(parent, name)] = item.key

    def _check_unique(self, items, name, model, label):
        """Within the batch and against the database (which holds the batches above)."""
        seen = {}
        values = {item.record[name] for item in items if item.record[name]}
        # Written as the unique index's condition reads, literally: SQLite uses a partial
        # index only for a query that repeats its condition, and a bound '' does not.
        not_blank = RawSQL(f'NOT ("{model._meta.db_table}"."{name}" = \'\')', ())
        in_db = dict(
            model.objects.filter(**{f"{name}__in": values})
            .filter(ExpressionWrapper(not_blank, output_field=models.BooleanField()))
            .order_by()
            .values_list(name, "slug")
        )
        for item in items:
            value = item.record[name]
            if not value:
                continue
            other = seen.get(value) or in_db.get(value)
            if other and other != item.key:
                item.errors.append(
                    f"the {label} {value!r} already belongs to {other!r}: give "
                    f"each {label} to one {model._meta.verbose_name} only"
                )
            seen[value] = item.key

    # -- writing (second pass only) ----------------------------------------------------------

    def save(self, spec, items):
        created = [item for item in items if item.existing is None]
        updated = [
            item
            for item in items
            if item.existing is not None and item.record != item.existing_record
        ]
        pks = self.reference_pks(spec, created + updated)
        now = self.writer.now
        new_pks = self.writer.insert(
            spec.model, [self.model_values(spec, item, pks) for item in created]
        )
        known, lines = self.known[spec.name], self.lines[spec.name]
        for item, pk in zip(created, new_pks, strict=True):
            item.existing = _Written(pk)
            known[item.key] = pk
            lines.add(pk, item.line)
            if spec.name == "article":
                self.bodies[item.key] = item.record["body"]
        if spec.name == "statement" and self.articles_with_statements is not None:
            marked = self.articles_with_statements
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
            spec.model.objects.bulk_update(objs, sorted(fields), batch_size=BATCH_SIZE)
        self.save_many_to_many(spec, created, updated, pks)

    def reference_pks(self, spec, items):
        """``{(type, key): pk}`` for every record these items name (self-references aside)."""
        wanted = {}
        for item in items:
            for f in spec.fields:
                if f.kind not in ("ref", "refs") or f.name == spec.self_ref:
                    continue
                values = item.record[f.name] if f.kind == "refs" else [item.record[f.name]]
                for value in values:
                    if value is not None:
                        wanted.setdefault(f.target, set()).add(value)
        pks = {}
        for target, keys in wanted.items():
            known = self.known[target]
            found = {key: known[key] for key in keys if key in known}
            found.update(self.pks_for(target, keys - set(found)))
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
            self.writer.link(through, source, target, pairs)


# -- helpers -------------------------------------------------------------------------------


def _parse_line(number, raw):
    """``(number, "problem", message)``, ``(number, "header", data)``,
    ``(number, "record", (type, item))`` or None for a blank line. Needs no database."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return (
            number,
            "problem",
            f"not UTF-8 text ({error.reason} at byte {error.start}): save the file as UTF-8",
        )
    if number == 1:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return (
            number,
            "problem",
            f"not valid JSON ({error.msg} at column {error.colno}): "
            "each line must be one complete JSON object",
        )
    if not isinstance(data, dict):
        return (
            number,
            "problem",
            f"expected a JSON object, found {_json_type(data)}: each line "
            'is one object such as {"type": "official", "slug": ...}',
        )
    kind = data.get("type")
    if kind == "archive":
        return (number, "header", data)
    if kind not in RECORD_TYPES:
        found = 'no "type"' if kind is None else f"the type {json.dumps(kind)}"
        return (
            number,
            "problem",
            f'the record has {found}: give "type" as one of {", ".join(TYPES)}',
        )
    item = _Item(number, data)
    _check_shape(kind, item)
    return (number, "record", (kind, item))


def _parsed_lines(handle):
    """The file's lines parsed in a second thread, a chunk ahead, so that reading and
    parsing overlap the waits on the database. Memory holds at most a few chunks."""
    chunks = queue.Queue(maxsize=4)
    stop = threading.Event()

    def read():
        try:
            chunk, number = [], 0
            for number, raw in enumerate(handle, start=1):
                if stop.is_set():
                    return
                parsed = _parse_line(number, raw)
                if parsed is not None:
                    chunk.append(parsed)
                if len(chunk) >= PARSE_CHUNK:
                    chunks.put((False, number, chunk))
                    chunk = []
            chunks.put((True, number, chunk))
        except BaseException as error:  # handed to the importing thread, raised there
            chunks.put((None, error, None))

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while True:
            last, number, chunk = chunks.get()
            if last is None:
                raise number
            yield number, chunk
            if last:
                return
    finally:
        stop.set()
        while reader.is_alive():  # let it notice, should it be waiting to put a chunk
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.1)
        reader.join()


def _check_shape(kind, item):
    """JSON types, required fields, unknown fields, dates; normalises ``item.given``."""
    spec = RECORD_TYPES[kind]
    given = {}
    unknown = sorted(set(item.given) - _allowed_fields(spec))
    if unknown:
        item.errors.append(
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
            f": the fields of {_a(kind)} are {', '.join(spec.field_names)}"
        )
    for f in spec.fields:
        if f.name not in item.given:
            # Other required fields may be left out when the record already exists.
            if f.required and f.name in KEY_FIELDS[kind]:
                item.errors.append(f"{f.name!r} is required: add it")
            continue
        value = item.given[f.name]
        if f.kind == "text" and type(value) is str:
            given[f.name] = value  # the common case, as _normalise would give it
            continue
        try:
            given[f.name] = _normalise(f, value)
        except ValueError as error:
            item.errors.append(f"{f.name!r} {error}")
    item.given = given


def _defined_twice(kind, first):
    return f"is already defined on line {first}: keep one record per {kind} (merge the two lines)"


def _json_type(value):
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _a(kind):
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _show_key(key):
    if isinstance(key, tuple):
        return "(" + ", ".join(map(str, key)) + ")"
    return repr(key)


def _normalise(f, value):
    """One field's JSON value, checked and in canonical form; ValueError says what to do."""
    if f.kind == "statement_key" and value is None:
        return None  # worked out from the record
    if f.kind in ("text", "key", "statement_key"):
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {_json_type(value)}")
        if f.kind in ("key", "statement_key") and not value.strip():
            raise ValueError("must not be empty")
        return value
    if f.kind == "offset":
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError("must be a whole number of characters from 0, or null")
        return value
    if f.kind == "names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError('must be a list of strings, such as ["Mira Vondel"]')
        return value
    if f.kind == "ref":
        if value is None and not f.required:
            return None
        if not isinstance(value, str) or not value:
            raise ValueError(
                f"must name {_a(f.target)} by its {_key_word(f.target)}, not {_json_type(value)}"
            )
        return value
    if f.kind == "refs":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"must be a list of {_key_word(f.target)}s of {f.target}s")
        return sorted(set(value))
    if f.kind == "partial_date":
        if value is None and not f.required:
            return None
        if not isinstance(value, str):
            raise ValueError(
                f"must be a date written YYYY-MM-DD, YYYY-MM or YYYY, not {_json_type(value)}"
            )
        try:
            day, precision = _parsed_partial_date(value)
        except ValidationError:
            raise ValueError(
                f"is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}"
            ) from None
        return iso_partial_date(day, precision)
    if f.kind == "date":
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise ValueError(f"must be a date written YYYY-MM-DD, not {value!r}") from None
    raise AssertionError(f.kind)


def _quick_check(f):
    """A fast test that a value surely passes ``f.clean()``, or None when there is none.

    For text fields whose only checks are a length, a regular expression (slugs, language
    tags) or a URL: what passes the test passes ``clean()``; what does not is cleaned as
    before, so the messages are always ``clean()``'s own.
    """
    if type(f) not in _QUICK_FIELDS or f.choices:
        return None
    tests = []
    for validator in f.validators:
        kind = type(validator)
        if kind is MaxLengthValidator and type(validator.limit_value) is int:
            tests.append(functools.partial(_fits, validator.limit_value))
        elif kind is RegexValidator and not validator.inverse_match:
            regex = re.compile(validator.regex.pattern, validator.regex.flags)
            tests.append(regex.search)
        elif kind is URLValidator and {"http", "https"} <= set(validator.schemes):
            tests.append(_plain_url)
        else:
            return None
    return lambda value: type(value) is str and value != "" and all(t(value) for t in tests)


def _fits(limit, value):
    return len(value) <= limit


_QUICK_FIELDS = (models.CharField, models.TextField, models.SlugField, models.URLField)
# A strict part of what URLValidator accepts: http(s), a lower-case host name of plain
# labels and a top-level domain of letters, no port, a path of unreserved characters.
_PLAIN_URL = re.compile(
    r"https?://((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?:/[A-Za-z0-9._~/-]*)?"
)


def _plain_url(value):
    match = _PLAIN_URL.fullmatch(value)
    return match is not None and len(match[1]) <= 253 and len(value) <= 2048


def _key_word(kind):
    return "key" if kind == "statement" else "slug"


def _record_fields(spec):
    return _RECORD_FIELDS[spec.name]


def _allowed_fields(spec):
    return _ALLOWED_FIELDS[spec.name]


def _defaults(spec):
    """A new record's values where the line leaves a field out (a fresh copy each time)."""
    return {
        name: list(value) if isinstance(value, list) else value
        for name, value in _DEFAULT_RECORDS[spec.name].items()
    }


def _default_record(spec):
    record = {"type": spec.name}
    for f in spec.fields:
        if f.kind == "text":
            default = spec.model._meta.get_field(f.name).get_default()
            record[f.name] = default if isinstance(default, str) else ""
        elif f.kind in ("names", "refs"):
            record[f.name] = []
        else:
            record[f.name] = None
    return record


_RECORD_FIELDS = {name: ["type", *spec.field_names] for name, spec in RECORD_TYPES.items()}
_ALLOWED_FIELDS = {name: frozenset(fields) for name, fields in _RECORD_FIELDS.items()}
_DEFAULT_RECORDS = {name: _default_record(spec) for name, spec in RECORD_TYPES.items()}


@functools.lru_cache(maxsize=20_000)
def _parsed_partial_date(value):
    """``parse_partial_date``, remembered: an archive repeats its dates many times."""
    return parse_partial_date(value)


def _plain_values(spec, record):
    """Model attributes for the record's own fields (no relations)."""
    values = {}
    for f in spec.fields:
        value = record[f.name]
        if f.kind in ("text", "key", "names", "offset"):
            values[f.attr or f.name] = value
        elif f.kind == "partial_date":
            if value is None:
                values[f.name], values[f"{f.name}_precision"] = None, "day"
            else:
                values[f.name], values[f"{f.name}_precision"] = _parsed_partial_date(value)
        elif f.kind == "date":
            values[f.name] = datetime.date.fromisoformat(value) if value else None
    return values


def _check_period(item):
    start, end = item.record["start_date"], item.record["end_date"]
    if end is not None and parse_partial_date(end)[0] < parse_partial_date(start)[0]:
        item.errors.append(f"'end_date' {end} comes before 'start_date' {start}: correct one")


def _messages(error):
    if hasattr(error, "error_dict"):
        return [
            f"{name!r}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
