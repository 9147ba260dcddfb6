"""Pages of results: ``count``, ``next``, ``previous`` and ``results``."""

from rest_framework.pagination import PageNumberPagination

from statements.paging import CappedPaginator


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class StatementPagination(Pagination):
    """Adds what a search page shows beside its results: the query, the order and facets.

    Like the statements page, it counts at most 1,000: a longer list has ``count`` 1000 and
    ``count_capped`` true ("1,000+"), and its pages run to the thousandth statement.
    """

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data, *, query="", sort="", facets=None):
        response = super().get_paginated_response(data)
        response.data.update(
            count_capped=self.page.paginator.capped, query=query, sort=sort, facets=facets or {}
        )
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"].update(
            count_capped={
                "type": "boolean",
                "description": "True when the list is longer than count (1,000): "
                "show it as 1,000+ and narrow the filters to see further.",
            },
            query={
                "type": "string",
                "description": "The words searched for (q), empty when none.",
            },
            sort={
                "type": "string",
                "enum": ["relevance", "newest", "oldest"],
                "description": "The order in force.",
            },
            facets={
                "type": "object",
                "description": "Counts within all the results, by official, topic, year "
                "and kind: each value with the filter that narrows the list to it.",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "value": {"type": "string"},
                            "label": {"type": "string"},
                            "count": {"type": "integer"},
                            "url": {"type": "string", "format": "uri"},
                        },
                        "required": ["value", "label", "count", "url"],
                    },
                },
            },
        )
        paginated["required"] = sorted(
            {*paginated.get("required", []), "count_capped", "query", "sort", "facets"}
        )
        return paginated
