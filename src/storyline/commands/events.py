"""``storyline events``: the events of the story, with their sources and copies."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from storyline.errors import StorylineError


def events_listing(store: Any) -> list[dict[str, Any]]:
    """Events sorted by date, each with its copies ({article: original}) and thread."""
    from storyline.dates import sort_key

    copies = store.get_corpus("copies")
    threads = store.get_corpus("threads")
    out = []
    for ev in store.get_corpus("events").values():
        dups = {a: copies[a]["original"] for a in ev["articles"] if a in copies and copies[a]["original"] != a}
        out.append(
            {
                **ev,
                "copies": dups,
                "thread_title": threads.get(ev.get("thread") or "", {}).get("title"),
            }
        )
    out.sort(key=lambda e: (sort_key(e.get("date")), -len(e["articles"]), e["id"]))
    return out


@click.command("events")
@click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def events_cmd(db: str, fmt: str) -> None:
    """List the events: date, title, independent sources, copies, story thread."""
    from storyline.store import open_store

    try:
        store = open_store(db, create=False, readonly=True)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(1)
    with store:
        events = events_listing(store)
        threads = store.get_corpus("threads")
    if fmt == "json":
        click.echo(json.dumps({"events": events, "threads": list(threads.values())}, ensure_ascii=False, indent=2))
        return
    if not events:
        click.echo("No events: run 'storyline build' on some articles first.")
        return
    for ev in events:
        date = ev.get("date") or "undated"
        n = len(ev["articles"])
        click.echo(f"{date:<10}  {ev['title']}")
        line = f"            {n} article{'s' if n != 1 else ''}, {ev['independent_sources']} independent source"
        line += "s" if ev["independent_sources"] != 1 else ""
        if ev["copies"]:
            line += f", {len(ev['copies'])} cop{'ies' if len(ev['copies']) != 1 else 'y'}"
        if ev.get("thread_title"):
            line += f"; thread: {ev['thread_title'][:60]}"
        click.echo(line + f"  [{ev['id']}]")
    if threads:
        click.echo("")
        click.echo(f"{len(threads)} story thread{'s' if len(threads) != 1 else ''}:")
        for th in sorted(threads.values(), key=lambda t: (t.get("first") or "9999", t["id"])):
            span = f"{th.get('first') or '?'} .. {th.get('last') or '?'}"
            click.echo(f"  {span:<24} {len(th['events'])} events  {th['title'][:70]}  [{th['id']}]")


commands = [events_cmd]
