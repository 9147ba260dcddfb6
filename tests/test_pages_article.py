"""An article's text with each published statement marked where it stands."""

import pytest

from statements.models import Statement

from .factories import make_article, make_official, make_statement

pytestmark = pytest.mark.django_db


def test_each_published_statement_is_marked_at_its_offsets_and_links_to_its_permalink(client):
    article = make_article(body="Opening words. We will meet again in spring. Closing words.")
    statement = make_statement(article=article, start_offset=15, end_offset=44)
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<a class="marked" id="statement-{statement.pk}" href="{statement.get_absolute_url()}"'
        in html
    )
    assert "<mark>We will meet again in spring.</mark></a> Closing words." in html
    assert "<p>Opening words. <a" in html


def test_article_text_and_statements_are_escaped(client):
    body = "<script>alert(1)</script> Minister: <b>fish</b> & chips."
    article = make_article(body=body)
    make_statement(article=article, text="<b>fish</b> & chips", start_offset=36, end_offset=55)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>&lt;b&gt;fish&lt;/b&gt; &amp; chips</mark>" in html


def test_drafts_are_not_marked_in_the_article(client):
    article = make_article(body="First point. Second point.")
    make_statement(article=article, text="First point.", start_offset=0, end_offset=12)
    make_statement(
        article=article,
        text="Second point.",
        start_offset=13,
        end_offset=26,
        status=Statement.Status.DRAFT,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<mark>") == 1
    assert "<mark>First point.</mark>" in html
    assert "1 statement archived" in client.get("/articles/").content.decode()


def test_paragraphs_are_kept_and_a_statement_across_a_break_is_marked_in_both(client):
    article = make_article(body="One ends here.\n\nTwo starts here.")
    make_statement(article=article, text="here.\n\nTwo", start_offset=9, end_offset=19)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<mark>") == 2
    assert "<mark>here.</mark></a></p>" in html
    assert '<p><a class="marked" href=' in html


def test_overlapping_statements_are_marked_once_and_both_are_listed(client):
    article = make_article(body="Alpha beta gamma delta.")
    speaker = make_official()
    make_statement(
        article=article, speaker=speaker, text="Alpha beta", start_offset=0, end_offset=10
    )
    make_statement(
        article=article, speaker=speaker, text="beta gamma", start_offset=6, end_offset=16
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<mark>") == 1
    assert html.count('class="statement-card') == 2


def test_a_statement_without_offsets_is_listed_but_not_marked(client):
    article = make_article(body="Repeat. Repeat.")
    make_statement(article=article, text="Repeat.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<mark>" not in html
    assert html.count('class="statement-card') == 1
