"""Pages of results: ``count``, ``next``, ``previous`` and ``results``."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class StatementPagination(Pagination):
    """Adds what a search page shows beside its results: the query, the order and facets."""

    def get_paginated_response(self, data, *, query="", sort="", facets=None):
        response = super().get_paginated_response(data)
        response.data.update(query=query, sort=sort, facets=facets or {})
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"].update(
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
        paginated["required"] = sorted({*paginated.get("required", []), "query", "sort", "facets"})
        return paginated
