"""Backups that any engine can restore: the archive's JSON Lines plus accounts and groups.

A backup is a dated folder holding ``archive.jsonl`` (``export_archive``), ``accounts.json``
(users and groups by natural keys, passwords as hashes) and ``manifest.json`` (counts and
checksums). Restoring it into an empty database reproduces the archive exactly.
Not included: statement revision history and retired slugs; for those keep database dumps too.
"""

import hashlib
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from .interchange import export_archive, import_archive
from .models import Article, Official, Statement

ARCHIVE_FILE = "archive.jsonl"
ACCOUNTS_FILE = "accounts.json"
MANIFEST_FILE = "manifest.json"
FORMAT = "verbatim-backup"


class RestoreRefused(Exception):
    """The backup is incomplete or altered, or the database is not empty."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _private_file(path):
    # Accounts hold password hashes: readable by the owner only.
    return os.fdopen(
        os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8"
    )


def write_backup(parent, *, now=None, progress=None):
    """Write a complete, dated backup below ``parent`` and return its folder."""
    now = now or datetime.now(UTC)
    folder = Path(parent) / f"verbatim-{now:%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    with open(folder / ARCHIVE_FILE, "w", encoding="utf-8", newline="\n") as out:
        export_archive(out, progress=progress)
    with _private_file(folder / ACCOUNTS_FILE) as out:
        call_command(
            "dumpdata",
            "auth.group",
            "auth.user",
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            stdout=out,
        )
    manifest = {
        "format": FORMAT,
        "version": 1,
        "created_at": now.isoformat(),
        "counts": {
            "statements": Statement.objects.count(),
            "officials": Official.objects.count(),
            "articles": Article.objects.count(),
        },
        "sha256": {name: _sha256(folder / name) for name in (ARCHIVE_FILE, ACCOUNTS_FILE)},
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return folder


def restore_backup(folder, *, progress=None):
    """Restore a backup into a database whose archive is empty; all or nothing."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RestoreRefused(
            f"{folder / MANIFEST_FILE}: cannot read the manifest: {error}"
        ) from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{folder}: not a Verbatim backup (no '{FORMAT}' manifest).")
    for name, expected in manifest.get("sha256", {}).items():
        path = folder / name
        if not path.exists() or _sha256(path) != expected:
            raise RestoreRefused(
                f"{path}: missing or altered since the backup was made (checksum differs). "
                "Restore from an intact copy."
            )
    if Statement.objects.exists() or Official.objects.exists() or Article.objects.exists():
        raise RestoreRefused(
            "The database already holds an archive. Restore into an empty database "
            "(migrate a new one first): a restore never merges into existing data."
        )
    with transaction.atomic():
        call_command("loaddata", str(folder / ACCOUNTS_FILE), verbosity=0)
        report = import_archive(str(folder / ARCHIVE_FILE), progress=progress)
    return report


def archive_text():
    """The archive as export_archive writes it, for comparisons."""
    buffer = io.StringIO()
    export_archive(buffer)
    return buffer.getvalue()
