"""``storyline eval quotes``: quotations and speakers on PolNeAR, beside textacy.

PolNeAR (Newell et al., LREC 2018) annotates attributions in 2016 US election news as
brat standoff: ``Source``, ``Cue`` and ``Content`` spans (possibly discontinuous) tied by
``E`` lines.  Scoring follows the Gender Gap Tracker: a gold attribution is found when a
predicted span covers at least 30% of its content characters (80% reported too), one
prediction per gold attribution; the speaker is right when the predicted speaker mention
overlaps the gold source span or names the same entity (same surname).

Two tasks: (a) attributions whose content is a direct quote (at least ``DIRECT_SHARE`` of its
characters inside quote marks) against predictions of kind ``direct``; (b) all attributions with a source
against all predictions that have a speaker.  textacy 0.13's ``direct_quotations`` runs on
the same spaCy parses in the same run, as the reference.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from storyline.errors import E, StorylineError
from storyline.quotes_marks import find_quotes

Frag = tuple[int, int]

# A gold content is a direct quote when this share of its characters lies inside quote
# marks (what is left: "that", a trailing period); a content with a quoted fragment in
# paraphrase ('said he was "open to talks"') is a mixed quote, counted only in task (b).
DIRECT_SHARE = 0.85


@dataclass
class GoldAttribution:
    content: list[Frag]
    source: list[Frag]
    cue: list[Frag]
    direct: bool = False
    source_text: str = ""


@dataclass
class Pred:
    content: list[Frag]
    speaker: list[Frag]
    kind: str = "direct"
    speaker_name: str | None = None


@dataclass
class GoldDoc:
    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


# -- reading PolNeAR ------------------------------------------------------------------------
def _frags(spec: str) -> list[Frag]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def parse_ann(ann: str, text: str) -> list[GoldAttribution]:
    """The attributions of one brat standoff file."""
    spans: dict[str, tuple[str, list[Frag]]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, spec = parts[1].partition(" ")
            try:
                spans[parts[0]] = (kind, _frags(spec))
            except ValueError:
                continue
        elif line.startswith("E") and len(parts) >= 2:
            roles: dict[str, str] = {}
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                role = re.sub(r"\d+$", "", role)
                roles.setdefault(role, ref)
                if role == "Cue" and "Cue" in roles and roles["Cue"] != ref:
                    roles.setdefault("Cue2", ref)
            events.append(roles)
    quoted = _quoted_chars(text)
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""), ("", []))[1]
        if not content:
            continue
        source = spans.get(ev.get("Source", ""), ("", []))[1]
        cue = spans.get(ev.get("Cue", ""), ("", []))[1]
        chars = [i for s, e in content for i in range(s, e) if not text[i].isspace()]
        direct = bool(chars) and sum(1 for i in chars if i in quoted) >= DIRECT_SHARE * len(chars)
        src_text = " ".join(text[s:e] for s, e in source)
        out.append(GoldAttribution(content, source, cue, direct, src_text))
    return out


def _quoted_chars(text: str) -> set[int]:
    out: set[int] = set()
    for q in find_quotes(text):
        out.update(range(q.start, q.end))
    return out


def load_polnear(split_dir: Path, limit: int | None = None) -> list[GoldDoc]:
    """Articles of one PolNeAR split, each with the annotation of its first annotator."""
    docs = []
    texts = sorted((split_dir / "text").glob("*.txt"))
    anns = sorted((split_dir / "attributions").glob("*.ann"))
    by_name: dict[str, Path] = {}
    for a in anns:
        base = a.stem.rsplit("_", 1)[0]
        by_name.setdefault(base, a)
    for t in texts:
        ann = by_name.get(t.stem)
        if ann is None:
            continue
        text = t.read_text(encoding="utf-8")
        docs.append(GoldDoc(t.stem, text, parse_ann(ann.read_text(encoding="utf-8"), text)))
        if limit and len(docs) >= limit:
            break
    return docs


# -- scoring ----------------------------------------------------------------------------
def _chars(text: str, frags: Iterable[Frag]) -> set[int]:
    return {i for s, e in frags for i in range(s, min(e, len(text))) if not text[i].isspace()}


_PRONOUNS = {"he", "she", "they", "i", "we", "it", "who", "which", "that", "his", "her", "their", "you"}


def _same_entity(gold_src: str, pred_name: str | None) -> bool:
    if not pred_name or not gold_src:
        return False
    g = [w for w in re.findall(r"[A-Z][\w'’-]+", gold_src) if w.lower() not in _PRONOUNS]
    if not g:
        return False
    p = set(re.findall(r"[\w'’-]+", pred_name))
    return g[-1] in p


def score(
    docs: list[GoldDoc],
    preds: dict[str, list[Pred]],
    task: str,
    threshold: float,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, float | int]:
    """P/R/F1 and speaker accuracy for one task ('direct' or 'sourced') at one threshold;
    the matched attributions with a wrong speaker are appended to ``errors`` when given."""
    tp = n_pred = n_gold = sp_ok = sp_n = 0
    for d in docs:
        golds = [g for g in d.attributions if (g.direct if task == "direct" else bool(g.source))]
        ps = [p for p in preds.get(d.name, []) if (p.kind == "direct" if task == "direct" else bool(p.speaker))]
        n_pred += len(ps)
        n_gold += len(golds)
        gchars = [_chars(d.text, g.content) for g in golds]
        pchars = [_chars(d.text, p.content) for p in ps]
        pairs = []
        for gi, gc in enumerate(gchars):
            if not gc:
                continue
            for pi, pc in enumerate(pchars):
                cov = len(gc & pc) / len(gc)
                if cov >= threshold:
                    pairs.append((cov, gi, pi))
        pairs.sort(key=lambda x: -x[0])
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _cov, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            tp += 1
            g, p = golds[gi], ps[pi]
            if g.source:
                sp_n += 1
                gs = _chars(d.text, g.source)
                ps_chars = _chars(d.text, p.speaker)
                if gs & ps_chars or _same_entity(g.source_text, p.speaker_name):
                    sp_ok += 1
                elif errors is not None:
                    errors.append(
                        {
                            "article": d.name,
                            "content": " ".join(d.text[s:e] for s, e in g.content)[:300],
                            "gold_source": g.source_text,
                            "predicted": " ".join(d.text[s:e] for s, e in p.speaker),
                            "predicted_name": p.speaker_name,
                        }
                    )
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "precision": round(prec, 4),
        "recall": round(rec, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(sp_ok / sp_n, 4) if sp_n else 0.0,
        "speaker_right": sp_ok,
        "speaker_scored": sp_n,  # matched quotes whose gold has a source
        "matched": tp,
        "predicted": n_pred,
        "gold": n_gold,
    }


# -- systems ----------------------------------------------------------------------------
def storyline_preds(article_layers: dict[str, Any]) -> list[Pred]:
    """Our quotes as predictions; a quote that ``continues`` the one before (same speaker,
    no reporting clause of its own) joins it, as PolNeAR annotates one attribution per
    reporting clause with a discontinuous content."""
    out: list[Pred] = []
    for q in article_layers.get("quotes") or []:
        sp = q.get("speaker") or {}
        speaker = [(sp["start"], sp["end"])] if sp.get("start") is not None else []
        if q.get("continues") and out:
            out[-1].content.append((q["start"], q["end"]))
            continue
        out.append(Pred([(q["start"], q["end"])], speaker, q["kind"], sp.get("name")))
    return out


def textacy_preds(sdoc: Any) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(sdoc))
    except Exception:  # textacy raises on some unbalanced quote marks; count as no output
        return []
    for t in triples:
        content = [(t.content.start_char, t.content.end_char)]
        speaker = [(tok.idx, tok.idx + len(tok.text)) for tok in t.speaker]
        name = " ".join(tok.text for tok in t.speaker)
        out.append(Pred(content, speaker, "direct", name))
    return out


def run_eval(split_dir: Path, limit: int | None, with_textacy: bool) -> dict[str, Any]:
    from storyline.model import RawDoc
    from storyline.pipeline import process
    from storyline.settings import load_settings

    settings = load_settings()
    docs = load_polnear(split_dir, limit)
    ours: dict[str, list[Pred]] = {}
    ref: dict[str, list[Pred]] = {}
    t_ours = t_ref = 0.0
    textacy_error = None
    if with_textacy:
        try:
            import textacy  # noqa: F401
        except ImportError as exc:
            textacy_error = f"textacy not importable: {exc}"
            with_textacy = False
    for d in docs:
        doc = process(RawDoc(source=d.name, text=d.text), settings, skip=["extract", "clean", "signature"])
        ours[d.name] = storyline_preds(doc.article.layers)
        if with_textacy:
            t0 = time.perf_counter()
            ref[d.name] = textacy_preds(doc.spacy)
            t_ref += time.perf_counter() - t0
        # time the quote stage alone on the same parse
        from storyline.stages.quotes import extract_quotes

        t0 = time.perf_counter()
        extract_quotes(doc.article.text, doc.spacy, doc.article.layers)
        t_ours += time.perf_counter() - t0
    report: dict[str, Any] = {
        "split": str(split_dir),
        "articles": len(docs),
        "storyline": {},
        "textacy": {} if with_textacy else None,
        "seconds": {"storyline_quotes": round(t_ours, 3), "textacy": round(t_ref, 3) if with_textacy else None},
    }
    if textacy_error:
        report["textacy_error"] = textacy_error
    errors: list[dict[str, Any]] = []
    report["speaker_errors"] = errors  # direct quotes at 30%, for --speaker-errors
    for task in ("direct", "sourced"):
        for thr in (0.3, 0.8):
            key = f"{task}@{thr}"
            report["storyline"][key] = score(docs, ours, task, thr, errors if key == "direct@0.3" else None)
            if with_textacy:
                report["textacy"][key] = score(docs, ref, task, thr)
    return report


def _print(report: dict[str, Any]) -> None:
    click.echo(f"PolNeAR {report['split']}: {report['articles']} articles")
    head = f"{'task':<16}{'system':<11}{'P':>7}{'R':>7}{'F1':>7}{'spk':>7}{'match':>7}{'pred':>7}{'gold':>7}"
    click.echo(head)
    for key in report["storyline"]:
        for system in ("storyline", "textacy"):
            if not report.get(system):
                continue
            r = report[system][key]
            click.echo(
                f"{key:<16}{system:<11}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
                f"{r['speaker_accuracy']:>7.3f}{r['matched']:>7}{r['predicted']:>7}{r['gold']:>7}"
            )
    click.echo(f"seconds: {report['seconds']}")
    if report.get("textacy_error"):
        click.echo(report["textacy_error"])


@click.command("quotes")
@click.option("--split", default="dev", show_default=True, help="PolNeAR split folder (train, dev)")
@click.option("--limit", type=int, default=None, help="only the first N articles")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--textacy/--no-textacy", "with_textacy", default=True, show_default=True)
@click.option("--min-direct-f1", type=float, default=0.0, help="exit non-zero when direct-quote F1 (30%) is lower")
@click.option("--min-direct-speaker", type=float, default=0.0, help="floor on direct-quote speaker accuracy")
@click.option("--min-sourced-f1", type=float, default=0.0, help="floor on F1 over all attributions with a source")
@click.option(
    "--speaker-errors",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="write the direct quotes with a wrong speaker here (JSON lines; use on train)",
)
def command(
    split: str,
    limit: int | None,
    as_json: bool,
    with_textacy: bool,
    min_direct_f1: float,
    min_direct_speaker: float,
    min_sourced_f1: float,
    speaker_errors: str | None,
) -> None:
    """Quotations and speakers on PolNeAR (Gender Gap Tracker scoring), beside textacy."""
    from storyline.eval import gold_path

    try:
        split_dir = gold_path("quotes", "polnear", split)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    if not (split_dir / "text").is_dir():
        raise click.ClickException(str(StorylineError(E.NO_GOLD, task="quotes", path=str(split_dir / "text"))))
    report = run_eval(split_dir, limit, with_textacy)
    errors = report.pop("speaker_errors", [])
    if speaker_errors:
        with open(speaker_errors, "w", encoding="utf-8") as f:
            for err in errors:
                f.write(json.dumps(err, ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print(report)
    ours = report["storyline"]
    failures = []
    if ours["direct@0.3"]["f1"] < min_direct_f1:
        failures.append(f"direct F1 {ours['direct@0.3']['f1']} < {min_direct_f1}")
    if ours["direct@0.3"]["speaker_accuracy"] < min_direct_speaker:
        failures.append(f"direct speaker accuracy {ours['direct@0.3']['speaker_accuracy']} < {min_direct_speaker}")
    if ours["sourced@0.3"]["f1"] < min_sourced_f1:
        failures.append(f"sourced F1 {ours['sourced@0.3']['f1']} < {min_sourced_f1}")
    if failures:
        click.echo("below floor: " + "; ".join(failures), err=True)
        sys.exit(1)
