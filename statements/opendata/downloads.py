"""Downloads of any list of statements, as CSV or JSON, streamed.

A download takes the same parameters as the statements page (the shared StatementFilter,
``q`` included) and holds the same rows in the same order; rows are read from the database
in chunks and written out as they come, so a large download never sits whole in memory.
"""

import csv
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from statements.filters import StatementFilter
from statements.models import Statement
from statements.models.dates import iso_partial_date
from statements.records import StatementSerializer, statements_for_records

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "id",
    "permalink",
    "said_on",
    "said_on_precision",
    "speaker",
    "speaker_slug",
    "speaker_wikidata_id",
    "speaker_role",
    "speaker_organization",
    "attribution",
    "kind",
    "language",
    "text",
    "translation",
    "place_city",
    "place_country",
    "meeting",
    "meeting_slug",
    "topics",
    "article_title",
    "article_url",
    "outlet",
    "article_published_on",
]

# A cell a spreadsheet would read as a formula (OWASP "CSV injection") gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class InvalidFilters(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


def filtered_statements(request, base=None):
    """(filterset, queryset): published statements as the statements page lists them.

    Raises InvalidFilters with one message per parameter the page would also refuse.
    """
    base = Statement.objects.published() if base is None else base
    filterset = StatementFilter(request.GET, queryset=base, request=request)
    if not filterset.is_valid():
        raise InvalidFilters([f"{name}: {message}" for name, message in filterset.invalid_params()])
    return filterset, filterset.qs


def bad_request(error):
    return HttpResponse(
        "These parameters cannot be used:\n" + "\n".join(error.messages) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def download_name(extension):
    return f"verbatim-statements-{datetime.date.today():%Y%m%d}.{extension}"


class Echo:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(statement, absolute):
    role = statement.speaker_role
    article = statement.article
    row = [
        statement.pk,
        absolute(statement.get_absolute_url()),
        statement.said_on_iso,
        statement.said_on_precision,
        statement.speaker.name,
        statement.speaker.slug,
        statement.speaker.wikidata_id,
        role.title if role else "",
        role.organization.name if role else "",
        statement.attribution,
        statement.kind,
        statement.language,
        statement.text,
        statement.translation,
        statement.place_city,
        statement.place_country.code if statement.place_country else "",
        statement.meeting.title if statement.meeting_id else "",
        statement.meeting.slug if statement.meeting_id else "",
        "; ".join(topic.slug for topic in statement.topics.all()),
        article.title,
        article.url,
        article.outlet.name if article.outlet_id else "",
        iso_partial_date(article.published_on, article.published_on_precision),
    ]
    return [safe_cell(value) for value in row]


def streamed_download(request, pieces, *, extension, content_type):
    """The filtered statements as a file to save; ``pieces(queryset, request)`` yields its text."""
    try:
        _, queryset = filtered_statements(request)
    except InvalidFilters as error:
        return bad_request(error)
    response = StreamingHttpResponse(pieces(queryset, request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_name(extension)}"'
    return response


def csv_lines(queryset, request):
    writer = csv.writer(Echo())
    yield "\ufeff"  # a byte order mark, so that spreadsheets read the file as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for statement in queryset.with_related().iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(csv_row(statement, request.build_absolute_uri))


@require_safe
def statements_csv(request):
    return streamed_download(
        request, csv_lines, extension="csv", content_type="text/csv; charset=utf-8"
    )


def json_pieces(queryset, request):
    yield "["
    for index, statement in enumerate(
        statements_for_records(queryset).iterator(chunk_size=CHUNK_SIZE)
    ):
        data = StatementSerializer(statement, context={"request": request}).data
        yield (
            ("," if index else "")
            + "\n"
            + json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
        )
    yield "\n]\n"


@require_safe
def statements_json(request):
    """The rows as the API's statement objects (docs/api.md), in one JSON array."""
    return streamed_download(
        request, json_pieces, extension="json", content_type="application/json; charset=utf-8"
    )
