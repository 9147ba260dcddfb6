"""Officials the reader's query names, to offer above the results."""

import json

from django.db.models import Q

from .query import STOP_WORDS, fold, words_of

MAX_OFFICIALS = 5
MAX_QUERY_WORDS = 8


def _name_words(name):
    return [fold(word) for word in words_of(name)]


def _surnames(official):
    """The words that name the official alone: the last word of each name, the sort name's
    first part ("Lavrov" in "Lavrov, Sergei")."""
    found = set()
    for name in official.all_names:
        words = _name_words(name)
        if words:
            found.add(words[-1])
    if official.sort_name:
        words = _name_words(official.sort_name.split(",")[0])
        if words:
            found.add(words[-1])
    return {word for word in found if len(word) > 1 and word not in STOP_WORDS}


def is_named_by(official, words):
    """Whether the query's folded ``words`` hold one of the official's names or surnames."""
    for name in official.all_names:
        name_words = set(_name_words(name)) - STOP_WORDS
        if name_words and name_words <= words:
            return True
    return bool(_surnames(official) & words)


def _prefilter(words):
    """A condition that every named official meets: one of the words is in a name.

    Officials are few beside statements; this LIKE over their names narrows them down in the
    database before the exact check here. Other names are stored as JSON, which SQLite keeps
    with non-ASCII letters escaped, so the escaped form is tried too.
    """
    condition = Q()
    for word in words:
        condition |= Q(name__icontains=word) | Q(sort_name__icontains=word)
        for variant in {word, word[:1].upper() + word[1:]}:
            condition |= Q(other_names__icontains=variant)
            escaped = json.dumps(variant)[1:-1]
            if escaped != variant:
                condition |= Q(other_names__icontains=escaped)
    return condition


def officials_named(query):
    """Officials whose name, other spelling or surname the parsed query contains."""
    from statements.models import Official

    if query is None:
        return []
    words = [word for word in query.words if len(word) > 1][:MAX_QUERY_WORDS]
    if not words:
        return []
    candidates = Official.objects.filter(_prefilter(words)).only(
        "pk", "name", "slug", "sort_name", "other_names"
    )
    found = [official for official in candidates[:50] if is_named_by(official, set(words))]
    return found[:MAX_OFFICIALS]
