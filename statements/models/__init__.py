"""The archive's domain, one module per concept."""

# The SQLite engine's join model over its full-text index lives with that engine.
from statements.search.sqlite import StatementIndexEntry

from . import lookups  # noqa: F401  (registers the ``among`` lookup)
from .dates import DatePrecision
from .meetings import Meeting, MeetingKind
from .people import Official, Organization, OrganizationKind, Role
from .revisions import StatementRevision
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
