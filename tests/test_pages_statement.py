"""The permalink: citable, machine-readable, safe with any text, and only for published work."""

import datetime
import json
import re

import pytest

from statements.models import DatePrecision, Statement

from .factories import (
    make_article,
    make_meeting,
    make_official,
    make_outlet,
    make_role,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db

HOSTILE = 'Ends here</script><script>alert("x")</script> & <b>bold</b> <!--'


def json_ld_blocks(html):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def test_a_permalink_carries_schema_org_quotation_json_ld(client):
    official = make_official(name="Ilse Marrow", wikidata_id="Q4242")
    make_role(official, title="Foreign Minister of Veloria", start_date=datetime.date(2018, 1, 1))
    outlet = make_outlet(name="Port Ardent Gazette")
    article = make_article(
        url="https://gazette.example/talks",
        outlet=outlet,
        published_on=datetime.date(2020, 3, 5),
    )
    statement = make_statement(
        speaker=official, article=article, topics=[make_topic(name="Fisheries quota")]
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    [block] = json_ld_blocks(html)
    data = json.loads(block)
    assert data["@type"] == "Quotation"
    assert data["text"] == statement.text
    assert data["spokenByCharacter"]["name"] == "Ilse Marrow"
    assert data["spokenByCharacter"]["jobTitle"] == "Foreign Minister of Veloria"
    assert data["spokenByCharacter"]["sameAs"] == "https://www.wikidata.org/wiki/Q4242"
    assert data["dateCreated"] == "2020-03-04"
    assert data["isBasedOn"]["url"] == "https://gazette.example/talks"
    assert data["isBasedOn"]["publisher"]["name"] == "Port Ardent Gazette"
    assert data["about"][0]["name"] == "Fisheries quota"
    assert data["url"] == f"http://testserver{statement.get_absolute_url()}"


def test_a_quote_containing_a_closing_script_tag_cannot_break_out_of_the_json_ld(client):
    article = make_article(body=f"She said: {HOSTILE}")
    statement = make_statement(text=HOSTILE, article=article)
    html = client.get(statement.get_absolute_url()).content.decode()
    [block] = json_ld_blocks(html)
    assert "</script>" not in block and "<!--" not in block
    assert json.loads(block)["text"] == HOSTILE
    assert '<script>alert("x")</script>' not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in html


def test_a_permalink_has_open_graph_tags_and_a_canonical_link(client):
    statement = make_statement(speaker=make_official(name="Ilse Marrow"), text="Nets stay dry.")
    html = client.get(statement.get_absolute_url()).content.decode()
    url = f"http://testserver{statement.get_absolute_url()}"
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert re.search(r'<meta property="og:title" content="Ilse Marrow, 4 March 2020', html)
    assert re.search(r'og:description" content="([^"]*)"', html)[1] == "“Nets stay dry.”"
    assert f'<link rel="canonical" href="{url}">' in html


def test_the_citation_names_role_place_date_source_and_permalink(client):
    official = make_official(name="Ilse Marrow")
    make_role(official, title="Foreign Minister of Veloria", start_date=datetime.date(2018, 1, 1))
    statement = make_statement(
        speaker=official,
        text="We will meet again in spring.",
        place_city="Port Ardent",
        article=make_article(title="Ministers meet", outlet=make_outlet(name="The Courier")),
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    citation = re.search(r'<textarea id="citation-text"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert citation.startswith(
        "Ilse Marrow (Foreign Minister of Veloria), Port Ardent, 4 March 2020: "
        "“We will meet again in spring.” Quoted in “Ministers meet”, The Courier."
    )
    assert f"http://testserver{statement.get_absolute_url()}" in citation


def test_the_role_shown_is_the_one_held_on_the_day_of_the_statement(client):
    official = make_official()
    make_role(
        official,
        title="Deputy Minister",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    make_role(official, title="Foreign Minister", start_date=datetime.date(2016, 1, 1))
    early = make_statement(speaker=official, said_on=datetime.date(2014, 6, 1))
    late = make_statement(speaker=official, said_on=datetime.date(2019, 6, 1))
    early_page = client.get(early.get_absolute_url()).content.decode()
    late_page = client.get(late.get_absolute_url()).content.decode()
    assert "Deputy Minister" in early_page and "(Foreign Minister)" not in early_page
    assert "(Foreign Minister)" in late_page and "Deputy Minister" not in late_page


@pytest.mark.parametrize(
    ("precision", "shown", "iso"),
    [
        (DatePrecision.DAY, "30 September 2015", "2015-09-30"),
        (DatePrecision.MONTH, "September 2015", "2015-09"),
        (DatePrecision.YEAR, "2015", "2015"),
    ],
)
def test_a_date_is_shown_with_only_the_precision_known(client, precision, shown, iso):
    day = {"day": datetime.date(2015, 9, 30), "month": datetime.date(2015, 9, 1)}.get(
        precision, datetime.date(2015, 1, 1)
    )
    statement = make_statement(said_on=day, said_on_precision=precision)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert f'<time datetime="{iso}">{shown}</time>' in html


def test_text_in_a_right_to_left_language_carries_its_lang_and_dir(client):
    text = "سنلتقي مجددا في الربيع"
    statement = make_statement(
        text=text,
        language="ar",
        translation="We will meet again in spring.",
        article=make_article(body=f"قال الوزير: {text}", language="ar"),
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    assert re.search(r'<blockquote cite="[^"]*" lang="ar" dir="rtl">', html)
    assert "English translation:" in html
    listing = client.get("/statements/").content.decode()
    assert 'lang="ar" dir="rtl"' in listing
    article_page = client.get(statement.article.get_absolute_url()).content.decode()
    assert '<div class="article-body" lang="ar" dir="rtl">' in article_page


def test_text_in_another_left_to_right_language_carries_its_lang(client):
    statement = make_statement(text="Nous nous reverrons", language="fr")
    html = client.get(statement.get_absolute_url()).content.decode()
    assert re.search(r'<blockquote cite="[^"]*" lang="fr">', html)


def test_a_draft_has_no_permalink(client):
    draft = make_statement(status=Statement.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_replies_and_the_statement_replied_to_are_shown_only_when_published(client):
    meeting = make_meeting()
    first = make_statement(text="Fishing stays closed.", meeting=meeting)
    published_reply = make_statement(text="We accept the closure.", in_reply_to=first)
    make_statement(text="Secret draft reply.", in_reply_to=first, status=Statement.Status.DRAFT)
    html = client.get(first.get_absolute_url()).content.decode()
    assert "We accept the closure." in html
    assert "Secret draft reply." not in html

    reply_page = client.get(published_reply.get_absolute_url()).content.decode()
    assert "In reply to" in reply_page and "Fishing stays closed." in reply_page

    first.status = Statement.Status.DRAFT
    first.save()
    reply_page = client.get(published_reply.get_absolute_url()).content.decode()
    assert "In reply to" not in reply_page and "Fishing stays closed." not in reply_page


def test_a_statement_id_that_does_not_exist_is_a_404(client, db):
    assert client.get("/statements/987654/").status_code == 404
