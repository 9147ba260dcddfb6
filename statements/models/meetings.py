"""Where statements are made: talks, press conferences, summits."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

from statements.caching import ArchiveQuerySet

from .constraints import ends_after_start
from .counting import published_statements_count
from .dates import format_partial_date, precision_check, precision_field
from .slugs import KeepsFormerSlugs
from .statements import Statement, StatementStatus
from .text import validate_xml_text


class MeetingKind(models.TextChoices):
    BILATERAL_TALKS = "bilateral_talks", "Bilateral talks"
    MULTILATERAL_TALKS = "multilateral_talks", "Multilateral talks"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    SUMMIT = "summit", "Summit"
    PHONE_CALL = "phone_call", "Phone call"
    UN_SESSION = "un_session", "UN session"
    INTERVIEW = "interview", "Interview"
    SPEECH = "speech", "Speech"
    VISIT = "visit", "Official visit"
    OTHER = "other", "Other"


class MeetingQuerySet(ArchiveQuerySet):
    def recent(self):
        return self.order_by("-start_date", "title")

    def attended_by(self, official):
        """Meetings the official took part in or spoke at (a published statement)."""
        # Two semi-joins, each served by an index, rather than an OR across two joins with
        # DISTINCT, which has to read every meeting's participants and statements.
        spoke_at = Statement.objects.filter(
            speaker=official, status=StatementStatus.PUBLISHED, meeting__isnull=False
        ).values("meeting_id")
        took_part = Meeting.participants.through.objects.filter(official=official)
        return self.filter(Q(pk__in=took_part.values("meeting_id")) | Q(pk__in=spoke_at))

    def with_published_counts(self):
        """Each meeting's ``published_count``, counted for the meetings read only."""
        return self.annotate(published_count=published_statements_count("meeting"))


class Meeting(KeepsFormerSlugs):
    Kind = MeetingKind

    title = models.CharField(max_length=300, validators=[validate_xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    start_date = models.DateField()
    start_date_precision = precision_field("start date precision")
    end_date = models.DateField(null=True, blank=True)
    end_date_precision = precision_field("end date precision")
    city = models.CharField(max_length=200, blank=True, validators=[validate_xml_text])
    country = CountryField(blank=True)
    participants = models.ManyToManyField(
        "statements.Official", blank=True, related_name="meetings"
    )
    description = models.TextField(blank=True, validators=[validate_xml_text])
    articles = models.ManyToManyField(
        "statements.Article", blank=True, related_name="meetings", verbose_name="related articles"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            ends_after_start(name="meeting_ends_after_it_starts", noun="meeting"),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            precision_check("start_date_precision", name="meeting_start_precision_valid"),
            precision_check("end_date_precision", name="meeting_end_precision_valid"),
        ]
        indexes = [models.Index(fields=["start_date"], name="meeting_start_idx")]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def get_absolute_url(self):
        return reverse("meeting_detail", kwargs={"slug": self.slug})

    @property
    def date_display(self):
        start = format_partial_date(self.start_date, self.start_date_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_partial_date(self.end_date, self.end_date_precision)}"
        return start

    @property
    def place_display(self):
        return ", ".join(
            part for part in (self.city, self.country.name if self.country else "") if part
        )
