"""sitemap.xml: every public page a search engine should know about."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Meeting, Official, Statement, Topic


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "home",
            "statement_list",
            "official_list",
            "topic_list",
            "meeting_list",
            "article_list",
        ]

    def location(self, item):
        return reverse(item)


class StatementSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 10000

    def items(self):
        return Statement.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, statement):
        return statement.updated_at


class SlugSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 10000
    model = None

    def items(self):
        return self.model._default_manager.only("pk", "slug").order_by("pk")


class OfficialSitemap(SlugSitemap):
    model = Official


class TopicSitemap(SlugSitemap):
    model = Topic


class MeetingSitemap(SlugSitemap):
    model = Meeting


class ArticleSitemap(SlugSitemap):
    model = Article


sitemaps = {
    "pages": PagesSitemap,
    "statements": StatementSitemap,
    "officials": OfficialSitemap,
    "topics": TopicSitemap,
    "meetings": MeetingSitemap,
    "articles": ArticleSitemap,
}
