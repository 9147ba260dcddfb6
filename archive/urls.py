from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from statements.health import healthz
from statements.sitemaps import sitemaps

admin.site.site_header = f"{settings.SITE_NAME} curation"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "The archive"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(f"{settings.ADMIN_URL}archive/", include("statements.admin.import_export")),
    path(settings.ADMIN_URL, admin.site.urls),
    # An index, so that a million statements still fit: each section is paged by 10,000.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/v1/", include("statements.api.urls")),
    path("", include("statements.opendata.urls")),  # feeds and downloads, before the pages
    path("", include("statements.urls")),
]

handler404 = "statements.views.page_not_found"
handler500 = "statements.views.server_error"
