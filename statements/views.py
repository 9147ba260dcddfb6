"""Public pages. Thin views: the query logic lives on the QuerySets and in the FilterSet.

Every page runs a constant number of queries whatever the archive's size: lists are
paginated or capped, and what each row shows is joined or prefetched (``with_related``).
Only published statements appear anywhere here.
"""

import datetime

from django.db.models import Count, F, Prefetch
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from . import caching, paging, search
from . import facets as facet_engine
from .citations import citation, quotation_json_ld
from .filters import StatementFilter
from .models import Article, FormerSlug, Meeting, Official, Role, Statement, Topic
from .models.dates import DatePrecision
from .paging import CappedPaginator, paginate
from .querystrings import with_param

PAGE_SIZE = 20
# Every public page is served from the cache until the archive changes (statements/caching.py).
public_page = method_decorator(caching.public_page, name="dispatch")
FACET_TITLES = {"official": "Officials", "topic": "Topics", "year": "Years", "kind": "Kind"}


class Moved(Exception):
    def __init__(self, obj):
        self.obj = obj


class FormerSlugRedirectMixin:
    """Links last: the URL with a slug the object used to have redirects (301) to the new one."""

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            current = FormerSlug.find_current(self.model, self.kwargs["slug"])
            if current is None:
                raise
            raise Moved(current) from None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Moved as moved:
            url = moved.obj.get_absolute_url()
            if request.META.get("QUERY_STRING"):
                url = f"{url}?{request.META['QUERY_STRING']}"
            return HttpResponsePermanentRedirect(url)


class StatementListMixin:
    """A page showing published statements through the shared StatementFilter.

    ``fixed_params`` are the filters the page itself implies (the official on an official's
    page): the form does not offer them again. ``statement_order`` is the order the page
    imposes (``order_by`` fields), if any, in place of the filter's.

    The list is read once, as light rows of its first ``paging.COUNT_CAP + 1`` statements
    (``StatementFilter.first_rows``): they give the capped count, the page's statements and
    the facets, so a search reads and scores its matches once, whatever the words.
    """

    statements_per_page = PAGE_SIZE
    fixed_params = ()
    statement_order = None

    def base_statements(self):
        return Statement.objects.published()

    def statement_context(self):
        request = self.request
        filterset = StatementFilter(request.GET, queryset=self.base_statements(), request=request)
        rows = filterset.first_rows(paging.COUNT_CAP + 1, order_by=self.statement_order)
        page = paginate(request, rows, self.statements_per_page, CappedPaginator)
        statements = Statement.objects.with_related().in_order([row.pk for row in page])
        page.object_list = statements
        if filterset.query:
            snippets = search.highlight(statements, filterset.query)
            for statement in statements:
                statement.snippet = snippets.get(statement.pk)
        return {
            "filterset": filterset,
            "filter_form": filterset.form,
            "filter_errors": filterset.invalid_params(),
            "chips": filterset.chips(),
            "fixed_params": self.fixed_params,
            "hidden_params": self.hidden_params(filterset),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "statements": statements,
            "statement_rows": rows,
            "total": page.paginator.count,
            "total_capped": page.paginator.capped,
            "query": filterset.query,
        }

    def hidden_params(self, filterset):
        """Filters set by links rather than form controls, carried along when the form is sent."""
        carried = []
        for name in ("official", "meeting", "organization"):
            if name not in self.fixed_params:
                carried += [(name, value) for value in self.request.GET.getlist(name)]
        return carried

    def render_to_response(self, context, **kwargs):
        if context.get("filter_errors"):
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)


def published_topic_counts():
    """``Topic.objects.published_counts()``, cached until the archive changes."""
    return caching.remember("topic-counts", (), Topic.objects.published_counts)


@public_page
class HomeView(TemplateView):
    template_name = "statements/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(caching.remember("home", (), self.aggregates))
        context["latest_statements"] = (
            Statement.objects.published().with_related().newest_first()[:10]
        )
        return context

    @staticmethod
    def aggregates():
        """What the home page counts over the whole archive: cached until the archive changes."""
        counts = published_topic_counts()
        topics = list(Topic.objects.filter(pk__in=[pk for pk, n in counts.items() if n]))
        for topic in topics:
            topic.published_count = counts[topic.pk]
        topics.sort(key=lambda topic: (-topic.published_count, topic.name))
        return {
            "most_quoted": list(Official.objects.most_quoted()[:8]),
            "topics": topics[:12],
            "recent_meetings": list(Meeting.objects.recent().with_published_counts()[:5]),
            "statement_total": Statement.objects.published_total(),
        }


@public_page
class OfficialListView(ListView):
    paginate_by = 50
    queryset = (
        Official.objects.with_published_counts()
        .order_by("sort_name", "name", "pk")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("organization")))
    )

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        for official in context["object_list"]:
            roles = list(official.roles.all())
            official.current_role = Role.pick_for_date(roles, today) or max(
                roles, key=lambda role: role.start_date, default=None
            )
        return context


def timeline_points(official):
    """(label, count) per year, or per month when every date is known to the month and the
    statements span little more than a year; empty periods included."""
    rows = list(
        Statement.objects.published()
        .filter(speaker=official)
        .order_by()
        .annotate(year=ExtractYear("said_on"), month=ExtractMonth("said_on"))
        .values("year", "month", "said_on_precision")
        .annotate(n=Count("pk"))
    )
    if not rows:
        return []
    first, last = min(r["year"] for r in rows), max(r["year"] for r in rows)
    by_month = last - first <= 1 and all(r["said_on_precision"] != DatePrecision.YEAR for r in rows)
    counts = {}
    for row in rows:
        key = (row["year"], row["month"]) if by_month else row["year"]
        counts[key] = counts.get(key, 0) + row["n"]
    if by_month:
        start = min(counts)
        end = max(counts)
        points, (year, month) = [], start
        while (year, month) <= end:
            label = format_date(datetime.date(year, month, 1), "M Y")
            points.append((label, counts.get((year, month), 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return points
    return [(str(year), counts.get(year, 0)) for year in range(first, last + 1)]


@public_page
class OfficialDetailView(FormerSlugRedirectMixin, StatementListMixin, DetailView):
    model = Official
    fixed_params = ("official",)
    queryset = Official.objects.prefetch_related(
        Prefetch("roles", queryset=Role.objects.current_first().select_related("organization"))
    )

    def base_statements(self):
        return Statement.objects.published().filter(speaker=self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        official = self.object
        context.update(self.statement_context())
        context["roles"] = official.roles.all()
        context.update(caching.remember("official", (official.pk,), self.aggregates))
        return context

    def aggregates(self):
        """What the page counts over all the official's statements, cached."""
        official = self.object
        return {
            "topics": list(Topic.objects.spoken_on_by(official)[:20]),
            "meetings": list(Meeting.objects.attended_by(official).recent()[:20]),
            "timeline": timeline_points(official),
        }


@public_page
class TopicListView(ListView):
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = published_topic_counts()
        topics = list(context["object_list"])
        children = {}
        for topic in topics:
            topic.published_count = counts.get(topic.pk, 0)
            topic.subtopics = []
            children.setdefault(topic.parent_id, []).append(topic)
        for topic in topics:
            topic.subtopics = children.get(topic.pk, [])
        context["roots"] = children.get(None, [])
        return context


@public_page
class TopicDetailView(FormerSlugRedirectMixin, StatementListMixin, DetailView):
    model = Topic
    fixed_params = ("topic",)
    queryset = Topic.objects.select_related("parent")

    def base_statements(self):
        return Statement.objects.published().about_topics([self.object])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        counts = published_topic_counts()
        subtopics = list(topic.children.all())
        for subtopic in subtopics:
            subtopic.published_count = counts.get(subtopic.pk, 0)
        context.update(self.statement_context())
        context["subtopics"] = subtopics
        context["most_quoted"] = caching.remember(
            "topic-most-quoted", (topic.pk,), self.most_quoted
        )
        return context

    def most_quoted(self):
        return Official.objects.most_quoted_on(Topic.objects.below(self.object), limit=10)


@public_page
class MeetingListView(ListView):
    paginate_by = 30
    queryset = Meeting.objects.with_published_counts().order_by("-start_date", "title", "pk")

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()


@public_page
class MeetingDetailView(FormerSlugRedirectMixin, StatementListMixin, DetailView):
    model = Meeting
    fixed_params = ("meeting", "sort")
    statements_per_page = 50

    def get_queryset(self):
        return Meeting.objects.prefetch_related(
            Prefetch("participants", queryset=Official.objects.order_by("sort_name", "name")),
            Prefetch("articles", queryset=Article.objects.select_related("outlet")),
        )

    def base_statements(self):
        return Statement.objects.published().filter(meeting=self.object)

    # Grouped by speaker, each speaker's statements in the order they were reported.
    statement_order = (
        "speaker__sort_name",
        "speaker__name",
        "speaker",
        "said_on",
        "start_offset",
        "pk",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.statement_context())
        return context


@public_page
class ArticleListView(ListView):
    paginate_by = 30
    queryset = (
        Article.objects.select_related("outlet")
        .with_published_counts()
        .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
    )

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()


@public_page
class ArticleDetailView(FormerSlugRedirectMixin, DetailView):
    model = Article
    queryset = Article.objects.select_related("outlet").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.recent())
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statements"] = list(
            Statement.objects.published()
            .filter(article=self.object)
            .with_related()
            .order_by("start_offset", "pk")
        )
        return context


@public_page
class StatementListView(StatementListMixin, TemplateView):
    template_name = "statements/statement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.statement_context())
        filterset = context["filterset"]
        query = filterset.query
        context["officials_named"] = (
            search.officials_named(query, Official.objects) if query else []
        )
        context["facets"] = (
            self.facets(context["statement_rows"]) if not context["filter_errors"] else []
        )
        context["removable_words"] = self.removable_words(query)
        context["sort_relevance"] = filterset.sort_in_force == "relevance"
        return context

    def facets(self, rows):
        """Facet groups beside the results; each value links to the list with it added."""
        params = self.request.GET
        groups = []
        for name, values in facet_engine.facet_counts(rows).items():
            if not values:
                continue
            items = [
                {
                    "label": value.label,
                    "count": value.count,
                    "url": with_param(params, value.param, value.value),
                    "active": value.value in params.getlist(value.param),
                }
                for value in values
            ]
            groups.append({"name": name, "title": FACET_TITLES.get(name, name), "items": items})
        return groups

    def removable_words(self, query):
        """For an empty result: the query without each of its words in turn."""
        words = query.split()
        if len(words) < 2:
            return []
        suggestions = []
        for index, word in enumerate(words[:8]):
            rest = " ".join(words[:index] + words[index + 1 :])
            suggestions.append({"word": word, "url": with_param(self.request.GET, "q", rest)})
        return suggestions


@public_page
class StatementDetailView(DetailView):
    template_name = "statements/statement_detail.html"
    context_object_name = "statement"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Statement.objects.published()
            .with_related()
            .select_related("in_reply_to__speaker", "in_reply_to__article"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        permalink = self.request.build_absolute_uri(statement.get_absolute_url())
        replied = statement.in_reply_to
        context.update(
            permalink=permalink,
            in_reply_to=replied if replied is not None and replied.is_published else None,
            replies=statement.replies.published().with_related().oldest_first()[:50],
            mentions=statement.mentions.all(),
            citation=citation(statement, permalink),
            json_ld=quotation_json_ld(statement, self.request),
            quote_cite=statement.article.url
            or self.request.build_absolute_uri(statement.article.get_absolute_url()),
        )
        return context


def page_not_found(request, exception):
    """The 404 page, saying why when the reason is ours to give (a missing page number...)."""
    message = ""
    if type(exception) is Http404 and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", {"request_path": request.path}, status=500)


def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
