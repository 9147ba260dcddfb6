"""/api/v1/popolo.json: the archive as Popolo persons, organizations, posts, memberships,
events and speeches."""

import datetime
import json
import re

import pytest

from statements.models import DatePrecision, Official, Organization, Role, Statement

from .factories import make_meeting, make_official, make_role, make_statement

pytestmark = pytest.mark.django_db

# Popolo's pattern for dates: ISO 8601, reduced precision allowed.
POPOLO_DATE = r"^[0-9]{4}((-[0-9]{2}){0,2})$"


def popolo(client):
    response = client.get("/api/v1/popolo.json")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(b"".join(response.streaming_content))


def test_the_seed_archive_as_popolo_has_every_record_and_every_reference_resolves(client, seeded):
    data = popolo(client)
    assert set(data) == {
        "persons",
        "organizations",
        "posts",
        "memberships",
        "events",
        "speeches",
    }
    assert len(data["persons"]) == Official.objects.count() == 3
    assert len(data["organizations"]) == Organization.objects.count()
    assert len(data["memberships"]) == Role.objects.count()
    assert len(data["events"]) == 1
    assert len(data["speeches"]) == Statement.objects.published().count() == 13

    ids = {key: {record["id"] for record in data[key]} for key in data}
    for key, records in ids.items():
        assert len(records) == len(data[key]), f"{key} ids are unique"
    for organization in data["organizations"]:
        assert organization["parent_id"] in ids["organizations"] | {None}
    for post in data["posts"]:
        assert post["organization_id"] in ids["organizations"]
        assert post["label"] and post["role"]
    for membership in data["memberships"]:
        assert membership["person_id"] in ids["persons"]
        assert membership["organization_id"] in ids["organizations"]
        assert membership["post_id"] in ids["posts"]
    for speech in data["speeches"]:
        assert speech["creator_id"] in ids["persons"]
        assert speech["event_id"] in ids["events"] | {None}
        assert speech["text"]
        assert speech["sources"][0]["url"].startswith("http://testserver/statements/")
    dates = [speech["date"] for speech in data["speeches"]]
    dates += [m[key] for m in data["memberships"] for key in ("start_date", "end_date")]
    dates += [e[key] for e in data["events"] for key in ("start_date", "end_date")]
    assert all(re.match(POPOLO_DATE, day) for day in dates if day is not None)


def test_dates_keep_their_precision(client, db):
    official = make_official(slug="mira-vondel")
    make_role(
        official,
        start_date=datetime.date(1994, 1, 1),
        start_date_precision=DatePrecision.YEAR,
        end_date=datetime.date(2004, 3, 1),
        end_date_precision=DatePrecision.MONTH,
    )
    make_meeting(slug="talks", start_date=datetime.date(2020, 3, 4))
    make_statement(
        speaker=official,
        said_on=datetime.date(2015, 9, 1),
        said_on_precision=DatePrecision.MONTH,
    )
    data = popolo(client)
    (membership,) = data["memberships"]
    assert (membership["start_date"], membership["end_date"]) == ("1994", "2004-03")
    assert data["events"][0]["start_date"] == "2020-03-04"
    assert data["events"][0]["end_date"] is None
    assert data["speeches"][0]["date"] == "2015-09"


def test_an_official_with_a_wikidata_id_carries_it_as_identifier_and_link(client, db):
    make_official(slug="mira-vondel", wikidata_id="Q4115189")
    make_official(slug="tomas-arden")
    persons = {person["id"]: person for person in popolo(client)["persons"]}
    mira = persons["person/mira-vondel"]
    assert mira["identifiers"] == [{"scheme": "wikidata", "identifier": "Q4115189"}]
    assert {"url": "https://www.wikidata.org/wiki/Q4115189", "note": "Wikidata"} in mira["links"]
    assert persons["person/tomas-arden"]["identifiers"] == []


def test_only_published_statements_become_speeches(client, db):
    published = make_statement(text="Published words")
    make_statement(text="Draft words", status=Statement.Status.DRAFT)
    speeches = popolo(client)["speeches"]
    assert [speech["id"] for speech in speeches] == [f"speech/{published.pk}"]


def test_a_paraphrase_is_a_summary_and_a_quote_a_speech(client, db):
    make_statement(kind=Statement.Kind.PARAPHRASE, said_on=datetime.date(2020, 1, 1))
    make_statement(kind=Statement.Kind.DIRECT, said_on=datetime.date(2020, 1, 2))
    assert [speech["type"] for speech in popolo(client)["speeches"]] == ["summary", "speech"]


def test_one_title_in_one_organisation_is_one_post_held_by_several(client, db):
    first, second = make_official(), make_official()
    role = make_role(first, title="Minister of External Affairs")
    make_role(second, title="Minister of External Affairs", organization=role.organization)
    data = popolo(client)
    assert len(data["posts"]) == 1
    assert {m["post_id"] for m in data["memberships"]} == {data["posts"][0]["id"]}
