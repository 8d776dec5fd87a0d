"""Timeline exports: TimelineJS 3 JSON and Markdown, each line linked to its sources.

TimelineJS ``start_date`` carries only what the date's precision allows (a month-precision
entry has no ``day``).  ``unique_id`` is derived from the date and the sentence spans, so
it is stable across runs over the same store.  Article text is escaped for HTML (TimelineJS
renders ``text.text`` as HTML) and for Markdown.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from storyline.model import TimelineEntry

SourceInfo = Callable[[str], dict[str, Any]]


def _get(e: TimelineEntry | dict[str, Any], key: str, default: Any = None) -> Any:
    return e.get(key, default) if isinstance(e, dict) else getattr(e, key, default)


def start_date(iso: str | None) -> dict[str, str] | None:
    """TimelineJS ``start_date``: year, and month / day only when the date has them."""
    if not iso:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m:
        return None
    out = {"year": m.group(1)}
    if m.group(2):
        out["month"] = str(int(m.group(2)))
    if m.group(3):
        out["day"] = str(int(m.group(3)))
    return out


def unique_id(entry: TimelineEntry | dict[str, Any]) -> str:
    spans = sorted(f"{s.get('article')}:{s.get('start')}:{s.get('end')}" for s in _get(entry, "sentences", []) or [])
    key = (_get(entry, "date") or "") + "|" + "|".join(spans or [_get(entry, "summary", "") or ""])
    return "tl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _headline(text: str, limit: int = 90) -> str:
    t = " ".join(text.split())
    if len(t) <= limit:
        return t
    cut = t[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _default_source(article: str) -> dict[str, Any]:
    return {"id": article, "title": article, "url": None}


def _safe_url(url: str | None) -> str | None:
    if url and re.match(r"^https?://", url, re.I):
        return url
    return None


def timelinejs(
    entries: Sequence[TimelineEntry | dict[str, Any]],
    title: str = "Timeline",
    source_info: SourceInfo | None = None,
    group: str | None = None,
) -> dict[str, Any]:
    """The TimelineJS JSON object (``{"title", "events"}``)."""
    info = source_info or _default_source
    events = []
    for e in entries:
        sents = _get(e, "sentences", []) or []
        parts = []
        for s in sents:
            src = info(str(s.get("article")))
            label = html.escape(str(src.get("title") or src.get("outlet") or s.get("article")))
            url = _safe_url(src.get("url"))
            link = f'<a href="{html.escape(url, quote=True)}">{label}</a>' if url else label
            parts.append(f"<p>{html.escape(str(s.get('text', '')).strip())} <small>({link})</small></p>")
        n = int(_get(e, "independent_sources", 0) or 0)
        if n:
            parts.append(f"<p><small>{n} independent source{'s' if n != 1 else ''}</small></p>")
        summary = str(_get(e, "summary", "") or "")
        ev: dict[str, Any] = {
            "start_date": start_date(_get(e, "date")),
            "text": {"headline": html.escape(_headline(summary)), "text": "\n".join(parts)},
            "unique_id": unique_id(e),
        }
        g = group or _get(e, "group")
        if g:
            ev["group"] = str(g)
        elif _get(e, "precision") and _get(e, "precision") != "day":
            ev["group"] = str(_get(e, "precision"))
        events.append(ev)
    return {"title": {"text": {"headline": html.escape(title), "text": ""}}, "events": events}


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Escape Markdown inline syntax and raw HTML in article text (used mid-line, after a marker)."""
    t = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return t.replace("&", "&amp;") if re.search(r"&\w+;", t) else t


def timeline_markdown(
    entries: Iterable[TimelineEntry | dict[str, Any]],
    title: str = "Timeline",
    source_info: SourceInfo | None = None,
) -> str:
    """Markdown: a heading per date, its sentences each followed by a link to its source."""
    info = source_info or _default_source
    lines = [f"# {md_escape(title)}", ""]
    for e in entries:
        lines.append(f"## {_get(e, 'date')}")
        lines.append("")
        for s in _get(e, "sentences", []) or []:
            src = info(str(s.get("article")))
            label = md_escape(str(src.get("title") or src.get("outlet") or s.get("article")))
            url = _safe_url(src.get("url"))
            ref = f"[{label}](<{url}>)" if url else label
            lines.append(f"- {md_escape(s.get('text', ''))} ({ref})")
        n = int(_get(e, "independent_sources", 0) or 0)
        if n:
            lines.append(f"- *{n} independent source{'s' if n != 1 else ''}*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def actor_markdown(actor: str, rows: Sequence[dict[str, Any]], source_info: SourceInfo | None = None) -> str:
    """Markdown for :func:`storyline.timeline.actor_timeline` rows."""
    info = source_info or _default_source
    lines = [f"# {md_escape(actor)}", ""]
    for r in rows:
        refs = []
        for a in r.get("sources") or []:
            src = info(str(a))
            label = md_escape(str(src.get("title") or a))
            url = _safe_url(src.get("url"))
            refs.append(f"[{label}](<{url}>)" if url else label)
        kind = r.get("kind")
        if kind == "event":
            who = "event"
        else:
            who = md_escape(str(r.get("speaker") or "unnamed source"))
            who += f" ({r.get('quote_kind') or 'quote'}" + (", about the actor)" if kind == "reported" else ")")
        lines.append(f"- **{r.get('date') or 'undated'}** {who}: {md_escape(r.get('text') or '')} — {', '.join(refs)}")
    return "\n".join(lines).rstrip() + "\n"


def actor_timelinejs(actor: str, rows: Sequence[dict[str, Any]], source_info: SourceInfo | None = None) -> dict[str, Any]:
    """TimelineJS JSON for actor-timeline rows (statements and events in separate groups)."""
    entries = []
    for r in rows:
        if not r.get("date"):
            continue
        entries.append(
            {
                "date": r["date"],
                "precision": r.get("precision"),
                "summary": r.get("text") or "",
                "sentences": [{"article": a, "start": r.get("start"), "end": r.get("end"), "text": r.get("text") or ""}
                              for a in (r.get("sources") or [])[:1]],
                "independent_sources": r.get("independent_sources") or 0,
                "group": "statements" if r.get("kind") == "statement" else "events",
            }
        )
    return timelinejs(entries, title=actor, source_info=source_info)
