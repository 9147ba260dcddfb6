"""Every public page renders the seed archive correctly."""

import re

import pytest
from django.urls import reverse

from statements.models import Statement

pytestmark = pytest.mark.django_db

ASSAD = "there is a change in the US attitudes about the departure of President Bashar Al-Assad"


def assad_statement():
    return Statement.objects.get(text=ASSAD)


def test_the_home_page_shows_latest_statements_most_quoted_officials_topics_and_meetings(
    client, seeded
):
    page = client.get("/").content.decode()
    assert "13 statements" in page
    assert page.count('class="statement-card') == 10
    assert re.search(
        r'href="/officials/sergei-lavrov/">Sergei Lavrov</a> <span class="count">9<', page
    )
    assert re.search(r'href="/officials/john-kerry/">John Kerry</a> <span class="count">4<', page)
    assert 'href="/topics/assads-future/"' in page
    assert 'href="/meetings/lavrov-kerry-talks-new-york/"' in page
    assert 'action="/statements/"' in page and 'name="q"' in page


def test_the_home_page_reaches_lavrov_on_assad_and_its_citation_in_few_clicks(client, seeded):
    statement = assad_statement()
    home = client.get("/").content.decode()
    assert f'href="{statement.get_absolute_url()}"' in home
    permalink = client.get(statement.get_absolute_url()).content.decode()
    assert 'id="citation-text"' in permalink
    assert "Sergei Lavrov (Minister of Foreign Affairs), New York" in permalink


def test_the_officials_list_shows_each_official_with_current_role_and_count(client, seeded):
    page = client.get(reverse("official_list")).content.decode()
    assert page.index("Bashar al-Assad") < page.index("John Kerry") < page.index("Sergei Lavrov")
    assert "Minister of Foreign Affairs" in page
    assert "9 statements" in page and "4 statements" in page


def test_an_official_page_shows_names_roles_current_first_topics_meetings_and_timeline(
    client, seeded
):
    page = client.get("/officials/sergei-lavrov/").content.decode()
    assert "Сергей Лавров" in page and "Sergey Lavrov" in page
    assert "Russia" in page
    assert page.index("Minister of Foreign Affairs</strong>") < page.index(
        "Permanent Representative to the United Nations</strong>"
    )
    assert "since 9 March 2004" in page and "1994 – 2004" in page
    assert re.search(r"Russian air strikes in Syria</a> <span class=\"count\">4<", page)
    assert "Lavrov–Kerry talks and press conference in New York" in page
    assert '<svg role="img"' in page
    assert "9 published statements, all in 2015." in page
    assert page.count('class="statement-card') == 9


def test_the_topic_list_counts_statements_including_subtopics_once(client, seeded):
    page = client.get(reverse("topic_list")).content.decode()
    assert re.search(r'href="/topics/syria/">Syria</a> <span class="count">9<', page)
    assert re.search(
        r'href="/topics/assads-future/">Assad&#x27;s future</a> <span class="count">2<', page
    )


def test_a_topic_page_includes_statements_of_its_subtopics_and_most_quoted(client, seeded):
    page = client.get("/topics/syria/").content.decode()
    assert page.count('class="statement-card') == 9
    assert "Subtopics" in page and 'href="/topics/assads-future/"' in page
    assert re.search(r"Sergei Lavrov</a> <span class=\"count\">7<", page)
    assert re.search(r"John Kerry</a> <span class=\"count\">2<", page)


def test_a_meeting_page_shows_date_place_participants_sources_and_statements_by_speaker(
    client, seeded
):
    page = client.get("/meetings/lavrov-kerry-talks-new-york/").content.decode()
    assert "Bilateral talks" in page and "2015" in page and "New York, United States" in page
    assert "US -Russian Agreement on Making a Breakthrough in Syrian Situation" in page
    kerry, lavrov = page.index('<h3 id="speaker-'), page.rindex('<h3 id="speaker-')
    assert (
        "John Kerry" in page[kerry : kerry + 200] and "Sergei Lavrov" in page[lavrov : lavrov + 200]
    )
    assert page.count('class="statement-card') == 13


def test_the_article_list_and_page_show_what_is_known_and_say_what_is_not(client, seeded):
    listing = client.get(reverse("article_list")).content.decode()
    assert "Outlet not stated" in listing and "13 statements archived" in listing
    page = client.get("/articles/us-russian-agreement-breakthrough-syria/").content.decode()
    assert "Not stated" in page and "date unknown" in page and "No link recorded" in page
    assert "Curator's note" in page
    assert page.count("<mark>") == 13


def test_the_statement_list_shows_all_published_statements_with_facets(client, seeded):
    page = client.get(reverse("statement_list")).content.decode()
    assert "13 statements" in page
    assert page.count('class="statement-card') == 13
    assert 'href="?official=sergei-lavrov"' in page
    assert 'href="?kind=direct"' in page


def test_a_permalink_shows_the_quote_speaker_role_date_precision_and_source(client, seeded):
    statement = assad_statement()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert re.search(
        r'<blockquote cite="http://testserver/articles/us-russian-agreement[^"]*"', page
    )
    assert "Paraphrase: the source's account of what was said" in page
    assert (
        "Minister of Foreign Affairs, Ministry of Foreign Affairs of the Russian Federation" in page
    )
    assert '<time datetime="2015">2015</time>' in page and "only the year is known" in page
    assert "New York, United States of America" in page
    assert 'href="/meetings/lavrov-kerry-talks-new-york/"' in page
    assert 'href="/topics/assads-future/"' in page
    assert (
        f'href="/articles/us-russian-agreement-breakthrough-syria/#statement-{statement.pk}"'
        in page
    )
    assert 'href="/officials/bashar-al-assad/"' in page


def test_a_direct_quote_is_marked_as_the_speakers_own_words(client, seeded):
    statement = Statement.objects.filter(kind="direct", speaker__slug="john-kerry").get()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Direct quote: the speaker's own words" in page
    assert "Secretary of State" in page
    assert "Quoted in “US -Russian Agreement" in page
