"""User corrections to entity resolution, kept in a small TOML file.

The file (default ``<db path>.corrections.toml``, or ``[stages.entities] corrections =
PATH``) holds a list of operations, applied in order at the end of every resolution,
so they survive rebuilds::

    [[merge]]                      # these are one entity (the first keeps its id)
    entities = ["vladimir-putin-1a2b3c", "V. Putin"]

    [[split]]                      # clusters named like this are a separate entity
    entity = "Boris Johnson"
    names = ["Jo Johnson"]

    [[rename]]
    entity = "Volody Mee Zelensky"
    name = "Volodymyr Zelensky"

    [[alias]]                      # a known alias; entities named so are merged in
    entity = "Volodymyr Zelensky"
    alias = "Zelenskyy"

    [[identifier]]
    entity = "Vladimir Putin"
    scheme = "wikidata"
    value = "Q7747"

An ``entity`` is given by id, by name or by an alias (case, diacritics and
transliteration variants ignored).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import E, StorylineError
from storyline.names import fold, translit_key
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.stages.entities import ClusterRecord

OPERATIONS = ("merge", "split", "rename", "alias", "identifier")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "merge": ("entities",),
    "split": ("entity", "names"),
    "rename": ("entity", "name"),
    "alias": ("entity", "alias"),
    "identifier": ("entity", "scheme", "value"),
}

Corrections = dict[str, list[dict[str, Any]]]


def corrections_path(settings: Settings) -> Path:
    opt = settings.stage("entities").get("corrections")
    return Path(opt) if opt else Path(f"{settings.db}.corrections.toml")


def load_corrections(path: str | Path) -> Corrections:
    """Read and check a corrections file; an absent file means no corrections."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StorylineError(E.CONFIG, path=str(p), reason=str(exc)) from exc
    out: Corrections = {}
    for op, items in data.items():
        if op not in OPERATIONS:
            raise StorylineError(E.CONFIG, path=str(p), reason=f"unknown correction {op!r} (known: {', '.join(OPERATIONS)})")
        if not isinstance(items, list):
            raise StorylineError(E.CONFIG, path=str(p), reason=f"{op!r} must be a list of tables ([[{op}]])")
        for item in items:
            missing = [k for k in _REQUIRED[op] if k not in item]
            if missing:
                raise StorylineError(E.CONFIG, path=str(p), reason=f"[[{op}]] needs {', '.join(missing)}")
        out[op] = list(items)
    return out


def _toml_value(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def dump_corrections(corr: Corrections) -> str:
    lines = ["# storyline entity corrections: applied after every entity resolution", ""]
    for op in OPERATIONS:
        for item in corr.get(op, []):
            lines.append(f"[[{op}]]")
            for k, v in item.items():
                lines.append(f"{k} = {_toml_value(v)}")
            lines.append("")
    return "\n".join(lines)


def add_correction(path: str | Path, op: str, **fields: Any) -> Corrections:
    """Append one operation to the corrections file (created when absent)."""
    if op not in OPERATIONS:
        raise ValueError(op)
    corr = load_corrections(path)
    corr.setdefault(op, []).append(fields)
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dump_corrections(corr), encoding="utf-8")
    tmp.replace(p)
    return corr


def _name_key(text: str) -> str:
    return " ".join(translit_key(t) for t in fold(text).split())


class _Index:
    def __init__(self, entities: dict[str, dict[str, Any]]) -> None:
        self.entities = entities

    def find(self, ref: str) -> str | None:
        if ref in self.entities:
            return ref
        key = _name_key(ref)
        by_name = [eid for eid, e in self.entities.items() if _name_key(e["name"]) == key]
        if by_name:
            return max(by_name, key=lambda eid: len(self.entities[eid]["mentions"]))
        by_alias = [eid for eid, e in self.entities.items() if any(_name_key(a) == key for a in e["aliases"])]
        if by_alias:
            return max(by_alias, key=lambda eid: len(self.entities[eid]["mentions"]))
        return None


def _merge_into(entities: dict[str, dict[str, Any]], links: dict[str, str], target: str, other: str) -> None:
    if other == target or other not in entities or target not in entities:
        return
    t, o = entities[target], entities.pop(other)
    t["aliases"] = sorted((set(t["aliases"]) | set(o["aliases"]) | {o["name"]}) - {t["name"]})
    t["mentions"] = sorted(t["mentions"] + o["mentions"], key=lambda m: (m["article"], m["start"]))
    roles = {r["role"]: r for r in t["roles"]}
    for r in o["roles"]:
        if r["role"] in roles:
            d = roles[r["role"]]
            d["articles"] = sorted(set(d["articles"]) | set(r["articles"]))
            d["first_seen"] = min(filter(None, [d["first_seen"], r["first_seen"]]), default=None)
            d["last_seen"] = max(filter(None, [d["last_seen"], r["last_seen"]]), default=None)
        else:
            roles[r["role"]] = r
    t["roles"] = sorted(roles.values(), key=lambda d: (d["first_seen"] or "", d["role"]))
    t["ids"] = {**o.get("ids", {}), **t.get("ids", {})}
    t["confidence"] = 1.0
    for k, v in list(links.items()):
        if v == other:
            links[k] = target


def apply_corrections(
    entities: dict[str, dict[str, Any]],
    links: dict[str, str],
    corr: Corrections,
    records: list[ClusterRecord] | None = None,
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Apply corrections to resolved entities; references that match nothing are skipped."""
    from storyline.stages.entities import entity_id

    idx = _Index(entities)
    for item in corr.get("merge", []):
        ids = [idx.find(str(r)) for r in item["entities"]]
        found = [i for i in ids if i]
        for other in found[1:]:
            _merge_into(entities, links, found[0], other)
    rec_by_key = {r.key: r for r in records or []}
    for item in corr.get("split", []):
        eid = idx.find(str(item["entity"]))
        if not eid:
            continue
        keys = {_name_key(n) for n in item["names"]}
        ent = entities[eid]
        moved = set()
        for lk, target in links.items():
            if target != eid:
                continue
            rec = rec_by_key.get(lk)
            names = [rec.name, *rec.variants] if rec else [m["text"] for m in ent["mentions"] if f"{m['article']}:{m.get('cluster')}" == lk]
            if any(_name_key(n) in keys for n in names):
                moved.add(lk)
        if not moved:
            continue
        new_name = str(item.get("name") or item["names"][0])
        nid = entity_id(new_name, ent["type"])
        if nid == eid or nid in entities:
            nid = nid + "s"
        stay = [m for m in ent["mentions"] if f"{m['article']}:{m.get('cluster')}" not in moved]
        go = [m for m in ent["mentions"] if f"{m['article']}:{m.get('cluster')}" in moved]
        ent["mentions"] = stay
        go_texts = {m["text"] for m in go}
        ent["aliases"] = sorted({m["text"] for m in stay} - {ent["name"]})
        entities[nid] = {
            "id": nid,
            "name": new_name,
            "type": ent["type"],
            "aliases": sorted(go_texts - {new_name}),
            "roles": [r for r in ent["roles"] if any(k.split(":", 1)[0] in r["articles"] for k in moved)],
            "mentions": go,
            "ids": {},
            "confidence": 1.0,
        }
        for lk in moved:
            links[lk] = nid
    for item in corr.get("alias", []):
        eid = idx.find(str(item["entity"]))
        if not eid:
            continue
        alias = str(item["alias"])
        key = _name_key(alias)
        for other, e in list(entities.items()):
            if other != eid and _name_key(e["name"]) == key:
                _merge_into(entities, links, eid, other)
        if alias != entities[eid]["name"] and alias not in entities[eid]["aliases"]:
            entities[eid]["aliases"] = sorted([*entities[eid]["aliases"], alias])
    for item in corr.get("rename", []):
        eid = idx.find(str(item["entity"]))
        if not eid:
            continue
        e = entities[eid]
        new = str(item["name"])
        if new != e["name"]:
            e["aliases"] = sorted((set(e["aliases"]) | {e["name"]}) - {new})
            e["name"] = new
            e["confidence"] = 1.0
    for item in corr.get("identifier", []):
        eid = idx.find(str(item["entity"]))
        if eid:
            entities[eid].setdefault("ids", {})[str(item["scheme"])] = str(item["value"])
    return entities, links
