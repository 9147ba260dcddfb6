"""The archive in the Popolo format (popoloproject.com), streamed as one JSON document.

Officials are persons, organisations organizations, roles memberships of posts (a post is a
title within an organisation), meetings events and published statements speeches. Dates keep
their precision as ISO 8601 reduced dates ('2015', '2015-09', '2015-09-30'), as Popolo allows.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from statements.models import Article, Meeting, Official, Organization, Role, Statement
from statements.models.dates import iso_partial_date

CHUNK_SIZE = 2000


def person_id(slug):
    return f"person/{slug}"


def organization_id(slug):
    return f"organization/{slug}"


def post_id(role):
    return f"post/{role.organization.slug}/{slugify(role.title) or 'post'}"


def partial(value, precision):
    return iso_partial_date(value, precision) or None


def person(official, absolute):
    record = {
        "id": person_id(official.slug),
        "name": official.name,
        "sort_name": official.sort_name,
        "other_names": [{"name": name} for name in official.other_names],
        "biography": official.biography,
        "national_identity": str(official.country.name) if official.country else None,
        "identifiers": [],
        "links": [{"url": absolute(official.get_absolute_url()), "note": settings.SITE_NAME}],
    }
    if official.wikidata_id:
        record["identifiers"].append({"scheme": "wikidata", "identifier": official.wikidata_id})
        record["links"].append({"url": official.wikidata_url, "note": "Wikidata"})
    return record


def organization(org):
    return {
        "id": organization_id(org.slug),
        "name": org.name,
        "classification": org.kind,
        "parent_id": organization_id(org.parent.slug) if org.parent_id else None,
        "area_id": org.country.code if org.country else None,
    }


def post(role):
    return {
        "id": post_id(role),
        "label": f"{role.title}, {role.organization.name}",
        "role": role.title,
        "organization_id": organization_id(role.organization.slug),
    }


def membership(role):
    return {
        "id": f"membership/{role.pk}",
        "person_id": person_id(role.official.slug),
        "organization_id": organization_id(role.organization.slug),
        "post_id": post_id(role),
        "role": role.title,
        "start_date": partial(role.start_date, role.start_date_precision),
        "end_date": partial(role.end_date, role.end_date_precision),
    }


def article_source(article, absolute):
    note = article.title + (f", {article.outlet.name}" if article.outlet_id else "")
    return {"url": article.url or absolute(article.get_absolute_url()), "note": note}


def event(meeting, absolute):
    place = meeting.place_display
    return {
        "id": f"event/{meeting.slug}",
        "name": meeting.title,
        "classification": meeting.kind,
        "description": meeting.description,
        "start_date": partial(meeting.start_date, meeting.start_date_precision),
        "end_date": partial(meeting.end_date, meeting.end_date_precision),
        "location": place or None,
        "sources": [article_source(article, absolute) for article in meeting.articles.all()],
    }


def speech(statement, absolute):
    role = statement.speaker_role
    return {
        "id": f"speech/{statement.pk}",
        "creator_id": person_id(statement.speaker.slug),
        "role": role.title if role else None,
        "attribution_text": statement.attribution or None,
        "text": statement.text,
        "date": statement.said_on_iso,
        "type": "speech" if statement.kind == Statement.Kind.DIRECT else "summary",
        "event_id": f"event/{statement.meeting.slug}" if statement.meeting_id else None,
        "sources": [
            {"url": absolute(statement.get_absolute_url()), "note": settings.SITE_NAME},
            article_source(statement.article, absolute),
        ],
    }


def popolo_chunks(absolute):
    """The document in pieces; each collection is read in chunks so memory stays flat."""
    roles = Role.objects.select_related("official", "organization").order_by(
        "official__slug", "start_date", "pk"
    )
    collections = [
        (
            "persons",
            Official.objects.order_by("slug"),
            lambda official: person(official, absolute),
        ),
        (
            "organizations",
            Organization.objects.select_related("parent").order_by("slug"),
            organization,
        ),
        ("posts", None, None),
        ("memberships", roles, membership),
        (
            "events",
            Meeting.objects.order_by("start_date", "slug").prefetch_related(
                Prefetch("articles", queryset=Article.objects.select_related("outlet"))
            ),
            lambda meeting: event(meeting, absolute),
        ),
        (
            "speeches",
            Statement.objects.published()
            .select_related("speaker", "meeting", "article", "article__outlet")
            .prefetch_related("speaker__roles")
            .oldest_first(),
            lambda statement: speech(statement, absolute),
        ),
    ]
    yield "{"
    for index, (key, queryset, record) in enumerate(collections):
        yield ("," if index else "") + json.dumps(key) + ":["
        if key == "posts":
            records = posts(roles)
        else:
            records = (record(obj) for obj in queryset.iterator(chunk_size=CHUNK_SIZE))
        for number, item in enumerate(records):
            yield ("," if number else "") + json.dumps(
                item, cls=DjangoJSONEncoder, ensure_ascii=False
            )
        yield "]"
    yield "}\n"


def posts(roles):
    """Each distinct title within an organisation, once."""
    seen = set()
    for role in roles.iterator(chunk_size=CHUNK_SIZE):
        record = post(role)
        if record["id"] not in seen:
            seen.add(record["id"])
            yield record


class PopoloView(APIView):
    @extend_schema(
        summary="The archive in the Popolo format",
        description="Persons, organizations, posts, memberships, events and speeches "
        "(published statements only), streamed as one JSON document.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        response = StreamingHttpResponse(
            popolo_chunks(request.build_absolute_uri),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="verbatim-popolo.json"'
        return response
