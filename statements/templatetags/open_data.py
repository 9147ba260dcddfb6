"""Links from a page to the feed and the downloads of the statements it lists.

    {% load open_data %}
    <link rel="alternate" type="application/atom+xml" href="{% statements_feed_url %}">
    <a href="{% statements_download_url "csv" %}" download>CSV</a>

Each keeps the page's filters and search (its query string, less the page number); on a page
that implies a filter without a parameter, name it: ``{% statements_download_url "csv"
official=official.slug %}``. The tags read ``request`` from the context (the request context
processor is on).
"""

from django import template

from statements.querystrings import list_url

register = template.Library()

DOWNLOADS = {"csv": "statement_export_csv", "json": "statement_export_json"}


@register.simple_tag(takes_context=True)
def statements_feed_url(context, **fixed):
    return list_url("statement_feed", context["request"].GET, **fixed)


@register.simple_tag(takes_context=True)
def statements_download_url(context, file_format, **fixed):
    if file_format not in DOWNLOADS:
        raise template.TemplateSyntaxError(
            f"statements_download_url takes {' or '.join(DOWNLOADS)}, not {file_format!r}."
        )
    return list_url(DOWNLOADS[file_format], context["request"].GET, **fixed)
