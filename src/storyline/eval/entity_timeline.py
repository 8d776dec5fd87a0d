"""``storyline eval entity-timeline``: SemEval-2015 Task 4 (TimeLine), Track A, trial corpus.

For each target entity, from raw text (tokens and the document creation time only; the
corpus's own event and time markables are never read), the events the entity takes
part in, anchored to dates and ordered.  Output lines follow the task format
``rank<TAB>date<TAB>docid-sentence-word``.

Scoring follows the task's description (Minard et al. 2015): each timeline becomes a
set of temporal relations: events at the same rank SIMULTANEOUS, events at consecutive
ranks BEFORE (rank 0, the unordered events, takes no BEFORE relation), every dated
event IS_INCLUDED in its date; precision and recall are temporal awareness (UzZaman &
Allen 2011): a system relation counts when the closure of the gold graph holds it, a
gold relation when the closure of the system graph does; micro-averaged over the
entities' timelines.  The official scorer was not available here, so this is a
re-implementation from the description; differences in how it orders dates among
themselves are possible.

There is only the trial set (6 timelines, 30 documents): the few choices below were made
on it, so the figure is not a held-out one.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from storyline.eval import gold_path

Rel = tuple[str, str, str]


@dataclass
class CatDoc:
    id: str
    dct: str | None
    sentences: dict[int, list[str]] = field(default_factory=dict)


def read_cat(path: Path) -> CatDoc:
    """Tokens (by sentence) and the document creation time of a CAT file; nothing else."""
    root = ET.parse(path).getroot()
    doc = CatDoc(id=str(root.get("doc_id") or path.name.split("-")[0].split("_")[0]), dct=None)
    for tok in root.iter("token"):
        doc.sentences.setdefault(int(tok.get("sentence") or 0), []).append(tok.text or "")
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            doc.dct = tx.get("value")
    return doc


@dataclass
class TimelineLine:
    rank: int
    date: str
    events: list[str]


def read_timeline(path: Path) -> tuple[str, list[TimelineLine]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    name = lines[0].strip() if lines else path.stem
    out = []
    for line in lines[1:]:
        parts = line.strip().split("\t")
        if len(parts) >= 3 and parts[0].isdigit():
            out.append(TimelineLine(int(parts[0]), parts[1], [p.strip() for p in parts[2:] if p.strip()]))
    return name, out


def _event_key(eid: str) -> str:
    return eid.lower()


def relations(tl: list[TimelineLine]) -> set[Rel]:
    """The reduced relation set of a timeline."""
    by_rank: dict[int, list[str]] = defaultdict(list)
    rels: set[Rel] = set()
    for line in tl:
        evs = [_event_key(e) for e in line.events]
        by_rank[line.rank].extend(evs)
        if not line.date.upper().startswith("XXXX"):
            for e in evs:
                rels.add(("in", e, line.date))
    for evs in by_rank.values():
        u = sorted(set(evs))
        for a, b in zip(u, u[1:], strict=False):
            rels.add(("=", a, b))
    ranks = sorted(r for r in by_rank if r > 0)
    for r1, r2 in zip(ranks, ranks[1:], strict=False):
        for a in set(by_rank[r1]):
            for b in set(by_rank[r2]):
                if a != b:
                    rels.add(("<", a, b))
    return rels


def closure(rels: set[Rel]) -> set[Rel]:
    """Temporal closure for =, < and 'in' (event included in a date) relations."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, a, b in rels:
        find(a)
        if k != "in":
            find(b)
        if k == "=":
            parent[find(a)] = find(b)
    members: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        members[find(x)].add(x)
    succ: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, set[str]] = defaultdict(set)
    for k, a, b in rels:
        if k == "<":
            succ[find(a)].add(find(b))
        elif k == "in":
            dates[find(a)].add(b)
    out: set[Rel] = set()
    for c, ms in members.items():
        ms_sorted = sorted(ms)
        for i, a in enumerate(ms_sorted):
            for b in ms_sorted[i + 1 :]:
                out.add(("=", a, b))
            for d in dates[c]:
                out.add(("in", a, d))
        # classes reachable by <
        seen: set[str] = set()
        stack = list(succ[c])
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            stack.extend(succ[x])
        for x in seen:
            if x == c:
                continue
            for a in ms:
                for b in members[x]:
                    out.add(("<", a, b))
    return out


def _norm_eq(rels: set[Rel]) -> set[Rel]:
    return {(k, *sorted((a, b))) if k == "=" else (k, a, b) for k, a, b in rels}  # type: ignore[misc]


def awareness(sys_tl: list[TimelineLine], gold_tl: list[TimelineLine]) -> tuple[int, int, int, int]:
    """(precision hits, system relations, recall hits, gold relations)."""
    s_red, g_red = _norm_eq(relations(sys_tl)), _norm_eq(relations(gold_tl))
    s_clo, g_clo = _norm_eq(closure(s_red)), _norm_eq(closure(g_red))
    return len(s_red & g_clo), len(s_red), len(g_red & s_clo), len(g_red)


# -- the system ---------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_RX_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(?:of\s+)?(\d{4})\b", re.I)
_RX_YEAR = re.compile(r"\b(?:in|since|of|by|during|until)\s+(1[89]\d\d|20\d\d)\b", re.I)


def sentence_date(text: str, dct: str | None, use_time_stage: bool = True) -> str | None:
    """A date a sentence names (day, month or year): the time stage's first absolute timex when
    the time stage is installed, else the TLS fallback tagger and two month/year patterns."""
    from storyline.eval.tls import _time_stage, fallback_sentence_date

    annotate = _time_stage() if use_time_stage else None
    if annotate is not None:
        try:
            timexes, _ = annotate(text, dct[:10] if dct else None)
        except Exception:
            timexes = []
        for t in sorted(timexes, key=lambda t: t["start"]):
            v = str(t.get("value") or "")
            if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
                return v
        return None

    pub = None
    if dct:
        try:
            pub = date.fromisoformat(dct[:10])
        except ValueError:
            pub = None
    d = fallback_sentence_date(text, pub)
    if d:
        return d.isoformat()
    m = _RX_MONTH_YEAR.search(text)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"
    m = _RX_YEAR.search(text)
    if m:
        return m.group(1)
    return None


def _is_person_name(name: str) -> bool:
    parts = name.split()
    return len(parts) == 2 and all(p[:1].isupper() and p[1:].islower() for p in parts)


def _mention_spans(words: list[str], name: str) -> list[tuple[int, int]]:
    """Token spans that name the entity: the full name, a 2+ token part of it, or a person's surname."""
    nt = name.lower().split()
    lw = [w.lower() for w in words]
    variants = {tuple(nt)}
    for i in range(len(nt)):
        for j in range(i + 2, len(nt) + 1):
            variants.add(tuple(nt[i:j]))
    if len(nt) == 2 and name.split()[0][:1].isupper() and name.split()[1][:1].isupper():
        variants.add((nt[1],))
    if len(nt) == 1:
        variants.add((nt[0] + "s",))
    spans: list[tuple[int, int]] = []
    for v in sorted(variants, key=len, reverse=True):
        n = len(v)
        for i in range(len(lw) - n + 1):
            if tuple(lw[i : i + n]) == v and not any(a <= i < b for a, b in spans):
                spans.append((i, i + n))
    return spans


_NLP: dict[str, Any] = {}


def _parse(words: list[str]) -> Any:
    from spacy.tokens import Doc

    from storyline.settings import Settings
    from storyline.stages.nlp import load_spacy

    if "nlp" not in _NLP:
        _NLP["nlp"] = load_spacy(Settings().spacy_model)
    nlp = _NLP["nlp"]
    doc = Doc(nlp.vocab, words=[w if w else "_" for w in words])
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def entity_events(doc: CatDoc, name: str, use_time_stage: bool = True) -> list[tuple[str, str | None]]:
    """(event id, date) for the events ``name`` takes part in: the verbs governing its mentions."""
    out: list[tuple[str, str | None]] = []
    person = _is_person_name(name)
    seen_entity = False
    for sid, words in sorted(doc.sentences.items()):
        spans = _mention_spans(words, name)
        if person and seen_entity and not spans:
            # a sentence about the person that names no one else: "he" is the person
            spans = [(i, i + 1) for i, w in enumerate(words) if w.lower() == "he"][:1]
        if spans:
            seen_entity = seen_entity or bool(_mention_spans(words, name))
        if not spans:
            continue
        sdoc = _parse(words)
        sdate = sentence_date(" ".join(words), doc.dct, use_time_stage)
        seen: set[int] = set()
        for _a, b in spans:
            head = sdoc[b - 1]
            for anc in head.ancestors:
                if anc.pos_ in ("VERB",) and anc.dep_ not in ("aux", "auxpass", "amod"):
                    if anc.i not in seen:
                        seen.add(anc.i)
                        out.append((f"{doc.id}-{sid}-{anc.text}", sdate or doc.dct))
                    break
    return out


def build_timeline(docs: list[CatDoc], name: str, use_time_stage: bool = True) -> list[TimelineLine]:
    events: list[tuple[str, str | None]] = []
    for d in docs:
        events.extend(entity_events(d, name, use_time_stage))
    dated = sorted({d for _, d in events if d})
    rank_of = {d: i + 1 for i, d in enumerate(dated)}
    lines = [TimelineLine(rank_of[d] if d else 0, d or "XXXX-XX-XX", [e]) for e, d in events]
    lines.sort(key=lambda x: (x.rank, x.events[0]))
    return lines


def _has_time_stage() -> bool:
    from storyline.eval.tls import _time_stage

    return _time_stage() is not None


def format_timeline(name: str, lines: list[TimelineLine]) -> str:
    return "\n".join([name] + [f"{x.rank}\t{x.date}\t" + "\t".join(x.events) for x in lines]) + "\n"


def evaluate(limit: int | None = None, keep: bool = False, dates: str = "time-stage") -> dict[str, Any]:
    root = gold_path("entity-timeline", "timelines", "semeval2015-task4-trial")
    docs = [read_cat(p) for p in sorted((root / "Corpus-trial-data_task4").glob("*.xml"))]
    gold_files = sorted((root / "TimeLines_trial_data_task4_v1.2").glob("*.txt"))
    if limit:
        gold_files = gold_files[:limit]
    rows = []
    tp_p = n_p = tp_r = n_r = 0
    for gf in gold_files:
        name, gold = read_timeline(gf)
        pred = build_timeline(docs, name, use_time_stage=dates == "time-stage")
        a, b, c, d = awareness(pred, gold)
        tp_p, n_p, tp_r, n_r = tp_p + a, n_p + b, tp_r + c, n_r + d
        p = a / b if b else 0.0
        r = c / d if d else 0.0
        gold_ev = {_event_key(e) for x in gold for e in x.events}
        pred_ev = {_event_key(e) for x in pred for e in x.events}
        row: dict[str, Any] = {
            "entity": name,
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold_events": len(gold_ev),
            "system_events": len(pred_ev),
            "event_overlap": len(gold_ev & pred_ev),
        }
        if keep:
            row["timeline"] = format_timeline(name, pred)
        rows.append(row)
    P = tp_p / n_p if n_p else 0.0
    R = tp_r / n_r if n_r else 0.0
    return {
        "task": "entity-timeline",
        "dataset": "SemEval-2015 Task 4 trial (Track A: raw text)",
        "precision": P * 100,
        "recall": R * 100,
        "f1": (2 * P * R / (P + R) if P + R else 0.0) * 100,
        "dates": dates if dates == "fallback" or _has_time_stage() else "fallback (no time stage)",
        "reference": {"best 2015 Track A system (F1)": 7.85},
        "timelines": rows,
    }


@click.command("entity-timeline")
@click.option("--limit", type=int, default=None, help="Evaluate at most N entity timelines.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--show", is_flag=True, help="Print the system timelines.")
@click.option(
    "--dates", type=click.Choice(["time-stage", "fallback"]), default="time-stage", show_default=True,
    help="Date the sentences with the time stage, or with the regex fallback of eval tls.",
)
@click.option("--min-f1", type=float, default=18.0, show_default=True, help="Fail below this micro F1 (0-100).")
def command(limit: int | None, as_json: bool, show: bool, dates: str, min_f1: float) -> None:
    """SemEval-2015 TimeLine (Track A): each target entity's events, dated and ordered."""
    res = evaluate(limit, keep=show or as_json, dates=dates)
    if as_json:
        click.echo(json.dumps(res, indent=2))
    else:
        for r in res["timelines"]:
            click.echo(
                f"  {r['entity']:22s} P={r['precision'] * 100:5.1f} R={r['recall'] * 100:5.1f} F1={r['f1'] * 100:5.1f} "
                f"events gold={r['gold_events']} system={r['system_events']} shared={r['event_overlap']}"
            )
            if show:
                click.echo(r["timeline"])
        click.echo(
            f"micro P={res['precision']:.2f} R={res['recall']:.2f} F1={res['f1']:.2f} ({res['dates']} dates; "
            "best 2015 Track A system: F1 7.85)"
        )
    if res["f1"] < min_f1:
        click.echo(f"below floor: F1 {res['f1']:.2f} < {min_f1}", err=True)
        sys.exit(1)
