"""A synthetic noisy-name test set: people, and their names as news and MT garble them.

Names are generated, not taken from any corpus: syllable grammars in the style of
several naming traditions (East Slavic, Arabic, Western European, Turkish, Chinese)
make given names and surnames.  Each person's name is then rewritten as it reaches
English news:

* transliteration variants: -sky/-skiy/-skyy/-ski/-skij, kh/h/ch, v/w, zh/j/sch,
  ts/tz/c, sh/sch/ch, ch/tch/tsch, ye/e/je, yu/iu/ju, ya/ia/ja, i/y, ey/ei, -ov/-off/-ow,
  Mohammed/Muhammad (o/u, doubled consonants), al-/el-, ou/u, q/k;
* machine-translation noise: a letter dropped or doubled, first and last name fused
  into one token ("Vladimirputin", "VladimirPutin"), a given name split in two,
  diacritics added or removed, the given name reduced to an initial, a middle name
  left out;  (a surname alone is not a variant here: which person it names depends on
  context, tested in tests/test_entities.py)

and distinct people are made hard to tell apart on purpose: relatives who share a
surname, namesakes who share a given name, surnames one suffix apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_STYLES: dict[str, dict[str, list[str]]] = {
    "slavic": {
        "on": ["v", "vl", "d", "dm", "s", "b", "g", "k", "kh", "m", "n", "p", "r", "t", "z", "zh", "sv", "yu", "ya",
               "ol", "an", "al", "ig", "ev", "st", "ts", "ch", "sh", "l", "y", "br", "gr", "kr", "pr", "tr"],
        "nu": ["a", "o", "e", "i", "y", "u", "ia", "ei"],
        "given_end": ["mir", "slav", "dim", "ksandr", "tr", "gor", "riy", "lii", "ily", "an", "or", "ey", "ei", "ena",
                      "ina", "ana", "ya", "ka", "id"],
        "sur_end": ["ov", "ev", "in", "enko", "chuk", "sky", "ovich", "yan", "ak", "uk", "ko", "ova", "ina", "ich",
                    "nikov", "shin", "tsev"],
    },
    "arabic": {
        "on": ["m", "h", "kh", "s", "sh", "r", "j", "n", "q", "t", "z", "b", "f", "d", "gh", "y", "w", "'a", "l"],
        "nu": ["a", "u", "i", "ou", "ee", "o", "ah"],
        "given_end": ["med", "mad", "san", "sin", "lid", "mir", "dir", "ssan", "ad", "sef", "ra", "ma", "nab", "mal",
                      "im", "r"],
        "sur_end": ["ani", "awi", "iri", "ush", "adi", "ahim", "afi", "oun", "abi", "ari", "iz", "id"],
    },
    "western": {
        "on": ["j", "m", "r", "w", "th", "ch", "br", "st", "cl", "h", "g", "l", "fr", "ph", "d", "n", "k", "s", "b",
               "c", "tr", "gl", "sm", "bl"],
        "nu": ["a", "e", "i", "o", "u", "ea", "ou", "ai", "ie", "ay"],
        "given_end": ["ton", "nard", "ric", "bert", "rick", "liam", "ald", "el", "ine", "elle", "ette", "ard", "vin",
                      "ley", "son", "as", "o", "ia"],
        "sur_end": ["son", "ton", "ley", "man", "er", "well", "ford", "wood", "ing", "berg", "mann", "ard", "ez",
                    "ini", "eau", "ier", "ström", "sen", "ller"],
    },
    "turkish": {
        "on": ["k", "m", "s", "t", "y", "ö", "ç", "ş", "ğ", "d", "b", "r", "e", "a", "h", "n", "g", "c"],
        "nu": ["a", "e", "ı", "i", "o", "ö", "u", "ü"],
        "given_end": ["met", "han", "can", "dır", "kan", "sin", "ay", "ün", "ur", "em"],
        "sur_end": ["oğlu", "doğan", "ak", "er", "ş", "lu", "kaya", "taş", "soy", "türk", "gül"],
    },
    "chinese": {
        "on": ["zh", "x", "q", "l", "w", "y", "h", "ch", "sh", "j", "z", "c", "m", "d", "t", "g", "k", "b", "p", "f"],
        "nu": ["ang", "ing", "ong", "ao", "ei", "ian", "uan", "in", "un", "ai", "ou", "e", "i", "u", "a", "ie"],
        "given_end": [""],
        "sur_end": [""],
    },
}


@dataclass
class Person:
    id: int
    given: list[str]
    surname: str
    style: str
    variants: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join([*self.given, self.surname])


def _syllables(rng: random.Random, style: str, n: int) -> str:
    st = _STYLES[style]
    return "".join(rng.choice(st["on"]) + rng.choice(st["nu"]) for _ in range(n))


def _word(rng: random.Random, style: str, kind: str) -> str:
    st = _STYLES[style]
    if style == "chinese":
        w = _syllables(rng, style, 1 if kind == "sur" else rng.choice([1, 2]))
    else:
        w = _syllables(rng, style, rng.choice([1, 2])) + rng.choice(st[f"{kind}_end"])
    w = w.replace("'", "")
    return w[:1].upper() + w[1:]


def _key(name: str) -> str:
    from storyline.names import fold, translit_key

    return " ".join(translit_key(t) for t in fold(name).split())


def _distinct(a: str, b: str, limit: float) -> bool:
    """Apart in spelling and in transliteration key (Jing/Ying are variants of one)."""
    from rapidfuzz.distance import Levenshtein

    from storyline.names import fold

    return max(Levenshtein.normalized_similarity(fold(a), fold(b)),
               Levenshtein.normalized_similarity(_key(a), _key(b))) < limit


def generate_people(n: int, seed: int = 13) -> list[Person]:
    """``n`` distinct people, with relatives and namesakes among them.

    Distinct means a reader could tell them apart: a relative's given name (a
    namesake's surname) is not within the noise of the other's (normalised edit
    similarity < 0.7), and unrelated people's full names differ by more than the
    corruptions make (similarity < 0.8 to everyone generated so far with the same
    surname key initial), both compared on spelling and on transliteration keys.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein


    rng = random.Random(seed)
    by_initial: dict[str, list[str]] = {}
    styles = list(_STYLES)
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < n:
        style = rng.choice(styles)
        r = rng.random()
        if people and r < 0.15:  # a relative: same surname, another given name
            base = rng.choice(people)
            style, surname = base.style, base.surname
            given = [_word(rng, style, "given")]
            if not _distinct(given[0], base.given[0], 0.7):
                continue
        elif people and r < 0.25:  # a namesake: same given name, another surname
            base = rng.choice(people)
            style, given = base.style, list(base.given)
            surname = _word(rng, style, "sur")
            if not _distinct(surname, base.surname, 0.7):
                continue
        else:
            surname = _word(rng, style, "sur")
            given = [_word(rng, style, "given")]
            if style in {"western", "arabic"} and rng.random() < 0.2:
                given.append(_word(rng, style, "given"))
        p = Person(len(people), given, surname, style)
        if p.name.lower() in seen or len(surname) < 3:
            continue
        folded = _key(p.name)
        pool = by_initial.setdefault(folded[:1], [])
        near = process.extractOne(folded, pool, scorer=Levenshtein.normalized_similarity, score_cutoff=0.8)
        if near is not None and r >= 0.25:
            continue
        seen.add(p.name.lower())
        pool.append(folded)
        people.append(p)
    return people


# Transliteration rewrites (pattern -> alternatives), applied to one token.
_TRANSLIT: list[tuple[str, list[str]]] = [
    ("sky", ["skiy", "skyy", "ski", "skij", "skyi"]),
    ("ov", ["off", "ow"]),
    ("ev", ["eff", "ew", "yev"]),
    ("kh", ["h", "ch"]),
    ("zh", ["j", "sch"]),
    ("ts", ["tz", "c"]),
    ("sh", ["sch", "ch"]),
    ("ch", ["tch", "tsch"]),
    ("yu", ["iu", "ju"]),
    ("ya", ["ia", "ja"]),
    ("ye", ["e", "je"]),
    ("ey", ["ei"]),
    ("ei", ["ey"]),
    ("iy", ["ii", "y"]),
    ("y", ["i"]),
    ("i", ["y"]),
    ("v", ["w"]),
    ("ou", ["u"]),
    ("u", ["ou", "o"]),
    ("o", ["u"]),
    ("ee", ["i"]),
    ("q", ["k"]),
    ("x", ["ks"]),
    ("k", ["ck"]),
]
_DIACRITIC = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "c": "č", "s": "š", "z": "ž", "n": "ñ", "g": "ğ"}
_UNDIACRITIC = {"ö": "o", "ü": "u", "ş": "s", "ç": "c", "ğ": "g", "ı": "i", "é": "e", "ä": "a", "å": "a"}


def _translit(rng: random.Random, tok: str) -> str | None:
    low = tok.lower()
    options = [(p, alts) for p, alts in _TRANSLIT if p in low[1:] or (p in low and len(p) > 1)]
    if not options:
        return None
    p, alts = rng.choice(options)
    at = low.find(p, 1) if p in low[1:] else low.find(p)
    new = low[:at] + rng.choice(alts) + low[at + len(p) :]
    return new[:1].upper() + new[1:]


def _drop(rng: random.Random, tok: str) -> str | None:
    if len(tok) < 5:
        return None
    i = rng.randrange(1, len(tok) - 1)
    return tok[:i] + tok[i + 1 :]


def _double(rng: random.Random, tok: str) -> str | None:
    i = rng.randrange(1, len(tok))
    return tok[:i] + tok[i] + tok[i:]


def _diacritics(rng: random.Random, tok: str) -> str | None:
    if any(c in _UNDIACRITIC for c in tok):
        return "".join(_UNDIACRITIC.get(c, c) for c in tok)
    idx = [i for i, c in enumerate(tok) if c in _DIACRITIC and i > 0]
    if not idx:
        return None
    i = rng.choice(idx)
    return tok[:i] + _DIACRITIC[tok[i]] + tok[i + 1 :]


def corrupt(rng: random.Random, p: Person) -> tuple[str, str] | None:
    """One corrupted rendering of a person's name, and the kind of corruption."""
    kind = rng.choice(
        ["translit", "translit", "translit", "drop", "double", "fuse", "split", "diacritics", "initial",
         "translit+drop", "given-omitted-middle"]
    )
    given, sur = list(p.given), p.surname
    if kind == "translit" or kind == "translit+drop":
        which = rng.random()
        if which < 0.6:
            new = _translit(rng, sur)
            if not new:
                return None
            sur = new
        else:
            new = _translit(rng, given[0])
            if not new:
                return None
            given[0] = new
        if kind == "translit+drop":  # a second, independent error on the other token
            if which < 0.6:
                new = _drop(rng, given[0])
                if not new:
                    return None
                given[0] = new
            else:
                new = _drop(rng, sur)
                if not new:
                    return None
                sur = new
    elif kind in {"drop", "double", "diacritics"}:
        fn = {"drop": _drop, "double": _double, "diacritics": _diacritics}[kind]
        if rng.random() < 0.6:
            new = fn(rng, sur)
            if not new:
                return None
            sur = new
        else:
            new = fn(rng, given[0])
            if not new:
                return None
            given[0] = new
    elif kind == "fuse":
        joined = given[-1] + (sur if rng.random() < 0.5 else sur.lower())
        return " ".join([*given[:-1], joined]), kind
    elif kind == "split":
        g = given[0]
        if len(g) < 6:
            return None
        i = rng.randrange(3, len(g) - 2)
        given[0] = g[:i] + " " + (g[i:] if rng.random() < 0.5 else g[i:].capitalize())
    elif kind == "initial":
        given = [given[0][0] + "."] + given[1:]
    elif kind == "given-omitted-middle":
        if len(given) < 2:
            return None
        given = given[:1]
    name = " ".join([*given, sur])
    if name == p.name:
        return None
    return name, kind


def build_noisy_set(n_people: int = 1000, variants: int = 3, seed: int = 13) -> list[Person]:
    """People with ``variants`` corrupted renderings each."""
    rng = random.Random(seed + 1)
    people = generate_people(n_people, seed)
    for p in people:
        tries = 0
        while len(p.variants) < variants and tries < 50:
            tries += 1
            out = corrupt(rng, p)
            if out and out[0] not in p.variants:
                p.variants.append(out[0])
                p.kinds.append(out[1])
    return people
