"""The curator's workspace in Django's admin.

- ``model_admins``: every model's admin, statements inline on their article and meeting;
- ``forms``: the statement form (no lost edits, no silent duplicates), the name list field,
  and long texts with a space for each character XML cannot carry;
- ``curator_input``: what every model admin shares so that forged input is a form error, not
  a 500 (autocomplete fields given a non-numeric id, a NUL in a search);
- ``suggest``: an article's "Suggest statements" page;
- ``pending``: the editors' queue of curators' changes to published statements;
- ``import_export``: importing and exporting the whole archive (its own URLs, under
  ``ADMIN_URL/archive/``).
"""

# Registers the model admins with the admin site, which imports this package at start-up.
from . import model_admins  # noqa: F401
