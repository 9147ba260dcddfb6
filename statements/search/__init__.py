"""Keyword search over statements: the one place that knows which database engine is in use.

The interface (views, filters and the API call only these):

- ``search(queryset, text)``: the statements of ``queryset`` that match the reader's query,
  annotated with ``search_rank`` (higher is more relevant). Never raises on user input.
- ``highlight(statements, text)``: ``{pk: safe HTML snippet with <mark>}`` for a page of
  statements, built so that the statement's own text is always escaped.
- ``officials_named(text)``: officials whose name or other spelling the query contains.

INTERIM: this naive implementation (case-insensitive substring matching) holds the interface
until the full-text engines (FTS5 on SQLite, tsvector on PostgreSQL) replace it.
"""

import re

from django.db.models import Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe


def _words(text):
    return [word for word in re.findall(r"\w+", text or "") if word]


def search(queryset, text):
    words = _words(text)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= Q(text__icontains=word) | Q(translation__icontains=word)
    return queryset.filter(condition).annotate(search_rank=Value(1.0))


def highlight(statements, text):
    words = _words(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    snippets = {}
    for statement in statements:
        source = statement.text
        if pattern is None:
            snippets[statement.pk] = escape(source)
            continue
        parts, last = [], 0
        for match in pattern.finditer(source):
            parts.append(escape(source[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
        parts.append(escape(source[last:]))
        snippets[statement.pk] = mark_safe("".join(parts))
    return snippets


def officials_named(text):
    from statements.models import Official

    words = {word.casefold() for word in _words(text)}
    if not words:
        return []
    found = []
    for official in Official.objects.only("name", "slug", "other_names"):
        for name in official.all_names:
            if set(_words(name.casefold())) and set(_words(name.casefold())) <= words:
                found.append(official)
                break
    return found
