"""Public pages. Thin views: the query logic lives on the QuerySets."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Meeting, Official, Statement, Topic

PAGE_SIZE = 20


class HomeView(TemplateView):
    template_name = "statements/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_statements"] = (
            Statement.objects.published().with_related().newest_first()[:10]
        )
        return context


class OfficialListView(ListView):
    model = Official
    paginate_by = 50


class OfficialDetailView(DetailView):
    model = Official

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statements"] = (
            self.object.statements.published().with_related().newest_first()[:PAGE_SIZE]
        )
        return context


class TopicListView(ListView):
    model = Topic


class TopicDetailView(DetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statements"] = (
            Statement.objects.published()
            .about_topics([self.object])
            .with_related()
            .newest_first()[:PAGE_SIZE]
        )
        return context


class MeetingListView(ListView):
    model = Meeting
    paginate_by = 50


class MeetingDetailView(DetailView):
    model = Meeting


class ArticleListView(ListView):
    model = Article
    paginate_by = 50
    queryset = Article.objects.select_related("outlet")


class ArticleDetailView(DetailView):
    model = Article


class StatementListView(ListView):
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Statement.objects.published().with_related().newest_first()


class StatementDetailView(DetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(Statement.objects.published().with_related(), pk=self.kwargs["pk"])
