"""Importing an archive file: check every line and write it all or nothing, in one pass.

The whole import runs in one transaction. Each line is read once (``reading``) and checked
(``checking``: JSON, fields, dates, references, field validation, offsets against the
article's body); records of one type that follow each other are handled a batch at a time,
with one query per batch for what they name (never one per line), and the good ones are
written straight away as plain rows (``writing``, through ``statements.bulk``), so that
later lines find them in the database as they would find any other record. When any line
is bad, or when only checking (``write=False``), everything is rolled back at the end:
nothing was written, and every bad line is reported.

Memory stays bounded by the batch, not the file: what earlier lines defined is looked up in
the database (the transaction sees its own rows); only the keys of bad lines, the line
numbers of created records (two integers each) and caches with a cap are kept.

A record may name records above it in the file or already in the database; ``parent`` and
``in_reply_to`` may also point below, and are set once everything else is written.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from statements import caching

from .checking import Checker, Ledger, show_key
from .reading import open_lines, parsed_lines
from .records import FORMAT_VERSION, RECORD_TYPES, TYPES
from .writing import DeferredIndexes, Writer

BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000


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
                # Rows went in through statements.bulk, past the signals: the public pages'
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


class _Import:
    def __init__(self, source, *, name, write=True, user=None, progress=None):
        self.source = source
        self.write = write
        self.progress = progress
        self.report = ImportReport(name=name)
        self.ledger = Ledger()
        self.checker = Checker(self.ledger, problem=self.problem)
        self.writer = Writer(self.ledger, user=user, batch_size=BATCH_SIZE)
        self.batch_type, self.batch = None, []
        self.records_read = 0
        self.progressed = 0

    def run(self):
        handle, close = open_lines(self.source)
        phase = "importing" if self.write else "checking"
        deferred = DeferredIndexes()
        deferring = deferred.begin()
        if deferring:
            self.ledger.articles_with_statements = bytearray()
        try:
            for number, chunk in parsed_lines(handle):
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
        self.checker.check_self_refs()
        self.writer.set_self_refs(self.checker.pending_self_refs)
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

    def flush(self):
        """Check the batch, count what it creates and changes, and write its good records.

        Written even after a bad line (the transaction is then rolled back): the database
        is what later lines are checked against.
        """
        kind, items = self.batch_type, self.batch
        self.batch_type, self.batch = None, []
        if not items:
            return
        spec = RECORD_TYPES[kind]
        self.ledger.trim()
        good, unwritable = self.checker.check(spec, items)
        for item in good:
            if item.existing is None:
                self.report.created[kind] += 1
            elif item.record == item.existing_record:
                self.report.unchanged[kind] += 1
            else:
                self.report.updated[kind] += 1
        self.writer.save(spec, [item for item in good if id(item) not in unwritable])
        for item in items:
            if item.errors:
                self.report_item(kind, item)

    def report_item(self, kind, item):
        key = item.key if item.key is not None else item.given.get("slug")
        label = f"{kind} {show_key(key)}" if key is not None else kind
        for message in item.errors:
            self.problem(item.line, f"{label}: {message}")
