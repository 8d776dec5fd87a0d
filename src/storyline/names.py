"""Name normalisation for entity resolution: one key, however the name is written.

News names reach us through several noisy channels: transliteration from Cyrillic,
Arabic or other scripts (Zelensky / Zelenskyy / Zelenskiy, Kiev / Kyiv), diacritics
(Erdoğan / Erdogan), and machine translation, which drops or doubles letters, fuses a
first and last name into one token ("Vladimirputin") or splits a given name in two
("Vol odymyr").  Everything here is general: rules about scripts and spelling, never
lists of particular people.

The main entry points:

* :func:`fold` -- lower case, diacritics and special letters to ASCII, punctuation out.
* :func:`translit_key` -- a spelling-variant-insensitive key of one token.
* :func:`skeleton` -- first letter + consonants, doubled letters collapsed.
* :func:`parse_person` -- strip titles and honorifics, split into name tokens.
* :func:`token_similarity`, :func:`person_match`, :func:`name_match` -- scored
  comparisons that know fusions, splits, initials and missing given names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler, Levenshtein

# Letters NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
        "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
        "ʼ": "'", "’": "'", "‘": "'", "`": "'", "´": "'", "ʻ": "'", "ʹ": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
    }
)  # fmt: skip

_NON_WORD = re.compile(r"[^a-z0-9' \-]+")
_SPACES = re.compile(r"\s+")

# Honorifics and titles that precede names; they are roles, not parts of the name.
HONORIFICS = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "madam", "madame", "mme", "mlle", "mister", "monsieur", "herr", "frau", "senor", "senora", "sr", "sra", "sheikh", "shaikh", "sheik", "imam", "rev", "reverend", "father", "fr", "sister", "brother", "rabbi", "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "lt", "lieutenant", "sgt", "sergeant", "adm", "admiral", "cmdr", "commander", "gov", "governor", "sen", "senator", "rep", "representative", "pres", "president", "vice", "premier", "chancellor", "minister", "secretary", "ambassador", "judge", "justice", "mayor", "king", "queen", "prince", "princess", "emperor", "empress", "pope", "cardinal", "bishop", "archbishop", "ayatollah", "emir", "sultan", "sheikha", "crown", "deputy", "acting", "former", "late", "st", "saint", "hon", "honourable", "honorable", "chairman", "chairwoman", "chair", "ceo", "spokesman", "spokeswoman", "spokesperson", "marshal", "officer", "agent", "detective", "inspector", "superintendent", "chief", "prime", "foreign", "defence", "defense", "interior", "finance", "state", "speaker", "leader"]
)
# Suffixes after names.
SUFFIXES = frozenset(["jr", "jnr", "sr", "snr", "ii", "iii", "iv", "v", "phd", "md", "esq"])
# Name particles: part of a surname, but optional when comparing ("al-Assad" ~ "Assad").
PARTICLES = frozenset(["al", "el", "ul", "ad", "ar", "as", "an", "at", "az", "bin", "ben", "ibn", "bint", "abu", "da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "van", "von", "ten", "ter"])


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Lower-case ASCII form: diacritics removed, special letters mapped, punctuation out.

    Apostrophes are dropped (O'Brien -> obrien), hyphens become spaces.
    """
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower()
    text = _NON_WORD.sub(" ", text)
    text = text.replace("'", "").replace("-", " ")
    return _SPACES.sub(" ", text).strip()


# Spelling-variant rules, applied in order to a folded token.  Each maps the variants
# that transliteration systems (English, German, French, Polish, ISO/BGN, Arabic
# romanisations) and MT produce for one sound onto a single spelling.
_TRANSLIT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"shch|sch|szcz", "sh"),  # Щ / German sch / Polish szcz
        (r"tsch|tch|cz", "ch"),  # German tsch, French tch, Polish cz
        (r"sz", "sh"),
        (r"zh|dj|dzh", "j"),  # Ж, Ђ, ДЖ
        (r"kh|ch(?=[rl])", "h"),  # Х (Kharkiv/Harkiv), Christ- ~ Krist-
        (r"ck", "k"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"q", "k"),
        (r"(?<=[a-z])ou", "u"),  # French -ou- (Iouri)
        (r"tz|ts", "c"),  # Ц
        (r"x", "ks"),
        (r"w", "v"),  # German/Polish w
        (r"(?:iy|yy|yi|ij|ii|yj|yy)$", "y"),  # -ий: Zelenskiy / Zelenskyy / Zelenskij
        (r"ie", "i"),  # Kiev ~ Kyiv (Russian e, Ukrainian i)
        (r"(?:ye|je)", "e"),  # Е: Yevgeny / Evgeni / Jewgeni
        (r"(?:iu|yu|ju)", "u"),  # Ю
        (r"(?:ia|ya|ja)", "a"),  # Я
        (r"(?:io|yo|jo)", "o"),  # Ё
        (r"^j", "y"),  # Juri / Yuri; inside a word j stays (Wazhi is not Wai)
        (r"y", "i"),
        (r"ee", "i"),
        (r"oo", "u"),
        (r"(?<=[a-z])h$", ""),  # Allah/Alla, Sarah/Sara
        (r"ou", "u"),
        (r"(.)\1+", r"\1"),  # doubled letters
    ]
]


@lru_cache(maxsize=200_000)
def translit_key(token: str) -> str:
    """A key shared by the transliteration and doubling variants of one (folded) token."""
    t = fold(token).replace(" ", "")
    if len(t) <= 2:
        return t
    for pat, rep in _TRANSLIT_RULES:
        t = pat.sub(rep, t)
    return t


_VOWELS = re.compile(r"[aeiouy]")
_VOWEL_CLASS = str.maketrans({"u": "o", "i": "e", "y": "e"})


def vowel_class_key(key: str) -> str:
    """A transliteration key with o/u and e/i merged."""
    return key.translate(_VOWEL_CLASS)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """First letter plus consonants of the transliteration key (robust to vowel noise)."""
    k = translit_key(token)  # doubled letters are already collapsed here
    if not k:
        return k
    return k[0] + _VOWELS.sub("", k[1:])


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """Metaphone of the transliteration key (empty for tokens with no letters)."""
    k = translit_key(token)
    return jellyfish.metaphone(k) if k.isalpha() else k


@lru_cache(maxsize=400_000)
def token_similarity(a: str, b: str) -> float:
    """How alike two name tokens are, 0..1, knowing transliteration and MT letter noise.

    1.0 for equal transliteration keys; otherwise the normalised edit similarity of the
    keys, raised a little when the consonant skeleton or the phonetic key agree.  Short
    tokens need a near exact match: one letter is a large part of a four-letter name.
    """
    if not a or not b:
        return 0.0
    fa, fb = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    if fa == fb:
        return 1.0
    ka, kb = translit_key(fa), translit_key(fb)
    if ka == kb:
        return 0.97
    if min(len(ka), len(kb)) < 3:
        return 0.0
    if vowel_class_key(ka) == vowel_class_key(kb):
        return 0.92  # o/u and e/i alternate across transliterations (Yusuf/Yosuf, Dmitri/Dmitre)
    # noise inside a multi-letter spelling (ee, kh, sch) can defeat the key: compare the
    # folded spellings too and keep the closer
    d_key, d_raw = Levenshtein.distance(ka, kb), Levenshtein.distance(fa, fb)
    if d_raw / max(len(fa), len(fb)) < d_key / max(len(ka), len(kb)):
        ka, kb, dist = fa, fb, d_raw
    else:
        dist = d_key
    n = max(len(ka), len(kb))
    lev = 1.0 - dist / n
    jw = JaroWinkler.similarity(ka, kb)
    score = 0.5 * lev + 0.5 * jw
    close = abs(len(ka) - len(kb)) <= 2  # a letter or two dropped or doubled, no more
    if close and dist <= max(1, n // 4) and skeleton(fa) == skeleton(fb) and ka[0] == kb[0]:
        score = max(score, 0.9)
    elif close and phonetic(fa) == phonetic(fb) and ka[0] == kb[0]:
        score = max(score, 0.86)
    # a changed letter in a short token is a different name (Tom/Tim, Ivan/Iran); only
    # a dropped or doubled letter is noise there
    if n <= 4 and dist >= 1 and (len(ka) == len(kb) or skeleton(fa) != skeleton(fb)):
        score = min(score, 0.6)
    if dist > max(1, n // 3):  # more than a third of the letters changed
        score = min(score, 0.7)
    # one name ending the other, with letters before it (Holm / Ekholm, Berg / Goldberg):
    # noise drops letters inside a name, not its whole beginning
    short_f, long_f = (fa, fb) if len(fa) < len(fb) else (fb, fa)
    if len(long_f) - len(short_f) >= 2 and long_f.endswith(short_f):
        score = min(score, 0.6)
    return score


TOKEN_MATCH = 0.84  # token_similarity at or above this: same name token


@dataclass(frozen=True)
class PersonName:
    """A person name split into tokens, with what was stripped from it."""

    tokens: tuple[str, ...]  # folded name tokens, particles kept
    titles: tuple[str, ...] = ()  # stripped leading honorifics/titles (folded)
    particles: frozenset[int] = frozenset()  # positions of name particles (al, van, de...)
    lowercase: frozenset[int] = frozenset()  # positions of tokens written in lower case
    core: tuple[str, ...] = ()  # tokens without particles (al, van, de...) unless that leaves nothing

    def __post_init__(self) -> None:
        if not self.core:
            core = tuple(t for i, t in enumerate(self.tokens) if i not in self.particles)
            object.__setattr__(self, "core", core or self.tokens)

    @property
    def surname(self) -> str:
        return self.core[-1] if self.core else ""

    @property
    def given(self) -> tuple[str, ...]:
        return self.core[:-1]

    @property
    def concat(self) -> str:
        return "".join(self.core)

    def __bool__(self) -> bool:
        return bool(self.tokens)


_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
# a nickname in quotes inside a name: Vincent "The Chin" Gigante, Vincent 'Chin' Gigante
_NICKNAME = re.compile(r"\s[\"“”][^\"“”]{1,30}[\"“”]\s|\s['‘][^'‘’]{1,30}['’]\s")


_CAMEL = re.compile(r"(?<=[a-z\u00df-\u024f]{2})(?=[A-Z\u00c0-\u00de][a-z\u00df-\u024f]{2})")
_CAMEL_PREFIXES = ("Mac", "Van", "Von", "Del", "Della", "Abu", "Ibn", "Bin")


def split_camel(text: str) -> str:
    """Split tokens fused by MT with their capitals kept: "VladimirPutin" -> "Vladimir Putin".

    Name prefixes written with an inner capital (McDonald, MacArthur, DeSantis) stay whole.
    """
    out = []
    for tok in text.split():
        parts = _CAMEL.split(tok)
        if len(parts) > 1 and not parts[0].startswith(_CAMEL_PREFIXES):
            out.extend(parts)
        else:
            out.append(tok)
    return " ".join(out)


@lru_cache(maxsize=500_000)
def parse_person(text: str) -> PersonName:
    """Split a person name into folded tokens, dropping honorifics, titles and suffixes."""
    raw = split_camel(_POSSESSIVE.sub("", _NICKNAME.sub(" ", text.strip())))
    # keep the original case beside each folded token: a particle is a particle when
    # written in lower case ("de Gaulle") or inside a name ("Bashar al-Assad"), not
    # when it begins a capitalised name ("Du Chin", "Al Gore")
    pairs: list[tuple[str, bool]] = []
    for word in raw.replace(".", " ").replace("-", " ").split():
        for f in fold(word).split():
            pairs.append((f, word[:1].islower()))
    titles: list[str] = []
    while len(pairs) > 1 and pairs[0][0] in HONORIFICS:
        titles.append(pairs.pop(0)[0])
    while len(pairs) > 1 and pairs[-1][0] in SUFFIXES:
        pairs.pop()
    particles = frozenset(
        i for i, (t, lower) in enumerate(pairs) if t in PARTICLES and i < len(pairs) - 1 and (i > 0 or lower)
    )
    lowercase = frozenset(i for i, (_, lower) in enumerate(pairs) if lower)
    return PersonName(tuple(t for t, _ in pairs), tuple(titles), particles, lowercase)


def _initial_match(a: str, b: str) -> bool:
    """One token is an initial (single letter) matching the other's first letter."""
    if len(a) != 1 and len(b) != 1:
        return False
    return a[:1] == b[:1] or translit_key(a)[:1] == translit_key(b)[:1] != ""


def _tok_match(a: str, b: str) -> float:
    if _initial_match(a, b):
        return 0.9
    return token_similarity(a, b)


def _given_match(a: str, b: str) -> float:
    """Given names match as tokens or initials (short forms such as Alex ~ Alexander do
    not: without a list of hypocoristics they are as often other names)."""
    return _tok_match(a, b)


def _concat_similarity(a: str, b: str) -> float:
    """Similarity of two whole names written without spaces (fusions and splits)."""
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return 1.0
    n = max(len(ka), len(kb))
    if n < 5:
        return 0.0
    d = Levenshtein.distance(ka, kb)
    return 1.0 - d / n if n >= 8 or d == 0 else 0.0


def _split_surname(tokens: tuple[str, ...], surname: str) -> tuple[tuple[str, ...], float] | None:
    """If the last token of ``tokens`` is a fusion ending in ``surname``, split it off.

    "vladimirputin" with surname "putin" -> (("vladimir",), sim).
    """
    last = tokens[-1]
    ks, kl = translit_key(surname), translit_key(last)
    if len(kl) < len(ks) + 2 or len(ks) < 2:
        return None
    best: tuple[tuple[str, ...], float] | None = None
    for cut in range(2, len(last) - 2):
        head, tail = last[:cut], last[cut:]
        s = token_similarity(tail, surname)
        if s >= 0.9 and (best is None or s > best[1]):
            best = ((*tokens[:-1], head), s)
    return best


def person_match(a: PersonName | str, b: PersonName | str) -> float:
    """Score 0..1 that two person names denote the same person (see :func:`_person_match`).

    A quoted nickname counts both ways: 'Vincent "The Chin" Gigante' is compared as
    "Vincent Gigante" and as "The Chin Gigante"; 'Luis "Jerry" Ortiz' also as "Jerry Ortiz".
    """
    if isinstance(a, str) and isinstance(b, str):
        best = 0.0
        for x in _nickname_forms(a):
            for y in _nickname_forms(b):
                best = max(best, _person_match_cached(x, y) if x <= y else _person_match_cached(y, x))
        return best
    return _person_match(a, b)


def _nickname_forms(text: str) -> list[str]:
    m = _NICKNAME.search(text)
    if not m:
        return [text]
    nick = m.group(0).strip().strip("\"“”'‘’").strip()
    rest = text[m.end() :].split()
    forms = [_NICKNAME.sub(" ", text)]
    if rest:
        forms.append(f"{nick} {rest[-1]}")
    return forms


@lru_cache(maxsize=500_000)
def _person_match_cached(a: str, b: str) -> float:
    return _person_match(a, b)


def _person_match(a: PersonName | str, b: PersonName | str) -> float:
    """Score 0..1 that two person names denote the same person (names alone).

    Rules: surnames must agree (fuzzily, or through a fusion/split of tokens); given
    names present on both sides must agree in order (initials match full names); a
    side with no given name matches on the surname alone, at a lower score.  Different
    given names with the same surname (two brothers) do not match.
    """
    pa = a if isinstance(a, PersonName) else parse_person(a)
    pb = b if isinstance(b, PersonName) else parse_person(b)
    if not pa or not pb:
        return 0.0
    ca, cb = pa.core, pb.core
    # Whole-name comparison without spaces: fusions ("Vladimirputin") and splits
    # ("Vol odymyr Zelensky") of tokens.
    if (len(ca) != len(cb)) and min(len(pa.concat), len(pb.concat)) >= 5:
        cs = _concat_similarity(pa.concat, pb.concat)
        if cs >= 1.0:
            return 0.97
    if len(ca) == 1 and len(cb) == 1:
        s = token_similarity(ca[0], cb[0])
        if s < TOKEN_MATCH:
            return 0.0
        fused = len(translit_key(ca[0])) >= 10  # a fused full name, compared whole
        return (0.85 if fused else 0.7) * s
    # Surname alignment, allowing a fused given+surname token on one side.
    sur = _tok_match(ca[-1], cb[-1])
    ga, gb = ca[:-1], cb[:-1]
    if sur < TOKEN_MATCH:
        # a fusion leaves fewer tokens on its side: "Vladimirputin" ~ "Vladimir Putin"
        split = _split_surname(ca, cb[-1]) if len(ca) < len(cb) else None
        if split:
            ga, sur = split[0], split[1]
        else:
            split = _split_surname(cb, ca[-1]) if len(cb) < len(ca) else None
            if not split:
                return 0.0
            gb, sur = split[0], split[1]
    if len(translit_key(ca[-1])) <= 1 or len(translit_key(cb[-1])) <= 1:
        return 0.0  # a surname is never an initial
    if not ga or not gb:
        # one side is a surname alone: a weaker, context-dependent match
        return 0.7 * sur
    # Given names: align the shorter list in order into the longer one.
    short, long_ = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
    j = 0
    scores: list[float] = []
    for t in short:
        while j < len(long_):
            s = _given_match(t, long_[j])
            j += 1
            if s >= TOKEN_MATCH:
                scores.append(s)
                break
        else:
            # a given name split in two by MT: "vol odymyr" ~ "volodymyr"
            return _given_split(ga, gb, sur)
    given = min(scores) if scores else 1.0
    # the first given name should align with the first given name; a person called by
    # a middle name ("Joseph Comeaux" ~ "Arcade Joseph Comeaux", "Boone Isaacs" ~
    # "Cheryl Boone Isaacs") needs a near exact surname and middle name
    if _given_match(short[0], long_[0]) < TOKEN_MATCH:
        joined = _given_split(ga, gb, sur)
        long_p = pa if long_ is ga else pb
        if joined or sur < 0.97 or given < 0.97 or len(long_) < 2 or long_p.lowercase:
            return joined
        return 0.88
    return min(1.0, 0.55 * sur + 0.45 * given + 0.02 * (len(scores) - 1))


def _given_split(ga: tuple[str, ...], gb: tuple[str, ...], sur: float) -> float:
    cs = _concat_similarity("".join(ga), "".join(gb))
    if cs >= 0.85 and min(len("".join(ga)), len("".join(gb))) >= 4:
        return 0.55 * sur + 0.45 * cs
    return 0.0


# Organisation names: corporate forms and generic words that variants drop.
_ORG_STOP = frozenset(
    ["the", "of", "and", "for", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "ag", "gmbh", "sa", "nv", "pjsc", "ojsc", "jsc", "oao", "zao", "ooo", "spa", "srl", "bv", "ab", "asa", "oyj", "group", "holdings", "organisation", "organization"]
)


def org_tokens(text: str) -> tuple[str, ...]:
    toks = fold(_POSSESSIVE.sub("", text.strip())).replace(".", " ").split()
    core = tuple(t for t in toks if t not in _ORG_STOP)
    return core or tuple(toks)


def acronym(tokens: tuple[str, ...]) -> str:
    return "".join(t[0] for t in tokens if t and t not in PARTICLES)


def org_match(a: str, b: str) -> float:
    """Score 0..1 that two organisation (or place) names denote the same thing."""
    ta, tb = org_tokens(a), org_tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    ka, kb = " ".join(translit_key(t) for t in ta), " ".join(translit_key(t) for t in tb)
    if ka == kb:
        return 0.97
    # acronym of the other ("NATO" ~ "North Atlantic Treaty Organization")
    for x, y in ((ta, tb), (tb, ta)):
        if len(x) == 1 and len(x[0]) >= 2 and len(y) >= 2:
            full = fold(a if x is tb else b).split()
            if x[0] in (acronym(y), acronym(tuple(full))):
                return 0.9
    if len(ta) != len(tb):
        ca, cb = "".join(ta), "".join(tb)
        if _concat_similarity(ca, cb) >= 0.9:
            return 0.88
        return 0.0
    sims = [token_similarity(x, y) for x, y in zip(ta, tb, strict=True)]
    if min(sims) >= TOKEN_MATCH:
        return 0.9 * min(sims) + 0.1 * (sum(sims) / len(sims))
    return 0.0


PERSON_TYPES = frozenset({"PERSON", "PER"})


def type_group(label: str) -> str:
    """Types that can be the same thing: places (GPE/LOC/FAC) are one group."""
    if label in PERSON_TYPES:
        return "PERSON"
    if label in {"GPE", "LOC", "FAC"}:
        return "PLACE"
    return label


def name_match(a: str, b: str, label: str) -> float:
    """Score that two names of entities of type ``label`` denote the same thing."""
    return person_match(a, b) if type_group(label) == "PERSON" else org_match(a, b)


def blocking_keys(name: str, label: str) -> set[str]:
    """Keys under which a name is compared with others (blocking, not all pairs).

    Persons: the first and last three letters of the surname's transliteration key
    (one edit leaves one of them intact; a fused "Vladimirputin" ends like "Putin"),
    the same with o/u and e/i merged, and the consonant skeleton's start.
    Others: the same of the whole name, and its acronym.
    """
    group = type_group(label)
    keys: set[str] = set()
    if group == "PERSON":
        p = parse_person(name)
        if not p:
            return keys
        sur = translit_key(p.surname)
        keys.add(f"P:s:{sur[:3]}")
        keys.add(f"P:e:{sur[-3:]}")
        if len(p.core) == 1 and len(sur) >= 6:  # perhaps a fusion ending in a short surname
            keys.add(f"P:e:{sur[-2:]}")
        keys.add(f"P:v:{vowel_class_key(sur)[:3]}")  # Yong ~ Yung
        keys.add(f"P:k:{skeleton(p.surname)[:4]}")  # vowels dropped or changed
        if len(sur) <= 7:  # short surnames: the one-deletion neighbourhood ("Dmiev" ~ "Diev")
            keys.add(f"P:d:{sur}")
            keys.update(f"P:d:{sur[:i]}{sur[i + 1:]}" for i in range(len(sur)))
        return keys
    toks = org_tokens(name)
    if not toks:
        return keys
    cat = "".join(translit_key(t) for t in toks)
    keys.add(f"{group}:s:{cat[:3]}")
    keys.add(f"{group}:e:{cat[-3:]}")
    keys.add(f"{group}:a:{acronym(toks) if len(toks) > 1 else toks[0]}")
    return keys
