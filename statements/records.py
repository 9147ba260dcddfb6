"""How a statement reads as open data: the JSON record the API and the downloads both give.

Conventions (docs/api.md): ``url`` is the object's address in the API and ``html_url`` its
public page, both absolute; related objects are nested summaries carrying both; a date is
``{"date": "2015-09", "precision": "month"}``; a text the curator left blank is ``""`` while a
missing link, identifier, date or related object is ``null``. The API's other records
(officials, topics... in full) are built from the same summaries in ``api/serializers.py``.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from statements.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Outlet,
    Role,
    Statement,
    Topic,
)
from statements.models.dates import DatePrecision, iso_partial_date

# -- value fields ------------------------------------------------------------------------------


class PartialDateSerializer(serializers.Serializer):
    """A date and how much of it is known."""

    date = serializers.CharField(
        help_text="ISO 8601 at the precision known: 2015-09-30, 2015-09 or 2015."
    )
    precision = serializers.ChoiceField(choices=DatePrecision.choices)


@extend_schema_field(PartialDateSerializer)
class PartialDateField(serializers.Field):
    """``{"date": "2015", "precision": "year"}`` from a date field and its precision field."""

    def __init__(self, date_attr, precision_attr, **kwargs):
        self.date_attr, self.precision_attr = date_attr, precision_attr
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        value = getattr(obj, self.date_attr)
        if value is None:
            return None
        precision = getattr(obj, self.precision_attr)
        return {"date": iso_partial_date(value, precision), "precision": precision}


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, such as RU.")
    name = serializers.CharField(help_text="The country's English name.")


@extend_schema_field(CountrySerializer)
class CountryValueField(serializers.Field):
    """``{"code": "RU", "name": "Russia"}``, or null when no country is recorded."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, country):
        return {"code": country.code, "name": str(country.name)} if country else None


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(OpenApiTypes.STR)
class BlankAsNullField(serializers.Field):
    """A string that is null rather than empty when the archive does not have it."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field(OpenApiTypes.URI)
class LinkField(BlankAsNullField):
    pass


def api_url(view_name):
    """The object's address in this API (statements by id, everything else by slug)."""
    lookup = {"lookup_field": "pk", "lookup_url_kwarg": "id"} if view_name == "statement" else {}
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}-detail", read_only=True, **({"lookup_field": "slug"} | lookup)
    )


class RecordSerializer(serializers.ModelSerializer):
    """A model's fields, all read-only: the schema then describes answers, not input."""

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra


# -- summaries: how one object appears inside another ------------------------------------------


class OfficialSummarySerializer(RecordSerializer):
    url = api_url("official")
    html_url = PageUrlField()
    country = CountryValueField()
    wikidata_id = BlankAsNullField(help_text="The official's Wikidata item, such as Q22316.")
    wikidata_url = LinkField(help_text="The official's page on Wikidata.")

    class Meta:
        model = Official
        fields = ["id", "slug", "name", "country", "wikidata_id", "wikidata_url", "url", "html_url"]


class TopicSummarySerializer(RecordSerializer):
    url = api_url("topic")
    html_url = PageUrlField()

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "url", "html_url"]


class MeetingSummarySerializer(RecordSerializer):
    url = api_url("meeting")
    html_url = PageUrlField()
    start_date = PartialDateField("start_date", "start_date_precision")

    class Meta:
        model = Meeting
        fields = ["id", "slug", "title", "kind", "start_date", "url", "html_url"]


class OutletSummarySerializer(RecordSerializer):
    url = api_url("outlet")

    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "url"]


class OrganizationSummarySerializer(RecordSerializer):
    url = api_url("organization")

    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "url"]


class ArticleSummarySerializer(RecordSerializer):
    url = api_url("article")
    html_url = PageUrlField()
    source_url = LinkField(source="url", help_text="Where the article was published.")
    outlet = OutletSummarySerializer(read_only=True, allow_null=True)
    published_on = PartialDateField("published_on", "published_on_precision", allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "slug", "title", "outlet", "published_on", "source_url", "url", "html_url"]


class StatementSummarySerializer(RecordSerializer):
    url = api_url("statement")
    html_url = PageUrlField()
    speaker = OfficialSummarySerializer(read_only=True)
    said_on = PartialDateField("said_on", "said_on_precision")

    class Meta:
        model = Statement
        fields = ["id", "speaker", "said_on", "text", "url", "html_url"]


class RoleSerializer(RecordSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    start_date = PartialDateField("start_date", "start_date_precision")
    end_date = PartialDateField(
        "end_date", "end_date_precision", allow_null=True, help_text="Null while in office."
    )

    class Meta:
        model = Role
        fields = ["title", "organization", "start_date", "end_date"]


# -- statements --------------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    city = serializers.CharField(source="place_city", allow_blank=True)
    country = CountryValueField(source="place_country")


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="First character of the statement in the body.")
    end = serializers.IntegerField(help_text="One past its last character.")


def statements_for_records(queryset):
    """Everything the statement record shows, in a constant number of queries.

    Replies are prefetched as published only, under their own name, so that a reply still
    in draft can never be reached through a published statement.
    """
    replies = Statement.objects.published().select_related("speaker").oldest_first()
    return (
        queryset.with_related()
        .select_related("in_reply_to__speaker")
        .prefetch_related(
            "mentions", Prefetch("replies", queryset=replies, to_attr="published_replies")
        )
    )


class StatementSerializer(RecordSerializer):
    url = api_url("statement")
    html_url = PageUrlField()
    said_on = PartialDateField("said_on", "said_on_precision")
    place = PlaceSerializer(source="*", read_only=True)
    speaker = OfficialSummarySerializer(read_only=True)
    speaker_role = serializers.SerializerMethodField(
        help_text="The role the speaker held on the day, when the archive knows it."
    )
    meeting = MeetingSummarySerializer(read_only=True, allow_null=True)
    article = ArticleSummarySerializer(read_only=True)
    article_span = serializers.SerializerMethodField(
        help_text="Where the words stand in the article's body, when known."
    )
    topics = TopicSummarySerializer(many=True, read_only=True)
    mentions = OfficialSummarySerializer(
        many=True, read_only=True, help_text="Officials the statement names."
    )
    in_reply_to = serializers.SerializerMethodField(
        help_text="The published statement this one answers."
    )
    replies = StatementSummarySerializer(
        source="published_replies", many=True, read_only=True, help_text="Published answers."
    )
    snippet = serializers.SerializerMethodField(
        help_text="In a search (q), the text as HTML with the matched words in <mark>; "
        "the statement's own text is escaped. Null otherwise."
    )

    class Meta:
        model = Statement
        fields = [
            "id",
            "text",
            "translation",
            "kind",
            "language",
            "said_on",
            "place",
            "speaker",
            "speaker_role",
            "attribution",
            "meeting",
            "article",
            "article_span",
            "topics",
            "mentions",
            "in_reply_to",
            "replies",
            "snippet",
            "url",
            "html_url",
        ]

    @extend_schema_field(RoleSerializer(allow_null=True))
    def get_speaker_role(self, statement):
        role = statement.speaker_role
        return RoleSerializer(role, context=self.context).data if role else None

    @extend_schema_field(SpanSerializer(allow_null=True))
    def get_article_span(self, statement):
        if statement.start_offset is None:
            return None
        return {"start": statement.start_offset, "end": statement.end_offset}

    @extend_schema_field(StatementSummarySerializer(allow_null=True))
    def get_in_reply_to(self, statement):
        replied = statement.in_reply_to
        if replied is None or not replied.is_published:
            return None
        return StatementSummarySerializer(replied, context=self.context).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_snippet(self, statement):
        snippet = self.context.get("snippets", {}).get(statement.pk)
        return str(snippet) if snippet is not None else None
