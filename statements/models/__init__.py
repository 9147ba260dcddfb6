"""The archive's domain, one module per concept."""

# Engine-specific pieces the models need as they load live with the search engines: the
# SQLite engine's join model over its full-text index, and the ``among`` lookup.
from statements.search import lookups  # noqa: F401  (registers the ``among`` lookup)
from statements.search.sqlite import StatementIndexEntry

from .dates import DatePrecision
from .meetings import Meeting, MeetingKind
from .people import Official, Organization, OrganizationKind, Role
from .revisions import PendingRevision, StatementRevision
from .slugs import FormerSlug
from .sources import Article, Outlet
from .statements import Statement, StatementKind, StatementStatus
from .tallies import ArchiveTally, OfficialTally, TallyPause, TopicLineage, TopicTally
from .topics import Topic

__all__ = [
    "ArchiveTally",
    "Article",
    "DatePrecision",
    "FormerSlug",
    "Meeting",
    "MeetingKind",
    "Official",
    "OfficialTally",
    "Organization",
    "OrganizationKind",
    "Outlet",
    "PendingRevision",
    "Role",
    "Statement",
    "StatementIndexEntry",
    "StatementKind",
    "StatementRevision",
    "StatementStatus",
    "TallyPause",
    "Topic",
    "TopicLineage",
    "TopicTally",
]
