"""Reading an article's text: paragraphs, page furniture, quotations, sentences and tokens.

Everything is a span of the original text, so offsets survive every step: a suggestion's
``text`` is always ``source[start:end]``.
"""

import re
from dataclasses import dataclass, field

# -- page furniture ---------------------------------------------------------------------------

# Lines scraped with an article that are not its text: prompts, buttons, credits, links.
FURNITURE = re.compile(
    r"""^[\W_]*(?:
        source\s*(?:[:(]|$) | sources?:
      | read\s+more | related(?:\s+\w+)?\s*(?::|articles|stories|$)
      | see\s+also | also\s+read | more\s+on\b
      | share(?:\s+(?:this|on|via|by|article)\b|\s*:|\s*$) | tweet\s*$ | follow\s+us | subscribe
      | sign\s+(?:up|in)\b | newsletter | advertisement | sponsored | tags?\s*: | filed\s+under
      | home\s*> | (?:photo|image|picture)\s*(?::|\(|credit|$) | credit\s*: | copyright | ©
      | all\s+rights\s+reserved | print\s*$ | e-?mail\s*$ | \d*\s*comments?\s*$
      | leave\s+a\s+(?:comment|reply) | be\s+the\s+first\s+to | notify\s+of | log\s*in\b
      | login\b | reply\s*$ | (?:reporting|editing|writing|additional\s+reporting)\s+by\b
      | (?:updated|published|posted)(?:\s+on)?\s*: | click\s+here | watch\s*: | listen\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
BYLINE = re.compile(r"^By\s+[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|&))*\s*(?:[|,•·–—-].*)?$")
SENTENCE_END = re.compile(r"[.?!…][\"'”’»“«)\]]*\s*$")


def is_furniture(line):
    """Whether a line is page furniture rather than the article's text."""
    stripped = line.strip()
    if not stripped:
        return False
    if FURNITURE.match(stripped) or BYLINE.match(stripped) or stripped.count("|") >= 2:
        return True
    # A short line that ends no sentence is a button, a breadcrumb or a subheading: none of
    # them carries a statement, so skipping it costs nothing.
    return len(stripped.split()) <= 8 and not SENTENCE_END.search(stripped)


# -- paragraphs -------------------------------------------------------------------------------

TRANSCRIPT_LABEL = re.compile(
    r"""(?P<label>
        (?:[A-Z][A-Z.'’-]*[ \t]+){0,5}[A-Z][A-Z.'’-]+    # FOREIGN MINISTER VONDEL
      | (?:[A-Z][\w.'’-]*[ \t]+){0,4}[A-Z][\w'’-]*      # Foreign Minister Vondel
      | Q | A
    )
    (?:,[ \t]*[^:\n.?!"“”„«»‹›]{1,80}?)?                # Fenna Roos, director of Blue Shelf
    (?:[ \t]*\([^()\n]{1,120}\))*                     # Mr. Vance (Caldmark) (in Brennish)
    [ \t]*:[ \t]+(?=\S)""",
    re.VERBOSE,
)
# A bracketed note at the start of a turn ("[Interpretation] ") and a stage direction on a
# line of its own ("(Laughter.)"): neither is the speaker's words.
TURN_NOTE = re.compile(r"\[[^\]\n]{1,60}\][ \t]*")
STAGE_DIRECTION = re.compile(r"\([^()\n]{1,60}\)")


# A wire report's dateline: "HOLMSBY, Oct 2 (Northern Wire) - ", "NOWE POLE, Drovnia — ",
# "VARESH (Ardovian News Agency, translated) — ". The place is in capitals.
DATELINE = re.compile(
    r"[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+)*"
    r"(?:,[ \t]*[^\n—–()]{1,40}?)?(?:[ \t]*\([^)\n]{1,60}\))?[ \t]+(?:-{1,2}|—|–)[ \t]+(?=\S)"
)


@dataclass
class Paragraph:
    start: int
    end: int
    label: tuple | None = None  # (start, end) of a transcript speaker label, colon excluded
    content_start: int = 0  # where the text after a label starts


def paragraphs(source, *, has_title):
    """The article's paragraphs as spans, title line and page furniture left out."""
    result, block = [], []

    def close_block():
        if block:
            result.append(Paragraph(block[0][0], block[-1][1]))
            block.clear()

    title_pending = has_title
    position = 0
    for raw in source.splitlines(keepends=True):
        line_start, position = position, position + len(raw)
        line = raw.splitlines()[0] if raw.splitlines() else ""
        if not line.strip().lstrip("\ufeff").strip():
            close_block()
            continue
        if title_pending:
            title_pending = False
            close_block()
            continue
        if is_furniture(line):
            close_block()
            continue
        lead = len(line) - len(line.lstrip())
        start, end = line_start + lead, line_start + len(line.rstrip())
        if TRANSCRIPT_LABEL.match(source, start, end):
            close_block()
        block.append((start, end))
    close_block()
    for paragraph in result:
        label = TRANSCRIPT_LABEL.match(source, paragraph.start, paragraph.end)
        if label:
            paragraph.label = label.span("label")
            paragraph.content_start = label.end()
        else:
            dateline = DATELINE.match(source, paragraph.start, paragraph.end)
            paragraph.content_start = dateline.end() if dateline else paragraph.start
    return result


# -- quotations -------------------------------------------------------------------------------


@dataclass
class Quote:
    """A top-level quotation: ``open`` and ``close`` are the marks' positions."""

    open: int
    close: int | None  # None when the paragraph ends first (a quote running on)
    end: int  # position after the closing mark, or the paragraph's end
    inner_start: int = 0
    inner_end: int = 0
    role: str = "direct"  # "direct", "embedded" (part of the sentence) or "name"

    @property
    def runs_on(self):
        return self.close is None


def find_quotes(source, start, end):
    """Top-level quotations between start and end; marks nested inside them are content."""
    quotes, stack = [], []  # stack of (mark, position)

    def prev_char(i):
        return source[i - 1] if i > start else " "

    def next_char(i):
        return source[i + 1] if i + 1 < end else " "

    def push(mark, i):
        if not stack:
            quotes.append(Quote(open=i, close=None, end=end))
        stack.append((mark, i))

    def pop_to(marks, i):
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] in marks:
                del stack[depth:]
                if not stack:
                    quotes[-1].close, quotes[-1].end = i, i + 1
                return True
        return False

    for i in range(start, end):
        ch = source[i]
        top = stack[-1][0] if stack else None
        if ch == "“":
            if top == "„":
                pop_to("„", i)
            else:
                push("“", i)
        elif ch == "”":
            pop_to("“„", i)
        elif ch == "«" and top == "»":
            pop_to("»", i)
        elif ch in "„«":
            push(ch, i)
        elif ch == "»":
            if not pop_to("«", i) and next_char(i).isalnum():
                push("»", i)
        elif ch == '"':
            if '"' in (mark for mark, _ in stack):
                pop_to('"', i)
            elif not prev_char(i).isalnum() or not stack:
                push('"', i)
        elif ch == "‹":
            push("‹", i)
        elif ch == "›":
            pop_to("‹", i)
        elif ch == "‚" and not prev_char(i).isalnum():
            push("‚", i)
        elif ch == "‘":
            if top == "‚":
                pop_to("‚", i)
            elif not prev_char(i).isalnum():
                push("‘", i)
        elif ch == "’" and top == "‘" and not next_char(i).isalnum():
            pop_to("‘", i)
    for quote in quotes:
        quote.inner_start = quote.open + 1
        quote.inner_end = quote.close if quote.close is not None else end
    return quotes


# -- sentences --------------------------------------------------------------------------------

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "capt", "sgt", "sen", "rep",
    "gov", "pres", "jr", "sr", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "vs", "approx", "dept", "amb",
}  # fmt: skip
CLOSING = "\"'”’»“‘›)]"
OPENING_OR_UPPER = re.compile(r"[\"“„«‘‚‹›(\[]?[A-Z0-9À-ÖØ-ÞА-Я]")


def sentences(source, start, end, quotes):
    """Sentence spans between start and end; a sentence never ends inside a quotation."""
    inside = [(q.open, q.end) for q in quotes]
    result, sentence_start, i = [], start, start
    while i < end:
        ch = source[i]
        if ch in ".?!…" and not any(a < i < b - 1 for a, b in inside):
            j = i + 1
            while j < end and source[j] in CLOSING:
                j += 1
            k = j
            while k < end and source[k].isspace():
                k += 1
            if (
                k > j
                and k < end
                and OPENING_OR_UPPER.match(source, k)
                and not _abbreviation(source, sentence_start, i)
            ):
                result.append((sentence_start, j))
                sentence_start, i = k, k
                continue
            i = j
            continue
        i += 1
    if sentence_start < end:
        result.append((sentence_start, end))
    return result


def _abbreviation(source, start, dot):
    if source[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", source[start:dot])
    if not word:
        return False
    word = word.group(1)
    return (
        word.casefold() in ABBREVIATIONS
        or (len(word) == 1 and word.isupper())
        or bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word))
    )


# -- tokens -----------------------------------------------------------------------------------

TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S.
    r"|\w+(?:[-'’]\w+)*(?:['’]s\b|(?<=s)['’](?!\w))?"  # words, al-Assad, Veloria's, ministers’
    r"|[^\w\s]",
    re.UNICODE,
)


@dataclass
class Token:
    text: str
    start: int
    end: int
    kind: str = "word"  # "word", "punct" or "quote" (a whole direct quotation)
    quote: Quote | None = field(default=None, repr=False)

    @property
    def lower(self):
        return self.text.casefold().replace("’", "'")

    @property
    def is_capitalised(self):
        return self.kind == "word" and self.text[:1].isupper()


def tokenize(source, start, end, quotes):
    """Tokens between start and end: each direct quotation is a single token, the marks of a
    quoted name are dropped, and an embedded quotation's words are ordinary tokens."""
    tokens, i = [], start
    ordered = sorted((q for q in quotes if start <= q.open < end), key=lambda q: q.open)
    for quote in ordered:
        tokens.extend(_words(source, i, quote.open))
        if quote.role == "direct":
            tokens.append(
                Token(source[quote.open : quote.end], quote.open, quote.end, "quote", quote)
            )
        elif quote.role == "name":
            tokens.extend(_words(source, quote.inner_start, quote.inner_end))
        else:
            tokens.append(Token(source[quote.open], quote.open, quote.open + 1, "punct"))
            tokens.extend(_words(source, quote.inner_start, quote.inner_end))
            if quote.close is not None:
                tokens.append(Token(source[quote.close], quote.close, quote.close + 1, "punct"))
        i = max(i, quote.end)
    tokens.extend(_words(source, i, end))
    return tokens


def _words(source, start, end):
    return [
        Token(
            m.group(),
            m.start(),
            m.end(),
            "word" if (m.group()[0].isalnum() or m.group()[0] == "_") else "punct",
        )
        for m in TOKEN.finditer(source, start, end)
    ]
