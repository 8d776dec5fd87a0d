"""Read access for the web UI, the HTTP API and the report.

Objects have the shapes of the JSON export: ``storyline.export``'s ``article_json`` /
``entity_json`` / ``quote_json`` / ``event_json`` make them; the small fallbacks below are
used only when that module is absent.  The story timeline comes from
``storyline.timeline`` when it exists, otherwise from the ``events`` corpus (or, with no
events, from the articles' publication dates).

Derived data (entity names, copies, the quote list, timelines) is cached per store
version (``Store.data_version``: it changes whenever a write commits, from this connection
or another), so a rebuilt store is picked up without a restart.

Everything is read through the store's methods (no SQL here), so the UI works the same
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from storyline.dates import sort_key
from storyline.model import Article, TimelineEntry
from storyline.store import Store, split_snippet

T = TypeVar("T")

_HIDDEN_LAYERS = {"ner"}

__all__ = ["StoryData", "date_bounds", "highlight_segments", "safe_href", "split_snippet"]


# -- optional modules built by other areas ---------------------------------------------
@cache
def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def safe_href(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not u or any(ord(c) < 0x20 or ord(c) == 0x7F for c in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return u


def date_bounds(iso: str | None) -> tuple[str, str] | None:
    """The first and last day an ISO date (day, month or year) covers."""
    if not iso:
        return None
    try:
        if len(iso) == 10:
            date.fromisoformat(iso)
            return iso, iso
        if len(iso) == 7:
            y, m = int(iso[:4]), int(iso[5:7])
            date(y, m, 1)
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            last = date.fromordinal(nxt.toordinal() - 1)
            return f"{iso}-01", last.isoformat()
        if len(iso) == 4:
            int(iso)
            return f"{iso}-01-01", f"{iso}-12-31"
    except ValueError:
        return None
    return None


def _overlaps(iso: str | None, date_from: str | None, date_to: str | None) -> bool:
    if not date_from and not date_to:
        return True
    b = date_bounds(iso)
    if b is None:
        return False
    lo = date_bounds(date_from)
    hi = date_bounds(date_to)
    if lo and b[1] < lo[0]:
        return False
    return not (hi and b[0] > hi[1])


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", text)]


_STOP = set(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "said", "says", "she", "that", "the", "their", "them", "there", "they", "this", "to", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "not", "no", "so", "if", "about", "after", "before", "than", "then", "also", "more", "very", "can", "could", "should", "may", "might", "all", "any", "into", "over", "out", "up", "down", "just", "now", "only", "one", "two", "new", "us", "do", "does", "did", "had", "being", "how", "why", "where"]
)


class _LRU(OrderedDict[Any, Any]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class StoryData:
    """Cached read access to one store (used from one thread: the server's event loop)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._version: tuple[int, ...] | None = None
        self._cache = _LRU(512)

    # -- cache ---------------------------------------------------------------------------
    def version(self) -> tuple[int, ...]:
        return self.store.data_version()

    def cached(self, key: Any, fn: Callable[[], T]) -> T:
        v = self.version()
        if v != self._version:
            self._cache.clear()
            self._version = v
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]  # type: ignore[no-any-return]
        value = fn()
        self._cache.put(key, value)
        return value

    def corpus(self, kind: str) -> dict[str, Any]:
        return self.cached(("corpus", kind), lambda: self.store.get_corpus(kind))

    # -- entities ------------------------------------------------------------------------
    def entities(self) -> dict[str, dict[str, Any]]:
        return self.corpus("entities")

    def entity_names(self) -> dict[str, str]:
        return self.cached(("entity_names",), lambda: {k: v.get("name") or k for k, v in self.entities().items()})

    def find_entity(self, key: str) -> dict[str, Any] | None:
        """An entity by id, name or alias (case-insensitive)."""
        ents = self.entities()
        if key in ents:
            return ents[key]
        index = self.cached(("entity_index",), self._entity_index)
        eid = index.get(key.strip().lower())
        return ents.get(eid) if eid else None

    def _entity_index(self) -> dict[str, str]:
        """Lowercased name or alias -> the entity with the most mentions that carries it."""
        index: dict[str, str] = {}
        ranked = sorted(self.entities().values(), key=lambda e: (len(e.get("mentions") or []), str(e["id"])))
        for e in ranked:  # later (more mentioned) entities overwrite earlier ones
            for n in [e.get("name"), *(e.get("aliases") or [])]:
                if n:
                    index[str(n).strip().lower()] = e["id"]
        return index

    def entity_rows(self) -> list[dict[str, Any]]:
        """Summary rows for the entities list."""

        def build() -> list[dict[str, Any]]:
            rows = []
            for e in self.entities().values():
                mentions = e.get("mentions") or []
                rows.append(
                    {
                        "id": e["id"],
                        "name": e.get("name") or e["id"],
                        "type": e.get("type") or "",
                        "aliases": list(e.get("aliases") or []),
                        "roles": [r.get("role") for r in e.get("roles") or [] if r.get("role")],
                        "mentions": len(mentions),
                        "articles": len({m.get("article") for m in mentions}),
                        "quotes": self.quote_counts().get(e["id"], 0),
                    }
                )
            return rows

        return self.cached(("entity_rows",), build)

    def entity_json(self, entity: dict[str, Any]) -> dict[str, Any]:
        fn = _optional("storyline.export", "entity_json")
        if fn is not None:
            return fn(entity)  # type: ignore[no-any-return]
        return dict(entity)

    # -- articles ------------------------------------------------------------------------
    def copies(self) -> dict[str, dict[str, Any]]:
        return self.corpus("copies")

    def original_of(self, article_id: str) -> str:
        c = self.copies().get(article_id)
        return str(c.get("original") or article_id) if c else article_id

    def independent_sources(self, article_ids: Iterable[str]) -> int:
        return len({self.original_of(a) for a in article_ids})

    def article_json(self, article: Article) -> dict[str, Any]:
        fn = _optional("storyline.export", "article_json")
        if fn is not None:
            ctx_class = _optional("storyline.export", "ExportContext")  # corpus lookups, loaded once per store version
            ctx = self.cached(("export_ctx",), lambda: ctx_class(self.store)) if ctx_class else None
            return fn(self.store, article, ctx)  # type: ignore[no-any-return]
        d = article.to_dict(layers=False)
        d.pop("meta", None)
        d["layers"] = {k: v for k, v in article.layers.items() if k not in _HIDDEN_LAYERS}
        d["event"] = self.corpus("article_events").get(article.id)
        c = self.copies().get(article.id) or {}
        d["duplicates"] = {"original": c.get("original"), "duplicates": list(c.get("duplicates") or [])}
        return d

    def count_articles(self, date_from: str | None = None, date_to: str | None = None) -> int:
        return self.store.count_articles(date_from, date_to)

    def list_articles(
        self, limit: int, offset: int, date_from: str | None = None, date_to: str | None = None
    ) -> list[Article]:
        ids = self.store.article_page(limit, offset, date_from, date_to)
        return list(self.store.iter_articles(layers=True, ids=ids))

    def article_meta(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Title, outlet, URL, date and authors of each article id."""
        out = self.store.article_summaries(ids)
        for m in out.values():
            m["original"] = self.original_of(m["id"])
        return out

    # -- quotes --------------------------------------------------------------------------
    def quote_json(self, quote: dict[str, Any]) -> dict[str, Any]:
        fn = _optional("storyline.export", "quote_json")
        if fn is not None:
            return fn(quote)  # type: ignore[no-any-return]
        return dict(quote)

    def quotes(self) -> list[dict[str, Any]]:
        """Every quote with its id, article, and the date it was said (or the article's date)."""

        def build() -> list[dict[str, Any]]:
            out = []
            links = self.corpus("entity_links")
            for q, published_date, title in self.store.iter_quotes_with_articles():
                said = q.get("said_on") if isinstance(q.get("said_on"), dict) else None
                q["_date"] = (said or {}).get("value") or published_date
                if not date_bounds(q["_date"]):
                    q["_date"] = published_date
                q["_title"] = title
                sp: dict[str, Any] = q["speaker"] if isinstance(q.get("speaker"), dict) else {}
                aid = q["article"]
                q["_entity"] = sp.get("entity") or (links.get(f"{aid}:{sp['cluster']}") if sp.get("cluster") else None)
                out.append(q)
            out.sort(key=lambda q: (sort_key(q["_date"]), q["article"], q["start"]))
            return out

        return self.cached(("quotes",), build)

    def quote_counts(self) -> dict[str, int]:
        return self.cached(
            ("quote_counts",),
            lambda: dict(Counter(q["_entity"] for q in self.quotes() if q["_entity"])),
        )

    def filter_quotes(
        self,
        speaker: str | None = None,
        text: str | None = None,
        kind: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        sort: str = "date",
    ) -> list[dict[str, Any]]:
        qs = self.quotes()
        if speaker:
            ent = self.find_entity(speaker)
            low = speaker.strip().lower()
            qs = [
                q
                for q in qs
                if (ent and q["_entity"] == ent["id"])
                or low in str((q.get("speaker") or {}).get("name") or "").lower()
            ]
        if text:
            ids = self.store.matching_ids(text, "quotes")
            qs = [q for q in qs if q["id"] in ids]
        if kind:
            qs = [q for q in qs if q.get("kind") == kind]
        if date_from or date_to:
            qs = [q for q in qs if _overlaps(q.get("_date"), date_from, date_to)]
        if sort == "speaker":
            qs = sorted(qs, key=lambda q: str(self.speaker_name(q)).lower())
        elif sort == "-date":
            qs = sorted(qs, key=lambda q: sort_key(q.get("_date")), reverse=True)
        return qs

    def speaker_name(self, q: dict[str, Any]) -> str:
        sp = q.get("speaker") or {}
        eid = q.get("_entity") or sp.get("entity")
        if eid and eid in self.entity_names():
            return self.entity_names()[eid]
        return str(sp.get("name") or sp.get("text") or "unknown")

    def quotes_in(self, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        return self.store.quotes_of(article_ids)

    # -- events and the timeline ------------------------------------------------------------
    def events(self) -> list[dict[str, Any]]:
        return self.cached(
            ("events_sorted",),
            lambda: sorted(self.corpus("events").values(), key=lambda e: (sort_key(e.get("date")), e.get("id", ""))),
        )

    def event_json(self, event: dict[str, Any]) -> dict[str, Any]:
        fn = _optional("storyline.export", "event_json")
        if fn is not None:
            return fn(event)  # type: ignore[no-any-return]
        return dict(event)

    def timeline(
        self,
        query: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        max_dates: int | None = None,
        per_date: int | None = None,
        view: str = "summary",
    ) -> list[dict[str, Any]]:
        """Timeline entries.

        ``view="summary"``: the CLI's timeline (``storyline.timeline.story_timeline``: the dates
        that matter, a few sentences each).  ``view="events"``: every event of the ``events``
        corpus (precomputed at build time), filtered the same way.  ``view="auto"``: events when
        the store has them, else the summary.  Without the timeline module, the summary is
        also built from the events (or, with no events, from the articles' dates).
        """
        if view == "auto":
            view = "events" if self.events() else "summary"
        key = ("timeline", view, query, date_from, date_to, max_dates, per_date)
        return self.cached(key, lambda: self._timeline(query, date_from, date_to, max_dates, per_date, view))

    def _timeline(
        self,
        query: str | None,
        date_from: str | None,
        date_to: str | None,
        max_dates: int | None,
        per_date: int | None,
        view: str = "summary",
    ) -> list[dict[str, Any]]:
        fn = _optional("storyline.timeline", "story_timeline") if view == "summary" else None
        if fn is not None:
            entries = fn(
                self.store, query=query, date_from=date_from, date_to=date_to, max_dates=max_dates, per_date=per_date
            )
            return [e.to_dict() if isinstance(e, TimelineEntry) else dict(e) for e in entries]
        entries = self._fallback_entries()
        if query:
            hits = self.store.matching_ids(query, "articles")
            words = set(_words(query))
            entries = [
                e
                for e in entries
                if hits.intersection(e["articles"]) or words <= set(_words(e["summary"]))
            ]
        entries = [e for e in entries if _overlaps(e["date"], date_from, date_to)]
        if per_date:
            by_date: dict[str, list[dict[str, Any]]] = {}
            for e in entries:
                by_date.setdefault(e["date"], []).append(e)
            keep = set()
            for group in by_date.values():
                for e in sorted(group, key=lambda e: -e["independent_sources"])[:per_date]:
                    keep.add(id(e))
            entries = [e for e in entries if id(e) in keep]
        if max_dates:
            weight: Counter[str] = Counter()
            for e in entries:
                weight[e["date"]] += e["independent_sources"]
            top = {d for d, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:max_dates]}
            entries = [e for e in entries if e["date"] in top]
        return entries

    def _fallback_entries(self) -> list[dict[str, Any]]:
        def build() -> list[dict[str, Any]]:
            out = []
            events = self.events()
            if events:
                for ev in events:
                    if not ev.get("date"):
                        continue
                    arts = list(ev.get("articles") or [])
                    # The fields of a TimelineEntry, built directly (dataclasses.asdict deep-copies: slow).
                    out.append(
                        {
                            "date": ev["date"],
                            "precision": ev.get("precision") or "unknown",
                            "summary": ev.get("title") or "",
                            "sentences": list(ev.get("sentences") or []),
                            "articles": arts,
                            "entities": list(ev.get("entities") or []),
                            "independent_sources": int(ev.get("independent_sources") or self.independent_sources(arts)),
                            "quotes": [],
                            "event": ev.get("id"),
                        }
                    )
                return out
            dated = sorted((d, i) for i, d in self.store.article_dates().items() if d is not None)
            groups: dict[str, list[str]] = {}
            for _, aid in dated:
                groups.setdefault(self.original_of(aid), []).append(aid)
            meta = self.article_meta(groups)
            for orig, arts in groups.items():
                m = meta.get(orig) or {}
                pub = m.get("published") or {}
                if not pub.get("date"):
                    continue
                out.append(
                    TimelineEntry(
                        date=pub["date"],
                        precision=pub.get("precision") or "unknown",
                        summary=m.get("title") or orig,
                        articles=arts,
                        independent_sources=1,
                    ).to_dict()
                    | {"event": None}
                )
            out.sort(key=lambda e: sort_key(e["date"]))
            return out

        return self.cached(("fallback_entries",), build)

    def with_quotes(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Copies of ``entries`` whose missing ``quotes`` are the quotes inside their sentences."""
        need = [e for e in entries if not e.get("quotes") and e.get("sentences")]
        if not need:
            return entries
        by_article = self.quotes_in(s["article"] for e in need for s in e["sentences"] if s.get("article"))
        out = []
        for e in entries:
            if e in need:
                found = []
                for s in e["sentences"]:
                    for q in by_article.get(s.get("article"), []):
                        if q["start"] < s.get("end", 0) and q["end"] > s.get("start", 0) and q not in found:
                            found.append(q)
                e = dict(e, quotes=found)
            out.append(e)
        return out

    def actor_timeline(self, entity: dict[str, Any], topic: str | None = None) -> list[dict[str, Any]]:
        """The actor's statements over time: quotes they are the speaker of, dated."""
        return self.cached(("actor", entity["id"], topic), lambda: self._actor_timeline(entity, topic))

    def _actor_timeline(self, entity: dict[str, Any], topic: str | None) -> list[dict[str, Any]]:
        fn = _optional("storyline.timeline", "actor_timeline")
        if fn is not None:
            # storyline.timeline resolves names, not ids: keep its rows only when it found this entity.
            rows = [dict(x) for x in fn(self.store, str(entity.get("name") or entity["id"]), topic=topic)]
            if all(r.get("entity") == entity["id"] for r in rows) and (rows or topic):
                return rows
        names = {str(entity.get("name") or "").lower(), *(str(a).lower() for a in entity.get("aliases") or [])}
        names.discard("")
        out = []
        topic_ids = self.store.matching_ids(topic, "quotes") if topic else None
        for q in self.quotes():
            sp = q.get("speaker") or {}
            if q["_entity"] != entity["id"] and not (
                not q["_entity"] and str(sp.get("name") or "").lower() in names
            ):
                continue
            if topic_ids is not None and q["id"] not in topic_ids:
                continue
            d = q["_date"]
            out.append(
                {
                    "date": d,
                    "precision": {10: "day", 7: "month", 4: "year"}.get(len(d or ""), "unknown"),
                    "kind": "statement",
                    "quote_kind": q.get("kind"),
                    "text": q.get("text") or "",
                    "speaker": sp.get("name") or sp.get("text"),
                    "entity": entity["id"],
                    "article": q["article"],
                    "start": q.get("start"),
                    "end": q.get("end"),
                    "sources": [q["article"]],
                    "independent_sources": 1,
                }
            )
        return out

    def topics_for(self, statements: list[dict[str, Any]], n: int = 12) -> list[str]:
        """Frequent content words in an actor's statements: suggestions for the topic filter."""
        counts: Counter[str] = Counter()
        for s in statements:
            if s.get("kind", "statement") == "statement":
                counts.update({w for w in _words(str(s.get("text") or "")) if len(w) > 3 and w not in _STOP})
        return [w for w, c in counts.most_common(n) if c > 1]

    # -- search --------------------------------------------------------------------------
    def search_articles(self, query: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """(total, hits) of an article search; cached per store version (ranking a frequent word is costly)."""
        return self.cached(("search_articles", query, limit, offset), lambda: self._search_articles(query, limit, offset))

    def search_quotes(self, query: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        return self.cached(("search_quotes", query, limit, offset), lambda: self.store.find_quotes(query, limit, offset))

    def _search_articles(self, query: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        total, hits = self.store.find_articles(query, limit, offset, snippet_words=24)
        keys = ("id", "title", "outlet", "url", "published", "snippet", "highlights")
        return total, [{k: h[k] for k in keys} for h in hits]


def highlight_segments(
    text: str, spans: list[tuple[int, int, str, dict[str, Any]]]
) -> list[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """Split ``text`` at every span boundary: [(segment text, [(kind, info), ...] active there)].

    Spans may overlap or nest (an entity inside a quote); out-of-range spans are clipped
    and empty ones dropped, so damaged offsets never break the page.
    """
    n = len(text)
    clean = []
    for s, e, kind, info in spans:
        s, e = max(0, min(int(s), n)), max(0, min(int(e), n))
        if e > s:
            clean.append((s, e, kind, info))
    bounds = sorted({0, n, *(s for s, _, _, _ in clean), *(e for _, e, _, _ in clean)})
    starts: dict[int, list[int]] = {}
    for i, (s, _, _, _) in enumerate(clean):
        starts.setdefault(s, []).append(i)
    active: set[int] = set()
    segs = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = {i for i in active if clean[i][1] > a} | set(starts.get(a, []))
        ann = [(clean[i][2], clean[i][3]) for i in sorted(active, key=lambda i: (clean[i][0], -clean[i][1]))]
        segs.append((text[a:b], ann))
    return segs
