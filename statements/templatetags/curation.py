"""Tags for the curator's workspace (the admin's templates)."""

from django import template

from statements.models import PendingRevision

register = template.Library()


@register.simple_tag
def pending_revision_count():
    """How many curators' changes to published statements wait for an editor."""
    return PendingRevision.objects.pending().count()
