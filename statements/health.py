"""Staying up: a health check for load balancers, and a calm 503 while the database is away."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("statements.health")

UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_is_reachable(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@never_cache
@require_safe
def healthz(request):
    """200 when the app can answer from its database, 503 when it cannot."""
    if database_is_reachable():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)


class DatabaseUnavailableMiddleware:
    """Answers 503 with a friendly page when the database cannot be reached.

    Django closes a failed connection when the request ends (close_old_connections), so the
    next request connects afresh: pages come back by themselves once the database does.
    The page is rendered without the request's context processors, which would query the
    database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.error(
            "Database unreachable while serving %s %s: %s",
            request.method,
            request.path,
            exception.__class__.__name__,
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
