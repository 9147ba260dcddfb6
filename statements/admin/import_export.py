"""Import and export the archive from the admin: upload, read the report, then confirm.

The uploaded file is kept in a private temporary file between the two steps (the browser
cannot send it twice); the session holds its token, so only the curator who uploaded it can
confirm it, and the import validates the file again before writing.
"""

import io
import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from statements.interchange import ImportRejected, export_archive, import_archive
from statements.interchange.records import TYPES

from .permissions import PUBLISH_PERMISSION

MODELS = TYPES
IMPORT_PERMISSIONS = [
    PUBLISH_PERMISSION,
    *(f"statements.{action}_{model}" for model in MODELS for action in ("add", "change")),
]
EXPORT_PERMISSIONS = [f"statements.view_{model}" for model in MODELS]
SESSION_KEY = "archive_import"
PROBLEMS_SHOWN = 200
UPLOAD_DIR = Path(tempfile.gettempdir()) / "verbatim-imports"


class ArchiveUploadForm(forms.Form):
    file = forms.FileField(
        label="Archive file",
        help_text="JSON Lines as written by “Export the archive” (see docs/data-format.md).",
    )


def can_import(user):
    """Imported statements may be published, so importing takes an editor's rights."""
    return user.is_active and user.is_staff and user.has_perms(IMPORT_PERMISSIONS)


def can_export(user):
    return user.is_active and user.is_staff and user.has_perms(EXPORT_PERMISSIONS)


def _upload_path(token):
    return UPLOAD_DIR / f"{token}.jsonl"


def _forget_upload(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _upload_path(pending["token"]).unlink(missing_ok=True)


def _keep_upload(request, upload):
    _forget_upload(request)
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    with open(_upload_path(token), "wb") as kept:
        for chunk in upload.chunks():
            kept.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": Path(upload.name).name}
    return token


def import_view(request):
    """Step 1: upload and see the validation report. Step 2: confirm to write."""
    if not can_import(request.user):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Import an archive file",
        "form": ArchiveUploadForm(),
        "report": None,
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        form = ArchiveUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            token = _keep_upload(request, upload)
            try:
                report = import_archive(
                    _upload_path(token), name=Path(upload.name).name, write=False
                )
            except ImportRejected as rejected:
                report = rejected.report
                _forget_upload(request)
            context.update(_report_context(report), token=token)
    return TemplateResponse(request, "admin/statements/import/form.html", context)


def _confirm(request, context):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, "That upload has expired or was not yours: upload the file again.")
        return redirect("archive_import")
    try:
        report = import_archive(
            _upload_path(pending["token"]), name=pending["name"], user=request.user
        )
    except ImportRejected as rejected:
        _forget_upload(request)
        context.update(_report_context(rejected.report))
        return TemplateResponse(request, "admin/statements/import/form.html", context)
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "That upload is no longer on the server: upload the file again.")
        return redirect("archive_import")
    _forget_upload(request)
    messages.success(request, f"Imported {pending['name']}: {report.summary()}.")
    return redirect("admin:index")


def _report_context(report):
    problems = report.problem_lines()
    return {
        "report": report,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
        "counts": report.counts(),
    }


def export_view(request):
    """Download the whole archive; written to a temporary file so memory stays flat."""
    if not can_export(request.user):
        raise PermissionDenied
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    text = io.TextIOWrapper(spooled, encoding="utf-8", newline="\n")
    export_archive(text)
    text.flush()
    text.detach()
    spooled.seek(0)
    filename = f"verbatim-archive-{timezone.localdate().isoformat()}.jsonl"
    return FileResponse(
        spooled, as_attachment=True, filename=filename, content_type="application/x-ndjson"
    )


urlpatterns = [
    path("import/", admin.site.admin_view(import_view), name="archive_import"),
    path("export/", admin.site.admin_view(export_view), name="archive_export"),
]
