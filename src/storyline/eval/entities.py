"""``storyline eval entities``: cross-document person/organisation coreference.

Two parts:

* **ecb** -- ECB+ (``events/ecbplus``): the documents' tokens are detokenised into text,
  our mention detection (spaCy + the entities stage) and cross-document resolution
  run on each topic's documents, predicted mentions are aligned to the gold
  ``HUMAN_PART_PER``/``HUMAN_PART_ORG`` markables by token span (same span, or same
  last token), and gold entities are the ``CROSS_DOC_COREF`` instances (an
  ``INTRA_DOC_COREF`` chain or a lone markable is a document-local entity).  Scores
  are MUC, B-cubed, CEAF-e and CoNLL F1 (their mean), with singletons, (a) over the
  gold mentions we find (the gated figure), and (b) end to end over all gold mentions
  of the annotated sentences; (c) over found mentions of ``CROSS_DOC_COREF`` chains
  only (ECB+ links across documents only the seminal events' participants: the same
  person named in two documents outside those chains is two gold singletons, which
  our merges are charged for in (a)).  A same-string baseline (mentions whose cluster names
  are equal after case and diacritics folding are one entity) runs on the same
  mentions in the same run.
* **noisy** -- the synthetic noisy-name set of :mod:`storyline.eval.noisy_names`:
  share of corrupted variants resolved to their original person, and share of
  distinct people merged with another person.
"""

from __future__ import annotations

import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from storyline.errors import E, StorylineError

Cluster = Sequence[Any]

# ---------------------------------------------------------------------------------------
# Coreference metrics (mention sets of key and response may differ)
# ---------------------------------------------------------------------------------------


def _index(clusters: Iterable[Cluster]) -> dict[Any, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    def score(a: Sequence[Cluster], b: Sequence[Cluster]) -> float:
        ib = _index(b)
        num = den = 0
        for c in a:
            parts = {ib.get(m, ("solo", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num / den if den else 0.0

    r, p = score(key, response), score(response, key)
    return r, p, (2 * p * r / (p + r) if p + r else 0.0)


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    def score(a: Sequence[Cluster], b: Sequence[Cluster]) -> float:
        bsets = [set(c) for c in b]
        ib = _index(b)
        num, den = 0.0, 0
        for c in a:
            cs = set(c)
            for m in c:
                j = ib.get(m)
                num += (len(cs & bsets[j]) / len(cs)) if j is not None else 1 / len(cs)
            den += len(c)
        return num / den if den else 0.0

    r, p = score(key, response), score(response, key)
    return r, p, (2 * p * r / (p + r) if p + r else 0.0)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment
    except ModuleNotFoundError as exc:  # pragma: no cover - scipy comes with the dev tools
        raise StorylineError(E.MISSING_PACKAGE, package="scipy", purpose="the CEAF-e score", install="scipy") from exc
    if not key or not response:
        return 0.0, 0.0, 0.0
    ks, rs = [set(c) for c in key], [set(c) for c in response]
    ir = _index(response)
    sim = np.zeros((len(ks), len(rs)))
    for i, k in enumerate(ks):
        for m in k:
            j = ir.get(m)
            if j is not None and sim[i, j] == 0:
                sim[i, j] = 2 * len(k & rs[j]) / (len(k) + len(rs[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    r, p = total / len(ks), total / len(rs)
    return r, p, (2 * p * r / (p + r) if p + r else 0.0)


def conll_scores(key: Sequence[Cluster], response: Sequence[Cluster]) -> dict[str, Any]:
    m, b, c = muc(key, response), b_cubed(key, response), ceaf_e(key, response)
    out: dict[str, Any] = {name: {"r": round(v[0], 4), "p": round(v[1], 4), "f1": round(v[2], 4)} for name, v in
                           (("muc", m), ("b3", b), ("ceaf_e", c))}
    out["conll_f1"] = round((m[2] + b[2] + c[2]) / 3, 4)
    return out


# ---------------------------------------------------------------------------------------
# ECB+ reading
# ---------------------------------------------------------------------------------------

_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'S|n't|'re|'ve|'ll|'d|'m|''|')$")
_NO_SPACE_AFTER = {"(", "[", "{", "``", "$", "#"}


@dataclass
class GoldMention:
    doc: str
    tokens: tuple[int, ...]  # token ids
    entity: str
    tag: str
    cross: bool = False  # in a CROSS_DOC_COREF chain (a seminal-event participant)


@dataclass
class EcbDoc:
    name: str
    topic: str
    text: str
    tok_spans: dict[int, tuple[int, int]]  # t_id -> (start, end) in text
    tok_sentence: dict[int, int]
    mentions: list[GoldMention] = field(default_factory=list)
    annotated_sentences: set[int] = field(default_factory=set)


def read_ecb_doc(path: Path, topic: str) -> EcbDoc:
    root = ET.parse(path).getroot()
    parts: list[str] = []
    pos = 0
    tok_spans: dict[int, tuple[int, int]] = {}
    tok_sentence: dict[int, int] = {}
    prev_sent: int | None = None
    prev_text = ""
    for tok in root.iter("token"):
        tid, sent = int(tok.get("t_id", "0")), int(tok.get("sentence", "0"))
        text = (tok.text or "").strip() or "_"
        if text in {"``", "''"}:
            text = '"'
        sep = ""
        if prev_sent is not None:
            if sent != prev_sent:
                sep = "\n"
            elif not (_NO_SPACE_BEFORE.match(text) or prev_text in _NO_SPACE_AFTER):
                sep = " "
        parts.append(sep)
        pos += len(sep)
        tok_spans[tid] = (pos, pos + len(text))
        tok_sentence[tid] = sent
        parts.append(text)
        pos += len(text)
        prev_sent, prev_text = sent, (tok.text or "")
    doc = EcbDoc(path.name, topic, "".join(parts), tok_spans, tok_sentence)
    markables = root.find("Markables")
    anchors: dict[str, tuple[str, tuple[int, ...]]] = {}
    instance_tag: dict[str, str] = {}
    if markables is not None:
        for m in markables:
            mid = m.get("m_id", "")
            toks = tuple(int(a.get("t_id", "0")) for a in m.findall("token_anchor"))
            if toks:
                anchors[mid] = (m.tag, toks)
                for t in toks:
                    if t in tok_sentence:
                        doc.annotated_sentences.add(tok_sentence[t])
            else:
                instance_tag[mid] = m.tag
    entity_of: dict[str, str] = {}
    tag_of: dict[str, str] = {}
    cross: set[str] = set()
    relations = root.find("Relations")
    if relations is not None:
        for rel in relations:
            target = rel.find("target")
            target_id = target.get("m_id", "") if target is not None else ""
            if rel.tag == "CROSS_DOC_COREF":
                ent = rel.get("note") or f"{topic}:{target_id}"
            else:
                ent = f"{path.name}:{rel.get('r_id')}"
            for src in rel.findall("source"):
                sid = src.get("m_id", "")
                entity_of[sid] = ent
                if rel.tag == "CROSS_DOC_COREF":
                    cross.add(sid)
                if target_id in instance_tag:
                    tag_of[sid] = instance_tag[target_id]
    for mid, (tag, toks) in anchors.items():
        tag = tag_of.get(mid, tag)
        if tag not in {"HUMAN_PART_PER", "HUMAN_PART_ORG"}:
            continue
        doc.mentions.append(GoldMention(path.name, toks, entity_of.get(mid, f"{path.name}:m{mid}"), tag, mid in cross))
    return doc


def read_ecbplus(root: Path, topics: list[str] | None = None) -> dict[str, list[EcbDoc]]:
    out: dict[str, list[EcbDoc]] = {}
    names = sorted((p.name for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=int)
    for t in names:
        if topics and t not in topics:
            continue
        out[t] = [read_ecb_doc(p, t) for p in sorted((root / t).glob("*.xml"))]
    return out


# ---------------------------------------------------------------------------------------
# ECB+ evaluation
# ---------------------------------------------------------------------------------------


def _tokens_in(doc: EcbDoc, start: int, end: int) -> tuple[int, ...]:
    return tuple(t for t, (s, e) in sorted(doc.tok_spans.items()) if s < end and e > start)


def _predict_topic(docs: list[EcbDoc], nlp: Any) -> tuple[list[tuple[str, tuple[int, ...], str, str]], dict[str, int]]:
    """Predicted PERSON/ORG mentions (doc, tokens, record key, cluster name) and entity per record key."""
    from storyline.stages.entities import ClusterRecord, annotate_entities, resolve

    mentions: list[tuple[str, tuple[int, ...], str, str]] = []
    records: list[ClusterRecord] = []
    for doc, sdoc in zip(docs, nlp.pipe([d.text for d in docs]), strict=True):
        ner = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in sdoc.ents]
        ents, clusters = annotate_entities(sdoc, ner)
        names = {c["id"]: c for c in clusters}
        context = {c["name"].lower() for c in clusters}
        for c in clusters:
            named = [ents[i] for i in c["mentions"] if ents[i].get("kind") == "name"]
            if not named:
                continue
            records.append(
                ClusterRecord(
                    key=f"{doc.name}:{c['id']}", article=doc.name, name=c["name"], type=c["type"],
                    variants=sorted({m["text"] for m in named} - {c["name"]}),
                    roles=[r["role"] for r in c["roles"]], context=context - {c["name"].lower()}, size=len(named),
                )
            )
        for m in ents:
            if m["label"] not in {"PERSON", "ORG"} or not m.get("cluster"):
                continue
            toks = _tokens_in(doc, m["start"], m["end"])
            if toks and doc.tok_sentence[toks[0]] in doc.annotated_sentences:
                mentions.append((doc.name, toks, f"{doc.name}:{m['cluster']}", names[m["cluster"]]["name"]))
    roots, _ = resolve(records)
    group = {r.key: roots[i] for i, r in enumerate(records)}
    return mentions, group


def _align(gold: list[GoldMention], pred: list[tuple[str, tuple[int, ...], str, str]]) -> dict[int, int]:
    """gold index -> pred index: same token span, else same last token (head), else the
    largest token overlap when it covers at least half of both spans ("Jr" vs "Jr .")."""
    out: dict[int, int] = {}
    used: set[int] = set()
    by_span = {(p[0], p[1]): i for i, p in enumerate(pred)}
    by_last: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, p in enumerate(pred):
        by_last[(p[0], p[1][-1])].append(i)
    for gi, g in enumerate(gold):
        pi = by_span.get((g.doc, g.tokens))
        if pi is not None and pi not in used:
            out[gi] = pi
            used.add(pi)
    for gi, g in enumerate(gold):
        if gi in out:
            continue
        for pi in by_last.get((g.doc, g.tokens[-1]), []):
            if pi not in used:
                out[gi] = pi
                used.add(pi)
                break
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pred):
        by_doc[p[0]].append(i)
    for gi, g in enumerate(gold):
        if gi in out:
            continue
        gs = set(g.tokens)
        best, best_ov = -1, 0.0
        for pi in by_doc.get(g.doc, []):
            if pi in used:
                continue
            ps = set(pred[pi][1])
            inter = len(gs & ps)
            if inter and inter / len(gs) >= 0.5 and inter / len(ps) >= 0.5:
                ov = inter / len(gs | ps)
                if ov > best_ov:
                    best, best_ov = pi, ov
        if best >= 0:
            out[gi] = best
            used.add(best)
    return out


def _clusters(assign: dict[Any, Any]) -> list[list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for m, c in assign.items():
        groups[c].append(m)
    return list(groups.values())


def evaluate_ecb(root: Path, topics: list[str] | None = None, limit: int = 0, spacy_model: str | None = None) -> dict[str, Any]:
    from storyline.names import fold
    from storyline.settings import Settings
    from storyline.stages.nlp import load_spacy

    nlp = load_spacy(spacy_model or Settings().spacy_model)
    corpus = read_ecbplus(root, topics)
    if limit:
        corpus = dict(list(corpus.items())[:limit])
    key_found: dict[Any, Any] = {}
    resp_found: dict[Any, Any] = {}
    key_cross: dict[Any, Any] = {}
    resp_cross: dict[Any, Any] = {}
    base_found: dict[Any, Any] = {}
    key_all: dict[Any, Any] = {}
    resp_all: dict[Any, Any] = {}
    n_gold = n_pred = n_aligned = 0
    t0 = time.perf_counter()
    for topic, docs in corpus.items():
        pred, group = _predict_topic(docs, nlp)
        gold = [g for d in docs for g in d.mentions if d.tok_sentence.get(g.tokens[0]) in d.annotated_sentences]
        align = _align(gold, pred)
        n_gold += len(gold)
        n_pred += len(pred)
        n_aligned += len(align)
        for gi, g in enumerate(gold):
            mid = (topic, gi)
            key_all[mid] = (topic, g.entity)
            if gi in align:
                p = pred[align[gi]]
                key_found[mid] = (topic, g.entity)
                resp_found[mid] = (topic, group.get(p[2], p[2]))
                base_found[mid] = (topic, " ".join(fold(p[3]).split()))
                if g.cross:
                    key_cross[mid], resp_cross[mid] = key_found[mid], resp_found[mid]
                resp_all[mid] = resp_found[mid]
        aligned_pred = set(align.values())
        for pi, p in enumerate(pred):
            if pi not in aligned_pred:
                resp_all[(topic, "p", pi)] = (topic, group.get(p[2], p[2]))
    elapsed = time.perf_counter() - t0
    return {
        "topics": len(corpus),
        "documents": sum(len(d) for d in corpus.values()),
        "gold_mentions": n_gold,
        "predicted_mentions": n_pred,
        "found_mentions": n_aligned,
        "mention_recall": round(n_aligned / n_gold, 4) if n_gold else 0.0,
        "mention_precision": round(n_aligned / n_pred, 4) if n_pred else 0.0,
        "found": conll_scores(_clusters(key_found), _clusters(resp_found)),
        "found_same_string_baseline": conll_scores(_clusters(key_found), _clusters(base_found)),
        "found_cross_doc_chains": conll_scores(_clusters(key_cross), _clusters(resp_cross)),
        "end_to_end": conll_scores(_clusters(key_all), _clusters(resp_all)),
        "seconds": round(elapsed, 1),
    }


# ---------------------------------------------------------------------------------------
# Noisy names
# ---------------------------------------------------------------------------------------


def evaluate_noisy(n_people: int = 2000, variants: int = 3, seed: int = 13) -> dict[str, Any]:
    from storyline.eval.noisy_names import build_noisy_set
    from storyline.stages.entities import ClusterRecord, resolve

    people = build_noisy_set(n_people, variants, seed)
    records: list[ClusterRecord] = []
    owner: list[int] = []
    is_orig: list[bool] = []
    kinds: list[str] = []
    for p in people:
        for k, name in enumerate([p.name, *p.variants]):
            records.append(ClusterRecord(key=f"{p.id}:{k}:c0", article=f"{p.id}:{k}", name=name, type="PERSON"))
            owner.append(p.id)
            is_orig.append(k == 0)
            kinds.append("original" if k == 0 else p.kinds[k - 1])
    t0 = time.perf_counter()
    roots, _ = resolve(records)
    elapsed = time.perf_counter() - t0
    orig_root = {owner[i]: roots[i] for i in range(len(records)) if is_orig[i]}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    merged = 0
    total = 0
    misses: list[tuple[str, str, str]] = []
    for i in range(len(records)):
        if is_orig[i]:
            continue
        ok = roots[i] == orig_root[owner[i]]
        total += 1
        merged += ok
        per_kind[kinds[i]][0] += ok
        per_kind[kinds[i]][1] += 1
        if not ok and len(misses) < 30:
            misses.append((kinds[i], people[owner[i]].name, records[i].name))
    # distinct people merged: a person's original in one group with another person's record
    people_in_root: dict[int, set[int]] = defaultdict(set)
    for i, r in enumerate(roots):
        people_in_root[r].add(owner[i])
    wrong = [p.id for p in people if len(people_in_root[orig_root[p.id]]) > 1]
    false_examples = []
    for pid in wrong[:20]:
        others = sorted(people_in_root[orig_root[pid]] - {pid})
        false_examples.append((people[pid].name, [people[o].name for o in others]))
    return {
        "people": len(people),
        "variants": total,
        "variant_recall": round(merged / total, 4) if total else 0.0,
        "false_merge_rate": round(len(wrong) / len(people), 4),
        "by_kind": {k: round(v[0] / v[1], 4) for k, v in sorted(per_kind.items())},
        "missed_examples": misses[:15],
        "false_merge_examples": false_examples[:10],
        "seconds": round(elapsed, 2),
    }


@click.command("entities")
@click.option("--part", type=click.Choice(["all", "ecb", "noisy"]), default="all", show_default=True)
@click.option("--limit", type=int, default=0, help="ECB+: only the first N topics (0: all).")
@click.option("--topics", default=None, help="ECB+: comma-separated topic numbers (e.g. 23,24,25 for dev).")
@click.option("--people", type=int, default=2000, show_default=True, help="Noisy set: number of people.")
@click.option("--variants", type=int, default=3, show_default=True, help="Noisy set: corrupted variants a person.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--min-conll", type=float, default=0.66, show_default=True, help="ECB+ floor: CoNLL F1 over found mentions.")
@click.option("--min-b3", type=float, default=0.74, show_default=True, help="ECB+ floor: B-cubed F1 over found mentions.")
@click.option("--min-variant-recall", type=float, default=0.95, show_default=True, help="Noisy floor.")
@click.option("--max-false-merge", type=float, default=0.01, show_default=True, help="Noisy ceiling.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def command(
    part: str, limit: int, topics: str | None, people: int, variants: int, seed: int, min_conll: float,
    min_b3: float, min_variant_recall: float, max_false_merge: float, as_json: bool,
) -> None:
    """Cross-document person/organisation coreference (ECB+) and noisy-name resolution."""
    from storyline.eval import gold_path

    results: dict[str, Any] = {}
    failures: list[str] = []
    if part in {"all", "ecb"}:
        try:
            root = gold_path("entities", "events", "ecbplus")
        except StorylineError as exc:
            click.echo(f"storyline: {exc}", err=True)
            sys.exit(2)
        tlist = [t.strip() for t in topics.split(",")] if topics else None
        r = evaluate_ecb(root, tlist, limit)
        results["ecb"] = r
        if r["found"]["conll_f1"] < min_conll:
            failures.append(f"ECB+ CoNLL F1 {r['found']['conll_f1']:.4f} < floor {min_conll}")
        if r["found"]["b3"]["f1"] < min_b3:
            failures.append(f"ECB+ B3 F1 {r['found']['b3']['f1']:.4f} < floor {min_b3}")
    if part in {"all", "noisy"}:
        r = evaluate_noisy(people, variants, seed)
        results["noisy"] = r
        if r["variant_recall"] < min_variant_recall:
            failures.append(f"noisy variant recall {r['variant_recall']:.4f} < floor {min_variant_recall}")
        if r["false_merge_rate"] > max_false_merge:
            failures.append(f"noisy false-merge rate {r['false_merge_rate']:.4f} > ceiling {max_false_merge}")
    if as_json:
        click.echo(json.dumps({"results": results, "failures": failures}, indent=2, ensure_ascii=False))
    else:
        _print(results)
        for f in failures:
            click.echo(f"FAIL: {f}", err=True)
    if failures:
        sys.exit(1)


def _print(results: dict[str, Any]) -> None:
    if "ecb" in results:
        r = results["ecb"]
        click.echo(f"ECB+ persons/organisations: {r['topics']} topics, {r['documents']} documents ({r['seconds']}s)")
        click.echo(f"  mentions: gold {r['gold_mentions']}, predicted {r['predicted_mentions']}, found {r['found_mentions']}"
                   f" (recall {r['mention_recall']:.3f}, precision {r['mention_precision']:.3f})")
        for label, key in (("found mentions", "found"), ("found, same-string baseline", "found_same_string_baseline"),
                           ("found, cross-doc chains only", "found_cross_doc_chains"), ("end to end", "end_to_end")):
            s = r[key]
            click.echo(f"  {label:30s} MUC {s['muc']['f1']:.4f}  B3 {s['b3']['f1']:.4f} (P {s['b3']['p']:.4f} R {s['b3']['r']:.4f})"
                       f"  CEAF-e {s['ceaf_e']['f1']:.4f}  CoNLL {s['conll_f1']:.4f}")
    if "noisy" in results:
        r = results["noisy"]
        click.echo(f"Noisy names: {r['people']} people, {r['variants']} corrupted variants ({r['seconds']}s)")
        click.echo(f"  variants merged with their original: {r['variant_recall']:.4f}")
        click.echo(f"  distinct people merged with another: {r['false_merge_rate']:.4f}")
        click.echo("  by kind: " + ", ".join(f"{k} {v:.3f}" for k, v in r["by_kind"].items()))
