from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the models they use are only ready once the app registry is.
        from . import caching, revisions

        caching.connect()
        revisions.connect()
