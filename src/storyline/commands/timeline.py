"""``storyline timeline``: the story's timeline, or one actor's statements and events over time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from storyline.errors import E, StorylineError


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from storyline.dates import parse_iso_date

    return parse_iso_date(value)[0]


def _source_info(store: Any) -> Any:
    cache: dict[str, dict[str, Any]] = {}

    def info(article: str) -> dict[str, Any]:
        if article not in cache:
            a = store.get_article(article, layers=False)
            cache[article] = (
                {"id": article, "title": a.title or a.outlet or article, "url": a.url, "outlet": a.outlet}
                if a
                else {"id": article, "title": article, "url": None}
            )
        return cache[article]

    return info


@click.command("timeline")
@click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file).")
@click.option("--query", default=None, help="Keywords the timeline is about.")
@click.option("--from", "date_from", default=None, help="Earliest date (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", default=None, help="Latest date (YYYY[-MM[-DD]]).")
@click.option("--max-dates", type=int, default=None, help="At most N dates (default: up to 20).")
@click.option("--per-date", type=int, default=None, help="Sentences per date (default 2).")
@click.option("--actor", default=None, help="An entity: its statements and events over time.")
@click.option("--topic", default=None, help="With --actor: keep only what bears on this topic.")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json", "timelinejs"]), default="md", show_default=True
)
@click.option("--out", default=None, help="Write to this file instead of standard output.")
def timeline_cmd(
    db: str,
    query: str | None,
    date_from: str | None,
    date_to: str | None,
    max_dates: int | None,
    per_date: int | None,
    actor: str | None,
    topic: str | None,
    fmt: str,
    out: str | None,
) -> None:
    """What happened when (sentences from the articles), or what ACTOR said and did over time."""
    from storyline.export.timelinejs import actor_markdown, actor_timelinejs, timeline_markdown, timelinejs
    from storyline.store import open_store
    from storyline.timeline import actor_timeline, resolve_actor, story_timeline

    try:
        date_from, date_to = _check_date(date_from), _check_date(date_to)
        store = open_store(db, create=False)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(2)
    info = _source_info(store)
    text: str
    if actor:
        eid, _names = resolve_actor(store, actor)
        rows = actor_timeline(store, actor, topic=topic)
        if date_from or date_to:
            rows = [r for r in rows if r["date"] and (not date_from or r["date"] >= date_from[: len(r["date"])])
                    and (not date_to or r["date"][: len(date_to)] <= date_to)]
        if not rows and eid is None:
            click.echo(f"storyline: {StorylineError(E.NO_ENTITY, name=actor)}", err=True)
            sys.exit(1)
        if fmt == "json":
            text = json.dumps({"actor": actor, "entity": eid, "topic": topic, "items": rows}, indent=2, ensure_ascii=False)
        elif fmt == "timelinejs":
            text = json.dumps(actor_timelinejs(actor, rows, info), indent=2, ensure_ascii=False)
        else:
            title = actor + (f" on {topic}" if topic else "")
            text = actor_markdown(title, rows, info)
    else:
        entries = story_timeline(
            store, query=query, date_from=date_from, date_to=date_to, max_dates=max_dates, per_date=per_date
        )
        title = f"Timeline: {query}" if query else "Timeline"
        if fmt == "json":
            text = json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False)
        elif fmt == "timelinejs":
            text = json.dumps(timelinejs(entries, title=title, source_info=info), indent=2, ensure_ascii=False)
        else:
            text = timeline_markdown(entries, title=title, source_info=info)
    store.close()
    if out:
        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text)


commands = [timeline_cmd]
