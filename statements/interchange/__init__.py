"""Moving the archive in and out as JSON Lines (the format is in docs/data-format.md).

- ``export_archive(out)`` writes every record to a text stream, streamed, in a fixed order.
- ``import_archive(path_or_file, write=True)`` validates every line, then writes all or nothing;
  it raises ``ImportRejected`` (with a report of each bad line) when any line is bad.

``records`` holds the shape both directions share; ``export`` writes; ``importing`` runs an
import, reading lines (``reading``), checking records (``checking``) and writing rows
(``writing``, through ``statements.bulk``).
"""

from .export import export_archive
from .importing import ImportRejected, ImportReport, Problem, import_archive

__all__ = ["ImportRejected", "ImportReport", "Problem", "export_archive", "import_archive"]
