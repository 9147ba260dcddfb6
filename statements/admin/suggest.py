"""The curator's 'Suggest statements' page for an article: tick, correct, create drafts.

Reached from the article's change page. The suggester reads the article's body, so its
offsets are body offsets, which is what ``Statement.full_clean()`` checks them against.
The page lists the speakers not in the archive with an "Add official" link; "Re-read
speakers" submits the page as it stands and matches the speakers again, keeping every row's
ticks and edits (rows are keyed by their offsets).
"""

import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, slugify
from django_countries import countries

from statements.models import (
    DatePrecision,
    Meeting,
    Official,
    Organization,
    Statement,
    StatementKind,
    Topic,
)
from statements.models.statements import same_words
from statements.revisions import record_revision, recorded_later
from statements.suggestions import SpeakerDirectory, suggest_statements
from statements.suggestions.speakers import DEMONYMS, DETERMINERS, TITLE_WORDS

from .curator_input import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    IdChoiceField,
    IdsMultipleChoiceField,
    is_id,
)
from .permissions import can_publish

ADD_PERMISSION = "statements.add_statement"
CONTEXT_CHARS = 160
REREAD = "_reread"


class AlreadyRead:
    """Stands in for the queryset from which an autocomplete widget labels its selected
    values: the objects the view read once for every row, so a row costs no query."""

    def __init__(self, objects):
        self.objects = objects  # {str(pk): object}

    def using(self, alias):
        return self

    def filter(self, **lookup):
        (wanted,) = lookup.values()
        return [self.objects[key] for key in wanted if key in self.objects]


class LabelsReadOnce:
    known = None  # {str(pk): object}, set by the form

    def optgroups(self, name, value, attr=None):
        wanted = {str(v) for v in value if v not in (None, "")}
        if self.known is None or not wanted <= self.known.keys():
            return super().optgroups(name, value, attr)
        choices = self.choices
        queryset, choices.queryset = choices.queryset, AlreadyRead(self.known)
        try:
            return super().optgroups(name, value, attr)
        finally:
            choices.queryset = queryset


class ReadOnceSelect(LabelsReadOnce, AutocompleteSelect):
    pass


class ReadOnceSelectMultiple(LabelsReadOnce, AutocompleteSelectMultiple):
    pass


class ReadOnceChoiceField(IdChoiceField):
    """A row's speaker, checked against the officials the view read once for every row."""

    known = {}

    def to_python(self, value):
        return self.known.get(str(value)) or super().to_python(value)


class ReadOnceMultipleChoiceField(IdsMultipleChoiceField):
    """A row's topics, checked against the topics the view read once for every row."""

    known = {}

    def _check_values(self, value):
        keys = {str(key) for key in value}
        if keys <= self.known.keys():
            return [self.known[key] for key in keys]
        return super()._check_values(value)


def use_autocomplete(field, name, admin_site, queryset, known=None):
    """The admin's autocomplete widget for Statement.<name>, as on the statement's page;
    with ``known``, the selected values are labelled from those objects."""
    model_field = Statement._meta.get_field(name)
    widget = ReadOnceSelectMultiple if model_field.many_to_many else ReadOnceSelect
    field.widget = widget(model_field, admin_site)
    if known is not None:
        field.widget.known = field.known = known
    field.queryset = queryset  # also gives the new widget its choices


class SharedFieldsForm(forms.Form):
    """What every statement created from this page has in common."""

    said_on = forms.DateField(
        label="Date said",
        help_text="The same for every statement created here; a year or month date is stored "
        "as its first day.",
    )
    said_on_precision = forms.ChoiceField(
        label="Date precision", choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    meeting = IdChoiceField(queryset=None, required=False)
    place_city = Statement._meta.get_field("place_city").formfield()
    place_country = Statement._meta.get_field("place_country").formfield()
    topics = IdsMultipleChoiceField(
        queryset=None,
        required=False,
        label="Topics for every ticked row",
        help_text="Added to each ticked row's own topics.",
    )

    def __init__(self, *args, admin_site, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        use_autocomplete(self.fields["meeting"], "meeting", admin_site, Meeting.objects.all())
        use_autocomplete(self.fields["topics"], "topics", admin_site, Topic.objects.all())
        if can_publish:
            self.fields["publish"] = forms.BooleanField(
                required=False,
                label="Create as published",
                help_text="Publish the ticked statements at once instead of creating drafts.",
            )


class SuggestionForm(forms.Form):
    """One suggestion, as the curator corrects it."""

    create = forms.BooleanField(required=False, label="Create")
    speaker = ReadOnceChoiceField(queryset=Official.objects.all(), required=False)
    attribution = forms.CharField(required=False, max_length=300)
    kind = forms.ChoiceField(choices=StatementKind.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), strip=False)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    speaker_name = forms.CharField(required=False, widget=forms.HiddenInput)
    speaker_unclear = forms.BooleanField(required=False, widget=forms.HiddenInput)
    topics = ReadOnceMultipleChoiceField(queryset=Topic.objects.all(), required=False)

    def __init__(self, *args, article, admin_site, known, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.existing = existing  # the article's statements
        speakers, topics = known
        use_autocomplete(
            self.fields["speaker"], "speaker", admin_site, Official.objects.all(), speakers
        )
        use_autocomplete(self.fields["topics"], "topics", admin_site, Topic.objects.all(), topics)

    def clean(self):
        data = super().clean()
        if not data.get("create") or self.errors:
            return data
        if data.get("speaker") is None:
            self.add_error(
                "speaker",
                "The article leaves the speaker unclear: choose who said this, or untick the row."
                if data.get("speaker_unclear")
                else "Choose the official who said this, or untick the row.",
            )
        body = self.article.body
        text = data["text"].strip()
        start, end = data["start"], data["end"]
        if body[start:end] != text:
            start, end = locate_near(body, text, start)
            if start is None:
                self.add_error(
                    "text", "This text does not stand in the article's body: keep the words "
                    "exactly as the article prints them."
                )  # fmt: skip
                return data
        data.update(text=text, start=start, end=end)
        duplicate = archived_match(self.existing, start, end, text)
        if duplicate is not None:
            self.add_error(None, f"Already archived as statement #{duplicate.pk}.")
        return data

    def unclear(self):
        """Whether the article leaves this suggestion's speaker unclear."""
        return self.fields["speaker_unclear"].to_python(self["speaker_unclear"].value())

    def context(self):
        """The suggestion in its surroundings, for display: (before, text, after)."""
        try:
            start = int(self["start"].value())
            end = int(self["end"].value())
        except (TypeError, ValueError):
            return "", self["text"].value() or "", ""
        return surroundings(self.article.body, start, end)


def locate_near(body, text, near):
    """The occurrence of ``text`` in ``body`` nearest to ``near``, as (start, end)."""
    if not text:
        return None, None
    best, position = None, body.find(text)
    while position >= 0:
        if best is None or abs(position - near) < abs(best - near):
            best = position
        position = body.find(text, position + 1)
    return (best, best + len(text)) if best is not None else (None, None)


def archived_match(statements, start, end, text):
    """The article's statement that already records this span or these words, if any."""
    for statement in statements:
        if same_words(statement.text, text):
            return statement
        if statement.start_offset is None or statement.end_offset is None:
            continue
        shared = min(end, statement.end_offset) - max(start, statement.start_offset)
        shorter = min(end - start, statement.end_offset - statement.start_offset)
        if shorter > 0 and shared >= shorter / 2:
            return statement
    return None


def surroundings(body, start, end):
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if end + CONTEXT_CHARS < len(body):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, body[start:end], after


def span_in_article(statement):
    """The statement's span marked in a window of its article's body, as safe HTML."""
    start, end = statement.start_offset, statement.end_offset
    if statement.article_id is None or start is None or end is None:
        return "—"
    before, span, after = surroundings(statement.article.body, start, end)
    return format_html(
        '<div class="span-in-article">{}<mark>{}</mark>{}</div>', before, span, after
    )


SuggestionFormSet = forms.formset_factory(SuggestionForm, extra=0)
ROW_FIELDS = ["create", "speaker", "attribution", "kind", "text", "start", "end"]


def suggest_statements_view(model_admin, request, object_id):
    """List an article's suggestions; on submit, create the ticked ones as drafts (or, for
    an editor who asks, as published). A re-read keeps the rows and matches speakers again."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No article with this id.")
    admin_site = model_admin.admin_site
    may_publish = can_publish(request.user)
    existing = list(article.statements.select_related("speaker"))
    initial, date_source = shared_initial(article)
    suggestions = suggest_statements(article.body, directory=SpeakerDirectory.from_database())
    officials = officials_of(suggestions)
    archived, fresh = [], []
    for suggestion in suggestions:
        statement = archived_match(existing, suggestion.start, suggestion.end, suggestion.text)
        (archived if statement else fresh).append((suggestion, statement))

    speakers, topics = read_choices(request.POST) if request.method == "POST" else ({}, {})
    speakers.update({str(official.pk): official for official in officials.values()})
    form_kwargs = {
        "article": article,
        "admin_site": admin_site,
        "known": (speakers, topics),
        "existing": existing,
    }
    shared_kwargs = {"admin_site": admin_site, "can_publish": may_publish}
    if request.method == "POST" and REREAD in request.POST:
        shared = SharedFieldsForm(request.POST, **shared_kwargs)
        posted = SuggestionFormSet(request.POST, form_kwargs=form_kwargs, prefix="suggestion")
        if not posted.management_form.is_valid():
            return redirect(request.path)
        formset = SuggestionFormSet(
            initial=reread_rows(posted, suggestions, officials, speakers),
            form_kwargs=form_kwargs,
            prefix="suggestion",
        )
    elif request.method == "POST":
        shared = SharedFieldsForm(request.POST, **shared_kwargs)
        formset = SuggestionFormSet(request.POST, form_kwargs=form_kwargs, prefix="suggestion")
        if shared.is_valid() and formset.is_valid():
            publish = may_publish and shared.cleaned_data.get("publish")
            created = create_statements(
                request, article, shared.cleaned_data, formset, publish=publish
            )
            if created is not None:
                messages.success(
                    request,
                    f"Created {len(created)} {'published' if publish else 'draft'} "
                    f"statement(s) from “{Truncator(article.title).chars(60)}”.",
                )
                return redirect(reverse("admin:statements_article_change", args=[article.pk]))
    else:
        shared = SharedFieldsForm(initial=initial, **shared_kwargs)
        formset = SuggestionFormSet(
            initial=[suggestion_row(s, officials) for s, _ in fresh],
            form_kwargs=form_kwargs,
            prefix="suggestion",
        )

    context = {
        **admin_site.each_context(request),
        "title": f"Suggest statements: {Truncator(article.title).chars(80)}",
        "opts": model_admin.model._meta,
        "original": article,
        "shared": shared,
        "date_source": date_source,
        "can_publish": may_publish,
        "formset": formset,
        "rows": [
            (form, form.context(), form["speaker_name"].value(), form.unclear()) for form in formset
        ],
        "people": unknown_people(article.body, [s for s, _ in fresh if s.official is None]),
        "archived": [
            (suggestion, statement, surroundings(article.body, suggestion.start, suggestion.end))
            for suggestion, statement in archived
        ],
        "reread": REREAD,
        "media": model_admin.media
        + shared.media
        + formset.media
        + forms.Media(js=["admin/js/admin/RelatedObjectLookups.js", "js/suggest.js"]),
    }
    return TemplateResponse(request, "admin/statements/article/suggest_statements.html", context)


def officials_of(suggestions):
    """The officials the suggestions name, by slug, in one query."""
    return {
        official.slug: official
        for official in Official.objects.filter(
            slug__in={s.official for s in suggestions if s.official}
        )
    }


def suggestion_row(suggestion, officials):
    """A suggestion as a row's initial values."""
    official = officials.get(suggestion.official)
    return {
        "create": False,
        "speaker": official,
        "attribution": suggestion.attribution[:300],
        "kind": suggestion.kind,
        "text": suggestion.text,
        "start": suggestion.start,
        "end": suggestion.end,
        "speaker_name": "" if official else (suggestion.speaker or ""),
        "speaker_unclear": suggestion.speaker_unclear,
    }


def read_choices(data):
    """The officials and topics a posted page's rows name, {str(pk): object}, in two queries."""

    def wanted(suffix, model):
        return {
            value
            for key in data
            if key.startswith("suggestion-") and key.endswith(suffix)
            for value in data.getlist(key)
            if is_id(model._meta.pk, value)
        }

    return (
        {str(pk): o for pk, o in Official.objects.in_bulk(wanted("-speaker", Official)).items()},
        {str(pk): t for pk, t in Topic.objects.in_bulk(wanted("-topics", Topic)).items()},
    )


def reread_rows(posted, suggestions, officials, speakers):
    """The posted rows as they stand (ticks and edits kept), with the speakers of rows that
    have none matched again: the suggestion at the same offsets names its official now."""
    by_span = {(s.start, s.end): s for s in suggestions}
    rows = []
    for form in posted:
        row = {name: form[name].value() for name in ROW_FIELDS}
        try:
            row["start"], row["end"] = int(row["start"]), int(row["end"])
        except (TypeError, ValueError):
            continue  # a tampered row: dropped
        row["create"] = form.fields["create"].to_python(row["create"])
        row["topics"] = [pk for pk in form["topics"].value() or [] if is_id(Topic._meta.pk, pk)]
        row["speaker"] = speakers.get(str(row["speaker"] or ""))
        suggestion = by_span.get((row["start"], row["end"]))
        fresh = suggestion_row(suggestion, officials) if suggestion else {}
        if row["speaker"] is None and fresh.get("speaker") is not None:
            row["speaker"] = fresh["speaker"]
        row["speaker_name"] = "" if row["speaker"] else fresh.get("speaker_name", "")
        row["speaker_unclear"] = fresh.get("speaker_unclear", False)
        rows.append(row)
    return rows


# Month names in a wire dateline: "SALTMERE, Sept 9 (Northern Wire) -".
MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    }
} | {"sept": 9}
DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’ -]*[A-Z.],[ \t]+([A-Za-z]{3,9})\.?[ \t]+(\d{1,2})\b[^\n]{0,60}?"
    r"[ \t](?:-{1,2}|—|–)[ \t]"
)


def dateline_date(article):
    """The day of the body's wire dateline, in the year of publication (the year before
    when that day would fall after it); None when there is no readable dateline."""
    match = DATELINE.match(article.body)
    if match is None or article.published_on is None:
        return None
    month = MONTHS.get(match.group(1).lower())
    if month is None:
        return None
    for year in (article.published_on.year, article.published_on.year - 1):
        try:
            day = datetime.date(year, month, int(match.group(2)))
        except ValueError:
            return None
        if day <= article.published_on:
            return day
    return None


def shared_initial(article):
    """The shared fields' defaults and where the date came from (the curator checks it): the
    dateline, else the publication date, else the meeting's last day. The place and the
    meeting come from the article's first meeting."""
    meeting = article.meetings.order_by("start_date").first()
    initial = {}
    if meeting is not None:
        initial.update(meeting=meeting, place_city=meeting.city, place_country=meeting.country)
    dateline = dateline_date(article)
    if dateline is not None:
        initial.update(said_on=dateline, said_on_precision=DatePrecision.DAY)
        return initial, "the article's dateline"
    if article.published_on is not None:
        initial.update(
            said_on=article.published_on, said_on_precision=article.published_on_precision
        )
        return initial, "the article's publication date"
    if meeting is not None:
        if meeting.end_date is not None:
            initial.update(said_on=meeting.end_date, said_on_precision=meeting.end_date_precision)
        else:
            initial.update(
                said_on=meeting.start_date, said_on_precision=meeting.start_date_precision
            )
        return initial, "the meeting's last day"
    return initial, ""


# What follows a name set apart by commas: "Lena Osk, director of Blue Shelf, said".
APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?([^,.;“”\"\n]{3,80}),")


def unknown_people(body, suggestions):
    """The people the suggestions name who are not officials yet, each with the link that
    adds them prefilled: (name, add URL, role title, organisation or None)."""
    names = {}
    for suggestion in suggestions:
        name = suggestion.speaker
        if name and name[:1].isupper() and len(name.split()) >= 2:
            names.setdefault(name, []).append(suggestion.attribution)
    organizations = list(Organization.objects.only("pk", "name")) if names else []
    people = []
    for name, attributions in names.items():
        title, country, organization = described(name, attributions, body, organizations)
        query = {"name": name, "slug": slugify(name), "_popup": 1}
        if country:
            query["country"] = country
        if title:
            query["role_title"] = title
        if organization is not None:
            query["role_organization"] = organization.pk
        url = reverse("admin:statements_official_add") + "?" + urlencode(query)
        people.append((name, url, title, organization))
    return people


def described(name, attributions, body, organizations):
    """What the article says of a person: (role title, country code, Organization or None),
    from the words before the name where it was named ("Velorian Foreign Minister Teodor
    Vance") and an apposition after its first mention ("Lena Osk, director of Blue Shelf,")."""
    title_words, country = [], ""
    for attribution in sorted(attributions, key=len, reverse=True):
        if not attribution.endswith(name):
            continue
        for word in attribution[: -len(name)].split():
            folded = word.lower().rstrip(",")
            if folded in DETERMINERS:
                continue
            if folded in TITLE_WORDS:
                title_words.append(word)
            elif not country:
                country = country_code(word)
        break
    title = " ".join(title_words)
    where = body.find(name)
    if where < 0:
        return title[:300], country, None
    apposition = APPOSITION.match(body, where + len(name))
    if apposition and not title and apposition.group(1).split()[0].lower() in TITLE_WORDS:
        title = apposition.group(1).split(" of ")[0]
    context = body[where : where + 200]
    organization = next((o for o in organizations if o.name and o.name in context), None)
    return title[:300], country, organization


def country_code(word):
    """The ISO code of a country named by this word or its demonym, else ''."""
    word = word.strip(",")
    folded = DEMONYMS.get(word.lower(), word.lower())
    if word.isupper() and folded == word.lower() and countries.alpha2(word):
        return countries.alpha2(word)  # "UK", "US" are in DEMONYMS; other codes as written
    if len(folded) < 4:
        return ""
    # The shortest country whose name starts so: "united states" is the United States of
    # America, not its Minor Outlying Islands.
    named = sorted((len(name), code) for code, name in countries if name.lower().startswith(folded))
    return countries.by_name(folded) or (named[0][1] if named else "")


def create_statements(request, article, shared, formset, *, publish=False):
    """Create every ticked suggestion (drafts, or published when an editor asked), all or
    none. None when any fails to validate; the errors are then on the forms."""
    ticked = [form for form in formset if form.cleaned_data.get("create")]
    if not ticked:
        messages.warning(request, "Nothing was created: tick the suggestions to archive.")
        return None
    status = Statement.Status.PUBLISHED if publish else Statement.Status.DRAFT
    created, failed = [], False
    with transaction.atomic():
        for form in ticked:
            data = form.cleaned_data
            statement = Statement(
                speaker=data["speaker"],
                attribution=data["attribution"],
                text=data["text"],
                kind=data["kind"],
                said_on=shared["said_on"],
                said_on_precision=shared["said_on_precision"],
                place_city=shared.get("place_city") or "",
                place_country=shared.get("place_country") or "",
                meeting=shared.get("meeting"),
                article=article,
                start_offset=data["start"],
                end_offset=data["end"],
                language=article.language,
                status=status,
                created_by=request.user,
                updated_by=request.user,
            )
            try:
                statement.full_clean()
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                failed = True
                continue
            # Its first revision once its topics are set too, so the history starts whole.
            recorded_later(statement)
            statement.save()
            statement.topics.set({*data["topics"], *shared.get("topics", ())})
            record_revision(statement, user=request.user, comment="Created from the suggest page")
            created.append(statement)
        if failed:
            transaction.set_rollback(True)
            return None
    return created
