"""The reader's query, parsed once into a small tree that each engine compiles.

The language is what people type into a news-archive search box::

    military personnel        both words (stemmed: "strike" also finds "strikes")
    "military personnel"      the exact phrase
    syria OR iraq             either word
    assad -kerry              the first word, not the second

Parsing never fails: whatever the reader typed becomes a tree of plain words (runs of letters
and digits), or ``None`` when nothing searchable is left. Punctuation, quotes, operators and
SQL never reach an engine except as the words between them, which is why the compilers can
quote each word without any further escaping.
"""

import unicodedata
from dataclasses import dataclass

# Reading more than this of a query finds nothing new and costs the engines.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
MAX_PHRASE_WORDS = 16
# Longer words cannot be in PostgreSQL's index (it ignores them), so neither engine looks.
MAX_WORD_CHARS = 100

# PostgreSQL's English stop words (tsearch_data/english.stop, from Snowball). Both engines
# ignore them as bare words so that both give the same answers: PostgreSQL would drop them
# anyway, FTS5 would otherwise look for them.
ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS.split())


@dataclass(frozen=True)
class Term:
    """One word, or an exact phrase of several words in order."""

    words: tuple[str, ...]

    @property
    def is_phrase(self):
        return len(self.words) > 1


@dataclass(frozen=True)
class AnyOf:
    """Statements matching any of these terms (the reader wrote ``a OR b``)."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Query:
    """Every ``required`` part must match and no ``excluded`` term may.

    There is always at least one required part: a query of exclusions alone would ask the
    engine for nearly the whole table, so the parser returns ``None`` instead.
    """

    required: tuple[Term | AnyOf, ...]
    excluded: tuple[Term, ...] = ()

    def positive(self):
        """The same query without its exclusions (what a highlight marks)."""
        return Query(self.required)

    @property
    def words(self):
        """Every word the reader asked for (not the excluded ones), in order."""
        found = []
        for part in self.required:
            for term in part.terms if isinstance(part, AnyOf) else (part,):
                found.extend(word for word in term.words if word not in found)
        return found


def is_word_char(char):
    """Letters, digits and combining marks: what SQLite's unicode61 tokenizer keeps."""
    return unicodedata.category(char)[0] in "LNM" or unicodedata.category(char) == "Co"


def split_words(text):
    """``(start, end)`` of each run of word characters in ``text``."""
    spans, start = [], None
    for index, char in enumerate(text):
        if is_word_char(char):
            if start is None:
                start = index
        elif start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def words_of(text):
    return [text[start:end] for start, end in split_words(text)]


def fold(word):
    """Case- and accent-insensitive form of a word, as both engines compare words."""
    decomposed = unicodedata.normalize("NFD", word)
    stripped = "".join(char for char in decomposed if not "\u0300" <= char <= "\u036f")
    return unicodedata.normalize("NFC", stripped).casefold()


def _searchable(word):
    """A word both engines index: not too long, and more than stray combining marks."""
    return len(word) <= MAX_WORD_CHARS and any(
        unicodedata.category(char)[0] in "LN" for char in word
    )


def _term(text):
    """A Term for a chunk of the query, or None when it holds nothing searchable.

    A chunk such as ``al-assad`` holds several words and becomes a phrase, as it does in
    both engines. Stop words are dropped where they stand alone or open or close a phrase.
    """
    words = [fold(word) for word in words_of(text) if _searchable(word)][:MAX_PHRASE_WORDS]
    while words and words[0] in STOP_WORDS:
        words.pop(0)
    while words and words[-1] in STOP_WORDS:
        words.pop()
    if not words:
        return None
    return Term(tuple(words))


def _lex(text):
    """Yield ``("or",)`` or ``("term", Term, negated)`` for each piece of the query."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
            continue
        negated = char == "-" and index + 1 < length and not text[index + 1].isspace()
        if negated:
            index += 1
        if text[index] == '"':
            end = text.find('"', index + 1)
            end = length if end == -1 else end
            term = _term(text[index + 1 : end])
            index = end + 1
        else:
            end = index
            while end < length and not text[end].isspace() and text[end] != '"':
                end += 1
            chunk = text[index:end]
            index = end
            if chunk == "OR" and not negated:
                yield ("or",)
                continue
            term = _term(chunk)
        if term is not None:
            yield ("term", term, negated)


def parse(text):
    """The reader's text as a Query, or None when it holds nothing to search for."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    groups, join_next = [], False
    for piece in _lex(text[:MAX_QUERY_CHARS]):
        if piece[0] == "or":
            join_next = bool(groups)
            continue
        _, term, negated = piece
        if join_next:
            groups[-1].append((term, negated))
        else:
            groups.append([(term, negated)])
        join_next = False

    required, excluded = [], []
    for group in groups:
        if len(group) == 1:
            term, negated = group[0]
            target = excluded if negated else required
            if term not in target:
                target.append(term)
            continue
        # "-x" has no meaning as one side of an OR ("anything without x" would match
        # nearly everything), so only the positive alternatives are kept.
        options = tuple(dict.fromkeys(term for term, negated in group if not negated))
        if len(options) == 1:
            required.append(options[0])
        elif options:
            required.append(AnyOf(options))

    required = required[:MAX_TERMS]
    excluded = excluded[: max(0, MAX_TERMS - len(required))]
    if not required:
        return None
    return Query(tuple(required), tuple(excluded))
