"""How the statement filters read in the OpenAPI schema.

drf-spectacular guesses a parameter's type from its filter; for the slugs, the year and the
country it guesses poorly (a year as a date), so this extension states them, with help text.
Any parameter not listed here keeps drf-spectacular's reading of the FilterSet.
"""

from django_countries import countries
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter

STRING = {"type": "string"}

PARAMETERS = {
    "q": (
        {"type": "string", "maxLength": 500},
        "Words to search for in the statements' text and translation, as in the search "
        "box of the statements page. With words, results come most relevant first.",
    ),
    "official": (
        {"type": "array", "items": STRING},
        "An official's slug, such as sergei-lavrov; repeat to include several officials.",
    ),
    "topic": (STRING, "A topic's slug; statements on its subtopics are included."),
    "meeting": (STRING, "A meeting's slug."),
    "organization": (STRING, "An organisation's slug: statements by officials who served it."),
    "country": (
        {"type": "string", "enum": [code for code, _ in countries]},
        "The speaker's country, as an ISO 3166-1 alpha-2 code such as RU.",
    ),
    "language": (STRING, "The statement's language, a BCP 47 tag such as en, ru or ar."),
    "year": (
        {"type": "integer", "minimum": 1, "maximum": 9999},
        "The year the statement was made, such as 2015.",
    ),
    "date_from": (
        {"type": "string", "format": "date"},
        "Said on or after this day (YYYY-MM-DD); a statement dated only to a month or a year "
        "is kept when that month or year reaches into the range.",
    ),
    "date_to": ({"type": "string", "format": "date"}, "Said on or before this day (YYYY-MM-DD)."),
}


class StatementFilterExtension(DjangoFilterExtension):
    target_class = "statements.api.views.StatementFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if field_name not in PARAMETERS:
            return super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
        schema, description = PARAMETERS[field_name]
        many = schema["type"] == "array"
        return [
            build_parameter_type(
                name=field_name,
                schema=dict(schema),
                location=OpenApiParameter.QUERY,
                description=description,
                explode=True if many else None,
                style="form" if many else None,
            )
        ]
