"""The query language, parsed before any engine sees it."""

import pytest

from statements.search.query import AnyOf, Query, Term, fold, parse


def words(*words):
    return Term(tuple(words))


def test_words_are_all_required():
    assert parse("fishing quotas") == Query((words("fishing"), words("quotas")))


def test_a_quoted_phrase_is_one_term():
    assert parse('"fishing quotas" talks') == Query((words("fishing", "quotas"), words("talks")))


def test_an_unbalanced_quote_runs_to_the_end():
    assert parse('talks "fishing quotas') == Query((words("talks"), words("fishing", "quotas")))


def test_a_hyphenated_word_is_a_phrase_of_its_parts():
    assert parse("al-Vondel") == Query((words("al", "vondel"),))


def test_or_joins_its_neighbours():
    assert parse("fishing OR whaling talks") == Query(
        (AnyOf((words("fishing"), words("whaling"))), words("talks"))
    )


def test_lowercase_or_is_an_ordinary_stop_word():
    assert parse("fishing or whaling") == Query((words("fishing"), words("whaling")))


def test_a_minus_excludes_a_word_or_a_phrase():
    assert parse('quotas -fishing -"port ardent"') == Query(
        (words("quotas"),), (words("fishing"), words("port", "ardent"))
    )


def test_a_minus_inside_an_or_is_dropped():
    assert parse("quotas OR -fishing") == Query((words("quotas"),))


@pytest.mark.parametrize(
    "text", ["", "   ", "-fishing", "-fishing -whaling", '""', "*", "- : ^", "OR", "the of and"]
)
def test_a_query_without_wanted_words_is_nothing(text):
    assert parse(text) is None


def test_stop_words_are_trimmed_from_the_ends_of_a_phrase_only():
    assert parse('"the part of the quota"') == Query((words("part", "of", "the", "quota"),))


def test_words_are_folded_to_lowercase_without_accents():
    assert parse("Vóndel ÅRDENT") == Query((words("vondel"), words("ardent")))
    assert fold("Lávrov") == fold("LAVROV") == "lavrov"


def test_engine_syntax_is_only_punctuation_between_words():
    assert parse("NEAR(quotas, 3) AND title:fish^2 *") == Query(
        (words("near", "quotas"), words("3"), words("title", "fish", "2"))
    )


def test_sql_fragments_are_only_words():
    assert parse("'; DROP TABLE statements; --") == Query(
        (words("drop"), words("table"), words("statements"))
    )


def test_a_nul_byte_and_emoji_are_separators():
    assert parse("fish\x00quota 🐟") == Query((words("fish", "quota"),))


def test_arabic_and_cyrillic_words_are_words():
    assert parse("الوزير Лавров") == Query((words("الوزير"), words("лавров")))


def test_a_very_long_query_is_cut_to_a_bounded_number_of_terms():
    query = parse(" ".join(f"word{n}" for n in range(5000)))
    assert 0 < len(query.required) <= 16


def test_an_endless_word_is_not_searched():
    assert parse("x" * 10_000) is None


def test_the_wanted_words_leave_out_exclusions():
    assert parse('"fishing quota" OR whaling -port').words == ["fishing", "quota", "whaling"]
