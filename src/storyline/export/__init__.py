"""Exports: the story as JSON (validated by ``schema.json``), JSONL, CSV and Markdown.

``export_story(store)`` builds the one object every other export, the HTTP API and the
report are made from: ``{"storyline": version, "articles", "entities", "quotes",
"events", "threads", "timeline"}``.  Field names are stable; additions are fine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from storyline import __version__
from storyline.model import Article
from storyline.store import Store

# layers that go into the export (``ner`` is the raw spaCy output, superseded by ``entities``)
EXPORTED_LAYERS = ("sentences", "entities", "timexes", "quotes", "removed")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``export --format json``."""
    text = resources.files("storyline.export").joinpath("schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def validate(obj: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when ``obj`` does not follow the export schema."""
    import jsonschema

    jsonschema.validate(obj, schema())


class ExportContext:
    """Corpus results loaded once for a whole export."""

    def __init__(self, store: Store) -> None:
        self.copies: dict[str, Any] = store.get_corpus("copies")
        self.article_events: dict[str, Any] = store.get_corpus("article_events")
        self.entity_links: dict[str, Any] = store.get_corpus("entity_links")


def article_json(store: Store, article: Article, ctx: ExportContext | None = None, layers: bool = True) -> dict[str, Any]:
    """One article as exported (and as the HTTP API returns it)."""
    ctx = ctx or ExportContext(store)
    d = article.to_dict(layers=False)
    d.pop("meta", None)
    d["meta"] = {k: v for k, v in article.meta.items() if k != "warnings"}
    copy = ctx.copies.get(article.id) or {}
    d["duplicates"] = list(copy.get("duplicates", []))
    d["original"] = copy.get("original")
    d["event"] = ctx.article_events.get(article.id)
    if layers:
        src = article.layers or store.get_layers(article.id, list(EXPORTED_LAYERS))
        out: dict[str, Any] = {}
        for name in EXPORTED_LAYERS:
            items = src.get(name, [])
            if name == "entities":
                items = [
                    {**m, "entity": ctx.entity_links.get(f"{article.id}:{m.get('cluster')}")} for m in items
                ]
            out[name] = items
        d.update(out)
    return d


def quote_json(q: dict[str, Any]) -> dict[str, Any]:
    """A stored quote (from ``Store.iter_quotes``) as exported."""
    speaker = q.get("speaker") or {}
    return {
        "id": q.get("id"),
        "article": q.get("article"),
        "start": q["start"],
        "end": q["end"],
        "text": q.get("text", ""),
        "kind": q.get("kind", "direct"),
        "speaker": {
            "entity": speaker.get("entity"),
            "name": speaker.get("name"),
            "start": speaker.get("start"),
            "end": speaker.get("end"),
            "text": speaker.get("text"),
        },
        "cue": q.get("cue"),
        "addressee": q.get("addressee"),
        "via": q.get("via") or [],
        "said_on": q.get("said_on"),
    }


def entity_json(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "name": e.get("name", ""),
        "type": e.get("type", ""),
        "aliases": e.get("aliases", []),
        "roles": e.get("roles", []),
        "mentions": e.get("mentions", []),
        "ids": e.get("ids", {}),
        "confidence": e.get("confidence", 1.0),
    }


def event_json(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "date": e.get("date"),
        "precision": e.get("precision", "unknown"),
        "title": e.get("title", ""),
        "articles": e.get("articles", []),
        "sentences": e.get("sentences", []),
        "entities": e.get("entities", []),
        "independent_sources": e.get("independent_sources", len(e.get("articles", []))),
        "thread": e.get("thread"),
    }


def timeline_json(store: Store, **kwargs: Any) -> list[dict[str, Any]]:
    try:
        from storyline.timeline import story_timeline
    except ImportError:
        return []
    return [e.to_dict() for e in story_timeline(store, **kwargs)]


def export_story(store: Store, timeline: bool = True, text: bool = True) -> dict[str, Any]:
    """The whole story as one JSON-serialisable object."""
    ctx = ExportContext(store)
    articles = []
    for a in store.iter_articles(layers=list(EXPORTED_LAYERS)):
        d = article_json(store, a, ctx)
        if not text:
            d.pop("text", None)
        articles.append(d)
    return {
        "storyline": __version__,
        "articles": articles,
        "entities": [entity_json(e) for e in store.get_corpus("entities").values()],
        "quotes": [quote_json(q) for q in store.iter_quotes()],
        "events": [event_json(e) for e in store.get_corpus("events").values()],
        "threads": list(store.get_corpus("threads").values()),
        "timeline": timeline_json(store) if timeline else [],
    }


# -- the other formats ------------------------------------------------------------------------
def to_jsonl(story: dict[str, Any]) -> Iterator[str]:
    """One JSON object a line, each with ``type`` (article, entity, quote, event, timeline)."""
    for key, kind in (("articles", "article"), ("entities", "entity"), ("quotes", "quote"), ("events", "event"),
                      ("threads", "thread"), ("timeline", "timeline")):
        for item in story.get(key, []):
            yield json.dumps({"type": kind, **item}, ensure_ascii=False)


CSV_TABLES = ("articles", "quotes", "entities", "events", "timeline")


def to_csv(story: dict[str, Any], table: str = "articles") -> str:
    """One table of the story as CSV (lists joined with '; ')."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if table == "articles":
        w.writerow(["id", "source", "url", "title", "outlet", "authors", "published", "precision", "method",
                    "confidence", "language", "event", "duplicates", "quotes", "words"])
        for a in story["articles"]:
            p = a["published"]
            w.writerow([a["id"], a["source"], a.get("url") or "", a.get("title") or "", a.get("outlet") or "",
                        "; ".join(a.get("authors", [])), p.get("date") or "", p.get("precision"), p.get("method"),
                        p.get("confidence"), a.get("language") or "", a.get("event") or "",
                        "; ".join(a.get("duplicates", [])), len(a.get("quotes", [])), len(a.get("text", "").split())])
    elif table == "quotes":
        w.writerow(["id", "article", "said_on", "speaker", "entity", "kind", "cue", "via", "text"])
        for q in story["quotes"]:
            said = (q.get("said_on") or {}).get("value") or ""
            via = "; ".join(v.get("name") or v.get("text") or "" for v in q.get("via", []))
            cue = (q.get("cue") or {}).get("text") or ""
            w.writerow([q["id"], q["article"], said, q["speaker"].get("name") or q["speaker"].get("text") or "",
                        q["speaker"].get("entity") or "", q["kind"], cue, via, q["text"]])
    elif table == "entities":
        w.writerow(["id", "name", "type", "aliases", "roles", "mentions", "articles"])
        for e in story["entities"]:
            roles = "; ".join(sorted({r.get("role", "") for r in e.get("roles", [])}))
            arts = {m.get("article") for m in e.get("mentions", [])}
            w.writerow([e["id"], e["name"], e["type"], "; ".join(e.get("aliases", [])), roles,
                        len(e.get("mentions", [])), len(arts)])
    elif table == "events":
        w.writerow(["id", "date", "precision", "title", "articles", "independent_sources", "entities"])
        for ev in story["events"]:
            w.writerow([ev["id"], ev.get("date") or "", ev.get("precision"), ev.get("title"),
                        "; ".join(ev.get("articles", [])), ev.get("independent_sources"),
                        "; ".join(ev.get("entities", []))])
    elif table == "timeline":
        w.writerow(["date", "precision", "summary", "articles", "independent_sources"])
        for t in story["timeline"]:
            w.writerow([t["date"], t.get("precision"), t.get("summary"), "; ".join(t.get("articles", [])),
                        t.get("independent_sources")])
    else:
        raise ValueError(f"unknown CSV table {table!r} (known: {', '.join(CSV_TABLES)})")
    return buf.getvalue()


def md_escape(text: str) -> str:
    """Escape text for Markdown (and the HTML a Markdown renderer passes through)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_{}[]()#+!|" else ch)
    return "".join(out).replace("\n", " ")


def to_markdown(story: dict[str, Any]) -> str:
    """A readable summary: timeline, quotes by speaker, articles with their dates."""
    titles = {a["id"]: (a.get("title") or a["id"]) for a in story["articles"]}
    links = {a["id"]: a.get("url") for a in story["articles"]}

    def src(aid: str) -> str:
        url = links.get(aid)
        label = md_escape(titles.get(aid, aid))
        if url and url.startswith(("http://", "https://")):
            return f"[{label}](<{url.replace('>', '%3E')}>)"
        return f"{label} (`{aid}`)"

    lines = ["# Story", ""]
    if story["timeline"]:
        lines += ["## Timeline", ""]
        for t in story["timeline"]:
            lines.append(f"### {t['date']}")
            lines.append("")
            for s in t.get("sentences", []):
                lines.append(f"- {md_escape(s.get('text', ''))} — {src(s['article'])}")
            lines.append("")
    if story["quotes"]:
        lines += ["## Quotes", ""]
        for q in story["quotes"]:
            who = q["speaker"].get("name") or q["speaker"].get("text") or "unknown speaker"
            said = (q.get("said_on") or {}).get("value") or "undated"
            via = ", ".join(v.get("name") or v.get("text") or "" for v in q.get("via", []))
            via_s = f" (via {md_escape(via)})" if via else ""
            lines.append(f"- **{md_escape(who)}**, {said}{via_s}: “{md_escape(q['text'])}” — {src(q['article'])}")
        lines.append("")
    lines += ["## Articles", ""]
    for a in story["articles"]:
        p = a["published"]
        date = p.get("date") or "date unknown"
        how = p.get("method")
        lines.append(f"- {date} ({p.get('precision')}, {how}): {src(a['id'])}" + (f" — {md_escape(a['outlet'])}" if a.get("outlet") else ""))
    lines.append("")
    return "\n".join(lines)
