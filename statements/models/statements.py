"""The heart of the archive: a statement attributed to an official, with its provenance."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import Truncator
from django_countries.fields import CountryField

from statements import search
from statements.caching import ArchiveQuerySet

from .dates import (
    format_partial_date,
    iso_partial_date,
    precision_check,
    precision_field,
    text_direction,
    truncate_date,
    validate_language_tag,
)
from .tallies import ArchiveTally
from .text import validate_xml_text
from .topics import Topic


class StatementKind(models.TextChoices):
    DIRECT = "direct", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def same_words(a, b):
    return " ".join(a.split()) == " ".join(b.split())


class StatementQuerySet(ArchiveQuerySet):
    def published(self):
        return self.filter(status=StatementStatus.PUBLISHED)

    def published_total(self):
        """How many statements the whole archive has published, read from its tally.

        Ignores any filter on this QuerySet: it is ``Statement.objects.published().count()``
        without counting (see ``statements.tallies``).
        """
        return ArchiveTally.objects.values_list("published", flat=True).first() or 0

    def drafts(self):
        return self.filter(status=StatementStatus.DRAFT)

    def by_officials(self, officials):
        return self.filter(speaker__in=officials)

    def about_topics(self, topics):
        """Statements on these topics or any topic below them."""
        # A semi-join (``pk IN (SELECT statement_id ...)``), not a join with DISTINCT: a
        # statement on several of the topics counts once, and the list can still be read in
        # date order from the index and stop after a page, where DISTINCT over a join had to
        # collect and sort every statement of a large subtree first.
        filed = Statement.topics.through.objects.filter(topic__in=Topic.objects.below(topics))
        return self.filter(pk__in=filed.values("statement_id"))

    def said_between(self, start=None, end=None):
        queryset = self
        if start is not None:
            queryset = queryset.filter(said_on__gte=start)
        if end is not None:
            queryset = queryset.filter(said_on__lte=end)
        return queryset

    def search(self, text, *, candidate_limit=None, within=None):
        """Statements matching the reader's query, annotated with ``search_rank``.

        ``candidate_limit`` keeps only that many matches; ``within`` (a ``search.Scope``)
        says what this queryset's filters already require (see ``statements.search``).
        """
        return search.search(self, text, candidate_limit=candidate_limit, within=within)

    def by_relevance(self):
        return self.order_by("-search_rank", "-said_on", "-pk")

    def newest_first(self):
        return self.order_by("-said_on", "-pk")

    def oldest_first(self):
        return self.order_by("said_on", "pk")

    def in_order(self, pks):
        """The statements with these primary keys, as a list in the order given."""
        found = self.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def with_related(self):
        """Everything a statement card shows, in a constant number of queries."""
        return self.select_related(
            "speaker", "meeting", "article", "article__outlet"
        ).prefetch_related("topics", "speaker__roles__organization")


def editor_field():
    """Who created or last changed a statement; kept (as NULL) when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class Statement(models.Model):
    Kind = StatementKind
    Status = StatementStatus

    speaker = models.ForeignKey(
        "statements.Official", on_delete=models.PROTECT, related_name="statements"
    )
    attribution = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_xml_text],
        help_text="How the source named the speaker, e.g. 'the Russian Foreign Minister'.",
    )
    text = models.TextField(
        validators=[validate_xml_text], help_text="The words as the source printed them."
    )
    kind = models.CharField(
        max_length=10, choices=StatementKind.choices, default=StatementKind.DIRECT
    )
    language = models.CharField(
        max_length=35, default="en", validators=[validate_language_tag], help_text="BCP 47 tag."
    )
    translation = models.TextField(
        "English translation",
        blank=True,
        validators=[validate_xml_text],
        help_text="When the text is not in English.",
    )
    said_on = models.DateField("date said")
    said_on_precision = precision_field("date precision")
    place_city = models.CharField(
        "city", max_length=200, blank=True, validators=[validate_xml_text]
    )
    place_country = CountryField("country", blank=True)
    meeting = models.ForeignKey(
        "statements.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    article = models.ForeignKey(
        "statements.Article",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name="source article",
    )
    start_offset = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Where the text starts in the article's body (characters from 0). Left "
        "blank, it is found for you when the text stands exactly once in the article.",
    )
    end_offset = models.PositiveIntegerField(null=True, blank=True)
    topics = models.ManyToManyField("statements.Topic", blank=True, related_name="statements")
    mentions = models.ManyToManyField(
        "statements.Official",
        blank=True,
        related_name="mentioned_in",
        verbose_name="officials mentioned",
    )
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="replies to",
    )
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    curator_note = models.TextField(blank=True, validators=[validate_xml_text])
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every save, so that an edit form opened on an older version "
        "cannot overwrite newer work.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = editor_field()
    updated_by = editor_field()

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-pk"]
        permissions = [("publish_statement", "Can publish and unpublish statements")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=StatementKind.values), name="statement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values), name="statement_status_valid"
            ),
            precision_check("said_on_precision", name="statement_said_on_precision_valid"),
            models.CheckConstraint(
                condition=Q(start_offset__isnull=True, end_offset__isnull=True)
                | Q(
                    start_offset__isnull=False,
                    end_offset__isnull=False,
                    end_offset__gt=F("start_offset"),
                ),
                name="statement_offsets_form_a_span",
                violation_error_message="Give both offsets, the end after the start, or neither.",
            ),
            models.CheckConstraint(
                condition=~Q(in_reply_to=F("pk")),
                name="statement_not_a_reply_to_itself",
                violation_error_message="A statement cannot reply to itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-said_on", "-id"], name="statement_status_date_idx"),
            models.Index(fields=["speaker", "status", "-said_on"], name="statement_speaker_idx"),
            models.Index(fields=["article", "start_offset"], name="statement_article_idx"),
        ]

    def __str__(self):
        return f"{self.speaker}: “{Truncator(self.text).words(12)}”"

    def save(self, *args, **kwargs):
        """Save and raise the version; a revision is recorded by ``revisions.record_on_save``."""
        if self.pk is not None and not self._state.adding:
            # Counted by the database, so that two saves from stale copies still both count.
            self.version = F("version") + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("statement_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.status == StatementStatus.PUBLISHED

    @property
    def said_on_display(self):
        return format_partial_date(self.said_on, self.said_on_precision)

    @property
    def said_on_iso(self):
        return iso_partial_date(self.said_on, self.said_on_precision)

    @property
    def direction(self):
        return text_direction(self.language)

    @property
    def speaker_role(self):
        """The role the speaker held on the day (uses prefetched roles when present)."""
        return self.speaker.role_on(self.said_on)

    @property
    def place_display(self):
        country = self.place_country.name if self.place_country else ""
        return ", ".join(part for part in (self.place_city, country) if part)

    def clean(self):
        errors = {}
        self.said_on = truncate_date(self.said_on, self.said_on_precision)
        if self.pk and self.in_reply_to_id == self.pk:
            errors["in_reply_to"] = "A statement cannot reply to itself."
        try:
            article = self.article
        except ObjectDoesNotExist:
            article = None
        if article is not None and self.text:
            errors.update(self._check_span(article.body))
        if errors:
            raise ValidationError(errors)

    def _check_span(self, body):
        start, end = self.start_offset, self.end_offset
        if start is None and end is None:
            if body.count(self.text) == 1:
                self.start_offset = body.index(self.text)
                self.end_offset = self.start_offset + len(self.text)
            return {}
        if start is None or end is None:
            return {"end_offset": "Give both offsets or neither."}
        if end <= start:
            return {"end_offset": "The end offset must come after the start offset."}
        if end > len(body):
            return {"end_offset": f"The article is only {len(body)} characters long."}
        if not same_words(body[start:end], self.text):
            return {
                "start_offset": "At these offsets the article reads "
                f"“{Truncator(body[start:end]).chars(120)}”, not the statement's text."
            }
        return {}
