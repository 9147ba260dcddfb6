from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Verbatim curation"
admin.site.site_title = "Verbatim"
admin.site.index_title = "The archive"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("statements.urls")),
]
