"""The quotes stage: who said what, to whom, when, and according to whom.

Output layer ``quotes``: one item per attribution, ``{start, end, text, kind, speaker,
cue, addressee, via, said_on}`` (see ``storyline.model.QuoteItem``).

How it works (rule-based, over the spaCy parse; no extra model):

1. **Quote marks** (``storyline.quotes_marks``): quoted stretches, robust to straight,
   curly, wrongly turned and unbalanced marks, merged across paragraphs when news style
   reopens the mark on each paragraph.
2. **Reporting clauses**: every verb of saying (or of belief, with a clausal complement)
   outside quote marks, with its clausal complement as content (``X said that ...``,
   ``..., X told Y``), and ``according to X``.  A content that is mostly a quotation
   becomes a direct quote; one with a quoted fragment inside is ``mixed``.
3. **Direct quotes** not covered by a reporting clause take the cue verb of their own
   sentence, before (``X said: "..."``) or after (``"...," X said``) the quotation; a
   quote without one continues the quotation of the previous sentence or paragraph, or a
   line ending in a colon; short quoted phrases with no cue are scare quotes, not
   statements.
4. **Speakers**: the subject of the cue (or the quoted person of ``X quoted Y as saying``,
   the source of ``citing Y``), as the named entity of that noun phrase; pronouns and
   definite descriptors (``the minister``) are resolved to the nearest fitting named
   person when the text supports it, otherwise kept as descriptors.  Relays (``the Times
   reported``) go into ``via``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from storyline.quotes_lexicon import (
    ABOUT_PREPS,
    ADDRESSEE_ONLY_VERBS,
    ADDRESSEE_VERBS,
    ANONYMOUS_HEADS,
    ATTITUDE_VERBS,
    COGNITION_VERBS,
    COMPANY_HEADS,
    DOCUMENT_NOUNS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    INTRO_VERBS,
    ORG_KIND_HEADS,
    PERSON_PRONOUNS,
    RELAY_VERBS,
    SECOND_PERSON,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    THING_OBJECT_VERBS,
    TITLE_FAMILIES,
    UNRESOLVED_PRONOUNS,
)
from storyline.quotes_marks import QuoteMarks, find_quotes
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage
from storyline.stages.entities import ROLE_HEADS

_SUBJ = ("nsubj", "nsubjpass")
_NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "PRODUCT", "EVENT")
_TERMINAL = {".", "!", "?"}
_REL_PRONOUNS = {"who", "that", "which", "whom"}
_TIME_MARKS = {"after", "before", "when", "because", "since", "until", "while", "once", "although", "though", "if"}
_PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_MIN_UNATTRIBUTED_WORDS = 6  # a quote with no cue shorter than this is a scare quote or a title
_MIN_CONTINUED_WORDS = 3
# A reported content is a direct quote when this share of its characters is quoted
# (the rest: "that", a period); with less it is a paraphrase with a quoted fragment, "mixed".
DIRECT_SHARE = 0.85


@dataclass
class _Attr:
    start: int
    end: int
    kind: str
    cue: Any  # spaCy Token or None
    cue_span: tuple[int, int] | None
    subj: Any = None  # spaCy Token of the speaker mention (None when unknown)
    subj_span: tuple[int, int] | None = None
    addressee: str | None = None
    via: list[dict[str, Any]] = field(default_factory=list)
    inherited: _Attr | None = None  # continues this earlier attribution
    speech: bool = True  # a verb of saying (False: a verb of attitude with an object)
    speaker: dict[str, Any] | None = None


class _Ctx:
    """Everything the extractor looks up about one article."""

    def __init__(self, text: str, sdoc: Any, layers: dict[str, Any]) -> None:
        self.text = text
        self.sdoc = sdoc
        self.tok_starts = [t.idx for t in sdoc]
        self.quotes = find_quotes(text)
        self.q_starts = [q.start for q in self.quotes]
        # quote index per token (-1 outside quotes)
        self.in_quote = [-1] * len(sdoc)
        for qi, q in enumerate(self.quotes):
            for ti in range(self.token_at(q.start), len(sdoc)):
                if sdoc[ti].idx >= q.end:
                    break
                self.in_quote[ti] = qi
        mentions = layers.get("entities") or layers.get("ner") or []
        self.mentions = sorted((m for m in mentions if m.get("label") in _NAMED), key=lambda m: (m["start"], -m["end"]))
        self.m_starts = [m["start"] for m in self.mentions]
        self.cluster_names = {c["id"]: c.get("name") for c in layers.get("entity_clusters") or [] if "id" in c}
        self.para_starts = [m.start() for m in re.finditer(r"(?:^|\n)\s*\S", text)]

        self._genders: dict[str, str] | None = None
        self._surnames: set[str] | None = None

    def known_name(self, tok: Any) -> bool:
        """Whether a token names a person or organisation: tagged so, or (where the tagger
        missed it, as in headlines) a capitalised word that ends a name the article tags
        elsewhere (``Trump: '...'`` above an article on Donald Trump)."""
        if tok.ent_type_ in ("PERSON", "ORG") and tok.pos_ == "PROPN":
            return True
        if tok.ent_type_ or tok.pos_ not in ("PROPN", "NOUN"):
            return False
        return self.surname(tok)

    def surname(self, tok: Any) -> bool:
        """Whether a capitalised word ends a name of a person or organisation that the
        article tags elsewhere, whatever the tagger made of it here."""
        if not tok.text[:1].isupper() or len(tok.text) < 3:
            return False
        if self._surnames is None:
            self._surnames = {
                m["text"].split()[-1]
                for m in self.mentions
                if m.get("label") in ("PERSON", "ORG") and m["text"].split()
            }
        return tok.text in self._surnames

    # -- gender from the article's own pronouns -------------------------------------------
    def gender_of(self, name: str | None) -> str | None:
        """'m' or 'f' when the article refers back to this person (by surname) with he or
        she (outside quotations, before anyone else is named), None when it does not tell."""
        if not name:
            return None
        if self._genders is None:
            self._genders = self._pronoun_genders()
        return self._genders.get(name.split()[-1])

    def _pronoun_genders(self) -> dict[str, str]:
        doc = self.sdoc
        votes: dict[str, dict[str, int]] = {}
        persons = [m for m in self.mentions if m.get("label") == "PERSON" and m["text"].split()]
        for n, m in enumerate(persons):
            nxt = persons[n + 1]["start"] if n + 1 < len(persons) else len(self.text)
            i = self.token_at(m["end"] - 1) + 1
            stop = min(len(doc), i + 25)
            while i < stop and doc[i].idx < nxt:
                t = doc[i]
                if t.text in _TERMINAL and self.in_quote[i] < 0:
                    break
                g = _PRONOUN_GENDER.get(t.lower_) if self.in_quote[i] < 0 else None
                if g:
                    key = self.name_of(m).split()[-1]
                    votes.setdefault(key, {"m": 0, "f": 0})[g] += 1
                    break
                i += 1
        return {k: ("m" if v["m"] > v["f"] else "f") for k, v in votes.items() if v["m"] != v["f"]}

    def neuter(self, m: dict[str, Any]) -> bool:
        """Whether the article refers back to a name with ``it``/``its`` (an organisation the
        tagger took for a person): the first third-person pronoun after it, outside
        quotations and before the next name, in its sentence or the next."""
        doc = self.sdoc
        i = self.token_at(m["end"] - 1) + 1
        nxt = bisect.bisect_right(self.m_starts, m["start"])
        stop_char = self.mentions[nxt]["start"] if nxt < len(self.mentions) else len(self.text)
        ends = 0
        for t in doc[i : min(len(doc), i + 40)]:
            if t.idx >= stop_char:
                return False
            if self.in_quote[t.i] >= 0:
                continue
            if t.text in _TERMINAL:
                ends += 1
                if ends > 1:
                    return False
            low = t.lower_
            if low in ("it", "its"):
                return True
            if low in _PRONOUN_GENDER or low in ("they", "their", "them"):
                return False
        return False

    # -- positions ----------------------------------------------------------------------
    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.tok_starts, char) - 1)

    def paragraph_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def quote_at(self, token: Any) -> int:
        return self.in_quote[token.i]

    def mentions_in(self, start: int, end: int) -> list[dict[str, Any]]:
        i = bisect.bisect_left(self.m_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i]["start"] < end:
            if self.mentions[i]["end"] <= end:
                out.append(self.mentions[i])
            i += 1
        # mentions starting before ``start`` that reach into it
        j = bisect.bisect_left(self.m_starts, start) - 1
        while j >= 0 and j >= bisect.bisect_left(self.m_starts, start) - 3:
            m = self.mentions[j]
            if m["end"] > start:
                out.insert(0, m)
            j -= 1
        return out

    def name_of(self, m: dict[str, Any]) -> str:
        cl = m.get("cluster")
        if cl and self.cluster_names.get(cl):
            return str(self.cluster_names[cl])
        return self._longest_form(m)

    def _longest_form(self, m: dict[str, Any]) -> str:
        """Without entity clusters: the fullest earlier (or later) form of a person's name."""
        text = m["text"]
        if m.get("label") != "PERSON":
            return str(text)
        last = text.split()[-1] if text.split() else text
        best = text
        for o in self.mentions:
            words = o["text"].split()
            if (
                o.get("label") == "PERSON"
                and words
                and words[-1] == last
                and len(o["text"]) > len(best)
                and len(words) <= 4
            ):
                best = o["text"]
        return str(best)


# -- syntax helpers ---------------------------------------------------------------------------
def _np_span(tok: Any) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok`` (left modifiers and name parts)."""
    left = tok.i
    for c in tok.lefts:
        if c.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "advmod", "case", "punct"):
            left = min(left, c.left_edge.i)
    right = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "case") or (c.dep_ == "nummod" and c.i == right):
            right = max(right, c.right_edge.i + 1)
        else:
            break
    doc = tok.doc
    for k in range(tok.i - 1, left, -1):
        if doc[k].text in ("-", "–", "—") and doc[k - 1].whitespace_:
            left = k + 1  # a spaced dash ends a heading before a name ("... race - Jane Doe")
            break
    while left < tok.i and doc[left].is_punct:
        left += 1
    return left, right


def _subject(v: Any, depth: int = 0, conj: bool = False) -> Any:
    """The subject token of a verb, climbing through coordination and control.

    For a passive cue (``X was told``, ``a "butcher", he was called``) the speaker is the
    agent (``by Y``), not the grammatical subject."""
    subjects = [c for c in v.children if c.dep_ == "nsubj"]
    if len(subjects) > 1:
        # two subjects: the parse glued a fragment onto the clause ('His verdict: "...," he
        # said'); the subject of the verb is the one nearest it
        return min(subjects, key=lambda c: abs(c.i - v.i))
    for c in v.children:
        if c.dep_ == "nsubj":
            return c
        if c.dep_ == "nsubjpass":
            if conj:
                # "X was joined by Y and joked": a verb that shares a passive clause's
                # subject shares its grammatical subject, not the agent
                return c
            agent = _first_child(v, ("agent",))
            pobj = _first_child(agent, ("pobj",)) if agent is not None else None
            return pobj
    if depth < 5 and v.dep_ in ("conj", "xcomp", "advcl", "pcomp") and v.head is not v:
        if v.dep_ == "advcl" and v.tag_ != "VBG":
            return None  # "Asked about the deal, X ...": X is asked, not asking
        if v.dep_ == "advcl" and _is_cue(v, SPEECH_VERBS):
            # "X insisted it was premature to act, while adding ...": a participle of
            # saying hung on the reported clause is the reporter's
            h = v.head
            while h.dep_ in ("xcomp", "conj", "advcl") and _first_child(h, _SUBJ) is None and h.head.i != h.i:
                h = h.head
            if _reported_clause(h):
                return _subject(h.head, depth + 2)
        return _subject(v.head, depth + 1, v.dep_ == "conj")
    if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
        return v.head
    return None


def _reported_clause(v: Any) -> bool:
    """Whether a verb heads the clause a verb of saying or thinking before it reports."""
    h = v.head
    return bool(v.dep_ == "ccomp" and h.i < v.i and (_is_cue(h, SPEECH_VERBS) or _is_cue(h, COGNITION_VERBS)))


def _first_child(tok: Any, deps: tuple[str, ...]) -> Any:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _span_chars(doc: Any, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and edge punctuation (but not quote marks) from a content span."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    return start, end


def _subtree_range(tok: Any, exclude: Any = None) -> tuple[int, int]:
    """Token range of ``tok``'s subtree, minus the subtree of ``exclude`` at either edge."""
    i, j = tok.left_edge.i, tok.right_edge.i + 1
    if exclude is not None:
        ei, ej = exclude.left_edge.i, exclude.right_edge.i + 1
        if ei <= i < ej:
            i = ej
        elif ei < j <= ej or (ej == j):
            j = ei
        elif ej >= j:
            j = min(j, ei)
    return i, j


def _is_cue(tok: Any, lexicon: frozenset[str]) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lexicon and tok.dep_ != "amod"


# -- reporting clauses -------------------------------------------------------------------------
def _content_of(ctx: _Ctx, v: Any, broad: bool) -> tuple[int, int] | None:
    """Character span of what verb ``v`` reports, or None.

    A clausal complement always counts (``said that ...``, ``"...," X said``); with
    ``broad`` (verbs of attitude and stance) an infinitive, an object or the object of an
    ``about``-preposition counts too (``wants to ...``, ``criticized the plan``, ``warned of ...``).
    """
    doc = ctx.sdoc
    comp = _first_child(v, ("ccomp",))
    if comp is not None and comp.i < v.i and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in v.children):
        # "A were back at the table, a day after B refused to ...": the clause before a
        # subordinate cue is the main clause, not what the cue reports
        comp = None
    i = j = -1
    if comp is not None:
        i, j = _subtree_range(comp)
    elif (
        (v.dep_ == "parataxis" or (v.dep_ == "ccomp" and v.head.i < v.i))
        and v.head.pos_ in ("VERB", "AUX")
        and (_is_cue(v, SPEECH_VERBS) or _is_cue(v, COGNITION_VERBS))
    ):
        # "Peace talks must be real, X told Sky News": the clause before the reporting one
        head = v.head
        if _first_child(head, ("nsubj", "nsubjpass", "expl")) is None:
            return None
        i = max(head.left_edge.i, head.sent.start)
        j = head.right_edge.i + 1
        if v.right_edge.i + 1 >= j or all(t.is_punct for t in doc[v.right_edge.i + 1 : j]):
            j = v.left_edge.i  # "..., X said." at the end
        # else "A, X said, B": the content runs on both sides of the reporting clause,
        # unless a quotation opens right after it ('X joked, "B"')
        after = v.right_edge.i + 1
        opening = [k for k in range(after, min(after + 2, len(doc))) if ctx.in_quote[k] >= 0]
        if v.i < head.i and opening:
            i = after
            q = ctx.quotes[ctx.in_quote[opening[0]]]
            k = ctx.token_at(q.end - 1) + 1
            if k < j and (doc[k].text == "," or ctx.text[q.start : q.end].rstrip("”\"»' ").endswith(",")):
                j = k  # '"...," drawing jeers': what follows the quotation is narration
        if j <= head.i:
            return None
    elif broad:
        dobj = _first_child(v, ("dobj",))
        xcomp = _first_child(v, ("xcomp", "oprd"))
        if v.lemma_.lower() in ADDRESSEE_VERBS and xcomp is None:
            dobj = None
        as_phrase = next((c for c in v.rights if c.dep_ == "prep" and c.lower_ == "as"), None)
        parts = [t for t in (dobj, xcomp, as_phrase if dobj is not None else None) if t is not None and t.i > v.i]
        quoting = any(ctx.in_quote[t.i] >= 0 for p in parts for t in p.subtree)
        if not quoting and xcomp is None and v.lemma_.lower() in THING_OBJECT_VERBS:
            return None  # "offered a new package": a thing handled, not a position taken
        if not quoting and xcomp is None and _negative_subject(v):
            return None  # "Neither side would confirm the figures": no one's statement
        if not quoting and xcomp is not None and dobj is None and _passive_infinitive(xcomp):
            return None  # "who asked not to be named": a request about the source itself
        if parts:
            i = min(t.left_edge.i for t in parts)
            j = max(t.right_edge.i for t in parts) + 1
        else:
            for c in v.rights:
                if c.dep_ == "prep" and c.lower_ in ABOUT_PREPS:
                    obj = _first_child(c, ("pobj", "pcomp"))
                    if obj is not None:
                        i, j = _subtree_range(obj)
                        break
                elif c.dep_ == "prt":
                    continue
    if i < 0 or j - i < 1:
        return None
    lo, hi = _sentence_range(ctx, v)
    i, j = max(i, lo), min(j, hi)
    if j <= i:
        return None
    s, e = _trim(ctx.text, *_span_chars(doc, i, j))
    return (s, e) if e > s else None


def _negative_subject(v: Any) -> bool:
    """``Neither side would confirm``, ``No one disputed``: a subject that is no one."""
    for sb in v.children:
        if sb.dep_ not in _SUBJ:
            continue
        if sb.lower_ in ("nobody", "none", "no-one", "neither"):
            return True
        if any(c.dep_ == "det" and c.lower_ in ("neither", "no") for c in sb.children):
            return True
    return False


def _passive_infinitive(x: Any) -> bool:
    """``asked not to be named``: a passive infinitive with no argument of its own."""
    return any(c.dep_ == "auxpass" for c in x.children) and not any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "nsubj", "nsubjpass", "dative") for c in x.children
    )


def _sentence_range(ctx: _Ctx, tok: Any) -> tuple[int, int]:
    """Token range of ``tok``'s sentence by punctuation outside quote marks and line
    breaks (the parser's sentences can run across a quotation's end)."""
    doc = ctx.sdoc
    i = tok.i
    while i > 0:
        p = doc[i - 1]
        if "\n" in p.text or "\n" in p.whitespace_ or (p.text in _TERMINAL and ctx.in_quote[p.i] < 0):
            break
        i -= 1
    j = tok.i + 1
    while j < len(doc):
        t = doc[j]
        if "\n" in t.text or (t.text in _TERMINAL and ctx.in_quote[j] < 0):
            break
        j += 1
        if "\n" in t.whitespace_:
            break
    return i, j


def _sentence_start(ctx: _Ctx, tok: Any) -> int:
    return int(tok.sent.start)


def _reporting_clauses(ctx: _Ctx) -> list[_Attr]:
    out: list[_Attr] = []
    doc = ctx.sdoc
    for tok in doc:
        if ctx.in_quote[tok.i] >= 0:
            continue
        low = tok.lower_
        if tok.text == ":":
            a = _name_colon(ctx, tok)
            if a:
                out.append(a)
            continue
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            a = _according_to(ctx, tok)
            if a:
                out.append(a)
            continue
        speech = _is_cue(tok, SPEECH_VERBS) or _is_cue(tok, COGNITION_VERBS)
        broad = _is_cue(tok, ATTITUDE_VERBS) or speech
        if not broad:
            continue
        span = _content_of(ctx, tok, broad)
        if span is None:
            continue
        signed, _ = _signed_excerpt(ctx, span[0])
        if signed is not None and tok.i < signed.i:
            continue  # "Polls missed the upset - Jane Doe: '...'": Jane Doe's words
        subj = _unquoted_subject(ctx, tok, _speaker_token(tok))
        if subj is None and tok.tag_ == "VBG" and span[0] > tok.idx:
            subj = _participle_subject(ctx, tok)  # "X incurred boos upon saying ..."
        if (
            subj is None
            and span[0] > tok.idx
            and (tok.dep_ == "dep" or (tok.dep_ == "ROOT" and _opens_quote(ctx, span[0])))
        ):
            # "Clinton, exasperated, famously responded: ...": an unparsed clause; the
            # name before the cue in its own sentence
            lo, _ = _sentence_range(ctx, tok)
            subj = _first_name(ctx, _unbracketed(ctx, list(reversed(_outside_modifiers(list(ctx.sdoc[lo : tok.i]))))))
        if subj is None and span[1] <= tok.idx:
            # '"...?" asked the boy'; but what follows "told" is the one told, never the speaker
            subj = None if tok.lemma_.lower() in ADDRESSEE_ONLY_VERBS else _inverted_subject(ctx, tok)
            if subj is None:
                # '"...," Gene Sperling, a top adviser, said': the parse took the name into
                # the content; the speaker is the name between the quotation and the cue
                qs = [
                    q
                    for q in ctx.quotes
                    if (_opened_by(ctx, q, span[0]) or span[0] <= q.start < span[1])
                    and span[0] < q.end <= tok.idx
                    and q.closed
                ]
                if qs:
                    qend = qs[-1].end
                    between = [t for t in ctx.sdoc[ctx.token_at(qend) : tok.i] if t.idx >= qend and not t.is_punct]
                    if between and between[0].pos_ == "PROPN" and any(t.ent_type_ == "PERSON" for t in between[:4]):
                        subj = _first_name(ctx, between)
                        span = (span[0], qend)
        has_clause = _first_child(tok, ("ccomp",)) is not None
        if subj is None and (not speech or not has_clause):
            continue
        if not has_clause and subj is not None and subj.text.isupper() and len(subj.text) > 3:
            continue  # a dateline ("WASHINGTON — ..."), not a source
        if tok.lemma_.lower() == "cite" and tok.dep_ == "advcl" and _is_cue(tok.head, SPEECH_VERBS):
            continue  # "X reported, citing Y": part of X's attribution chain
        a = _Attr(span[0], span[1], "indirect", tok, (tok.idx, tok.idx + len(tok.text)))
        a.speech = speech and _first_child(tok, ("ccomp",)) is not None
        _set_speaker_and_relay(ctx, a, tok, subj)
        out.append(a)
    # "The Kremlin said that Putin told Scholz that ...": a report of someone else's words
    # is theirs, passed on by the outer speaker (as "X quoted Y as saying")
    by_cue = {a.cue.i: a for a in out if a.cue is not None and a.kind == "indirect" and a.cue.pos_ in ("VERB", "AUX")}
    nested: set[int] = set()
    for a in out:
        if a.cue is None or a.subj is None or not a.speech or id(a) in nested:
            continue
        comp = _first_child(a.cue, ("ccomp",)) if a.cue.pos_ in ("VERB", "AUX") else None
        inner = by_cue.get(comp.i) if comp is not None else None
        if (
            inner is None
            or inner is a
            or not inner.speech
            or inner.subj is None
            or not _is_cue(inner.cue, SPEECH_VERBS)
            or inner.subj.lower_ in FIRST_PERSON
            or not (inner.subj.pos_ == "PROPN" and inner.subj.ent_type_ == "PERSON")  # a named person
        ):
            continue
        inner.via = [*a.via, _relay(ctx, a.subj, a.cue), *inner.via]
        nested.add(id(a))
    out = [a for a in out if id(a) not in nested]
    # an attitude inside what someone else reports is part of that report
    # (what a relay reports is kept: it becomes the reporting chain of the inner quote)
    contents = [(a.start, a.end) for a in out if a.speech and not (a.cue is not None and _is_relay(a.cue))]
    out = [a for a in out if a.cue_span is None or not any(s <= a.cue_span[0] < e for s, e in contents)]
    return out


def _name_colon(ctx: _Ctx, colon: Any) -> _Attr | None:
    """``Name: what they said`` at the start of a line (headlines, transcripts, bullet
    lists): the line after the colon, attributed to the named person or organisation."""
    doc = ctx.sdoc
    toks = []
    j = colon.i - 1
    while j >= 0 and "\n" not in doc[j].text and "\n" not in doc[j].whitespace_:
        toks.append(doc[j])
        j -= 1
    if not toks or len(toks) > 6 or j >= 0 and doc[j].text in _TERMINAL:
        return None
    if any(t.pos_ in ("VERB", "AUX") or ctx.in_quote[t.i] >= 0 for t in toks):
        return None
    names = [t for t in toks if t.ent_type_ in ("PERSON", "ORG") and t.pos_ == "PROPN"]
    if not names or not all(t.pos_ in ("PROPN", "PUNCT", "DET", "ADP", "NOUN", "ADJ", "PART") for t in toks):
        return None
    start = colon.idx + 1
    end = ctx.text.find("\n", start)
    if end < 0:
        end = len(ctx.text)
    s, e = _trim(ctx.text, start, end)
    if _word_count(ctx.text[s:e]) < 3:
        return None
    head = names[0]
    while head.dep_ == "compound" and head.head.i > head.i and head.head in toks:
        head = head.head
    a = _Attr(s, e, "indirect", colon, (colon.idx, colon.idx + 1))
    a.subj = head
    return a


def _inverted_subject(ctx: _Ctx, v: Any) -> Any:
    """The speaker after the cue in an inverted reporting clause (``..., said Mr. Smith``)."""
    _, hi = _sentence_range(ctx, v)
    region = []
    for t in ctx.sdoc[v.i + 1 : min(hi, v.i + 10)]:
        # a participle modifying the name ("said retired neurosurgeon Ben Carson")
        modifier = t.tag_ in ("VBG", "VBN") and (
            (t.i + 1 < hi and ctx.sdoc[t.i + 1].pos_ == "PROPN") or (t.dep_ == "amod" and t.head.i > t.i)
        )
        if t.text in (",", "(", "—", "–") or (t.pos_ in ("VERB", "AUX", "ADP") and not modifier):
            break
        if ctx.in_quote[t.i] >= 0:
            break
        region.append(t)
    persons = [t for t in region if t.ent_type_ == "PERSON"] or [t for t in region if t.pos_ == "PROPN"]
    if persons:
        return persons[-1]  # "said Oversight ranking Democrat Elijah Cummings"
    for t in region:
        if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ != "pobj":
            h = t
            while h.dep_ in ("compound", "amod") and h.head.i > h.i and h.head.i < hi:
                h = h.head
            return h
        if t.pos_ in ("VERB", "AUX") or ctx.in_quote[t.i] >= 0:
            break
    # the tagger missed the name ('said Skelly, explaining' with "Skelly" as an adverb): a
    # capitalised word right after the cue, closing the clause, is the speaker's name
    if region and all(t.is_title and t.is_alpha for t in region) and len(region) <= 3:
        nxt = ctx.sdoc[region[-1].i + 1] if region[-1].i + 1 < len(ctx.sdoc) else None
        if nxt is None or nxt.is_punct:
            return region[-1]
    return None


def _is_relay(cue: Any) -> bool:
    return bool(cue.lemma_.lower() in RELAY_VERBS)


def _according_to(ctx: _Ctx, tok: Any) -> _Attr | None:
    doc = ctx.sdoc
    to = doc[tok.i + 1]
    pobj = _first_child(to, ("pobj",)) or _first_child(tok, ("pobj",))
    if pobj is None:
        for t in doc[tok.i + 2 : min(len(doc), tok.i + 12)]:
            if t.pos_ in ("PROPN", "NOUN", "PRON"):
                pobj = t
                break
    if pobj is None:
        return None
    # the clause it modifies: the sentence minus the "according to X" phrase
    sent = tok.sent
    phrase_i = tok.i
    phrase_j = max(pobj.right_edge.i + 1, tok.i + 2)
    before = (sent.start, phrase_i)
    after = (phrase_j, sent.end)
    i, j = after if (after[1] - after[0]) > (before[1] - before[0]) else before
    if j - i < 3:
        return None
    s, e = _trim(ctx.text, *_span_chars(doc, i, j))
    if e <= s:
        return None
    cue_end = doc[tok.i + 1].idx + len(doc[tok.i + 1].text)
    a = _Attr(s, e, "indirect", tok, (tok.idx, cue_end))
    a.subj = _document_author(pobj) or pobj
    if a.subj is not pobj:
        a.via.append(_relay(ctx, pobj, tok))
    return a


def _document_author(tok: Any) -> Any:
    """The author of a document named with its author (``a court document filed by X``,
    ``a letter written by X``): X; else None."""
    if tok.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    for c in tok.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            agent = _first_child(c, ("agent",))
            pobj = _first_child(agent, ("pobj",)) if agent is not None else None
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                return pobj
    return None


def _speaker_token(v: Any) -> Any:
    subj = _subject(v)
    if subj is not None and subj.lower_ in _REL_PRONOUNS | {"it"} and subj.lower_ != "it":
        return subj
    if subj is not None and subj.lower_ == "it" and subj.dep_ == "nsubjpass":
        return None
    return subj


def _set_speaker_and_relay(ctx: _Ctx, a: _Attr, v: Any, subj: Any) -> None:
    """Speaker, addressee and reporting chain of cue ``v``."""
    a.subj = subj
    lemma = v.lemma_.lower()
    # "X released a video that said ...", "X ran a piece that noted ...": the words are
    # those of whoever issued the document, which passes them on
    if subj is not None and subj.lower_ in _REL_PRONOUNS and subj.head.i == v.i and v.dep_ == "relcl":
        thing = v.head
        owner = _first_child(thing.head, ("nsubj",)) if thing.dep_ == "dobj" else None
        if (
            owner is not None
            and thing.lemma_.lower() in DOCUMENT_NOUNS
            and owner.pos_ in ("PROPN", "NOUN", "PRON")
            and ctx.in_quote[owner.i] < 0
        ):
            a.subj = owner
            a.via.append(_relay(ctx, thing, v))
    # "The Telegraph quoted X as saying" / "X was quoted by the Telegraph as saying"
    head = v.head
    if v.dep_ in ("advcl", "pcomp", "xcomp", "prep") or (head is not v and head.lemma_.lower() == "quote"):
        qverb = head if head.lemma_.lower() == "quote" else (head.head if head.head.lemma_.lower() == "quote" else None)
        if qverb is not None:
            dobj = _first_child(qverb, ("dobj",))
            nsubj = _first_child(qverb, ("nsubj",))
            nsubjpass = _first_child(qverb, ("nsubjpass",))
            agent = _first_child(qverb, ("agent",))
            if dobj is not None:
                a.subj = dobj
                if nsubj is not None:
                    a.via.append(_relay(ctx, nsubj, qverb))
            elif nsubjpass is not None:
                a.subj = nsubjpass
                if agent is not None:
                    pobj = _first_child(agent, ("pobj",))
                    if pobj is not None:
                        a.via.append(_relay(ctx, pobj, qverb))
    # "..., the Times reported, citing two officials"
    for c in v.children:
        if c.lemma_.lower() == "cite" and c.dep_ in ("advcl", "xcomp", "conj", "prep", "acl"):
            cited = _first_child(c, ("dobj", "pobj"))
            # only people and organisations are sources ("citing officials", not "citing data");
            # a person who speaks citing others stays the speaker ('"...," he said, citing
            # voters who ...'): only a relay (a paper, an agency) passes the words on
            person = a.subj is not None and (
                a.subj.lower_ in PERSON_PRONOUNS or a.subj.lower_ in FIRST_PERSON or a.subj.ent_type_ == "PERSON"
            )
            if (
                cited is not None
                and not person
                and (cited.ent_type_ in ("PERSON", "ORG", "NORP") or cited.lemma_.lower() in ANONYMOUS_HEADS)
            ):
                if a.subj is not None:
                    a.via.append(_relay(ctx, a.subj, v))
                a.subj = cited
    # addressee: "told reporters", "said to the paper", "told Sky News"
    if lemma in ADDRESSEE_VERBS:
        obj = _first_child(v, ("dobj", "dative", "iobj"))
        speaker = a.subj
        if obj is not None and speaker is not None and obj.left_edge.i <= speaker.i <= obj.right_edge.i:
            obj = None  # the inverted speaker ('"...?" asked the boy'), not an addressee
        if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
            a.addressee = _np_text(ctx, obj)
    if a.addressee is None:
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "with") and lemma in SPEECH_VERBS:
                pobj = _first_child(c, ("pobj",))
                if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                    a.addressee = _np_text(ctx, pobj)
                    break


def _np_text(ctx: _Ctx, tok: Any) -> str:
    i, j = _np_span(tok)
    s, e = _span_chars(ctx.sdoc, i, j)
    return ctx.text[s:e]


def _relay(ctx: _Ctx, tok: Any, cue: Any) -> dict[str, Any]:
    sp = _speaker_dict(ctx, tok, [])
    return {
        "name": sp["name"],
        "start": sp["start"],
        "end": sp["end"],
        "text": sp["text"],
        "cluster": sp.get("cluster"),
        "cue": cue.text,
    }


# -- direct quotes --------------------------------------------------------------------------
def _window(ctx: _Ctx, q: QuoteMarks, side: str) -> list[Any]:
    """Tokens of the quote's own sentence outside the quote, on one side of it."""
    doc = ctx.sdoc
    out: list[Any] = []
    if side == "post":
        i = ctx.token_at(q.end)
        if i < len(doc) and doc[i].idx < q.end:
            i += 1
        while i < len(doc) and len(out) < 30:
            t = doc[i]
            if "\n" in t.text or ctx.in_quote[i] >= 0:
                break
            if t.text in _TERMINAL:
                break
            out.append(t)
            if "\n" in t.whitespace_:
                break
            i += 1
    else:
        i = ctx.token_at(q.start) - 1
        while i >= 0 and len(out) < 40:
            t = doc[i]
            if "\n" in t.text or "\n" in t.whitespace_ or ctx.in_quote[i] >= 0 or t.text in _TERMINAL:
                break
            out.append(t)
            i -= 1
        out.reverse()
    return out


def _post_cue_ok(ctx: _Ctx, v: Any, q: QuoteMarks) -> bool:
    """A cue after the quote must not report something else of its own.  Right after the
    quote, the cue comes before its speaker, whom the parse may take for an object
    ('"...," read the statement', '"...," exhorted the host')."""
    first = ctx.token_at(q.end)
    while first < len(ctx.sdoc) and (ctx.sdoc[first].idx < q.end or ctx.sdoc[first].is_punct):
        first += 1
    inverted = v.i == first
    for c in v.children:
        if c.i <= v.i or ctx.in_quote[c.i] >= 0:
            continue
        if c.dep_ in ("ccomp", "xcomp"):
            return False
        if (
            c.dep_ == "dobj"
            and v.lemma_.lower() not in ADDRESSEE_VERBS
            and c.lower_ not in ("it", "so", "this")
            and not inverted
        ):
            return False
    return True


def _opens_next(ctx: _Ctx, v: Any) -> bool:
    """A cue followed by a colon and a quotation introduces that next quotation
    (``"A." Mr. Smith said: "B."``), not the one before it."""
    doc = ctx.sdoc
    k = v.i + 1
    while k < len(doc) and doc[k].dep_ in ("advmod", "npadvmod", "prt") and k - v.i <= 3:
        k += 1
    if k >= len(doc) or doc[k].text != ":":
        return False
    k += 1
    while k < len(doc) and doc[k].is_space:
        k += 1
    return k < len(doc) and ctx.in_quote[k] >= 0


def _direct_cue(ctx: _Ctx, q: QuoteMarks) -> tuple[Any, Any]:
    """(cue token, speaker token) for a direct quote from its own sentence, or (None, None)."""
    post = _window(ctx, q, "post")
    pre = _window(ctx, q, "pre")
    post_cues = [t for t in post if _is_cue(t, SPEECH_VERBS) and _post_cue_ok(ctx, t, q) and not _opens_next(ctx, t)]
    if (
        not post_cues
        and post
        and post[0].tag_ == "VBD"
        and post[0].dep_ == "amod"
        and post[0].lemma_.lower() in SPEECH_VERBS
    ):
        post_cues = [post[0]]  # '"...," tweeted Rubio spokesman Alex Conant': parsed as a modifier
    pre_cues = [t for t in pre if _is_cue(t, SPEECH_VERBS)]
    # "according to X" right after the quote, or anywhere in the clause before it (not in
    # a sentence that runs on after a quote closed by its own full stop)
    according = [t for t in pre + post[:3] if t.lower_ == "according"]
    inner = ctx.text[q.start : q.end].rstrip("”\"»' ")
    ends_sentence = inner.endswith((".", "!", "?"))
    pre_adjacent = bool(pre) and (pre[-1].text in (":", ",", "—", "–", "-") or pre[-1] in pre_cues)
    cue = None
    if post_cues and post_cues[0].i - post[0].i <= 6 and not (ends_sentence and pre_cues and pre_adjacent):
        cue = post_cues[0]
    elif pre_cues and (pre_adjacent or pre[-1].i - pre_cues[-1].i <= 4):
        cue = pre_cues[-1]
    elif post_cues and (post_cues[0].i - post[0].i <= 12 or _named_apposition(post, post_cues[0])):
        cue = post_cues[0]
    elif post and inner.endswith((",", "?", "!", "—")) and not according:
        # '"...," X beamed.': a reporting clause of any verb right after a quote left open
        # by a comma, with nothing of its own to report
        for t in post[:8]:
            if t.pos_ == "VERB" and _post_cue_ok(ctx, t, q) and t.dep_ in ("ROOT", "parataxis", "ccomp"):
                subj = _subject(t)
                nominal = subj is not None and (subj.pos_ in ("PROPN", "NOUN", "PRON") or ctx.surname(subj))
                if nominal and post[0].i <= subj.i <= post[-1].i:
                    cue = t
                break
    if cue is None and post and inner.endswith((",", "?", "!")) and not according:
        mistagged, subj = _mistagged_cue(post)
        if mistagged is not None:
            return mistagged, subj
    if (
        cue is None
        and len(pre) >= 2
        and pre[-1].text in (",", ":")
        and pre[-2].pos_ == "VERB"
        and _subject(pre[-2]) is not None
    ):
        # 'Silverman joked, "..."': a verb of any kind right before ', "', the verb of
        # the main clause when it is a subordinate one ("X apologized for what happened:")
        cue = _outermost_verb(ctx, pre[-2], pre)
    if cue is None and according:
        t = according[0]
        nxt = ctx.sdoc[t.i + 1 : t.i + 12]
        for n in nxt:
            if n.pos_ in ("PROPN", "NOUN", "PRON"):
                # find the head of that noun phrase
                h = n
                while h.dep_ == "compound" and h.head.i > h.i:
                    h = h.head
                return t, _document_author(h) or h
        return None, None
    if cue is None:
        return None, None
    if _asked_participle(cue) and cue.head in pre:
        cue = cue.head  # "X told Congress when asked about it: '...'": the one asked answers
    if _quote_is_argument(ctx, cue, q):
        return None, None
    if cue in pre:
        cue = _main_clause_verb(ctx, cue, pre)
    subj = _unquoted_subject(ctx, cue, _speaker_token(cue))
    window = post if cue in post else pre
    if cue.tag_ == "VBG" and window is pre and (subj is None or subj.i >= cue.i):
        # "X shared the news, writing", "X began by saying", "X issued a statement saying"
        subj = _participle_subject(ctx, cue) or subj
    inherited = subj is not None and cue.tag_ == "VBG" and not any(c.i == subj.i for c in cue.children)  # ", adding"
    if subj is None or (not inherited and (subj.i < window[0].i or subj.i > window[-1].i)):
        # inverted or unparsed: '"...," X, 58, told AFP' (the name between the quote and
        # the cue), '"...," said the boy' (after the cue), 'X said: "..."' (before it)
        subj = None
        comp = _first_child(cue, ("ccomp",))
        inverted = window is post and cue.i - post[0].i <= 1
        if inverted:
            subj = _inverted_subject(ctx, cue)
        if subj is None and window is post:
            subj = _first_name(ctx, [t for t in post if t.i < cue.i])
        if subj is None and not inverted:
            after = [t for t in window if t.i > cue.i]
            if comp is not None:
                after = [t for t in after if not comp.left_edge.i <= t.i <= comp.right_edge.i]
            cands = [t for t in after if t.dep_ not in ("dobj", "pobj", "dative") and t.head.dep_ != "pobj"]
            subj = _first_name(ctx, cands)
        if subj is None and window is pre and _first_child(cue, ("nsubjpass",)) is None:
            before = _outside_modifiers([t for t in pre if t.i < cue.i])
            subj = _first_name(ctx, _unbracketed(ctx, list(reversed(before))))
    return cue, subj


def _named_apposition(post: list[Any], cue: Any) -> bool:
    """Whether the words between a quotation and a cue after it are a name and its
    description set off by commas, however long ('"...," Jane Doe, the mayor of a town
    that ..., said'): the cue then reports the quotation."""
    k = 0
    while k < len(post) and post[k].pos_ == "PROPN":
        k += 1
    if k == 0 or k >= len(post) or post[k].text != "," or not any(t.ent_type_ == "PERSON" for t in post[:k]):
        return False
    before = [t for t in post if t.i < cue.i]
    return bool(before) and before[-1].text == "," and not any(
        t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "parataxis") for t in before
    )


def _mistagged_cue(post: list[Any]) -> tuple[Any, Any]:
    """(cue, speaker) of a reporting clause after a quote that the tagger read as a noun
    phrase ('"...," the editorial read.', '"...," a voice-over in the ad states.'): a
    short phrase with no verb, then a word that is a verb of saying, ending the clause or
    followed only by a prepositional phrase; the speaker is the head of the phrase."""
    for k, w in enumerate(post[:9]):
        if w.pos_ in ("VERB", "AUX"):
            break
        if k == 0 or w.lemma_.lower() not in SPEECH_VERBS or w.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        nxt = post[k + 1] if k + 1 < len(post) else None
        if nxt is not None and nxt.text != "," and nxt.pos_ not in ("ADP", "ADV"):
            return None, None
        phrase = post[:k]
        prep = next((j for j, t in enumerate(phrase) if t.pos_ == "ADP"), len(phrase))
        head = phrase[prep - 1] if prep > 0 else None
        if head is None or head.pos_ not in ("NOUN", "PROPN", "ADJ", "PRON"):
            return None, None
        if not all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "PART", "PUNCT", "ADP") for t in phrase):
            return None, None
        return w, head
    return None, None


def _outside_modifiers(toks: list[Any]) -> list[Any]:
    """Tokens (in text order) outside the clauses that modify a noun before them: a
    relative clause (``an official who spoke to discuss strategy said``) or a participial
    phrase set off by commas (``X, noting the size of the crowd, said``, ``X, asked about
    Y, had said``), whose nouns are never the subject of the verb after them."""
    inside = {t.i for t in toks}
    drop: set[int] = set()
    for t in toks:
        modifier = t.dep_ in ("relcl", "acl") and t.head.i < t.i and t.pos_ in ("VERB", "AUX")
        # (a participle the tagger took for a past tense: no subject, hung on a clause)
        untagged = t.tag_ == "VBD" and t.dep_ in ("advcl", "acl") and _first_child(t, _SUBJ) is None
        participle = (
            (t.tag_ in ("VBG", "VBN") or untagged)
            and t.i - 1 in inside
            and t.doc[t.i - 1].text == ","
            and t.i - 1 > toks[0].i
        )
        if modifier:
            drop.update(k.i for k in t.subtree)
        elif participle:
            k = t.i
            while k in inside and t.doc[k].text != ",":
                drop.add(k)
                k += 1
    return [t for t in toks if t.i not in drop]


def _asked_participle(v: Any) -> bool:
    """A passive participle of saying with no subject of its own (``when asked``, ``X,
    told of the ruling,``): it names whom the words were put to, who then speaks in the
    clause it hangs on."""
    return bool(
        v.tag_ == "VBN"
        and v.dep_ == "advcl"
        and v.head.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in v.children)
    )


_SUBORDINATE = ("advcl", "relcl", "acl", "pcomp", "pobj", "prep", "ccomp", "xcomp", "conj", "mark")


def _main_clause_verb(ctx: _Ctx, cue: Any, window: list[Any]) -> Any:
    """The verb of the clause that introduces a quotation, not of a clause fronted before it:
    in ``When X suggested ..., Y fired back: "..."`` (or ``After X criticized ..., Y shot
    back, "..."``) the quotation is Y's.  Climbs from ``cue`` through subordinate relations
    to a verb after it, in the same window and outside quotations, with a subject of its own."""
    inside = {t.i for t in window}
    h = cue
    for _ in range(6):
        child, h = h, h.head
        if h.i == child.i or h.i not in inside or ctx.in_quote[h.i] >= 0 or child.dep_ not in _SUBORDINATE:
            return cue
        if child.dep_ in ("conj", "xcomp", "ccomp") and child.i == cue.i:
            return cue  # "X said and added:", "X wants to say:": the same speaker
        if h.pos_ in ("VERB", "AUX") and h.i > cue.i and child.dep_ == "advcl":
            subj = _first_child(h, ("nsubj",))
            if subj is not None and subj.i not in range(cue.left_edge.i, cue.right_edge.i + 1):
                return h
    return cue


def _outermost_verb(ctx: _Ctx, verb: Any, window: list[Any]) -> Any:
    """The verb with a subject whose noun or prepositional phrase holds the clause of
    ``verb`` (``X apologized for what happened:``), in the same window; ``verb`` itself when
    its clause is not embedded in a phrase (``X circled it as his friends jeered,``)."""
    inside = {t.i for t in window}
    best = verb
    h = verb
    while (
        h.head.i != h.i
        and h.dep_ in ("pcomp", "pobj", "prep", "relcl", "acl", "dobj")
        and h.head.i in inside
        and ctx.in_quote[h.head.i] < 0
    ):
        h = h.head
        if h.pos_ in ("VERB", "AUX") and _first_child(h, ("nsubj",)) is not None:
            best = h
    return best


def _unbracketed(ctx: _Ctx, toks: list[Any]) -> list[Any]:
    """Tokens (in the order given) outside quotations and parentheses (``Kasich (R-OH)``)."""
    out = []
    depth = 0
    for t in toks:
        if t.text in ("(", ")"):
            depth = max(0, depth + (1 if t.text == ")" else -1))  # reversed order: ")" opens
            continue
        if depth == 0 and ctx.in_quote[t.i] < 0:
            out.append(t)
    return out


_MARK_CHARS = "'\"`“”‘’„«» \t"


def _opens_quote(ctx: _Ctx, pos: int) -> bool:
    """Whether a quotation opens at ``pos`` (its mark, one character or two as in
    ``''``, just before it)."""
    i = bisect.bisect_right(ctx.q_starts, pos) - 1
    return i >= 0 and _opened_by(ctx, ctx.quotes[i], pos)


def _opened_by(ctx: _Ctx, q: QuoteMarks, pos: int) -> bool:
    """Whether quote ``q`` opens at ``pos``: nothing but its marks before it."""
    return q.start <= pos < q.end and not ctx.text[q.start : pos].strip(_MARK_CHARS)


def _unquoted_subject(ctx: _Ctx, v: Any, subj: Any) -> Any:
    """A word of a quotation is never its speaker: when the parse makes one the subject of
    ``v`` (``"... Sen. John McCain," Trump said``), the other subject outside quotes, or None."""
    if subj is None or ctx.in_quote[subj.i] < 0:
        return subj
    for c in v.children:
        if c.dep_ == "nsubj" and c is not subj and ctx.in_quote[c.i] < 0:
            return c
    return None


def _participle_subject(ctx: _Ctx, cue: Any) -> Any:
    """The speaker of a participle cue before a quote: the subject of the nearest clause
    it hangs from (``X shared the news, writing "..."``, ``X began by saying "..."``), the
    issuer of a statement (``X put out a statement saying "..."``), or the noun it modifies
    (``the share of voters saying "..."``)."""
    h = cue
    for _ in range(8):
        if h.head is h:
            return None
        child, h = h, h.head
        if ctx.in_quote[h.i] >= 0:
            break  # the parse runs into the quotation: take the clause before the cue
        if h.pos_ in ("VERB", "AUX"):
            for c in h.children:
                if c.dep_ == "nsubj" and c.i < cue.i and ctx.in_quote[c.i] < 0:
                    return c
            if any(c.dep_ == "nsubjpass" for c in h.children):
                return None
        elif h.pos_ in ("NOUN", "PROPN") and child.dep_ == "acl":
            free = cue.i > 0 and ctx.sdoc[cue.i - 1].text == ","  # ", remarking": a free adjunct
            # "an email to supporters saying", "sent a message to supporters saying": the
            # statement says it, not its addressees
            addressees = _addressee_of_statement(h)
            if h.lemma_.lower() not in STATEMENT_NOUNS and not free and not addressees:
                return h
            if h.dep_ in _SUBJ:
                return h  # "A statement from the campaign saying ..."
    else:
        return None
    lo, _ = _sentence_range(ctx, cue)
    for k in range(cue.i - 1, lo - 1, -1):
        t = ctx.sdoc[k]
        if t.text == "," or t.pos_ not in ("VERB", "AUX") or ctx.in_quote[k] >= 0:
            continue
        subj = _first_child(t, ("nsubj",))
        if subj is not None and subj.i < t.i:
            return subj
        if t.dep_ == "ROOT":
            break
    return None


def _addressee_of_statement(noun: Any) -> bool:
    """Whether a noun is the one a statement goes to: the object of ``to`` on a statement
    noun (``an email to supporters``) or on a verb that sends or puts one (``sent a text
    message to supporters``, ``put it in his memo to employees``)."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "to" or noun.head.dep_ not in ("prep", "dative"):
        return False
    gov = noun.head.head
    if gov.lemma_.lower() in STATEMENT_NOUNS:
        return True
    if gov.pos_ not in ("VERB", "AUX"):
        return False
    for c in gov.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS:
            return True
        if c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lemma_.lower() in STATEMENT_NOUNS for g in c.children):
            return True
    return False


def _first_name(ctx: _Ctx, toks: list[Any]) -> Any:
    """The first token that can head a speaker's mention: a person or organisation name, a
    personal pronoun or a common noun, never a date, a time or a place."""
    for t in toks:
        if t.pos_ == "ADJ" and any(c.dep_ == "det" and c.i < t.i for c in t.children) and t.dep_ != "amod":
            return t  # an adjective used as a noun: "the 43-year-old", "the accused"
        if t.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        if t.pos_ == "PRON" and t.lower_ not in PERSON_PRONOUNS and t.lower_ not in GROUP_PRONOUNS:
            continue
        if t.pos_ not in ("PROPN", "NOUN", "PRON") and ctx.surname(t):
            return t  # a name the tagger took for another word ('"...," Will wrote')
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            h = t
            # up to the head noun of the phrase; never into a verb the tagger glued the
            # name onto ('"...," Conway notes' with "Conway" a compound of "notes")
            while (
                h.dep_ in ("compound", "amod")
                and h.head.i > h.i
                and h.head.i <= toks[-1].i + 3
                and h.head.pos_ in ("NOUN", "PROPN", "NUM")
            ):
                h = h.head
            return h
    return None


def _quote_is_argument(ctx: _Ctx, cue: Any, q: QuoteMarks) -> bool:
    """The quote names the addressee or a circumstance (``told "Good Morning America"``,
    ``said on "Meet the Press"``), not what was said."""
    first = ctx.token_at(q.start + 1)
    if first >= len(ctx.sdoc):
        return False
    tok = ctx.sdoc[first]
    long_quote = _word_count(ctx.text[q.start : q.end]) >= _MIN_UNATTRIBUTED_WORDS
    for c in cue.children:
        is_arg = c.dep_ in ("dative", "prep", "agent", "npadvmod") or (
            c.dep_ == "dobj" and cue.lemma_.lower() in ADDRESSEE_VERBS
        )
        # a quotation before the cue that opens with a phrase the parse hangs on the cue
        # ('"In some ways he is doing ...," said X') is what was said, not an argument (a
        # short one, '"After that," X said, "..."', is the first half of a split quotation)
        opens_quote = c.i < cue.i and ctx.in_quote[c.left_edge.i] >= 0 and long_quote
        if is_arg and not opens_quote and c.left_edge.i <= tok.i <= c.right_edge.i:
            return True
    return False


def _colon_intro(ctx: _Ctx, q: QuoteMarks) -> tuple[Any, Any]:
    """A quote after a colon, on the same line or opening the next (``X boomed: "..."``,
    ``Stated Stone:`` / bullet line, ``Smith: "..."`` in a headline).  The cue is the verb of
    saying nearest the colon, else any verb of that clause with a subject, else the colon
    itself when the clause is just a name."""
    doc = ctx.sdoc
    i = ctx.token_at(q.start) - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in "-–—•*·"):
        i -= 1
    if i < 0 or doc[i].text != ":" or ctx.in_quote[i] >= 0:
        return _bullet_lead_in(ctx, q)
    cue, subj = _colon_clause(ctx, doc[i])
    if cue is None:
        return _bullet_lead_in(ctx, q)  # "• On pay: "..."": a bullet's own label
    return cue, subj


_BULLETS = "•*·-–—"


def _bullet_lead_in(ctx: _Ctx, q: QuoteMarks) -> tuple[Any, Any]:
    """A quote on a bullet line under a lead-in that ends in a colon (``X listed her
    demands:`` / ``• On pay: "..."``): the lead-in's cue and speaker."""
    text = ctx.text
    start = text.rfind("\n", 0, q.start) + 1
    if not text[start : q.start].lstrip()[:1] or text[start : q.start].lstrip()[0] not in _BULLETS:
        return None, None
    end = start - 1  # the line break before the bullet line
    for _ in range(12):
        if end <= 0:
            break
        ls = text.rfind("\n", 0, end) + 1
        line = text[ls:end].strip()
        if not line or line[0] in _BULLETS:
            end = ls - 1
            continue
        if not line.endswith(":"):
            break
        k = ctx.token_at(ls + len(text[ls:end].rstrip()) - 1)
        if ctx.sdoc[k].text == ":" and ctx.in_quote[k] < 0:
            return _colon_clause(ctx, ctx.sdoc[k])
        break
    return None, None


def _colon_clause(ctx: _Ctx, colon: Any) -> tuple[Any, Any]:
    """The cue and speaker of the clause that ends in ``colon`` (see ``_colon_intro``)."""
    doc = ctx.sdoc
    i = colon.i
    toks = []
    j = i - 1
    while j >= 0 and "\n" not in doc[j].text and "\n" not in doc[j].whitespace_ and doc[j].text not in _TERMINAL:
        if ctx.in_quote[j] >= 0:
            break
        toks.append(doc[j])  # nearest the colon first
        j -= 1
    if not toks:
        return None, None
    signer = _signer(toks)
    if signer is not None:
        return colon, signer
    cues = [t for t in toks if _is_cue(t, SPEECH_VERBS)]
    if not cues and ctx.known_name(toks[0]) and not _in_pp(toks[0]):
        return colon, toks[0]  # "... doesn't surprise pollster Daron Shaw: '...'"
    if (
        not cues
        and len(toks) <= 5
        and toks[0].lemma_.lower() in DOCUMENT_NOUNS
        and toks[0].dep_ == "pobj"
        and toks[0].head.lower_ == "from"
        and not any(t.pos_ in ("VERB", "AUX") for t in toks)
    ):
        return colon, toks[0]  # "From the report: '...'": the document is the source
    if not cues:
        # any verb with a subject, of the main clause ("X apologized for what happened:")
        verbs = [t for t in toks if t.pos_ == "VERB" and _subject(t) is not None]
        cues = [t for t in verbs if not any(a in verbs for a in t.ancestors)] or verbs
    if cues:
        cue = cues[0]
        subj = _speaker_token(cue)
        if subj is None:
            # inverted: "Stated Stone:"
            subj = next((t for t in reversed(toks) if t.i > cue.i and t.pos_ in ("PROPN", "NOUN")), None)
            while subj is not None and subj.dep_ == "compound" and subj.head.i > subj.i and subj.head.i < colon.i:
                subj = subj.head
        return cue, subj
    if len(toks) <= 6 and not any(t.pos_ in ("VERB", "AUX") for t in toks):
        names = [t for t in toks if ctx.known_name(t)]
        if names:
            return colon, names[0]
    return None, None


def _signer(toks: list[Any]) -> Any:
    """The name that signs an excerpt after a dash (``Polls missed the upset - Jane Doe:``),
    from the tokens before a colon, nearest first; None when there is none."""
    dash = next((k for k, t in enumerate(toks) if t.text in ("-", "–", "—")), None)
    if (
        dash is not None
        and 1 <= dash <= 4
        and all(t.pos_ in ("PROPN", "NOUN") or t.text == "." for t in toks[:dash])
        and any(t.pos_ == "PROPN" for t in toks[:dash])
    ):
        return toks[0]
    return None


def _signed_excerpt(ctx: _Ctx, pos: int) -> tuple[Any, Any]:
    """(colon, name) when the text at ``pos`` follows a colon that closes a signature
    (``... - Jane Doe: "..."``), else (None, None)."""
    doc = ctx.sdoc
    i = ctx.token_at(pos) - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in _MARK_CHARS.strip()):
        i -= 1
    if i < 1 or doc[i].text != ":" or ctx.in_quote[i] >= 0:
        return None, None
    toks: list[Any] = []
    j = i - 1
    while j >= 0 and len(toks) < 6 and "\n" not in doc[j].text and "\n" not in doc[j].whitespace_:
        toks.append(doc[j])
        j -= 1
    signer = _signer(toks)
    return (doc[i], signer) if signer is not None else (None, None)


_DASH_LINE = re.compile(r"[ \t]*\n\s*([-–—])[ \t]*(?=\w)")


def _dash_signature(ctx: _Ctx, q: QuoteMarks) -> tuple[Any, Any]:
    """A quotation that ends its line, signed on the next line by a dash and a name
    (``"..." / - Jane Smith, tweeting after the debate.``): the name is the speaker."""
    m = _DASH_LINE.match(ctx.text, q.end)
    if m is None:
        return None, None
    doc = ctx.sdoc
    dash_i = ctx.token_at(m.start(1))
    name_i = ctx.token_at(m.end())
    line = []
    for t in doc[name_i : min(len(doc), name_i + 20)]:
        if "\n" in t.text or t.text in (",", "(") or t.text in _TERMINAL:
            break
        line.append(t)
        if "\n" in t.whitespace_:
            break
    # a name and nothing else before the first comma: no verb, at most a title
    if not line or len(line) > 6 or any(t.pos_ in ("VERB", "AUX") or ctx.in_quote[t.i] >= 0 for t in line):
        return None, None
    names = [t for t in line if ctx.known_name(t) or t.pos_ == "PROPN"]
    if not names or not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "PUNCT", "DET") for t in line):
        return None, None
    return doc[dash_i], names[-1]  # (the dash may be glued to the name: "-President")


def _inner_signature(ctx: _Ctx, q: QuoteMarks) -> tuple[Any, int]:
    """(name, start of its line) when a quotation of several lines ends with a line that
    only names its speaker, inside the marks (``"... we need to act.\nJane Doe, Policy
    Institute."``), else (None, 0)."""
    s, e = q.inner
    inner = ctx.text[s:e].rstrip()
    nl = inner.rfind("\n")
    if nl < 0 or not inner[:nl].rstrip().endswith((".", "!", "?", "\u201d", '"')):
        return None, 0
    line_start = s + nl + 1
    while line_start < e and ctx.text[line_start].isspace():
        line_start += 1
    toks = [t for t in ctx.sdoc[ctx.token_at(line_start) : ctx.token_at(s + len(inner) - 1) + 1] if t.idx >= line_start]
    words = [t for t in toks if not t.is_punct and not t.is_space]
    if not words or len(words) > 10 or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None, 0
    # the name: the first run of proper nouns that names a person, before any comma
    for t in toks:
        if t.text == ",":
            break
        if t.ent_type_ == "PERSON" and t.pos_ == "PROPN":
            head = t
            while head.i + 1 < len(ctx.sdoc) and ctx.sdoc[head.i + 1].ent_type_ == "PERSON" and ctx.sdoc[head.i + 1] in toks:
                head = ctx.sdoc[head.i + 1]
            return head, s + len(inner[:nl].rstrip())
    return None, 0


def _in_pp(tok: Any) -> bool:
    """Whether a name is the object of a preposition (``celebrated on Twitter:``)."""
    h = tok
    while h.dep_ in ("compound", "flat") and h.head.i != h.i:
        h = h.head
    if h.dep_ != "pobj":
        return False
    prep = h.head
    # "More from Jones:" names a source; "HEADLINE IN CAPS - Name:" is a byline, not a PP
    dash = any(t.text in ("-", "–", "—") for t in tok.doc[min(prep.i, tok.i) : tok.i])
    return prep.lower_ != "from" and not dash


def _not_a_statement(ctx: _Ctx, q: QuoteMarks) -> bool:
    """Empty marks, and titles: a short Title Case phrase after a preposition or a
    possessive (``on "Meet the Press,"``, ``CNN's "State of the Union"``)."""
    inner = ctx.text[q.start + 1 : q.end - (1 if q.closed else 0)]
    words = re.findall(r"[^\W\d_][\w'’-]*", inner)
    if not words:
        return True
    i = ctx.token_at(q.start) - 1
    prev = ctx.sdoc[i] if i >= 0 else None
    after_colon = prev is not None and prev.text == ":"
    if len(words) < 4 and words[0][0].islower() and not after_colon:
        return True  # a quoted fragment ('a "golden opportunity"'): not a statement by itself
    if len(words) > 8:
        return False
    content = [w for w in words if len(w) > 3]
    if not content or not all(w[0].isupper() for w in content):
        return False
    if len(content) >= 2 and not after_colon and not _starts_paragraph(ctx, q.start):
        return True  # a Title Case name: a book, a show, a slogan
    if prev is None:
        return False
    return prev.pos_ == "ADP" or prev.tag_ == "POS" or prev.lower_ in ("titled", "entitled", "called", "named")


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# -- speakers -------------------------------------------------------------------------------
def _mention_speaker(ctx: _Ctx, m: dict[str, Any]) -> dict[str, Any]:
    """The speaker dict of a named mention of the entities layer."""
    return {
        "entity": None,
        "cluster": m.get("cluster"),
        "name": ctx.name_of(m),
        "start": m["start"],
        "end": m["end"],
        "text": m["text"],
    }


def _speaker_dict(ctx: _Ctx, tok: Any, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    """The speaker of a mention headed by ``tok``, resolved where the text supports it."""
    doc = ctx.sdoc
    text = ctx.text
    if tok.lower_ in _REL_PRONOUNS and tok.head.dep_ == "relcl":
        antecedent = tok.head.head
        sp = _speaker_dict(ctx, antecedent, earlier)
        sp.update(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text)
        return sp
    if tok.pos_ == "PRON" or tok.lower_ in PERSON_PRONOUNS or tok.lower_ in GROUP_PRONOUNS:
        s, e = tok.idx, tok.idx + len(tok.text)
        sp = {"entity": None, "cluster": None, "name": None, "start": s, "end": e, "text": tok.text}
        own = [m for m in ctx.mentions_in(s, e) if m.get("cluster")]
        if own:
            sp.update(cluster=own[0]["cluster"], name=ctx.name_of(own[0]))
            return sp
        ref = _resolve_pronoun(ctx, tok, earlier)
        if ref is not None:
            sp.update(cluster=ref.get("cluster"), name=ref.get("name"), _label=ref.get("label"))
        else:
            sp["descriptor"] = True
            sp["name"] = tok.text
        return sp
    i, j = _np_span(tok)
    s, e = _span_chars(doc, i, j)
    named = [m for m in ctx.mentions_in(s, e) if m["start"] < e and m["end"] > s]
    if tok.pos_ in ("NOUN", "NUM") and tok.tag_ != "NNS" and not any(m["start"] <= tok.idx < m["end"] for m in named):
        # a role named by an apposition or a name right after it ("the company's lawyer,
        # John Smith,", "shipping analyst Jane Doe"): the person is the speaker
        role_named = _named_role(ctx, tok)
        if role_named is not None:
            return role_named
    if not named:
        # an apposition naming the descriptor: "the company's spokesman, John Smith,"
        for c in tok.rights:
            if c.dep_ == "appos":
                ci, cj = _np_span(c)
                cs, ce = _span_chars(doc, ci, cj)
                named = [m for m in ctx.mentions_in(cs, ce) if m.get("label") in ("PERSON", "ORG")]
                if named:
                    break
    head_m = [m for m in named if m["start"] <= tok.idx < m["end"]]
    if not head_m and tok.pos_ == "PROPN" and not any(m.get("label") in ("PERSON", "ORG") for m in named):
        # a name the NER missed ("Democrat Elijah Cummings"): the run of proper nouns
        # ending at the head, without a leading nationality or place
        k = tok.i
        while k - 1 >= i and doc[k - 1].pos_ == "PROPN" and doc[k - 1].ent_type_ not in ("NORP", "GPE"):
            k -= 1
        ns, ne = doc[k].idx, tok.idx + len(tok.text)
        return {"entity": None, "cluster": None, "name": text[ns:ne], "start": ns, "end": ne, "text": text[ns:ne]}
    if not head_m and tok.pos_ == "NOUN":
        # "two Russian officials": a common-noun head is a descriptor, whatever modifies it
        named = [
            m for m in named if m.get("label") in ("PERSON",) and m["end"] <= tok.idx and _is_poss(ctx, m) is False
        ]
    if named:
        # the mention holding the head word, else a person, else the last one
        persons = [m for m in named if m.get("label") == "PERSON"]
        m = (head_m or persons or named)[0]
        if head_m and head_m[0].get("label") in ("GPE", "NORP") and persons:
            m = persons[0]
        return _mention_speaker(ctx, m)
    sp = {"entity": None, "cluster": None, "name": None, "start": s, "end": e, "text": text[s:e], "descriptor": True}
    ref = _resolve_descriptor(ctx, tok, i)
    if ref is not None:
        sp.update(cluster=ref.get("cluster"), name=ctx.name_of(ref))
        sp.pop("descriptor")
    else:
        words = text[s:e].split()
        if words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        sp["name"] = " ".join(words) or text[s:e]
    return sp


_NOT_A_NAME = ("DATE", "TIME", "GPE", "LOC", "NORP", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def _named_role(ctx: _Ctx, tok: Any) -> dict[str, Any] | None:
    """The person or organisation a common-noun speaker names by its role: an apposition
    (``The company's lawyer, John Smith, said``) or a name right after the role noun
    (``said shipping analyst Jane Doe``, when the parse does not join them)."""
    doc = ctx.sdoc
    span: tuple[int, int] | None = None
    for c in tok.rights:
        if c.dep_ == "appos" and ctx.in_quote[c.i] < 0:
            ci, cj = _np_span(c)
            if doc[ci - 1].text == "," and any(doc[k].pos_ == "PROPN" for k in range(ci, cj)):
                span = (ci, cj)
            break
    person_role = tok.lemma_.lower() in ROLE_HEADS or tok.lower_ in ROLE_HEADS or tok.lower_ in ANONYMOUS_HEADS
    if span is None and person_role:
        # "A spokeswoman for the company, Jane Doe, said": the parse hangs the name on the
        # object of the preposition; a person's name there is the role-holder's, an
        # organisation's is the company's
        for p in tok.rights:
            pobj = _first_child(p, ("pobj",)) if p.dep_ == "prep" else None
            c = _first_child(pobj, ("appos",)) if pobj is not None and pobj.pos_ == "NOUN" else None
            if c is None or ctx.in_quote[c.i] >= 0:
                continue
            ci, cj = _np_span(c)
            if doc[ci - 1].text != ",":
                break
            cs, ce = _span_chars(doc, ci, cj)
            labels = {m.get("label") for m in ctx.mentions_in(cs, ce) if m["end"] > cs}
            propn = sum(1 for k in range(ci, cj) if doc[k].pos_ == "PROPN")
            if "PERSON" in labels or ("ORG" not in labels and propn >= 2):
                span = (ci, cj)
            break
    if span is None:
        k = tok.i + 1
        while (
            k < len(doc)
            and doc[k].pos_ == "PROPN"
            and doc[k].text[:1].isupper()
            and doc[k].ent_type_ not in _NOT_A_NAME
            and ctx.in_quote[k] < 0
            and "\n" not in doc[k - 1].whitespace_
        ):
            k += 1
        if k - tok.i - 1 >= 2 or (k - tok.i - 1 == 1 and doc[tok.i + 1].ent_type_ in ("PERSON", "ORG")):
            span = (tok.i + 1, k)
    if span is None:
        return None
    cs, ce = _span_chars(doc, *span)
    ms = [m for m in ctx.mentions_in(cs, ce) if m["end"] > cs and m.get("label") in ("PERSON", "ORG")]
    if not ms and person_role:
        ms = [m for m in ctx.mentions_in(cs, ce) if m["end"] > cs and m.get("label") in _NAMED]
    if ms:
        m = next((x for x in ms if x.get("label") == "PERSON"), ms[0])
        sp: dict[str, Any] = _mention_speaker(ctx, m)
    else:
        # a name the NER missed: the run of proper nouns
        names = [t for t in doc[span[0] : span[1]] if t.pos_ == "PROPN"]
        if not names:
            return None
        ns, ne = names[0].idx, names[-1].idx + len(names[-1].text)
        sp = {"entity": None, "cluster": None, "name": ctx.text[ns:ne], "start": ns, "end": ne, "text": ctx.text[ns:ne]}
    if person_role:
        sp["_label"] = "PERSON"  # a role of a person names a person, whatever the NER says
    return sp


def _title_words(ctx: _Ctx, m: dict[str, Any]) -> set[str]:
    """Words of the title a person's mention carries: ``Foreign Minister`` in ``Foreign
    Minister Sergei Lavrov``, ``Russia's foreign minister`` in ``Lavrov, Russia's foreign
    minister,``."""
    doc = ctx.sdoc
    words: set[str] = set()
    i = ctx.token_at(m["start"]) - 1
    while i >= 0 and doc[i].pos_ in ("PROPN", "NOUN", "ADJ") and "\n" not in doc[i].whitespace_:
        words.add(doc[i].lower_.rstrip("."))
        i -= 1
    head = doc[ctx.token_at(m["end"] - 1)]
    for c in head.rights:
        if c.dep_ == "appos":
            words |= {t.lower_.rstrip(".") for t in c.subtree if not t.is_punct}
    if head.dep_ == "appos":
        words |= {t.lower_.rstrip(".") for t in head.head.subtree if t.i < head.i and not t.is_punct}
    words |= {w.lower().rstrip(".") for w in m["text"].split()[:-1]}  # a title inside the mention
    if {"general", "secretary"} <= words:
        words.add("general-secretary")  # the leader of a union or a party
    return words


def _is_poss(ctx: _Ctx, m: dict[str, Any]) -> bool:
    """Whether a mention is a possessor (``Trump's spokesman``) or a modifier, not the head."""
    t = ctx.sdoc[ctx.token_at(m["end"] - 1)]
    return t.dep_ in ("poss", "compound", "amod", "nmod") or (
        t.i + 1 < len(ctx.sdoc) and ctx.sdoc[t.i + 1].tag_ == "POS"
    )


def _resolve_pronoun(ctx: _Ctx, tok: Any, earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """he/she -> the most recent named person that is a subject in the last sentences, else
    the last named speaker of the paragraph before; they -> the last named organisation
    speaker.  None when the text does not support a choice."""
    low = tok.lower_
    if low in FIRST_PERSON or low in UNRESOLVED_PRONOUNS:
        return None  # "you", "those", "some": no named entity is meant
    want_person = low in PERSON_PRONOUNS
    want = ("PERSON",) if want_person else ("ORG", "NORP", "GPE")
    sent = tok.sent
    # sentences back to two before
    start_sent = sent
    for _ in range(2):
        prev_i = start_sent.start - 1
        if prev_i < 0:
            break
        start_sent = ctx.sdoc[prev_i].sent
    lo = start_sent.start_char
    cands = [m for m in ctx.mentions_in(lo, tok.idx) if m.get("label") in want and m["end"] <= tok.idx]
    gender = PERSON_PRONOUNS.get(low)
    if gender:
        # he/she never refers back to a person the article calls by the other pronoun
        cands = [m for m in cands if ctx.gender_of(ctx.name_of(m)) in (None, gender)]
    if cands:
        # prefer subjects; then the most recent
        def is_subject(m: dict[str, Any]) -> bool:
            t = ctx.sdoc[ctx.token_at(m["end"] - 1)]
            return t.dep_ in _SUBJ

        subjects = [m for m in cands if is_subject(m)]
        pick = (subjects or cands)[-1]
        # ambiguous: two different people as subjects of the same previous sentence
        return {"cluster": pick.get("cluster"), "name": ctx.name_of(pick), "label": pick.get("label")}
    para = ctx.paragraph_of(tok.idx)
    for sp in reversed(earlier):
        if sp.get("name") and not sp.get("descriptor") and sp.get("start") is not None:
            if para - ctx.paragraph_of(int(sp["start"])) > 2:
                break
            label = sp.get("_label")
            if label in want and (not gender or ctx.gender_of(sp.get("name")) in (None, gender)):
                return {"cluster": sp.get("cluster"), "name": sp.get("name"), "label": label}
    return None


def _resolve_descriptor(ctx: _Ctx, tok: Any, np_start: int) -> dict[str, Any] | None:
    """``the minister`` / ``the Russian leader`` -> the latest named person whose title fits."""
    doc = ctx.sdoc
    head = tok.lemma_.lower()
    det = doc[np_start]
    if det.lower_ not in ("the",) or tok.tag_ in ("NNS", "NNPS"):
        return None
    if head in ORG_KIND_HEADS or head in COMPANY_HEADS:
        return _resolve_org_descriptor(ctx, tok, head)
    family = TITLE_FAMILIES.get(head)
    if family is None or head in ANONYMOUS_HEADS:
        return None
    modifiers = {c.lower_ for c in tok.lefts if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "PROPN", "NOUN")}
    best = None
    for m in ctx.mentions:
        if m["end"] > tok.idx:
            break
        if m.get("label") != "PERSON":
            continue
        context = _title_words(ctx, m)
        if context & family and modifiers <= context | {"former", "top", "new", "senior"}:
            best = m
    return best


def _name_words(m: dict[str, Any]) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", m["text"])}


def _resolve_org_descriptor(ctx: _Ctx, tok: Any, head: str) -> dict[str, Any] | None:
    """``the union`` -> the latest organisation named with that word (``the Saltmere
    Dockworkers' Union``); ``the company`` -> the one organisation that is the subject of a
    clause in the last three sentences (tagged as one, or referred back to with ``it``),
    when the text names just one.  None when the text does not support a choice."""
    doc = ctx.sdoc
    modifiers = {c.lower_ for c in tok.lefts if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "PROPN", "NOUN")}
    names = [m for m in ctx.mentions if m.get("kind", "name") == "name" and m["end"] <= tok.idx]
    if head in ORG_KIND_HEADS:
        fits = [m for m in names if head in _name_words(m) and modifiers <= _name_words(m) | {"new", "main"}]
        return fits[-1] if fits else None
    first = tok.sent
    for _ in range(3):
        if first.start == 0:
            break
        first = doc[first.start - 1].sent
    picks: dict[str, dict[str, Any]] = {}
    for m in names:
        if m["start"] < first.start_char or m.get("label") not in ("ORG", "PERSON"):
            continue
        t = doc[ctx.token_at(m["end"] - 1)]
        if t.dep_ not in _SUBJ or ctx.in_quote[t.i] >= 0 or _name_words(m) & (ORG_KIND_HEADS | {"news", "radio"}):
            continue
        if m.get("label") == "ORG" or ctx.neuter(m):
            picks[m.get("cluster") or ctx.name_of(m)] = m
    return next(iter(picks.values())) if len(picks) == 1 else None


# -- assembly -------------------------------------------------------------------------------
def _char_overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _nonspace(text: str, s: int, e: int) -> int:
    return sum(1 for c in text[s:e] if not c.isspace())


def extract_quotes(text: str, sdoc: Any, layers: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The ``quotes`` layer for a text and its spaCy Doc (``layers``: the article's others)."""
    ctx = _Ctx(text, sdoc, layers or {})
    clauses = _reporting_clauses(ctx)
    consumed: set[int] = set()
    attrs: list[_Attr] = []
    for a in clauses:
        span = (a.start, a.end)
        inside = [
            qi for qi, q in enumerate(ctx.quotes) if _char_overlap(span, (q.start, q.end)) > 0 and qi not in consumed
        ]
        if inside:
            q_set: set[int] = set()
            for qi in inside:
                q_set.update(range(ctx.quotes[qi].start, ctx.quotes[qi].end))
            # the share over the clause and its quotations together: a quotation that runs
            # on past the clause's sentence ('said that he would "win. We will."') counts whole
            lo = min(a.start, min(ctx.quotes[qi].start for qi in inside))
            hi = max(a.end, max(ctx.quotes[qi].end for qi in inside))
            chars = [k for k in range(lo, hi) if not text[k].isspace()]
            if sum(1 for k in chars if k in q_set) >= DIRECT_SHARE * max(1, len(chars)):
                if a.subj is None and a.cue is not None:
                    # the clause's parse found no speaker; the quote's own reporting
                    # clause may ('"...," Will wrote' with "Will" read as a modal)
                    cue, subj = _direct_cue(ctx, ctx.quotes[inside[0]])
                    if cue is not None and cue.i == a.cue.i and subj is not None:
                        _set_speaker_and_relay(ctx, a, cue, subj)
                colon, signer = _signed_excerpt(ctx, ctx.quotes[inside[0]].start)
                if signer is not None and a.cue is not None and a.cue.i < colon.i:
                    # "Polls agree - Jane Doe: '...'": the quotation is signed by its speaker
                    a.subj, a.via, a.cue, a.cue_span = signer, [], colon, (colon.idx, colon.idx + 1)
                a.kind = "direct"
                a.start = min(a.start, min(ctx.quotes[qi].start for qi in inside))
                a.end = max(ctx.quotes[qi].end for qi in inside)
            else:
                a.kind = "mixed"
                a.start = min(a.start, min(ctx.quotes[qi].start for qi in inside))
                a.end = max(a.end, max(ctx.quotes[qi].end for qi in inside))
            consumed.update(inside)
        attrs.append(a)
    for qi, q in enumerate(ctx.quotes):
        if qi in consumed:
            continue
        if _not_a_statement(ctx, q):
            continue
        cue, subj = _signed_excerpt(ctx, q.start)
        if cue is None:
            cue, subj = _direct_cue(ctx, q)
        if cue is None:
            cue, subj = _colon_intro(ctx, q)
        if cue is None:
            cue, subj = _dash_signature(ctx, q)
        end = q.end
        if cue is None:
            subj, sig_start = _inner_signature(ctx, q)
            if subj is not None:
                cue, end = subj, sig_start  # the quotation ends where its signature line begins
        words = _word_count(text[q.start : end])
        if cue is not None:
            if end < q.end:
                a = _Attr(q.start, end, "direct", None, None)
                a.subj = subj
                a.cue = subj
            elif cue.text[:1] in (":", "-", "–", "—"):
                a = _Attr(q.start, q.end, "direct", cue, (cue.idx, cue.idx + 1))
                a.subj = subj
            elif cue.lower_ == "according":
                a = _Attr(q.start, q.end, "direct", cue, (cue.idx, cue.idx + len("according to")))
                a.subj = subj
            else:
                a = _Attr(q.start, q.end, "direct", cue, (cue.idx, cue.idx + len(cue.text)))
                _set_speaker_and_relay(ctx, a, cue, subj)
            attrs.append(a)
        else:
            attrs.append(_Attr(q.start, q.end, "direct", None, None, subj=None, inherited=None))
            attrs[-1].via = [{"_words": words}]
    attrs.sort(key=lambda x: (x.start, x.end))
    attrs = _collapse_relays(ctx, attrs)
    return _finish(ctx, attrs)


def _collapse_relays(ctx: _Ctx, attrs: list[_Attr]) -> list[_Attr]:
    """``the Times reported that X said ...``: X's words, reported via the Times."""
    drop: set[int] = set()
    for i, outer in enumerate(attrs):
        if outer.cue is None or outer.cue.lemma_.lower() not in RELAY_VERBS or outer.subj is None:
            continue
        for j, inner in enumerate(attrs):
            if j == i or j in drop or inner.cue is None or inner.cue_span is None or not inner.speech:
                continue
            if outer.start <= inner.cue_span[0] < outer.end:
                inner.via.insert(0, _relay(ctx, outer.subj, outer.cue))
                drop.add(i)
    return [a for i, a in enumerate(attrs) if i not in drop]


def _finish(ctx: _Ctx, attrs: list[_Attr]) -> list[dict[str, Any]]:
    text = ctx.text
    out: list[dict[str, Any]] = []
    speakers: list[dict[str, Any]] = []  # resolved speakers in text order (for pronouns)
    last: _Attr | None = None
    last_item: dict[str, Any] | None = None
    for a in attrs:
        words_marker = [v for v in a.via if "_words" in v]
        if a.cue is None:
            words = int(words_marker[0]["_words"]) if words_marker else 0
            a.via = []
            # continuation of the previous quotation (same or previous paragraph)
            para = ctx.paragraph_of(a.start)
            starts_para = _starts_paragraph(ctx, a.start)
            prev_ok = (
                last is not None
                and last_item is not None
                and last_item["speaker"].get("name")
                and (ctx.paragraph_of(last.end) == para or (starts_para and ctx.paragraph_of(last.end) == para - 1))
            )
            if prev_ok and words >= _MIN_CONTINUED_WORDS and (starts_para or _after_sentence_end(ctx, a.start)):
                assert last_item is not None
                item = _item(ctx, a, dict(last_item["speaker"]), last_item.get("cue"))
                item["addressee"] = last_item.get("addressee")
                item["via"] = list(last_item.get("via") or [])
                item["continues"] = True
                # a continuation follows the quotation it continues (and that one's earlier
                # continuations), ahead of any attribution met in between ('"A," said X,
                # who supports Y. "B."': B continues A, not "who supports Y")
                k = next(j for j in range(len(out) - 1, -1, -1) if out[j] is last_item) + 1
                while k < len(out) and out[k].get("continues"):
                    k += 1
                out.insert(k, item)
                continue
            if words >= _MIN_UNATTRIBUTED_WORDS and (starts_para or _after_sentence_end(ctx, a.start)):
                intro = _intro_speaker(ctx, a.start)
                if intro is not None:
                    verb, subj = intro
                    intro_sp = _speaker_dict(ctx, subj, speakers)
                    speakers.append(intro_sp)
                    intro_cue = {"start": verb.idx, "end": verb.idx + len(verb.text), "text": verb.text}
                    out.append(_item(ctx, a, intro_sp, intro_cue))
                    last, last_item = a, out[-1]
                else:
                    out.append(_item(ctx, a, None, None))
            continue
        # speaker
        sp: dict[str, Any] | None = None
        if a.subj is not None:
            sp = _speaker_dict(ctx, a.subj, speakers)
            if ctx.sdoc[a.subj.i].ent_type_:
                sp["_label"] = ctx.sdoc[a.subj.i].ent_type_
            elif sp.get("_label"):
                pass
            elif sp.get("cluster") or sp.get("name"):
                ms = ctx.mentions_in(sp["start"], sp["end"]) if sp.get("start") is not None else []
                if ms:
                    sp["_label"] = ms[0].get("label")
            speakers.append(sp)
        via = list(a.via)
        cue_d = None
        if a.cue_span is not None:
            cue_d = {"start": a.cue_span[0], "end": a.cue_span[1], "text": text[a.cue_span[0] : a.cue_span[1]]}
        if sp is None and a.kind == "direct" and _word_count(text[a.start : a.end]) < _MIN_CONTINUED_WORDS:
            continue  # a quoted word with no one saying it: a scare quote or a name
        if a.kind == "indirect" and sp is not None and str(sp.get("text", "")).lower() in SECOND_PERSON:
            continue  # "you probably think of the mountains": the generic reader, no source
        item = _item(ctx, a, sp, cue_d)
        item["addressee"] = a.addressee
        item["via"] = via
        out.append(item)
        if (a.kind != "indirect" or a.speech) and not (a.kind == "indirect" and sp is None):
            last, last_item = a, item  # what a following quote may continue
    for item in out:
        if isinstance(item.get("speaker"), dict):
            item["speaker"].pop("_label", None)
    return out


def _intro_speaker(ctx: _Ctx, pos: int) -> tuple[Any, Any] | None:
    """The named speaker introduced by the sentence just before ``pos`` (same or previous
    paragraph; a sentence wholly in parentheses is passed over) with a verb of speaking
    (``Mayor Smith spoke on Monday. "..."``, ``..., since Smith spoke only briefly.``) or a
    statement of theirs (``Smith began with a tweet.``, ``Smith's first tweet was mild.``)."""
    doc = ctx.sdoc
    i = ctx.token_at(pos) - 1
    closing = False
    while i >= 0 and (doc[i].is_space or doc[i].is_punct):
        closing = closing or doc[i].text == ")"
        i -= 1
    if i < 0 or ctx.in_quote[i] >= 0:
        return None
    sent = doc[i].sent
    if closing:
        # "(A note on the law.)": an aside of whole sentences; the sentence before it
        # introduces the speaker
        k = i - 1
        while k >= 0 and doc[k].text != "(" and "\n" not in doc[k].text:
            k -= 1
        if k > 0 and doc[k].text == "(" and (doc[k].is_sent_start or _after_sentence_end(ctx, doc[k].idx)):
            return _intro_speaker(ctx, doc[k].idx)
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or ctx.in_quote[t.i] >= 0:
            continue
        says = lemma in INTRO_VERBS or lemma in SPEECH_VERBS
        # "the party issued a statement apologising ...", "X began with a tweet"
        says = says or any(
            (c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS)
            or (c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lemma_.lower() in STATEMENT_NOUNS for g in c.children))
            for c in t.children
        )
        if not says or (t.dep_ != "ROOT" and lemma not in INTRO_VERBS):
            continue  # a verb of saying in a subordinate clause reports that clause's words
        subj = _subject(t)
        if subj is not None and subj.ent_type_ in ("PERSON", "ORG") and subj.pos_ == "PROPN":
            return t, subj
    # "Smith's first tweet was a measured comment."
    root = sent.root
    subj = _first_child(root, ("nsubj",))
    if subj is not None and subj.lemma_.lower() in STATEMENT_NOUNS:
        owner = _first_child(subj, ("poss",))
        if owner is not None and owner.ent_type_ in ("PERSON", "ORG") and owner.pos_ == "PROPN":
            return root, owner
    return None


def _starts_paragraph(ctx: _Ctx, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and ctx.text[i] in " \t-–—•*·":
        i -= 1
    return i < 0 or ctx.text[i] == "\n"


def _after_sentence_end(ctx: _Ctx, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and ctx.text[i].isspace():
        i -= 1
    return i < 0 or ctx.text[i] in '.!?:”"' or ctx.text[i] == "\n"


def _item(ctx: _Ctx, a: _Attr, speaker: dict[str, Any] | None, cue: dict[str, Any] | None) -> dict[str, Any]:
    sp = speaker or {"entity": None, "cluster": None, "name": None, "start": None, "end": None, "text": None}
    return {
        "start": a.start,
        "end": a.end,
        "text": ctx.text[a.start : a.end],
        "kind": a.kind,
        "speaker": sp,
        "cue": cue,
        "addressee": None,
        "via": [],
        "said_on": None,
    }


def _said_on(doc: ArticleDoc, item: dict[str, Any]) -> dict[str, Any] | None:
    """When the words were said: ``storyline.stages.time.date_for_span`` over the quote
    (it prefers a date in the reporting clause), else the date of the cue's sentence."""
    anchor = item
    try:
        from storyline.stages import time as time_stage

        date_for_span = getattr(time_stage, "date_for_span", None)
    except ImportError:
        date_for_span = None
    if date_for_span is not None:
        d = date_for_span(doc.article, anchor["start"], anchor["end"])
        if d:
            return {k: d.get(k) for k in ("value", "precision", "source") if k in d} or None
    at = (item.get("cue") or item)["start"]
    for s in doc.article.layers.get("sentences") or []:
        if s["start"] <= at < s["end"]:
            d = s.get("date")
            if d:
                return {"value": d.get("value"), "precision": d.get("precision"), "source": d.get("source")}
            return None
    return None


@article_stage("quotes")
def quotes_stage(doc: ArticleDoc, settings: Settings) -> None:
    if doc.spacy is None:
        from storyline.stages.nlp import load_spacy

        doc.spacy = load_spacy(settings.spacy_model)(doc.article.text)
    items = extract_quotes(doc.article.text, doc.spacy, doc.article.layers)
    for item in items:
        item["said_on"] = _said_on(doc, item)
    doc.article.layers["quotes"] = items
