"""Filling the archive: ``generate_corpus(statements=N, seed=S)``."""

import time
from dataclasses import dataclass, field

from .. import bulk
from ..models import FormerSlug, Statement, StatementRevision
from .synthetic import TABLES, SyntheticArchive


class ArchiveNotEmpty(Exception):
    """The database already holds statements and --force was not given."""


@dataclass
class CorpusSummary:
    statements: int
    seed: int
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def statements_per_second(self):
        return self.statements / self.seconds if self.seconds else 0.0

    def lines(self):
        counts = ", ".join(f"{n:,} {key.replace('_', ' ')}s" for key, n in self.counts.items())
        return [
            f"Generated {self.statements:,} statements (seed {self.seed}) in "
            f"{self.seconds:.1f} s: {self.statements_per_second:,.0f} statements/s.",
            f"Rows: {counts}.",
            *self.notes,
        ]


def _quiet(message):
    pass


def generate_corpus(*, statements, seed, force=False, progress=_quiet, chunk_size=20_000):
    """Fill the archive with ``statements`` synthetic statements, all or nothing.

    Refuses when statements exist, unless ``force``: then every archive row (statements,
    articles, meetings, topics, officials, organisations, outlets) is deleted first.
    """
    existing = Statement.objects.count()
    if existing and not force:
        raise ArchiveNotEmpty(
            f"This database already holds {existing:,} statements. generate_corpus fills an "
            "empty archive: use a fresh database, or pass --force to DELETE the whole archive "
            "(statements, articles, meetings, topics, officials) and generate it anew."
        )
    started = time.monotonic()
    archive = SyntheticArchive(statements=statements, seed=seed)
    wipe = []
    if existing or force:
        # Every row of the archive's tables, the statements' revisions (SQLite has no cascade
        # to remove them) and the slugs they retired.
        wipe = [
            StatementRevision._meta.db_table,
            *reversed([table.name for table in TABLES.values()]),
            FormerSlug._meta.db_table,
        ]
    loader = bulk.load(
        TABLES,
        archive,
        reason="generate_corpus",
        wipe=wipe,
        progress=progress,
        chunk_size=chunk_size,
    )
    summary = CorpusSummary(statements=statements, seed=seed, counts=loader.counts)
    summary.seconds = time.monotonic() - started
    summary.notes = loader.notes.lines()
    return summary
