"""What the public pages may reuse between requests, and when it stops being true.

Every cached value is stored under a key that includes the archive's *generation*: a number
kept in the cache itself and bumped whenever anything the public pages show may have changed
(a statement published, edited, unpublished or deleted; an official, topic, meeting or article
renamed). Nothing is ever deleted one key at a time: after a bump, the old keys are simply
never asked for again and expire on their own.

The bump happens through signals for every ``save()``, ``delete()`` and change of a
many-to-many relation of the archive's models, and explicitly (``bump()``) from the paths that
bypass signals: ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` of statements
(see ``StatementQuerySet``), and the archive import.

A write inside a transaction bumps twice, at once and again when the transaction commits, so
that a reader who cached the old data between the two (under the new number) is not believed
either.

Only published data goes through here: the public pages show nothing else, so one cached
value serves every reader.
"""

import functools
import hashlib
import time

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

GENERATION_KEY = "verbatim:generation"
# How long a cached aggregate lives even if nothing changes: a bound on any surprise.
TIMEOUT = 60 * 60


def generation():
    """The archive's current generation, created on first use."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh cache (or an evicted key) starts from the clock, so it can never come back
        # to a number that older cached values were stored under.
        value = time.time_ns()
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)
    return value


def _increment():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # The key was missing (evicted, or never set): any new number is a new generation.
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def bump():
    """Forget everything cached: now, and once more when the current transaction commits."""
    _increment()
    transaction.on_commit(_increment)


def key(name, *parts):
    """A cache key for ``name`` and its arguments, in the current generation."""
    return f"verbatim:{generation()}:{name}:{_digest(*parts)}"


def remember(name, parts, compute, timeout=TIMEOUT):
    """The value cached for ``name`` and ``parts`` in this generation, computed when missing."""
    cache_key = key(name, *parts)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value


# name -> (generation, value): what ``remember_here`` keeps in this process.
_kept_here = {}


def remember_here(name, compute):
    """Like ``remember``, kept in this process's memory instead of the shared cache.

    For values every request reads and that are costly to unpickle (a lookup table of the
    whole archive's topics or officials' names): each process computes them once per
    generation, and a bump makes the next request compute them again.
    """
    current = generation()
    kept = _kept_here.get(name)
    if kept is None or kept[0] != current:
        kept = (current, compute())
        _kept_here[name] = kept
    return kept[1]


def _digest(*parts):
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


# Headers that belong to one answer, not to the page: never stored with it.
PRIVATE_HEADERS = {"set-cookie", "vary", "etag"}


def public_page(view):
    """Serve a public page from the cache, with an ETag, until the archive changes.

    For GET and HEAD only. The page is cached by its absolute URL (host, path and query
    string: the same filters in another order are another entry) when the view answers 200
    without setting a cookie; anything else (a 400 for bad filters, a 404, a redirect) goes
    through every time. The ETag is the generation and the URL, so a reader who sends it back
    gets 304 Not Modified without the page being rendered, until anything changes. Public
    pages show only published data and nothing about the reader, so one copy serves everyone.
    """

    @functools.wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        url = request.build_absolute_uri()
        current = generation()
        etag = quote_etag(f"{current}-{_digest(url)}")
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        cache_key = f"verbatim:{current}:page:{_digest(url)}"
        stored = cache.get(cache_key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in PRIVATE_HEADERS
            ]
            cache.set(cache_key, (response.status_code, headers, response.content), TIMEOUT)
        response["ETag"] = etag
        return response

    return serve


class ArchiveQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes, which send no signals, still bump the generation."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        bump()
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        bump()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        bump()
        return rows


def _on_change(sender, **kwargs):
    bump()


def connect():
    """Bump the generation whenever one of the archive's models changes (AppConfig.ready)."""
    from django.apps import apps

    for model in apps.get_app_config("statements").get_models(include_auto_created=True):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"caching-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"caching-delete-{model}")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="caching-m2m")


def _on_m2m_change(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump()
