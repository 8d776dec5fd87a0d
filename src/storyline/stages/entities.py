"""Entities: named mentions corrected for news, clustered within an article, then
resolved across the corpus.

Article stage ``entities`` (after ``nlp`` and ``time``) writes two layers:

* ``entities``: mentions ``{start, end, text, label, cluster, kind}`` where ``kind`` is
  ``name`` (a named mention), ``description`` ("the Russian leader") or ``pronoun``
  (a subject pronoun linked to the person last named).
* ``entity_clusters``: ``{id, name, type, mentions: [indices], roles: [{role, start, end}]}``.

spaCy's small English model is corrected where it is known to fail on news text:
titles and roles are cut from person spans and kept as roles ("Kremlin spokesman");
a person's surname labelled ORG or GPE elsewhere in the article is a person; a bare
name after a locative preposition ("in Kiev") is a place, not a person; two adjacent
person spans ("Michael" "Waltz") are one name; an unlabelled proper noun that is the
subject of a speech verb is a person; leading articles and possessives are trimmed.

Corpus stage ``entities`` resolves article clusters into corpus entities; see
:func:`resolve`.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.names import (
    HONORIFICS,
    TOKEN_MATCH,
    fold,
    name_match,
    org_match,
    org_tokens,
    parse_person,
    person_match,
    token_similarity,
    translit_key,
    type_group,
)
from storyline.quotes_marks import find_quotes
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage, corpus_stage

if TYPE_CHECKING:
    from storyline.store import Store

log = logging.getLogger("storyline.entities")

# Labels that are not named things (numbers, dates): left to other stages.
_SKIP_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})

# Heads of role phrases: occupations and offices that name a person by function.
ROLE_HEADS = frozenset(
    ["president", "vice-president", "premier", "minister", "secretary", "chancellor", "spokesman", "spokeswoman", "spokesperson", "leader", "chief", "head", "director", "ambassador", "envoy", "governor", "mayor", "general", "commander", "senator", "congressman", "congresswoman", "representative", "official", "officer", "adviser", "advisor", "aide", "ceo", "chairman", "chairwoman", "chair", "founder", "king", "queen", "prince", "princess", "emperor", "monarch", "pope", "judge", "prosecutor", "attorney", "lawyer", "analyst", "correspondent", "editor", "reporter", "journalist", "negotiator", "diplomat", "lawmaker", "legislator", "politician", "deputy", "mp", "mep", "candidate", "nominee", "commissioner", "ombudsman", "marshal", "colonel", "captain", "lieutenant", "sergeant", "admiral", "sheikh", "emir", "sultan", "ayatollah", "cardinal", "bishop", "archbishop", "rabbi", "imam", "chief-of-staff", "coordinator", "economist", "expert", "professor", "researcher", "scientist", "historian", "activist", "campaigner", "spokesmen", "speaker", "inspector", "superintendent", "sheriff", "detective", "mufti", "patriarch", "dictator", "autocrat", "strongman", "counterpart", "owner", "executive", "manager", "partner"]
)
# Words that may sit inside a role phrase before its head ("prime", "foreign").
_ROLE_MODIFIERS = frozenset(
    ["prime", "foreign", "defence", "defense", "interior", "finance", "justice", "health", "home", "state", "deputy", "vice", "first", "former", "acting", "senior", "top", "chief", "interim", "caretaker", "then", "current", "outgoing", "incoming", "presidential", "press", "national", "security", "special", "assistant", "general", "secretary-general", "military", "intelligence", "economic", "trade", "energy", "education", "culture", "federal", "regional", "local", "supreme", "high", "foreign-affairs", "of", "the"]
)
# Heads that any political office answers to ("the Russian leader").
_GENERIC_HEADS = frozenset({"leader", "official", "head", "counterpart", "politician", "strongman"})
_LOCATIVE = frozenset({"in", "to", "from", "near", "outside", "across", "around", "towards", "toward", "into", "at"})
SPEECH_LEMMAS = frozenset(
    ["say", "tell", "add", "state", "note", "stress", "insist", "claim", "argue", "explain", "warn", "announce", "declare", "write", "deny", "confirm", "acknowledge", "suggest", "emphasize", "emphasise", "assert", "comment", "reply", "respond", "accuse", "urge", "ask", "conclude", "believe", "think", "admit", "report", "predict", "vow", "promise", "call", "describe"]
)
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "madame", "mme", "dame", "lady", "queen", "princess"})
_COURTESY = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "madam", "madame", "mme", "mlle", "herr", "frau", "monsieur"])
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "herr", "monsieur"})
_PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_APOSTROPHE_NAME = re.compile(r"[A-Z][a-z]?['’][A-Z][a-z]+")
# Last words that make a "person" span an organisation ("Ukrainian General Staff").
_ORG_HEADS = frozenset(
    ["staff", "ministry", "council", "committee", "army", "forces", "party", "group", "company", "office", "department", "agency", "court", "bank", "union", "university", "institute", "house", "news", "times", "post", "guard", "service", "command", "parliament", "assembly", "government", "administration", "commission", "federation", "association", "network", "tv", "radio"]
)
# Last words of facilities and events that spaCy labels PERSON or ORG.
_FAC_HEADS = frozenset(
    ["center", "centre", "clinic", "hospital", "rehab", "theatre", "theater", "stadium", "arena", "airport", "prison", "jail", "courthouse", "hotel", "resort", "facility"]
)
_EVENT_HEADS = frozenset(["awards", "award", "oscars", "oscar", "emmys", "grammys", "olympics", "games", "cup", "championship", "championships", "festival"])
# Labels spaCy gives to title-case headlines that begin with a person's name.
_HEADLINE_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "ORG"})
# Nouns that announce a place: "the town of X", "the X region".
_PLACE_NOUNS = frozenset(
    ["town", "city", "village", "region", "regions", "province", "provinces", "district", "districts", "capital", "port", "oblast", "republic", "state", "county", "island", "islands", "area", "areas", "municipality", "settlement", "outskirts"]
)
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")
# a lower-case prefix glued to a name makes an adjective of it: "pro-Rubio", "anti-Trump"
_LEADING_PREFIX = re.compile(r"^(?:pro|anti|non|ex|post|pre|neo|never|un)-(?=[A-Z])")
_TRAILING_POSS = re.compile(r"(?:'s|’s|'|’)$")


def _norm_label(label: str) -> str:
    return "PERSON" if label in ("PER", "PERSON") else label


# ---------------------------------------------------------------------------------------
# Article stage
# ---------------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    label: str
    kind: str = "name"
    roles: list[dict[str, Any]] = field(default_factory=list)
    cluster: int | None = None
    tok_start: int = 0
    tok_end: int = 0
    titles: tuple[str, ...] = ()


def _span_tokens(sdoc: Any, start: int, end: int) -> tuple[int, int]:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return 0, 0
    return span.start, span.end


def _is_role_word(tok: Any) -> bool:
    low = tok.lower_
    return low in ROLE_HEADS or low in _ROLE_MODIFIERS or low in HONORIFICS


def _is_role_head(low: str) -> bool:
    """An office or title that names a person ("minister", "Gov."), not a modifier alone
    ("state", "former", "foreign", which the honorifics list holds for stripping)."""
    return low in ROLE_HEADS or (low in HONORIFICS and low not in _ROLE_MODIFIERS)


def _role_before(sdoc: Any, i: int, ent_tokens: set[int]) -> tuple[int, int] | None:
    """Token range [a, i) of a role phrase right before token ``i`` ("US President")."""
    j = i - 1
    has_head = False
    while j >= 0 and i - j <= 8:
        tok = sdoc[j]
        low = tok.lower_
        if tok.is_punct and tok.text not in {"'s", "’s", "-", "."}:
            break
        if low in {"the", "a", "an", "his", "her", "their", "its"}:
            break
        if low in ROLE_HEADS or low in HONORIFICS:
            has_head = has_head or _is_role_head(low)
        elif low in _ROLE_MODIFIERS or tok.text in {"'s", "’s"} or (tok.is_title or tok.is_upper) and tok.pos_ in {"PROPN", "ADJ", "NOUN"} or j in ent_tokens:
            pass
        else:
            break
        j -= 1
    a = j + 1
    # trim leading "of"/"the"/possessive leftovers
    while a < i and sdoc[a].lower_ in {"of", "the", "'s", "’s"}:
        a += 1
    if a >= i or not has_head:
        return None
    # the role must end in a head word (or an honorific) next to the name
    if not any(_is_role_head(sdoc[k].lower_) for k in range(a, i)):
        return None
    return a, i


def _role_after(sdoc: Any, i: int) -> tuple[int, int] | None:
    """Apposition after a name ending at token ``i``: ", the Kremlin spokesman," ."""
    if i >= len(sdoc) or sdoc[i].text != ",":
        return None
    j = i + 1
    if j < len(sdoc) and sdoc[j].lower_ in {"the", "a", "an"}:
        j += 1
    a = j
    head_at = -1
    while j < len(sdoc) and j - a <= 7:
        tok = sdoc[j]
        if tok.is_punct or tok.pos_ in {"VERB", "AUX"}:
            break
        if tok.lower_ in ROLE_HEADS:
            head_at = j
        j += 1
    if head_at < 0:
        return None
    return a, head_at + 1


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading article or prefix ("pro-"), a trailing possessive and surrounding punctuation."""
    for rx in (_LEADING_DET, _LEADING_PREFIX):
        m = rx.match(text[start:end])
        if m and end - start - m.end() > 1:
            start += m.end()
    seg = text[start:end]
    m2 = _TRAILING_POSS.search(seg)
    if m2 and m2.start() > 0:
        end = start + m2.start()
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] != ".":
        end -= 1
    return start, end


def _surnames_of_people(mentions: list[_Mention]) -> dict[str, str]:
    """translit key of the last token of multi-token person names -> that key."""
    out: dict[str, str] = {}
    for m in mentions:
        if m.label == "PERSON":
            p = parse_person(m.text)
            if len(p.core) >= 2:
                out[translit_key(p.surname)] = p.surname
    return out


def _known_person_token(text: str, surnames: dict[str, str]) -> bool:
    p = parse_person(text)
    if len(p.core) != 1:
        return False
    k = p.core[0]
    if translit_key(k) in surnames:
        return True
    return any(token_similarity(k, s) >= 0.9 for s in surnames.values())


def detect_mentions(sdoc: Any, ner: list[dict[str, Any]]) -> list[_Mention]:
    """Named mentions from spaCy NER, corrected by the rules in the module docstring."""
    text = sdoc.text
    raw: list[_Mention] = []
    for e in sorted(ner, key=lambda e: (e["start"], -e["end"])):
        label = _norm_label(e["label"])
        if label in _SKIP_LABELS:
            continue
        s, t = _clean_span(text, e["start"], e["end"])
        if t <= s or not any(c.isalpha() for c in text[s:t]):
            continue
        if raw and s < raw[-1].end:  # overlapping spans: keep the first
            continue
        raw.append(_Mention(s, t, text[s:t], label))
    # Adjacent person spans separated by a space are one name ("Michael" "Waltz").
    merged: list[_Mention] = []
    for m in raw:
        if (
            merged
            and m.label == "PERSON"
            and merged[-1].label == "PERSON"
            and text[merged[-1].end : m.start].strip(" ()") == ""
            and "\n" not in text[merged[-1].end : m.start]
        ):
            last_m = merged[-1]
            last_m.end, last_m.text = m.end, text[last_m.start : m.end]
            continue
        merged.append(m)
    for m in merged:
        m.tok_start, m.tok_end = _span_tokens(sdoc, m.start, m.end)
    ent_tokens = {k for m in merged for k in range(m.tok_start, m.tok_end)}
    # A one-word "organisation" that is the subject of a speech verb and never takes an
    # article ("Kuleba said", unlike "the Kremlin said") is a person's surname.
    with_article = {sdoc[k + 1].lower_ for k in range(len(sdoc) - 1) if sdoc[k].lower_ == "the"}
    for m in merged:
        if m.label == "ORG" and m.tok_end - m.tok_start == 1:
            tok = sdoc[m.tok_start]
            if (
                tok.dep_ in {"nsubj", "nsubjpass"}
                and tok.head.lemma_ in SPEECH_LEMMAS
                and tok.is_title
                and not tok.is_upper
                and tok.lower_ not in with_article
                and tok.lower_ not in _ORG_HEADS
            ):
                m.label = "PERSON"
    # Unlabelled proper nouns that are the subject of a speech verb are people (the tagger
    # may call a name with an apostrophe a noun: "D’Souza replied").
    for tok in sdoc:
        if (
            tok.i not in ent_tokens
            and (tok.pos_ == "PROPN" or _APOSTROPHE_NAME.fullmatch(tok.text) is not None)
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and tok.head.lemma_ in SPEECH_LEMMAS
            and tok.is_title
            and len(tok.text) > 2
            and tok.lower_ not in HONORIFICS
            and tok.lower_ not in ROLE_HEADS
            and (tok.i == 0 or sdoc[tok.i - 1].lower_ not in {"the", "a", "an"})
        ):
            # the whole compound name: "Peskov" or "Dmitry Peskov"
            a = tok.i
            while a > 0 and sdoc[a - 1].dep_ == "compound" and sdoc[a - 1].pos_ == "PROPN" and sdoc[a - 1].is_title:
                a -= 1
            if any(k in ent_tokens for k in range(a, tok.i + 1)):
                continue
            span = sdoc[a : tok.i + 1]
            mm = _Mention(span.start_char, span.end_char, span.text, "PERSON", tok_start=a, tok_end=tok.i + 1)
            merged.append(mm)
            ent_tokens.update(range(a, tok.i + 1))
    # A name right after a title or an office ("Transport Minister Helena Varga", "Mr
    # Ekholm") is a person, whatever spaCy called it.
    for m in merged:
        n_tok = m.tok_end - m.tok_start
        if m.label in {"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"} and 1 <= n_tok <= 3 and m.tok_start > 0:
            prev = sdoc[m.tok_start - 1]
            words = [sdoc[k] for k in range(m.tok_start, m.tok_end)]
            if (
                prev.is_title
                and (prev.lower_ in HONORIFICS or prev.lower_ in ROLE_HEADS)
                and all(t.is_title and t.is_alpha and t.pos_ == "PROPN" for t in words)
                and not any(t.lower_ in _ORG_HEADS or t.lower_ in _FAC_HEADS or _is_role_word(t) for t in words)
            ):
                m.label = "PERSON"
    # The surname of a person the article names in full, where spaCy tagged nothing
    # ("Justice Livia Osterhaus ruled ... Justice Osterhaus disagreed"): a person mention.
    known = _surnames_of_people(merged)
    if known:
        # ... and a "name" of titles + that surname tagged as something else ("Justice
        # Osterhaus" ORG) is the person, titled.
        for m in merged:
            n_tok = m.tok_end - m.tok_start
            if (
                m.label != "PERSON"
                and n_tok >= 2
                and all(_is_role_word(sdoc[k]) for k in range(m.tok_start, m.tok_end - 1))
                and sdoc[m.tok_end - 1].is_title
                and translit_key(sdoc[m.tok_end - 1].text) in known
            ):
                m.label = "PERSON"
        for tok in sdoc:
            if (
                tok.i not in ent_tokens
                and tok.is_title
                and tok.is_alpha
                and len(tok.text) > 2
                and tok.pos_ in {"PROPN", "NOUN", "ADJ", "VERB"}
                and translit_key(tok.text) in known
                and (tok.i + 1 >= len(sdoc) or not (sdoc[tok.i + 1].is_title and sdoc[tok.i + 1].pos_ == "PROPN"))
            ):
                mm = _Mention(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", tok_start=tok.i, tok_end=tok.i + 1)
                merged.append(mm)
                ent_tokens.add(tok.i)
    merged.sort(key=lambda m: m.start)
    # Strip titles and roles inside person spans; record roles before/after the name.
    for m in merged:
        if m.label != "PERSON":
            continue
        a = m.tok_start
        while a < m.tok_end - 1 and _is_role_word(sdoc[a]) or (
            a < m.tok_end - 1 and sdoc[a].text in {".", "'s", "’s"}
        ):
            a += 1
        inner_role = None
        if a > m.tok_start:
            # modifiers alone ("a state Trump won") are stripped from the name but are no role
            if any(_is_role_head(sdoc[k].lower_) for k in range(m.tok_start, a)):
                inner_role = (m.tok_start, a)
            m.titles = tuple(fold(sdoc[k].text) for k in range(m.tok_start, a))
            m.start = sdoc[a].idx
            m.tok_start = a
            m.text = text[m.start : m.end]
        before = _role_before(sdoc, m.tok_start, ent_tokens - set(range(m.tok_start, m.tok_end)))
        if before and inner_role:
            before = (min(before[0], inner_role[0]), m.tok_start)
        elif inner_role:
            before = inner_role
        for rng in (before, _role_after(sdoc, m.tok_end)):
            if rng:
                a0, b0 = rng
                s0, e0 = sdoc[a0].idx, sdoc[b0 - 1].idx + len(sdoc[b0 - 1].text)
                role = text[s0:e0].strip(" ,")
                if all(w in _COURTESY for w in fold(role).split()):
                    continue  # "Mr" is a courtesy title, not a role
                if role and len(role) <= 80:
                    m.roles.append({"role": role, "start": s0, "end": e0})
        if not m.titles:
            m.titles = tuple(t for t in parse_person(m.text).titles)
        if not m.titles and m.tok_start > 0:
            # a courtesy title just outside the span the tagger gave: "Mrs. [Clinton]"
            prev = fold(sdoc[m.tok_start - 1].text).rstrip(".")
            if prev in _FEMALE_TITLES or prev in _MALE_TITLES:
                m.titles = (prev,)
    # Facilities and events mislabelled as people or organisations.
    for m in merged:
        last = sdoc[m.tok_end - 1].lower_ if m.tok_end > m.tok_start else ""
        if m.label in {"PERSON", "ORG"} and last in _FAC_HEADS:
            m.label = "FAC"
        elif m.label in {"PERSON", "ORG", "WORK_OF_ART"} and last in _EVENT_HEADS:
            m.label = "EVENT"
    # A title-case headline span that begins with a person's full name ("Lindsay
    # Lohan Checks Into"): the name is a person mention, the rest is dropped.
    full_names = {tuple(parse_person(m.text).core) for m in merged if m.label == "PERSON" and len(parse_person(m.text).core) >= 2}
    for m in merged:
        if m.label not in _HEADLINE_LABELS or m.tok_end - m.tok_start < 3:
            continue
        toks = [fold(sdoc[k].text) for k in range(m.tok_start, m.tok_end)]
        for fn in full_names:
            n = len(fn)
            if tuple(toks[:n]) == fn and n < len(toks) and sdoc[m.tok_start + n].lower_ not in _ORG_HEADS | {"'s", "’s"}:
                m.tok_end = m.tok_start + n
                m.end = sdoc[m.tok_end - 1].idx + len(sdoc[m.tok_end - 1].text)
                m.text, m.label = text[m.start : m.end], "PERSON"
                break
    # Label votes: a surname of a person named in full elsewhere is a person; a bare
    # "person" after a locative preposition that is nobody's surname is a place.
    surnames = _surnames_of_people(merged)
    place_keys = {translit_key(m.text) for m in merged if m.label in {"GPE", "LOC"}}
    for m in merged:
        single = m.tok_end - m.tok_start == 1
        prev = sdoc[m.tok_start - 1].lower_ if m.tok_start > 0 else ""
        prev2 = sdoc[m.tok_start - 2].lower_ if m.tok_start > 1 else ""
        nxt = sdoc[m.tok_end].lower_ if m.tok_end < len(sdoc) else ""
        place_ctx = (prev == "of" and prev2 in _PLACE_NOUNS) or nxt in _PLACE_NOUNS
        if place_ctx and m.label in {"PERSON", "ORG"} and single:
            m.label = "GPE"
        elif m.label in {"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC"} and single:
            if not place_ctx and _known_person_token(m.text, surnames):
                m.label = "PERSON"
        elif m.label == "PERSON":
            if sdoc[m.tok_end - 1].lower_ in _ORG_HEADS:
                m.label = "ORG"
            elif single and not _known_person_token(m.text, surnames) and (
                prev in _LOCATIVE or place_ctx or translit_key(m.text) in place_keys
            ):
                m.label = "GPE"
    # coordinated with a place ("the regions of Kherson and Zaporizhya"): a place
    by_tok = {k: m for m in merged for k in range(m.tok_start, m.tok_end)}
    for m in merged:
        if m.label in {"PERSON", "ORG"} and m.tok_end - m.tok_start == 1:
            tok = sdoc[m.tok_start]
            other = by_tok.get(tok.head.i) if tok.dep_ == "conj" else None
            if other is None:
                other = next((by_tok.get(c.i) for c in tok.children if c.dep_ == "conj" and c.i in by_tok), None)
            if other is not None and other.label in {"GPE", "LOC"} and not _known_person_token(m.text, surnames):
                m.label = other.label
    # A two-word "organisation" that the article later calls by its last word
    # alone is a person ("Paul Riva" ... "Riva said"): organisations are shortened to
    # their first word ("Goldman"), people to their surname.
    alone = Counter(fold(m.text) for m in merged if m.tok_end - m.tok_start == 1)
    alone_person = {fold(m.text) for m in merged if m.tok_end - m.tok_start == 1 and m.label == "PERSON"}
    # one-word mentions that act as a person: labelled PERSON, or the subject of a
    # speech verb with no article before them ("Riva said", not "the Navy said")
    alone_speaker = alone_person | {
        fold(m.text)
        for m in merged
        if m.tok_end - m.tok_start == 1
        and sdoc[m.tok_start].dep_ in {"nsubj", "nsubjpass"}
        and sdoc[m.tok_start].head.lemma_ in SPEECH_LEMMAS
        and (m.tok_start == 0 or sdoc[m.tok_start - 1].lower_ != "the")
    }
    place_words = {w for m in merged if m.label in {"GPE", "LOC"} and m.tok_end - m.tok_start == 1 for w in fold(m.text).split()}
    for m in merged:
        n_tok = m.tok_end - m.tok_start
        if (m.label == "ORG" or (m.label in {"GPE", "NORP", "FAC"} and fold(sdoc[m.tok_end - 1].text) in alone_person)) and n_tok == 2:
            words = [sdoc[k] for k in range(m.tok_start, m.tok_end)]
            if (
                all(t.is_title and t.is_alpha for t in words)
                and not any(t.lower_ in _ORG_HEADS or t.lower_ in _FAC_HEADS for t in words)
                and fold(words[-1].text) in alone_speaker
                and alone[fold(words[0].text)] == 0
                and (m.label != "ORG" or words[-1].tag_ != "NNPS")  # "Portland Trailblazers" ... "Trailblazers"
                and fold(words[0].text) not in place_words
            ):
                m.label = "PERSON"
                last = fold(words[-1].text)
                for o in merged:
                    if o.tok_end - o.tok_start == 1 and fold(o.text) == last and o.label in {"ORG", "PERSON", "NORP"}:
                        o.label = "PERSON"
    # One spelling, one type within an article (spaCy calls "Ukrainian" NORP here and
    # GPE there): mentions take their spelling's majority label.
    # A person's name keeps PERSON when that is at least as common ("Cheeks" PERSON
    # five times, ORG twice); "Kiev" GPE five times and PERSON once is a place.
    by_text: dict[str, Counter[str]] = defaultdict(Counter)
    for m in merged:
        by_text[fold(m.text)][m.label] += 1
    for m in merged:
        votes = by_text[fold(m.text)]
        if len(votes) > 1:
            top = max(votes.values())
            if votes[m.label] < top:  # ties keep each mention's own label
                m.label = max(votes, key=lambda lab: (votes[lab], lab))
    # Person names need a capital letter; drop leftovers that are only titles.
    return [
        m
        for m in merged
        if not (m.label == "PERSON" and (not any(c.isupper() for c in m.text) or not parse_person(m.text).core))
    ]


def _cluster_key_name(texts: Iterable[str], label: str) -> str:
    """The best full name among a cluster's mention texts: most tokens, then most frequent."""
    counts = Counter(texts)
    if type_group(label) == "PERSON":

        def score(t: str) -> tuple[int, int, int]:
            p = parse_person(t)
            fused = len(p.core) == 1 and len(translit_key(t)) >= 10
            return (0 if fused else min(len(p.core), 3), counts[t], -len(t))

    else:

        def score(t: str) -> tuple[int, int, int]:
            return (counts[t], len(t), 0)

    best = re.sub(r"\s+", " ", re.sub(r"[()\[\]]", " ", max(counts, key=score))).strip()
    if type_group(label) == "PERSON":
        p = parse_person(best)
        return " ".join(best.split()[len(p.titles) :]) if p.titles else best
    return best


def _link_people(mentions: list[_Mention]) -> list[list[int]]:
    """Cluster person mentions: full names first, then surnames to the last match."""
    clusters: list[list[int]] = []
    names: list[list[str]] = []
    order = [i for i, m in enumerate(mentions) if m.label == "PERSON" and m.kind == "name"]
    full = [i for i in order if len(parse_person(mentions[i].text).core) >= 2]
    single = [i for i in order if i not in set(full)]
    for i in full:
        best, best_s = -1, 0.0
        for c, ns in enumerate(names):
            s = max(person_match(mentions[i].text, n) for n in ns)
            if s > best_s:
                best, best_s = c, s
        if best >= 0 and best_s >= 0.84:
            clusters[best].append(i)
            names[best].append(mentions[i].text)
        else:
            clusters.append([i])
            names.append([mentions[i].text])
    for i in single:
        m = mentions[i]
        cands: list[tuple[float, int, int]] = []
        for c, ns in enumerate(names):
            s = max(person_match(m.text, n) for n in ns)
            if s >= 0.84 * 0.7:  # a surname matching a full name's surname (or a fusion)
                last = max((k for k in clusters[c] if mentions[k].start < m.start), default=-1, key=lambda k: mentions[k].start)
                recency = mentions[last].start if last >= 0 else -1
                cands.append((s, recency, c))
        if not cands:
            # a first name alone ("Lindsay") for the one person of that given name
            key = translit_key(m.text)
            given_of = [
                c for c, ns in enumerate(names)
                if any(len(parse_person(n).core) >= 2 and translit_key(parse_person(n).core[0]) == key for n in ns)
            ]
            if len(given_of) == 1 and any(mentions[k].start < m.start for k in clusters[given_of[0]]):
                cands = [(0.6, 0, given_of[0])]
        g = _title_gender(m)
        if g is not None and len(cands) > 1:
            # "Mr. Clinton" is not the person called "Mrs. Clinton" ("Hillary Clinton ...
            # Mrs. Clinton ... Bill Clinton ... Mr. Clinton")
            fits = [x for x in cands if {_title_gender(mentions[k]) for k in clusters[x[2]]} <= {None, g}]
            cands = fits or cands
        if cands:
            # the most recently mentioned matching person; then the best match
            cands.sort(key=lambda x: (x[1] >= 0, x[1], x[0]), reverse=True)
            c = cands[0][2]
            clusters[c].append(i)
            names[c].append(m.text)
        else:
            clusters.append([i])
            names.append([m.text])
    return clusters


def _title_gender(m: _Mention) -> str | None:
    """'f' or 'm' when the mention's title says it ("Mrs.", "Mr."), else None."""
    for t in m.titles:
        t = t.rstrip(".")
        if t in _FEMALE_TITLES:
            return "f"
        if t in _MALE_TITLES:
            return "m"
    return None


def _link_others(mentions: list[_Mention]) -> list[list[int]]:
    """Cluster non-person mentions: same name under normalisation or acronym, or a short
    form that begins a longer name given earlier ("ABC" after "ABC Television Network")."""
    clusters: list[list[int]] = []
    reps: list[tuple[str, list[str]]] = []  # (type group, names)
    for i, m in enumerate(mentions):
        if m.label == "PERSON" or m.kind != "name":
            continue
        g = type_group(m.label)
        toks = org_tokens(m.text)
        found = -1
        for c, (cg, names) in enumerate(reps):
            if cg != g:
                continue
            if any(org_match(m.text, n) >= 0.88 for n in names):
                found = c
                break
        if found < 0 and toks:
            for c, (cg, names) in enumerate(reps):
                if cg == g and any(
                    len(org_tokens(n)) > len(toks) and org_tokens(n)[: len(toks)] == toks for n in names
                ):
                    found = c
                    break
        if found >= 0:
            clusters[found].append(i)
            reps[found][1].append(m.text)
        else:
            clusters.append([i])
            reps.append((g, [m.text]))
    return clusters


def _sent_index(sdoc: Any) -> list[int]:
    idx = [0] * len(sdoc)
    for k, s in enumerate(sdoc.sents):
        for t in range(s.start, s.end):
            idx[t] = k
    return idx


_CLAUSE_LINKS = frozenset({"ccomp", "xcomp", "advcl", "conj"})


def _governing_subject(tok: Any, cl_at_tok: dict[int, int], quoted: Callable[[int], bool]) -> int | None:
    """The person cluster that is the subject of the verb governing ``tok``'s clause,
    climbing through complement, adverbial and coordinated clauses ("Biden said he was
    ready to talk if his counterpart ..."), never ``tok`` itself, the phrase it is in or
    a word inside quotation marks (at character offsets where ``quoted`` is true)."""
    own = {t.i for t in tok.head.subtree} if tok.dep_ == "poss" else {tok.i}
    v = tok.head
    for _ in range(4):  # from "his counterpart" up to the verb of its clause
        if v.pos_ in ("VERB", "AUX") or v.head.i == v.i:
            break
        v = v.head
    came_from = None  # the clause climbed out of
    for _ in range(8):
        subj = next((c for c in v.children if c.dep_ in _SUBJ and c.i not in own and not quoted(c.idx)), None)
        if subj is not None:
            # the nearest subject decides, person or not.  One after the pronoun is its
            # antecedent only for an adverbial clause set before its main clause ("Months
            # after he attacked her, Trump met Kelly"); otherwise it is a misparse ("He
            # would like to see the ideas Sanders championed")
            if subj.i < tok.i or (came_from is not None and came_from.dep_ == "advcl" and came_from.i < v.i):
                return cl_at_tok.get(subj.i)
            return None
        if v.dep_ not in _CLAUSE_LINKS or v.head.i == v.i:
            return None
        came_from, v = v, v.head
    return None


def _role_words(role: str) -> set[str]:
    return {fold(w)[:4] for w in re.findall(r"[A-Za-z][\w.]*", role) if fold(w)}


def link_descriptions(sdoc: Any, mentions: list[_Mention], clusters: list[list[int]]) -> list[tuple[_Mention, int]]:
    """Definite descriptions ("the Russian leader") and third-person pronouns -> person clusters.

    Pronouns go to a person named in the last three sentences whose gender (from
    titles or earlier pronouns) does not clash: subject pronouns and possessives prefer
    the subject of their sentence, reflexives the subject of their verb, object
    pronouns anyone but that subject.  Text inside quotation marks is skipped.
    """
    sent_of = _sent_index(sdoc)
    taken = {k for m in mentions for k in range(m.tok_start, m.tok_end)}
    person_clusters = [c for c in clusters if mentions[c[0]].label == "PERSON"]
    cl_of = {i: ci for ci, c in enumerate(clusters) for i in c}
    # (token position, cluster index) of each named person mention, in text order
    events = sorted((mentions[i].tok_start, cl_of[i]) for c in person_clusters for i in c)
    roles_of: dict[int, list[str]] = defaultdict(list)
    gender: dict[int, str] = {}
    for ci, c in enumerate(clusters):
        for i in c:
            roles_of[ci] += [r["role"] for r in mentions[i].roles]
            g = _title_gender(mentions[i])
            if g is not None:
                gender[ci] = g
    out: list[tuple[_Mention, int]] = []
    quoted = [(q.start, q.end) for q in find_quotes(sdoc.text)]
    q_starts = [a for a, _ in quoted]

    def in_quote(char: int) -> bool:
        k = bisect.bisect_right(q_starts, char) - 1
        return k >= 0 and quoted[k][0] <= char < quoted[k][1]

    # a name inside quoted words is someone the quote talks about, not whom the writer's
    # next "he" or "she" means ("'I met Director Comey,' she said")
    events = [e for e in events if not in_quote(sdoc[e[0]].idx)]
    # head tokens of the person mentions that are subjects (names, and the pronouns linked
    # below, so that "She said ..." passes its person on to the next "she")
    subj_head: dict[int, int] = {}  # event token -> subject head token
    for m in mentions:
        if m.label != "PERSON" or not len(sdoc):
            continue
        head = sdoc[m.tok_end - 1]
        # "The Post columnist Ruth Marcus wrote": the name is in apposition to the subject
        if head.dep_ == "appos" and not m.tok_start <= head.head.i < m.tok_end:
            head = head.head
        if head.dep_ in _SUBJ:
            subj_head[m.tok_start] = head.i
    qi = 0
    cl_at_tok = {mentions[i].tok_end - 1: cl_of[i] for c in person_clusters for i in c}
    person_toks = {k for c in person_clusters for i in c for k in range(mentions[i].tok_start, mentions[i].tok_end)}
    for tok in sdoc:
        if tok.i in taken:
            continue
        while qi < len(quoted) and quoted[qi][1] <= tok.idx:
            qi += 1
        if qi < len(quoted) and quoted[qi][0] <= tok.idx < quoted[qi][1]:
            continue  # inside a quotation the speaker's own frame applies
        low = tok.lower_
        before = [e for e in events if e[0] < tok.i and sent_of[tok.i] - sent_of[e[0]] <= 3]
        if not before:
            continue
        if low in _PRONOUNS:
            g = _PRONOUNS[low]
            # the person that is the subject of the same verb (binding: "she hurt
            # herself" is the subject; "she saw her" is someone else)
            subj = next((c for c in tok.head.children if c.dep_ in _SUBJ and c.i != tok.i), None)
            subj_cl = cl_at_tok.get(subj.i) if subj is not None else None
            ordered = list(reversed(before))
            if low.endswith("self"):
                ordered = [(0, subj_cl)] if subj_cl is not None else ordered
            elif tok.dep_ in _SUBJ or low in {"his", "hers"} or tok.dep_ == "poss":
                # salience: the person subject of the verb the pronoun's clause hangs on
                # ("Biden said he was ready"), else the subject of this sentence, then recency
                same = [e for e in before if sent_of[e[0]] == sent_of[tok.i]]
                subj_same = [e for e in same if e[0] in subj_head]
                gov = _governing_subject(tok, cl_at_tok, in_quote)
                if gov is not None:
                    ordered = [(tok.i, gov), *ordered]
                elif subj_same:
                    ordered = [subj_same[0], *ordered]
                elif tok.dep_ in _SUBJ:
                    # none in its own sentence: the subject of the latest sentence naming a
                    # person, before a mere mention there ("Lynch announced it would not
                    # prosecute Clinton. 'We met,' she said": Lynch); the main clause's
                    # subject before one of a clause inside it ("When Maddow pointed out
                    # ..., Clinton seized upon it")
                    last = sent_of[before[-1][0]]
                    of_last = [e for e in before if sent_of[e[0]] == last and e[0] in subj_head]
                    main = [e for e in of_last if sdoc[subj_head[e[0]]].head.dep_ == "ROOT"]
                    if of_last:
                        ordered = [(main or of_last)[0], *ordered]
            elif subj_cl is not None:
                ordered = [e for e in ordered if e[1] != subj_cl]
            for _, ci in ordered:
                if gender.get(ci, g) == g:
                    out.append((_Mention(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", kind="pronoun",
                                         tok_start=tok.i, tok_end=tok.i + 1), ci))
                    gender.setdefault(ci, g)
                    cl_at_tok[tok.i] = ci
                    if tok.dep_ in _SUBJ:
                        bisect.insort(events, (tok.i, ci))
                        subj_head[tok.i] = tok.i
                    break
            continue
        if low in ROLE_HEADS and tok.pos_ == "NOUN":
            # "the [modifiers] HEAD" not followed by a name
            a = tok.i
            while a > 0 and sdoc[a - 1].pos_ in {"ADJ", "PROPN", "NOUN"} and sdoc[a - 1].i not in person_toks and tok.i - a < 3:
                a -= 1
            if a == 0 or sdoc[a - 1].lower_ != "the":
                continue
            if tok.i + 1 < len(sdoc) and sdoc[tok.i + 1].pos_ == "PROPN":
                continue
            mods = {fold(sdoc[k].text)[:4] for k in range(a, tok.i)}
            for _, ci in reversed(before):
                rw: set[str] = set()
                heads = set()
                for r in roles_of.get(ci, []):
                    rw |= _role_words(r)
                    heads.add(fold(r.split()[-1]))
                if not heads:
                    continue
                if (low in heads or low in _GENERIC_HEADS) and mods <= rw:
                    s0 = sdoc[a - 1].idx
                    out.append((_Mention(s0, tok.idx + len(tok.text), sdoc[a - 1 : tok.i + 1].text, "PERSON",
                                         kind="description", tok_start=a - 1, tok_end=tok.i + 1), ci))
                    cl_at_tok[tok.i] = ci
                    break
    return out


def annotate_entities(sdoc: Any, ner: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``entities`` and ``entity_clusters`` layers for one spaCy Doc."""
    mentions = detect_mentions(sdoc, ner)
    clusters = _link_people(mentions) + _link_others(mentions)
    for m, ci in link_descriptions(sdoc, mentions, clusters):
        mentions.append(m)
        clusters[ci].append(len(mentions) - 1)
    # order: mentions by position; clusters by first mention
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, mentions[i].end))
    new_index = {old: new for new, old in enumerate(order)}
    clusters = sorted((sorted(new_index[i] for i in c) for c in clusters if c), key=lambda c: c[0])
    mentions = [mentions[i] for i in order]
    ents: list[dict[str, Any]] = []
    for m in mentions:
        ents.append({"start": m.start, "end": m.end, "text": m.text, "label": m.label, "kind": m.kind, "cluster": None})
    out_clusters: list[dict[str, Any]] = []
    for k, c in enumerate(clusters):
        cid = f"c{k}"
        named = [i for i in c if mentions[i].kind == "name"]
        labels = Counter(mentions[i].label for i in named)
        ctype = labels.most_common(1)[0][0] if labels else "PERSON"
        for i in c:
            ents[i]["cluster"] = cid
            if mentions[i].kind != "name":
                ents[i]["label"] = ctype
        roles: list[dict[str, Any]] = []
        seen: set[tuple[int, int]] = set()
        for i in named:
            for r in mentions[i].roles:
                if (r["start"], r["end"]) not in seen:
                    seen.add((r["start"], r["end"]))
                    roles.append(r)
        out_clusters.append(
            {
                "id": cid,
                "name": _cluster_key_name([mentions[i].text for i in named], ctype),
                "type": ctype,
                "mentions": c,
                "roles": sorted(roles, key=lambda r: r["start"]),
            }
        )
    return ents, out_clusters


@article_stage("entities")
def entities_stage(doc: ArticleDoc, settings: Settings) -> None:
    sdoc = doc.spacy
    if sdoc is None:
        from storyline.stages.nlp import load_spacy

        sdoc = load_spacy(settings.spacy_model)(doc.article.text)
        doc.spacy = sdoc
    ner = doc.article.layers.get("ner")
    if ner is None:
        ner = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in sdoc.ents]
    ents, clusters = annotate_entities(sdoc, ner)
    doc.article.layers["entities"] = ents
    doc.article.layers["entity_clusters"] = clusters


# ---------------------------------------------------------------------------------------
# Cross-document resolution
# ---------------------------------------------------------------------------------------


@dataclass
class ClusterRecord:
    """One article cluster as the resolver sees it."""

    key: str  # "article_id:cluster_id"
    article: str
    name: str
    type: str
    variants: list[str] = field(default_factory=list)  # other mention texts
    roles: list[str] = field(default_factory=list)
    context: set[str] = field(default_factory=set)  # keys of co-occurring names
    size: int = 1  # number of named mentions

    @property
    def is_bare(self) -> bool:
        """A person named by a surname alone, or with initials only: who it is depends on
        context when several people share the surname."""
        if type_group(self.type) != "PERSON":
            return False
        p = parse_person(self.name)
        if len(p.core) == 1:
            return not _fused(self.name)
        return all(len(t) == 1 for t in p.given)


def _fused(name: str) -> bool:
    return len(translit_key(name.replace(" ", ""))) >= 10


def entity_id(name: str, etype: str) -> str:
    """A stable id from the canonical name and type group: a slug plus a short hash."""
    group = type_group(etype)
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40] or "entity"
    h = hashlib.sha1(f"{group}|{fold(name)}".encode()).hexdigest()[:6]
    return f"{slug}-{h}"


class _Groups:
    """Union-find over records with per-group article sets (cannot-link: two clusters of
    one article were kept apart by within-article resolution and stay apart)."""

    def __init__(self, records: list[ClusterRecord]) -> None:
        self.parent = list(range(len(records)))
        self.articles: list[dict[str, str]] = [{r.article: r.key} for r in records]
        self.members: list[list[int]] = [[i] for i in range(len(records))]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        x, y = self.articles[ra], self.articles[rb]
        if len(x) > len(y):
            x, y = y, x
        return not any(art in y and y[art] != k for art, k in x.items())

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_union(ra, rb):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.articles[ra].update(self.articles[rb])
        self.members[ra].extend(self.members[rb])
        self.members[rb] = []
        self.articles[rb] = {}
        return True


# Score thresholds (names alone) for merging full names, and for attaching bare surnames.
MERGE_THRESHOLD = 0.86
BARE_THRESHOLD = 0.84 * 0.7


def _bare_equal(a: ClusterRecord, b: ClusterRecord) -> bool:
    """Two weak names that are the same: same surname (near exact), compatible initials."""
    pa, pb = parse_person(a.name), parse_person(b.name)
    if not pa or not pb or token_similarity(pa.surname, pb.surname) < 0.97:
        return False
    ia = [t[0] for t in pa.given]
    ib = [t[0] for t in pb.given]
    return not ia or not ib or ia == ib


def _context_score(a: ClusterRecord, b: ClusterRecord) -> float:
    """0..1 agreement of context: shared co-occurring names and role words."""
    score = 0.0
    if a.context and b.context:
        inter = len(a.context & b.context)
        score += min(1.0, inter / 3)
    ra = set().union(*(_role_words(r) for r in a.roles)) if a.roles else set()
    rb = set().union(*(_role_words(r) for r in b.roles)) if b.roles else set()
    if ra and rb and ra & rb:
        score = min(1.0, score + 0.5)
    return score


def _role_conflict(a: ClusterRecord, b: ClusterRecord) -> bool:
    """Roles with different heads and no shared word (a president vs a spokesman)."""
    if not a.roles or not b.roles:
        return False
    ha = {fold(r.split()[-1]) for r in a.roles if r.split()}
    hb = {fold(r.split()[-1]) for r in b.roles if r.split()}
    wa = set().union(*(_role_words(r) for r in a.roles))
    wb = set().union(*(_role_words(r) for r in b.roles))
    return not (ha & hb) and not (wa & wb)


def _surname_forms(r: ClusterRecord) -> tuple[str, str, str]:
    """(surname key with o/u, e/i merged; folded surname; whole-name key) of a record."""
    from storyline.names import vowel_class_key

    if type_group(r.type) == "PERSON":
        p = parse_person(r.name)
        sur = p.surname or fold(r.name)
        return vowel_class_key(translit_key(sur)), sur, translit_key(p.concat)
    toks = org_tokens(r.name)
    cat = "".join(toks)
    return vowel_class_key(translit_key(cat)), cat, translit_key(cat)


def candidate_pairs(records: list[ClusterRecord], chunk: int = 2000) -> Iterable[tuple[int, int]]:
    """Pairs of records worth comparing (blocking, never all pairs).

    Records are blocked by keys of their surname (:func:`storyline.names.blocking_keys`:
    prefix, suffix, vowel-class prefix, consonant skeleton, and for short surnames the
    one-deletion neighbourhood).  Within a block, rapidfuzz's C matrix (``cdist``) keeps
    only pairs whose surname keys, folded surnames or whole-name keys are within the
    edit distance that the name comparison could accept (1, or 2 from nine letters);
    only those reach the full comparison in Python.  Acronym blocks pair a one-word
    name with the longer names it abbreviates.
    """
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein as Lev

    from storyline.names import blocking_keys

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        keys: set[str] = set()
        for n in {r.name, *r.variants[:3]}:
            keys |= blocking_keys(n, r.type)
        for k in keys:
            blocks[k].append(i)
    forms = [_surname_forms(r) for r in records]
    seen: set[tuple[int, int]] = set()

    def emit(a: int, b: int) -> Iterable[tuple[int, int]]:
        p = (a, b) if a < b else (b, a)
        if a != b and p not in seen:
            seen.add(p)
            yield p

    for key, ids in sorted(blocks.items()):
        if len(ids) < 2:
            continue
        if ":a:" in key:  # acronym block
            singles = [i for i in ids if len(org_tokens(records[i].name)) == 1]
            for a in singles:
                for b in ids:
                    yield from emit(a, b)
            continue
        cols = [[forms[i][k] for i in ids] for k in range(3)]
        lens = [np.array([len(x) for x in col]) for col in cols]
        for off in range(0, len(ids), chunk):
            rows = ids[off : off + chunk]
            hit = None
            for col in range(3):
                mat = process.cdist(cols[col][off : off + chunk], cols[col], scorer=Lev.distance,  # type: ignore[arg-type]
                                    score_cutoff=2, dtype=np.int32, workers=1)
                la, lb = lens[col][off : off + chunk, None], lens[col][None, :]
                longest = np.maximum(la, lb)
                allowed = np.clip(longest // 9 + 1, 1, 2)
                # a changed letter in a short name is another name; a dropped one is noise
                allowed = np.where((longest <= 4) & (la == lb), 0, allowed)
                ok = mat <= allowed
                hit = ok if hit is None else hit | ok
            assert hit is not None
            xs, ys = np.nonzero(hit)
            for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
                if rows[x] < ids[y]:
                    yield from emit(rows[x], ids[y])


def _pair_score(a: ClusterRecord, b: ClusterRecord) -> float:
    if type_group(a.type) != type_group(b.type):
        return 0.0
    names_a = [a.name, *a.variants[:3]]
    names_b = [b.name, *b.variants[:3]]
    return max(name_match(x, y, a.type) for x in names_a for y in names_b)


def resolve(records: list[ClusterRecord]) -> tuple[list[int], list[float]]:
    """Group article clusters into entities.  Returns (group index per record, confidence).

    1. Full names (and non-person names) are merged greedily, best pairs first, when
       their names agree (:func:`storyline.names.name_match` >= MERGE_THRESHOLD), the
       groups have no article in common with a different cluster, and, for matches short
       of certain, their roles do not conflict.  A merge must also agree with the
       group's best name so that chains (Kim Jong Un ~ Kim ~ Kim Jong Il) cannot form.
    2. Bare surnames join the one full-name group whose surname they match; when several
       people share the surname, context (co-occurring names, roles) decides, or they
       stay apart.
    """
    vote_types(records)
    n = len(records)
    g = _Groups(records)
    conf = [1.0] * n
    bare = [r.is_bare for r in records]
    # The same name in many articles is compared once: identical names (same type,
    # same spelling after folding) are joined first and one of them represents them.
    reps: list[int] = []
    rep_of: dict[tuple[str, str], int] = {}
    for i, r in enumerate(records):
        name_key = (type_group(r.type), fold(r.name))
        first = rep_of.get(name_key)
        if first is None or not g.union(first, i):
            rep_of.setdefault(name_key, i)
            reps.append(i)
    scored: list[tuple[float, int, int]] = []
    bare_cands: dict[int, list[tuple[float, int]]] = defaultdict(list)
    rep_records = [records[i] for i in reps]
    for x, y in candidate_pairs(rep_records):
        i, j = reps[x], reps[y]
        a, b = records[i], records[j]
        s = _pair_score(a, b)
        if s <= 0:
            continue
        if bare[i] and bare[j]:
            if _bare_equal(a, b):
                scored.append((0.96, i, j))  # the same weak name on both sides
            continue
        if bare[i] or bare[j]:
            if s >= BARE_THRESHOLD:
                bi, fj = (i, j) if bare[i] else (j, i)
                bare_cands[bi].append((s, fj))
            continue
        if s >= MERGE_THRESHOLD:
            scored.append((s, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    best_name: dict[int, str] = {i: records[i].name for i in range(n)}
    for s, i, j in scored:
        ri, rj = g.find(i), g.find(j)
        if ri == rj:
            continue
        a, b = records[i], records[j]
        if s < 0.97 and _role_conflict(a, b) and _context_score(a, b) < 0.5:
            continue
        if not (bare[i] and bare[j]) and name_match(best_name[ri], best_name[rj], a.type) < MERGE_THRESHOLD:
            continue
        if g.union(i, j):
            best_name[g.find(i)] = max((best_name[ri], best_name[rj]), key=lambda t: (len(parse_person(t).core), len(t)))
            for k in (i, j):
                conf[k] = min(conf[k], round(s, 3))
    # Bare surnames: attach to a full-name group when unambiguous.
    for bi in sorted(bare_cands):
        by_group: dict[int, tuple[float, float]] = {}
        mates = [k for k in g.members[g.find(bi)] if bare[k]] or [bi]
        for s, fj in bare_cands[bi]:
            root = g.find(fj)
            if root == g.find(bi):
                continue
            ctx = max(_context_score(records[k], records[fj]) for k in mates[:50])
            old = by_group.get(root, (0.0, 0.0))
            by_group[root] = (max(old[0], s), max(old[1], ctx))
        if not by_group:
            continue
        ranked = sorted(by_group.items(), key=lambda kv: (kv[1][0], kv[1][1], -kv[0]), reverse=True)
        root, (s, ctx) = ranked[0]
        rivals = [kv for kv in ranked[1:] if kv[1][0] >= s - 0.03]
        if rivals:
            # people with (nearly) the same surname: context decides, or none is chosen
            best = max([ranked[0], *rivals], key=lambda kv: kv[1][1])
            if sum(1 for kv in [ranked[0], *rivals] if kv[1][1] >= best[1][1]) > 1:
                continue
            root, (s, ctx) = best
        if g.union(bi, root):
            for k in g.members[g.find(bi)]:
                if bare[k]:
                    conf[k] = min(conf[k], round(min(0.95, s / 0.7 * (0.75 + 0.2 * ctx)), 3))
    roots = [g.find(i) for i in range(n)]
    return roots, conf


_GROUP_LABEL = {"PERSON": "PERSON", "PLACE": "GPE", "NORP": "NORP"}


def vote_types(records: list[ClusterRecord]) -> None:
    """Correct the type of one-token names by the corpus majority (in place).

    spaCy labels "Kiev" a person in one article and a place in ten; "Trump" an
    organisation where the article never gives his full name.  A one-token name takes
    the type its spelling has most often across the corpus, where a person's surname
    in a full name counts as a vote for a person.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    surname_keys: set[str] = set()
    for r in records:
        g = type_group(r.type)
        if g == "PERSON":
            p = parse_person(r.name)
            if len(p.core) >= 2:
                votes[translit_key(p.surname)]["PERSON"] += r.size
                surname_keys.add(translit_key(p.surname))
                continue
        toks = fold(r.name).split()
        if len(toks) == 1:
            votes[translit_key(toks[0])][g] += r.size
    # a multi-word name takes the type its exact spelling has most often
    full_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if len(fold(r.name).split()) > 1:
            full_votes[fold(r.name)][type_group(r.type)] += r.size
    for r in records:
        fv = full_votes.get(fold(r.name))
        if fv and len(fv) > 1:
            best, nbest = fv.most_common(1)[0]
            if best in _GROUP_LABEL and best != type_group(r.type) and nbest > fv[type_group(r.type)]:
                r.type = _GROUP_LABEL[best]
    full_keys = {
        translit_key(parse_person(r.name).concat)
        for r in records
        if type_group(r.type) == "PERSON" and len(parse_person(r.name).core) >= 2
    }
    for r in records:
        toks = fold(r.name).split()
        if len(toks) == 1 and type_group(r.type) != "PERSON" and translit_key(toks[0]) in full_keys:
            r.type = "PERSON"  # a fused full name ("Vladimirputin") mislabelled as a place
            continue
        if len(toks) != 1 or _fused(r.name):
            continue
        c = votes.get(translit_key(toks[0]))
        if not c:
            continue
        own = type_group(r.type)
        key = translit_key(toks[0])
        if own == "PERSON" and c["PLACE"] and key not in surname_keys and not r.roles:
            # a one-word "person" that is nobody's surname, holds no role, and is a
            # place elsewhere in the corpus ("Kiev considers...") is that place
            r.type = "GPE"
            continue
        best, nbest = c.most_common(1)[0]
        # the record's own votes are not evidence against itself
        if best == "PERSON" and key not in surname_keys:
            continue  # only a person's surname in a full name makes a one-word name a person
        if best != own and best in _GROUP_LABEL and nbest > c[own] - r.size and nbest >= max(1, 2 * (c[own] - r.size)):
            r.type = _GROUP_LABEL[best]


def records_from_store(store: Store) -> tuple[list[ClusterRecord], dict[str, dict[str, Any]]]:
    """Cluster records and, per article, its clusters, entity mentions and date."""
    dates = store.article_dates()
    ents_of = dict(store.iter_layer("entities"))
    records: list[ClusterRecord] = []
    info: dict[str, dict[str, Any]] = {}
    for aid, clusters in store.iter_layer("entity_clusters"):
        ents = ents_of.get(aid, [])
        info[aid] = {"clusters": clusters, "entities": ents, "date": dates.get(aid)}
        context = {translit_key(c["name"].replace(" ", "")) for c in clusters if c.get("name")}
        for c in clusters:
            named = [ents[i] for i in c["mentions"] if i < len(ents) and ents[i].get("kind", "name") == "name"]
            if not named or not c.get("name"):
                continue
            variants = sorted({m["text"] for m in named} - {c["name"]}, key=lambda t: (-len(t), t))
            own = translit_key(c["name"].replace(" ", ""))
            records.append(
                ClusterRecord(
                    key=f"{aid}:{c['id']}",
                    article=aid,
                    name=c["name"],
                    type=c.get("type") or "PERSON",
                    variants=variants,
                    roles=[r["role"] for r in c.get("roles", [])],
                    context=context - {own},
                    size=len(named),
                )
            )
    return records, info


def build_entities(
    records: list[ClusterRecord], info: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Resolve records into corpus entities: ({entity_id: Entity dict}, {record key: entity_id})."""
    roots, conf = resolve(records)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, root in enumerate(roots):
        groups[root].append(i)
    entities: dict[str, dict[str, Any]] = {}
    links: dict[str, str] = {}
    for members in groups.values():
        recs = [records[i] for i in members]
        types: Counter[str] = Counter()
        for rec in recs:
            types[rec.type] += rec.size
        etype = types.most_common(1)[0][0]
        name = _canonical_name(recs, etype)
        eid = entity_id(name, etype)
        while eid in entities:  # two entities with the same name (kept apart): suffix
            eid = eid + "x"
        aliases: set[str] = set()
        mentions: list[dict[str, Any]] = []
        roles: dict[str, dict[str, Any]] = {}
        for i in members:
            r = records[i]
            links[r.key] = eid
            aid, cid = r.key.split(":", 1)
            art = info.get(aid, {})
            ents = art.get("entities", [])
            date = art.get("date")
            cl = next((c for c in art.get("clusters", []) if c["id"] == cid), None)
            if cl is None:
                continue
            for k in cl["mentions"]:
                if k < len(ents):
                    m = ents[k]
                    mentions.append(
                        {"article": aid, "start": m["start"], "end": m["end"], "text": m["text"], "cluster": cid}
                    )
                    if m.get("kind", "name") == "name":
                        aliases.add(m["text"])
            for ro in cl.get("roles", []):
                key = _role_key(ro["role"])
                d = roles.setdefault(key, {"role": ro["role"], "first_seen": date, "last_seen": date, "articles": []})
                if aid not in d["articles"]:
                    d["articles"].append(aid)
                if date:
                    d["first_seen"] = min(filter(None, [d["first_seen"], date]))
                    d["last_seen"] = max(filter(None, [d["last_seen"], date]))
        aliases.discard(name)
        mentions.sort(key=lambda m: (m["article"], m["start"]))
        entities[eid] = {
            "id": eid,
            "name": name,
            "type": etype,
            "aliases": sorted(aliases),
            "roles": sorted(roles.values(), key=lambda d: (d["first_seen"] or "", d["role"])),
            "mentions": mentions,
            "ids": {},
            "confidence": round(min(conf[i] for i in members), 3),
        }
    return entities, links


def _role_key(role: str) -> str:
    return " ".join(translit_key(w) for w in fold(role).split() if w not in {"the", "a", "an", "of"})


def _canonical_name(recs: list[ClusterRecord], etype: str) -> str:
    """The most common best full name across articles (ties: the longer, then sorted)."""
    counts: Counter[str] = Counter()
    for r in recs:
        counts[r.name] += r.size
    if type_group(etype) == "PERSON":
        maxlen = max((min(len(parse_person(t).core), 3) for t in counts if not _fused(t)), default=1)

        def key(t: str) -> tuple[int, int, str]:
            cores = len(parse_person(t).core)
            ok = cores >= min(maxlen, 2) and not (_fused(t) and cores == 1 and len(counts) > 1)
            return (1 if ok else 0, counts[t], t)

        return max(counts, key=key)
    return max(counts, key=lambda t: (counts[t], len(t), t))


@corpus_stage("entities")
def entities_corpus_stage(store: Store, settings: Settings, new_ids: set[str]) -> None:
    from storyline.corrections import apply_corrections, corrections_path, load_corrections

    records, info = records_from_store(store)
    entities, links = build_entities(records, info)
    path = corrections_path(settings)
    corr = load_corrections(path)
    if corr:
        entities, links = apply_corrections(entities, links, corr, records)
    store.replace_corpus("entities", entities)
    store.replace_corpus("entity_links", links)
    update_quote_speakers(store, entities, links)
    log.info("entities: %d article clusters -> %d entities", len(records), len(entities))


def speaker_name_index(entities: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Folded full names, aliases and surnames of people -> entity ids (for speakers that
    the article's own entity layer missed, such as a surname spaCy took for an adverb)."""
    index: dict[str, set[str]] = defaultdict(set)
    for eid, e in entities.items():
        if e.get("type") != "PERSON":
            continue
        for name in {e.get("name") or "", *(e.get("aliases") or [])}:
            words = fold(name).split()
            if not words:
                continue
            index[" ".join(words)].add(eid)
            if len(words) > 1:
                index[words[-1]].add(eid)
    return index


def update_quote_speakers(store: Store, entities: dict[str, dict[str, Any]], links: dict[str, str]) -> None:
    """Fill ``speaker.entity`` and ``speaker.name`` in every quote whose speaker has a cluster,
    and, for a named speaker without one, the one person in the corpus of that name."""
    by_name = speaker_name_index(entities)
    in_article: dict[str, set[str]] = defaultdict(set)
    for key, linked in links.items():
        in_article[key.rsplit(":", 1)[0]].add(linked)
    for aid, quotes in list(store.iter_layer("quotes")):
        changed = False
        for q in quotes:
            sp = q.get("speaker") or {}
            cid = sp.get("cluster")
            if not cid:
                if sp.get("descriptor") or not sp.get("text") or sp.get("entity"):
                    continue
                found = by_name.get(" ".join(fold(str(sp["text"])).split()), set())
                if len(found) == 1:  # never guess between two people of one surname
                    match = next(iter(found))
                    sp["entity"], sp["name"] = match, entities[match]["name"]
                    q["speaker"] = sp
                    changed = True
                continue
            eid = links.get(f"{aid}:{cid}")
            if eid is not None and eid in entities:
                eid = _full_name_in_article(entities, eid, in_article.get(aid, set()))
            new_name = entities[eid]["name"] if eid in entities else sp.get("name")
            if sp.get("entity") != eid or sp.get("name") != new_name:
                sp["entity"] = eid
                sp["name"] = new_name
                q["speaker"] = sp
                changed = True
        if changed:
            store.save_quotes(aid, quotes)


def _full_name_in_article(entities: dict[str, dict[str, Any]], eid: str, here: set[str]) -> str:
    """A speaker called by a bare surname ("according to Calloway") whose entity is that
    surname alone (the tagger gave the two mentions different types, so they stayed
    apart): the one entity of the same article whose full name ends in it."""
    words = fold(str(entities[eid].get("name") or "")).split()
    if len(words) != 1 or len(words[0]) < 3:
        return eid
    fits = set()
    for other in here:
        if other == eid or other not in entities:
            continue
        names = fold(str(entities[other].get("name") or "")).split()
        if len(names) >= 2 and names[-1] == words[0]:
            fits.add(other)
    return next(iter(fits)) if len(fits) == 1 else eid


def token_match(a: str, b: str) -> bool:
    """Whether two name tokens are the same name under transliteration and MT noise."""
    return token_similarity(a, b) >= TOKEN_MATCH
