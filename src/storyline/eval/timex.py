"""``storyline eval timex``: temporal expressions scored against TempEval-3 TimeML files.

Gold: ``../shared/data/temporal/tempeval3/train`` (TimeBank + AQUAINT, 256 documents).
Each document is tagged with its creation time (DCT) as the anchor, as in TempEval-3.

Scores follow the TempEval-3 conventions: strict span F1 (exact offsets), relaxed span F1
(any overlap, one-to-one), value and type accuracy over the relaxed matches, and value F1
(a system expression counts only when it overlaps a gold one *and* has its value).

Split: the documents, sorted by file name, are numbered from 0; every fourth (index % 4
== 3) is **held out**.  The rules were developed on the other three quarters
(``--split dev``); the figures to report are those of ``--split heldout``.
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from storyline.eval import gold_path

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: date
    timexes: list[dict[str, Any]] = field(default_factory=list)


def read_timeml(path: Path) -> TimeMLDoc:
    """A TimeML file as plain text (tags removed, entities decoded) with its TIMEX3 spans."""
    raw = path.read_text(encoding="utf-8")
    m = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4})-(\d\d)-(\d\d)", raw)
    if not m:
        raise ValueError(f"{path}: no DCT")
    dct = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    body = raw.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
    out: list[str] = []
    n = 0
    timexes: list[dict[str, Any]] = []
    open_tx: dict[str, Any] | None = None
    pos = 0
    for t in _TAG.finditer(body):
        chunk = body[pos : t.start()]
        out.append(chunk)
        n += len(chunk)
        pos = t.end()
        if t.group(4) is not None:
            ch = html.unescape("&" + t.group(4) + ";")
            out.append(ch)
            n += len(ch)
            continue
        closing, name, attrs = t.group(1), t.group(2), t.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            a = dict(_ATTR.findall(attrs))
            open_tx = {"start": n, "type": a.get("type", "DATE"), "value": a.get("value", "")}
        elif open_tx is not None:
            open_tx["end"] = n
            timexes.append(open_tx)
            open_tx = None
    out.append(body[pos:])
    text = "".join(out)
    for tx in timexes:
        tx["text"] = text[tx["start"] : tx["end"]]
    return TimeMLDoc(name=path.name, text=text, dct=dct, timexes=timexes)


def load_corpus(split: str = "heldout", limit: int | None = None) -> list[TimeMLDoc]:
    root = gold_path("timex", "temporal", "tempeval3", "train")
    files = sorted(p for p in root.rglob("*.tml") if "testpipeline" not in p.parts)
    files = sorted(files, key=lambda p: p.name)
    chosen = [p for i, p in enumerate(files) if split == "all" or (i % 4 == 3) == (split == "heldout")]
    if limit:
        chosen = chosen[:limit]
    return [read_timeml(p) for p in chosen]


def _match(gold: list[dict[str, Any]], sys_: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one overlap matching, exact matches first, then by largest overlap."""
    pairs: list[tuple[int, int, int]] = []
    for i, g in enumerate(gold):
        for j, s in enumerate(sys_):
            ov = min(g["end"], s["end"]) - max(g["start"], s["start"])
            if ov > 0:
                exact = g["start"] == s["start"] and g["end"] == s["end"]
                pairs.append((0 if exact else 1, -ov, i * 100000 + j))
    pairs.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for _e, _ov, ij in pairs:
        i, j = divmod(ij, 100000)
        if i in used_g or j in used_s:
            continue
        used_g.add(i)
        used_s.add(j)
        out.append((i, j))
    return out


def _f1(tp: float, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[TimeMLDoc]) -> dict[str, Any]:
    from storyline.temporal.tagger import tag

    n_gold = n_sys = strict = relaxed = value_ok = type_ok = 0
    errors: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    system = [[t.to_item() for t in tag(d.text, d.dct)] for d in docs]
    tag_s = time.perf_counter() - t0
    for d, sys_ in zip(docs, system, strict=True):
        gold = d.timexes
        n_gold += len(gold)
        n_sys += len(sys_)
        matched = _match(gold, sys_)
        mg = {i for i, _ in matched}
        ms = {j for _, j in matched}
        for i, j in matched:
            g, s = gold[i], sys_[j]
            relaxed += 1
            strict += g["start"] == s["start"] and g["end"] == s["end"]
            value_ok += g["value"] == s["value"]
            type_ok += g["type"] == s["type"]
            if g["value"] != s["value"]:
                errors.append({"doc": d.name, "kind": "value", "gold": g["text"], "sys": s["text"], "gold_value": g["value"], "value": s["value"], "dct": d.dct.isoformat()})
        for i, g in enumerate(gold):
            if i not in mg:
                errors.append({"doc": d.name, "kind": "missed", "gold": g["text"], "gold_value": g["value"]})
        for j, s in enumerate(sys_):
            if j not in ms:
                errors.append({"doc": d.name, "kind": "spurious", "sys": s["text"], "value": s["value"]})
    # speed reference measured in the same run: spaCy's tokenizer alone over the same texts
    ref_s = None
    try:
        import spacy

        tok = spacy.blank("en")
        t0 = time.perf_counter()
        for d in docs:
            tok.make_doc(d.text)
        ref_s = time.perf_counter() - t0
    except ImportError:  # pragma: no cover
        pass
    sp, sr, sf = _f1(strict, n_sys, n_gold)
    rp, rr, rf = _f1(relaxed, n_sys, n_gold)
    vp, vr, vf = _f1(value_ok, n_sys, n_gold)
    chars = sum(len(d.text) for d in docs)
    return {
        "documents": len(docs),
        "gold": n_gold,
        "system": n_sys,
        "strict": {"p": sp, "r": sr, "f1": sf},
        "relaxed": {"p": rp, "r": rr, "f1": rf},
        "value": {"accuracy": value_ok / relaxed if relaxed else 0.0, "p": vp, "r": vr, "f1": vf},
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "speed": {
            "chars_per_s": chars / tag_s if tag_s else None,
            "seconds": tag_s,
            "reference": "spaCy blank English tokenizer over the same texts",
            "ratio_to_reference": (tag_s / ref_s) if ref_s else None,
        },
        "errors": errors,
    }


@click.command("timex")
@click.option("--split", type=click.Choice(["heldout", "dev", "all"]), default="heldout", show_default=True,
              help="heldout: every 4th document (never used for tuning); dev: the rest")
@click.option("--limit", type=int, default=None, help="score only the first N documents of the split")
@click.option("--json", "as_json", is_flag=True, help="print the scores as JSON")
@click.option("--errors", "n_errors", type=int, default=0, help="print the first N errors")
@click.option("--min-value-f1", type=float, default=None, help="exit 1 when value F1 is below this")
@click.option("--min-relaxed-f1", type=float, default=None, help="exit 1 when relaxed span F1 is below this")
@click.option("--min-strict-f1", type=float, default=None, help="exit 1 when strict span F1 is below this")
def command(split: str, limit: int | None, as_json: bool, n_errors: int, min_value_f1: float | None,
            min_relaxed_f1: float | None, min_strict_f1: float | None) -> None:
    """Temporal expressions against TempEval-3 (TimeBank + AQUAINT), anchored to each DCT."""
    docs = load_corpus(split, limit)
    res = score(docs)
    errors = res.pop("errors")
    res["split"] = split
    if as_json:
        click.echo(json.dumps(res, indent=2))
    else:
        click.echo(f"TempEval-3 {split}: {res['documents']} documents, {res['gold']} gold, {res['system']} system timexes")
        for k in ("strict", "relaxed"):
            r = res[k]
            click.echo(f"  {k:8s} span  P {r['p']:.3f}  R {r['r']:.3f}  F1 {r['f1']:.3f}")
        v = res["value"]
        click.echo(f"  value         accuracy {v['accuracy']:.3f}  P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}")
        click.echo(f"  type accuracy {res['type_accuracy']:.3f}")
        s = res["speed"]
        if s["ratio_to_reference"]:
            click.echo(f"  speed {s['chars_per_s']:.0f} chars/s; {s['ratio_to_reference']:.2f}x the time of {s['reference']}")
    for e in errors[:n_errors]:
        click.echo(json.dumps(e, ensure_ascii=False))
    failed = []
    if min_value_f1 is not None and res["value"]["f1"] < min_value_f1:
        failed.append(f"value F1 {res['value']['f1']:.3f} < {min_value_f1}")
    if min_relaxed_f1 is not None and res["relaxed"]["f1"] < min_relaxed_f1:
        failed.append(f"relaxed F1 {res['relaxed']['f1']:.3f} < {min_relaxed_f1}")
    if min_strict_f1 is not None and res["strict"]["f1"] < min_strict_f1:
        failed.append(f"strict F1 {res['strict']['f1']:.3f} < {min_strict_f1}")
    if failed:
        click.echo("FAILED: " + "; ".join(failed), err=True)
        sys.exit(1)
