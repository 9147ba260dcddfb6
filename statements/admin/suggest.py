"""The curator's 'Suggest statements' page for an article: tick, correct, create drafts.

Reached from the article's change page. The suggester reads the article's body, so its
offsets are body offsets, which is what ``Statement.full_clean()`` checks them against.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator

from statements.models import DatePrecision, Meeting, Official, Statement, StatementKind, Topic
from statements.models.statements import same_words
from statements.suggestions import SpeakerDirectory, suggest_statements

ADD_PERMISSION = "statements.add_statement"
CONTEXT_CHARS = 160


def use_autocomplete(field, name, admin_site, queryset):
    """The admin's autocomplete widget for Statement.<name>, as on the statement's page."""
    model_field = Statement._meta.get_field(name)
    widget = AutocompleteSelectMultiple if model_field.many_to_many else AutocompleteSelect
    field.widget = widget(model_field, admin_site)
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
    meeting = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        use_autocomplete(self.fields["meeting"], "meeting", admin_site, Meeting.objects.all())


class SuggestionForm(forms.Form):
    """One suggestion, as the curator corrects it."""

    create = forms.BooleanField(required=False, label="Create")
    speaker = forms.ModelChoiceField(queryset=Official.objects.all(), required=False)
    attribution = forms.CharField(required=False, max_length=300)
    kind = forms.ChoiceField(choices=StatementKind.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), strip=False)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    speaker_name = forms.CharField(required=False, widget=forms.HiddenInput)
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False)

    def __init__(self, *args, article, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        use_autocomplete(self.fields["speaker"], "speaker", admin_site, Official.objects.all())
        use_autocomplete(self.fields["topics"], "topics", admin_site, Topic.objects.all())

    def clean(self):
        data = super().clean()
        if not data.get("create") or self.errors:
            return data
        if data.get("speaker") is None:
            self.add_error("speaker", "Choose the official who said this, or untick the row.")
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
        duplicate = archived_match(self.article.statements.all(), start, end, text)
        if duplicate is not None:
            self.add_error(None, f"Already archived as statement #{duplicate.pk}.")
        return data

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


SuggestionFormSet = forms.formset_factory(SuggestionForm, extra=0)


def suggest_statements_view(model_admin, request, object_id):
    """List an article's suggestions; on submit, create the ticked ones as drafts."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No article with this id.")
    admin_site = model_admin.admin_site
    existing = list(article.statements.select_related("speaker"))
    suggestions = suggest_statements(article.body, directory=SpeakerDirectory.from_database())
    officials = {
        official.slug: official
        for official in Official.objects.filter(
            slug__in={s.official for s in suggestions if s.official}
        )
    }
    archived, fresh = [], []
    for suggestion in suggestions:
        statement = archived_match(existing, suggestion.start, suggestion.end, suggestion.text)
        (archived if statement else fresh).append((suggestion, statement))

    form_kwargs = {"article": article, "admin_site": admin_site}
    if request.method == "POST":
        shared = SharedFieldsForm(request.POST, admin_site=admin_site)
        formset = SuggestionFormSet(request.POST, form_kwargs=form_kwargs, prefix="suggestion")
        if shared.is_valid() and formset.is_valid():
            created = create_drafts(request, article, shared.cleaned_data, formset)
            if created is not None:
                messages.success(
                    request,
                    f"Created {len(created)} draft statement(s) from "
                    f"“{Truncator(article.title).chars(60)}”.",
                )
                return redirect(reverse("admin:statements_article_change", args=[article.pk]))
    else:
        shared = SharedFieldsForm(initial=shared_initial(article), admin_site=admin_site)
        formset = SuggestionFormSet(
            initial=[
                {
                    "create": False,
                    "speaker": officials.get(s.official),
                    "attribution": s.attribution[:300],
                    "kind": s.kind,
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "speaker_name": "" if s.official in officials else s.speaker,
                }
                for s, _ in fresh
            ],
            form_kwargs=form_kwargs,
            prefix="suggestion",
        )

    context = {
        **admin_site.each_context(request),
        "title": f"Suggest statements: {Truncator(article.title).chars(80)}",
        "opts": model_admin.model._meta,
        "original": article,
        "shared": shared,
        "formset": formset,
        "rows": [(form, form.context(), form["speaker_name"].value()) for form in formset],
        "archived": [
            (suggestion, statement, surroundings(article.body, suggestion.start, suggestion.end))
            for suggestion, statement in archived
        ],
        "media": model_admin.media + shared.media + formset.media,
    }
    return TemplateResponse(request, "admin/statements/article/suggest_statements.html", context)


def shared_initial(article):
    meeting = article.meetings.order_by("start_date").first()
    if meeting is not None:
        return {
            "meeting": meeting,
            "said_on": meeting.start_date,
            "said_on_precision": meeting.start_date_precision,
        }
    return {"said_on": article.published_on, "said_on_precision": article.published_on_precision}


def create_drafts(request, article, shared, formset):
    """Create every ticked suggestion as a draft, all or none. None when any fails to
    validate; the errors are then on the forms."""
    ticked = [form for form in formset if form.cleaned_data.get("create")]
    if not ticked:
        messages.warning(request, "Nothing was created: tick the suggestions to archive.")
        return None
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
                meeting=shared.get("meeting"),
                article=article,
                start_offset=data["start"],
                end_offset=data["end"],
                language=article.language,
                status=Statement.Status.DRAFT,
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
            statement.save()
            statement.topics.set(data["topics"])
            created.append(statement)
        if failed:
            transaction.set_rollback(True)
            return None
    return created
