"""Each saved version of a statement: who changed what, and when; and the changes to
published statements that wait for an editor."""

from django.conf import settings
from django.db import models
from django.urls import reverse


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


class PendingRevisionState(models.TextChoices):
    PENDING = "pending", "Pending editor approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class PendingRevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=PendingRevisionState.PENDING)


class PendingRevision(models.Model):
    """A curator's change to a published statement, held until an editor approves it.

    The live row keeps the approved words meanwhile, so no public page needs to know about it.
    ``values`` holds the proposed fields as the statement's columns take them (related rows by
    primary key), ``data`` the same as a revision's labelled snapshot, for the diff.
    """

    State = PendingRevisionState

    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="pending_revisions"
    )
    base_version = models.PositiveIntegerField(
        help_text="The statement's version the change was made on; approving it once the "
        "statement has moved on is refused."
    )
    values = models.JSONField(help_text="The proposed fields, related rows by primary key.")
    data = models.JSONField(help_text="The proposed fields as a revision records them.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=10, choices=PendingRevisionState.choices, default=PendingRevisionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="Why it was rejected.")

    objects = PendingRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PendingRevisionState.values),
                name="pending_revision_state_valid",
            )
        ]
        indexes = [
            models.Index(fields=["state", "proposed_at"], name="pending_revision_state_idx"),
        ]

    def __str__(self):
        return f"Change to statement #{self.statement_id} on version {self.base_version}"

    def get_absolute_url(self):
        return reverse("admin:statements_pending_revision", args=[self.pk])
