"""The Jinja2 environment shared by the web UI and the report (autoescape always on)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from storyline.web.data import date_bounds, safe_href

TEMPLATES = Path(__file__).parent / "templates"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def date_label(iso: str | None, precision: str | None = None) -> str:
    """A date as people read it, at its precision: '2 December 2022', 'December 2022', '2023'."""
    if not iso:
        return "undated"
    try:
        if len(iso) >= 10:
            return f"{int(iso[8:10])} {_MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
        if len(iso) == 7:
            return f"{_MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
    except (ValueError, IndexError):
        return str(iso)
    return str(iso)


def snippet_parts(text: str, highlights: list[list[int]]) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, highlighted) pieces for the template to escape."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for s, e in highlights:
        if s > pos:
            parts.append((text[pos:s], False))
        parts.append((text[s:e], True))
        pos = e
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


def as_text(value: Any) -> str:
    """Evidence values and other free-form JSON shown as text (escaped by the template)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def quote_view(q: dict[str, Any]) -> dict[str, Any]:
    """One display shape for quotes from the store, the timeline and the actor timeline."""
    sp = q.get("speaker")
    if isinstance(sp, dict):
        speaker, entity = sp.get("name") or sp.get("text"), sp.get("entity") or q.get("_entity")
    else:
        speaker, entity = sp, q.get("entity")
    said = q.get("said_on")
    return {
        "text": q.get("text") or "",
        "kind": q.get("quote_kind") or q.get("kind"),
        "article": q.get("article"),
        "start": q.get("start"),
        "end": q.get("end"),
        "speaker": speaker,
        "entity": entity,
        "said": said.get("value") if isinstance(said, dict) else None,
    }


def axis_marks(items: list[dict[str, Any]], href: Callable[[int], str]) -> list[dict[str, Any]]:
    """The axis marks: one per dated item, with its date bounds, label and link."""
    out = []
    for i, e in enumerate(items):
        b = date_bounds(e.get("date"))
        if b is None:
            continue
        prec = e.get("precision") or {10: "day", 7: "month", 4: "year"}.get(len(e["date"]), "unknown")
        text = str(e.get("summary") or e.get("text") or "")
        out.append(
            {
                "i": i,
                "start": b[0],
                "end": b[1],
                "precision": prec,
                "title": f"{date_label(e['date'])} ({prec}) — {text[:300]}",
                "label": text if len(text) <= 48 else text[:47] + "…",
                "href": href(i),
            }
        )
    return out


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["datelabel"] = date_label
    env.filters["snippet"] = snippet_parts
    env.filters["as_text"] = as_text
    env.filters["qview"] = quote_view
    return env
