"""Read-only endpoints: a list and a detail for each kind of record.

Every list is paginated and every row's related objects are joined or prefetched, so that
each request runs the same number of queries however many statements there are.
"""

from django.db.models import F, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.decorators import schema as view_schema
from rest_framework.exceptions import NotFound
from rest_framework.reverse import reverse as api_reverse

from statements import facets, records, search
from statements.filters import StatementFilter
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
from statements.querystrings import with_param

from . import schema as _schema_extensions  # noqa: F401  (registers the filter extension)
from . import serializers as api
from .pagination import StatementPagination

NOT_FOUND = OpenApiResponse(
    inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description="No such record, or no such page of results.",
)
INVALID_FILTERS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"year": ["Give the year as a number, such as 2015."]},
    },
    description="A filter value cannot be used: each parameter named with what is wrong.",
)


def documented(
    name, *, detail_lookup, serializer, detail_serializer=None, list_errors=None, description=""
):
    """The schema of a list and a detail endpoint, with the errors they can answer."""
    lookup = OpenApiParameter(
        detail_lookup,
        OpenApiTypes.INT if detail_lookup == "id" else OpenApiTypes.STR,
        OpenApiParameter.PATH,
    )
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {name}",
            description=description,
            responses={200: serializer(many=True), 404: NOT_FOUND, **(list_errors or {})},
        ),
        retrieve=extend_schema(
            summary=f"One of the {name}",
            parameters=[lookup],
            responses={200: detail_serializer or serializer, 404: NOT_FOUND},
        ),
    )


class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only: anything else is answered 405."""

    lookup_field = "slug"
    # No NUL: PostgreSQL refuses it in a query, so such an address must not reach one.
    lookup_value_regex = "[^/.\\x00]+"


class StatementFilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend, keeping the FilterSet for the view (query, sort)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        view.filterset = filterset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs


@documented(
    "statements",
    detail_lookup="id",
    serializer=records.StatementSerializer,
    list_errors={400: INVALID_FILTERS},
    description="Published statements, filtered and searched exactly as on the statements "
    "page. With `q`, each result has a `snippet` and the default order is relevance.",
)
class StatementViewSet(ArchiveViewSet):
    serializer_class = records.StatementSerializer
    filter_backends = [StatementFilterBackend]
    filterset_class = StatementFilter
    pagination_class = StatementPagination
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return Statement.objects.published()

    def filter_queryset(self, queryset):
        if self.action == "list":
            queryset = super().filter_queryset(queryset)
        return records.statements_for_records(queryset)

    def list(self, request, *args, **kwargs):
        """The list read once, as the statements page reads it (``StatementFilter.first_rows``).

        The first matches (one more than the capped count shows), as light rows, give the
        count, the page and the facets; then only the page's statements are read whole.
        """
        self.filter_queryset(self.get_queryset())  # keeps self.filterset, or answers 400
        rows = self.filterset.first_rows(search.RANKED_CANDIDATES)
        page = self.paginate_queryset(rows)
        statements = records.statements_for_records(Statement.objects.all()).in_order(
            [row.pk for row in page]
        )
        query = self.filterset.query
        snippets = search.highlight(statements, query) if query else {}
        serializer = self.get_serializer(
            statements, many=True, context={**self.get_serializer_context(), "snippets": snippets}
        )
        return self.paginator.get_paginated_response(
            serializer.data,
            query=query,
            sort=self.filterset.sort_in_force,
            facets=self.facets(rows),
        )

    def facets(self, rows):
        base = api_reverse("api:statement-list", request=self.request)
        params = self.request.query_params
        return {
            group: [
                {
                    "value": value.value,
                    "label": value.label,
                    "count": value.count,
                    "url": base + with_param(params, value.param, value.value),
                }
                for value in values
            ]
            for group, values in facets.facet_counts(rows).items()
        }


@documented("officials", detail_lookup="slug", serializer=api.OfficialSerializer)
class OfficialViewSet(ArchiveViewSet):
    serializer_class = api.OfficialSerializer
    queryset = (
        Official.objects.with_published_counts()
        .order_by("sort_name", "name", "pk")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.current_first().select_related("organization"))
        )
    )


@documented("topics", detail_lookup="slug", serializer=api.TopicSerializer)
class TopicViewSet(ArchiveViewSet):
    serializer_class = api.TopicSerializer
    queryset = (
        Topic.objects.select_related("parent").prefetch_related("children").order_by("name", "pk")
    )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["topic_counts"] = Topic.objects.published_counts()
        return context


@documented("meetings", detail_lookup="slug", serializer=api.MeetingSerializer)
class MeetingViewSet(ArchiveViewSet):
    serializer_class = api.MeetingSerializer
    queryset = (
        Meeting.objects.with_published_counts()
        .order_by("-start_date", "title", "pk")
        .prefetch_related(
            Prefetch("participants", queryset=Official.objects.order_by("sort_name", "name")),
            Prefetch("articles", queryset=Article.objects.select_related("outlet")),
        )
    )


@documented(
    "articles",
    detail_lookup="slug",
    serializer=api.ArticleSerializer,
    detail_serializer=api.ArticleDetailSerializer,
)
class ArticleViewSet(ArchiveViewSet):
    def get_serializer_class(self):
        if self.action == "retrieve":
            return api.ArticleDetailSerializer
        return api.ArticleSerializer

    def get_queryset(self):
        queryset = (
            Article.objects.select_related("outlet")
            .with_published_counts()
            .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
        )
        if self.action == "retrieve":
            published = (
                Statement.objects.published()
                .select_related("speaker")
                .order_by("start_offset", "pk")
            )
            queryset = queryset.prefetch_related(
                Prefetch("statements", queryset=published, to_attr="published_statements")
            )
        return queryset


@documented("outlets", detail_lookup="slug", serializer=api.OutletSerializer)
class OutletViewSet(ArchiveViewSet):
    serializer_class = api.OutletSerializer
    queryset = Outlet.objects.order_by("name", "pk")


@documented("organisations", detail_lookup="slug", serializer=api.OrganizationSerializer)
class OrganizationViewSet(ArchiveViewSet):
    serializer_class = api.OrganizationSerializer
    queryset = Organization.objects.select_related("parent").order_by("name", "pk")


@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@view_schema(None)
def not_found(request, *args, **kwargs):
    """Any other address under the API: a JSON 404, not the site's HTML page."""
    raise NotFound("There is nothing at this address in the API. Start from /api/v1/.")
