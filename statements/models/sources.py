"""Where statements are reported: outlets and their articles."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

from statements.caching import ArchiveQuerySet

from .constraints import unique_when_given
from .counting import published_statements_count
from .dates import format_partial_date, precision_check, precision_field, validate_language_tag
from .slugs import KeepsFormerSlugs
from .text import validate_xml_text


class Outlet(models.Model):
    name = models.CharField(max_length=200, validators=[validate_xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True, validators=[validate_xml_text])
    country = CountryField(blank=True)
    language = models.CharField(
        max_length=35, blank=True, validators=[validate_language_tag], help_text="BCP 47 tag."
    )

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(ArchiveQuerySet):
    def with_published_counts(self):
        """Each article's ``published_count``, counted for the articles read only."""
        return self.annotate(published_count=published_statements_count("article"))


class Article(KeepsFormerSlugs):
    title = models.CharField(max_length=500, validators=[validate_xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="Leave blank when the source does not say clearly; explain in the note.",
    )
    url = models.URLField("URL", max_length=1000, blank=True, validators=[validate_xml_text])
    published_on = models.DateField(null=True, blank=True, help_text="Blank when unknown.")
    published_on_precision = precision_field("publication date precision")
    byline = models.CharField(max_length=300, blank=True, validators=[validate_xml_text])
    language = models.CharField(
        max_length=35, default="en", validators=[validate_language_tag], help_text="BCP 47 tag."
    )
    body = models.TextField(
        validators=[validate_xml_text],
        help_text="The full text as published. Statement offsets count characters of this text.",
    )
    retrieved_on = models.DateField(null=True, blank=True, help_text="When it was captured.")
    curator_note = models.TextField(
        blank=True,
        validators=[validate_xml_text],
        help_text="What is known and not known about this source.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            unique_when_given(
                "url",
                name="article_url_unique",
                violation_error_message="Another article already has this URL.",
            ),
            precision_check("published_on_precision", name="article_published_precision_valid"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]
        indexes = [models.Index(fields=["published_on"], name="article_published_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", kwargs={"slug": self.slug})

    @property
    def published_display(self):
        if self.published_on is None:
            return "date unknown"
        return format_partial_date(self.published_on, self.published_on_precision)
