"""Statement suggestions on the constructions of the v2 labelled set (issue 13): datelines,
turns of interviews and council records, other languages' marks, speakers not in the archive
recognised from the article, and speakers the article leaves unclear. Fictional people."""

import pytest

from .factories import make_official, make_organization, make_role
from .helpers import suggest as suggest_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(db):
    """Two foreign ministers and a prime minister, with roles the suggester can read."""
    caldmark = make_organization(name="Foreign Ministry of Caldmark", slug="cal-mfa")
    brennmark = make_organization(name="Foreign Office of Brennmark", slug="bre-fo")
    vance = make_official(name="Teodor Vance", slug="teodor-vance")
    make_role(vance, title="Minister of Foreign Affairs", organization=caldmark)
    arnwald = make_official(name="Liesl Arnwald", slug="liesl-arnwald")
    make_role(arnwald, title="Deputy Foreign Minister", organization=brennmark)
    wielgor = make_official(name="Tomasz Wielgor", slug="tomasz-wielgor")
    make_role(wielgor, title="Prime Minister", organization=caldmark)


def suggest(text, *, has_title=True):
    """The suggestions for a text whose first line is a title, each checked to slice it."""
    return suggest_text(text, has_title=has_title)


def found(text, **kwargs):
    return [
        (s.kind, s.official or ("unclear" if s.speaker_unclear else s.speaker), s.text)
        for s in suggest(text, **kwargs)
    ]


def test_a_dateline_is_not_part_of_the_clause_attributed_after_it(officials):
    text = (
        "Shelf talks\n\n"
        "HOLMSBY, Oct 2 (Northern Wire) - Talks on the shelf will resume in November, "
        "Teodor Vance said on Monday.\n\n"
        "NOWE POLE, Drovnia — The border stays open, Arnwald said."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "Talks on the shelf will resume in November"),
        ("paraphrase", "liesl-arnwald", "The border stays open"),
    ]


def test_an_interviewer_s_turns_are_not_statements_but_what_they_report_is(officials):
    text = (
        "Interview\n\n"
        "Renata Voss spoke to Teodor Vance on Tuesday.\n\n"
        "Renata Voss: Minister, is this a trade war?\n\n"
        "Teodor Vance: It is a tariff of four per cent. It is not a war.\n\n"
        "Renata Voss: Liesl Arnwald said on Friday that the tariff was temporary. Was it?\n\n"
        "Vance: Not this month.\n\n"
        "Renata Voss: Minister, thank you."
    )
    assert found(text) == [
        ("direct", "teodor-vance", "It is a tariff of four per cent. It is not a war."),
        ("paraphrase", "liesl-arnwald", "the tariff was temporary"),
        ("direct", "teodor-vance", "Not this month."),
    ]


def test_a_council_record_gives_delegates_turns_but_not_the_presiding_officer_s(officials):
    text = (
        "Council record\n\n"
        "The President: I call on the representative of Caldmark.\n\n"
        "Mr. Vance (Caldmark): Thank you, Madam President. Caldmark supports the report.\n\n"
        "We ask the Council to extend the inspections.\n\n"
        "The President: I thank the representative. I give the floor to Brennmark.\n\n"
        "Ms. Arnwald (Brennmark) (spoke in Brennish): Brennmark also welcomes the report.\n\n"
        "The meeting rose at 11.40 a.m."
    )
    assert found(text) == [
        ("direct", "teodor-vance", "Thank you, Madam President. Caldmark supports the report."),
        ("direct", "teodor-vance", "We ask the Council to extend the inspections."),
        ("direct", "liesl-arnwald", "Brennmark also welcomes the report."),
    ]


def test_a_turn_that_only_thanks_is_not_a_statement_and_notes_are_left_out(officials):
    text = (
        "Press conference\n\n"
        "FOREIGN MINISTER VANCE: [Interpretation] Harrow is the right place.\n\n"
        "[Interpretation] That is a first for me.\n\n"
        "(Laughter.)\n\n"
        "QUESTION: Will the parliaments ratify?\n\n"
        "FOREIGN MINISTER VANCE: Yes.\n"
        "(Applause.)\n\n"
        "DEPUTY FOREIGN MINISTER ARNWALD: Thank you."
    )
    assert found(text) == [
        ("direct", "teodor-vance", "Harrow is the right place."),
        ("direct", "teodor-vance", "That is a first for me."),
        ("direct", "teodor-vance", "Yes."),
    ]


@pytest.mark.parametrize(("opening", "closing"), [("‹", "›"), ("‚", "‘"), ("‹ ", " ›")])
def test_quotes_in_single_guillemets_and_low_single_marks_are_found(officials, opening, closing):
    text = f"Title\n\n{opening}We have no reason to keep them,{closing} Vance said."
    assert found(text) == [("direct", "teodor-vance", "We have no reason to keep them")]


def test_a_surname_alone_is_the_person_the_article_named_in_full_before(officials):
    text = (
        "Where the river stops\n\n"
        "At six in the morning Rasmus Eid walks to the end of his field.\n\n"
        "“My father used to lose sheep to this river,” Eid says."
    )
    assert found(text) == [
        ("direct", "Rasmus Eid", "My father used to lose sheep to this river"),
    ]


@pytest.mark.parametrize(
    "before",
    [
        "Teodor Vance and Liesl Arnwald met for an hour before the session.",
        "Vance and his counterpart, Liesl Arnwald, were in the room. Both remember it.",
        "On Monday the two ministers spoke to reporters together outside parliament.",
    ],
)
def test_a_pronoun_after_several_people_gives_the_speaker_as_unclear(officials, before):
    text = f"Title\n\nVance arrived first. {before} “We have been here before,” he said."
    [suggestion] = suggest(text)
    assert suggestion.text == "We have been here before"
    assert suggestion.speaker_unclear
    assert suggestion.speaker is None and suggestion.official is None
    assert suggestion.as_dict()["speaker_unclear"] is True


def test_a_pronoun_after_one_subject_is_that_person_again(officials):
    text = (
        "Title\n\nVance and Arnwald met on Monday. Vance said the talks had been useful. "
        "“We have been here before,” he said."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "the talks had been useful"),
        ("direct", "teodor-vance", "We have been here before"),
    ]


def test_replied_that_and_answered_that_report_speech(officials):
    text = (
        "Title\n\nVance replied that the accord “says nothing about herring”. "
        "Wielgor answered that nobody could change the past."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "the accord “says nothing about herring”"),
        ("paraphrase", "tomasz-wielgor", "nobody could change the past"),
    ]


def test_called_with_a_quotation_is_a_paraphrase_that_keeps_the_verb(officials):
    text = "Title\n\nArnwald called the detention “a hostage-taking”. Vance called for calm."
    assert found(text) == [
        ("paraphrase", "liesl-arnwald", "called the detention “a hostage-taking”"),
    ]


def test_according_to_a_speaker_in_apposition_leaves_the_apposition_out(officials):
    text = (
        "Title\n\nAccording to Liesl Arnwald, the deputy foreign minister, the first patrols "
        "will sail in April."
    )
    assert found(text) == [("paraphrase", "liesl-arnwald", "the first patrols will sail in April")]


def test_attribution_in_mid_sentence_gives_the_words_after_it(officials):
    text = (
        "Title\n\nArnwald spoke on Monday. The exercise, she said, had been announced six weeks "
        "in advance."
    )
    assert found(text) == [
        ("paraphrase", "liesl-arnwald", "had been announced six weeks in advance"),
    ]


def test_a_clause_before_he_said_adding_that_is_his_paraphrase(officials):
    text = (
        "Title\n\nVance arrived late. His government was ready to let the engineers in, he said, "
        "adding that the monitors could start at once."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "His government was ready to let the engineers in"),
        ("paraphrase", "teodor-vance", "the monitors could start at once"),
    ]


def test_a_second_verb_of_the_sentence_s_subject_reports_speech(officials):
    text = (
        "Title\n\nThe mayor of Nowe Pole, Jarek Polan, welcomed the money but said it had come "
        "too late. Vance, asked whether the field was on the agenda, replied that everything "
        "would be discussed."
    )
    assert found(text) == [
        ("paraphrase", "Jarek Polan", "it had come too late"),
        ("paraphrase", "teodor-vance", "everything would be discussed"),
    ]


def test_a_speaker_named_after_a_description_or_before_an_organisation(officials):
    text = (
        "Title\n\nThe opposition deputy Lucienne Marchal accused the government of weakness. "
        "«We send diplomats when we should send a message», she said.\n\n"
        "Professor Imre Sallay of the University of Holmsby said tariffs were “symbolic”. "
        "The embassy in Orvalle said it had nothing to add."
    )
    assert found(text) == [
        ("direct", "Lucienne Marchal", "We send diplomats when we should send a message"),
        ("paraphrase", "Imre Sallay", "tariffs were “symbolic”"),
    ]


def test_several_statements_in_one_sentence_are_each_found(officials):
    text = (
        "Title\n\nVance said the patrols would carry officers from both countries, while "
        "Arnwald said the rules would be published. Wielgor said the talks were over; Vance "
        "said they had not begun. Corvin Aldous says the treaty is “a defeat”, and he does not "
        "mean it kindly."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "the patrols would carry officers from both countries"),
        ("paraphrase", "liesl-arnwald", "the rules would be published"),
        ("paraphrase", "tomasz-wielgor", "the talks were over"),
        ("paraphrase", "teodor-vance", "they had not begun"),
        ("paraphrase", "Corvin Aldous", "the treaty is “a defeat”"),
    ]


def test_said_this_morning_that_starts_the_clause_after_that(officials):
    text = "Title\n\nCorvin Aldous said this morning that Caldmark had given away the timetable."
    assert found(text) == [
        ("paraphrase", "Corvin Aldous", "Caldmark had given away the timetable"),
    ]


def test_a_speaker_named_in_apposition_after_said_the_title(officials):
    text = (
        "Title\n\n“The freeze holds,” said the Secretary-General of the Union, Hedda Lorne.\n\n"
        "The river commission's chair, Joaquim Estival, has heard this many times. The drought "
        "had emptied the river, he told the villagers."
    )
    assert found(text) == [
        ("direct", "Hedda Lorne", "The freeze holds"),
        ("paraphrase", "Joaquim Estival", "The drought had emptied the river"),
    ]


def test_a_quote_followed_by_an_attribution_it_cannot_read_is_nobody_s(officials):
    text = (
        "Title\n\nVance said the exercise was lawful.\n\n"
        "“They sail past our windows with guns,” one protester shouted."
    )
    assert found(text) == [("paraphrase", "teodor-vance", "the exercise was lawful")]


def test_a_bare_title_that_fits_two_people_is_unclear_unless_the_article_is_about_one(
    officials,
):
    about_vance = (
        "Title\n\nForeign Minister Teodor Vance said the dam was safe. Vance added that the "
        "gates were closed. Deputy Foreign Minister Liesl Arnwald said last week that Brennmark "
        "would ask for compensation.\n\n“We will send our data,” said the minister."
    )
    [*_, last] = suggest(about_vance)
    assert last.text == "We will send our data"
    assert last.speaker_unclear and last.official is None
    settled = (
        "Title\n\nDeputy Foreign Minister Liesl Arnwald arrived. Foreign Minister Teodor Vance "
        "said the dam was safe. Vance added that the gates were closed.\n\n"
        "“We will send our data,” said the minister."
    )
    assert found(settled)[-1] == ("direct", "teodor-vance", "We will send our data")


def test_a_pronoun_after_sentences_about_no_one_that_fits_two_people_is_unclear(officials):
    text = (
        "Title\n\n“A pipe is not a promise,” Wielgor said. Vance said the deal was good.\n\n"
        "The pipeline's first section opened in January.\n\n"
        "Speaking to reporters later, she warned that supplies would not be cut."
    )
    [*_, last] = suggest(text)
    assert last.text == "supplies would not be cut"
    assert last.speaker_unclear


def test_a_pronoun_subject_keeps_its_person_as_the_subject(officials):
    text = (
        "Title\n\nCorvin Aldous spoke first. Vance said the deal was good. He visited the "
        "valley in June. The drought had emptied the river, he told the villagers."
    )
    assert found(text)[-1] == ("paraphrase", "teodor-vance", "The drought had emptied the river")


def test_a_subject_after_an_opening_phrase_is_who_a_pronoun_points_to(officials):
    text = (
        "Title\n\nVance spoke first.\n\n"
        "In the harbour of Harrow, where the ship was seen, the skipper Olek Strand keeps a "
        "photograph of the minister. He put it there to remember whom to blame, he says."
    )
    assert found(text)[-1] == (
        "paraphrase",
        "Olek Strand",
        "He put it there to remember whom to blame",
    )


def test_a_short_quotation_ending_reported_speech_after_a_comma_is_part_of_it(officials):
    text = (
        "Title\n\nAccording to Vance, the first patrols will sail in April, “weather "
        "permitting”. Wielgor answered that nobody could change the past, „not even a prime "
        "minister”. The pipeline, Arnwald added, “crosses the best cod grounds we have left”."
    )
    assert found(text) == [
        (
            "paraphrase",
            "teodor-vance",
            "the first patrols will sail in April, “weather permitting”",
        ),
        (
            "paraphrase",
            "tomasz-wielgor",
            "nobody could change the past, „not even a prime minister”",
        ),
        ("direct", "liesl-arnwald", "crosses the best cod grounds we have left"),
    ]


def test_a_quote_split_around_a_long_cue_gives_two_statements(officials):
    text = (
        "Title\n\n„We will negotiate in good faith“, Vance told the Tagespost in his office on "
        "Monday evening, „but good faith does not mean that we sign everything.“"
    )
    assert found(text) == [
        ("direct", "teodor-vance", "We will negotiate in good faith"),
        ("direct", "teodor-vance", "but good faith does not mean that we sign everything."),
    ]


def test_a_related_coverage_headline_is_page_furniture(officials):
    text = "Title\n\nRelated coverage: Wielgor says Caldmark will not build its own dam"
    assert found(text) == []


def test_an_answer_continued_in_a_paragraph_that_mentions_saying_is_still_the_answer(officials):
    text = (
        "Interview\n\nQ: Will the moratorium hold?\n\n"
        "A: It stays where it is.\n\n"
        "If one of them breaks it, the talks are over. I have said that to both capitals.\n\n"
        "At this point the press secretary said the interview had to end."
    )
    text = text.replace("Q: Will", "Teodor Vance was interviewed.\n\nQ: Will")
    assert found(text) == [
        ("direct", "teodor-vance", "It stays where it is."),
        (
            "direct",
            "teodor-vance",
            "If one of them breaks it, the talks are over. I have said that to both capitals.",
        ),
    ]


def test_answers_belong_to_the_interviewee_the_title_names_not_to_people_in_questions(
    officials,
):
    text = (
        "Vance: “The sound is not a chessboard”\n\n"
        "Yara Lind, our Saltmere correspondent, met him before the spring session.\n\n"
        "Q: Minister, Liesl Arnwald said the patrols were a mistake. Was she right?\n\n"
        "A: Everything is a test. I am the pessimist in the ministry.\n\n"
        "Q: Really?\n\n"
        "A: Really."
    )
    assert found(text) == [
        ("paraphrase", "liesl-arnwald", "the patrols were a mistake"),
        ("direct", "teodor-vance", "Everything is a test. I am the pessimist in the ministry."),
        ("direct", "teodor-vance", "Really."),
    ]


def test_the_interviewer_named_in_the_introduction_never_answers(officials):
    text = (
        "Interview\n\n"
        "Foreign Minister Teodor Vance was interviewed by Renata Voss. Renata Voss asked about "
        "the patrols and Renata Voss asked about fish.\n\n"
        "Q: Will the patrols begin?\n\n"
        "A: Next month."
    )
    assert found(text) == [("direct", "teodor-vance", "Next month.")]


def test_a_reaction_labelled_by_name_and_country_gives_the_words_inside_the_marks(officials):
    text = "Reactions\n\nTeodor Vance (Caldmark): “Three years of quiet is worth more.”"
    assert found(text) == [("direct", "teodor-vance", "Three years of quiet is worth more.")]


def test_quotes_after_less_common_reporting_verbs_are_found(officials):
    text = (
        "Title\n\n“We keep the coffee warm,” Vance quipped. Arnwald countered that the coffee "
        "was cold. “Not this month,” retorted Wielgor."
    )
    assert found(text) == [
        ("direct", "teodor-vance", "We keep the coffee warm"),
        ("paraphrase", "liesl-arnwald", "the coffee was cold"),
        ("direct", "tomasz-wielgor", "Not this month"),
    ]


def test_a_reaction_labelled_by_name_and_description_is_a_direct_statement(officials):
    text = (
        "What they said\n\n"
        "Teodor Vance, Foreign Minister of Caldmark: Three years of quiet is worth more.\n\n"
        "Fenna Roos, director of the campaign group Blue Shelf: “The fish need thirty.”\n\n"
        "Wielgor, for his part, said: “We will see.”"
    )
    assert found(text) == [
        ("direct", "teodor-vance", "Three years of quiet is worth more."),
        ("direct", "Fenna Roos", "The fish need thirty."),
        ("direct", "tomasz-wielgor", "We will see."),
    ]


def test_a_pronoun_after_a_sentence_naming_two_people_together_is_unclear(officials):
    text = (
        "Title\n\nVance arrived on Monday. The talks between Vance and Wielgor lasted an hour. "
        "“We have been here before,” he said."
    )
    [suggestion] = suggest(text)
    assert suggestion.speaker_unclear


def test_a_name_before_brackets_is_the_speaker(officials):
    text = "Title\n\nTeodor Vance (Caldmark) said the inspections had shown it."
    assert found(text) == [("paraphrase", "teodor-vance", "the inspections had shown it")]


def test_said_he_or_she_after_a_subject_tells_whom_a_later_pronoun_means(officials):
    text = (
        "Title\n\nArnwald said she would wait. Vance said that he would not.\n\n"
        "The talks resumed on Friday.\n\n"
        "“We are still waiting,” she said."
    )
    assert found(text)[-1] == ("direct", "liesl-arnwald", "We are still waiting")


def test_an_interviewer_who_asks_in_half_of_the_turns_is_a_questioner(officials):
    text = (
        "Interview\n\n"
        "Foreign Minister Teodor Vance was interviewed for the morning programme.\n\n"
        "Renata Voss: Good morning.\n\n"
        "Teodor Vance: Good morning.\n\n"
        "Renata Voss: Let us start with the tariff. It came into force on Monday.\n\n"
        "Teodor Vance: It is a bad idea.\n\n"
        "Renata Voss: Will you retaliate?\n\n"
        "Teodor Vance: Not this month."
    )
    assert found(text) == [
        ("direct", "teodor-vance", "It is a bad idea."),
        ("direct", "teodor-vance", "Not this month."),
    ]


def test_said_with_a_time_before_a_clause_without_that_reports_it(officials):
    text = (
        "Title\n\nVance said on Monday the talks would resume. Arnwald said last week the "
        "border would stay open. The quotas are too high, Wielgor said on Friday."
    )
    assert found(text) == [
        ("paraphrase", "teodor-vance", "the talks would resume"),
        ("paraphrase", "liesl-arnwald", "the border would stay open"),
        ("paraphrase", "tomasz-wielgor", "The quotas are too high"),
    ]


def test_a_quote_after_a_colon_belongs_to_the_sentence_s_subject(officials):
    text = (
        "Reactions\n\nArnwald welcomed the deal.\n\n"
        "In Caldmark, Minister Vance was more cautious: “A freeze is not a solution.”"
    )
    assert found(text) == [("direct", "teodor-vance", "A freeze is not a solution.")]


def test_a_bare_her_after_a_subject_says_nothing_of_the_subject_s_gender(officials):
    text = (
        "Title\n\nArnwald spoke first. Vance said her decision was final.\n\n"
        "The talks resumed on Friday.\n\n"
        "“We are still waiting,” he said."
    )
    [*_, last] = suggest(text)
    assert last.text == "We are still waiting"
    assert last.official != "liesl-arnwald"
