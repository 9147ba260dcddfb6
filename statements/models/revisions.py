"""Each saved version of a statement: who changed what, and when."""

from django.conf import settings
from django.db import models


class StatementRevision(models.Model):
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    data = models.JSONField(help_text="The statement's fields as saved in this version.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["statement", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "version"], name="statement_revision_unique_version"
            )
        ]

    def __str__(self):
        return f"Statement #{self.statement_id}, version {self.version}"
