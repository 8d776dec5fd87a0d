"""The timeline: what happened when, and what each actor said over time.

Two layers:

* :func:`select_timeline` is store-free: given dated sentences (each with the date it
  refers to and the date its article was published) it picks the dates that matter and,
  for each, the sentences that best say what happened.  ``storyline eval tls`` runs it on
  Timeline17.
* :func:`story_timeline` and :func:`actor_timeline` read a built store (sentence dates
  from the time stage, quotes, entities, copies) and call the core.

Date selection (after Tran et al. 2015 and news-tls DATEWISE, unsupervised): a date
matters when many query-relevant articles *name* it (counted once per article, copies
once; a mention written on another day counts double; "in 2022" counts less than "on 2
December 2022"), and, less, when many relevant articles are published on it.  Candidates
of a date follow news-tls PM-Mean (Ghalandari & Ifrim 2020): the sentences that name the
date and the lead sentences (no date of their own) of articles published that day or the
next, kept when close to what the two groups share (cut at the knee of the similarity
curve).  Sentences are then chosen as news-tls CentroidOpt does: greedily, the one that
brings the date's summary closest to the candidates' TF-IDF centroid; a sentence too close
to one already chosen for that date or a neighbouring one is skipped, so one event is not
told again on a neighbouring date.  An event mentioned in retrospect lands on its own date
because sentences are filed under the date they refer to, not the date they were published.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from storyline.dates import claimable, precision_of, sort_key
from storyline.model import TimelineEntry

if TYPE_CHECKING:
    from storyline.store import Store

__all__ = [
    "DatedSentence",
    "TimelineParams",
    "select_timeline",
    "story_timeline",
    "actor_timeline",
    "tokens",
]


@dataclass
class DatedSentence:
    """One sentence with the date it refers to.

    ``date`` is ISO (day, month or year precision); ``published`` the publication day of
    its article; ``source`` how the date was obtained: ``timex`` (the sentence names it),
    ``reporting`` (its reporting clause names it: "said on Tuesday") or ``published`` (the
    sentence is dated by its article).
    """

    text: str
    date: str
    published: str | None = None
    article: str = ""
    start: int = 0
    end: int = 0
    source: str = "published"
    entities: list[str] = field(default_factory=list)
    group: str | None = None  # copies of one article share a group (independent sources)
    position: int = 0  # index of the sentence in its article


@dataclass
class TimelineParams:
    """Weights of the unsupervised scorer (tuned on Timeline17 egypt/finan/h1n1 only).

    ``candidates="window"`` with ``summarizer="centroid"`` is the earlier selection (kept
    for comparison); the defaults follow news-tls DATEWISE (PM-Mean, CentroidOpt).
    """

    w_mention: float = 1.0  # a sentence that names the date
    w_mention_other_day: float = 1.0  # ... extra when written on another day than the date
    w_published: float = 0.5  # a relevant article published that day
    min_tokens: int = 5
    max_tokens: int = 35
    redundancy: float = 0.4  # cosine above which a sentence repeats one already chosen
    neighbour_days: int = 3  # window for "same event on a neighbouring date"
    query_weight: float = 1.0
    candidate_window_days: int = 10  # "window" candidates: a sentence dated by timex must be written within this after its date
    min_evidence_tokens: int = 2  # shorter sentences (datelines, bylines) are no evidence for a date
    w_same_day: float = 1.0  # weight of a mention written on the day it names (vs w_mention)
    precision_weight: dict[str, float] = field(default_factory=lambda: {"day": 1.0, "month": 0.6, "year": 0.3})
    per_article: bool = True  # count date mentions once per article (else once per sentence)
    timex_boost: float = 1.0  # sentence-score factor for a sentence that names its date
    query_in_sentence: bool = False  # candidates must use a query keyword
    lead_sentences: int = 10  # if > 0, undated sentences are candidates only within an article's first N
    candidates: str = "pm_mean"  # "window" or "pm_mean" (news-tls PM-Mean: mentions + lead sentences published then)
    summarizer: str = "centroid_opt"  # "centroid" (rank by centroid) or "centroid_opt" (greedy summary-centroid)
    query_in_summary: bool = False  # chosen sentences must use a query keyword (candidates need not)
    published_in_bounds: bool = False  # evidence only from articles published within the bounds
    pub_end: int = 2  # pm_mean: an undated lead sentence stands for its publication day and the N-1 days before
    query_articles: bool = True  # evidence only from articles that use a query keyword (news-tls: every article)


# scores dates from the sentences and the indices of those that are evidence
DateScorer = Callable[[Sequence[DatedSentence], list[int]], dict[str, float]]

# date sources meaning "the sentence itself names this date" (a timex, or the date of the
# reporting clause: "said on Tuesday"), as opposed to a date inherited from the article
NAMED = frozenset({"timex", "reporting"})

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*|\d+")

_STOP: frozenset[str] | None = None


def _stopwords() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        try:
            from spacy.lang.en.stop_words import STOP_WORDS

            _STOP = frozenset(STOP_WORDS) | {"said", "says", "say", "told", "according", "lrb", "rrb"}
        except ImportError:  # pragma: no cover
            _STOP = frozenset({"the", "a", "an", "of", "to", "in", "and", "or", "is", "was", "said"})
    return _STOP


def _norm(tok: str) -> str:
    t = tok.lower().strip("'-")
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    if len(t) > 3 and t.endswith("s") and not t.endswith("ss"):
        return t[:-1]
    return t


def tokens(text: str) -> list[str]:
    """Content-word tokens (lowercased, light plural stripping, stop words removed)."""
    stop = _stopwords()
    out = []
    for m in _WORD.finditer(text):
        t = m.group(0).lower()
        if t in stop or len(t) < 2:
            continue
        out.append(_norm(t))
    return out


def _day(iso: str | None) -> date | None:
    if not iso or len(iso) != 10:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


class _Vectors:
    """TF-IDF unit vectors as dicts over a sentence collection."""

    def __init__(self, docs: Sequence[list[str]]) -> None:
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        n = max(1, len(docs))
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.vecs = [self.vector(d) for d in docs]

    def vector(self, toks: Iterable[str]) -> dict[str, float]:
        tf = Counter(toks)
        v = {t: (1 + math.log(c)) * self.idf.get(t, 1.0) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def _centroid(vecs: Iterable[dict[str, float]]) -> dict[str, float]:
    c: dict[str, float] = defaultdict(float)
    for v in vecs:
        for t, x in v.items():
            c[t] += x
    norm = math.sqrt(sum(x * x for x in c.values())) or 1.0
    return {t: x / norm for t, x in c.items()}


def _lo(iso: str) -> str:
    return iso + {4: "-01-01", 7: "-01"}.get(len(iso), "")


def _hi(iso: str) -> str:
    return iso + {4: "-12-31", 7: "-31"}.get(len(iso), "")


def _in_bounds(iso: str, date_from: str | None, date_to: str | None) -> bool:
    """Whether a (possibly partial) ISO date overlaps [date_from, date_to]."""
    if date_from and _hi(iso) < _lo(date_from):
        return False
    return not (date_to and _lo(iso) > _hi(date_to))


def select_timeline(
    sentences: Sequence[DatedSentence],
    query: str | None = None,
    max_dates: int | None = None,
    per_date: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    params: TimelineParams | None = None,
    day_precision_only: bool = False,
    date_scorer: DateScorer | None = None,
) -> list[TimelineEntry]:
    """Pick the dates that matter and, per date, the sentences that best say what happened.

    ``query`` keywords restrict the evidence to articles that use one of them (all
    articles when none do).  ``date_scorer``, given the sentences and the indices of those
    that are evidence, replaces the weighted date counts of ``params`` (evaluation uses it
    for reference rankers).  Returns entries in date order.
    """
    p = params or TimelineParams()
    per_date = per_date or 2
    qterms = set(tokens(query or ""))

    # 1. relevant articles: those using a query keyword
    toks = [tokens(s.text) for s in sentences]
    relevant_articles: set[str] | None = None
    if qterms and p.query_articles:
        relevant_articles = {s.article for s, t in zip(sentences, toks, strict=True) if qterms & set(t)}
        if not relevant_articles:
            relevant_articles = None

    idx: list[int] = []
    for i, s in enumerate(sentences):
        if relevant_articles is not None and s.article not in relevant_articles:
            continue
        if p.published_in_bounds and s.published and not _in_bounds(s.published, date_from, date_to):
            continue
        if not s.date or not _in_bounds(s.date, date_from, date_to):
            continue
        if day_precision_only and len(s.date) != 10:
            continue
        n = len(toks[i])
        if n < p.min_evidence_tokens:
            continue
        idx.append(i)
    if not idx:
        return []

    # 2. date scores
    score: dict[str, float] = defaultdict(float)
    pub_articles: dict[str, set[str]] = defaultdict(set)
    counted: set[tuple[str, str]] = set()
    for i in idx:
        s = sentences[i]
        if s.source in NAMED:
            if p.per_article:
                key = (s.group or s.article, s.date)
                if key in counted:
                    continue
                counted.add(key)
            if s.published and s.published[: len(s.date)] != s.date:
                w = p.w_mention + p.w_mention_other_day
            else:
                w = p.w_mention * p.w_same_day
            # "in 2022" is weaker evidence of a moment that matters than "on 2 December 2022"
            score[s.date] += w * p.precision_weight.get(precision_of(s.date), 0.3)
        if s.published and (relevant_articles is None or s.article in relevant_articles):
            pub_articles[s.published].add(s.group or s.article)
    for d, arts in pub_articles.items():
        if _in_bounds(d, date_from, date_to) and (not day_precision_only or len(d) == 10):
            score[d] += p.w_published * len(arts)
    if date_scorer is not None:
        score = defaultdict(float, date_scorer(sentences, idx))

    # 3. candidates per date
    cand: dict[str, list[int]] = defaultdict(list)

    def usable(i: int) -> bool:
        n = len(toks[i])
        if n < p.min_tokens or n > p.max_tokens:
            return False
        return not (p.query_in_sentence and qterms and not qterms & set(toks[i]))

    if p.candidates == "pm_mean":
        ment: dict[str, list[int]] = defaultdict(list)
        pub: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            s = sentences[i]
            if not usable(i):
                continue
            if s.source in NAMED:
                ment[s.date].append(i)
            elif s.published and (not p.lead_sentences or s.position < p.lead_sentences):
                dp = _day(s.published)
                if dp is None:
                    pub[s.published].append(i)
                    continue
                for k in range(max(1, p.pub_end)):
                    pub[(dp - timedelta(days=k)).isoformat()].append(i)
        cand = ment  # joined with pm_pub per date below, once the vectors exist
        pm_pub = pub
    else:
        pm_pub = {}
        late: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            s = sentences[i]
            if not usable(i):
                continue
            if p.lead_sentences and s.source not in NAMED and s.position >= p.lead_sentences:
                continue
            if s.source in NAMED:
                d0, dp = _day(s.date), _day(s.published)
                if d0 and dp and not (0 <= (dp - d0).days <= p.candidate_window_days):
                    # written long before or after: used only when nothing closer tells of that date
                    late[s.date].append(i)
                    continue
            cand[s.date].append(i)
        for d, li in late.items():
            if not cand.get(d):
                cand[d] = li

    vecs = _Vectors([toks[i] for i in idx])
    vec_of = {i: vecs.vecs[k] for k, i in enumerate(idx)}
    qvec = vecs.vector(qterms) if qterms else {}

    ranked_dates = sorted((d for d in score if cand.get(d) or pm_pub.get(d)), key=lambda d: (-score[d], d))
    max_dates = max_dates or min(len(ranked_dates), 20)

    chosen: list[tuple[str, list[int]]] = []
    chosen_vecs: list[tuple[str, dict[str, float]]] = []

    def fresh(d: str, i: int, picked: list[int]) -> bool:
        """Not a repeat of a sentence picked for this date or for a neighbouring one."""
        if p.query_in_summary and qterms and not qterms & set(toks[i]):
            return False
        v = vec_of[i]
        if any(_cos(v, vec_of[j]) > p.redundancy for j in picked):
            return False
        return not any(_near(d, d2, p.neighbour_days) and _cos(v, v2) > p.redundancy for d2, v2 in chosen_vecs)

    for d in ranked_dates:
        if len(chosen) >= max_dates:
            break
        if p.candidates == "pm_mean":
            cands = _pm_mean(cand.get(d, []), pm_pub.get(d, []), vec_of)
        else:
            cands = cand[d]
        if not cands:
            continue
        centroid = _centroid(vec_of[i] for i in cands)
        picked: list[int] = []
        if p.summarizer == "centroid_opt":
            picked = _centroid_opt(cands, centroid, vec_of, per_date, partial(fresh, d))
        else:
            scored = []
            for i in cands:
                v = vec_of[i]
                sc = _cos(v, centroid)
                if qvec:
                    sc *= 1.0 + p.query_weight * _cos(v, qvec)
                if sentences[i].source in NAMED:
                    sc *= p.timex_boost
                scored.append((sc, i))
            scored.sort(key=lambda x: (-x[0], x[1]))
            for _sc, i in scored:
                if len(picked) >= per_date:
                    break
                if fresh(d, i, picked):
                    picked.append(i)
        if not picked:
            continue
        chosen.append((d, picked))
        chosen_vecs.extend((d, vec_of[i]) for i in picked)

    out = []
    for d, picked in sorted(chosen, key=lambda x: sort_key(x[0])):
        sents = [sentences[i] for i in picked]
        out.append(_entry(d, sents))
    return out


def _knee(values: Sequence[float]) -> int:
    """Index of the knee of a descending curve: the point farthest from the chord."""
    n = len(values)
    if n < 3:
        return 0  # no knee: every point lies on the chord
    dy = values[-1] - values[0]
    dx = n - 1
    norm = math.hypot(dx, dy) or 1.0
    return max(range(n), key=lambda i: abs(dy * i - dx * (values[i] - values[0])) / norm)


def _pm_mean(ment: list[int], pub: list[int], vec_of: dict[int, dict[str, float]]) -> list[int]:
    """news-tls PM-Mean candidates of one date: the sentences that name the date and the
    lead sentences of articles published then, kept when close to what both groups share
    (the mean of the two centroids over the words both use), cut at the knee."""
    if not ment or not pub:
        return list(ment or pub)
    cm: dict[str, float] = defaultdict(float)
    cp: dict[str, float] = defaultdict(float)
    for i in ment:
        for t, x in vec_of[i].items():
            cm[t] += x / len(ment)
    for i in pub:
        for t, x in vec_of[i].items():
            cp[t] += x / len(pub)
    c = {t: x + cp[t] for t, x in cm.items() if t in cp}
    norm = math.sqrt(sum(x * x for x in c.values())) or 1.0
    c = {t: x / norm for t, x in c.items()}
    both = list(dict.fromkeys([*ment, *pub]))
    sims = [_cos(vec_of[i], c) for i in both]
    ordered = sorted(sims, reverse=True)
    thresh = ordered[_knee(ordered)]
    kept = [i for i, x in zip(both, sims, strict=True) if x > 0 and x > thresh]
    return kept or both


def _centroid_opt(
    cands: list[int],
    centroid: dict[str, float],
    vec_of: dict[int, dict[str, float]],
    k: int,
    allowed: Callable[[int, list[int]], bool],
) -> list[int]:
    """news-tls CentroidOpt: add, one at a time, the sentence that brings the summary's
    vector closest to the candidates' centroid (skipping those ``allowed`` rejects)."""
    remaining = list(dict.fromkeys(cands))
    picked: list[int] = []
    acc: dict[str, float] = {}
    while remaining and len(picked) < k:
        base_dot = sum(x * centroid.get(t, 0.0) for t, x in acc.items())
        base_sq = sum(x * x for x in acc.values())
        gains = []
        for i in remaining:
            # cosine between the centroid and the summary with sentence i added
            dot, sq = base_dot, base_sq
            for t, x in vec_of[i].items():
                dot += x * centroid.get(t, 0.0)
                sq += 2 * acc.get(t, 0.0) * x + x * x
            gains.append((-dot / (math.sqrt(sq) or 1.0), i))
        ranked = [i for _g, i in sorted(gains)]
        nxt = None
        for i in ranked:
            remaining.remove(i)
            if allowed(i, picked):
                nxt = i
                break
        if nxt is None:
            break
        picked.append(nxt)
        for t, x in vec_of[nxt].items():
            acc[t] = acc.get(t, 0.0) + x
    return picked


def _near(d1: str, d2: str, days: int) -> bool:
    a, b = _day(d1), _day(d2)
    if a is None or b is None:
        return d1[:7] == d2[:7]
    return abs((a - b).days) <= days


def _entry(d: str, sents: list[DatedSentence]) -> TimelineEntry:
    articles = list(dict.fromkeys(s.article for s in sents))
    groups = {s.group or s.article for s in sents}
    ents: list[str] = list(dict.fromkeys(e for s in sents for e in s.entities))
    return TimelineEntry(
        date=d,
        precision=precision_of(d),
        summary=" ".join(s.text.strip() for s in sents),
        sentences=[{"article": s.article, "start": s.start, "end": s.end, "text": s.text} for s in sents],
        articles=articles,
        entities=ents,
        independent_sources=len(groups),
    )


# -- from a store -------------------------------------------------------------------------


def _copies_groups(store: Store) -> dict[str, str]:
    groups: dict[str, str] = {}
    try:
        copies = store.get_corpus("copies")
    except Exception:  # pragma: no cover - older stores
        return groups
    for aid, c in copies.items():
        orig = (c or {}).get("original") or aid
        groups[aid] = orig
        for dup in (c or {}).get("duplicates") or []:
            groups[dup] = orig
    return groups


def _entity_links(store: Store) -> dict[str, str]:
    try:
        return {k: v for k, v in store.get_corpus("entity_links").items() if isinstance(v, str)}
    except Exception:  # pragma: no cover
        return {}


def _sentence_entities(
    article_id: str, start: int, end: int, mentions: list[dict[str, Any]], links: dict[str, str]
) -> list[str]:
    out = []
    for m in mentions:
        if m.get("start", -1) >= start and m.get("end", 10**9) <= end:
            eid = m.get("entity") or links.get(f"{article_id}:{m.get('cluster')}")
            if eid:
                out.append(str(eid))
    return list(dict.fromkeys(out))


def store_sentences(store: Store, ids: Iterable[str] | None = None) -> list[DatedSentence]:
    """Every sentence of the store with the date it refers to (time stage), else its article's date."""
    groups = _copies_groups(store)
    links = _entity_links(store)
    out: list[DatedSentence] = []
    for a in store.iter_articles(layers=["sentences", "entities"], ids=ids):
        pub = a.published.date
        mentions = a.layers.get("entities") or []
        for k, s in enumerate(a.layers.get("sentences") or []):
            text = a.text[s["start"] : s["end"]]
            dd = s.get("date") or None
            if isinstance(dd, dict) and dd.get("value"):
                d, src = claimable(str(dd["value"]), dd.get("precision")) or str(dd["value"]), str(dd.get("source") or "timex")
            elif pub:
                d, src = pub, "published"
            else:
                continue
            out.append(
                DatedSentence(
                    text=text,
                    date=d,
                    published=pub,
                    article=a.id,
                    start=s["start"],
                    end=s["end"],
                    source=src,
                    entities=_sentence_entities(a.id, s["start"], s["end"], mentions, links),
                    group=groups.get(a.id),
                    position=k,
                )
            )
    return out


def _search_ids(store: Store, query: str | None) -> list[str] | None:
    if not query:
        return None
    ids: set[str] = set()
    for term in query.split():
        for r in store.search(term, limit=100_000):
            ids.add(r["id"])
    return sorted(ids)  # no match: an empty timeline, not the whole store


def story_timeline(
    store: Store,
    query: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    max_dates: int | None = None,
    per_date: int | None = None,
) -> list[TimelineEntry]:
    """The story's timeline from a built store (see :func:`select_timeline`)."""
    ids = _search_ids(store, query)
    sents = store_sentences(store, ids)
    entries = select_timeline(
        sents, query=query, max_dates=max_dates, per_date=per_date, date_from=date_from, date_to=date_to
    )
    _attach_quotes(store, entries)
    return entries


def _attach_quotes(store: Store, entries: list[TimelineEntry]) -> None:
    spans: dict[str, list[tuple[int, int, TimelineEntry]]] = defaultdict(list)
    for e in entries:
        for s in e.sentences:
            spans[s["article"]].append((s["start"], s["end"], e))
    if not spans:
        return
    for q in store.iter_quotes():
        for st, en, e in spans.get(q.get("article", ""), []):
            if q["start"] < en and q["end"] > st:
                e.quotes.append(_quote_row(q))


def _quote_row(q: dict[str, Any]) -> dict[str, Any]:
    sp = q.get("speaker") or {}
    return {
        "article": q.get("article"),
        "start": q.get("start"),
        "end": q.get("end"),
        "text": q.get("text"),
        "kind": q.get("kind"),
        "speaker": sp.get("name") or sp.get("text"),
        "entity": sp.get("entity"),
    }


# -- actor timeline -----------------------------------------------------------------------


def resolve_actors(store: Store, actor: str) -> tuple[list[str], set[str]]:
    """(ids of the entities ``actor`` names, best first; their lowercased names and aliases).

    An exact name or alias match beats a match on one word of a name ("Putin" matches
    "Vladimir Putin"), which beats a substring match; every entity at the best level is
    kept, since cross-document resolution can leave one person split in two.
    """
    want = " ".join(actor.strip().lower().split())
    try:
        entities = store.get_corpus("entities")
    except Exception:  # pragma: no cover
        entities = {}
    scored: list[tuple[float, int, str, set[str]]] = []
    for eid, e in entities.items():
        names = {" ".join(str(n).lower().split()) for n in [e.get("name"), *(e.get("aliases") or [])] if n}
        level = 0
        for n in names:
            if n == want:
                level = max(level, 3)
            elif want in n.split() or n in want.split() or (len(want.split()) > 1 and set(want.split()) <= set(n.split())):
                level = max(level, 2)
            elif len(want) > 3 and (want in n or n in want):
                level = max(level, 1)
        if level:
            scored.append((level, len(e.get("mentions") or []), eid, names))
    if not scored:
        return [], {want}
    top = max(x[0] for x in scored)
    # an exact match and single-word matches of the same person are one actor
    keep = [x for x in scored if x[0] >= min(top, 2)]
    keep.sort(key=lambda x: (-x[0], -x[1], x[2]))
    names = {want}
    for x in keep:
        names |= x[3]
    return [x[2] for x in keep], names


def resolve_actor(store: Store, actor: str) -> tuple[str | None, set[str]]:
    """(best entity id or None, lowercased names) for ``actor``."""
    ids, names = resolve_actors(store, actor)
    return (ids[0] if ids else None), names


def _speaker_matches(sp: dict[str, Any], ids: set[str], names: set[str], links: dict[str, str], article: str) -> bool:
    ent = sp.get("entity") or (links.get(f"{article}:{sp.get('cluster')}") if sp.get("cluster") else None)
    if ids and ent:
        return ent in ids
    for k in ("name", "text"):
        nm = " ".join(str(sp.get(k) or "").lower().split())
        if nm and any(n and (n == nm or n in nm.split() or (len(nm) > 3 and nm in n.split())) for n in names):
            return True
    return False


def _names_rx(names: set[str]) -> re.Pattern[str] | None:
    # single words shorter than 4 letters ("he", "us") would match too much
    usable = sorted({n for n in names if len(n) >= 4 or " " in n}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in usable) + r")\b", re.I)


def _embedder() -> Any:
    """The sentence-embedding function (``storyline.embed.embed``) when its model is installed, else None."""
    try:
        from storyline.embed import embed

        embed(["probe"])
    except Exception:
        return None
    return embed


def topic_terms(
    topic: str, texts: Sequence[str], min_word_similarity: float = 0.5, use_embeddings: bool = True, max_vocab: int = 3000
) -> set[str]:
    """The topic's words, expanded with words of ``texts`` whose embedding is close to the topic's.

    "ceasefire" gains "truce", "armistice", "peace" when the texts use them: query expansion
    from the corpus's own vocabulary, so no word list is needed.
    """
    terms = set(tokens(topic))
    emb = _embedder() if use_embeddings else None
    if emb is None or not terms:
        return terms
    freq = Counter(t for x in texts for t in tokens(x) if len(t) > 2 and t not in terms)
    vocab = sorted(w for w, _ in freq.most_common(max_vocab))
    if not vocab:
        return terms
    vecs = emb([topic, *vocab])
    sims = vecs[1:] @ vecs[0]
    return terms | {w for w, x in zip(vocab, sims, strict=True) if float(x) >= min_word_similarity}


def topic_filter(texts: Sequence[str], topic: str, min_similarity: float = 0.45, use_embeddings: bool = True) -> list[bool]:
    """Which texts bear on ``topic``: they use a topic word (expanded, see :func:`topic_terms`),
    or their sentence embedding is within ``min_similarity`` of the topic's."""
    terms = topic_terms(topic, texts, use_embeddings=use_embeddings)
    keep = [bool(terms & set(tokens(t))) for t in texts]
    emb = _embedder() if use_embeddings and not all(keep) else None
    if emb is not None:
        vecs = emb([topic, *texts])
        sims = vecs[1:] @ vecs[0]
        keep = [k or float(x) >= min_similarity for k, x in zip(keep, sims, strict=True)]
    return keep


def _context(article: Any, start: int | None, end: int | None) -> str | None:
    """The sentences of ``article`` that overlap [start, end): a quote with its reporting clause."""
    if article is None or start is None or end is None:
        return None
    parts = [article.text[x["start"] : x["end"]] for x in article.layers.get("sentences") or []
             if x["start"] < end and x["end"] > start]
    return " ".join(parts) or None


def actor_timeline(
    store: Store, actor: str, topic: str | None = None, min_similarity: float = 0.45, use_embeddings: bool = True
) -> list[dict[str, Any]]:
    """What ``actor`` said, what others said of it, and the events it took part in, by date.

    Rows, in date order: ``kind`` is ``statement`` (a quote of the actor, direct or
    indirect: ``quote_kind``), ``reported`` (someone else's quote that names the actor:
    what they say the actor thinks or did) or ``event`` (a corpus event the actor takes
    part in).  Each row: ``date`` (when it was said when the quote gives it, else the
    article's date), ``precision``, ``text``, ``speaker``, ``article``, ``start``, ``end``,
    ``sources`` (articles carrying it) and ``independent_sources`` (copies collapsed).
    With ``topic``, only rows that bear on it are kept: the quote's sentence uses a topic
    word, or its sentence embedding is within ``min_similarity`` of the topic's.
    """
    ids_list, names = resolve_actors(store, actor)
    ids = set(ids_list)
    eid = ids_list[0] if ids_list else None
    links = _entity_links(store)
    groups = _copies_groups(store)
    name_rx = _names_rx(names)

    pubs: dict[str, str | None] = {}
    arts: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str, str], dict[str, Any]] = {}
    for q in store.iter_quotes():
        sp = q.get("speaker") or {}
        art = str(q.get("article"))
        text = str(q.get("text") or "")
        if _speaker_matches(sp, ids, names, links, art):
            kind = "statement"
        elif name_rx is not None and name_rx.search(text):
            kind = "reported"
        else:
            continue
        if art not in pubs:
            a = store.get_article(art, layers=["sentences"])
            pubs[art] = a.published.date if a else None
            arts[art] = a
        said = q.get("said_on") or {}
        d = claimable(said.get("value"), said.get("precision")) if isinstance(said, dict) else None
        d = d or pubs[art]
        key = (kind, " ".join(tokens(text))[:200], d or "")
        if key in by_key:  # the same statement carried by a copy
            if art not in by_key[key]["sources"]:
                by_key[key]["sources"].append(art)
            continue
        row = {
            "date": d,
            "precision": precision_of(d),
            "kind": kind,
            "quote_kind": q.get("kind"),
            "text": text,
            "speaker": sp.get("name") or sp.get("text"),
            "entity": eid,
            "article": art,
            "start": q.get("start"),
            "end": q.get("end"),
            "sources": [art],
            "independent_sources": 1,
            "context": _context(arts.get(art), q.get("start"), q.get("end")) or text,
        }
        by_key[key] = row
        rows.append(row)
    rows = _drop_nested(rows)
    if ids:
        try:
            events = store.get_corpus("events")
        except Exception:  # pragma: no cover
            events = {}
        for ev in events.values():
            if not ids & set(ev.get("entities") or []):
                continue
            text = str(ev.get("title") or "")
            rows.append(
                {
                    "date": ev.get("date"),
                    "precision": ev.get("precision") or precision_of(ev.get("date")),
                    "kind": "event",
                    "quote_kind": None,
                    "text": text,
                    "speaker": None,
                    "entity": eid,
                    "article": (ev.get("articles") or [None])[0],
                    "start": None,
                    "end": None,
                    "sources": list(ev.get("articles") or []),
                    "independent_sources": int(ev.get("independent_sources") or 0),
                    "event": ev.get("id"),
                    "context": " ".join([text, *(str(x.get("text") or "") for x in (ev.get("sentences") or [])[:3])]),
                }
            )
    if topic and rows:
        keep = topic_filter([r.get("context") or r["text"] for r in rows], topic, min_similarity, use_embeddings)
        rows = [r for r, k in zip(rows, keep, strict=True) if k]
    for r in rows:
        if r["kind"] != "event":
            r["independent_sources"] = len({groups.get(a, a) for a in r["sources"]})
    kind_order = {"statement": 0, "reported": 1, "event": 2}
    rows.sort(key=lambda r: (sort_key(r["date"]), kind_order[r["kind"]], r["article"] or "", r["start"] or 0))
    return rows


def _drop_nested(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a quote whose span lies inside another kept quote of the same article."""
    out = []
    for r in rows:
        inside = any(
            o is not r and o["article"] == r["article"] and o["start"] is not None and r["start"] is not None
            and o["start"] <= r["start"] and r["end"] <= o["end"] and (o["end"] - o["start"]) > (r["end"] - r["start"])
            for o in rows
        )
        if not inside:
            out.append(r)
    return out
