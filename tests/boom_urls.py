"""A URLconf with a view that fails, to test what a server error logs and shows."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("the archive index is inconsistent")


urlpatterns = [path("boom/", boom), path("", include("archive.urls"))]

handler500 = "statements.views.server_error"
