"""``field__among=[ids]``: membership in a list of numbers sent as one parameter.

``__in`` writes one placeholder per value. For the thousand statements behind a page's
facets that is a thousand parameters to bind (psycopg quotes each in Python, about 15 ms a
query) and a different statement text for every length. ``among`` sends the whole list as
one value: a PostgreSQL array (``= ANY(%s)``) or, on SQLite, a JSON array read by
``json_each``. Only for whole numbers (primary and foreign keys).

With the search engines because it is written in each engine's own SQL, as they are (search/
imports no model, so the models can register it as they load: ``statements/models/__init__``
imports this module). Used by the facets, ``officials_named`` and ``OfficialQuerySet``.
"""

import json

from django.db import models
from django.db.models import Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def process_rhs(self, compiler, connection):
        return "%s", [self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [
            *lhs_params,
            json.dumps(self.rhs),
        ]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


models.IntegerField.register_lookup(Among)
models.ForeignKey.register_lookup(Among)
