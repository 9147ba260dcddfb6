"""The curator's workspace: every model, autocomplete everywhere, statements inline."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator

from statements.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Outlet,
    PendingRevision,
    Role,
    Statement,
    Topic,
)
from statements.revisions import (
    bump_versions,
    diff,
    hold_for_approval,
    needs_an_editor,
    record_revision,
    recorded_later,
)

from .curator_input import CuratorInputMixin
from .forms import ArticleAdminForm, CleanTextForm, NameListField, StatementAdminForm
from .pending import queue_view, review_view
from .permissions import can_publish
from .suggest import span_in_article, suggest_statements_view

# A URL typed without a scheme is taken as https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def held_for_an_editor(request, form):
    """Keep a curator's change to a published statement for an editor, if it is one."""
    if not needs_an_editor(form.instance, form.changed_data, can_publish=can_publish(request.user)):
        return None
    return hold_for_approval(form.instance, chosen=form.cleaned_data, user=request.user)


class StatementCountMixin:
    """A sortable ``statement_count`` column: how many statements point at each row."""

    def get_queryset(self, request):
        # Meta.ordering does not apply to GROUP BY queries, so it is repeated here.
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=Count("statements"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count


class OfficialForm(CleanTextForm):
    other_names = NameListField(
        required=False,
        help_text="One name or spelling per line, e.g. 'Sergey Lavrov'. Used to recognise the "
        "speaker in an article's text.",
    )

    class Meta:
        model = Official
        fields = ["name", "slug", "sort_name", "other_names", "country", "wikidata_id", "biography"]


class RoleInline(CuratorInputMixin, admin.TabularInline):
    model = Role
    extra = 1
    autocomplete_fields = ["organization"]
    fields = [
        "title",
        "organization",
        "start_date",
        "start_date_precision",
        "end_date",
        "end_date_precision",
    ]


@admin.register(Official)
class OfficialAdmin(CuratorInputMixin, StatementCountMixin, admin.ModelAdmin):
    form = OfficialForm
    list_display = ["name", "country", "wikidata_id", "statement_count"]
    list_filter = ["country"]
    search_fields = ["name", "sort_name", "other_names", "slug", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]
    fields = ["name", "slug", "sort_name", "other_names", "country", "wikidata_id", "biography"]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A role prefilled from the suggest page's "Add official" link (role_title, and
        role_organization where the organisation is in the archive)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "GET" and isinstance(inline, RoleInline):
            role = {"title": request.GET.get("role_title", "")[:300]}
            if request.GET.get("role_organization", "").isdigit():
                role["organization"] = request.GET["role_organization"]
            if any(role.values()):
                kwargs["initial"] = [role]
        return kwargs


@admin.register(Organization)
class OrganizationAdmin(CuratorInputMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Role)
class RoleAdmin(CuratorInputMixin, admin.ModelAdmin):
    list_display = ["official", "title", "organization", "start_date", "end_date"]
    list_filter = ["organization__kind", "organization"]
    list_select_related = ["official", "organization"]
    search_fields = ["official__name", "title", "organization__name"]
    autocomplete_fields = ["official", "organization"]
    date_hierarchy = "start_date"


@admin.register(Outlet)
class OutletAdmin(CuratorInputMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "country", "language", "homepage"]
    list_filter = ["country", "language"]
    search_fields = ["name", "slug", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


# The order a curator fills a statement in on its article's or meeting's page, with the
# form-only fields at the end; revisions.TRACKED_FIELDS is the order a diff shows.
STATEMENT_INLINE_FIELDS = [
    "speaker",
    "attribution",
    "kind",
    "text",
    "said_on",
    "said_on_precision",
    "place_city",
    "place_country",
    "meeting",
    "article",
    "start_offset",
    "end_offset",
    "topics",
    "language",
    "status",
    "save_anyway",
    "edited_version",
]


class StatementInlineMixin(CuratorInputMixin):
    """A statement entered on its article's or meeting's page; status only for publishers."""

    model = Statement
    form = StatementAdminForm
    extra = 1
    show_change_link = True
    autocomplete_fields = ["speaker", "meeting", "article", "topics", "mentions", "in_reply_to"]

    def get_readonly_fields(self, request, obj=None):
        return [] if can_publish(request.user) else ["status"]


class ArticleStatementInline(StatementInlineMixin, admin.StackedInline):
    fk_name = "article"
    fields = [field for field in STATEMENT_INLINE_FIELDS if field != "article"]
    classes = ["statement-inline"]


class MeetingStatementInline(StatementInlineMixin, admin.StackedInline):
    fk_name = "meeting"
    fields = [field for field in STATEMENT_INLINE_FIELDS if field != "meeting"]
    extra = 0


class StatementSavingMixin:
    """Records who created and last changed each statement, also when saved inline."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Statement:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        saved = []
        for form in formset.saved_forms:
            # A curator's change to a published statement is kept for an editor, not saved.
            if held_for_an_editor(request, form) is None:
                saved.append(form)
        for statement in (form.instance for form in saved):
            if statement.pk is None:
                statement.created_by = request.user
            statement.updated_by = request.user
            recorded_later(statement)
            statement.save()
        for statement in formset.deleted_objects:
            statement.delete()
        for form in saved:
            form.save_m2m()
        for form in saved:
            record_revision(form.instance, user=request.user, comment="Saved on the parent page")
        held = len(formset.saved_forms) - len(saved)
        if held:
            self.message_user(
                request,
                f"{held} change(s) to published statements are pending editor approval: the "
                "public sees the published words until an editor approves them.",
                messages.WARNING,
            )


@admin.register(Article)
class ArticleAdmin(CuratorInputMixin, StatementCountMixin, StatementSavingMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "outlet", "published_on", "language", "statement_count"]
    list_filter = ["outlet", "language"]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "slug", "byline"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["outlet"]
    date_hierarchy = "published_on"
    inlines = [ArticleStatementInline]
    form = ArticleAdminForm
    fieldsets = [
        (None, {"fields": ["title", "slug", "outlet", "url", "byline", "language"]}),
        (
            "Dates",
            {"fields": [("published_on", "published_on_precision"), "retrieved_on"]},
        ),
        (None, {"fields": ["body", "curator_note"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class for each request
        form.can_publish = can_publish(request.user)
        return form

    def get_urls(self):
        """Add the article's 'Suggest statements' page (see suggest.py)."""
        view = self.admin_site.admin_view(partial(suggest_statements_view, self))
        return [
            path("<path:object_id>/suggest/", view, name="statements_article_suggest"),
            *super().get_urls(),
        ]


@admin.register(Meeting)
class MeetingAdmin(CuratorInputMixin, StatementSavingMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["title", "slug", "city"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["participants", "articles"]
    date_hierarchy = "start_date"
    inlines = [MeetingStatementInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        (
            "When and where",
            {
                "fields": [
                    ("start_date", "start_date_precision"),
                    ("end_date", "end_date_precision"),
                    ("city", "country"),
                ]
            },
        ),
        (None, {"fields": ["participants", "articles", "description"]}),
    ]


@admin.register(Topic)
class TopicAdmin(CuratorInputMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Statement)
class StatementAdmin(CuratorInputMixin, StatementSavingMixin, admin.ModelAdmin):
    form = StatementAdminForm
    list_display = ["excerpt", "speaker", "kind", "said_on", "status", "article"]
    list_display_links = ["excerpt"]
    list_filter = ["status", "kind", "speaker", "topics", "meeting", "said_on_precision"]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "translation", "attribution", "speaker__name", "article__title"]
    autocomplete_fields = ["speaker", "meeting", "article", "topics", "mentions", "in_reply_to"]
    date_hierarchy = "said_on"
    actions = ["publish", "unpublish"]
    readonly_fields = ["span", "created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["speaker", "attribution", "kind", "text", "language", "translation"]}),
        (
            "When and where",
            {
                "fields": [
                    ("said_on", "said_on_precision"),
                    ("place_city", "place_country"),
                    "meeting",
                ]
            },
        ),
        ("Source", {"fields": ["article", ("start_offset", "end_offset"), "span"]}),
        ("Context", {"fields": ["topics", "mentions", "in_reply_to"]}),
        ("Status", {"fields": ["status", "curator_note", "save_anyway", "edited_version"]}),
        (
            "History",
            {
                "classes": ["collapse"],
                "fields": [("created_at", "created_by"), ("updated_at", "updated_by")],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            readonly.append("status")
        return readonly

    def get_urls(self):
        """Add the editors' queue of pending changes and each change's review (pending.py)."""
        queue = self.admin_site.admin_view(partial(queue_view, self))
        review = self.admin_site.admin_view(partial(review_view, self))
        return [
            path("pending/", queue, name="statements_pending_queue"),
            path("pending/<int:pending_id>/", review, name="statements_pending_revision"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The form, and above it the changes to this statement held for an editor."""
        # Looked up as Django's own view does, so an id that is not a number is its
        # "doesn't exist" redirect, not an error in this query.
        statement = self.get_object(request, unquote(object_id))
        held = PendingRevision.objects.filter(statement=statement).select_related("proposed_by")
        context = {
            "pending_revisions": list(held.order_by("-proposed_at", "-pk")[:10])
            if statement is not None
            else [],
            "pending_total": PendingRevision.objects.pending().count()
            if can_publish(request.user)
            else None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    def save_model(self, request, obj, form, change):
        # Checked before anything is written; the change itself is kept in save_related,
        # once the form's many-to-many choices can be read with it.
        obj._held_for_an_editor = needs_an_editor(
            obj, form.changed_data, can_publish=can_publish(request.user)
        )
        if obj._held_for_an_editor:
            return
        if obj.pk is None:
            obj.created_by = request.user
        obj.updated_by = request.user
        recorded_later(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if form.instance._held_for_an_editor:
            hold_for_approval(form.instance, chosen=form.cleaned_data, user=request.user)
            return
        super().save_related(request, form, formsets, change)
        # Recorded once, now that the topics and mentions are saved too.
        record_revision(form.instance, user=request.user)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form.instance, "_held_for_an_editor", False):
            fields = ", ".join(form.changed_data)
            return f"Proposed a change ({fields}), held for an editor's approval."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if not getattr(obj, "_held_for_an_editor", False):
            return super().response_change(request, obj)
        self.message_user(
            request,
            "Your change is pending editor approval: the public sees the published version "
            "until an editor approves it.",
            messages.WARNING,
        )
        return HttpResponseRedirect(request.path)

    def history_view(self, request, object_id, extra_context=None):
        """The stock history, and above it every recorded version with what it changed."""
        statement = self.get_object(request, object_id)
        revisions = []
        if statement is not None:
            recorded = list(statement.revisions.select_related("changed_by").order_by("version"))
            previous = None
            for revision in recorded:
                revisions.append((revision, diff(previous, revision.data) if previous else []))
                previous = revision.data
            revisions.reverse()
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), "revisions": revisions}
        )

    @admin.display(description="in the article")
    def span(self, obj):
        return span_in_article(obj)

    @admin.display(description="statement")
    def excerpt(self, obj):
        return Truncator(obj.text).words(14)

    def _set_status(self, request, queryset, status):
        changing = list(queryset.exclude(status=status))
        bump_versions(
            Statement.objects.filter(pk__in=[s.pk for s in changing]),
            status=status,
            updated_by=request.user,
            updated_at=timezone.now(),
        )
        for statement in changing:
            record_revision(statement, user=request.user, comment=f"Set to {status} by action")
        return len(changing)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description="Publish the selected statements", permissions=["publish"])
    def publish(self, request, queryset):
        count = self._set_status(request, queryset, Statement.Status.PUBLISHED)
        self.message_user(request, f"Published {count} statement(s).", messages.SUCCESS)

    @admin.action(
        description="Unpublish the selected statements (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        count = self._set_status(request, queryset, Statement.Status.DRAFT)
        self.message_user(request, f"Returned {count} statement(s) to draft.", messages.SUCCESS)
