"""Checking records against one another and the database, a batch of one type at a time.

``Checker.check(spec, items)`` works out each record's key, finds records defined twice and
those the database already holds (one or two queries per batch), merges what a line gives
with what is stored, checks the records it names, and validates every field as
``full_clean()`` would, through compiled quick checks where a field allows one (see
``_quick_check``). What the import has met so far is kept in a ``Ledger``, within caps:
past them, the database (which holds every batch written above) answers again.
"""

import datetime
import functools
import re
import types
from array import array

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import ExpressionWrapper
from django.db.models.expressions import RawSQL

from statements.models import Article, Official, Statement, Topic
from statements.models.dates import parse_partial_date
from statements.models.people import clean_name_list, default_sort_name
from statements.models.statements import same_words
from statements.models.text import UNSAFE, XmlText

from .reading import RECORD_FIELDS, parsed_partial_date
from .records import (
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

# Caps on what is kept between batches; past them, the database is asked again.
KNOWN_CAP = 200_000  # keys -> primary keys, per type
BODIES_CAP = 20_000  # article bodies
# Values of at most this length that passed a field's validation are not checked again.
CACHED_VALUE_LENGTH = 200
VALID_VALUES_CAP = 5_000  # per field


class Capped(dict):
    """A cache that forgets everything once it has grown past ``cap`` entries.

    Only between batches (``trim``): within one, what a query just found stays found.
    """

    def __init__(self, cap):
        super().__init__()
        self.cap = cap

    def trim(self):
        if len(self) > self.cap:
            self.clear()


class LinesByPk:
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


class Ledger:
    """What the import knows of the records met so far; the checker and the writer share it."""

    def __init__(self):
        # Records met in the file that are not in the database: key -> line. Bad lines, and
        # good lines that name a bad one (they cannot be written, but count as defined).
        self.unwritten = {t: {} for t in TYPES}
        self.lines = {t: LinesByPk() for t in TYPES}
        # key -> pk of records known to be in the database.
        self.known = {t: Capped(KNOWN_CAP) for t in TYPES}
        self.bodies = Capped(BODIES_CAP)  # article slug -> body, of recently written articles
        # Set when the statements table is empty at the start: then only the articles marked
        # here (one byte per article's primary key) can have statements in the database.
        self.articles_with_statements = None

    def trim(self):
        """Between batches: forget what has grown past its cap."""
        for cache in (*self.known.values(), self.bodies):
            cache.trim()

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


class Checker:
    """Checks batches of records; ``problem(line, message)`` hears what concerns no batch."""

    def __init__(self, ledger, *, problem):
        self.ledger = ledger
        self.problem = problem
        self.topic_names = {}
        self.parents = {"organization": {}, "topic": {}}
        self.parent_lines = {"organization": {}, "topic": {}}
        self.pending_self_refs = []  # (line, type, own key, target key)
        self.field_checks = {}
        self.valid_values = {}

    def check(self, spec, items):
        """Check a batch of one type; return the good items and the ids of those not to write.

        Each bad item's ``errors`` say why. A good item may still name a record on a bad
        line: it is not written (its ``id()`` is in the set returned), and not reported.
        """
        kind, ledger = spec.name, self.ledger
        in_batch = {}
        for item in items:
            try:
                item.key = self.key_of(kind, item.given)
            except ValueError as error:
                item.errors.append(str(error))
                continue
            first = in_batch.get(item.key) or ledger.unwritten[kind].get(item.key)
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
        for item in items:
            if item.key is not None and (item.errors or id(item) in unwritable):
                ledger.unwritten[kind].setdefault(item.key, item.line)
        return [item for item in items_ok if not item.errors], unwritable

    def key_of(self, kind, given):
        if kind != "statement":
            return record_key(kind, given)
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
            article_ids = self.ledger.article_ids({key.partition("/")[0] for key in keys})
            if (marked := self.ledger.articles_with_statements) is not None:
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
                    and before not in self.ledger.unwritten["statement"]
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
        lines = self.ledger.lines[kind]
        for item in items:
            if item.key in existing:
                item.existing, item.existing_record = existing[item.key]
                first = lines.get(item.existing.pk)
                if first is not None:
                    item.errors.append(_defined_twice(kind, first))
                    continue
                lines.add(item.existing.pk, item.line)
                self.ledger.known[kind][item.key] = item.existing.pk

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
        return {name: record[name] for name in RECORD_FIELDS[spec.name]}

    # -- references ------------------------------------------------------------------------

    def check_references(self, spec, items):
        """Flag names of nothing; return the ids of items that name a record not written."""
        known, unwritten = self.ledger.known, self.ledger.unwritten
        wanted = {}
        for item in items:
            for f, value in spec.references(item.record):
                if value not in known[f.target]:
                    wanted.setdefault(f.target, set()).add(value)
        for target, slugs in wanted.items():
            model = RECORD_TYPES[target].model
            for slug, pk in model.objects.filter(slug__in=slugs).values_list("slug", "pk"):
                known[target][slug] = pk
        unwritable = set()
        for item in items:
            for f, value in spec.references(item.record):
                if value in known[f.target]:
                    continue
                if value in unwritten[f.target]:
                    unwritable.add(id(item))  # a bad line above: reported there
                    continue
                item.errors.append(
                    f"{f.name!r} names the {f.target} {value!r}, which is neither in the "
                    "database nor above this line in the file: add it above this line "
                    "or correct the name"
                )
            if spec.self_ref:
                self.check_self_ref(spec, item)
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

    def check_self_refs(self):
        """Once the whole file is read: every parent and reply names a record, and no loop."""
        unresolved = {}
        ledger = self.ledger
        for line, kind, key, target in self.pending_self_refs:
            if target is None or target in ledger.unwritten[kind] or target in ledger.known[kind]:
                continue
            unresolved.setdefault(kind, []).append((line, key, target))
        for kind, entries in unresolved.items():
            in_db = set(ledger.pks_for(kind, {target for _, _, target in entries}))
            for line, key, target in entries:
                if target not in in_db:
                    spec = RECORD_TYPES[kind]
                    self.problem(
                        line,
                        f"{kind} {show_key(key)}: {spec.self_ref!r} names the {kind} "
                        f"{target!r}, which is neither in the database nor in the file: add it "
                        "or correct the name",
                    )
        for kind in ("organization", "topic"):
            self.check_loops(kind)

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

    # -- model validation --------------------------------------------------------------------

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
        known = self.ledger.bodies
        slugs = {item.record["article"] for item in items}
        bodies = {slug: known[slug] for slug in slugs if slug in known}
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


def show_key(key):
    if isinstance(key, tuple):
        return "(" + ", ".join(map(str, key)) + ")"
    return repr(key)


def _defined_twice(kind, first):
    return f"is already defined on line {first}: keep one record per {kind} (merge the two lines)"


def _quick_check(f):
    """A fast test that a value surely passes ``f.clean()``, or None when there is none.

    For text fields whose only checks are a length, a regular expression (slugs, language
    tags), a URL or the characters XML can carry: what passes the test passes ``clean()``;
    what does not is cleaned as before, so the messages are always ``clean()``'s own.
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
        elif kind is XmlText:
            tests.append(_xml_text)
        else:
            return None
    return lambda value: type(value) is str and value != "" and all(t(value) for t in tests)


def _xml_text(value):
    return UNSAFE.search(value) is None


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


_DEFAULT_RECORDS = {name: _default_record(spec) for name, spec in RECORD_TYPES.items()}


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
                values[f.name], values[f"{f.name}_precision"] = parsed_partial_date(value)
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
