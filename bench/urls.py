"""The site's URLs plus /bench/trivial: the fastest page Django can serve here."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The ceiling for any page: the whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("", include("archive.urls")),
]
