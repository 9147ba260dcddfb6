"""The open data addresses beside the HTML pages: Atom feeds and downloads of statement lists.

Included before the pages' own URLs, so that /statements/feed/ is not read as a statement.
"""

from django.urls import path

from . import downloads, feeds

urlpatterns = [
    path("statements/feed/", feeds.StatementFeed(), name="statement_feed"),
    path("statements/export.csv", downloads.statements_csv, name="statement_export_csv"),
    path("statements/export.json", downloads.statements_json, name="statement_export_json"),
    path("officials/<slug:slug>/feed/", feeds.OfficialFeed(), name="official_feed"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
]
