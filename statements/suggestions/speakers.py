"""Who is speaking: the archive's officials, the people an article names, and the noun
phrases (names, titles, pronouns) that name them."""

import re
import unicodedata
from dataclasses import dataclass, field

# -- words ------------------------------------------------------------------------------------

DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "your", "this"}
HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "sir": "m", "dr": None}
PRONOUNS = {"he": "m", "she": "f"}
# Ranks and academic or clerical titles before a name: "Lieutenant Yorick Pell" is Yorick Pell.
RANKS = {
    "lieutenant", "colonel", "major", "captain", "commodore", "brigadier", "sergeant",
    "corporal", "marshal", "lt", "col", "maj", "capt", "sgt", "gen", "cdr", "doctor",
    "professor", "prof", "judge", "reverend", "rev", "archbishop", "bishop", "rabbi", "imam",
}  # fmt: skip
# Words of a title. A title names a person when it holds one of PERSON_NOUNS.
PERSON_NOUNS = RANKS | {
    "minister", "secretary", "spokesperson", "spokesman", "spokeswoman", "president",
    "ambassador", "envoy", "representative", "senator", "governor", "mayor", "chancellor",
    "premier", "king", "queen", "prince", "emir", "sheikh", "chairman", "chairwoman", "chair",
    "director", "chief", "head", "leader", "commissioner", "commander", "admiral", "official",
    "diplomat", "negotiator", "adviser", "advisor", "aide", "counterpart", "delegate", "consul",
    "lawmaker", "congressman", "congresswoman", "deputy", "secretary-general", "attaché",
}  # fmt: skip
TITLE_WORDS = PERSON_NOUNS | {
    "foreign", "prime", "state", "general", "vice", "special", "permanent", "senior", "top",
    "former", "acting", "outgoing", "incoming", "new", "lead", "national", "security",
    "defence", "defense", "interior", "finance", "trade", "economy", "justice", "health",
    "energy", "fisheries", "agriculture", "external", "affairs", "press", "presidential",
    "of", "for", "and", "first", "high", "under", "assistant", "executive",
}  # fmt: skip
STOP_IN_TITLES = {"of", "for", "and", "the", "affairs", "a", "an"}
SYNONYMS = {
    "external": "foreign",
    "defense": "defence",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "advisor": "adviser",
    "chairman": "chair",
    "chairwoman": "chair",
}
# Heads of noun phrases that name an institution, a document or a crowd, not a person.
NOT_PERSONS = {
    "ministry", "government", "department", "council", "office", "agency", "commission",
    "committee", "union", "nations", "organization", "organisation", "bank", "fund", "court",
    "parliament", "assembly", "congress", "senate", "kremlin", "palace", "embassy", "mission",
    "service", "news", "times", "post", "herald", "wire", "authority", "party", "army",
    "forces", "command", "group", "republic", "kingdom", "states", "federation", "coalition",
    "alliance", "secretariat", "cabinet", "presidency", "board", "institute", "university",
    "statement", "report", "agreement", "communique", "document", "house", "television",
    "radio", "newspaper", "company", "administration", "officials", "diplomats", "sources",
    "ministers", "leaders", "experts", "analysts", "people", "residents", "governments",
    "spokesmen", "delegations", "delegation", "sides", "countries", "team", "navy", "police",
    "tribunal", "broadcaster", "negotiators", "farmers", "fishermen", "protesters", "critics",
    "observers", "insiders", "campaigners", "villagers", "voters", "members", "lawmakers",
    "spokespeople", "envoys", "workers", "families",
}  # fmt: skip
# Capitalised words that start sentences or name days, never part of a person's name.
NOT_NAMES = {
    "on", "in", "at", "after", "before", "during", "but", "and", "yet", "so", "then", "later",
    "earlier", "however", "meanwhile", "asked", "speaking", "also", "the", "a", "an", "this",
    "that", "it", "we", "i", "they", "there", "he", "she", "his", "her", "their", "our",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "when", "while", "if", "as", "according", "with", "for", "by",
    "from", "to", "of", "what", "why", "how", "who", "where", "thank", "thanks", "yes", "no",
    "good", "q", "question", "answer", "reporter", "moderator",
}  # fmt: skip
PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "abu",
    "de",
    "del",
    "da",
    "di",
    "du",
    "van",
    "von",
    "der",
    "le",
    "la",
}
DEMONYMS = {
    "us": "united states", "u.s.": "united states", "american": "united states",
    "america": "united states", "uk": "united kingdom", "british": "united kingdom",
    "russian": "russia", "french": "france", "german": "germany", "chinese": "china",
    "dutch": "netherlands", "swiss": "switzerland", "greek": "greece", "turkish": "turkey",
    "spanish": "spain", "polish": "poland", "swedish": "sweden", "danish": "denmark",
    "finnish": "finland", "irish": "ireland", "syrian": "syria", "iranian": "iran",
    "iraqi": "iraq", "israeli": "israel", "ukrainian": "ukraine", "un": "united nations",
    "eu": "european union",
}  # fmt: skip


def fold(word):
    """A word as compared: case and accents folded, curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def strip_possessive(word):
    folded = fold(word)
    if folded.endswith("'s"):
        return word[:-2], True
    if folded.endswith("'") and len(folded) > 1:
        return word[:-1], True
    return word, False


def title_keywords(words):
    """The words that identify a title: 'Minister of External Affairs' -> {minister, foreign}."""
    keys = set()
    for word in words:
        for part in fold(word).replace("-", " ").split():
            part = SYNONYMS.get(part, part)
            if part not in STOP_IN_TITLES:
                keys.add(part)
    return frozenset(keys)


def place_matches(word, places):
    """Whether a country word of a title ('Russian', 'Velorian', 'US') fits these places."""
    folded = fold(strip_possessive(word)[0])
    wanted = {folded}
    if folded in DEMONYMS:
        wanted.add(DEMONYMS[folded])
    stems = [
        folded[: -len(end)] for end in ("ian", "an", "ese", "ish", "i", "n") if folded.endswith(end)
    ]
    for place in places:
        if any(w in place for w in wanted):
            return True
        for stem in stems:
            if len(stem) >= 4 and any(part.startswith(stem) for part in place.split()):
                return True
    return False


# -- the archive's officials ------------------------------------------------------------------


@dataclass(frozen=True)
class KnownOfficial:
    slug: str
    name: str
    names: tuple  # every name and spelling
    titles: tuple  # keyword sets, one per role
    places: tuple  # folded country and organisation names


class SpeakerDirectory:
    """The officials an article can be matched against, indexed by name, surname and title."""

    def __init__(self, officials):
        self.officials = list(officials)
        self._full, self._first_last, self._surname = {}, {}, {}
        for official in self.officials:
            for name in official.names:
                words = tuple(fold(w) for w in name.split())
                if not words:
                    continue
                self._full.setdefault(words, set()).add(official)
                if len(words) >= 2:
                    self._first_last.setdefault((words[0], words[-1]), set()).add(official)
                for surname in _surname_keys(words[-1]):
                    self._surname.setdefault(surname, set()).add(official)

    @classmethod
    def from_database(cls):
        # Imported here: the rest of suggestions/ is plain Python that runs without Django.
        from statements.models import Official

        officials = Official.objects.prefetch_related("roles__organization").order_by("pk")
        return cls(_known(official) for official in officials)

    def by_name(self, words):
        """The one official with exactly this name (or first and last name), else None."""
        key = tuple(fold(w) for w in words)
        found = self._full.get(key) or (
            self._first_last.get((key[0], key[-1])) if len(key) >= 2 else None
        )
        return next(iter(found)) if found and len(found) == 1 else None

    def by_surname(self, word):
        return sorted(self._surname.get(fold(word), ()), key=lambda o: o.slug)

    def by_title(self, keywords, place_words):
        return [
            official
            for official in self.officials
            if any(keywords <= title for title in official.titles)
            and all(place_matches(word, official.places) for word in place_words)
        ]


def _surname_keys(word):
    keys = {word}
    for particle in PARTICLES:
        if word.startswith(particle + "-"):
            keys.add(word[len(particle) + 1 :])
    return keys


def _known(official):
    places = set()
    if official.country:
        places.update({fold(official.country.name), fold(official.country.code)})
        if official.country.code == "US":
            places.update({"united states", "america"})
    titles = []
    for role in official.roles.all():
        titles.append(title_keywords(role.title.split()))
        places.add(fold(role.organization.name))
        if role.organization.country:
            places.add(fold(role.organization.country.name))
    return KnownOfficial(
        slug=official.slug,
        name=official.name,
        names=tuple(official.all_names),
        titles=tuple(titles),
        places=tuple(sorted(places)),
    )


# -- noun phrases -----------------------------------------------------------------------------


@dataclass
class Mention:
    """A noun phrase that may name a speaker."""

    kind: str  # "name", "title" or "pronoun"
    start: int
    end: int
    text: str
    name: tuple = ()  # the name's words as printed
    title: frozenset = frozenset()  # title keywords
    places: tuple = ()  # country words: 'US', 'Velorian', 'Ostravia'
    indefinite: bool = False
    gender: str | None = None


def np_word(token):
    """Whether a token can be part of a noun phrase that names a person."""
    if token.kind != "word":
        return False
    lower = fold(token.text)
    if lower in PRONOUNS:
        return True
    if token.is_capitalised:
        return lower not in NOT_NAMES or lower in DETERMINERS
    base, possessive = strip_possessive(token.text)
    return (
        lower in TITLE_WORDS
        or lower in DETERMINERS
        or lower in PARTICLES
        or (possessive and bool(base))
    )


def parse_mention(tokens, source, *, caps=False):
    """Read a noun phrase (a list of tokens) as a name, a title or a pronoun, or None."""
    tokens = [t for t in tokens if t.kind == "word"]
    if not tokens:
        return None
    start, end = tokens[0].start, tokens[-1].end
    text = source[start:end]
    if len(tokens) == 1 and fold(tokens[0].text) in PRONOUNS:
        return Mention("pronoun", start, end, text, gender=PRONOUNS[fold(tokens[0].text)])
    if not all(np_word(t) or (caps and t.text.isupper()) for t in tokens):
        return None
    if strip_possessive(tokens[-1].text)[1]:
        return None  # "Vondel's" modifies what follows
    places = []
    # "President Anton Brisk of Ostravia", "the prime minister of Marenland"
    for i in range(len(tokens) - 2, 0, -1):
        if fold(tokens[i].text) == "of":
            after = tokens[i + 1 :]
            if all(
                t.is_capitalised and fold(t.text) not in TITLE_WORDS | NOT_PERSONS for t in after
            ):
                places.extend(t.text for t in after)
                tokens = tokens[:i]
            break
    run = []
    for token in reversed(tokens):
        lower = fold(token.text)
        acronym = not caps and (
            ("." in token.text) or (token.text.isupper() and len(token.text) <= 3)
        )
        particle = lower in PARTICLES and run
        if (
            (token.is_capitalised or particle)
            and not acronym
            and not strip_possessive(token.text)[1]
            and (lower not in TITLE_WORDS | NOT_NAMES | set(HONORIFICS) | DETERMINERS)
        ):
            run.append(token)
        else:
            break
    run.reverse()
    words = [fold(t.text) for t in tokens]
    if any(w in NOT_PERSONS for w in words):
        return None
    head = tokens[: len(tokens) - len(run)]
    gender = next((HONORIFICS[fold(t.text)] for t in head if fold(t.text) in HONORIFICS), None)
    title_words = [t.text for t in head if fold(t.text) in TITLE_WORDS]
    places.extend(
        strip_possessive(t.text)[0]
        for t in head
        if t.is_capitalised
        and fold(t.text) not in TITLE_WORDS | DETERMINERS | set(HONORIFICS)
        and fold(strip_possessive(t.text)[0]) not in TITLE_WORDS
    )
    indefinite = fold(tokens[0].text) in {"a", "an"}
    if run:
        return Mention(
            "name", start, end, text,
            name=tuple(t.text for t in run),
            title=title_keywords(title_words),
            places=tuple(places),
            indefinite=indefinite,
            gender=gender,
        )  # fmt: skip
    if (
        not any(fold(t.text) in PERSON_NOUNS for t in head)
        or fold(tokens[-1].text) not in TITLE_WORDS
    ):
        return None
    return Mention(
        "title", start, end, text,
        title=title_keywords(title_words),
        places=tuple(places),
        indefinite=indefinite,
        gender=gender,
    )  # fmt: skip


# -- the people an article names --------------------------------------------------------------


@dataclass(eq=False)
class Person:
    official: KnownOfficial | None = None
    names: list = field(default_factory=list)  # name forms as printed
    titles: set = field(default_factory=set)  # keyword sets seen in the article
    description: str = ""  # how an unnamed speaker was described ("a ministry spokeswoman")
    gender: str | None = None
    weight: int = 0  # mentions and attributions, for 'A:' in interviews
    unclear: bool = False  # one of several people, and the article does not say which

    @classmethod
    def unclear_speaker(cls):
        return cls(unclear=True)

    def add_name(self, words):
        form = " ".join(w.title() if w.isupper() and len(w) > 3 else w for w in words)
        if form not in self.names:
            self.names.append(form)

    @property
    def display_name(self):
        """The fullest name the article gives, else the archive's, else the description;
        None when the speaker is unclear."""
        if self.unclear:
            return None
        if self.names:
            return max(self.names, key=lambda n: (len(n.split()), len(n)))
        if self.official:
            return self.official.name
        return self.description

    def answers_to(self, words):
        key = [fold(w) for w in words]
        for name in [*self.names, *(self.official.names if self.official else ())]:
            have = [fold(w) for w in name.split()]
            if have == key or (len(key) == 1 and have[-1:] == key):
                return True
            if len(key) == 1 and any(k in _surname_keys(have[-1]) for k in key):
                return True
            if len(key) >= 2 and len(have) >= 2 and (have[0], have[-1]) == (key[0], key[-1]):
                return True
        return False

    def named_in(self, words):
        """Whether one of these folded words is this person's surname."""
        names = [*self.names, *(self.official.names if self.official else ())]
        return any(fold(name.split()[-1]) in words for name in names if name.split())

    def holds(self, keywords):
        titles = [*self.titles, *(self.official.titles if self.official else ())]
        return any(keywords <= title for title in titles)


class ArticlePeople:
    """The people named so far in one article, and who a pronoun or a title points back to."""

    def __init__(self, directory, *, full_name=None):
        self.directory = directory
        self.people = []
        self.antecedents = []  # people in subject position, most recent last
        # Set when a sentence's subject is several people ("Okarro and Vanne met", "the two
        # women spoke"): a pronoun after it could be either of them, so it names nobody.
        self.plural_subject = False
        self.sentences_since_subject = 0  # sentences begun since a person was last a subject
        # surname -> the fuller name the article printed earlier ("Eid" -> "Rasmus Eid")
        self.full_name = full_name or (lambda surname: None)

    def _person_for(self, official):
        for person in self.people:
            if person.official is official:
                return person
        person = Person(official=official)
        self.people.append(person)
        return person

    def note_name(self, words):
        """A name seen anywhere: remembered when it is an official's."""
        official = self.directory.by_name(words)
        if official is None:
            return None
        person = self._person_for(official)
        person.add_name(words)
        person.weight += 1
        return person

    def known(self, word):
        """Whom a surname names, without noting anything: a person of the article, or the one
        official with that surname (its slug), else None."""
        person = next((p for p in self.people if p.answers_to([word])), None)
        if person is not None:
            return self.key(person)
        matches = self.directory.by_surname(word)
        return matches[0].slug if len(matches) == 1 else None

    @staticmethod
    def key(person):
        return person.official.slug if person.official else id(person)

    def note_surname(self, word):
        """A surname that only one official has, seen where a name is expected (a title)."""
        matches = self.directory.by_surname(strip_possessive(word)[0])
        if len(matches) == 1:
            self._person_for(matches[0]).weight += 1

    def resolve(self, mention, *, create_unknown=True):
        """The person a mention names, or None when it names nobody we can tell."""
        person = None
        if mention.kind == "pronoun":
            if self.plural_subject:
                return Person.unclear_speaker()
            candidates = [
                c for c in reversed(self.antecedents) if c.gender in (None, mention.gender)
            ]
            person = candidates[0] if candidates else None
            if (
                person is not None
                and person.gender is None
                and self.sentences_since_subject >= 2
                and len(candidates) >= 2
            ):
                # Nobody was the subject of the sentence before, and the pronoun fits more
                # than one person named earlier: we cannot tell which.
                return Person.unclear_speaker()
            if person is not None and person.gender is None:
                person.gender = mention.gender
            return person
        if mention.kind == "name":
            person = self._resolve_name(mention, create_unknown=create_unknown)
        else:
            person = self._resolve_title(mention)
        if person is not None:
            if mention.title:
                person.titles.add(mention.title)
            if mention.gender and person.gender is None:
                person.gender = mention.gender
        return person

    def _resolve_name(self, mention, *, create_unknown):
        words = mention.name
        for person in reversed(self.people):
            if person.answers_to(words):
                person.add_name(words)
                return person
        official = self.directory.by_name(words)
        if official is None and len(words) == 1:
            matches = self.directory.by_surname(words[0])
            official = matches[0] if len(matches) == 1 else None
        if official is None and len(words) == 1 and create_unknown:
            # Someone not in the archive whom the article named in full earlier ("Rasmus Eid
            # walks to the river ... Eid says"): the surname is that person.
            fuller = self.full_name(words[0])
            if fuller:
                for person in reversed(self.people):
                    if person.answers_to(fuller):
                        return person
                words = fuller
        if official is not None:
            person = self._person_for(official)
        elif len(words) >= 2 and create_unknown:
            person = Person()
            self.people.append(person)
        else:
            return None
        person.add_name(words)
        return person

    def _resolve_title(self, mention):
        if not mention.indefinite and mention.title:
            holders = [
                person
                for person in self.people
                if person.holds(mention.title)
                and (
                    not person.official
                    or all(place_matches(w, person.official.places) for w in mention.places)
                )
            ]
            if len(holders) == 1:
                return holders[0]
            if holders:
                # "the minister" with two ministers in the article: the one it is about, if
                # that is also the one it spoke of last; else we cannot tell.
                recent = next((p for p in reversed(self.antecedents) if p in holders), None)
                if recent is not None and recent.weight >= max(p.weight for p in holders):
                    return recent
                return Person.unclear_speaker()
            candidates = self.directory.by_title(mention.title, mention.places)
            if len(candidates) == 1:
                return self._person_for(candidates[0])
        if not mention.indefinite:
            return None  # "the council's President": a title the article never fills
        # Nobody we know: an unnamed speaker, reported under the words the article uses.
        person = Person(description=mention.text)
        person.titles.add(mention.title)
        return person

    def spoke(self, person):
        """A person became the subject of a sentence or a speaker: pronouns now point to them."""
        if person.unclear:
            return
        self.plural_subject = False
        self.sentences_since_subject = 0
        person.weight += 1
        if person in self.antecedents:
            self.antecedents.remove(person)
        self.antecedents.append(person)

    def interviewee(self, *, before_turns=None, interviewers=(), title=""):
        """Who answers in an interview's 'A:' turns: the person the title names and the
        introduction is most about (``before_turns``: weights when the first turn began),
        never an interviewer."""
        title_words = {fold(w) for w in re.findall(r"[\w'’-]+", title)}
        named = [
            p
            for p in self.people
            if (p.names or p.official) and not any(p.answers_to([w]) for w in interviewers)
        ]
        before_turns = before_turns or {}
        return max(
            named,
            key=lambda p: (
                before_turns.get(id(p), 0) + 2 * p.named_in(title_words),
                p.official is not None,
                p.weight,
            ),
            default=None,
        )
