"""Who speaks: officials, the organisations they serve and their roles over time."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_countries.fields import CountryField

from statements.caching import ArchiveQuerySet

from .constraints import ends_after_start, unique_when_given
from .dates import format_partial_date, precision_check, precision_field
from .hierarchy import refuse_parent_loops
from .slugs import KeepsFormerSlugs
from .statements import Statement
from .text import validate_xml_text

validate_wikidata_id = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata ID is a Q followed by digits, such as Q22316.", "invalid_qid"
)


def clean_name_list(names):
    """Strip, drop blanks and case-insensitive repeats, keep the curator's order."""
    seen, result = set(), []
    for name in names or []:
        name = " ".join(str(name).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


class OfficialQuerySet(ArchiveQuerySet):
    def with_published_counts(self):
        """Each official's ``published_count``, read from the tallies (no statement read)."""
        return self.annotate(published_count=Coalesce(F("tally__published"), 0))

    def most_quoted(self):
        """Officials with published statements, the most quoted first (from the tallies)."""
        return (
            self.annotate(published_count=F("tally__published"))
            .filter(published_count__gt=0)
            .order_by("-published_count", "sort_name", "name")
        )

    def most_quoted_on(self, topics, limit=10):
        """The ``limit`` officials most quoted on ``topics``, each with ``published_count``.

        ``topics``: topic primary keys or a queryset of topics (``Topic.objects.below(t)``).

        Ties go by sort name and name. Two queries: the statements on the topics (a
        semi-join, each counted once however many of the topics it is filed under) grouped
        by speaker, then the officials who can be among the first ``limit``. A join with
        COUNT(DISTINCT ...) per official sorted every link first: 2.5 s against 1.1 s for
        a large subtree at 1,000,000 statements on PostgreSQL.
        """
        filed = Statement.topics.through.objects.filter(topic__in=topics)
        counts = dict(
            Statement.objects.published()
            .filter(pk__in=filed.values("statement_id"))
            .order_by()
            .values_list("speaker")
            .annotate(n=models.Count("pk"))
        )
        return self.top_by_count(counts, limit)

    def top_by_count(self, counts, limit, *, ties=("sort_name", "name")):
        """The ``limit`` officials with the highest ``counts[pk]``, as a list.

        Each gets ``published_count``; ties go by the ``ties`` fields. One query, for the
        officials who can be among them only: those counted at least as often as the
        ``limit``-th (ties at that boundary are settled by name).
        """
        if not counts:
            return []
        threshold = sorted(counts.values(), reverse=True)[:limit][-1]
        officials = list(self.filter(pk__among=[pk for pk, n in counts.items() if n >= threshold]))
        for official in officials:
            official.published_count = counts[official.pk]
        officials.sort(key=lambda o: (-o.published_count, *(getattr(o, f) for f in ties)))
        return officials[:limit]


class Official(KeepsFormerSlugs):
    name = models.CharField(
        max_length=200,
        validators=[validate_xml_text],
        help_text="The name as usually written in English.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_xml_text],
        help_text="For alphabetical lists, e.g. 'Lavrov, Sergei'.",
    )
    other_names = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_xml_text],
        help_text="Other names and spellings, one per line (e.g. 'Sergey Lavrov'); used to "
        "recognise the speaker in an article's text.",
    )
    country = CountryField(blank=True, help_text="ISO 3166 country the official serves.")
    wikidata_id = models.CharField(
        "Wikidata ID", max_length=20, blank=True, validators=[validate_wikidata_id]
    )
    biography = models.TextField(blank=True, validators=[validate_xml_text])

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            unique_when_given(
                "wikidata_id",
                name="official_wikidata_id_unique",
                violation_error_message="Another official already has this Wikidata ID.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__startswith="Q"),
                name="official_wikidata_id_is_a_qid",
                violation_error_message="A Wikidata ID is a Q followed by digits.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="official_name_not_empty"),
        ]
        indexes = [models.Index(fields=["sort_name", "name"], name="official_sort_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = default_sort_name(self.name)
        self.other_names = clean_name_list(self.other_names)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("official_detail", kwargs={"slug": self.slug})

    def clean(self):
        if not isinstance(self.other_names, list):
            raise ValidationError({"other_names": "Give the other names as a list."})
        self.other_names = clean_name_list(self.other_names)

    @property
    def all_names(self):
        return [self.name, *self.other_names]

    def role_on(self, day):
        """The role held on a day, from the prefetched roles when there are any."""
        return Role.pick_for_date(self.roles.all(), day)

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""


def default_sort_name(name):
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry or department"
    GOVERNMENT = "government", "Government or head of state's office"
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental body"
    MISSION = "mission", "Diplomatic mission"
    LEGISLATURE = "legislature", "Legislature"
    MILITARY = "military", "Armed forces"
    PARTY = "party", "Political party"
    NGO = "ngo", "Non-governmental organisation"
    OTHER = "other", "Other"


class Organization(models.Model):
    Kind = OrganizationKind

    name = models.CharField(max_length=300, validators=[validate_xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    country = CountryField(blank=True, help_text="Blank for intergovernmental bodies.")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_its_own_parent",
                violation_error_message="An organisation cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        refuse_parent_loops(self)


class RoleQuerySet(ArchiveQuerySet):
    def held_on(self, day):
        """Roles that had begun by ``day`` and had not ended before it."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def current_first(self):
        return self.order_by(F("end_date").desc(nulls_first=True), "-start_date")


class Role(models.Model):
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(
        max_length=300,
        validators=[validate_xml_text],
        help_text="e.g. 'Minister of Foreign Affairs'.",
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roles")
    start_date = models.DateField()
    start_date_precision = precision_field("start date precision")
    end_date = models.DateField(null=True, blank=True, help_text="Blank while in office.")
    end_date_precision = precision_field("end date precision")

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["official", "-start_date"]
        constraints = [
            ends_after_start(name="role_ends_after_it_starts", noun="role"),
            precision_check("start_date_precision", name="role_start_precision_valid"),
            precision_check("end_date_precision", name="role_end_precision_valid"),
        ]
        indexes = [models.Index(fields=["official", "start_date"], name="role_official_start_idx")]

    def __str__(self):
        return f"{self.official}: {self.title}, {self.organization} ({self.period})"

    @property
    def period(self):
        start = format_partial_date(self.start_date, self.start_date_precision)
        if self.end_date is None:
            return f"since {start}"
        return f"{start} – {format_partial_date(self.end_date, self.end_date_precision)}"

    def covers(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @staticmethod
    def pick_for_date(roles, day):
        """Of the roles covering ``day``, the one that began last; None if none does.

        Works on a prefetched list so that lists of statements need no query per row.
        """
        if day is None:
            return None
        covering = [role for role in roles if role.covers(day)]
        return max(covering, key=lambda role: role.start_date, default=None)
