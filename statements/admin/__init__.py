"""The curator's workspace in Django's admin.

- ``model_admins``: every model's admin, statements inline on their article and meeting;
- ``forms``: the statement form (no lost edits, no silent duplicates) and the name list field;
- ``suggest``: an article's "Suggest statements" page;
- ``pending``: the editors' queue of curators' changes to published statements;
- ``import_export``: importing and exporting the whole archive (its own URLs, under
  ``ADMIN_URL/archive/``).
"""

# Registers the model admins with the admin site, which imports this package at start-up.
from . import model_admins  # noqa: F401
