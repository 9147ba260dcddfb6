"""Published counts kept by the database as statements are written (see docs/tallies.md).

Triggers (created in migration 0008, SQL in ``statements.tallies``) keep these tables exact
in the same transaction as every write, whatever path it takes: ``save()``, ``update()``,
``bulk_create()``, m2m changes, COPY, raw SQL. So the public pages read counts over the whole
archive as one indexed lookup instead of aggregating every published statement.

The rows point at topics and officials without foreign-key constraints: the triggers create
and delete them with their topic or official, and a constraint would only make Django's
deletion order matter.
"""

from django.db import models
from django.db.models import Q


def _untied(model, **kwargs):
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs
    )


def _tally_of(model):
    """The key of a tally: the topic or official it counts for (``topic.tally``)."""
    return models.OneToOneField(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="tally",
    )


class TopicLineage(models.Model):
    """One row per topic and each topic above it, itself included (a closure table)."""

    topic = _untied("statements.Topic")
    ancestor = _untied("statements.Topic")

    class Meta:
        ordering = ["topic", "ancestor"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "ancestor"], name="topic_lineage_unique"),
        ]
        indexes = [models.Index(fields=["ancestor", "topic"], name="topic_lineage_ancestor_idx")]

    def __str__(self):
        return f"{self.topic_id} under {self.ancestor_id}"


class Tally(models.Model):
    """A count of published statements, changed only by the triggers and the recount."""

    published = models.IntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(published__gte=0), name="%(class)s_not_negative"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}: {self.published}"


class TopicTally(Tally):
    """Published statements filed under a topic or any topic below it, each counted once."""

    topic = _tally_of("statements.Topic")

    class Meta(Tally.Meta):
        ordering = ["topic"]


class OfficialTally(Tally):
    """An official's published statements."""

    official = _tally_of("statements.Official")

    class Meta(Tally.Meta):
        ordering = ["official"]


class ArchiveTally(Tally):
    """The archive's published statements: one row, id 1 (absent means none)."""

    class Meta(Tally.Meta):
        ordering = ["id"]
        constraints = [
            *Tally.Meta.constraints,
            models.CheckConstraint(condition=Q(id=1), name="archive_tally_single_row"),
        ]


class TallyPause(models.Model):
    """While a row exists (visible to a transaction), the triggers do nothing.

    For the bulk loaders, which recount everything afterwards (``statements.tallies.paused``).
    A row inserted inside a transaction pauses only that transaction: no one else sees it.
    """

    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.reason
