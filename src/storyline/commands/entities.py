"""``storyline entities [NAME]`` and ``storyline correct merge|split|rename|alias|id``.

``entities`` lists the corpus entities (or those matching NAME: by id, name or alias,
case, diacritics and transliteration ignored) with aliases, roles, mentions per
article and quotes.  ``correct`` edits the corrections file (see
:mod:`storyline.corrections`) and re-applies entity resolution to the store.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

import click

from storyline.errors import E, StorylineError
from storyline.names import fold, translit_key
from storyline.settings import load_settings


def _open(db: str) -> Any:
    from storyline.store import open_store

    try:
        return open_store(db, create=False)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(2)


def _key(text: str) -> str:
    return " ".join(translit_key(t) for t in fold(text).split())


def match_entities(entities: dict[str, dict[str, Any]], name: str | None) -> list[dict[str, Any]]:
    """Entities matching NAME (id, name, alias; or a word of the name), most mentioned first."""
    items = list(entities.values())
    if name:
        if name in entities:
            items = [entities[name]]
        else:
            key = _key(name)
            exact = [e for e in items if key == _key(e["name"]) or any(key == _key(a) for a in e["aliases"])]
            if exact:
                items = exact
            else:
                words = set(key.split())
                items = [
                    e
                    for e in items
                    if words <= set(_key(" ".join([e["name"], *e["aliases"]])).split())
                ]
    return sorted(items, key=lambda e: (-len(e["mentions"]), e["name"]))


def entity_report(store: Any, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = {e["id"] for e in entities}
    quotes: dict[str, list[dict[str, Any]]] = {}
    for q in store.iter_quotes():
        eid = (q.get("speaker") or {}).get("entity")
        if isinstance(eid, str) and eid in wanted:
            quotes.setdefault(eid, []).append(
                {"article": q["article"], "start": q["start"], "end": q["end"], "text": q.get("text", ""),
                 "said_on": q.get("said_on")}
            )
    out = []
    for e in entities:
        per_article = Counter(m["article"] for m in e["mentions"])
        out.append({**e, "mentions_per_article": dict(sorted(per_article.items())), "quotes": quotes.get(e["id"], [])})
    return out


@click.command("entities")
@click.argument("name", required=False)
@click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--type", "etype", default=None, help="Only entities of this type (PERSON, ORG, GPE...).")
@click.option("--limit", type=int, default=0, help="Show at most N entities (0: all).")
def entities_cmd(name: str | None, db: str, fmt: str, etype: str | None, limit: int) -> None:
    """Show entities: aliases, roles, mentions per article and quotes.

    NAME picks entities by id, name or alias (spelling variants ignored).
    Corrections: see 'storyline correct --help'.
    """
    store = _open(db)
    with store:
        ents = match_entities(store.get_corpus("entities"), name)
        if etype:
            ents = [e for e in ents if e["type"] == etype.upper()]
        if limit:
            ents = ents[:limit]
        if name and not ents:
            click.echo(f"storyline: {StorylineError(E.NO_ENTITY, name=name)}", err=True)
            sys.exit(1)
        report = entity_report(store, ents)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for e in report:
        click.echo(f"{e['name']}  [{e['type']}]  id={e['id']}  confidence={e['confidence']}")
        if e["aliases"]:
            click.echo("  aliases: " + "; ".join(e["aliases"]))
        if e.get("ids"):
            click.echo("  ids: " + ", ".join(f"{k}={v}" for k, v in e["ids"].items()))
        for r in e["roles"]:
            span = r["first_seen"] or "?"
            if r["last_seen"] and r["last_seen"] != r["first_seen"]:
                span += f" .. {r['last_seen']}"
            click.echo(f"  role: {r['role']} ({span}; {len(r['articles'])} article(s))")
        for aid, n in e["mentions_per_article"].items():
            click.echo(f"  {aid}: {n} mention(s)")
        for q in e["quotes"][:20]:
            text = q["text"] if len(q["text"]) <= 160 else q["text"][:157] + "..."
            click.echo(f"  quote [{q['article']}]: {text}")
        if len(e["quotes"]) > 20:
            click.echo(f"  ... {len(e['quotes']) - 20} more quote(s)")
        click.echo("")


@click.group("correct")
def correct() -> None:
    """Correct entity resolution: merge, split, rename, alias, id.

    Corrections are kept in a TOML file (default: <db>.corrections.toml, or
    [stages.entities] corrections = PATH) and applied after every resolution, so they
    survive rebuilds.  Each command also re-applies resolution to the store.
    """


def _common(f: Any) -> Any:
    f = click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file).")(f)
    f = click.option("--config", type=click.Path(dir_okay=False), default=None, help="A storyline.toml settings file.")(f)
    f = click.option("--no-apply", is_flag=True, help="Only write the corrections file.")(f)
    return f


def _record(db: str, config: str | None, no_apply: bool, op: str, **fields: Any) -> None:
    from storyline.corrections import add_correction, corrections_path

    settings = load_settings(config, db=db)
    path = corrections_path(settings)
    add_correction(path, op, **fields)
    click.echo(f"{op} recorded in {path}")
    if no_apply:
        return
    from pathlib import Path

    if not Path(db).exists():
        return
    from storyline.stages.entities import entities_corpus_stage

    store = _open(db)
    with store:
        entities_corpus_stage(store, settings, set())
    click.echo(f"entity resolution re-applied to {db}")


@correct.command("merge")
@click.argument("entities", nargs=-1, required=True)
@_common
def merge_cmd(entities: tuple[str, ...], db: str, config: str | None, no_apply: bool) -> None:
    """ENTITIES (ids, names or aliases) are one entity; the first keeps its id."""
    if len(entities) < 2:
        raise click.UsageError("merge needs at least two entities")
    _record(db, config, no_apply, "merge", entities=list(entities))


@correct.command("split")
@click.argument("entity")
@click.argument("names", nargs=-1, required=True)
@click.option("--name", "new_name", default=None, help="Name of the new entity (default: the first NAMES).")
@_common
def split_cmd(entity: str, names: tuple[str, ...], new_name: str | None, db: str, config: str | None, no_apply: bool) -> None:
    """Mentions of ENTITY written as NAMES are a different entity."""
    fields: dict[str, Any] = {"entity": entity, "names": list(names)}
    if new_name:
        fields["name"] = new_name
    _record(db, config, no_apply, "split", **fields)


@correct.command("rename")
@click.argument("entity")
@click.argument("name")
@_common
def rename_cmd(entity: str, name: str, db: str, config: str | None, no_apply: bool) -> None:
    """Give ENTITY the display name NAME (the old name becomes an alias)."""
    _record(db, config, no_apply, "rename", entity=entity, name=name)


@correct.command("alias")
@click.argument("entity")
@click.argument("alias")
@_common
def alias_cmd(entity: str, alias: str, db: str, config: str | None, no_apply: bool) -> None:
    """ALIAS is another name of ENTITY (entities named ALIAS merge into it)."""
    _record(db, config, no_apply, "alias", entity=entity, alias=alias)


@correct.command("id")
@click.argument("entity")
@click.argument("scheme")
@click.argument("value")
@_common
def id_cmd(entity: str, scheme: str, value: str, db: str, config: str | None, no_apply: bool) -> None:
    """Attach an identifier, e.g. 'storyline correct id "Vladimir Putin" wikidata Q7747'."""
    _record(db, config, no_apply, "identifier", entity=entity, scheme=scheme, value=value)


commands: list[click.Command] = [entities_cmd, correct]
