"""A list's state in its URL: the query string with a filter added or removed, another page,
or the same list as a feed or a download.

Used by the pages (through the ``verbatim`` template tags), the API's facet links, the feeds
and the open data links (``open_data`` template tags).
"""

from django.urls import reverse

# Parameters that may be given several times, each value narrowing the list further.
REPEATABLE = frozenset({"official"})


def _query(data):
    return "?" + data.urlencode() if data else "?"


def with_param(querydict, param, value):
    """The query string with ``param=value`` added (replacing a single-valued parameter).

    Any page number is dropped: a changed filter starts again from the first page.
    """
    data = querydict.copy()
    data.pop("page", None)
    value = str(value)
    if param in REPEATABLE:
        values = [v for v in data.getlist(param) if v != value]
        data.setlist(param, [*values, value])
    else:
        data[param] = value
    return _query(data)


def without_param(querydict, param, value=None):
    """The query string without ``param`` (only its ``value`` when given), from page one."""
    data = querydict.copy()
    data.pop("page", None)
    if value is not None and param in REPEATABLE:
        data.setlist(param, [v for v in data.getlist(param) if v != str(value)])
    else:
        data.pop(param, None)
    return _query(data)


def with_page(querydict, number):
    data = querydict.copy()
    if int(number) == 1:
        data.pop("page", None)
    else:
        data["page"] = str(number)
    return _query(data)


def whole_list(path, querydict, **fixed):
    """``path`` with the list's query string less its page number: the whole list.

    ``fixed`` holds what the page implies without a parameter (``official=slug`` on an
    official's page).
    """
    data = querydict.copy()
    data.pop("page", None)
    for name, value in fixed.items():
        if value:
            data[name] = str(value)
    query = data.urlencode()
    return path + (f"?{query}" if query else "")


def list_url(view_name, querydict, **fixed):
    """The address of a feed or download of the list a page shows, from its query string."""
    return whole_list(reverse(view_name), querydict, **fixed)
