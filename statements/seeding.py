"""Load the seed archive (``seeds/verbatim.toml``) into the database, idempotently."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Article, Meeting, Official, Organization, Outlet, Role, Statement, Topic
from .models.dates import parse_partial_date


class SeedError(Exception):
    """The seed file is unreadable or refers to something it does not define."""


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def count(self, outcome, label):
        bucket = getattr(self, outcome)
        bucket[label] = bucket.get(label, 0) + 1

    @property
    def changed_anything(self):
        return bool(self.created or self.updated)

    def summary(self):
        def fmt(bucket):
            return ", ".join(f"{n} {label}" for label, n in sorted(bucket.items())) or "nothing"

        return (
            f"created {fmt(self.created)}; updated {fmt(self.updated)}; "
            f"unchanged {fmt(self.unchanged)}"
        )


def load_seed_file(path, *, report=None):
    """Create or update everything the seed file describes, all or nothing."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SeedError(f"{path}: cannot read the seed file: {error}") from error
    if data.get("format_version") != 1:
        raise SeedError(f"{path}: expected format_version = 1")
    report = report or LoadReport()
    loader = _Loader(path, report)
    with transaction.atomic():
        loader.load(data)
    return report


class _Loader:
    def __init__(self, path, report):
        self.path = path
        self.report = report

    def load(self, data):
        for record in data.get("organizations", []):
            self.organization(record)
        for record in data.get("outlets", []):
            self.upsert(
                Outlet,
                {"slug": record["slug"]},
                self.plain(record, "name", "homepage", "country", "language"),
            )
        for record in data.get("officials", []):
            self.official(record)
        for record in data.get("topics", []):
            values = self.plain(record, "name", "description")
            values["parent"] = self.get(Topic, record.get("parent"))
            self.upsert(Topic, {"slug": record["slug"]}, values)
        for record in data.get("articles", []):
            self.article(record)
        for record in data.get("meetings", []):
            self.meeting(record)
        defaults = data.get("statement_defaults", {})
        for number, record in enumerate(data.get("statements", []), start=1):
            self.statement({**defaults, **record}, number)

    # -- records -------------------------------------------------------------------------

    def organization(self, record):
        values = self.plain(record, "name", "kind", "country")
        values["parent"] = self.get(Organization, record.get("parent"))
        self.upsert(Organization, {"slug": record["slug"]}, values)

    def official(self, record):
        values = self.plain(record, "name", "sort_name", "country", "wikidata_id", "biography")
        values["other_names"] = record.get("other_names", [])
        official = self.upsert(Official, {"slug": record["slug"]}, values)
        for role in record.get("roles", []):
            start, start_precision = self.date(role["start"], f"role of {official.slug}")
            values = {"start_date_precision": start_precision, "end_date": None}
            if role.get("end"):
                end, end_precision = self.date(role["end"], f"role of {official.slug}")
                values.update(end_date=end, end_date_precision=end_precision)
            lookup = {
                "official": official,
                "title": role["title"],
                "organization": self.get(Organization, role["organization"]),
                "start_date": start,
            }
            self.upsert(Role, lookup, values)

    def article(self, record):
        values = self.plain(record, "title", "url", "byline", "language", "body", "curator_note")
        values["outlet"] = self.get(Outlet, record.get("outlet"))
        for name in ("published_on", "retrieved_on"):
            if record.get(name):
                day, precision = self.date(record[name], record["slug"])
                values[name] = day
                if name == "published_on":
                    values["published_on_precision"] = precision
        if record.get("source_file"):
            self.check_body_stands_in_source(record)
        self.upsert(Article, {"slug": record["slug"]}, values)

    def meeting(self, record):
        values = self.plain(record, "title", "kind", "city", "country", "description")
        values["start_date"], values["start_date_precision"] = self.date(
            record["start"], record["slug"]
        )
        if record.get("end"):
            values["end_date"], values["end_date_precision"] = self.date(
                record["end"], record["slug"]
            )
        meeting = self.upsert(Meeting, {"slug": record["slug"]}, values)
        self.set_related(meeting, "participants", Official, record.get("participants", []))
        self.set_related(meeting, "articles", Article, record.get("articles", []))

    def statement(self, record, number):
        where = f"statement {number}"
        article = self.get(Article, record["article"])
        speaker = self.get(Official, record["speaker"])
        said_on, precision = self.date(record["said_on"], where)
        values = self.plain(
            record,
            "attribution",
            "kind",
            "language",
            "translation",
            "place_city",
            "place_country",
            "status",
            "curator_note",
        )
        values.update(
            said_on=said_on,
            said_on_precision=precision,
            meeting=self.get(Meeting, record.get("meeting")),
            start_offset=record.get("start"),
            end_offset=record.get("end"),
        )
        lookup = {"article": article, "speaker": speaker, "text": record["text"]}
        statement = self.upsert(Statement, lookup, values, where=where)
        self.set_related(statement, "topics", Topic, record.get("topics", []))
        self.set_related(statement, "mentions", Official, record.get("mentions", []))

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def plain(record, *names):
        return {name: record[name] for name in names if name in record}

    def date(self, text, where):
        try:
            return parse_partial_date(str(text))
        except ValidationError as error:
            raise SeedError(f"{self.path}: {where}: {error.messages[0]}") from error

    def get(self, model, slug):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise SeedError(
                f"{self.path}: no {model._meta.verbose_name} with slug '{slug}' is defined "
                "above the record that names it"
            ) from None

    def upsert(self, model, lookup, values, where=None):
        """Create, update only what differs, or leave alone; validate before writing."""
        label = model._meta.verbose_name_plural
        instance = model.objects.filter(**lookup).first()
        outcome = "unchanged"
        if instance is None:
            instance, outcome = model(**lookup, **values), "created"
        else:
            for name, value in values.items():
                if getattr(instance, name) != value:
                    setattr(instance, name, value)
                    outcome = "updated"
        if outcome != "unchanged":
            try:
                instance.full_clean()
            except ValidationError as error:
                name = where or lookup.get("slug") or lookup
                raise SeedError(f"{self.path}: {label} {name}: {error.message_dict}") from error
            instance.save()
        self.report.count(outcome, label)
        return instance

    def set_related(self, instance, name, model, slugs):
        wanted = {self.get(model, slug).pk for slug in slugs}
        manager = getattr(instance, name)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            self.report.count("updated", f"{instance._meta.verbose_name} {name}")

    def check_body_stands_in_source(self, record):
        source = (self.path.parent / record["source_file"]).read_text(encoding="utf-8")
        for paragraph in record["body"].split("\n\n"):
            if paragraph.strip() not in source:
                raise SeedError(
                    f"{self.path}: article {record['slug']}: a paragraph of the body is not in "
                    f"{record['source_file']}: “{paragraph[:80]}…”"
                )
