"""Statement suggestions: quotes and reported speech found in an article, with speakers."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.models import Article, Statement

from .factories import make_official, make_organization, make_role
from .helpers import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(db):
    """Two fictional ministers and a spokesperson, with roles the suggester can read."""
    veloria = make_organization(name="Ministry of External Affairs of Veloria", slug="vel-mfa")
    ostravia = make_organization(name="Ministry of Foreign Affairs of Ostravia", slug="ost-mfa")
    vondel = make_official(name="Mira Vondel", slug="mira-vondel", other_names=["Mira Vondell"])
    make_role(vondel, title="Minister of External Affairs", organization=veloria)
    teplitz = make_official(name="Jonas Teplitz", slug="jonas-teplitz", other_names=["J. Teplic"])
    make_role(teplitz, title="Minister of Foreign Affairs", organization=ostravia)
    orlen = make_official(name="Saya Orlen", slug="saya-orlen")
    make_role(orlen, title="Spokesperson", organization=veloria)
    return {"vondel": vondel, "teplitz": teplitz, "orlen": orlen}


def found(text, **kwargs):
    return [(s.kind, s.official, s.text) for s in suggest(text, **kwargs)]


def test_every_seed_statement_is_found_with_its_speaker_and_offsets(seeded):
    article = Article.objects.get(slug="us-russian-agreement-breakthrough-syria")
    suggestions = {(s.start, s.end): s for s in suggest(article.body)}
    statements = Statement.objects.filter(article=article).select_related("speaker")
    assert statements.count() == 13
    for statement in statements:
        suggestion = suggestions.get((statement.start_offset, statement.end_offset))
        assert suggestion is not None, statement.text
        assert suggestion.official == statement.speaker.slug
        assert suggestion.kind == statement.kind
        assert suggestion.text == statement.text


def test_a_seed_speaker_is_reported_by_the_fullest_name_the_article_gives(seeded):
    article = Article.objects.get(slug="us-russian-agreement-breakthrough-syria")
    speakers = {s.official: s.speaker for s in suggest(article.body)}
    assert speakers == {"sergei-lavrov": "Sergei Lavrov", "john-kerry": "John Kerry"}


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("„", "”"), ("‘", "’"), ("»", "«")],
)
def test_quotes_in_every_common_mark_are_found(officials, opening, closing):
    text = f"{opening}We will not sign this agreement,{closing} Vondel said."
    assert found(text) == [("direct", "mira-vondel", "We will not sign this agreement")]


def test_a_quote_attributed_before_it_keeps_its_final_full_stop(officials):
    text = "Mira Vondel told reporters: “The talks are over. We go home.”"
    assert found(text) == [("direct", "mira-vondel", "The talks are over. We go home.")]


def test_a_quote_within_a_quote_stays_inside_it(officials):
    text = "“He told me ‘never’, and I believed him,” Vondel said."
    assert found(text) == [("direct", "mira-vondel", "He told me ‘never’, and I believed him")]


def test_speakers_are_followed_by_surname_pronoun_and_title(officials):
    text = (
        "Velorian Foreign Minister Mira Vondel met Jonas Teplitz on Monday.\n\n"
        "Teplitz said the talks had been useful. He added that a second round would follow.\n\n"
        "The Velorian foreign minister said that nothing had been signed."
    )
    assert found(text) == [
        ("paraphrase", "jonas-teplitz", "the talks had been useful"),
        ("paraphrase", "jonas-teplitz", "a second round would follow"),
        ("paraphrase", "mira-vondel", "nothing had been signed"),
    ]


def test_an_official_is_recognised_by_another_spelling_of_the_name(officials):
    suggestions = suggest("“The sound stays closed,” said Mira Vondell.")
    assert [(s.official, s.speaker) for s in suggestions] == [("mira-vondel", "Mira Vondell")]


def test_a_speaker_not_in_the_archive_is_reported_without_an_official(officials):
    suggestions = suggest(
        "Lena Osk, who leads the fishermen's union, said the union would vote next week."
    )
    assert [(s.speaker, s.official, s.text) for s in suggestions] == [
        ("Lena Osk", None, "the union would vote next week")
    ]


def test_an_unnamed_speaker_is_reported_in_the_article_s_words(officials):
    suggestions = suggest("“We have nothing to add,” a port spokesman said.")
    assert [(s.speaker, s.official) for s in suggestions] == [("a port spokesman", None)]


def test_reported_speech_in_its_common_forms(officials):
    text = (
        "The talks would resume in May, according to Vondel. "
        "According to Teplitz, the quotas will be discussed first. "
        "Vondel described the proposal as premature, adding that Veloria needed time. "
        "The deadline is too short, Teplitz said."
    )
    assert found(text) == [
        ("paraphrase", "mira-vondel", "The talks would resume in May"),
        ("paraphrase", "jonas-teplitz", "the quotas will be discussed first"),
        ("paraphrase", "mira-vondel", "described the proposal as premature"),
        ("paraphrase", "mira-vondel", "Veloria needed time"),
        ("paraphrase", "jonas-teplitz", "The deadline is too short"),
    ]


def test_two_claims_joined_by_and_that_become_two_statements(officials):
    text = "Vondel said that the sound would reopen and that the fleet would be compensated."
    assert found(text) == [
        ("paraphrase", "mira-vondel", "the sound would reopen"),
        ("paraphrase", "mira-vondel", "the fleet would be compensated"),
    ]


def test_a_scare_quote_inside_reported_speech_stays_part_of_it(officials):
    text = "Vondel stressed that the fleet only targets “illegal” trawlers in the sound."
    assert found(text) == [
        ("paraphrase", "mira-vondel", "the fleet only targets “illegal” trawlers in the sound")
    ]


def test_a_quote_running_over_two_paragraphs_belongs_to_its_speaker(officials):
    text = "“The sound was closed to save it.\n\n“Nobody was punished,” Orlen said."
    assert found(text) == [
        ("direct", "saya-orlen", "The sound was closed to save it."),
        ("direct", "saya-orlen", "Nobody was punished"),
    ]


def test_transcript_turns_are_direct_quotes_and_questions_are_not(officials):
    text = (
        "Press conference\n\n"
        "FOREIGN MINISTER VONDEL: We have agreed on a timetable.\n\n"
        "QUESTION: Minister, when will the sound reopen?\n\n"
        "MINISTER TEPLITZ: Not before the summer."
    )
    assert found(text, has_title=True) == [
        ("direct", "mira-vondel", "We have agreed on a timetable."),
        ("direct", "jonas-teplitz", "Not before the summer."),
    ]


def test_page_furniture_and_the_title_line_are_skipped(officials):
    text = (
        "Vondel says “we will not sign this agreement today”\n\n"
        "Share on Facebook  Share on Twitter\n"
        "“We will not sign this agreement today,” Vondel said.\n\n"
        "Read more: Teplitz said the talks were “a complete waste of time”\n"
        "Source: Veloria Today\n"
        "Be the First to Comment!\n"
        "Notify of"
    )
    assert found(text, has_title=True) == [
        ("direct", "mira-vondel", "We will not sign this agreement today")
    ]


def test_institutions_and_crowds_are_not_speakers(officials):
    text = (
        "The harbour board said that the port would stay closed. "
        "Officials said the quotas were too high. "
        "“It is over,” the Velorian foreign ministry said."
    )
    assert found(text) == []


def test_a_negated_verb_reports_nothing(officials):
    assert found("Vondel did not say whether the talks would resume.") == []


def test_offsets_count_characters_of_the_text_with_windows_line_ends(officials):
    text = "Title\r\n\r\n“Nothing is decided yet,” Vondel said.\r\n"
    [suggestion] = suggest(text, has_title=True)
    assert suggestion.start == text.index("Nothing")


_ALPHABET = st.sampled_from(
    [*"abc XYZ.,;:!?\n\r\t-—'’‘“”„«»\"()", "Vondel", " said", " that ", "He", "According to "]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.booleans())
def test_any_text_gives_suggestions_that_slice_it_exactly(officials, text, has_title):
    for suggestion in suggest(text, has_title=has_title):
        assert suggestion.end > suggestion.start
        assert suggestion.kind in {"direct", "paraphrase"}
        assert bool(suggestion.speaker) != suggestion.speaker_unclear
