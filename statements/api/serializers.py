"""How the API's records read as JSON: stable, documented fields (docs/api.md).

A statement's record, the summaries nested in every record and the value fields are shared
with the downloads, in ``statements/records.py``; here are the rest of the API's records
(officials, topics, meetings, articles, outlets and organisations in full).
"""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from statements.models import Article, Meeting, Official, Organization, Outlet, Topic
from statements.records import (
    ArticleSummarySerializer,
    CountryValueField,
    LinkField,
    MeetingSummarySerializer,
    OfficialSummarySerializer,
    OrganizationSummarySerializer,
    OutletSummarySerializer,
    PartialDateField,
    RoleSerializer,
    StatementSummarySerializer,
    TopicSummarySerializer,
)

# -- links from a record to its lists and feeds ----------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class FilteredListUrlField(serializers.Field):
    """The API's statement list filtered on this object, e.g. ``/api/v1/statements/?topic=x``."""

    def __init__(self, param, **kwargs):
        self.param = param
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        base = api_reverse("api:statement-list", request=self.context["request"])
        return f"{base}?{urlencode({self.param: slug})}"


@extend_schema_field(OpenApiTypes.URI)
class FeedUrlField(serializers.Field):
    """The absolute address of the object's Atom feed."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return self.context["request"].build_absolute_uri(reverse(self.view_name, args=[slug]))


# -- the other records -------------------------------------------------------------------------


class OfficialSerializer(OfficialSummarySerializer):
    roles = RoleSerializer(many=True, read_only=True)
    statement_count = serializers.IntegerField(
        source="published_count", read_only=True, help_text="Published statements by them."
    )
    statements_url = FilteredListUrlField("official")
    feed_url = FeedUrlField("official_feed")

    class Meta:
        model = Official
        fields = [
            "id",
            "slug",
            "name",
            "sort_name",
            "other_names",
            "country",
            "biography",
            "wikidata_id",
            "wikidata_url",
            "roles",
            "statement_count",
            "statements_url",
            "feed_url",
            "url",
            "html_url",
        ]


class TopicSerializer(TopicSummarySerializer):
    parent = TopicSummarySerializer(read_only=True, allow_null=True)
    children = TopicSummarySerializer(many=True, read_only=True)
    statement_count = serializers.SerializerMethodField(
        help_text="Published statements on this topic or on any topic below it."
    )
    statements_url = FilteredListUrlField("topic")
    feed_url = FeedUrlField("topic_feed")

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "parent",
            "children",
            "statement_count",
            "statements_url",
            "feed_url",
            "url",
            "html_url",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_statement_count(self, topic):
        return self.context["topic_counts"].get(topic.pk, 0)


class MeetingSerializer(MeetingSummarySerializer):
    end_date = PartialDateField("end_date", "end_date_precision", allow_null=True)
    country = CountryValueField()
    participants = OfficialSummarySerializer(many=True, read_only=True)
    articles = ArticleSummarySerializer(
        many=True, read_only=True, help_text="Articles that report the meeting."
    )
    statement_count = serializers.IntegerField(source="published_count", read_only=True)
    statements_url = FilteredListUrlField("meeting")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "start_date",
            "end_date",
            "city",
            "country",
            "description",
            "participants",
            "articles",
            "statement_count",
            "statements_url",
            "url",
            "html_url",
        ]


class ArticleSerializer(ArticleSummarySerializer):
    retrieved_on = serializers.DateField(read_only=True, allow_null=True)
    statement_count = serializers.IntegerField(source="published_count", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "outlet",
            "published_on",
            "byline",
            "language",
            "source_url",
            "retrieved_on",
            "curator_note",
            "statement_count",
            "url",
            "html_url",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    statements = StatementSummarySerializer(
        source="published_statements",
        many=True,
        read_only=True,
        help_text="Its published statements, in the order they stand in the text.",
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields[:-2], "body", "statements", "url", "html_url"]


class OutletSerializer(OutletSummarySerializer):
    homepage = LinkField()
    country = CountryValueField()

    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "homepage", "country", "language", "url"]


class OrganizationSerializer(OrganizationSummarySerializer):
    country = CountryValueField()
    parent = OrganizationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "kind", "country", "parent", "url"]
