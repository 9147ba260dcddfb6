"""Full-text search, the same tests on SQLite (FTS5) and PostgreSQL (tsvector)."""

import re

import pytest
from django.db import connection

from statements import search
from statements.models import Official, Statement

from .factories import make_article, make_official, make_statement

pytestmark = pytest.mark.django_db


def found(text, queryset=None):
    queryset = Statement.objects.published() if queryset is None else queryset
    return set(queryset.search(text))


def seed_statement(start):
    return Statement.objects.get(text__startswith=start)


# -- the seed archive ------------------------------------------------------------------------


def test_a_phrase_finds_kerrys_quote_and_lavrovs_paraphrase_on_military_channels(seeded):
    assert found('"military personnel"') == {
        seed_statement("there would be channels of communication"),
        seed_statement("We have agreed to hold a meeting"),
    }


def test_strike_finds_the_statements_on_air_strikes(seeded):
    results = found("strike")
    assert results
    assert results == {
        s for s in Statement.objects.published() if re.search(r"\bstrikes?\b", s.text, re.I)
    }


def test_assad_without_kerry_finds_lavrov_on_assads_departure_and_nothing_of_kerry(seeded):
    results = found("assad -kerry")
    assert seed_statement("there is a change in the US attitudes") in results
    assert all(s.speaker.slug == "sergei-lavrov" for s in results)
    assert not any("kerry" in s.text.lower() for s in results)


def test_stemming_finds_targets_for_targeting(seeded):
    assert seed_statement("There is concern on the part of the American") in found("targeting")


def test_every_word_must_match(seeded):
    assert found("military experts") == {seed_statement("the two sides discussed")}


def test_either_side_of_or_may_match(seeded):
    assert found("fruitful OR breakthrough") == {
        seed_statement("described his talks"),
        seed_statement("We have agreed to hold a meeting"),
    }


def test_the_most_relevant_statement_comes_first(seeded):
    ranked = list(Statement.objects.published().search("targets").by_relevance())
    assert ranked[0] == seed_statement("There is concern on the part of the American")
    assert ranked[0].search_rank > ranked[-1].search_rank


# -- the language on fictional statements -----------------------------------------------------


def test_search_ignores_case_and_accents_both_ways():
    accented = make_statement(text="Minister Vóndel opened the fisheries talks.")
    plain = make_statement(text="Minister Vondel closed the fisheries talks.")
    for query in ("vondel", "VONDEL", "Vóndel", "vöndel"):
        assert found(query) == {accented, plain}, query


def test_the_english_translation_is_searched_too():
    statement = make_statement(
        text="Мы продолжим переговоры о квотах.",
        language="ru",
        translation="We will continue the talks on quotas.",
    )
    assert found("quotas") == {statement}
    assert found("переговоры") == {statement}


def test_words_in_arabic_are_found():
    statement = make_statement(text="قال الوزير إن المحادثات كانت مفيدة", language="ar")
    assert found("الوزير") == {statement}


def test_a_phrase_must_stand_in_order():
    in_order = make_statement(text="The fishing quotas were agreed.")
    make_statement(text="Quotas for fishing were agreed.")
    assert found('"fishing quotas"') == {in_order}


def test_a_phrase_spans_hyphenated_words_as_written():
    statement = make_statement(text="President Vondel al-Marek spoke first.")
    assert found('"vondel al marek"') == found("al-marek") == {statement}


def test_a_text_with_markup_is_searched_as_words():
    statement = make_statement(text="<b>Fisheries</b> & <script>quotas</script> again")
    assert found("fisheries quotas") == {statement}
    assert found("script") == {statement}


@pytest.mark.parametrize("text", ["", "-fisheries", "?!", "the", None, '"" -"" OR'])
def test_a_query_with_nothing_to_look_for_finds_nothing(text):
    make_statement(text="The fisheries talks went on.")
    results = Statement.objects.published().search(text)
    assert list(results.by_relevance()) == []


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        'a "b" "',
        "fish*",
        "NEAR(fisheries talks)",
        "AND OR NOT",
        "fisheries AND OR talks",
        "-",
        "--fisheries",
        "talks:fisheries",
        "^fisheries",
        "fisheries)",
        "'; DROP TABLE statements_statement; --",
        "1' OR '1'='1",
        "\\x00 fisheries",
        "fish\x00eries",
        "🐟 fisheries 🎣",
        "مفاوضات",
        "x" * 10_000,
        " ".join(["fisheries"] * 3000),
        "!!fisheries & | <-> :*",
        "{fisheries}",
    ],
)
def test_no_input_makes_the_engine_fail(text):
    statement = make_statement(text="The fisheries talks went on.")
    results = list(Statement.objects.published().search(text).by_relevance())
    assert set(results) <= {statement}
    assert set(search.highlight([statement], text)) == {statement.pk}


def test_search_combines_with_filters_counts_and_subqueries():
    speaker = make_official()
    mine = make_statement(speaker=speaker, text="Fisheries talks resumed.")
    make_statement(text="Fisheries talks stalled.")
    results = Statement.objects.published().filter(speaker=speaker).search("fisheries")
    assert results.count() == 1
    assert set(Statement.objects.filter(pk__in=results.values("pk"))) == {mine}
    assert list(results.search("resumed").by_relevance()) == [mine]


# -- drafts and edits ------------------------------------------------------------------------


def test_drafts_are_never_found(seeded):
    draft = make_statement(text="Military personnel draft words", status=Statement.Status.DRAFT)
    assert draft not in found('"military personnel"')
    assert draft in set(Statement.objects.drafts().search('"military personnel"'))


def test_drafts_never_reach_the_statement_list(client):
    make_statement(text="Secret whaling quota plans", status=Statement.Status.DRAFT)
    response = client.get("/statements/", {"q": "whaling"})
    assert response.status_code == 200
    assert "Secret whaling" not in response.content.decode()


def test_editing_a_statement_changes_what_search_finds_at_once():
    statement = make_statement(text="The whaling talks began.")
    statement.text = "The sealing talks began."
    statement.save()
    assert found("whaling") == set()
    assert found("sealing") == {statement}


def test_unpublishing_a_statement_hides_it_from_search_at_once():
    statement = make_statement(text="The whaling talks began.")
    statement.status = Statement.Status.DRAFT
    statement.save()
    assert found("whaling") == set()


def test_updates_through_the_queryset_are_searched_at_once():
    statement = make_statement(text="The whaling talks began.")
    Statement.objects.filter(pk=statement.pk).update(translation="Sealing was discussed.")
    assert found("sealing") == {statement}
    Statement.objects.filter(pk=statement.pk).update(text="The krill talks began.")
    assert found("whaling") == set()
    assert found("krill") == {statement}
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.DRAFT)
    assert found("krill") == set()


def test_statements_created_in_bulk_are_searched_at_once():
    speaker, article = make_official(), make_article()
    created = Statement.objects.bulk_create(
        Statement(
            speaker=speaker,
            article=article,
            text=f"Krill catch number {n} was agreed.",
            said_on="2020-01-01",
            status=Statement.Status.PUBLISHED,
        )
        for n in range(3)
    )
    assert len(found("krill")) == 3
    assert found('"number 1"') == {Statement.objects.get(text__contains="number 1")}
    assert len(created) == 3


def test_a_deleted_statement_is_no_longer_found():
    statement = make_statement(text="The whaling talks began.")
    statement.delete()
    assert found("whaling") == set()
    keep = make_statement(text="The whaling talks resumed.")
    assert found("whaling") == {keep}


# -- highlights ------------------------------------------------------------------------------


def test_highlight_marks_the_matched_words_and_their_other_forms(seeded):
    statement = seed_statement("There is concern on the part of the American")
    snippet = search.highlight([statement], "targeting")[statement.pk]
    assert snippet.count("<mark>targets</mark>") == 2


def test_highlight_marks_a_phrase_as_one(seeded):
    statement = seed_statement("there would be channels of communication")
    snippet = search.highlight([statement], '"military personnel"')[statement.pk]
    assert "<mark>military personnel</mark>" in snippet


def test_highlight_marks_accented_words_as_written():
    statement = make_statement(text="Minister Vóndel opened the talks.")
    snippet = search.highlight([statement], "vondel")[statement.pk]
    assert snippet == "Minister <mark>Vóndel</mark> opened the talks."


def test_highlight_escapes_the_statements_own_text():
    statement = make_statement(text="<script>alert('quota')</script> & quota <b>talks</b>")
    snippet = search.highlight([statement], "quota")[statement.pk]
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert snippet.count("<mark>quota</mark>") == 2
    assert re.sub(r"</?mark>", "", snippet) == (
        "&lt;script&gt;alert(&#x27;quota&#x27;)&lt;/script&gt; &amp; quota &lt;b&gt;talks&lt;/b&gt;"
    )


def test_highlight_without_words_gives_the_escaped_text():
    statement = make_statement(text="Fish & chips")
    assert search.highlight([statement], "-fish") == {statement.pk: "Fish &amp; chips"}


def test_highlight_does_not_mark_excluded_words():
    statement = make_statement(text="Whaling and sealing talks")
    snippet = search.highlight([statement], "whaling -krill -sealing")[statement.pk]
    assert snippet == "<mark>Whaling</mark> and sealing talks"


def test_a_long_statement_is_cut_around_its_first_match():
    words = [f"word{n}" for n in range(200)]
    words[150] = "krill"
    statement = make_statement(text=" ".join(words))
    snippet = search.highlight([statement], "krill")[statement.pk]
    assert "<mark>krill</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "word0 " not in snippet and len(snippet.split()) < 70


# -- officials named in the query ------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["lavrov", "Lávrov", "LAVROV said", "Sergey Lavrov", '"sergei lavrov" syria']
)
def test_a_query_naming_an_official_offers_that_official(seeded, query):
    assert search.officials_named(query, Official.objects) == [
        Official.objects.get(slug="sergei-lavrov")
    ]


def test_excluded_words_name_no_official(seeded):
    assert search.officials_named("assad -kerry", Official.objects) == [
        Official.objects.get(slug="bashar-al-assad")
    ]


def test_other_spellings_name_the_official():
    official = make_official(name="Ana Kessel", other_names=["Anna Kessell", "Анна Кессель"])
    assert search.officials_named("anna kessell", Official.objects) == [official]
    assert search.officials_named("Кессель", Official.objects) == [official]
    assert search.officials_named("kessel", Official.objects) == [official]


def test_a_query_without_names_offers_no_official(seeded):
    assert search.officials_named("air strikes in syria", Official.objects) == []
    assert search.officials_named("", Official.objects) == []


# -- the index finds the candidates ----------------------------------------------------------


def test_the_full_text_index_finds_the_candidates_without_scanning_statements():
    speaker, article = make_official(), make_article()
    Statement.objects.bulk_create(
        Statement(
            speaker=speaker,
            article=article,
            text=f"Routine remarks number {n} on fisheries.",
            said_on="2020-01-01",
            status=Statement.Status.PUBLISHED,
        )
        for n in range(3000)
    )
    rare = make_statement(speaker=speaker, article=article, text="The whaling talks began.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum would: move new entries from GIN's pending list into the index.
            cursor.execute("SELECT gin_clean_pending_list('statements_statement_search_idx')")
        cursor.execute("ANALYZE statements_statement")
    queryset = Statement.objects.published().search("whaling").newest_first()[:20]
    assert list(queryset) == [rare]
    plan = queryset.explain()
    if connection.vendor == "postgresql":
        assert "statements_statement_search_idx" in plan
        assert "Seq Scan on statements_statement" not in plan
    else:
        assert "VIRTUAL TABLE INDEX" in plan
        assert "SEARCH statements_statement USING INTEGER PRIMARY KEY" in plan
