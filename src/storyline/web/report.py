"""``storyline report``: one self-contained HTML file (timeline, actors, sources).

Everything is inline (the stylesheet and the script of the web UI), and a
Content-Security-Policy meta tag allows exactly those two by their SHA-256 hashes and
nothing else: opening the file makes no request (links to the original articles are
followed only when clicked).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError
from storyline.store import Store, open_store
from storyline.web.data import StoryData
from storyline.web.render import axis_marks, environment

STATIC = Path(__file__).parent / "static"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _actors(data: StoryData, actor: str | None, max_actors: int) -> list[dict[str, Any]]:
    if actor:
        ent = data.find_entity(actor)
        if ent is None:
            raise StorylineError(E.NO_ENTITY, name=actor)
        chosen = [ent]
    else:
        counts = data.quote_counts()
        people = [e for e in data.entities().values() if counts.get(e["id"])]
        people.sort(key=lambda e: (-counts.get(e["id"], 0), -len(e.get("mentions") or []), str(e.get("name"))))
        chosen = people[:max_actors]
    return [{"entity": e, "statements": data.actor_timeline(e)} for e in chosen]


def render_report(store: Store, actor: str | None = None, max_actors: int = 10, title: str | None = None) -> str:
    """The report as one HTML string."""
    data = StoryData(store)
    actors = _actors(data, actor, max_actors)
    entries = data.timeline(view="auto")
    focus = actors[0]["entity"] if actor else None
    if focus is not None:
        entries = [e for e in entries if focus["id"] in (e.get("entities") or [])]
    entries = data.with_quotes(entries)
    ids = list(dict.fromkeys(a for e in entries for a in e.get("articles") or []))
    ids += [x for a in actors for s in a["statements"] for x in (s.get("sources") or [s.get("article")]) if x]
    if focus is None:
        ids += store.article_ids()
    meta = data.article_meta(ids)
    sources = []
    for aid in dict.fromkeys(ids):
        m = meta.get(aid)
        if m is None:
            continue
        m = dict(m, authors=m.get("authors") or [])
        orig = m.get("original")
        m["original_title"] = (meta.get(orig) or {}).get("title") if orig else None
        m["published"] = m.get("published") or {}
        sources.append(m)
    sources.sort(key=lambda s: (str((s["published"] or {}).get("date") or "9999"), str(s.get("title") or "")))
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    for name, body, tag in (("style.css", css, "</style"), ("app.js", js, "</script")):
        if tag in body.lower():  # would end the inline element early
            raise ValueError(f"{name} must not contain {tag}")
    csp = (
        f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    marks = axis_marks(entries, lambda i: f"#entry-{i}")
    stats = {
        "articles": store.count_articles(),
        "events": len(data.events()),
        "entities": len(data.entities()),
        "quotes": store.count_quotes(),
    }
    return environment().get_template("report.html").render(
        mode="report",
        csp=csp,
        inline_css=css,
        inline_js=js,
        title=title or (f"{focus['name']}: the story" if focus else "The story"),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        entries=entries,
        marks=marks,
        meta=meta,
        actors=actors,
        actor_ids={a["entity"]["id"] for a in actors},
        names=data.entity_names(),
        sources=sources,
        stats=stats,
        focus=focus,
        request_path="",
    )


def write_report(db: str | Path, out: str | Path, actor: str | None = None, max_actors: int = 10) -> Path:
    """Write the report of the store ``db`` to ``out``."""
    store = open_store(db, create=False, readonly=True)
    try:
        html = render_report(store, actor=actor, max_actors=max_actors)
    finally:
        store.close()
    path = Path(out)
    path.write_text(html, encoding="utf-8")
    return path
