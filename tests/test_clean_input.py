"""Characters XML cannot carry never get into the archive's text, whichever way it comes in,
and a feed survives one that got in anyway."""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.interchange import ImportRejected
from statements.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Outlet,
    Role,
    Statement,
    Topic,
)
from statements.models.text import UNSAFE, spaced, validate_xml_text
from statements.suggestions import SpeakerDirectory, suggest_statements

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_role,
    make_statement,
    make_topic,
)
from .helpers import admin_url, inline_formset_data, line, run_import, statement_form

ATOM = "{http://www.w3.org/2005/Atom}"
BAD = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\x93",
    "\x9f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
]
GOOD = (
    "Tab\there, lines\nand\r\nbreaks, « guillemets », ‹ › „ “, U+2028\u2028, 🕊️, \ufdd0, \U0010fffd"
)

# Every archive text field the validator guards: (model, field).
TEXT_FIELDS = [
    (Article, "title"),
    (Article, "url"),
    (Article, "byline"),
    (Article, "body"),
    (Article, "curator_note"),
    (Meeting, "title"),
    (Meeting, "city"),
    (Meeting, "description"),
    (Official, "name"),
    (Official, "sort_name"),
    (Official, "other_names"),
    (Official, "biography"),
    (Organization, "name"),
    (Outlet, "name"),
    (Outlet, "homepage"),
    (Role, "title"),
    (Statement, "attribution"),
    (Statement, "text"),
    (Statement, "translation"),
    (Statement, "place_city"),
    (Statement, "curator_note"),
    (Topic, "name"),
    (Topic, "description"),
]


# -- the rule --------------------------------------------------------------------------------


def test_the_validator_accepts_what_xml_carries_and_names_what_it_refuses():
    validate_xml_text(GOOD)
    validate_xml_text(["M. Vondel", GOOD])
    for character in BAD:
        with pytest.raises(ValidationError) as refused:
            validate_xml_text(f"Page one.{character}Page two.")
        assert refused.value.code == "unsafe_character"
        assert f"U+{ord(character):04X}" in refused.value.messages[0]
        assert "at character 10" in refused.value.messages[0]
        with pytest.raises(ValidationError):
            validate_xml_text(["fine", f"x{character}"])


def test_spacing_out_keeps_the_length_so_offsets_stay_exact():
    text = "".join(f"{character}word" for character in BAD)
    assert len(spaced(text)) == len(text)
    assert UNSAFE.search(spaced(text)) is None
    validate_xml_text(spaced(text))


@pytest.mark.parametrize(("model", "name"), TEXT_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_every_archive_text_field_refuses_a_form_feed(model, name):
    field = model._meta.get_field(name)
    value = (
        ["A \x0c B"]
        if name == "other_names"
        else "https://a.example/\x0c"
        if "url" in name or name == "homepage"
        else "A \x0c B"
    )
    with pytest.raises(ValidationError) as refused:
        field.clean(value, None)
    assert any("U+000C" in message for message in refused.value.messages)


def test_each_text_field_of_the_archive_is_guarded():
    """A text field added to a model later gets the validator too (or a reason here)."""
    guarded = {(model, name) for model, name in TEXT_FIELDS}
    for model in (Article, Meeting, Official, Organization, Outlet, Role, Statement, Topic):
        for field in model._meta.fields:
            if field.get_internal_type() in {"CharField", "TextField"} and not field.choices:
                if field.name in {"language", "wikidata_id", "place_country", "country"}:
                    continue  # their own patterns allow letters, digits and hyphens only
                assert (model, field.name) in guarded, f"{model.__name__}.{field.name}"


letters = st.characters(codec=None).filter(lambda c: UNSAFE.match(c) is None)
accepted = st.text(alphabet=st.one_of(letters, st.sampled_from("\t\n\r\u2028\ufdd0")))


@settings(max_examples=300, deadline=None)
@given(accepted)
def test_any_text_the_validator_accepts_renders_in_an_atom_feed_and_as_xml(text):
    validate_xml_text(text)
    feed = Atom1Feed(title=text, link="https://verbatim.example/", description=text)
    feed.add_item(
        title=text,
        link="https://verbatim.example/s/1/",
        description=text,
        author_name=text,
        categories=[text] if text.strip() else [],
    )
    out = io.StringIO()
    feed.write(out, "utf-8")  # Django's own generator, which refuses what XML cannot hold
    parsed = ET.fromstring(out.getvalue().encode("utf-8"))
    as_read = text.replace("\r\n", "\n").replace("\r", "\n")  # XML's end-of-line handling
    entry = parsed.find(f"{ATOM}entry")
    assert (entry.find(f"{ATOM}title").text or "") == as_read
    assert (entry.find(f"{ATOM}summary").text or "") == as_read
    element = ET.Element("statement")
    element.text = text
    assert (ET.fromstring(ET.tostring(element, encoding="utf-8")).text or "") == as_read


@settings(max_examples=100, deadline=None)
@given(accepted, st.sampled_from(BAD), accepted)
def test_any_text_holding_a_refused_character_is_refused(before, character, after):
    with pytest.raises(ValidationError):
        validate_xml_text(before + character + after)


# -- the admin ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_form_feed_pasted_into_a_statement_becomes_a_space_and_the_offsets_hold(
    client, superuser
):
    client.force_login(superuser)
    article = make_article(body="Intro. We will meet again in spring. End.")
    response = client.post(
        admin_url(Statement, "add"),
        statement_form(
            article,
            make_official(),
            text="We will meet\x0cagain in spring",
            translation="x\x0by",
            curator_note="from a PDF\x0c",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get()
    assert statement.text == "We will meet again in spring"
    assert (statement.translation, statement.curator_note) == ("x y", "from a PDF")
    assert article.body[statement.start_offset : statement.end_offset] == statement.text


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["attribution", "place_city"])
def test_a_control_character_in_a_short_statement_field_is_a_form_error(client, superuser, field):
    client.force_login(superuser)
    data = statement_form(make_article(), make_official(), **{field: "the Foreign\x01Minister"})
    response = client.post(admin_url(Statement, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert "U+0001" in errors[0]
    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_an_article_body_pasted_with_page_breaks_is_stored_with_spaces(client, superuser):
    client.force_login(superuser)
    data = {
        "title": "Talks resume",
        "slug": "talks-resume",
        "outlet": "",
        "url": "",
        "byline": "",
        "language": "en",
        "published_on": "",
        "published_on_precision": "day",
        "retrieved_on": "",
        "body": "Page one ends.\x0cPage two: “We will meet\x0bagain,” Vondel said.",
        "curator_note": "",
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    response = client.post(admin_url(Article, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    body = Article.objects.get().body
    assert body == "Page one ends. Page two: “We will meet again,” Vondel said."
    assert len(body) == len(data["body"])

    response = client.post(
        admin_url(Article, "add"), {**data, "slug": "again", "title": "Talks\x0cresume"}
    )
    assert response.status_code == 200
    assert "U+000C" in response.context["adminform"].form.errors["title"][0]


@pytest.mark.django_db
def test_an_officials_other_name_with_a_control_character_is_a_form_error(client, superuser):
    client.force_login(superuser)
    data = {
        "name": "Ana Kessel",
        "slug": "ana-kessel",
        "sort_name": "",
        "other_names": "A. Kessel\nAna\x01Kessel",
        "country": "",
        "wikidata_id": "",
        "biography": "Born in\x0cPort Ardent.",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    response = client.post(admin_url(Official, "add"), data)
    assert response.status_code == 200
    assert "U+0001" in response.context["adminform"].form.errors["other_names"][0]
    response = client.post(admin_url(Official, "add"), {**data, "other_names": "A. Kessel"})
    assert response.status_code == 302
    assert Official.objects.get().biography == "Born in Port Ardent."


@pytest.mark.django_db
def test_a_statement_entered_inline_gets_spaces_for_page_breaks(client, superuser):
    client.force_login(superuser)
    article = make_article(body="Intro. We will meet again in spring. End.")
    data = inline_formset_data(article, make_official(), text="We will meet\x0cagain in spring")
    response = client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.context["errors"]
    statement = Statement.objects.get()
    assert statement.text == "We will meet again in spring"
    assert article.body[statement.start_offset : statement.end_offset] == statement.text


@pytest.mark.django_db
def test_a_control_character_in_an_inline_attribution_is_a_form_error(client, superuser):
    client.force_login(superuser)
    article = make_article()
    data = inline_formset_data(article, make_official(), attribution="the\x1bminister")
    response = client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert "U+001B" in response.content.decode()
    assert not Statement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Meeting, Topic, Organization, Outlet])
def test_other_admin_forms_refuse_a_control_character_in_a_name(client, superuser, model):
    client.force_login(superuser)
    form = client.get(admin_url(model, "add")).context["adminform"].form
    name = "title" if model is Meeting else "name"
    data = {**{k: "" for k in form.fields}, name: "Port\x01Ardent", "slug": "port-ardent"}
    response = client.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    assert "U+0001" in response.context["adminform"].form.errors[name][0]


# -- non-numeric ids in autocomplete fields ---------------------------------------------------

NOT_IDS = ["abc", "1.5", "99999999999999999999999", "-1", "1 OR 1=1"]
STATEMENT_AUTOCOMPLETES = ["speaker", "meeting", "article", "topics", "mentions", "in_reply_to"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", STATEMENT_AUTOCOMPLETES)
def test_a_non_numeric_id_in_a_statement_autocomplete_field_is_a_form_error(
    client, superuser, field
):
    client.force_login(superuser)
    article, speaker = make_article(), make_official()
    for value in NOT_IDS:
        data = statement_form(article, speaker)
        data[field] = value
        response = client.post(admin_url(Statement, "add"), data)
        assert response.status_code == 200, (field, value)
        assert response.context["adminform"].form.errors[field], (field, value)
    assert not Statement.objects.exists()


def _meeting_form_data(meeting):
    return {
        "title": meeting.title,
        "slug": meeting.slug,
        "kind": meeting.kind,
        "start_date": meeting.start_date.isoformat(),
        "start_date_precision": "day",
        "end_date": "",
        "end_date_precision": "day",
        "city": "",
        "country": "",
        "description": "",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parent", "field"),
    [
        ("article", "speaker"),
        ("article", "meeting"),
        ("article", "topics"),
        ("meeting", "speaker"),
        ("meeting", "article"),
        ("meeting", "topics"),
    ],
)
def test_a_non_numeric_id_in_an_inline_autocomplete_field_is_a_form_error(
    client, superuser, parent, field
):
    client.force_login(superuser)
    article, speaker = make_article(), make_official()
    for value in NOT_IDS:
        data = inline_formset_data(article, speaker)
        data[f"statements-0-{field}"] = value
        if parent == "meeting":
            meeting = make_meeting()
            data = {**data, **_meeting_form_data(meeting)}
            data.setdefault("statements-0-article", article.pk)
            url = admin_url(Meeting, "change", meeting.pk)
        else:
            url = admin_url(Article, "change", article.pk)
        response = client.post(url, data)
        assert response.status_code == 200, (parent, field, value)
        assert response.context["inline_admin_formsets"][0].formset.errors[0][field]
    assert not Statement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["organization", "official"])
def test_a_non_numeric_id_in_a_role_autocomplete_field_is_a_form_error(client, superuser, field):
    client.force_login(superuser)
    role = make_role(make_official())
    data = {
        "official": role.official_id,
        "title": "Envoy",
        "organization": role.organization_id,
        "start_date": "2010-01-01",
        "start_date_precision": "day",
        "end_date": "",
        "end_date_precision": "day",
        field: "abc",
    }
    response = client.post(admin_url(Role, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


@pytest.mark.django_db
@pytest.mark.parametrize("field", STATEMENT_AUTOCOMPLETES)
def test_the_autocomplete_endpoint_takes_any_search_and_page(client, superuser, field):
    client.force_login(superuser)
    make_statement()
    base = {"app_label": "statements", "model_name": "statement", "field_name": field}
    for term in ["a\x00b", "\x00", "abc", "' OR 1=1 --"]:
        response = client.get(reverse("admin:autocomplete"), {**base, "term": term})
        assert response.status_code == 200, (field, term)
    for page in ["abc", "-1", "0", "99999999999999999999999"]:
        response = client.get(reverse("admin:autocomplete"), {**base, "term": "", "page": page})
        assert response.status_code == 404, (field, page)  # Django's answer to a page not there


@pytest.mark.django_db
def test_a_changelist_search_with_a_nul_is_answered(client, superuser):
    client.force_login(superuser)
    make_statement()
    response = client.get(admin_url(Statement, "changelist"), {"q": "we\x00will"})
    assert response.status_code == 200


# -- the import --------------------------------------------------------------------------------


def _import_lines(records):
    return run_import("\n".join(line(record) for record in records))


@pytest.mark.django_db
def test_an_import_reports_each_line_with_a_refused_character_and_writes_nothing():
    records = [
        {"type": "official", "slug": "ana-kessel", "name": "Ana Kessel"},  # 1: good
        {"type": "official", "slug": "tarek-ossan", "name": "Tarek\x01Ossan"},  # 2
        {"type": "official", "slug": "lia-moor", "name": "Lia Moor", "other_names": ["L.\x01M"]},
        {"type": "topic", "slug": "fisheries", "name": "Fisheries", "description": "\ufffe"},  # 4
        {"type": "article", "slug": "talks", "title": "Talks", "body": "Page\x0cbreak."},  # 5
        {"type": "article", "slug": "more", "title": "More", "body": "We will meet again."},  # 6
        {
            "type": "statement",
            "article": "more",
            "speaker": "ana-kessel",
            "text": "We will meet again.",
            "said_on": "2020-03-04",
            "curator_note": "\x93smart quotes\x94",
        },  # 7
        {
            "type": "outlet",
            "slug": "courier",
            "name": "Courier",
            "homepage": "https://c.example/\x01",
        },
    ]
    with pytest.raises(ImportRejected) as rejected:
        _import_lines(records)
    messages = rejected.value.report.problem_lines()
    assert {int(message.split(":")[1]) for message in messages} == {2, 3, 4, 5, 7, 8}
    text = "\n".join(messages)
    assert "upload.jsonl:2: official 'tarek-ossan': 'name': This text holds U+0001" in text
    assert "'other_names'" in text and "U+0001" in text
    assert "U+FFFE" in text and "U+000C" in text and "U+0093" in text
    assert not Official.objects.exists() and not Article.objects.exists()


@pytest.mark.django_db
def test_an_import_refuses_a_lone_surrogate_written_as_a_json_escape_in_any_field():
    records = [
        {"type": "official", "slug": "ana-kessel", "name": "Ana SURROGATE"},  # 1
        {"type": "official", "slug": "SURROGATE", "name": "Tarek Ossan"},  # 2
        {"type": "article", "slug": "talks", "title": "Talks", "body": "We met."},  # 3: good
        {
            "type": "statement",
            "article": "talks",
            "speaker": "ana-kessel",
            "text": "We met.SURROGATE",
            "said_on": "2020",
        },  # 4
        {"type": "topic", "slug": "fish", "name": "Fish", "description": "a \\ud800 b"},  # 5
    ]
    text = "\n".join(line(record) for record in records).replace("SURROGATE", "\\udc00")
    assert json.loads(text.split("\n")[0])["name"] == "Ana \udc00"
    with pytest.raises(ImportRejected) as rejected:
        run_import(text)
    messages = rejected.value.report.problem_lines()
    assert [int(message.split(":")[1]) for message in messages] == [1, 2, 4]
    assert all("half of a surrogate pair" in message for message in messages)
    assert not Official.objects.exists() and not Article.objects.exists()


# -- the suggester -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_suggester_reads_a_body_with_page_breaks_pasted_in_without_any_in_its_output(
    client, superuser
):
    client.force_login(superuser)
    pasted = (
        "Talks resume\n\x0cForeign Minister Mira Vondel said the talks were useful.\x0c "
        "“We will meet again in spring,\x0b” she told reporters.\x0cEnd."
    )
    article = make_article(body="placeholder")
    data = inline_formset_data(article, make_official(), text="x")
    data.update({"body": pasted, "statements-TOTAL_FORMS": "0"})
    assert client.post(admin_url(Article, "change", article.pk), data).status_code == 302
    article.refresh_from_db()
    assert UNSAFE.search(article.body) is None and len(article.body) == len(pasted)
    suggestions = suggest_statements(article.body, directory=SpeakerDirectory([]))
    assert suggestions
    for suggestion in suggestions:
        assert UNSAFE.search(suggestion.text) is None
        assert UNSAFE.search(suggestion.attribution or "") is None
        assert article.body[suggestion.start : suggestion.end] == suggestion.text
    with pytest.raises(ValidationError):
        Article(title="t", slug="t", body=pasted).full_clean()


# -- the feeds ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x0c", "\x00", "\x01", "\x93", "\uffff"])
def test_a_feed_drops_a_character_that_got_past_the_validators(client, character):
    topic = make_topic(slug="fisheries")
    speaker = make_official(slug="mira-vondel")
    statement = make_statement(speaker=speaker, topics=[topic], text="Page one.")
    if character == "\x00" and connection.vendor == "postgresql":
        character = "\x01"  # PostgreSQL's text cannot hold a NUL at all
    # Past every validator, as raw SQL would write it.
    Statement.objects.filter(pk=statement.pk).update(
        text=f"Page one.{character}Page two.", translation=f"x{character}"
    )
    Official.objects.filter(pk=speaker.pk).update(name=f"Mira{character}Vondel")
    Topic.objects.filter(pk=topic.pk).update(name=f"Fish{character}eries")
    for path in ["/statements/feed/", "/officials/mira-vondel/feed/", "/topics/fisheries/feed/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        content = response.content.decode()
        assert "Page one.Page two." in content and "MiraVondel" in content
        assert character not in content
        ET.fromstring(response.content)


# -- the data migration --------------------------------------------------------------------------


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_the_migration_spaces_out_stored_characters_and_keeps_offsets_exact():
    executor = MigrationExecutor(connection)
    names = sorted(n for app, n in executor.loader.disk_migrations if app == "statements")
    cleaning = next(n for n in names if n.endswith("_clean_text"))
    before, latest = names[names.index(cleaning) - 1], names[-1]
    body = "Intro.\x0cWe will meet\x0bagain in spring.\x1f End \x93."
    article = make_article(body="placeholder")
    speaker = make_official(other_names=["M. Vondel"])
    statement = make_statement(speaker=speaker, article=article)
    _migrate(("statements", before))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE statements_article SET body = %s, title = %s WHERE id = %s",
                [body, "Talks\x01", article.pk],
            )
            cursor.execute(
                "UPDATE statements_statement SET text = %s, start_offset = 7, end_offset = 35 "
                "WHERE id = %s",
                ["We will meet\x0bagain in spring", statement.pk],
            )
            cursor.execute(
                "UPDATE statements_official SET other_names = %s WHERE id = %s",
                [json.dumps(["M.\x0cVondel", "\x01"]), speaker.pk],
            )
    finally:
        _migrate(("statements", latest))
    article.refresh_from_db()
    statement.refresh_from_db()
    speaker.refresh_from_db()
    assert article.body == "Intro. We will meet again in spring.  End  ."
    assert article.title == "Talks "
    assert statement.text == "We will meet again in spring"
    assert article.body[statement.start_offset : statement.end_offset] == statement.text
    assert speaker.other_names == ["M. Vondel"]
    statement.full_clean()
