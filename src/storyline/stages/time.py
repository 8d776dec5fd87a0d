"""The time stage: publication date, temporal expressions, and the date of each sentence.

Article stage ``time`` (after ``nlp``):

* ``article.published``: given dates always win; else metadata (HTML meta / JSON-LD /
  ``<time>`` / htmldate, the extract stage's ``meta['html_date']``, a date in the URL, a
  dateline the cleaner kept in ``meta['dateline']``); else inference from the text
  (:mod:`storyline.temporal.pubdate`), which keeps bounds and never claims more than the
  text supports.
* layer ``timexes``: ``{start, end, text, type, value, anchor?}`` (TIMEX3 values anchored
  to the publication date when it is known to the day).
* ``sentences[i]['date']``: ``{value, precision, source, timex, confidence}``: the date
  the sentence refers to: its own expression, else the date of the reporting clause that
  introduces it, else the publication date.

Corpus stage ``dates``: articles whose date is missing or weaker take it from their copies,
from articles reporting the same event, or from articles quoting the same statement.

Store-free helpers: :func:`annotate_dates` (plain text + known date -> timexes and
sentence dates; no spaCy needed) and :func:`date_for_span` (the date a span of an
annotated article refers to, e.g. when a quote was said).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from storyline.dates import parse_iso_date, timex_to_iso
from storyline.model import Article, PubDate
from storyline.quotes_marks import find_quotes
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage, corpus_stage
from storyline.stages.events import MIN_MEMBERSHIP_MARGIN
from storyline.temporal.html import parse_date_string, publication_date, url_date
from storyline.temporal.pubdate import infer_publication
from storyline.temporal.tagger import Timex, _choose_year, split_sentences, tag

if TYPE_CHECKING:
    from storyline.store import Store

_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stated|announced|reported|reports|wrote|writes|declared|warned|"
    r"insisted|claimed|noted|explained|according\s+to|confirmed|denied|urged|argued)\b",
    re.IGNORECASE,
)
# Strength of each way of knowing a publication date, to decide which one wins.
METHOD_RANK = {"given": 5, "metadata": 4, "propagated": 3, "inferred": 2, "none": 0}


# --------------------------------------------------------------------------- publication date
def _metadata_date(doc: ArticleDoc) -> PubDate | None:
    raw, art = doc.raw, doc.article
    url = raw.url or art.url or art.meta.get("canonical_url") or art.meta.get("url")
    evidence: list[dict[str, Any]] = []
    if raw.html:
        d, conf, ev = publication_date(raw.html, url)
        evidence.extend(ev)
        if d and len(d) == 10:
            return PubDate(date=d, precision="day", method="metadata", confidence=conf, evidence=ev)
    html_date = art.meta.get("html_date")
    if isinstance(html_date, str) and html_date.strip():
        d = parse_date_string(html_date)
        if d:
            return PubDate(date=d, precision="day", method="metadata", confidence=0.85,
                           evidence=[*evidence, {"kind": "metadata", "source": "extract", "value": html_date}])
    if url:
        u = url_date(url)
        if u:
            return PubDate(date=u, precision="day" if len(u) == 10 else "month", method="metadata",
                           confidence=0.9 if len(u) == 10 else 0.7,
                           evidence=[*evidence, {"kind": "metadata", "source": "url", "value": u}])
    dateline = art.meta.get("dateline")
    if isinstance(dateline, str) and dateline.strip():
        d = parse_date_string(dateline)
        if d:
            return PubDate(date=d, precision="day", method="metadata", confidence=0.85,
                           evidence=[*evidence, {"kind": "metadata", "source": "dateline", "value": dateline}])
    return None


def determine_published(
    doc: ArticleDoc, timexes: list[Timex] | None = None, sentences: list[tuple[int, int]] | None = None
) -> PubDate:
    """Given > metadata > inferred from text."""
    pub = doc.article.published
    if pub.method in {"given", "metadata"} and pub.date:
        return pub  # the input said so (a user, a feed, a WARC header)
    meta = _metadata_date(doc)
    if meta is not None:
        return meta
    return infer_publication(doc.article.text, timexes, sentences)


def _anchor(pub: PubDate | dict[str, Any] | str | None) -> tuple[date | None, int | None]:
    """(anchor day, known year) for resolving relative expressions."""
    if pub is None:
        return None, None
    precision: Any
    if isinstance(pub, PubDate):
        value, precision = pub.date, pub.precision
    elif isinstance(pub, dict):
        value, precision = pub.get("date"), pub.get("precision")
    else:
        value, precision = parse_iso_date(pub)
    if not value:
        return None, None
    if precision == "day" and len(value) >= 10:
        return date.fromisoformat(value[:10]), int(value[:4])
    return None, int(value[:4])


# --------------------------------------------------------------------------- annotation
def _sentence_spans(text: str, spacy_doc: Any = None, sentences: list[dict[str, Any]] | None = None) -> list[tuple[int, int]]:
    if sentences:
        return [(s["start"], s["end"]) for s in sentences]
    if spacy_doc is not None:
        return [(s.start_char, s.end_char) for s in spacy_doc.sents if s.text.strip()]
    return split_sentences(text)


def _fill_year(timexes: list[Timex], year: int) -> None:
    """With only the publication year known, give month/day expressions their year."""
    mid = date(year, 7, 1)
    for t in timexes:
        s = t.sem
        if s.get("k") == "date" and s.get("y") is None and s.get("m") and t.value.startswith("XXXX"):
            if s.get("yrel") is not None:
                y = year + int(s["yrel"])
            else:
                y = _choose_year(s["m"], s.get("d"), mid, t.tense, s.get("rel"))
                if y != year:
                    continue  # only when the known year is the answer
            t.value = f"{y:04d}" + t.value[4:]


_DETERMINER = re.compile(r"(?:\b(?:the|a|an|its|his|her|their|our|this|that|last|next)|'s|’s)\s+$", re.I)
_NOUN_AFTER = re.compile(r"\s+([a-z][a-z-]+)")
_NOT_A_NOUN = frozenset(
    {"of", "in", "on", "at", "and", "or", "but", "to", "when", "after", "before", "that", "which", "who", "was",
     "were", "is", "are", "has", "have", "had", "will", "would", "as", "by", "for", "from", "with", "than", "then",
     "since", "until", "while"}
)


_PERIOD_END = re.compile(r"\b(?:until|till|through|before)\s+$", re.I)


def _names_a_thing(text: str, start: int, end: int) -> bool:
    """A date that is not when the sentence's event happened: a modifier that names a thing
    ("the 1991 borders", "Russia's 2022 invasion") or the end of a period ("a guarantee
    until 2028")."""
    if _PERIOD_END.search(text[max(0, start - 10) : start]):
        return True
    if not _DETERMINER.search(text[max(0, start - 12) : start]):
        return False
    m = _NOUN_AFTER.match(text, end)
    return bool(m and m.group(1) not in _NOT_A_NOUN)


def _sentence_dates(
    text: str,
    spans: list[tuple[int, int]],
    timexes: list[Timex],
    pub: tuple[str | None, str],
    pub_confidence: float = 1.0,
    attributive: frozenset[int] = frozenset(),
    subordinate: frozenset[int] = frozenset(),
) -> list[dict[str, Any] | None]:
    out: list[dict[str, Any] | None] = []
    ti = 0
    quoted = [(q.start, q.end) for q in find_quotes(text)]
    last_report: tuple[int, dict[str, Any]] | None = None  # (sentence index, date) of the last dated reporting clause
    for si, (s, e) in enumerate(spans):
        own: list[tuple[int, Timex]] = []
        while ti < len(timexes) and timexes[ti].start < s:
            ti += 1
        j = ti
        while j < len(timexes) and timexes[j].start < e:
            own.append((j, timexes[j]))
            j += 1
        chosen: dict[str, Any] | None = None
        # the most precise date, and of those one of the main clause before one of an
        # adverbial clause, and the first
        best: tuple[int, int, int, str, str] | None = None
        for idx, t in own:
            if t.type not in {"DATE", "TIME"} or idx in attributive or _names_a_thing(text, t.start, t.end):
                continue
            iso = timex_to_iso(t.value)
            if iso is None:
                continue
            rank = {"day": 0, "month": 1, "season": 2, "year": 3, "decade": 4}.get(iso[1], 5)
            sub = 1 if idx in subordinate else 0
            if best is None or (rank, sub) < best[:2]:
                best = (rank, sub, idx, iso[0], iso[1])
        sent = text[s:e]
        reporting = bool(_REPORTING.search(sent))
        if best is not None:
            chosen = {"value": best[3], "precision": best[4], "source": "timex", "timex": best[2], "confidence": 0.8 if best[4] == "day" else 0.7}
            t_best = timexes[best[2]]
            if reporting and not any(a <= t_best.start and t_best.end <= b for a, b in quoted):
                # a date in the reporting clause ("said on Friday"), not in the words quoted
                # ("since March"), is when the next "he added" was said
                last_report = (si, chosen)
        elif last_report is not None and si - last_report[0] <= 2 and (reporting or sent.lstrip()[:1] in {"•", "-", "*", "“", '"'}):
            chosen = dict(last_report[1], source="reporting", confidence=0.6)
        elif pub[0]:
            chosen = {"value": pub[0], "precision": pub[1], "source": "published", "timex": None,
                      "confidence": round(0.5 * min(1.0, pub_confidence), 3)}
        if "\n\n" in text[e : (spans[si + 1][0] if si + 1 < len(spans) else e)] and not sent.rstrip().endswith(":"):
            last_report = None  # a reporting clause carries over only within its paragraph
        out.append(chosen)
    return out


def annotate_dates(text: str, published: str | None, spacy_doc: Any = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(timexes, sentence dates) for a plain text whose publication date is known (or None).

    Works without spaCy (a rule-based sentence splitter is used when ``spacy_doc`` is None).
    Each sentence date is ``{start, end, value, precision, source, timex, confidence}``, or
    only the span with ``date`` None when nothing dates the sentence.
    """
    spans = _sentence_spans(text, spacy_doc)
    pub_iso: tuple[str | None, str] = (None, "unknown")
    anchor: date | None = None
    year: int | None = None
    if published:
        iso, precision = parse_iso_date(published)
        pub_iso = (iso, precision)
        anchor, year = _anchor(published)
    timexes = tag(text, anchor, spans)
    if anchor is None and year is not None:
        _fill_year(timexes, year)
    dates = _sentence_dates(text, spans, timexes, pub_iso)
    sent_items: list[dict[str, Any]] = []
    for (s, e), d in zip(spans, dates, strict=True):
        item: dict[str, Any] = {"start": s, "end": e, "date": d}
        sent_items.append(item)
    return [t.to_item() for t in timexes], sent_items


def date_for_span(article: Article, start: int, end: int) -> dict[str, Any] | None:
    """The date the text span [start, end) refers to: for a quote, when it was said.

    A dated expression of the span's sentence outside the span (the reporting clause:
    "X said on Friday") wins; else the sentence's date when it does not come from inside
    the span; else the publication date.
    """
    sentences = article.layers.get("sentences") or []
    timexes = article.layers.get("timexes") or []
    sent = next((s for s in sentences if s["start"] <= start < s["end"]), None)
    lo, hi = (sent["start"], sent["end"]) if sent else (start, end)
    lo, hi = min(lo, start), max(hi, end)
    best: tuple[int, int, str, str] | None = None
    for i, t in enumerate(timexes):
        if t["end"] <= lo or t["start"] >= hi or (t["start"] >= start and t["end"] <= end):
            continue
        if t.get("type") not in {"DATE", "TIME"} or t.get("attributive"):
            continue
        iso = timex_to_iso(t.get("value"))
        if iso is None:
            continue
        dist = start - t["end"] if t["end"] <= start else t["start"] - end
        if best is None or dist < best[0]:
            best = (dist, i, iso[0], iso[1])
    if best is not None:
        return {"value": best[2], "precision": best[3], "source": "timex", "timex": best[1], "confidence": 0.8}
    d = sent.get("date") if sent else None
    if d and d.get("source") != "timex":
        return dict(d)
    if d and d.get("timex") is not None and d["timex"] < len(timexes):
        t = timexes[d["timex"]]
        if not (t["start"] >= start and t["end"] <= end):
            return dict(d)
    pub = article.published
    if pub.date:
        return {"value": pub.date, "precision": pub.precision, "source": "published", "timex": None, "confidence": 0.5}
    return None


@article_stage("time")
def time_stage(doc: ArticleDoc, settings: Settings) -> None:
    art = doc.article
    text = art.text
    spans = _sentence_spans(text, doc.spacy, art.layers.get("sentences"))
    pub = art.published
    if not (pub.method in {"given", "metadata"} and pub.date):
        open_timexes = tag(text, None, spans)
        pub = determine_published(doc, open_timexes, spans)
        art.published = pub
    date_layers(art, spans, doc.spacy)


_NOUN_CLAUSES = frozenset({"acl", "relcl"})
_NOUN_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})


def _timex_head(sdoc: Any, t: Timex) -> Any:
    """The timex's own head word in the parse (None when its span does not align)."""
    span = sdoc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    # the span's own head word: "the winter heating" has "the" and "winter" both hanging
    # on "heating", and spaCy's span.root may answer the determiner
    outside = [x for x in span if not span.start <= x.head.i < span.end and x.pos_ not in {"DET", "ADP", "PUNCT"}]
    return outside[0] if outside else span.root


def attributive_timexes(sdoc: Any, timexes: list[Timex]) -> frozenset[int]:
    """The timexes (by index) that modify a noun rather than date their sentence's event:
    inside a participle or relative clause on a noun ("the four regions claimed in 2022",
    "Putin, who invaded in 2022, said"), or a modifier of a noun ("the 2022 invasion")."""
    out: set[int] = set()
    if sdoc is None:
        return frozenset()
    for i, t in enumerate(timexes):
        tok = _timex_head(sdoc, t)
        if tok is None:
            continue
        span = sdoc.char_span(t.start, t.end, alignment_mode="expand")
        if tok.dep_ in _NOUN_MODIFIERS and tok.head.pos_ in {"NOUN", "PROPN"} and tok.head.i not in range(span.start, span.end):
            out.add(i)
            continue
        seen = 0
        while tok.head.i != tok.i and seen < 40:
            if tok.dep_ in _NOUN_CLAUSES and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                out.add(i)
                break
            tok = tok.head
            seen += 1
    return frozenset(out)


def subordinate_timexes(sdoc: Any, timexes: list[Timex]) -> frozenset[int]:
    """The timexes (by index) inside an adverbial clause ("Days before it was to report
    earnings on Wednesday, the company said on Friday ...", "After the talks collapsed on
    Monday, ..."): they set the scene; a date of the main clause dates the sentence."""
    out: set[int] = set()
    if sdoc is None:
        return frozenset()
    for i, t in enumerate(timexes):
        tok = _timex_head(sdoc, t)
        seen = 0
        while tok is not None and tok.head.i != tok.i and seen < 40:
            if tok.dep_ == "advcl":
                out.add(i)
                break
            tok = tok.head
            seen += 1
    return frozenset(out)


def date_layers(art: Article, spans: list[tuple[int, int]] | None = None, sdoc: Any = None) -> None:
    """(Re)compute ``timexes`` and sentence dates of ``art`` anchored to its publication date.

    Run by the time stage, and again by the ``dates`` corpus stage for an article whose
    publication date it changed, so relative expressions ("on Friday") are re-anchored.
    With the spaCy Doc ``sdoc`` the parse marks timexes that modify a noun (``attributive``);
    without it (the corpus stage) the marks of the previous run are kept.
    """
    text = art.text
    if spans is None:
        spans = _sentence_spans(text, None, art.layers.get("sentences"))
    pub = art.published
    anchor, year = _anchor(pub)
    timexes = tag(text, anchor, spans)
    if anchor is None and year is not None:
        _fill_year(timexes, year)
    if sdoc is not None:
        attributive = attributive_timexes(sdoc, timexes)
        subordinate = subordinate_timexes(sdoc, timexes)
    else:
        previous = art.layers.get("timexes") or []
        marked = {k: {(x["start"], x["end"]) for x in previous if x.get(k)} for k in ("attributive", "subordinate")}
        attributive = frozenset(i for i, t in enumerate(timexes) if (t.start, t.end) in marked["attributive"])
        subordinate = frozenset(i for i, t in enumerate(timexes) if (t.start, t.end) in marked["subordinate"])
    items = [t.to_item() for t in timexes]
    for i in attributive:
        items[i]["attributive"] = True
    for i in subordinate:
        items[i]["subordinate"] = True
    art.layers["timexes"] = items
    dates = _sentence_dates(text, spans, timexes, (pub.date, pub.precision), pub.confidence, attributive, subordinate)
    sentences = art.layers.get("sentences")
    if sentences is None or len(sentences) != len(spans):
        art.layers["sentences"] = sentences = [{"start": s, "end": e} for s, e in spans]
    for item, d in zip(sentences, dates, strict=True):
        item["date"] = d


# --------------------------------------------------------------------------- corpus stage
def _strength(p: dict[str, Any]) -> tuple[int, int, float]:
    prec = {"day": 4, "month": 3, "season": 2, "year": 2, "decade": 1}.get(p.get("precision") or "unknown", 0)
    has = 1 if p.get("date") else 0
    return (has * METHOD_RANK.get(p.get("method") or "none", 0), prec, float(p.get("confidence") or 0.0))


def _propagate(target: dict[str, Any], source_id: str, source: dict[str, Any], relation: str) -> dict[str, Any] | None:
    """The date ``target`` should take from ``source`` (or None when it keeps its own)."""
    if not source.get("date") or source.get("method") not in {"given", "metadata"}:
        return None
    if target.get("method") in {"given", "metadata"} and target.get("date"):
        return None
    # copies share the day; articles of one event or quoting one statement were published
    # on or after it, so they inherit it as a lower bound and a lower-confidence estimate
    conf = {"copy": 0.85, "event": 0.55, "quote": 0.5}[relation] * float(source.get("confidence") or 0.0)
    new = {
        "date": source["date"],
        "precision": source.get("precision") or "day",
        "method": "propagated",
        "confidence": round(min(conf, 0.85), 3),
        "evidence": [*(target.get("evidence") or []),
                     {"kind": "propagated", "relation": relation, "article": source_id, "value": source["date"]}],
        "earliest": target.get("earliest"),
        "latest": target.get("latest"),
    }
    if relation != "copy":
        # One event is reported within days, before or after its best-dated report, but an
        # article grouped with an event (or quoting a statement) may be a later chapter of
        # the same long story: the event gives a window of days as bounds, never a date.
        if target.get("date"):
            return None
        donor_day = parse_iso_date(source["date"])
        if donor_day[1] != "day":
            return None
        d = date.fromisoformat(donor_day[0])
        lo = (d - timedelta(days=_EVENT_WINDOW_DAYS)).isoformat()
        hi = (d + timedelta(days=_EVENT_WINDOW_DAYS)).isoformat()
        own_lo, own_hi = target.get("earliest"), target.get("latest")
        new.update(date=None, precision="unknown", confidence=0.0,
                   earliest=max(lo, str(own_lo)) if own_lo else lo,
                   latest=min(hi, str(own_hi)) if own_hi else hi)
        if new["earliest"] > new["latest"]:
            return None  # the text's own bounds rule the event's dates out
        return new
    t_date = target.get("date")
    # an inferred day estimate at least as sure as the propagated one stays
    if (t_date and target.get("method") == "inferred" and target.get("precision") == "day"
            and float(target.get("confidence") or 0) >= new["confidence"]):
        return None
    earliest, latest = target.get("earliest"), target.get("latest")
    if earliest and source["date"] < str(earliest)[: len(source["date"])] and relation == "copy":
        return None  # a copy cannot predate what its text mentions
    if latest and source["date"] > str(latest):
        return None
    return new


_EVENT_WINDOW_DAYS = 21


@corpus_stage("dates")
def dates_stage(store: Store, settings: Settings, new_ids: set[str]) -> None:
    """Share publication dates across copies, events and quotes (method 'propagated')."""
    pubs: dict[str, dict[str, Any]] = {a.id: a.published.to_dict() for a in store.iter_articles(layers=False)}
    if not pubs:
        return
    groups: list[tuple[str, list[str]]] = []
    for orig_id, rec in (store.get_corpus("copies") or {}).items():
        members = {orig_id, *(rec.get("duplicates") or [])}
        if rec.get("original"):
            members.add(rec["original"])
        groups.append(("copy", sorted(m for m in members if m in pubs)))
    by_event: dict[str, list[str]] = defaultdict(list)
    membership = store.get_corpus("event_membership") or {}
    for art_id, ev in (store.get_corpus("article_events") or {}).items():
        if art_id in pubs and ev is not None:
            margin = (membership.get(art_id) or {}).get("margin", 1.0)
            if margin is not None and margin < MIN_MEMBERSHIP_MARGIN:
                continue  # as like another event as its own: its event cannot date it
            by_event[str(ev)].append(art_id)
    groups.extend(("event", sorted(ids)) for ids in by_event.values())
    by_quote: dict[str, set[str]] = defaultdict(set)
    for q in store.iter_quotes():
        key = re.sub(r"\W+", " ", str(q.get("text") or "")).strip().lower()
        if len(key) >= 40:
            by_quote[key].add(q["article"])
    groups.extend(("quote", sorted(ids)) for ids in by_quote.values() if len(ids) > 1)
    changed: dict[str, dict[str, Any]] = {}
    for relation, ids in groups:
        if len(ids) < 2:
            continue
        current = {i: changed.get(i, pubs[i]) for i in ids}
        donors = [i for i in ids if current[i].get("method") in {"given", "metadata"} and current[i].get("date")]
        if not donors:
            continue
        if relation == "copy":
            donor = max(donors, key=lambda i: _strength(current[i]))
        else:
            # the earliest well-dated report of an event bounds the others from below
            donor = min(donors, key=lambda i: (str(current[i]["date"]), -_strength(current[i])[2]))
        for i in ids:
            if i == donor:
                continue
            new = _propagate(current[i], donor, current[donor], relation)
            if new is None:
                continue
            bounds_only = new["date"] is None
            tighter = (new["earliest"], new["latest"]) != (current[i].get("earliest"), current[i].get("latest"))
            if (bounds_only and tighter) or (not bounds_only and _strength(new) > _strength(current[i])):
                changed[i] = new
    for art_id, pub in changed.items():
        store.update_published(art_id, pub)
        redate(store, art_id)


def redate(store: Store, article_id: str) -> None:
    """Re-anchor an article's temporal expressions, sentence dates and quote dates to its
    (changed) publication date, in one transaction."""
    art = store.get_article(article_id, layers=["sentences", "timexes", "quotes"])
    if art is None:
        return
    date_layers(art)
    quotes = art.layers.get("quotes") or []
    for q in quotes:
        q["said_on"] = date_for_span(art, q["start"], q["end"])
    with store.transaction():
        store.put_layer(article_id, "timexes", art.layers["timexes"])
        store.put_layer(article_id, "sentences", art.layers["sentences"])
        if quotes:
            store.save_quotes(article_id, quotes)
