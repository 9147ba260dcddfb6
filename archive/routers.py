"""Reads from read replicas, writes to the primary (docs/deploy.md).

``DATABASE_REPLICA_URLS`` (settings) adds one alias per replica and lists them in
``DATABASE_REPLICAS``; without it every query goes to ``default`` as before.

A replica lags the primary by a little, so a reader must never miss what they just did. The
router keeps to the primary, for the rest of the request:
- every request that may change something (not GET/HEAD/OPTIONS), and every request that
  carries a session cookie: curators and editors, who read what they just saved;
- every read after a write, and every read inside a transaction (``atomic``), where the
  rows read must be those the transaction sees.
Anonymous readers, nearly all of the traffic, read from one replica per request, chosen at
random, so that a page's count and its rows come from the same replica.

``ReplicaMiddleware`` (first in MIDDLEWARE) starts each request afresh. The state is per
thread (gunicorn's sync workers serve one request per thread); outside a request, once a
thread has written, it keeps to the primary until ``forget_writes()``.
"""

import random
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_state = threading.local()


def replicas():
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def pin_to_primary():
    """Send every query of this request (or thread) to the primary from now on."""
    _state.pinned = True


def forget_writes():
    """A fresh start: reads may go to a replica again (at the start of each request)."""
    _state.pinned = False
    _state.replica = None


def _pinned():
    return getattr(_state, "pinned", False) or connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    """Reads to a replica unless pinned to the primary; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        aliases = replicas()
        if not aliases or _pinned():
            return DEFAULT_DB_ALIAS
        chosen = getattr(_state, "replica", None)
        if chosen not in aliases:
            chosen = _state.replica = random.choice(aliases)
        return chosen

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same rows: objects read anywhere may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Starts each request afresh, kept to the primary when it may write or is a curator's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only at the start: a streamed response (a CSV download) still reads after this
        # returns, and must keep the request's choice.
        forget_writes()
        if request.method not in SAFE_METHODS or settings.SESSION_COOKIE_NAME in request.COOKIES:
            pin_to_primary()
        return self.get_response(request)
