import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from statements.interchange import export_archive
from statements.models import Official, Statement

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/archive/import/"
EXPORT_URL = "/admin/archive/export/"


def upload(text, name="archive.jsonl"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-ndjson")


def new_official_file():
    records = [
        {"type": "official", "slug": "ana-kessel", "name": "Ana Kessel", "country": "NZ"},
        {
            "type": "article",
            "slug": "kessel-speaks",
            "title": "Kessel speaks",
            "body": "Ana Kessel said: “Ships will sail at dawn.” 🚢",
        },
        {
            "type": "statement",
            "article": "kessel-speaks",
            "speaker": "ana-kessel",
            "text": "Ships will sail at dawn.",
            "start_offset": 18,
            "end_offset": 42,
            "said_on": "2022-05-04",
            "status": "published",
        },
    ]
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n"


def test_an_editor_sees_what_an_upload_would_change_before_anything_is_written(editor_client):
    response = editor_client.post(IMPORT_URL, {"file": upload(new_official_file())})

    assert response.status_code == 200
    content = response.content.decode()
    assert "archive.jsonl is valid" in content
    assert "Would be created" in content
    assert 'name="confirm"' in content
    assert not Official.objects.exists()


def test_confirming_the_upload_imports_it_and_records_who_did(editor_client, editor):
    response = editor_client.post(IMPORT_URL, {"file": upload(new_official_file())})
    token = response.context["token"]

    response = editor_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)

    statement = Statement.objects.get()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.created_by == editor
    assert "Imported archive.jsonl: 3 lines read; created 1 official" in response.content.decode()


def test_a_bad_upload_lists_each_bad_line_and_offers_no_confirmation(editor_client):
    text = new_official_file().replace('"2022-05-04"', '"4 May 2022"') + "{oops\n"

    response = editor_client.post(IMPORT_URL, {"file": upload(text)})

    content = response.content.decode()
    assert "2 bad lines in archive.jsonl: nothing was imported" in content
    assert "archive.jsonl:3: statement" in content
    assert "archive.jsonl:4: not valid JSON" in content
    assert 'name="confirm"' not in content
    assert not Official.objects.exists()


def test_a_file_that_is_not_text_is_reported_not_a_server_error(editor_client):
    response = editor_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")}
    )
    assert response.status_code == 200
    assert "photo.jpg:1: not UTF-8 text" in response.content.decode()


def test_posting_without_a_file_shows_the_form_again(editor_client):
    response = editor_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_confirmation_with_someone_elses_token_writes_nothing(editor_client):
    editor_client.post(IMPORT_URL, {"file": upload(new_official_file())})

    response = editor_client.post(IMPORT_URL, {"confirm": "1", "token": "forged"}, follow=True)

    assert "upload the file again" in response.content.decode()
    assert not Official.objects.exists()


def test_a_curator_who_cannot_publish_may_not_import(curator_client):
    assert curator_client.get(IMPORT_URL).status_code == 403
    response = curator_client.post(IMPORT_URL, {"file": upload(new_official_file())})
    assert response.status_code == 403
    assert not Official.objects.exists()


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_editor_downloads_the_same_file_the_command_writes(editor_client, seeded):
    response = editor_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="verbatim-archive-')
    expected = io.StringIO()
    export_archive(expected)
    assert b"".join(response.streaming_content).decode("utf-8") == expected.getvalue()


def test_the_admin_index_links_to_import_and_export_for_an_editor(editor_client):
    content = editor_client.get(reverse("admin:index")).content.decode()
    assert IMPORT_URL in content
    assert EXPORT_URL in content


def test_the_admin_index_offers_a_curator_only_the_export(curator_client):
    content = curator_client.get(reverse("admin:index")).content.decode()
    assert IMPORT_URL not in content
    assert EXPORT_URL in content
