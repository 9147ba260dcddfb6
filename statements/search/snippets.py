"""Snippets with the matched words marked, built the same way for both engines.

Each engine only says *where* the matches are; the HTML is made here, by escaping every piece
of the statement's own text, so a quote containing ``<script>`` or ``&`` shows as text.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .query import fold, split_words

# Characters from Unicode's private use area: an engine wraps each match in them, and they are
# found and removed here. A text that already contains them is shown without marks.
START, STOP = "\ue000", "\ue001"

# A statement longer than this is cut to a window of it around the first match.
SNIPPET_WORDS = 60
WORDS_BEFORE_MATCH = 12


def spans_from_marked(original, marked):
    """The character spans of ``original`` that an engine wrapped in START and STOP."""
    if not marked or START in original or STOP in original:
        return []
    spans, position, opened = [], 0, None
    for char in marked:
        if char == START:
            opened = position
        elif char == STOP:
            if opened is not None and position > opened:
                spans.append((opened, position))
            opened = None
        else:
            position += 1
    if marked.replace(START, "").replace(STOP, "") != original:
        return []
    return spans


def marked_words(marked):
    """The folded words an engine wrapped in START and STOP."""
    found = set()
    for piece in re.findall(f"{START}(.*?){STOP}", marked or "", flags=re.DOTALL):
        found.update(fold(piece[start:end]) for start, end in split_words(piece))
    return found


def spans_of_words(original, folded_words):
    """The spans of ``original`` whose words, folded, are among ``folded_words``."""
    if not folded_words:
        return []
    return [
        (start, end)
        for start, end in split_words(original)
        if fold(original[start:end]) in folded_words
    ]


def _merged(text, spans):
    """Spans sorted, with neighbours apart only by spaces joined: one mark per phrase."""
    merged = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text, spans=()):
    """Safe HTML: ``text`` escaped, each span in <mark>, cut around the first match if long."""
    text = text or ""
    spans = _merged(text, spans)
    start, end, before, after = 0, len(text), "", ""
    words = [match.span() for match in re.finditer(r"\S+", text)]
    if len(words) > SNIPPET_WORDS:
        first = spans[0][0] if spans else 0
        at = next((i for i, (_, word_end) in enumerate(words) if word_end > first), 0)
        low = max(0, min(at - WORDS_BEFORE_MATCH, len(words) - SNIPPET_WORDS))
        high = low + SNIPPET_WORDS
        start, end = words[low][0], words[high - 1][1]
        before = "… " if low > 0 else ""
        after = " …" if high < len(words) else ""
    parts, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_end <= span_start:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    return mark_safe(before + "".join(parts) + after)
