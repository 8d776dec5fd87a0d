"""Events: articles grouped by the real-world event they report; events linked into threads.

Each article is described by (:class:`ArticleFeatures`):

* a TF-IDF vector of its words (sublinear tf, corpus idf),
* a MiniLM embedding of its lead (title and first sentences; :mod:`storyline.embed`),
* its named participants and places (corpus entities when the ``entities`` stage ran,
  else spaCy NER), weighted by rarity,
* its dates: the publication date when known, else the years the text names.

Candidates (no all-pairs step): an inverted index over each article's most salient
terms and entities, ignoring keys too common to tell events apart; each article keeps
its ``candidates`` best-sharing neighbours.  A candidate pair scores a weighted sum of
the three similarities (plus 0.1 when both quote the same words), less a penalty when
the dates say the two reports are not about the same days (an event spans days, not
years; ``date_window_days``).  Without the embedding model installed, the other two
similarities carry its weight.  Groups are formed by average-linkage
agglomeration over that sparse graph (pairs never compared count as 0), stopping at
``threshold``.

Within a group, the sentences that report the event are those closest to the group's
centroid; the title is the lead sentence or headline nearest the centroid; the date is
the earliest publication date (or the most common sentence date) of the group.

Threads: events whose centroids are close at a lower threshold and share actors are
linked over time (the same average-linkage procedure over events).

Ids are stable across runs: an event id derives from its earliest article (date, id),
a thread id from its earliest event.

Options (``[stages.events]``): ``threshold``, ``w_tfidf``, ``w_embed``, ``w_entities``,
``date_penalty``, ``candidates``, ``thread_threshold`` (see :class:`EventParams`).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date as _date
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.settings import Settings
from storyline.stages import corpus_stage

if TYPE_CHECKING:
    from storyline.store import Store

log = logging.getLogger("storyline")

LEAD_SENTENCES = 6
MAX_TERMS = 200
_WORD = re.compile(r"[a-z][a-z0-9'-]+|\d+[a-z]*")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said says say told
    one two new also would could may might us mr mrs ms year years day days week time people like get got since
    last first according reported report reports news""".split()  # noqa: SIM905
)


# An undated article joins its event (and may take its dates) only when it is at least this
# much more like its own event's members than like any other event's (mean pair score).
MIN_MEMBERSHIP_MARGIN = 0.05


@dataclass
class EventParams:
    """Grouping parameters; the defaults were chosen on the odd-numbered ECB+ topics only."""

    threshold: float = 0.26
    w_tfidf: float = 0.4
    w_embed: float = 0.4
    w_entities: float = 0.2
    date_penalty: float = 0.5
    date_window_days: int = 10
    candidates: int = 40
    max_df: float = 0.05  # keys in more than this share of articles do not block (min 50 articles)
    max_postings: int = 200  # ... nor keys in more than this many articles
    thread_threshold: float = 0.35

    @classmethod
    def from_settings(cls, settings: Settings) -> EventParams:
        opts = settings.stage("events")
        known = {f.name: f.type for f in fields(cls)}
        return cls(**{k: type(getattr(cls(), k))(v) for k, v in opts.items() if k in known})


@dataclass
class ArticleFeatures:
    id: str
    terms: Counter[str]
    entities: set[str]
    lead: list[str]  # title / first sentences, for the embedding and the event title
    sentences: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text)
    date: str | None = None  # publication date, ISO
    years: set[int] = field(default_factory=set)  # years the text names (when no date)
    quotes: set[str] = field(default_factory=set)
    sent_dates: list[str | None] = field(default_factory=list)  # the date each sentence refers to
    vec: np.ndarray | None = None  # lead embedding
    sent_vecs: np.ndarray | None = None  # embeddings of ``sentences``
    tfidf: dict[str, float] = field(default_factory=dict)
    ent_w: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# features


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 1]


def entity_key(text: str) -> str:
    t = re.sub(r"^(the|a|an)\s+", "", text.strip().lower())
    t = re.sub(r"'s$|’s$", "", t)
    return re.sub(r"\s+", " ", t)


def mentioned_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def _quote_keys(text: str) -> set[str]:
    """Normalised direct quotations (8+ words) for shared-quote evidence."""
    out = set()
    for m in re.finditer(r"[\"“]([^\"”]{40,400})[\"”]", text):
        words = tokens(m.group(1))
        if len(words) >= 6:
            out.add(" ".join(words[:12]))
    return out


def features_from_texts(
    items: Sequence[tuple[str, str, str | None]], settings: Settings | None = None, max_sentences: int = 40
) -> list[ArticleFeatures]:
    """Features of plain texts [(id, text, published ISO or None)], with spaCy and MiniLM
    (``max_sentences`` sentence embeddings per text; grouping needs only the lead)."""
    from storyline.stages.nlp import load_spacy

    settings = settings or Settings()
    nlp = load_spacy(settings.spacy_model)
    feats = []
    for (aid, text, pub), sdoc in zip(items, nlp.pipe((t for _, t, _ in items), batch_size=16), strict=True):
        sents = [(s.start_char, s.end_char, s.text.strip()) for s in sdoc.sents if s.text.strip()]
        ents = {entity_key(e.text) for e in sdoc.ents if e.label_ in ENTITY_LABELS and len(e.text) > 1}
        feats.append(
            ArticleFeatures(
                id=aid,
                terms=Counter(tokens(text)),
                entities=ents,
                lead=[s[2] for s in sents[:LEAD_SENTENCES]],
                sentences=sents,
                date=pub,
                years=mentioned_years(text),
                quotes=_quote_keys(text),
            )
        )
    embed_features(feats, max_sentences)
    return feats


def embed_features(feats: Sequence[ArticleFeatures], max_sentences: int = 40) -> None:
    """Fill ``vec`` (mean of the lead sentence embeddings) and ``sent_vecs``."""
    from storyline import embed

    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for f in feats:
        sents = [s[2] for s in f.sentences[:max_sentences]] or f.lead
        spans.append((len(texts), len(texts) + len(sents)))
        texts.extend(sents)
    vecs = embed.embed(texts)
    for f, (a, b) in zip(feats, spans, strict=True):
        f.sent_vecs = vecs[a:b]
        n_lead = min(b - a, max(1, len(f.lead)))
        v = vecs[a : a + n_lead].mean(axis=0) if b > a else np.zeros(embed.DIM, dtype=np.float32)
        f.vec = v / max(float(np.linalg.norm(v)), 1e-12)


def _weigh(feats: Sequence[ArticleFeatures], release: bool = False) -> None:
    """Corpus idf weights: TF-IDF term vectors (the ``MAX_TERMS`` heaviest) and entity
    weights, L2-normalised.  With ``release`` the raw term counts are dropped."""
    n = len(feats)
    df: Counter[str] = Counter()
    edf: Counter[str] = Counter()
    for f in feats:
        df.update(f.terms.keys())
        edf.update(f.entities)
    for f in feats:
        v = {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in f.terms.items()}
        if len(v) > MAX_TERMS:  # the heaviest terms carry the cosine; memory stays bounded
            v = dict(sorted(v.items(), key=lambda kv: -kv[1])[:MAX_TERMS])
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        f.tfidf = {w: x / norm for w, x in v.items()}
        if release:  # the counts are no longer needed: memory stays bounded on large corpora
            f.terms = Counter()
        e = {k: math.log((1 + n) / (1 + edf[k])) + 1 for k in f.entities}
        enorm = math.sqrt(sum(x * x for x in e.values())) or 1.0
        f.ent_w = {k: x / enorm for k, x in e.items()}


def _sparse_cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[k] for k, x in a.items() if k in b)


def _days(a: str, b: str) -> int | None:
    try:
        da = _date.fromisoformat(a[:10]) if len(a) >= 10 else None
        db = _date.fromisoformat(b[:10]) if len(b) >= 10 else None
    except ValueError:
        return None
    if da is None or db is None:
        return None
    return abs((da - db).days)


def date_conflict(a: ArticleFeatures, b: ArticleFeatures, window: int) -> float:
    """0 when the dates allow one event, up to 1 when they rule it out."""
    if a.date and b.date:
        d = _days(a.date, b.date)
        if d is not None:
            return 0.0 if d <= window else min(1.0, (d - window) / (3 * window) + 0.5)
        if a.date[:4] != b.date[:4]:
            return 1.0
        return 0.0
    ya, yb = a.years, b.years
    if a.date:
        ya = {int(a.date[:4])}
    if b.date:
        yb = {int(b.date[:4])}
    if ya and yb and not (ya & yb):
        return 1.0
    return 0.0


def pair_score(a: ArticleFeatures, b: ArticleFeatures, p: EventParams) -> float:
    s = p.w_tfidf * _sparse_cos(a.tfidf, b.tfidf) + p.w_entities * _sparse_cos(a.ent_w, b.ent_w)
    if a.vec is not None and b.vec is not None:
        s += p.w_embed * max(0.0, float(a.vec @ b.vec))
    else:  # no embeddings (model not installed): the other two carry the whole weight
        s *= (p.w_tfidf + p.w_embed + p.w_entities) / max(p.w_tfidf + p.w_entities, 1e-9)
    if a.quotes & b.quotes:
        s += 0.1
    return s - p.date_penalty * date_conflict(a, b, p.date_window_days)


def _top(acc: dict[int, float], k: int) -> list[int]:
    """The ``k`` keys with the largest values (ties by key, so results are deterministic)."""
    return [j for j, _ in heapq.nlargest(k, acc.items(), key=lambda kv: (kv[1], -kv[0]))]


def candidate_pairs(feats: Sequence[ArticleFeatures], p: EventParams, keys_per_doc: int = 25) -> set[tuple[int, int]]:
    """Blocking: articles that share salient terms or entities (common keys skipped)."""
    n = len(feats)
    # a key in more articles than this does not block; the cap is a constant at scale, so
    # the work per article is bounded (keys x cap) and the whole step stays linear
    max_df = min(max(50, int(p.max_df * n)), p.max_postings)
    index: dict[str, list[int]] = defaultdict(list)
    keys_of: list[list[tuple[str, float]]] = []
    for i, f in enumerate(feats):
        top = sorted(f.tfidf.items(), key=lambda kv: -kv[1])[:keys_per_doc]
        ks = [("t:" + k, w) for k, w in top] + [("e:" + k, w) for k, w in f.ent_w.items()]
        keys_of.append(ks)
        for k, _ in ks:
            index[k].append(i)
    pairs: set[tuple[int, int]] = set()
    for i, ks in enumerate(keys_of):
        acc: defaultdict[int, float] = defaultdict(float)
        for k, w in ks:
            post = index[k]
            if len(post) > max_df:
                continue
            for j in post:
                if j != i:
                    acc[j] += w
        for j in _top(acc, p.candidates):
            pairs.add((min(i, j), max(i, j)))
    return pairs


def average_linkage(n: int, edges: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage agglomeration over a sparse similarity graph (missing pairs = 0)."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in edges.items():
        if s > 0:
            sums[i][j] = sums[i].get(j, 0.0) + s
            sums[j][i] = sums[j].get(i, 0.0) + s
    heap = [(-s, i, j, 1, 1) for (i, j), s in edges.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, i, j, si, sj = heapq.heappop(heap)
        if i not in members or j not in members or len(members[i]) != si or len(members[j]) != sj:
            continue
        # merge j into i
        members[i].extend(members.pop(j))
        for k, s in sums.pop(j, {}).items():
            sums[k].pop(j, None)
            if k == i:
                continue
            sums[i][k] = sums[i].get(k, 0.0) + s
            sums[k][i] = sums[i][k]
        sums[i].pop(j, None)
        ni = len(members[i])
        for k, s in sums[i].items():
            avg = s / (ni * len(members[k]))
            if avg >= threshold:
                a, b = (i, k) if i < k else (k, i)
                heapq.heappush(heap, (-avg, a, b, len(members[a]), len(members[b])))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def score_pairs(
    feats: Sequence[ArticleFeatures], pairs: Iterable[tuple[int, int]], p: EventParams
) -> dict[tuple[int, int], float]:
    """:func:`pair_score` for many pairs at once (vectorised; same values)."""
    by_first: dict[int, list[int]] = defaultdict(list)
    for i, j in pairs:
        by_first[i].append(j)
    vocab: dict[str, int] = {}
    evocab: dict[str, int] = {}

    def arrays(d: dict[str, float], voc: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter((voc.setdefault(k, len(voc)) for k in d), dtype=np.int64, count=len(d))
        return idx, np.fromiter(d.values(), dtype=np.float64, count=len(d))

    t_arr = [arrays(f.tfidf, vocab) for f in feats]
    e_arr = [arrays(f.ent_w, evocab) for f in feats]
    dense_t = np.zeros(len(vocab) + 1)
    dense_e = np.zeros(len(evocab) + 1)
    has_vec = all(f.vec is not None for f in feats)
    vecs = np.stack([f.vec for f in feats]) if has_vec and feats else None  # type: ignore[misc]
    scale = 1.0 if has_vec else (p.w_tfidf + p.w_embed + p.w_entities) / max(p.w_tfidf + p.w_entities, 1e-9)
    out: dict[tuple[int, int], float] = {}
    for i, js in by_first.items():
        ti, tv = t_arr[i]
        ei, ev = e_arr[i]
        dense_t[ti] = tv
        dense_e[ei] = ev
        emb = np.maximum(vecs[js] @ vecs[i], 0.0) if vecs is not None else np.zeros(len(js))
        for k, j in enumerate(js):
            tj, tw = t_arr[j]
            ej, ew = e_arr[j]
            sc = p.w_tfidf * float(dense_t[tj] @ tw) + p.w_entities * float(dense_e[ej] @ ew)
            sc = sc * scale + p.w_embed * float(emb[k])
            if feats[i].quotes and feats[i].quotes & feats[j].quotes:
                sc += 0.1
            out[(i, j)] = sc - p.date_penalty * date_conflict(feats[i], feats[j], p.date_window_days)
        dense_t[ti] = 0.0
        dense_e[ei] = 0.0
    return out


def group_articles(feats: Sequence[ArticleFeatures], params: EventParams, release: bool = False) -> list[list[str]]:
    """Groups of article ids, one per event (``release``: drop the term counts once weighed)."""
    if not feats:
        return []
    _weigh(feats, release)
    edges = score_pairs(feats, candidate_pairs(feats, params), params)
    groups = average_linkage(len(feats), edges, params.threshold)
    return [[feats[i].id for i in g] for g in groups]


# ---------------------------------------------------------------------------------------
# the corpus stage

EMBED_BLOB = "sentvec-minilm-v1"
MAX_EMBED_SENTENCES = 40
SENTENCES_PER_ARTICLE = 3


def _stable_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def features_from_store(store: Store, new_ids: set[str], embeddings: bool = True) -> list[ArticleFeatures]:
    """Features of every stored article; sentence embeddings are cached as blobs and
    computed only for new or changed articles."""
    from storyline import embed

    links = store.get_corpus("entity_links")
    feats: list[ArticleFeatures] = []
    for art in store.iter_articles(layers=["sentences", "ner", "entities", "quotes", "timexes"]):
        text = art.text
        sents, sdates = [], []
        for s in art.layers.get("sentences", []):
            st = text[s["start"] : s["end"]].strip()
            if st:
                sents.append((s["start"], s["end"], st))
                d = (s.get("date") or {}).get("value")
                sdates.append(d if isinstance(d, str) and _ISO_DATE.match(d) else None)
        if not sents and text.strip():
            sents = [(0, len(text), text.strip())]
        ents: set[str] = set()
        mentions = art.layers.get("entities") or art.layers.get("ner") or []
        for m in mentions:
            if m.get("label") not in ENTITY_LABELS:
                continue
            linked = links.get(f"{art.id}:{m.get('cluster')}") if m.get("cluster") is not None else None
            ents.add(str(linked) if linked else entity_key(m.get("text") or text[m["start"] : m["end"]]))
        for q in art.layers.get("quotes", []):  # speakers the entity layer missed still count
            speaker_entity = (q.get("speaker") or {}).get("entity")
            if speaker_entity:
                ents.add(str(speaker_entity))
        quotes = {" ".join(tokens(q.get("text", ""))[:12]) for q in art.layers.get("quotes", [])}
        quotes = {q for q in quotes if len(q.split()) >= 6} | _quote_keys(text)
        years = mentioned_years(text)
        for tx in art.layers.get("timexes", []):
            ym = _YEAR.match(str(tx.get("value", "")))
            if ym:
                years.add(int(ym.group(1)))
        lead = ([art.title] if art.title else []) + [s[2] for s in sents[:LEAD_SENTENCES]]
        feats.append(
            ArticleFeatures(
                id=art.id,
                terms=Counter(tokens((art.title or "") + "\n" + text)),
                entities=ents,
                lead=lead,
                sentences=sents,
                # a date propagated from this article's own event would only confirm the grouping
                date=art.published.date if art.published.method != "propagated" else None,
                years=years,
                quotes=quotes,
                sent_dates=sdates,
            )
        )
    if not embeddings or not feats:
        return feats
    todo: list[ArticleFeatures] = []
    for f in feats:
        blob = None if f.id in new_ids else store.get_blob(f.id, EMBED_BLOB)
        n_expected = min(len(f.sentences), MAX_EMBED_SENTENCES) + 1
        vecs = embed.from_bytes(blob) if blob else None
        if vecs is None or len(vecs) != n_expected:
            todo.append(f)
            continue
        f.vec, f.sent_vecs = vecs[0], vecs[1:]
    for start in range(0, len(todo), 256):
        chunk = todo[start : start + 256]
        texts: list[str] = []
        spans = []
        for f in chunk:
            stexts = [s[2] for s in f.sentences[:MAX_EMBED_SENTENCES]]
            spans.append((len(texts), len(stexts), len(f.lead) - len(f.sentences[:LEAD_SENTENCES])))
            texts.extend(stexts)
            if len(f.lead) > len(f.sentences[:LEAD_SENTENCES]):  # a title
                texts.append(f.lead[0])
        vecs = embed.embed(texts)
        with store.transaction():
            for f, (a, n, has_title) in zip(chunk, spans, strict=True):
                sv = vecs[a : a + n]
                lead_rows = [sv[: min(n, LEAD_SENTENCES)]]
                if has_title:
                    lead_rows.append(vecs[a + n : a + n + 1])
                lv = np.concatenate(lead_rows).mean(axis=0) if n or has_title else np.zeros(embed.DIM, np.float32)
                f.vec = (lv / max(float(np.linalg.norm(lv)), 1e-12)).astype(np.float32)
                f.sent_vecs = sv
                store.put_blob(f.id, EMBED_BLOB, embed.to_bytes(np.vstack([f.vec[None, :], sv])))
    return feats


def _event_record(
    members: list[ArticleFeatures], originals: dict[str, str], titles: dict[str, str | None]
) -> dict[str, Any]:
    from storyline.dates import precision_of

    order = sorted(members, key=lambda f: (f.date or "9999", f.id))
    vecs = [f.vec for f in members if f.vec is not None]
    centroid = np.mean(vecs, axis=0) if vecs else None
    if centroid is not None:
        centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    sentences: list[dict[str, Any]] = []
    best_title, best_sim = (titles.get(order[0].id) or (order[0].sentences[0][2] if order[0].sentences else "")), -2.0
    for f in order:
        if centroid is None or f.sent_vecs is None or len(f.sent_vecs) == 0:
            picked = list(range(min(1, len(f.sentences))))
        else:
            sims = f.sent_vecs @ centroid
            top = float(sims.max())
            picked = [int(i) for i in np.argsort(-sims)[:SENTENCES_PER_ARTICLE] if sims[i] >= max(0.4, top - 0.1)]
            # the headline or the lead sentence nearest the centroid is the event's title
            cand = [(float(sims[0]), f.sentences[0][2])]
            if titles.get(f.id) and f.vec is not None:
                cand.append((float(f.vec @ centroid) - 0.05, titles[f.id] or ""))
            for sim, text in cand:
                if sim > best_sim and 20 <= len(text) <= 300:
                    best_sim, best_title = sim, text
        for i in sorted(picked):
            s, e, t = f.sentences[i]
            sentences.append({"article": f.id, "start": s, "end": e, "text": t})
    ent_count: Counter[str] = Counter()
    for f in members:
        ent_count.update(f.entities)
    dated = [f.date for f in order if f.date]
    date = dated[0] if dated else None
    if date is None:  # no publication date: the date the event's sentences refer to most often
        by_art = {f.id: f for f in members}
        said: Counter[str] = Counter()
        for sent in sentences:
            f = by_art[sent["article"]]
            idx = next((k for k, x in enumerate(f.sentences) if x[0] == sent["start"]), None)
            if idx is not None and idx < len(f.sent_dates) and f.sent_dates[idx]:
                said[f.sent_dates[idx]] += 1  # type: ignore[index]
        if said:
            date = max(said.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
    return {
        "id": _stable_id("ev_", order[0].id),
        "date": date,
        "precision": precision_of(date),
        "title": best_title,
        "articles": [f.id for f in order],
        "sentences": sentences,
        # corpus entity ids (names only for mentions the entities stage did not link)
        "entities": [k for k, _ in ent_count.most_common(15)],
        "independent_sources": len({originals.get(f.id, f.id) for f in members}),
        "thread": None,
    }


def link_threads(
    events: list[dict[str, Any]], groups: list[list[ArticleFeatures]], threshold: float
) -> dict[str, dict[str, Any]]:
    """Link events into story threads (shared actors and topic, any time apart)."""
    n = len(events)
    cents: list[np.ndarray | None] = []
    ents: list[dict[str, float]] = []
    edf: Counter[str] = Counter()
    for g in groups:
        vecs = [f.vec for f in g if f.vec is not None]
        c = np.mean(vecs, axis=0) if vecs else None
        cents.append(c / max(float(np.linalg.norm(c)), 1e-12) if c is not None else None)
        counts: Counter[str] = Counter()
        for f in g:
            counts.update(f.entities)
        ents.append(dict(counts))
        edf.update(counts.keys())
    wents: list[dict[str, float]] = []
    for ec_ in ents:
        w = {k: math.log((1 + n) / (1 + edf[k])) + 1 for k in ec_}
        norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
        wents.append({k: x / norm for k, x in w.items()})
    max_df = max(50, n // 20)
    index: dict[str, list[int]] = defaultdict(list)
    for i, we in enumerate(wents):
        for k in we:
            index[k].append(i)
    edges: dict[tuple[int, int], float] = {}
    for i, we in enumerate(wents):
        acc: defaultdict[int, float] = defaultdict(float)
        for k, wk in we.items():
            if len(index[k]) <= max_df:
                for j in index[k]:
                    if j != i:
                        acc[j] += wk
        for j in _top(acc, 40):
            a, b = min(i, j), max(i, j)
            if (a, b) in edges:
                continue
            ca, cb = cents[a], cents[b]
            topic = max(0.0, float(ca @ cb)) if ca is not None and cb is not None else 0.0
            actors = _sparse_cos(wents[a], wents[b])
            if actors > 0:
                edges[(a, b)] = 0.6 * topic + 0.4 * actors
    threads: dict[str, dict[str, Any]] = {}
    for comp in average_linkage(n, edges, threshold):
        if len(comp) < 2:
            continue
        evs = sorted((events[i] for i in comp), key=lambda e: (e["date"] or "9999", e["id"]))
        tid = _stable_id("th_", evs[0]["id"])
        main = max(evs, key=lambda e: (len(e["articles"]), -evs.index(e)))
        ec: Counter[str] = Counter()
        for ev in evs:
            ec.update(ev["entities"])
            ev["thread"] = tid
        dates = [e["date"] for e in evs if e["date"]]
        threads[tid] = {
            "id": tid,
            "title": main["title"],
            "events": [e["id"] for e in evs],
            "entities": [k for k, _ in ec.most_common(15)],
            "first": min(dates) if dates else None,
            "last": max(dates) if dates else None,
        }
    return threads


@corpus_stage("events")
def events_stage(store: Store, settings: Settings, new_ids: set[str]) -> None:
    from storyline import embed

    params = EventParams.from_settings(settings)
    embed.set_threads(settings.workers)  # the corpus stage runs alone: use every core
    use_embed = embed.available()
    if not use_embed:
        log.warning("events: sentence-embedding model or tokenizer missing; grouping on words and entities only")
    feats = features_from_store(store, new_ids, embeddings=use_embed)
    by_id = {f.id: f for f in feats}
    groups = group_articles(feats, params, release=True)
    copies = store.get_corpus("copies")
    originals = {a: rec.get("original", a) for a, rec in copies.items()}
    titles = {r[0]: r[1] for r in store.conn.execute("SELECT id, title FROM articles")}

    def records(gs: list[list[str]]) -> tuple[list[dict[str, Any]], list[list[ArticleFeatures]]]:
        mfs = [[by_id[a] for a in g] for g in gs]
        return [_event_record(mf, originals, titles) for mf in mfs], mfs

    events, member_feats = records(groups)
    membership = undated_membership(feats, groups, events, params)
    # An undated article about as like another event as its own is not put in either:
    # it stands alone (undated) rather than swell, and later date, an event it may not report.
    group_of = {a: gi for gi, g in enumerate(groups) for a in g}
    loose = {
        a
        for a, m in membership.items()
        if m["margin"] is not None
        and m["margin"] < MIN_MEMBERSHIP_MARGIN
        and any(by_id[b].date for b in groups[group_of[a]] if b != a)
    }
    if loose:
        groups = [[a for a in g if a not in loose] for g in groups]
        groups = [g for g in groups if g] + [[a] for a in sorted(loose)]
        events, member_feats = records(groups)
        membership = undated_membership(feats, groups, events, params)
        for a in loose:
            membership[a]["detached"] = True
    threads = link_threads(events, member_feats, params.thread_threshold)
    with store.transaction():
        store.replace_corpus("events", {e["id"]: e for e in events})
        store.replace_corpus("article_events", {a: e["id"] for e in events for a in e["articles"]})
        store.replace_corpus("event_membership", membership)
        store.replace_corpus("threads", threads)


def undated_membership(
    feats: Sequence[ArticleFeatures], groups: list[list[str]], events: list[dict[str, Any]], params: EventParams
) -> dict[str, dict[str, Any]]:
    """For each undated article, how clearly it belongs to its event: its mean similarity to
    its own event's members minus the best mean similarity to another event's members (its
    blocking neighbours only).  A small margin means the text alone cannot tell which of two
    events, possibly years apart, the article reports: its date must not be taken from it.
    """
    index = {f.id: i for i, f in enumerate(feats)}
    group_of: dict[int, int] = {}
    for gi, g in enumerate(groups):
        for a in g:
            group_of[index[a]] = gi
    undated = {i for i, f in enumerate(feats) if not f.date}
    if not undated:
        return {}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for i, j in candidate_pairs(feats, params):
        if i in undated:
            neighbours[i].add(j)
        if j in undated:
            neighbours[j].add(i)
    out: dict[str, dict[str, Any]] = {}
    for i in sorted(undated):
        by_group: dict[int, list[float]] = defaultdict(list)
        for j in neighbours[i]:
            by_group[group_of[j]].append(pair_score(feats[i], feats[j], params))
        own = by_group.pop(group_of[i], [])
        own_mean = sum(own) / len(own) if own else None
        other = max((sum(v) / len(v) for v in by_group.values()), default=None)
        margin = None if own_mean is None else round(own_mean - (other if other is not None else 0.0), 3)
        out[feats[i].id] = {"event": events[group_of[i]]["id"], "margin": margin}
    return out
