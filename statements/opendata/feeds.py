"""Atom feeds of the latest published statements: everyone's, an official's, a topic's, or
those of any search (the same parameters as the statements page, ``q`` included).

A feed holds the newest 50 matching statements, newest first, whatever order the page uses.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.text import Truncator

from statements import caching
from statements.models import Official, Statement, Topic
from statements.models.text import UNSAFE
from statements.querystrings import whole_list

from .downloads import InvalidFilters, bad_request, filtered_statements


@dataclass
class FeedSubject:
    title: str
    subtitle: str
    link: str
    statements: QuerySet
    absolute: Callable[[str], str]
    self_url: str


class XmlSafeAtomFeed(Atom1Feed):
    """Atom that drops any character XML cannot carry. The models refuse them and a migration
    cleaned them out, but one written past both (raw SQL) must not make every feed that
    lists its statement fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


def xml_safe(value):
    if isinstance(value, str):
        return UNSAFE.sub("", value)
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    return value


class StatementFeed(Feed):
    """/statements/feed/?q=...&topic=...: the statements page's list as a feed."""

    feed_type = XmlSafeAtomFeed
    limit = 50

    @method_decorator(caching.public_page)
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as error:
            return bad_request(error)

    # -- what the feed is about ---------------------------------------------------------------

    def get_object(self, request, *args, **kwargs):
        filterset, statements = filtered_statements(request)
        labels = "; ".join(chip.label for chip in filterset.chips())
        return self.subject(
            request,
            statements,
            title="statements" + (f" ({labels})" if labels else ""),
            subtitle="The latest statements by diplomats and officials, with their sources.",
            page=reverse("statement_list"),
        )

    @staticmethod
    def subject(request, statements, *, title, subtitle, page):
        """What a feed is about: ``page`` is the path of the page that lists its statements."""
        return FeedSubject(
            title=f"{settings.SITE_NAME}: {title}",
            subtitle=subtitle,
            link=whole_list(page, request.GET),
            statements=statements,
            absolute=request.build_absolute_uri,
            self_url=request.get_full_path(),
        )

    def author_name(self, subject):
        return settings.SITE_NAME

    def title(self, subject):
        return subject.title

    def subtitle(self, subject):
        return subject.subtitle

    def link(self, subject):
        return subject.link

    def feed_url(self, subject):
        return subject.self_url

    def items(self, subject):
        statements = list(subject.statements.with_related().newest_first()[: self.limit])
        for statement in statements:
            # Item methods see only the item: keep the absolute links they need on it.
            statement.feed_source_url = statement.article.url or subject.absolute(
                statement.article.get_absolute_url()
            )
            statement.feed_speaker_url = subject.absolute(statement.speaker.get_absolute_url())
        return statements

    # -- each statement -----------------------------------------------------------------------

    def item_title(self, statement):
        return f"{statement.speaker.name}: “{Truncator(statement.text).words(16)}”"

    def item_description(self, statement):
        role = statement.speaker_role
        article = statement.article
        who = statement.speaker.name + (f", {role.title}" if role else "")
        when_where = ", ".join(
            part for part in (statement.place_display, statement.said_on_display) if part
        )
        translation = (
            format_html("<p>English translation: {}</p>", statement.translation)
            if statement.translation
            else ""
        )
        outlet = f", {article.outlet.name}" if article.outlet_id else ""
        return format_html(
            '<blockquote lang="{}" dir="{}"><p>{}</p></blockquote>{}'
            '<p>{} ({}). {} as reported in <a href="{}">{}</a>{}.</p>',
            statement.language,
            statement.direction,
            statement.text,
            translation,
            who,
            when_where,
            statement.get_kind_display(),
            statement.feed_source_url,
            article.title,
            outlet,
        )

    def item_link(self, statement):
        return statement.get_absolute_url()

    def item_author_name(self, statement):
        return statement.speaker.name

    def item_author_link(self, statement):
        return statement.feed_speaker_url

    def item_pubdate(self, statement):
        """The day the words were said (the first day of the month or year when that is all
        that is known)."""
        return datetime.datetime.combine(statement.said_on, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, statement):
        return statement.updated_at

    def item_categories(self, statement):
        return [topic.name for topic in statement.topics.all()]


class PageFeed(StatementFeed):
    """The feed of one object's page: its published statements, the page's filters applied.

    A subclass names the ``model`` (found by slug), how its statements are ``related``
    ("by" an official, "on" a topic) and ``statements_of`` it.
    """

    model = None
    related = ""

    def statements_of(self, obj):
        raise NotImplementedError

    def get_object(self, request, slug):
        obj = self.model.objects.get(slug=slug)
        _, statements = filtered_statements(request, self.statements_of(obj))
        about = f"{self.related} {obj.name}"
        return self.subject(
            request,
            statements,
            title=f"statements {about}",
            subtitle=f"The latest statements {about}, with their sources.",
            page=obj.get_absolute_url(),
        )


class OfficialFeed(PageFeed):
    """/officials/<slug>/feed/: an official's latest statements (page filters apply too)."""

    model = Official
    related = "by"

    def statements_of(self, official):
        return Statement.objects.published().filter(speaker=official)


class TopicFeed(PageFeed):
    """/topics/<slug>/feed/: the latest statements on a topic or any topic below it."""

    model = Topic
    related = "on"

    def statements_of(self, topic):
        return Statement.objects.published().about_topics([topic])
