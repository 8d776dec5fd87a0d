"""``storyline quotes``: the stored quotations in date order, with their sources."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import click

from storyline.errors import StorylineError


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _entity_ids_for(name: str, entities: dict[str, Any]) -> set[str]:
    """Corpus entities whose name or an alias matches ``name`` (or whose id it is)."""
    want = _norm(name)
    out = set()
    for eid, ent in entities.items():
        if not isinstance(ent, dict):
            continue
        names = [ent.get("name") or "", *(ent.get("aliases") or [])]
        if eid == name or any(_norm(n) == want for n in names if n):
            out.add(eid)
    return out


def speaker_matches(quote: dict[str, Any], name: str, entity_ids: set[str]) -> bool:
    """Whether a quote's speaker is ``name``: its entity, its name, or its mention text
    (whole words, case and accents ignored: ``Putin`` matches ``Vladimir Putin``)."""
    sp = quote.get("speaker") or {}
    if sp.get("entity") and sp["entity"] in entity_ids:
        return True
    want = _norm(name)
    if not want:
        return False
    for field in ("name", "text"):
        value = sp.get(field)
        if value and re.search(rf"(?:^| ){re.escape(want)}(?: |$)", _norm(str(value))):
            return True
    return False


def filter_quotes(
    quotes: Iterable[dict[str, Any]], speaker: str | None, entities: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    ids = _entity_ids_for(speaker, entities) if speaker else set()
    for q in quotes:
        if speaker is None or speaker_matches(q, speaker, ids):
            yield q


def _entities(store: Any) -> dict[str, Any]:
    try:
        return dict(store.get_corpus("entities") or {})
    except Exception:  # an older store or a store without corpus results
        return {}


def _article_meta(store: Any, article_id: str, cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if article_id not in cache:
        art = store.get_article(article_id, layers=False)
        cache[article_id] = (
            {
                "id": art.id,
                "title": art.title,
                "outlet": art.outlet,
                "url": art.url,
                "published_date": art.published.date,
            }
            if art is not None
            else {"id": article_id}
        )
    return cache[article_id]


def _date_of(q: dict[str, Any], art: dict[str, Any]) -> str:
    said = q.get("said_on") or {}
    return str(said.get("value") or art.get("published_date") or "")


def _format_text(q: dict[str, Any], art: dict[str, Any]) -> str:
    sp = q.get("speaker") or {}
    who = sp.get("name") or sp.get("text") or "(unattributed)"
    via = q.get("via") or []
    chain = "".join(f" via {v.get('name') or v.get('text')}" for v in via)
    to = f" to {q['addressee']}" if q.get("addressee") else ""
    date = _date_of(q, art) or "undated"
    source = " · ".join(str(x) for x in (art.get("outlet"), art.get("title")) if x) or ""
    text = " ".join(q.get("text", "").split())
    return (
        f"{date}  {who}{to}{chain} [{q.get('kind')}]: {text}\n    — {q.get('article')}{': ' + source if source else ''}"
    )


@click.command("quotes")
@click.option("--db", default="storyline.db", show_default=True, help="the story database")
@click.option("--speaker", default=None, help="only quotes by this speaker (name, alias or entity id)")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def quotes_cmd(db: str, speaker: str | None, fmt: str) -> None:
    """List the stored quotations in date order, with their sources."""
    from storyline.store import open_store

    try:
        store = open_store(db, create=False)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        entities = _entities(store)
        cache: dict[str, dict[str, Any]] = {}
        rows = []
        for q in filter_quotes(store.iter_quotes(), speaker, entities):
            art = _article_meta(store, q.get("article", ""), cache)
            rows.append((q, art))
        rows.sort(key=lambda r: (_date_of(r[0], r[1]) or "9999", r[0].get("article", ""), r[0].get("start", 0)))
        if fmt == "json":
            out = []
            for q, art in rows:
                d = dict(q)
                d["source"] = {k: art.get(k) for k in ("id", "title", "outlet", "url", "published_date")}
                out.append(d)
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            for q, art in rows:
                click.echo(_format_text(q, art))
            if not rows:
                click.echo("no quotes" + (f" by {speaker}" if speaker else ""), err=True)
    finally:
        store.close()


commands = [quotes_cmd]
