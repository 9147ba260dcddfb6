"""The words and names of the synthetic archive: fixed lists plus generated syllables.

Pure Python with no Django import, so that the benchmark can pick its query words from the
same vocabulary. Everything here is deterministic and independent of the corpus seed.
"""

import random
from functools import cache


def _words(text):
    return text.split()


# The most frequent words of spoken English, in rough order of frequency.
FUNCTION_WORDS = _words(
    "the of and to in that we is a will our with for on this are not be it all have as by "
    "its at from has which there must can an they their more should no would been also who "
    "were these those any only between both other such into than over very now so because "
    "was what when us my i you he she them here do one two about after before without"
)

# What readers of a diplomatic archive search for. Spread over the frequent ranks so that
# some match a tenth of all statements and others a few hundredths.
DIPLOMATIC_TERMS = _words(
    "security agreement dialogue cooperation talks peace sanctions negotiations sovereignty "
    "ceasefire treaty nuclear border humanitarian refugees conflict troops withdrawal embargo "
    "summit delegation resolution council alliance diplomacy escalation aggression "
    "independence elections referendum annexation occupation blockade pipeline energy gas "
    "tariffs trade investment climate emissions pandemic vaccines terrorism extremism missile "
    "weapons disarmament inspections verification enrichment uranium corridor reconstruction "
    "mediation envoy ministers government region international law rights accountability "
    "tribunal crisis stability prosperity development maritime navigation fisheries airspace "
    "cyber hostages prisoners guarantees framework roadmap implementation commitments "
    "obligations partnership mandate observers monitoring consultations memorandum protocol "
    "ratification settlement"
)

# Fixed two-word expressions, drawn as one token so that phrase searches find them.
PHRASES = (
    "territorial integrity",
    "peace talks",
    "humanitarian aid",
    "nuclear programme",
    "human rights",
    "international law",
    "security council",
    "ceasefire agreement",
    "economic sanctions",
    "prisoner exchange",
    "confidence building",
    "good faith",
)

# Everyday content words of official speech.
CONTENT_WORDS = _words(
    "important situation position process question issue country countries support believe "
    "continue work need discuss sides common future today years state states people world "
    "national political economic military joint full clear serious necessary possible "
    "responsible constructive concrete practical mutual long term first new next last "
    "meeting visit partners colleagues friends leaders president minister foreign affairs "
    "efforts steps measures decision decisions proposal proposals position interests "
    "concerns approach basis principle principles respect interest relations ties "
    "bilateral multilateral regional global level sphere area areas field progress results "
    "hope expect welcome agree reject call urge insist stress note recall remain ready "
    "prepared open willing able going said told say think know see want make take give "
    "find keep bring hold meet reach build ensure protect prevent resolve restore reduce "
    "strengthen develop promote address consider review assess agreed signed reached held "
    "made taken given allowed achieved discussed welcomed support situation well again "
    "already still just even never always together further especially certainly indeed "
    "unfortunately obviously course fact way part side point view matter terms case "
    "sense order context framework basis agenda priority priorities challenge challenges "
    "threat threats risk risks response answer reply statement statements comments "
    "information report reports media press journalists partners representatives experts "
    "officials authorities forces parties groups organisations institutions community "
    "society citizens population civilians children families lives victims losses damage "
    "infrastructure economy markets prices supplies exports imports budget funds assistance "
    "contribution solution solutions compromise consensus unity solidarity trust confidence"
)

SYLLABLE_ONSETS = _words("b d k l m n r s t v z br dr kr st tr vl zh g h p f sh ch gr pr sk tv")
SYLLABLE_VOWELS = _words("a e i o u a e o ai ei ou ia")
SYLLABLE_CODAS = ["", "", "", "n", "r", "l", "s", "k", "th", "m", "v", "sk"]

TAIL_WORDS = 20_000
ZIPF_EXPONENT = 1.1


def _syllable(rng):
    return rng.choice(SYLLABLE_ONSETS) + rng.choice(SYLLABLE_VOWELS) + rng.choice(SYLLABLE_CODAS)


def invented_word(rng, syllables=(2, 3)):
    """A pronounceable made-up word such as 'vlaithen' (no meaning, no real name)."""
    return "".join(_syllable(rng) for _ in range(rng.randint(*syllables)))


@cache
def vocabulary():
    """(tokens, cumulative weights): tokens in rank order under a Zipf-like curve.

    Function words come first, the diplomatic terms and phrases are interleaved with
    everyday content words in the frequent ranks, and invented words form the long tail
    (the 'rare words' a benchmark searches for).
    """
    rng = random.Random(20_260_101)
    head = list(FUNCTION_WORDS)
    middle = []
    specials = list(DIPLOMATIC_TERMS) + list(PHRASES)
    content = list(CONTENT_WORDS)
    while specials or content:
        if specials:
            middle.append(specials.pop(0))
        for _ in range(3):
            if content:
                middle.append(content.pop(0))
    known = set(head) | set(middle)
    tail = []
    while len(tail) < TAIL_WORDS:
        word = invented_word(rng)
        if word not in known and len(word) >= 5:
            known.add(word)
            tail.append(word)
    tokens = tuple(dict.fromkeys(head + middle + tail))
    cumulative, total = [], 0.0
    for rank in range(1, len(tokens) + 1):
        total += 1.0 / rank**ZIPF_EXPONENT
        cumulative.append(total)
    return tokens, tuple(cumulative)


def rare_words(count=5, *, start_rank=8_000):
    """Invented words from the long tail: each matches a few statements per 100,000."""
    tokens, _ = vocabulary()
    return [tokens[start_rank + 997 * i] for i in range(count)]
