"""Editors' queue of curators' changes to published statements: compare, approve, reject.

A change waits here as a ``PendingRevision`` (see ``statements.revisions``); the public keeps
reading the live statement until an editor approves it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from statements.models import PendingRevision
from statements.revisions import ChangeRefused, approve, diff, reject, snapshot


class RejectForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: why, for the curator who proposed it.",
    )


def _refuse_non_editors(model_admin, request):
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied


def queue_view(model_admin, request):
    """Every change waiting for an editor, oldest first."""
    _refuse_non_editors(model_admin, request)
    waiting = PendingRevision.objects.pending().select_related("statement__speaker", "proposed_by")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Changes to published statements waiting for an editor",
        "waiting": waiting,
    }
    return TemplateResponse(request, "admin/statements/statement/pending_queue.html", context)


def review_view(model_admin, request, pending_id):
    """One change beside the live statement, field by field, with Approve and Reject."""
    _refuse_non_editors(model_admin, request)
    pending = get_object_or_404(
        PendingRevision.objects.select_related("statement", "proposed_by", "decided_by"),
        pk=pending_id,
    )
    form = RejectForm()
    if request.method == "POST" and pending.state == PendingRevision.State.PENDING:
        form = RejectForm(request.POST)
        try:
            if "approve" in request.POST:
                approve(pending, user=request.user)
                messages.success(request, f"Approved: statement #{pending.statement_id} is live.")
                return redirect("admin:statements_pending_queue")
            if "reject" in request.POST and form.is_valid():
                reject(pending, user=request.user, note=form.cleaned_data["note"])
                messages.success(request, f"Rejected the change to #{pending.statement_id}.")
                return redirect("admin:statements_pending_queue")
        except ChangeRefused as refused:
            messages.error(request, str(refused))
            return redirect("admin:statements_pending_revision", pending.pk)
    statement = pending.statement
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Change to statement #{statement.pk}",
        "pending": pending,
        "statement": statement,
        "changes": diff(snapshot(statement), pending.data),
        "stale": statement.version != pending.base_version,
        "form": form,
    }
    return TemplateResponse(request, "admin/statements/statement/pending_review.html", context)
