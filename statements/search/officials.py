"""Officials the reader's query names, to offer above the results.

The officials are given (``Official.objects``), not imported: the models call into search/
(``StatementQuerySet.search``), so search/ imports no model.
"""

import functools

from statements import caching

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


def _officials_by_word(officials):
    """{folded word: pks of the officials one of whose names or surnames holds it}."""
    index = {}
    for official in officials.only("pk", "name", "sort_name", "other_names"):
        words = set(_surnames(official))
        for name in official.all_names:
            words.update(_name_words(name))
        for word in words - STOP_WORDS:
            index.setdefault(word, set()).add(official.pk)
    return index


def officials_named(query, officials):
    """Of ``officials`` (all the archive's), those whose name, other spelling or surname the
    parsed query contains.

    The officials' name words are kept in memory (``caching.remember_here``, rebuilt after
    any change to the archive): a query that names nobody, most of them, costs no query;
    one that may name someone reads those candidates only, and checks them exactly.
    """
    if query is None:
        return []
    words = [word for word in query.words if len(word) > 1][:MAX_QUERY_WORDS]
    if not words:
        return []
    index = caching.remember_here(
        "official-name-words", functools.partial(_officials_by_word, officials)
    )
    candidates = set().union(*(index.get(word, ()) for word in words))
    if not candidates:
        return []
    found = officials.filter(pk__among=list(candidates)).only(
        "pk", "name", "slug", "sort_name", "other_names"
    )
    named = [official for official in found[:50] if is_named_by(official, set(words))]
    return named[:MAX_OFFICIALS]
