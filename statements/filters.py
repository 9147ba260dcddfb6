"""The one FilterSet for statements, shared by every list of statements and by the API.

Parameter names are part of the public interface (pages, feeds and the API reuse them):
``q``, ``official`` (repeatable), ``topic``, ``meeting``, ``country``, ``organization``,
``kind``, ``language``, ``year``, ``date_from``, ``date_to`` and ``sort``.
"""

import functools
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries

from . import search
from .models import Meeting, Official, Organization, Statement, Topic
from .models.dates import DatePrecision, format_partial_date, validate_language_tag

DATE_INPUT = {"input_formats": ["%Y-%m-%d"]}


class SortChoices:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    choices = [(NEWEST, "Newest first"), (OLDEST, "Oldest first"), (RELEVANCE, "Most relevant")]


class YearFilter(filters.Filter):
    """A whole year between 1 and 9999 (beyond that the database cannot build a date)."""

    field_class = forms.IntegerField


class DateInput(forms.DateInput):
    input_type = "date"


def date_filter(label, what, example, **kwargs):
    """A YYYY-MM-DD date field of the statement filters; ``what`` it is, with an ``example``."""
    return filters.DateFilter(
        label=label,
        widget=DateInput,
        help_text="YYYY-MM-DD",
        error_messages={"invalid": f"Write the {what} as YYYY-MM-DD, such as {example}."},
        **DATE_INPUT,
        **kwargs,
    )


@functools.lru_cache(maxsize=32)
def _country_choices(language):
    return tuple(countries)


def country_choices():
    """(code, name) of every country, sorted by name in the active language.

    django-countries sorts and translates its 250 names on every iteration (about 20 ms a
    page with the filter form); they change only with the language, so each language's list
    is made once per process.
    """
    return _country_choices(get_language())


class StatementFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date comes before the start date.")
        return cleaned


@dataclass(frozen=True)
class Chip:
    """An active filter, shown with a link that removes it."""

    param: str
    value: str
    label: str


@functools.lru_cache(maxsize=64)
def _option_tags(options):
    """For each (value, label): its ``<option>`` tag as written unselected and selected."""
    return tuple(
        (
            format_html('<option value="{}">{}</option>', value, label),
            format_html('<option value="{}" selected>{}</option>', value, label),
        )
        for value, label in options
    )


class QuickSelect(forms.Select):
    """A ``<select>`` written directly, not through a template per option.

    The topic and country lists have hundreds of options; the widget templates took about
    80 ms a page to render them, more than the search itself. The HTML is the same as the
    template's: the attributes as ``flatatt`` writes them (``selected`` bare), every value
    and label escaped. The escaped tags of a list of options are made once per process and
    reused while the list stays the same (``_option_tags``).
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = [(str(key), str(label)) for key, label in self.choices]
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]
        selected = set(self.format_value(value))
        found = False
        for (key, _label), (plain, chosen) in zip(
            choices, _option_tags(tuple(choices)), strict=True
        ):
            # Like Django's Select, only the first option with the value is selected.
            picked = not found and key in selected
            found = found or picked
            parts.append(chosen if picked else plain)
        parts.append("</select>")
        return mark_safe("".join(parts))


class StatementFilter(filters.FilterSet):
    q = filters.CharFilter(label="Words", method="filter_nothing", max_length=500, strip=True)
    official = filters.ModelMultipleChoiceFilter(
        field_name="speaker__slug",
        to_field_name="slug",
        distinct=False,
        queryset=Official.objects.only("pk", "name", "slug"),
        label="Official",
        error_messages={"invalid_choice": "There is no official “%(value)s” in the archive."},
    )
    topic = filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Topic.objects.only("pk", "name", "slug"),
        method="filter_topic",
        widget=QuickSelect,
        label="Topic",
        empty_label="Any topic",
        error_messages={"invalid_choice": "There is no topic “%(value)s” in the archive."},
    )
    meeting = filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Meeting.objects.only("pk", "title", "slug", "start_date", "start_date_precision"),
        label="Meeting",
        error_messages={"invalid_choice": "There is no meeting “%(value)s” in the archive."},
    )
    country = filters.ChoiceFilter(
        field_name="speaker__country",
        choices=country_choices,
        widget=QuickSelect,
        label="Speaker's country",
        empty_label="Any country",
        error_messages={"invalid_choice": "“%(value)s” is not a country code (ISO 3166)."},
    )
    organization = filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Organization.objects.only("pk", "name", "slug"),
        method="filter_organization",
        label="Organisation",
        error_messages={"invalid_choice": "There is no organisation “%(value)s” in the archive."},
    )
    kind = filters.ChoiceFilter(
        choices=Statement.Kind.choices,
        label="Kind",
        empty_label="Quotes and paraphrases",
        error_messages={"invalid_choice": "“%(value)s” is not a kind of statement."},
    )
    language = filters.CharFilter(
        field_name="language",
        lookup_expr="iexact",
        label="Language",
        max_length=35,
        validators=[validate_language_tag],
        help_text="e.g. en, ru, ar",
    )
    year = YearFilter(
        field_name="said_on",
        lookup_expr="year",
        label="Year",
        min_value=1,
        max_value=9999,
        error_messages={"invalid": "Give the year as a number, such as 2015."},
    )
    date_from = date_filter("From", "start date", "2015-09-30", method="filter_date_from")
    date_to = date_filter("To", "end date", "2015-12-31", field_name="said_on", lookup_expr="lte")
    sort = filters.ChoiceFilter(
        choices=SortChoices.choices,
        method="filter_nothing",
        label="Sort",
        empty_label=None,
        error_messages={"invalid_choice": "Sort by relevance, newest or oldest."},
    )

    class Meta:
        model = Statement
        fields = []
        form = StatementFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # Without an explicit sort, the form shows the order in force: relevance for a search.
        if data is not None and not data.get("sort"):
            data = data.copy()
            data["sort"] = (
                SortChoices.RELEVANCE if (data.get("q") or "").strip() else SortChoices.NEWEST
            )
        super().__init__(data, *args, **kwargs)

    # -- filters -------------------------------------------------------------------------

    def filter_nothing(self, queryset, name, value):
        """``q`` and ``sort`` are applied last, in ``filter_queryset``."""
        return queryset

    def filter_topic(self, queryset, name, topic):
        return queryset.about_topics([topic])

    def filter_organization(self, queryset, name, organization):
        # Through a subquery, so that a speaker with several roles there counts once.
        return queryset.filter(
            speaker__in=Official.objects.filter(roles__organization=organization)
        )

    def filter_date_from(self, queryset, name, day):
        """Statements that may have been said on or after ``day``.

        A date known only to the month or year is stored as its first day; such a statement
        is kept when its month or year reaches into the range.
        """
        return queryset.filter(
            Q(said_on__gte=day)
            | Q(said_on_precision=DatePrecision.MONTH, said_on__gte=day.replace(day=1))
            | Q(said_on_precision=DatePrecision.YEAR, said_on__gte=day.replace(month=1, day=1))
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = self.query
        sort = self.sort_in_force
        if query:
            # Ranking scores a bounded set of matches; other orders see every match.
            limit = search.RANKED_CANDIDATES if sort == SortChoices.RELEVANCE else None
            queryset = queryset.search(query, candidate_limit=limit, within=self.search_scope())
        if sort == SortChoices.RELEVANCE:
            return queryset.by_relevance()
        if sort == SortChoices.OLDEST:
            return queryset.oldest_first()
        return queryset.newest_first()

    def first_rows(self, limit, order_by=None):
        """The list's first ``limit`` statements, in its order, as light rows, in one query.

        Each row is ``(pk, speaker_id, said_on, kind)``: enough for a page to count (up to the
        limit), to compute its facets and to pick the statements of the page it shows, from
        one read of the matches. A list sorted by relevance is the first ``limit`` matches
        the index yields, each scored as it is read, sorted here (``search.first_matches``);
        other orders are the database's. ``order_by`` replaces the list's own order.
        """
        if not self.is_valid():
            return []
        fields = ("pk", "speaker_id", "said_on", "kind")
        if order_by is None and self.query and self.sort_in_force == SortChoices.RELEVANCE:
            filtered = super().filter_queryset(self.queryset.all())
            matches = search.first_matches(filtered, self.query, within=self.search_scope())
            rows = matches.values_list(*fields, "search_rank", named=True)[:limit]
            # The order of ``by_relevance()``: rank, then newest, then latest entered.
            return sorted(
                rows, key=lambda row: (row.search_rank, row.said_on, row.pk), reverse=True
            )
        queryset = self.qs if order_by is None else self.qs.order_by(*order_by)
        return list(queryset.values_list(*fields, named=True)[:limit])

    def search_scope(self):
        """What the filters above already require, for the search engine to narrow by.

        A superset, never narrower than the filters: ``date_from`` keeps a statement known
        only to the month or year from the start of that month or year, so the years run
        from ``date_from``'s year (see ``filter_date_from``) to ``date_to``'s.
        """
        cleaned = self.cleaned
        first, last = 1, 9999
        if cleaned.get("year"):
            first, last = cleaned["year"], cleaned["year"]
        if cleaned.get("date_from"):
            first = max(first, cleaned["date_from"].year)
        if cleaned.get("date_to"):
            last = min(last, cleaned["date_to"].year)
        return search.Scope(
            speaker_ids=frozenset(official.pk for official in cleaned.get("official") or ()),
            meeting_ids=frozenset([cleaned["meeting"].pk] if cleaned.get("meeting") else ()),
            years=range(first, last + 1) if (first, last) != (1, 9999) else None,
        )

    # -- what the page shows -------------------------------------------------------------

    @property
    def cleaned(self):
        """The values that passed validation (all of them when the filters are valid)."""
        self.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def query(self):
        return self.cleaned.get("q") or ""

    @property
    def sort_in_force(self):
        """The order in force: relevance when there are words to rank, newest otherwise."""
        sort = self.cleaned.get("sort")
        if sort == SortChoices.RELEVANCE and not self.query:
            return SortChoices.NEWEST
        return sort or (SortChoices.RELEVANCE if self.query else SortChoices.NEWEST)

    def chips(self):
        """The active filters, each with the parameter and value that remove it."""
        cleaned, data, chips = self.cleaned, self.data, []
        for official in cleaned.get("official") or ():
            chips.append(Chip("official", official.slug, f"Official: {official.name}"))
        labels = {
            "topic": lambda t: f"Topic: {t.name}",
            "meeting": lambda m: f"Meeting: {m.title}",
            "organization": lambda o: f"Organisation: {o.name}",
        }
        for name, label in labels.items():
            if cleaned.get(name):
                chips.append(Chip(name, cleaned[name].slug, label(cleaned[name])))
        if cleaned.get("country"):
            chips.append(
                Chip(
                    "country",
                    cleaned["country"],
                    f"Country: {dict(country_choices())[cleaned['country']]}",
                )
            )
        if cleaned.get("kind"):
            chips.append(Chip("kind", cleaned["kind"], Statement.Kind(cleaned["kind"]).label))
        if cleaned.get("language"):
            chips.append(
                Chip("language", data.get("language", ""), f"Language: {cleaned['language']}")
            )
        if cleaned.get("year"):
            chips.append(Chip("year", data.get("year", ""), f"Year: {cleaned['year']}"))
        for name, prefix in (("date_from", "From"), ("date_to", "To")):
            if cleaned.get(name):
                chips.append(
                    Chip(
                        name,
                        data.get(name, ""),
                        f"{prefix} {format_partial_date(cleaned[name], DatePrecision.DAY)}",
                    )
                )
        if self.query:
            chips.append(Chip("q", data.get("q", ""), f"Words: {self.query}"))
        return chips

    def invalid_params(self):
        """(parameter, message) for each value the reader gave that cannot be used."""
        if self.is_valid():
            return []
        return [
            (name, " ".join(str(message) for message in messages))
            for name, messages in self.form.errors.items()
        ]
