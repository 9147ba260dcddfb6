"""Template helpers for the public pages: the site's name, query strings, JSON-LD, the
timeline chart, and an article's text with its statements marked."""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from statements import querystrings
from statements.models.dates import text_direction

register = template.Library()


@register.simple_tag
def site_name():
    """The site's name, from ``settings.SITE_NAME`` (also where no request is at hand)."""
    return settings.SITE_NAME


@register.simple_tag
def query_with(querydict, param, value):
    return querystrings.with_param(querydict, param, value)


@register.simple_tag
def query_without(querydict, param, value=None):
    return querystrings.without_param(querydict, param, value)


@register.simple_tag
def page_query(querydict, number):
    return querystrings.with_page(querydict, number)


@register.filter
def direction(language):
    return text_direction(language)


# Inside <script>, "</script>" or "<!--" in a quote would end or confuse the element:
# escaping <, > and & as JSON unicode escapes keeps the data exactly and the markup closed.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block whose content cannot break out of its script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# -- the timeline chart ----------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 180
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 24, 148, 36, 628


@register.inclusion_tag("includes/timeline.svg", takes_context=False)
def timeline(points, *, name, chart_id="timeline"):
    """A bar chart of statements per period, drawn on the server as an accessible SVG.

    ``points`` is a list of (label, count) in time order, gaps included.
    """
    total = sum(count for _, count in points)
    highest = max((count for _, count in points), default=0)
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(points), 1)
    bar_width = max(min(slot * 0.7, 48), 2)
    every = max(1, round(len(points) / 12))
    bars = []
    for index, (label, count) in enumerate(points):
        height = (PLOT_BOTTOM - PLOT_TOP) * count / highest if highest else 0
        x = PLOT_LEFT + slot * index + (slot - bar_width) / 2
        bars.append(
            {
                "x": round(x, 1),
                "y": round(PLOT_BOTTOM - height, 1),
                "width": round(bar_width, 1),
                "height": round(height, 1),
                "label": label,
                "count": count,
                "label_x": round(x + bar_width / 2, 1),
                "show_label": index % every == 0 or index == len(points) - 1,
            }
        )
    busiest = max(points, key=lambda point: point[1], default=None)
    if not total:
        description = f"No published statements by {name} yet."
    elif len(points) == 1:
        description = (
            f"{total} published statement{'s' if total != 1 else ''}, all in {points[0][0]}."
        )
    else:
        description = (
            f"{total} published statements from {points[0][0]} to {points[-1][0]}; "
            f"the most, {busiest[1]}, in {busiest[0]}."
        )
    return {
        "bars": bars,
        "chart_id": chart_id,
        "description": description,
        "highest": highest,
        "name": name,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot": {
            "top": PLOT_TOP,
            "bottom": PLOT_BOTTOM,
            "left": PLOT_LEFT,
            "right": PLOT_RIGHT,
            "label_y": PLOT_BOTTOM + 18,
        },
    }


# -- an article's text with its statements marked --------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _paragraph_spans(body):
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        yield start, match.start()
        start = match.end()
    yield start, len(body)


def _marked_spans(body, statements):
    """The statements' spans that can be marked: in the text, in order, not overlapping."""
    spans, last_end = [], 0
    candidates = [
        s
        for s in statements
        if s.start_offset is not None and s.end_offset is not None and s.end_offset <= len(body)
    ]
    for statement in sorted(candidates, key=lambda s: (s.start_offset, s.end_offset)):
        if statement.start_offset >= last_end:
            spans.append((statement.start_offset, statement.end_offset, statement))
            last_end = statement.end_offset
    return spans


@register.simple_tag
def article_text(article, statements):
    """The article's paragraphs, each published statement marked and linked to its permalink.

    Everything from the article is escaped; only the markup made here is trusted. A statement
    that runs across a paragraph break is marked in each paragraph it touches.
    """
    body = article.body
    spans = _marked_spans(body, statements)
    paragraphs = []
    for p_start, p_end in _paragraph_spans(body):
        parts, cursor = [], p_start
        for start, end, statement in spans:
            if end <= p_start or start >= p_end:
                continue
            start, end = max(start, p_start), min(end, p_end)
            parts.append(escape(body[cursor:start]))
            # The first piece carries the anchor that the permalink's "in context" link uses.
            anchor = f' id="statement-{statement.pk}"' if start == statement.start_offset else ""
            parts.append(
                format_html(
                    '<a class="marked"{} href="{}" title="{}"><mark>{}</mark></a>',
                    mark_safe(anchor),
                    statement.get_absolute_url(),
                    f"{statement.speaker.name}, {statement.get_kind_display().lower()}: "
                    "open the citable page",
                    body[start:end],
                )
            )
            cursor = end
        parts.append(escape(body[cursor:p_end]))
        text = "".join(str(part) for part in parts).strip()
        if text:
            paragraphs.append(f"<p>{text}</p>")
    return mark_safe("\n".join(paragraphs))
