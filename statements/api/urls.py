"""/api/v1/: the JSON API, its OpenAPI schema, its docs and the Popolo export."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .popolo import PopoloView

app_name = "api"

router = DefaultRouter()
router.register("statements", views.StatementViewSet, basename="statement")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("organizations", views.OrganizationViewSet, basename="organization")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("popolo.json", PopoloView.as_view(), name="popolo"),
    *router.urls,
    re_path(r"^.*$", views.not_found),
]
