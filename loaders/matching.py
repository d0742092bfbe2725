"""Is this the same organisation? Name and place compared, thresholds measured (README, "Entity resolution").

Pure functions over `Record`s, so that the labelled pairs of tests/data/linking measure exactly what
`ecokg link` decides. Exact keys are not compared here: records that share an enterprise number or a PIC
are one IRI already (ontology/iris.py), and records whose keys differ are never the same (linking.py).
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rapidfuzz import fuzz

LEGAL_FORMS = frozenset("""
    sa nv sprl bvba srl bv sc scrl scrlfs cvba cv asbl vzw aisbl ivzw snc vof scs comm sca eg ei se
    gmbh ag kg ohg ev gbr ug mbh kgaa ltd limited llp plc inc corp corporation co company llc lp
    sarl sas sasu eurl scop spa sapa scarl scpa srls sl slu sll slne scl coop cooperativa ab aps as asa
    oy oyj sro spol zoo sp doo dd ad ood eood zrt kft nyrt bhd pty pvt gie lbg ets onlus epe ae ike oe ee
    epic sccl scarl vsi uab
""".split())
"""Legal forms dropped before names are compared: Belgium's in its three languages, then the EU's common
ones (the labelled pairs are from every EU country)."""

SAME_WORD = {variant: word for word, variants in {
    "university": "universitat universite universidad universita universiteit universitet uniwersytet univerzita "
                  "universidade universitatea universitetas egyetem",
    "institute": "institut instituto istituto instytut instituut institutet",
    "foundation": "fondation fundacion fondazione stiftung stichting fundacao fundacja stiftelsen",
    "association": "asociacion associazione associacao vereniging",
    "centre": "center centro centrum zentrum centar",
    "hospital": "hopital ospedale",
    "research": "recherche ricerca investigacion forschung onderzoek investigacao",
    "national": "nacional nazionale nationale",
    "european": "europeen europeenne europea europeo europaische",
    "technology": "technologie tecnologia technologies tecnologias technologien",
}.items() for variant in [word, *variants.split()]}
"""The generic words of organisation names across the EU's languages, read as one word."""
STOP_WORDS = frozenset("of the for and de la le les des du d l di del della degli da do dos das e y i et "
                       "und der die das fur van voor en het in im am an".split())

ACCEPT = 88.0
"""A score from which a pair is linked with no review: chosen on the train split of the labelled pairs."""
REVIEW = 75.0
"""From here to ACCEPT, a pair goes to the analyst's review file."""


@dataclass(frozen=True)
class Record:
    """One organisation as a source describes it; `key` is its IRI."""

    key: str
    names: tuple[str, ...]
    country: str = ""
    postcode: str = ""
    city: str = ""
    numbers: frozenset[str] = field(default_factory=frozenset)  # KBO/BCE enterprise numbers, digits only
    pics: frozenset[str] = field(default_factory=frozenset)
    vats: frozenset[str] = field(default_factory=frozenset)

    @property
    def normalised(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for name in self.names for n in map(normalise, variants(name)) if n))


@dataclass(frozen=True)
class Verdict:
    score: float
    evidence: str


def fold(text: str) -> str:
    """Accents and case away, punctuation to spaces ('S.A.' to 'sa', not 's a'), German umlauts written
    out folded the same ('universitaet' as 'universität': 'universitat'; but French 'rue', 'technique' stay)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text.replace("&", " and "))
    text = re.sub(r"(?<=[a-z])(?:([ao])e|(u)e(?=[b-df-hj-np-tv-z]))", r"\1\2", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def variants(name: str) -> list[str]:
    """A name, the name without its brackets, and each part of a double name ('X / Y', 'X (Y)') of two
    words or more: one of them is often how the other source writes it. Not 'X - Y': there the second part
    is often a generic one that many share ('... - Panstwowy Instytut Badawczy')."""
    bare = re.sub(r"\([^)]*\)?", " ", name)
    parts = [p for p in re.split(r"/|\(|\)", name) if len(p.split()) >= 2]
    return [name, bare, *parts]


def normalise(name: str) -> str:
    """The name as compared: folded, legal forms dropped (a name that is only a legal form keeps it)."""
    words = fold(name).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def postcode(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


class Words:
    """How telling a word is: rare words ('bicocca') weigh more than common ones ('universita', 'studi').

    Counts start from the words of 30,399 real organisation names (the FP7 list, ontology/name_words.csv)
    and add the names being matched, so that a small store still knows that 'university' says little."""

    def __init__(self, counts: Counter[str], names: int) -> None:
        self.counts, self.names = counts, names

    @classmethod
    @cache
    def bundled(cls) -> Words:
        rows = list(csv.reader(files("ontology").joinpath("name_words.csv").read_text("utf-8").splitlines()))[1:]
        total = next(int(n) for word, n in rows if word == "*")
        return cls(Counter({word: int(n) for word, n in rows if word != "*"}), total)

    def with_names(self, names: Iterable[str]) -> Words:
        counts, n = Counter(self.counts), self.names
        for name in names:
            counts.update(set(normalise(name).split()))
            n += 1
        return Words(counts, n)

    def weight(self, word: str) -> float:
        return math.log((self.names + 1) / (self.counts[word] + 1)) + 0.1


def likeness(x: str, y: str, words: Words, contained: float = 0.0) -> float:
    """0-100: the weighted share of words of each name found in the other, a word matching a near-spelling
    ('universitaet' / 'universitat'). An extra rare word counts against ('... di milano bicocca'), except
    for the share `contained` (0-1) of the difference: at one address, a name that holds the other whole is
    the same organisation more often than not ('deutsches krebsforschungszentrum heidelberg'). A name
    written without its spaces ('internationalgmbh') is caught by comparing the letters alone."""
    def covered(a: list[str], b: list[str]) -> float:
        """Weighted share of a's words found in b, whole, nearly, or written together with a neighbour."""
        joined = {u + v for u, v in itertools.pairwise(b)}
        total = found = 0.0
        for i, w in enumerate(a):
            weight = words.weight(w)
            total += weight
            near = max((1.0 if w == v else fuzz.ratio(w, v) / 100 for v in b), default=0.0)
            glued = w in joined or any(pair in b for pair in (a[i - 1] + w if i else "", w + "".join(a[i + 1:i + 2])))
            found += weight * (1.0 if glued else near if near >= 0.85 else 0.0)
        return found / total if total else 0.0

    a, b = meaningful(x), meaningful(y)
    letters = fuzz.ratio(x.replace(" ", ""), y.replace(" ", ""))
    low, high = sorted((covered(a, b), covered(b, a)))
    return max(100 * (low + contained * (high - low)), letters if letters >= 95 else 0.0)


PLACES = {"postcode": (8.0, 0.4), "municipality": (3.0, 0.0), "different": (-12.0, 0.0), "unknown": (0.0, 0.0)}
"""What an address agreement is worth: points added to the name's likeness, and how much of a name held
whole in the other it forgives (`likeness`). Chosen on the train split."""


def meaningful(name: str) -> list[str]:
    """The words that tell organisations apart: no stop words, no acronym of the name itself ('ACTA
    Association de Coordination Technique Agricole'), generic words in one language. (Not the place either:
    'Universita di Roma Tre' and 'di Roma Tor Vergata' would become alike.)"""
    words = name.split()
    kept = [SAME_WORD.get(w, w) for w in words if w not in STOP_WORDS and not acronym(w, words)]
    return kept or words


def acronym(word: str, words: list[str]) -> bool:
    """Whether `word` is made of the initials of other words of the name, in order."""
    if not 2 <= len(word) <= 6:
        return False
    initials = iter(w[0] for w in words if w != word and w not in STOP_WORDS)
    return all(ch in initials for ch in word)


def place(a: Record, b: Record) -> tuple[str, str]:
    """The same postcode is strong, the same municipality a little (many organisations share a city)."""
    pa, pb = postcode(a.postcode), postcode(b.postcode)
    ca, cb = fold(a.city), fold(b.city)
    if pa and pb and pa == pb:
        return "postcode", f"same postcode {a.postcode}"
    if ca and cb and (ca == cb or fuzz.ratio(ca, cb) >= 90):
        return "municipality", f"same municipality {a.city}"
    if (pa and pb) or (ca and cb):
        return "different", f"different places ({a.postcode} {a.city} / {b.postcode} {b.city})"
    return "unknown", "place unknown on one side"


def names(a: Record, b: Record, words: Words, contained: float) -> tuple[float, str, str]:
    """The best likeness of any name of one to any name of the other, and which names."""
    best = (0.0, "", "")
    for x in a.normalised:
        for y in b.normalised:
            score = likeness(x, y, words, contained)
            if score > best[0]:
                best = (score, x, y)
    return best


def compare(a: Record, b: Record, words: Words | None = None) -> Verdict:
    if a.country and b.country and a.country != b.country:
        return Verdict(0.0, f"different countries ({a.country} / {b.country})")
    agreement, where = place(a, b)
    points, contained = PLACES[agreement]
    likeness_, x, y = names(a, b, words or Words.bundled(), contained)
    said = ("no name alike" if not x else "same name" if x == y else f"names '{x}' ~ '{y}' {likeness_:.0f}%")
    return Verdict(max(0.0, min(100.0, likeness_ + points)), f"{said}; {where}")


def decision(score: float) -> str | None:
    """'link', 'review' or None."""
    if score >= ACCEPT:
        return "link"
    return "review" if score >= REVIEW else None
