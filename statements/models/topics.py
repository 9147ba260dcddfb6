"""What statements are about: a hierarchy of topics."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from statements.caching import ArchiveQuerySet

from .hierarchy import refuse_parent_loops
from .slugs import KeepsFormerSlugs
from .tallies import TopicLineage
from .text import validate_xml_text


class TopicQuerySet(ArchiveQuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def below(self, topics):
        """These topics and every topic below them, as a lazy subquery on the lineage.

        ``topics``: a topic, a primary key, or several of either. The lineage
        (``TopicLineage``, one row per topic and each topic above it) is kept by the database
        as topics are written (``statements.tallies``): no walk of the tree in Python.
        """
        if isinstance(topics, (Topic, int)):
            topics = [topics]
        ids = [getattr(topic, "pk", topic) for topic in topics]
        return self.filter(
            pk__in=TopicLineage.objects.filter(ancestor_id__in=ids).values("topic_id")
        )

    def spoken_on_by(self, official):
        """The topics of an official's published statements, with ``published_count``."""
        return (
            self.filter(statements__in=official.statements.published())
            .annotate(published_count=models.Count("statements"))
            .order_by("-published_count", "name")
        )

    def published_counts(self):
        """{topic pk: published statements on it or on any topic below it}, in one query.

        A statement filed under a topic and its subtopic counts once. Read from the tallies
        the database keeps on every write (``statements.tallies``); the slow count they
        replace is ``statements.tallies.topic_counts_from_scratch``.
        """
        return {
            pk: published or 0
            for pk, published in Topic.objects.order_by().values_list("pk", "tally__published")
        }


class Topic(KeepsFormerSlugs):
    name = models.CharField(max_length=200, validators=[validate_xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True, validators=[validate_xml_text])

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="topic_not_its_own_parent",
                violation_error_message="A topic cannot be its own parent.",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="topic_name_unique_under_parent",
                violation_error_message="This parent already has a topic with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic_detail", kwargs={"slug": self.slug})

    def clean(self):
        refuse_parent_loops(self)
