import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from statements.interchange import ImportRejected
from statements.models import (
    Article,
    DatePrecision,
    Official,
    Statement,
    Topic,
)

from .factories import (
    HOSTILE_BODY,
    make_article,
    make_official,
    make_statement,
)
from .helpers import (
    archive_counts,
    empty_the_archive,
    export_text,
    line,
    lines_of,
    run_import,
)

pytestmark = pytest.mark.django_db


def test_exporting_the_seed_archive_writes_one_record_of_each_object_per_line(seeded):
    records = lines_of(export_text())
    assert records[0] == {"type": "archive", "format": "verbatim", "version": 1}
    kinds = [record["type"] for record in records[1:]]
    assert kinds.count("statement") == 13
    assert kinds.count("official") == 3
    assert kinds == sorted(
        kinds,
        key=[
            "organization",
            "outlet",
            "official",
            "role",
            "topic",
            "article",
            "meeting",
            "statement",
        ].index,
    )
    statement = next(r for r in records if r["type"] == "statement")
    assert statement["article"] == "us-russian-agreement-breakthrough-syria"
    assert statement["said_on"] == "2015"
    assert statement["key"].startswith("us-russian-agreement-breakthrough-syria/142-265/")


def test_exporting_twice_gives_byte_identical_files(seeded, hostile_archive):
    assert export_text() == export_text()


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(
    seeded, hostile_archive
):
    before = export_text()
    empty_the_archive()
    assert archive_counts() == [0] * 8

    report = run_import(before)

    assert report.created["statement"] == 17
    assert report.updated.total() == 0
    assert export_text() == before


def test_the_round_trip_keeps_hostile_text_and_partial_dates(hostile_archive):
    text = export_text()
    empty_the_archive()

    run_import(text)

    article = Article.objects.get(slug="envoy-speaks")
    assert article.body == HOSTILE_BODY
    assert article.title == 'Envoy: "No" — ولا'
    assert article.published_on_precision == DatePrecision.MONTH
    assert article.retrieved_on == datetime.date(2024, 2, 29)
    reply = Statement.objects.get(language="ar")
    assert reply.in_reply_to.text == "We will not \\ yield"
    assert reply.in_reply_to.said_on_precision == DatePrecision.YEAR
    assert Statement.objects.filter(text="Fish first,", start_offset=None).count() == 2
    assert Official.objects.get(slug="mira-vondel").other_names == ["M. Vondel", "ميرا فوندل"]


def test_lines_stay_lines_whatever_the_text_holds(hostile_archive):
    text = export_text()
    assert "\u2028" in text  # written as is: UTF-8, not escaped
    raw_lines = text.split("\n")
    assert raw_lines[-1] == ""
    for raw in raw_lines[:-1]:
        assert isinstance(json.loads(raw), dict)


def test_identical_statements_get_numbered_keys_that_survive_the_round_trip(hostile_archive):
    keys = [r["key"] for r in lines_of(export_text()) if r["type"] == "statement"]
    duplicates = [key for key in keys if "/-/mira-vondel/" in key]
    assert len(duplicates) == 2
    assert duplicates[1] == duplicates[0] + "#2"


def test_importing_the_same_file_twice_changes_nothing(seeded, hostile_archive):
    text = export_text()
    report = run_import(text)
    assert report.created.total() == 0
    assert report.updated.total() == 0
    assert report.unchanged["statement"] == 17
    counts = archive_counts()
    run_import(text)
    assert archive_counts() == counts


def test_the_export_command_writes_to_a_file_or_to_standard_output(seeded, tmp_path):
    path = tmp_path / "archive.jsonl"
    call_command("export_archive", str(path), verbosity=0)
    stdout = io.StringIO()
    call_command("export_archive", "-", stdout=stdout, verbosity=0)
    assert path.read_text(encoding="utf-8") == stdout.getvalue() == export_text()


def test_the_import_command_reports_what_it_created_and_what_was_unchanged(seeded, tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text(export_text(), encoding="utf-8")
    stdout = io.StringIO()
    call_command("import_archive", str(path), stdout=stdout, stderr=io.StringIO())
    assert "created nothing" in stdout.getvalue()
    assert "unchanged 7 organizations, 3 officials, 5 roles" in stdout.getvalue()


def test_a_changed_record_updates_only_what_it_gives(hostile_archive):
    official = {"type": "official", "slug": "mira-vondel", "biography": "Envoy since 2011."}
    statement = next(
        r for r in lines_of(export_text()) if r["type"] == "statement" and r["language"] == "ar"
    )
    statement["status"] = "published"
    statement["topics"] = ["fisheries"]

    report = run_import(line(official) + "\n" + line(statement) + "\n")

    assert report.updated["official"] == 1
    assert report.updated["statement"] == 1
    mira = Official.objects.get(slug="mira-vondel")
    assert mira.biography == "Envoy since 2011."
    assert mira.other_names == ["M. Vondel", "ميرا فوندل"]  # left out, so kept
    reply = Statement.objects.get(language="ar")
    assert reply.status == Statement.Status.PUBLISHED
    assert [t.slug for t in reply.topics.all()] == ["fisheries"]
    assert reply.in_reply_to is not None


def test_a_new_record_may_leave_out_optional_fields():
    text = "\n".join(
        [
            line({"type": "official", "slug": "ana-kessel", "name": "Ana Kessel"}),
            line({"type": "article", "slug": "a1", "title": "Talks", "body": "Kessel: “Yes.”"}),
            line(
                {
                    "type": "statement",
                    "article": "a1",
                    "speaker": "ana-kessel",
                    "text": "Yes.",
                    "said_on": "2021-06",
                }
            ),
        ]
    )
    run_import(text)
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.DRAFT
    assert statement.said_on == datetime.date(2021, 6, 1)
    assert statement.said_on_precision == DatePrecision.MONTH
    assert statement.start_offset is None  # kept as given, not located
    assert Official.objects.get().sort_name == "Kessel, Ana"


def test_a_validation_only_run_counts_what_would_change_and_writes_nothing(seeded):
    text = export_text()
    empty_the_archive()
    report = run_import(text, write=False)
    assert report.created["statement"] == 13
    assert "would be created" in report.summary()
    assert archive_counts() == [0] * 8


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(seeded):
    good = lines_of(export_text())[1:]
    statement = next(r for r in good if r["type"] == "statement")
    bad_offsets = {**statement, "key": None, "start_offset": 0, "end_offset": 5}
    del bad_offsets["key"]
    lines = [
        line({"type": "official", "slug": "ana-kessel", "name": "Ana Kessel"}),  # 1: good
        "{not json",  # 2
        line(["a", "list"]),  # 3
        line({"type": "speech", "slug": "x"}),  # 4
        line({"type": "official", "slug": "no-name"}),  # 5
        line({"type": "official", "slug": "ana-kessel", "name": "Again"}),  # 6
        line({"type": "official", "slug": "typo", "name": "T", "nmae": "T"}),  # 7
        line(
            {
                "type": "statement",
                "article": statement["article"],
                "speaker": "ana-kessel",
                "text": "Hello.",
                "said_on": "2015-13",
            }
        ),  # 8
        line(bad_offsets),  # 9
        line({"type": "official", "slug": "bad slug!", "name": "B", "country": "XX"}),  # 10
        line({**statement, "key": "wrong/key"}),  # 11
        line({**statement, "key": None, "article": "nowhere", "meeting": None}),  # 12
    ]

    with pytest.raises(ImportRejected) as rejected:
        run_import("\n".join(lines))

    messages = rejected.value.report.problem_lines()
    numbers = {int(message.split(":")[1]) for message in messages}
    assert numbers == set(range(2, 13))
    text = "\n".join(messages)
    assert "upload.jsonl:2: not valid JSON" in text
    assert 'upload.jsonl:4: the record has the type "speech"' in text
    assert "upload.jsonl:5: official 'no-name': 'name' is required for a new official" in text
    assert "is already defined on line 1" in text
    assert "unknown field 'nmae'" in text
    assert "upload.jsonl:8: statement: 'said_on' is not a date: write YYYY-MM-DD" in text
    assert "names the article 'nowhere'" in text
    assert "At these offsets the article reads" in text
    assert "'slug'" in text and "'country'" in text
    assert "but its article, speaker, offsets and text make" in text
    assert not Official.objects.filter(slug="ana-kessel").exists()


def test_the_import_command_prints_each_bad_line_and_fails(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(line({"type": "topic", "slug": "t"}) + "\n", encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 bad line"):
        call_command("import_archive", str(path), stderr=stderr)
    assert f"{path}:1: topic 't': 'name' is required" in stderr.getvalue()
    assert not Topic.objects.exists()


def test_a_record_may_not_name_a_record_below_it_except_parents_and_replies():
    text = "\n".join(
        [
            line({"type": "topic", "slug": "cod", "name": "Cod", "parent": "fish"}),
            line({"type": "topic", "slug": "fish", "name": "Fish"}),
            line(
                {
                    "type": "role",
                    "official": "ana",
                    "title": "Envoy",
                    "organization": "mfa",
                    "start_date": "2010",
                }
            ),
            line({"type": "official", "slug": "ana", "name": "Ana"}),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run_import(text)
    messages = rejected.value.report.problem_lines()
    assert all(message.startswith("upload.jsonl:3:") for message in messages)
    assert len(messages) == 2  # the official and the organization


def test_a_parent_further_down_the_file_is_set():
    text = "\n".join(
        [
            line({"type": "topic", "slug": "cod", "name": "Cod", "parent": "fish"}),
            line({"type": "topic", "slug": "fish", "name": "Fish"}),
        ]
    )
    run_import(text)
    assert Topic.objects.get(slug="cod").parent.slug == "fish"


def test_a_loop_of_parents_is_refused():
    text = "\n".join(
        [
            line({"type": "topic", "slug": "cod", "name": "Cod", "parent": "fish"}),
            line({"type": "topic", "slug": "fish", "name": "Fish", "parent": "cod"}),
        ]
    )
    with pytest.raises(ImportRejected, match="bad line"):
        run_import(text)
    assert not Topic.objects.exists()


def test_a_new_body_that_loses_an_archived_statement_is_refused(seeded):
    article = next(r for r in lines_of(export_text()) if r["type"] == "article")
    article["body"] = "Nothing of what was said."
    with pytest.raises(ImportRejected) as rejected:
        run_import(line(article))
    assert "no longer reads statement" in rejected.value.report.problem_lines()[0]


def test_a_role_that_ends_before_it_starts_is_refused():
    text = "\n".join(
        [
            line({"type": "organization", "slug": "mfa", "name": "MFA"}),
            line({"type": "official", "slug": "ana", "name": "Ana"}),
            line(
                {
                    "type": "role",
                    "official": "ana",
                    "title": "Envoy",
                    "organization": "mfa",
                    "start_date": "2010-05",
                    "end_date": "2009",
                }
            ),
        ]
    )
    with pytest.raises(ImportRejected, match="bad line"):
        run_import(text)


def test_a_header_with_another_format_version_is_refused():
    with pytest.raises(ImportRejected) as rejected:
        run_import(line({"type": "archive", "format": "verbatim", "version": 2}))
    assert "version 2" in rejected.value.report.problem_lines()[0]


def test_importing_many_statements_takes_a_few_queries_per_batch_not_one_per_line(
    django_assert_max_num_queries,
):
    body = " ".join(f"Sentence {n}." for n in range(300))
    lines = [
        line({"type": "official", "slug": "ana", "name": "Ana"}),
        line({"type": "topic", "slug": "cod", "name": "Cod"}),
        line({"type": "article", "slug": "long", "title": "Long", "body": body}),
    ]
    for n in range(300):
        text = f"Sentence {n}."
        start = body.index(text)
        lines.append(
            line(
                {
                    "type": "statement",
                    "article": "long",
                    "speaker": "ana",
                    "text": text,
                    "start_offset": start,
                    "end_offset": start + len(text),
                    "said_on": "2020-01-02",
                    "topics": ["cod"],
                    "mentions": ["ana"],
                }
            )
        )
    with django_assert_max_num_queries(60):
        report = run_import("\n".join(lines))
    assert report.created["statement"] == 300
    assert Statement.objects.get(text="Sentence 7.").topics.get().slug == "cod"


def found_by_search(words):
    return sorted(statement.text for statement in Statement.objects.search(words))


def test_an_import_into_an_empty_database_leaves_the_search_index_complete(seeded, hostile_archive):
    text = export_text()
    before = {words: found_by_search(words) for words in ("yield", "fruitful", "Syria")}
    assert before["yield"] and before["fruitful"] and before["Syria"]
    empty_the_archive()

    run_import(text)

    assert {words: found_by_search(words) for words in before} == before
    # The index keeps itself up to date afterwards, as before the import.
    make_statement(text="The ceasefire in Port Ardent holds.")
    assert found_by_search("ceasefire") == ["The ceasefire in Port Ardent holds."]


def test_a_rejected_import_into_an_empty_database_leaves_the_search_index_working(
    hostile_archive,
):
    text = export_text()
    empty_the_archive()

    with pytest.raises(ImportRejected):
        run_import(text + line({"type": "official", "slug": "broken"}) + "\n")

    assert archive_counts() == [0] * 8
    make_statement(text="The ceasefire in Port Ardent holds.")
    assert found_by_search("ceasefire") == ["The ceasefire in Port Ardent holds."]


def test_a_record_given_twice_far_apart_is_reported_with_the_line_of_the_first(monkeypatch):
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 2)
    make_official(slug="tarek-ossan", name="Tarek Ossan")
    lines = [line({"type": "official", "slug": f"envoy-{n}", "name": f"E {n}"}) for n in range(6)]
    lines.insert(1, line({"type": "official", "slug": "tarek-ossan", "name": "Tarek Ossan"}))
    lines.append(line({"type": "official", "slug": "envoy-0", "name": "Again"}))  # new above
    lines.append(line({"type": "official", "slug": "tarek-ossan", "name": "T"}))  # in the db

    with pytest.raises(ImportRejected) as rejected:
        run_import("\n".join(lines))

    assert rejected.value.report.problem_lines() == [
        "upload.jsonl:8: official 'envoy-0': is already defined on line 1: keep one record "
        "per official (merge the two lines)",
        "upload.jsonl:9: official 'tarek-ossan': is already defined on line 2: keep one "
        "record per official (merge the two lines)",
    ]
    assert not Official.objects.filter(slug="envoy-0").exists()


def test_a_record_that_names_a_bad_line_is_not_blamed_for_it(monkeypatch):
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 1)
    text = "\n".join(
        [
            line({"type": "official", "slug": "ana-kessel", "name": "Ana Kessel"}),
            line({"type": "article", "slug": "a1", "body": "Kessel: “Yes.”"}),  # no title
            line(
                {
                    "type": "statement",
                    "article": "a1",
                    "speaker": "ana-kessel",
                    "text": "Yes.",
                    "start_offset": 9,
                    "end_offset": 13,
                    "said_on": "2021-06",
                }
            ),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run_import(text)
    assert [problem.line for problem in rejected.value.report.problems] == [2]
    assert not Official.objects.exists()


def test_the_same_checks_hold_whether_lines_come_in_one_batch_or_many(monkeypatch, seeded):
    good = lines_of(export_text())[1:]
    statement = next(r for r in good if r["type"] == "statement")
    text = "\n".join(
        [
            line({**statement, "key": None, "start_offset": 0, "end_offset": 5}),
            line({"type": "official", "slug": "bad slug!", "name": "B", "country": "XX"}),
            line({**statement, "language": "not a tag!", "kind": "rumour"}),
        ]
    )
    with pytest.raises(ImportRejected) as in_one:
        run_import(text)
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 1)
    with pytest.raises(ImportRejected) as in_many:
        run_import(text)
    assert in_one.value.report.problem_lines() == in_many.value.report.problem_lines()
    messages = "\n".join(in_one.value.report.problem_lines())
    assert "upload.jsonl:1: statement" in messages and "At these offsets" in messages
    assert "'country'" in messages and "'language'" in messages and "'kind'" in messages


def test_the_round_trip_holds_when_every_cache_is_tiny_and_batches_are_small(
    monkeypatch, seeded, hostile_archive
):
    monkeypatch.setattr("statements.interchange.importing.BATCH_SIZE", 2)
    for name, value in [("KNOWN_CAP", 1), ("BODIES_CAP", 1), ("VALID_VALUES_CAP", 1)]:
        monkeypatch.setattr(f"statements.interchange.checking.{name}", value)
    before = export_text()
    empty_the_archive()

    report = run_import(before)

    assert report.created["statement"] == 17
    assert export_text() == before
    assert run_import(before).unchanged["statement"] == 17


def test_statements_added_by_an_import_appear_on_cached_pages(settings, client):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "i"}
    }
    official = make_official(slug="ana-kessel", name="Ana Kessel")
    article = make_article(slug="a1", body="Kessel: “Yes.”")
    first = client.get(official.get_absolute_url()).text
    assert "Yes." not in first
    record = {
        "type": "statement",
        "article": article.slug,
        "speaker": official.slug,
        "text": "Yes.",
        "said_on": "2021-06",
        "status": "published",
    }

    run_import(line(record))

    assert "Yes." in client.get(official.get_absolute_url()).text
