"""Find the statements an article attributes to people: direct quotes and reported speech.

A single left-to-right pass, paragraph by paragraph and sentence by sentence, so that a
pronoun or a title ("he said", "the minister added") points back to someone already named.
Reported speech is found by pattern, not by parsing: a reporting verb with its subject
before it ("X said that ...", "X, the minister, added ..."), or after it ("..., said X"),
"according to X", "X described ... as ...", and participles that carry on the same
speaker's words (", adding that ...", "” pointing out that ...").

Why "speaker unclear": a wrong speaker puts words in someone's mouth, which is worse for an
archive of attributions than a statement the curator must attribute by hand. Where the text
leaves two people possible (a pronoun after "Okarro and Vanne met", "said the minister" with
two ministers), the suggestion names nobody and says so (``speaker_unclear``); nothing is
given to the nearest person by default.
"""

import re
from dataclasses import dataclass

from .speakers import (
    HONORIFICS,
    NOT_NAMES,
    PERSON_NOUNS,
    RANKS,
    TITLE_WORDS,
    ArticlePeople,
    Person,
    fold,
    np_word,
    parse_mention,
)
from .text import (
    STAGE_DIRECTION,
    TURN_NOTE,
    find_quotes,
    paragraphs,
    sentences,
    tokenize,
)

# Reporting verbs. A paraphrase may follow those in ZERO_THAT without "that"
# ("Vondel said the talks were useful"); the others need it ("Vondel stressed that ...").
SAY_VERBS = {
    "said", "says", "say", "told", "tells", "added", "adds", "stressed", "stresses", "noted",
    "stated", "declared", "declares", "announced", "announces", "explained", "explains",
    "insisted", "insists", "warned", "warns", "argued", "argues", "claimed", "emphasized",
    "emphasised", "emphasizes", "emphasises", "underlined", "underlines", "underscored",
    "indicated", "indicates", "considered", "considers", "believes", "believed", "confirmed",
    "confirms", "acknowledged", "acknowledges", "admitted", "admits", "asserted", "asserts",
    "maintained", "maintains", "remarked", "replied", "replies", "responded", "responds",
    "suggested", "suggests", "observed", "recalled", "recalls", "reiterated", "reiterates",
    "repeated", "promised", "vowed", "vows", "predicted", "predicts", "wrote", "writes",
    "tweeted", "assured", "assures", "denied", "denies", "complained", "conceded", "concedes",
    "cautioned", "commented", "revealed", "answered", "asked", "asks", "continued",
    "concluded", "thinks", "hoped", "hopes", "estimated", "agreed", "countered", "counters",
    "objected", "protested", "pledged", "pledges", "alleged", "alleges", "contended",
    "contends", "signalled", "signaled", "hinted", "quipped", "quips", "joked", "jokes",
    "shouted", "cried", "boasted", "lamented", "laments", "mused", "muses", "sighed",
    "notes", "retorted",
}  # fmt: skip
ZERO_THAT = {
    "said", "says", "say", "told", "tells", "added", "adds", "believes", "believed", "thinks",
    "insisted", "insists", "warned", "warns", "argued", "argues", "hoped", "hopes",
}  # fmt: skip
QUOTE_ONLY = {
    "asked", "asks", "continued", "answered", "replied", "replies", "quipped", "quips",
    "joked", "jokes", "shouted", "cried", "mused", "muses", "sighed", "retorted",
}  # fmt: skip
DESCRIBE_VERBS = {"described", "describes", "characterized", "characterised"}
CALL_VERBS = {"called", "calls"}
TOLD_WORDS = {"reporters", "journalists", "villagers", "the", "a", "him", "her", "them"}
PARTICIPLES = {
    "saying", "adding", "noting", "stressing", "indicating", "explaining", "insisting",
    "warning", "arguing", "claiming", "emphasizing", "emphasising", "underlining",
    "underscoring", "stating", "declaring", "acknowledging", "admitting", "asserting",
    "recalling", "reiterating", "assuring", "confirming", "suggesting", "observing",
    "describing",
}  # fmt: skip
# Multi-word cues, matched on folded words.
PHRASES = [
    (("pointed", "out"), "say"),
    (("points", "out"), "say"),
    (("pointing", "out"), "participle"),
    (("made", "it", "clear"), "say"),
    (("made", "clear"), "say"),
    (("went", "on", "to", "say"), "say"),
    (("expressed", "hope"), "say"),
    (("expressed", "confidence"), "say"),
    (("expressed", "concern"), "say"),
    (("was", "quoted", "as", "saying"), "say"),
]
AUXILIARIES = {
    "has", "have", "had", "also", "later", "again", "earlier", "further", "then", "once",
    "repeatedly", "previously", "already", "recently", "publicly", "only", "would", "will",
    "privately", "firmly", "flatly", "bluntly", "simply", "quickly", "clearly",
}  # fmt: skip
PREPOSITIONS = {
    "on", "in", "at", "during", "after", "before", "following", "with", "to", "about", "of",
    "for", "from", "by", "into", "over", "ahead", "while", "when", "last", "yesterday",
    "today", "tonight", "earlier", "later", "again", "also", "repeatedly", "afterwards",
}  # fmt: skip
TOLD_OBJECTS = {
    "reporters", "journalists", "parliament", "lawmakers", "him", "her", "them", "me", "us",
    "delegates", "diplomats", "supporters", "the press", "the media", "a news conference",
    "a press conference", "the conference", "a conference", "the council", "the assembly",
    "state television", "state media", "state radio", "the crowd", "an audience",
    "the audience", "the summit", "the meeting",
}  # fmt: skip
QUESTION_LABELS = {"q", "question", "moderator", "interviewer", "reporter", "journalist", "host"}
ANSWER_LABELS = {"a", "answer"}
# A turn that only thanks or greets is not a statement ("Thank you.", "Good evening.").
COURTESY = re.compile(
    r"(?:(?:thank\s+you|thanks)(?:\s+(?:very\s+much|all|everyone))?"
    r"|good\s+(?:morning|afternoon|evening)|hello|welcome)"
    r"(?:,\s*[\w.' -]{1,40})?[.!]?",
    re.IGNORECASE,
)
# A paragraph after a turn that uses these is the speaker's own voice: the turn goes on.
FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|my|My|us|me)\b")
TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week",
    "month", "year", "night", "morning", "evening", "afternoon", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
}  # fmt: skip
PRONOUN_GENDERS = {"his": "m", "himself": "m", "her": "f", "herself": "f"}
PRONOUNS_BY_WORD = {"he": "m", "she": "f"}
PLACE_PREPOSITIONS = {"in", "of", "from", "at", "near", "for", "to", "on", "by", "with"}
# Leading words of a name printed in full that are not the person's name.
NOT_FIRST_NAMES = TITLE_WORDS | RANKS | NOT_NAMES | set(HONORIFICS)
TRAILING = ",.;:—–-"


@dataclass
class Suggestion:
    """One statement the article attributes to someone; ``text == source[start:end]``."""

    speaker: str | None  # None when the speaker is unclear
    official: str | None
    text: str
    kind: str
    start: int
    end: int
    cue: str
    attribution: str = ""  # how the article named the speaker at this point
    # One of several people the article names said it, and it does not say which.
    speaker_unclear: bool = False

    def as_dict(self):
        return {
            "speaker": self.speaker,
            "official": self.official,
            "speaker_unclear": self.speaker_unclear,
            "text": self.text,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
        }


@dataclass
class _Event:
    """A reporting verb (or 'according to') and who it attributes words to."""

    person: Person
    cue: str
    attribution: str
    cue_start: int  # token index
    cue_end: int  # token index after the cue
    np_start: int  # token index where the speaker's noun phrase starts
    inverted: bool = False  # the speaker comes after the verb: "..., said Teplitz"


def suggest_statements(source, *, directory, has_title=False):
    """Suggestions for one article, in reading order.

    ``source`` is the article's text; with ``has_title`` its first line is a title and is
    skipped. ``directory`` is a :class:`SpeakerDirectory` of the archive's officials.
    """
    found = paragraphs(source, has_title=has_title)
    reader = _Reader(source, directory, questioners=questioners(source, found))
    if has_title:
        reader.title = source.split("\n", 1)[0]
    for paragraph in found:
        reader.paragraph(paragraph)
    return reader.finish()


def questioners(source, found):
    """Labels of an interview's or a transcript's questioners ("Tamsin Hale:", "ARDOVIA
    TODAY:"): at least half of their turns ask something (turns that only thank or greet
    left out). Keyed by the label's last word, folded."""
    turns, asking = {}, {}
    for paragraph in found:
        words = source[paragraph.content_start : paragraph.end]
        if paragraph.label and not COURTESY.fullmatch(words.strip()):
            key = label_key(source[slice(*paragraph.label)])
            turns[key] = turns.get(key, 0) + 1
            asking[key] = asking.get(key, 0) + ("?" in words)
    return {key for key, count in turns.items() if count >= 2 and asking[key] * 2 >= count}


def label_key(label):
    words = label.split()
    return fold(words[-1]) if words else ""


class _Reader:
    def __init__(self, source, directory, *, questioners=frozenset()):
        self.source = source
        self.people = ArticlePeople(directory, full_name=self.full_name)
        self.found = []  # (person, kind, start, end, cue, attribution)
        self.pending = []  # quotes running on from earlier paragraphs, speaker not yet known
        self.run_on = None  # (person, cue) of a quote that ran on into this paragraph
        self.interviewee = None  # who answers the 'A:' turns: fixed by the first one
        self.title = ""  # the title line, when the text has one
        self.first_turn = None  # where the first labelled turn starts
        self.intro_weights = None  # how often each person was named before it
        self.intro_interviewers = None  # surnames (folded) the introduction names as asking
        self.questioners = questioners
        self.turn = None  # (person, cue, attribution) of the turn the last paragraph was
        self.position = 0  # where the sentence being read starts
        self.subject = None  # the person the sentence being read is about, if it starts so

    def full_name(self, surname):
        """The fuller name the article printed before for a surname ("Rasmus Eid"), or None."""
        pattern = re.compile(
            r"((?:[A-Z][\w'’-]+[ \t]+){1,3})" + re.escape(surname) + r"\b(?![’']s)"
        )
        best = None
        for match in pattern.finditer(self.source, 0, self.position):
            words = match.group(1).split()
            while words and fold(words[0].rstrip(".")) in NOT_FIRST_NAMES:
                words.pop(0)
            if words and not any(fold(strip_s(w)) != fold(w) for w in words):
                best = (*words, surname)
        return best

    # -- paragraphs -------------------------------------------------------------------------

    def paragraph(self, paragraph):
        if paragraph.label and self.transcript_turn(paragraph):
            return
        text = self.source[paragraph.content_start : paragraph.end]
        if STAGE_DIRECTION.fullmatch(text):
            return  # "(Laughter.)" between turns
        if not paragraph.label and self.turn and self.continues_turn(paragraph):
            return
        self.turn = None
        start = paragraph.content_start
        quotes = find_quotes(self.source, start, paragraph.end)
        for quote in quotes:
            quote.role = self.quote_role(quote, start, paragraph.end)
        starts_with_quote = bool(quotes) and quotes[0].open == start
        continuing = self.run_on if starts_with_quote else None
        if self.pending and not starts_with_quote:
            self.settle_pending(
                self.people.antecedents[-1] if self.people.antecedents else None, ""
            )
        self.run_on = None
        for sentence_start, sentence_end in sentences(self.source, start, paragraph.end, quotes):
            inside = [q for q in quotes if sentence_start <= q.open < sentence_end]
            self.sentence(sentence_start, sentence_end, inside, continuing)
            continuing = None

    def interviewers(self):
        """Surnames of the people the introduction names as asking the questions: "Renata
        Voss interviewed ...", "... interviewed by Yara Lind", "the questions of Ardovia Today"."""
        intro = self.source[: self.first_turn or 0]
        name = r"((?:[A-Z][\w'’-]+[ \t]+){0,3}[A-Z][\w'’-]+)"
        # Not "X spoke to Y": articles write it both ways round.
        found = re.findall(name + r",?[ \t]+(?:interviewed|interviews)\b", intro)
        found += re.findall(
            r"(?:interviewed[ \t]+by|questions[ \t]+(?:of|from)|"
            r"(?:interviewer|presenter|host|correspondent|reporter|editor))[ \t]+" + name,
            intro,
        )
        found += re.findall(
            name + r",[ \t]+(?:our|the|a|an)\b[^,.\n]{0,40}?"
            r"(?:correspondent|reporter|editor|interviewer|presenter|host|journalist)\b",
            intro,
        )
        return {fold(match.split()[-1]) for match in found}

    def transcript_turn(self, paragraph):
        """A turn of a transcript ('VONDEL: ...'): the whole turn is one direct quote."""
        label_start, label_end = paragraph.label
        if self.first_turn is None:
            self.first_turn = label_start
            self.intro_weights = {id(p): p.weight for p in self.people.people}
        label = self.source[label_start:label_end]
        self.turn = None
        if self.source[label_end] == ",":
            # "Fenna Roos, director of Blue Shelf: ...": a reaction, unless the description
            # reports ("Vance, the minister, said: ...") or the words are more than a quote
            described = self.source[label_end : paragraph.content_start]
            quotes = find_quotes(self.source, paragraph.content_start, paragraph.end)
            whole = len(quotes) == 1 and quotes[0].open == paragraph.content_start
            if re.search(r"\b(?:said|says|told|added|adds)\b", described) or (
                quotes and not (whole and quotes[0].end == paragraph.end)
            ):
                paragraph.content_start = paragraph.start
                return False
        if self.intro_interviewers is None:
            self.intro_interviewers = self.interviewers()
        key = label_key(label)
        if fold(label) in QUESTION_LABELS or key in self.questioners | self.intro_interviewers:
            return False  # a question: read it for what it reports others said
        if fold(label) in ANSWER_LABELS:
            if self.interviewee is None and self.title:
                # an official the title names ("Teplitz: ...") may be named nowhere else
                for token in tokenize(self.title, 0, len(self.title), []):
                    if token.is_capitalised:
                        self.people.note_surname(token.text)
            self.interviewee = self.interviewee or self.people.interviewee(
                before_turns=self.intro_weights,
                interviewers=self.intro_interviewers,
                title=self.title,
            )
            person = self.interviewee
        else:
            words = tokenize(self.source, label_start, label_end, [])
            mention = parse_mention(words, self.source, caps=label.isupper())
            self.position = label_start
            person = self.people.resolve(mention) if mention else None
            if person is not None and mention.kind != "name" and not person.names:
                # "The President:", "ADMIRAL:": a title the report never fills with a name
                return True
        if person is None:
            # not a speaker's name after all ("Update: ...", "In Caldmark, Minister Vance was
            # more cautious: ..."): read the whole paragraph as text
            paragraph.content_start = paragraph.start
            return False
        self.people.spoke(person)
        self.turn = (person, f"{label}:", label)
        self.add_turn(paragraph.content_start, paragraph.end)
        return True

    def continues_turn(self, paragraph):
        """A paragraph after a turn, with no label, in the speaker's own voice: more of it."""
        start, end = paragraph.content_start, paragraph.end
        text = self.source[start:end]
        if not (TURN_NOTE.match(text) or FIRST_PERSON.search(text)):
            return False
        if text[:1] in '"“„«‘‚‹»':
            return False
        self.add_turn(start, end)
        return True

    def add_turn(self, start, end):
        """Add a turn's words: a bracketed note before them, a stage direction after them and
        a turn that only thanks or greets are not a statement."""
        note = TURN_NOTE.match(self.source, start, end)
        if note:
            start = note.end()
        while True:
            last = self.source.rfind("\n", start, end)
            if last < 0 or not STAGE_DIRECTION.fullmatch(self.source[last:end].strip()):
                break
            end = start + len(self.source[start:last].rstrip())
        if COURTESY.fullmatch(self.source[start:end].strip()):
            return
        quotes = find_quotes(self.source, start, end)
        if len(quotes) == 1 and quotes[0].open == start and quotes[0].end == end:
            # "Fenna Roos (Blue Shelf): “Three years is a beginning.”": the words, not the marks
            start, end = quotes[0].inner_start, quotes[0].inner_end
        person, cue, attribution = self.turn
        self.add(person, "direct", start, end, cue=cue, attribution=attribution)

    def quote_role(self, quote, paragraph_start, paragraph_end):
        """'direct', or 'embedded' in the sentence (“ISIS”, a partial quote), or a 'name'."""
        inner = self.source[quote.inner_start : quote.inner_end].strip()
        before = self.source[paragraph_start : quote.open].rstrip()
        after = self.source[quote.end : paragraph_end]
        words = inner.split()
        next_word = re.match(r"\s*(\w+)", after)
        if (
            1 <= len(words) <= 4
            and all(w[:1].isupper() for w in words)
            and not re.search(r"[,.;:?!]", inner)
            and next_word
            and fold(next_word.group(1)) in SAY_VERBS | DESCRIBE_VERBS
        ):
            return "name"
        previous = re.search(r"(\w+)\W*$", before)
        after_word = before and (before[-1].isalnum() or before[-1] in ")%")
        if after_word and (not previous or fold(previous.group(1)) not in SAY_VERBS | PARTICIPLES):
            return "embedded"  # "the sites of “ISIS”", "described them as “a warning”"
        lower = inner[:1].islower()
        if after_word and lower:
            return "embedded"  # "the ambassador had promised ‹ a quick answer ›"
        sentence = re.split(r"[.?!…]\s", before)[-1]
        if (
            lower
            and before.endswith(",")
            and not (previous and fold(previous.group(1)) in SAY_VERBS)  # "Vondel added, “...”"
            and not re.search(r"[\"“”„«»‹›‚‘]", sentence)
            and re.fullmatch(r"[\s.,;:?!)\]]*", re.split(r"(?<=[.?!…])\s", after)[0])
        ):
            return "embedded"  # "..., the first patrols will sail in April, “weather permitting”."
        return "direct"

    # -- sentences --------------------------------------------------------------------------

    def sentence(self, start, end, quotes, continuing):
        tokens = tokenize(self.source, start, end, quotes)
        if not tokens:
            return
        self.position = start
        self.people.sentences_since_subject += 1
        self.note_names(tokens)
        self.note_subject(tokens)
        if plural_subject(tokens) or (self.subject is None and self.names_two_people(start, end)):
            self.people.plural_subject = True
        events = self.events(tokens)
        claimed = []  # token ranges already read as someone's words
        for event in events:
            if any(a <= event.cue_start < b for a, b in claimed):
                continue
            self.people.spoke(event.person)
            claimed.extend(self.read_complement(tokens, event, events))
        self.attribute_quotes(tokens, events, continuing)

    def names_two_people(self, start, end):
        """Whether the sentence names two people of the article together ("the talks between
        Vance and Okarro"): then a pronoun after it could be either."""
        name = r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)*"
        pattern = rf"({name})[ \t]+and[ \t]+(?:(?:his|her|their)[ \t]+\w+,?[ \t]+)?({name})"
        for match in re.finditer(pattern, self.source[start:end]):
            first, second = match.group(1).split()[-1], match.group(2).split()[-1]
            people = [self.people.known(word) for word in (first, second)]
            if all(people) and people[0] != people[1]:
                return True
        return False

    def note_names(self, tokens):
        """Officials named anywhere in the sentence, so that later mentions can find them."""
        run = []
        for token in [*tokens, None]:
            if token is not None and token.is_capitalised and fold(token.text) not in {"the", "a"}:
                run.append(token.text)
                continue
            for i in range(len(run)):
                for j in range(len(run), i, -1):
                    if self.people.note_name(run[i:j]):
                        break
            run = []

    def note_subject(self, tokens):
        """The sentence's subject, when it is a person: pronouns may point back to them."""
        end = 0
        while end < len(tokens) and np_word(tokens[end]):
            end += 1
        mention = parse_mention(tokens[:end], self.source) if end else None
        if end < len(tokens) and tokens[end].text == ",":  # "Mira Vondel, the minister, ..."
            if mention and mention.kind == "title":
                # "The river commission's chair, Joaquim Estival, has heard this"
                mention = self.apposition_name(tokens, end + 1)
            mention = mention if mention and mention.kind == "name" else None
        if mention is None:
            mention = self.described_name(tokens)
        if mention is None and tokens and fold(tokens[0].text) in PREPOSITIONS:
            # "In the harbour of Harrow, where ..., the skipper Olek Strand keeps ..."
            for index, token in enumerate(tokens):
                if token.text == "," and index + 1 < len(tokens):
                    mention = self.described_name(tokens[index + 1 :])
                    if mention is not None:
                        break
        if mention is None:
            # "The river commission's chair, Joaquim Estival, has heard this"
            comma = next((i for i, t in enumerate(tokens[:8]) if t.kind != "word"), None)
            if (
                comma
                and tokens[comma].text == ","
                and any(fold(strip_s(t.text)) in PERSON_NOUNS for t in tokens[:comma])
            ):
                mention = self.apposition_name(tokens, comma + 1)
        self.subject = None
        if mention and mention.kind == "pronoun" and end == 1:
            # "He visited Nowe Pole in June.": the same person is still the subject
            person = self.people.resolve(mention)
            if person is not None and not person.unclear:
                self.people.spoke(person)
                self.subject = person
            return
        if mention and mention.kind == "name":
            person = self.people.resolve(mention)
            if person is not None:
                self.people.spoke(person)
                self.subject = person
                self.note_gender(person, [t for t in tokens if t.start >= mention.end])

    def note_gender(self, person, tokens):
        """The subject's gender, where the sentence leaves no doubt, for later pronouns:
        "Vance said he would ...", "Arnwald said that she ...", "... her own ...", "...
        himself". A bare "his" or "her" is not enough: it often means someone else ("Vanne
        said her decision was final", of the President)."""
        if person.gender is not None:
            return
        words = [fold(t.text) for t in tokens if t.kind == "word"]
        genders = set()
        for index, word in enumerate(words):
            own = word in {"his", "her"} and words[index + 1 : index + 2] == ["own"]
            if word in {"himself", "herself"} or own:
                genders.add(PRONOUN_GENDERS[word])
        # "X said (that) he ...": the reported clause's subject right after the first verb
        if len(words) >= 2 and words[0] in SAY_VERBS:
            start = 2 if words[1] == "that" else 1
            if words[start : start + 1] in (["he"], ["she"]):
                genders.add(PRONOUNS_BY_WORD[words[start]])
        if len(genders) == 1:
            person.gender = genders.pop()

    def apposition_name(self, tokens, start, *, final=False):
        """A name standing between commas from ``start`` ("..., Joaquim Estival, ..."), or
        with ``final`` also one ending the sentence ("..., Hedda Lorne."); else None."""
        end = start
        while end < len(tokens) and np_word(tokens[end]):
            end += 1
        closed = end < len(tokens) and tokens[end].text == ","
        ends = all(t.kind == "punct" for t in tokens[end:])
        if end == start or not (closed or (final and ends)):
            return None
        mention = parse_mention(tokens[start:end], self.source)
        return mention if mention and mention.kind == "name" else None

    def described_name(self, tokens):
        """A subject named after a description: "The opposition deputy Lucienne Marchal
        accused", "Energy analyst Tove Renholm of the Port Ardent Institute said"."""
        run = []
        for index, token in enumerate(tokens[:9]):
            lower = fold(token.text)
            if token.kind != "word":
                return None
            if (
                token.is_capitalised
                and lower not in NOT_FIRST_NAMES
                and strip_s(token.text) == token.text
            ):
                if not run and index and fold(tokens[index - 1].text) in PLACE_PREPOSITIONS:
                    return None
                run.append(token)
                continue
            if run:
                break
        if not run:
            return None
        first = tokens.index(run[0])
        if len(run) == 1:
            # "Chancellor Ostholt was more cautious": a surname after a capitalised title
            title = tokens[first - 1] if first else None
            if title is None or not title.is_capitalised or fold(title.text) not in PERSON_NOUNS:
                return None
            run.insert(0, title)
        after = tokens[tokens.index(run[-1]) + 1] if run[-1] is not tokens[-1] else None
        if after is None or after.kind != "word" or after.is_capitalised:
            return None
        mention = parse_mention(run, self.source)
        if mention and mention.kind == "name" and len(mention.name) == 1:
            person = self.people.resolve(mention, create_unknown=False)
            return mention if person is not None else None
        return mention

    def events(self, tokens):
        events, k = [], 0
        while k < len(tokens):
            cue_kind, length = self.cue_at(tokens, k)
            if cue_kind is None:
                k += 1
                continue
            event = None
            if cue_kind in ("say", "describe"):
                event = self.subject_event(tokens, k, length, cue_kind)
            elif cue_kind == "according":
                event = self.according_event(tokens, k)
            elif (
                cue_kind == "participle"
                and k > 0
                and (tokens[k - 1].text in {",", "—", "–"} or tokens[k - 1].kind == "quote")
            ):
                speaker = next((e for e in reversed(events)), None)
                if speaker is not None:
                    event = _Event(
                        speaker.person, self.span_text(tokens, k, k + length), speaker.attribution,
                        k, k + length, -1,
                    )  # fmt: skip
            if event is not None:
                events.append(event)
            k += length
        return events

    def cue_at(self, tokens, k):
        if tokens[k].kind != "word":
            return None, 1
        words = [fold(t.text) for t in tokens[k : k + 4]]
        for phrase, kind in PHRASES:
            if tuple(words[: len(phrase)]) == phrase:
                return kind, len(phrase)
        word = words[0]
        if word == "according" and words[1:2] == ["to"]:
            return "according", 2
        if word in SAY_VERBS:
            return "say", 1
        if word in DESCRIBE_VERBS:
            return "describe", 1
        if word in CALL_VERBS and words[1:2] and words[1] not in {"for", "on", "off", "up", "in"}:
            return "describe", 1
        if word in PARTICIPLES:
            return "participle", 1
        return None, 1

    def subject_event(self, tokens, k, length, cue_kind):
        cue = self.span_text(tokens, k, k + length)
        found = self.mention_before(tokens, k)
        inverted = False
        if (
            found is None
            and cue_kind == "say"
            and k > 0
            and (tokens[k - 1].kind == "quote" or tokens[k - 1].text == ",")
        ):
            found = self.mention_after(tokens, k + length)
            inverted = True
        if found is None:
            if cue_kind == "say" and self.subject is not None and self.coordinated(tokens, k):
                # "Vanne welcomed the promise but said ...", "Vance, asked ..., replied that"
                name = self.subject.display_name
                return _Event(self.subject, cue, name, k, k + length, k)
            return None
        mention, np_start = found
        person = self.people.resolve(mention)
        if person is None:
            return None
        return _Event(person, cue, mention.text, k, k + length, np_start, inverted)

    def coordinated(self, tokens, k):
        """Whether the verb at k shares the sentence's subject: after "and", "but" or a
        comma, with no quotation before it."""
        j = k
        while j > 0 and fold(tokens[j - 1].text) in AUXILIARIES:
            j -= 1
        if j < 2 or any(t.kind == "quote" for t in tokens[:j]):
            return False
        return fold(tokens[j - 1].text) in {"and", "but", ","}

    def according_event(self, tokens, k):
        end = k + 2
        while end < len(tokens) and tokens[end].text not in {",", ".", ";"}:
            end += 1
        mention = parse_mention(tokens[k + 2 : end], self.source)
        person = self.people.resolve(mention) if mention else None
        if person is None:
            return None
        return _Event(person, "according to", mention.text, k, end, k + 2)

    def mention_before(self, tokens, k):
        """The speaker's noun phrase just before a reporting verb, and where it starts."""
        j = k
        while j > 0 and fold(tokens[j - 1].text) in AUXILIARIES:
            j -= 1
        if j > 0 and tokens[j - 1].text == ")":
            # "Teodor Vance (Caldmark) said": the name before the brackets
            opening = next(
                (i for i in range(j - 2, max(-1, j - 14), -1) if tokens[i].text == "("), None
            )
            return self.mention_before(tokens, opening) if opening else None
        if j > 0 and tokens[j - 1].text == ",":
            # "Rafe Kinnaird, a marine economist, said" or "the spokesperson, Saya Orlen, said"
            b_end = j - 1
            b_start = b_end
            while (
                b_start > 0
                and tokens[b_start - 1].text not in {",", ";", ":", "(", "—", "–"}
                and tokens[b_start - 1].kind != "quote"
            ):
                b_start -= 1
            if b_start == 0 or tokens[b_start - 1].text != ",":
                return None
            apposition = parse_mention(tokens[b_start:b_end], self.source)
            a_end = b_start - 1
            a_start = a_end
            while a_start > 0 and np_word(tokens[a_start - 1]):
                a_start -= 1
            head = parse_mention(tokens[a_start:a_end], self.source) if a_start < a_end else None
            if apposition and apposition.kind == "name":
                if head and head.kind == "title":
                    apposition.title, apposition.places = head.title, head.places
                return apposition, a_start if head else b_start
            if head and head.kind in ("name", "pronoun"):
                if apposition and apposition.kind == "title":
                    head.title = apposition.title
                return head, a_start
            return None
        i = j
        while i > 0 and np_word(tokens[i - 1]):
            i -= 1
        if i == j:
            return self.name_of_organisation(tokens, j)
        if i > 0 and fold(tokens[i - 1].text) in PLACE_PREPOSITIONS:
            # "the embassy in Orvalle said", "Imre Sallay of the University of Holmsby said"
            return self.name_of_organisation(tokens, j)
        mention = parse_mention(tokens[i:j], self.source)
        if mention and mention.kind == "title" and i > 0 and tokens[i - 1].kind == "word":
            # "a port spokesman": a title with words we do not know is someone we cannot name
            for back in range(i - 1, max(-1, i - 4), -1):
                if fold(tokens[back].text) in {"a", "an", "the"}:
                    mention.start, mention.indefinite = tokens[back].start, True
                    mention.text = self.source[mention.start : mention.end]
                    return mention, back
            return None
        return (mention, i) if mention else self.name_of_organisation(tokens, j)

    def name_of_organisation(self, tokens, j):
        """ "Olek Strand of the Saltmere boat owners said": the name before "of"."""
        for back in range(max(1, j - 9), j):
            if fold(tokens[back].text) != "of" or any(t.kind != "word" for t in tokens[back:j]):
                continue
            i = back
            while i > 0 and np_word(tokens[i - 1]):
                i -= 1
            mention = parse_mention(tokens[i:back], self.source) if i < back else None
            if mention and mention.kind == "name" and len(mention.name) >= 2:
                return mention, i
        return None

    def mention_after(self, tokens, k):
        end = k
        while end < len(tokens) and np_word(tokens[end]):
            end += 1
        mention = parse_mention(tokens[k:end], self.source) if end > k else None
        if (
            end < len(tokens)
            and tokens[end].text == ","
            and (mention is None or mention.kind == "title")
        ):
            # "said the Secretary-General of the Union, Hedda Lorne."
            name = self.apposition_name(tokens, end + 1, final=True)
            if name is not None:
                return name, k
        return (mention, k) if mention else None

    # -- reported speech --------------------------------------------------------------------

    def read_complement(self, tokens, event, events):
        """Add the paraphrase(s) an event introduces; return the token ranges they cover."""
        if event.cue == "according to":
            return self.according_complement(tokens, event)
        if event.inverted:
            return []
        verb = fold(tokens[event.cue_start].text)
        if verb in DESCRIBE_VERBS:
            end = self.clause_end(tokens, event.cue_end)
            if any(fold(t.text) == "as" for t in tokens[event.cue_end : end]):
                return self.add_clauses(tokens, event, event.cue_start, end)
            return []
        if verb in CALL_VERBS:
            # "X called the detention “a hostage-taking”": like "described ... as ..."
            end = self.clause_end(tokens, event.cue_end)
            if any(t.text in '“"«„‘‚‹' for t in tokens[event.cue_end : end]):
                return self.add_clauses(tokens, event, event.cue_start, end)
            return []
        start = self.complement_start(tokens, event, verb)
        if start is None:
            after = event.cue_end
            while after < len(tokens) and fold(tokens[after].text) in PREPOSITIONS | TOLD_WORDS:
                after += 1  # "she said on Monday, ..."; "he told the villagers."
            if (
                (
                    self.ends_sentence(tokens, event.cue_end)
                    or (
                        after + 1 < len(tokens)
                        and tokens[after].text == ","
                        and fold(tokens[after + 1].text) in PARTICIPLES
                    )
                )
                and event.np_start > 1
                and tokens[event.np_start - 1].text == ","
            ):
                return self.inverted_paraphrase(tokens, event)
            if (
                after < len(tokens) - 1
                and tokens[after].text == ","
                and event.np_start > 1
                and tokens[event.np_start - 1].text == ","
                and tokens[after + 1].kind == "word"
            ):
                # "The exercise, she said, had been announced ...": the words after the cue
                start = after + 1
                return self.add_clauses(tokens, event, start, self.clause_end(tokens, start))
            return []
        return self.add_clauses(tokens, event, start, self.clause_end(tokens, start))

    def complement_start(self, tokens, event, verb):
        k = event.cue_end
        if verb in QUOTE_ONLY and not (k < len(tokens) and fold(tokens[k].text) == "that"):
            return None  # "she replied:" introduces a quote; "she replied that" reports
        if verb in {"told", "tells"}:
            k = self.skip_told_object(tokens, k)
            if k is None:
                return None
        if k >= len(tokens) or tokens[k].kind != "word":
            return None
        word = fold(tokens[k].text)
        if word == "that":
            return k + 1
        if word in {"this", "next", "last"}:
            for i in range(k, min(len(tokens), k + 5)):
                if fold(tokens[i].text) == "that":
                    return i + 1  # "said this morning that ..."
        if word in PREPOSITIONS:
            for i in range(k, min(len(tokens), k + 25)):
                if tokens[i].kind == "quote" or tokens[i].text in {",", ";", ":", "."}:
                    break
                if fold(tokens[i].text) == "that":
                    return i + 1
            if verb not in ZERO_THAT:
                return None
            # "Vance said on Monday the talks would resume": the clause after the time
            after = self.skip_time(tokens, k)
            return after if after is not None and after < len(tokens) - 2 else None
        multiword = event.cue_end - event.cue_start > 1
        if verb in ZERO_THAT or verb in {"told", "tells"} or (multiword and word != "to"):
            return k
        return None

    def skip_time(self, tokens, k):
        """The token after a short time or setting phrase at k ("on Monday", "last week",
        "in a statement", "on 3 March"), or None when none stands there."""
        words = [fold(t.text) for t in tokens[k : k + 4]]
        if words[:1] in (["last"], ["this"], ["next"]) and len(words) > 1:
            return k + 2 if words[1] in TIME_WORDS else None
        if (
            words[:1] == ["on"]
            and len(words) > 1
            and (words[1] in TIME_WORDS or words[1].isdigit())
        ):
            end = k + 2
            while end < len(tokens) and (
                tokens[end].text.isdigit() or fold(tokens[end].text) in TIME_WORDS
            ):
                end += 1
            return end
        if words[:1] in (["in"], ["during"]) and words[1:3] in (
            ["a", "statement"],
            ["an", "interview"],
            ["a", "speech"],
            ["a", "statement"],
        ):
            return k + 3
        if words[:1] in (["yesterday"], ["today"], ["afterwards"], ["later"]):
            return k + 1
        return None

    def skip_told_object(self, tokens, k):
        for i in range(k, min(len(tokens), k + 12)):
            if tokens[i].kind == "quote" or tokens[i].text in {",", ";", "."}:
                break
            if fold(tokens[i].text) == "that":
                return i
        words = [fold(t.text) for t in tokens[k : k + 3]]
        for size in (3, 2, 1):
            if " ".join(words[:size]) in TOLD_OBJECTS:
                return k + size
        if words[:1] == ["the"] and k + 1 < len(tokens) and tokens[k + 1].is_capitalised:
            end = k + 1
            while end < len(tokens) and tokens[end].is_capitalised:
                end += 1
            return end
        return None

    def clause_end(self, tokens, start):
        """Where the reported clause that starts at ``start`` ends (a token index)."""
        for i in range(start, len(tokens)):
            token = tokens[i]
            if token.kind == "quote" or token.text in {";", ":"}:
                return i
            if i > start and self.new_clause(tokens, i):
                return i
            if token.text == "," and i + 1 < len(tokens):
                nxt = fold(tokens[i + 1].text)
                following = [fold(t.text) for t in tokens[i + 1 : i + 3]]
                if (
                    nxt in PARTICIPLES
                    or following == ["according", "to"]
                    or following[:2] == ["pointing", "out"]
                ):
                    return i
                if self.attribution_follows(tokens, i + 1):
                    return i
        return len(tokens)

    def new_clause(self, tokens, i):
        """Whether another reported clause, with its own subject, starts at token i: "...,
        while Teplitz said ...", "...; Vance said ...", "... and Renk said ...", "..., and he
        does not mean it"."""
        word = fold(tokens[i].text)
        k = i
        if tokens[i].text == ",":
            k += 1
        if k < len(tokens) and fold(tokens[k].text) in {"while", "whereas", "and", "but"}:
            k += 1
        if k == i:
            return False
        if (
            word == ","
            and k == i + 2
            and k < len(tokens)
            and fold(tokens[i + 1].text) == "and"
            and fold(tokens[k].text) in {"he", "she", "they", "it"}
        ):
            return True
        if word not in {",", "while", "whereas", "and"}:
            return False
        j = k
        while j < len(tokens) and np_word(tokens[j]):
            j += 1
        while j < len(tokens) and fold(tokens[j].text) in AUXILIARIES:
            j += 1
        if j == k or j >= len(tokens) or self.cue_at(tokens, j)[0] not in ("say", "describe"):
            return False
        mention = parse_mention(tokens[k:j], self.source)
        return bool(mention and mention.kind in ("name", "title"))

    def attribution_follows(self, tokens, k):
        """Whether '..., she said.' ends the sentence from token k."""
        j = k
        while j < len(tokens) and np_word(tokens[j]):
            j += 1
        while j < len(tokens) and fold(tokens[j].text) in AUXILIARIES:
            j += 1
        return (
            j > k
            and j < len(tokens)
            and fold(tokens[j].text) in SAY_VERBS
            and self.ends_sentence(tokens, j + 1)
        )

    def ends_sentence(self, tokens, k):
        """Whether only punctuation and a short adverbial ('on Friday') remain from token k."""
        rest = [t for t in tokens[k:] if t.kind != "punct"]
        return len(rest) <= 4 and not any(t.kind == "quote" or fold(t.text) == "that" for t in rest)

    def add_clauses(self, tokens, event, start, end):
        """Add one paraphrase per clause, splitting '... and that ...'."""
        covered, clause_start = [], start
        for i in range(start, end + 1):
            at_split = (
                i < end - 1
                and fold(tokens[i].text) == "and"
                and fold(tokens[i + 1].text) == "that"
                and i > start
                and tokens[i - 1].text != ","
            )
            if at_split or i == end:
                self.add_span(tokens, event, clause_start, i, "paraphrase")
                covered.append((clause_start, i))
                clause_start = i + 2
        return covered

    def according_complement(self, tokens, event):
        k = event.cue_start
        if k > 0 and tokens[k - 1].text == ",":
            self.add_span(tokens, event, 0, k - 1, "paraphrase")
            return [(0, k - 1)]
        start = event.cue_end + 1 if event.cue_end < len(tokens) else len(tokens)
        apposition = start
        while apposition < len(tokens) and np_word(tokens[apposition]):
            apposition += 1
        if (
            apposition < len(tokens)
            and tokens[apposition].text == ","
            and apposition - start <= 8
            and any(fold(t.text) in PERSON_NOUNS for t in tokens[start:apposition])
        ):
            start = (
                apposition + 1
            )  # "According to Dara Quell, the council's secretary-general, ..."
        if start < len(tokens) and tokens[start].kind == "quote":
            return []
        return self.add_clauses(tokens, event, start, self.clause_end(tokens, start))

    def inverted_paraphrase(self, tokens, event):
        """'The talks will resume, Vondel said.': the clause before the attribution."""
        end = event.np_start - 1
        if tokens[0].kind == "quote" or any(t.kind == "quote" for t in tokens[:end]):
            return []
        self.add_span(tokens, event, 0, end, "paraphrase")
        return [(0, end)]

    def add_span(self, tokens, event, start, end, kind):
        while end > start and tokens[end - 1].kind == "punct" and tokens[end - 1].text in TRAILING:
            end -= 1
        words = [t for t in tokens[start:end] if t.kind == "word"]
        if len(words) < 3:
            return
        self.add(
            event.person,
            kind,
            tokens[start].start,
            tokens[end - 1].end,
            event.cue,
            event.attribution,
        )

    # -- direct quotes ----------------------------------------------------------------------

    def attribute_quotes(self, tokens, events, continuing):
        for index, token in enumerate(tokens):
            if token.kind != "quote":
                continue
            event = self.quote_event(tokens, index, events)
            quote = token.quote
            if event is not None:
                person, cue, attribution = event.person, event.cue, event.attribution
                if self.pending:
                    self.settle_pending(person, cue)
            elif index == 0 and continuing:
                person, cue = continuing
                attribution = ""
            elif index == 0 or (index > 0 and tokens[index - 1].text in {":", "—", "–"}):
                if quote.runs_on:
                    self.pending.append(quote)
                    continue
                if events:
                    person, cue, attribution = (
                        events[-1].person,
                        events[-1].cue,
                        events[-1].attribution,
                    )
                elif self.people.antecedents and all(
                    t.kind == "punct" for t in tokens[index + 1 :]
                ):
                    # A quote standing alone after its speaker's words. One followed by words
                    # we cannot read ("..., one protester shouted") is nobody's we can tell.
                    person, cue, attribution = self.people.antecedents[-1], "", ""
                else:
                    continue
            else:
                continue
            self.add_quote(person, quote, cue, attribution)
            if quote.runs_on:
                self.run_on = (person, cue)

    def quote_event(self, tokens, index, events):
        """The event that attributes the quote at ``index``: right after or right before it."""
        after = index + 1
        if after < len(tokens) and tokens[after].text in {",", "—", "–"}:
            after += 1
        for event in events:
            if event.np_start == after or (event.inverted and event.cue_start == after):
                return event
        for event in reversed(events):
            if event.cue_end <= index and index - event.cue_end <= 12:
                between = tokens[event.cue_end : index]
                if any(t.kind == "quote" for t in between) or any(
                    fold(t.text) == "that" for t in between
                ):
                    continue
                if not between or between[-1].text in {",", ":", "—", "–"} or len(between) <= 2:
                    return event
        return None

    def add_quote(self, person, quote, cue, attribution):
        start, end = quote.inner_start, quote.inner_end
        while start < end and self.source[start].isspace():
            start += 1
        while end > start and (self.source[end - 1].isspace() or self.source[end - 1] in ",;:—–"):
            end -= 1
        if end > start:
            self.add(person, "direct", start, end, cue, attribution)

    def settle_pending(self, person, cue):
        if person is not None:
            for quote in self.pending:
                self.add_quote(person, quote, cue, "")
        self.pending = []

    # -- results ----------------------------------------------------------------------------

    def span_text(self, tokens, start, end):
        return self.source[tokens[start].start : tokens[end - 1].end]

    def add(self, person, kind, start, end, cue, attribution):
        self.found.append((person, kind, start, end, cue, attribution))

    def finish(self):
        self.settle_pending(self.people.antecedents[-1] if self.people.antecedents else None, "")
        result, seen = [], set()
        for person, kind, start, end, cue, attribution in sorted(
            self.found, key=lambda f: (f[2], f[3])
        ):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            result.append(
                Suggestion(
                    speaker=person.display_name,
                    official=person.official.slug if person.official else None,
                    text=self.source[start:end],
                    kind=kind,
                    start=start,
                    end=end,
                    cue=cue,
                    attribution=attribution,
                    speaker_unclear=person.unclear,
                )
            )
        return result


def strip_s(word):
    """A word without its possessive ending."""
    return re.sub(r"['’]s?$", "", word)


PLURAL_NOUNS = {"women", "men", "ministers", "leaders", "officials", "presidents", "envoys"}
COMPANIONS = {
    "and", "his", "her", "their", "the", "of", "neighbour", "neighbor", "counterpart",
    "colleague", "deputy", "wife", "husband", "friend", "brother", "sister",
}  # fmt: skip


def plural_subject(tokens):
    """Whether a sentence's subject is several people: "Okarro and Vanne met", "Eid and his
    neighbour, Viktor Hallam, were", "On Monday the two women spoke", "Both remember"."""
    words = [fold(t.text) for t in tokens[:10] if t.kind == "word"]
    if words[:1] == ["both"]:
        return True
    for i in range(len(words) - 2):
        if words[i : i + 2] in (["the", "two"], ["both", words[i + 1]]) and (
            words[i + 2] in PLURAL_NOUNS or words[i + 1] in PLURAL_NOUNS
        ):
            return True
    before = after = False
    seen_and = False
    for token in tokens:
        if token.kind == "quote":
            return False
        if token.kind == "punct":
            if token.text == ",":
                continue
            return False
        lower = fold(token.text)
        if lower == "and":
            if seen_and or not before:
                return False
            seen_and = True
        elif token.is_capitalised and lower not in NOT_NAMES:
            if seen_and:
                after = True
            else:
                before = True
        elif lower not in COMPANIONS | TITLE_WORDS:
            return seen_and and before and after
    return False
