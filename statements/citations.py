"""How a statement is cited: a ready-to-copy reference and its schema.org JSON-LD, both shown
on the statement's permalink page."""

import datetime

from django.conf import settings
from django.utils.dateformat import format as format_date

from .models import Statement


def citation(statement, permalink, today=None):
    """A ready-to-copy reference: who, role, where and when, the words, the source, the link."""
    today = today or datetime.date.today()
    role = statement.speaker_role
    who = f"{statement.speaker.name} ({role.title})" if role else statement.speaker.name
    when_where = ", ".join(p for p in (statement.place_display, statement.said_on_display) if p)
    article = statement.article
    source = [f"“{article.title}”"]
    source.append(article.outlet.name if article.outlet else "outlet not stated")
    if article.published_on:
        source.append(article.published_display)
    if article.url:
        source.append(article.url)
    retrieved = f"{settings.SITE_NAME}, {permalink} (retrieved {format_date(today, 'j F Y')})."
    source = ", ".join(source)
    if statement.kind == Statement.Kind.DIRECT:
        return f"{who}, {when_where}: “{statement.text}” Quoted in {source}. {retrieved}"
    # A paraphrase is the reporter's wording: the quotation marks go to the source, not the
    # speaker.
    return f"{who}, {when_where}, as paraphrased in {source}: “{statement.text}”. {retrieved}"


def quotation_json_ld(statement, request):
    """schema.org Quotation for the permalink."""
    absolute = request.build_absolute_uri
    article = statement.article
    role = statement.speaker_role
    speaker = {
        "@type": "Person",
        "name": statement.speaker.name,
        "url": absolute(statement.speaker.get_absolute_url()),
    }
    if role:
        speaker["jobTitle"] = role.title
        speaker["worksFor"] = {"@type": "Organization", "name": role.organization.name}
    if statement.speaker.wikidata_url:
        speaker["sameAs"] = statement.speaker.wikidata_url
    source = {
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.url or absolute(article.get_absolute_url()),
        "inLanguage": article.language,
    }
    if article.outlet:
        source["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    if article.published_on:
        source["datePublished"] = article.published_on.isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "url": absolute(statement.get_absolute_url()),
        "text": statement.text,
        "inLanguage": statement.language,
        "genre": statement.get_kind_display(),
        "spokenByCharacter": speaker,
        "dateCreated": statement.said_on_iso,
        "isBasedOn": source,
        "about": [
            {"@type": "Thing", "name": topic.name, "url": absolute(topic.get_absolute_url())}
            for topic in statement.topics.all()
        ],
    }
    if statement.place_display:
        data["locationCreated"] = {"@type": "Place", "name": statement.place_display}
    if statement.translation:
        data["description"] = f"English translation: {statement.translation}"
    return data
