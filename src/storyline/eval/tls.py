"""``storyline eval tls``: timeline summarisation on Timeline17, the standard setting.

For each gold timeline of a topic: as many dates as it has, as many sentences per date
as its mean (rounded), the topic keywords as the query, its first and last dates as
bounds, and as input only the articles published between those dates (news-tls
``get_input_time_span`` with no extension, as for Timeline17).  Metrics as tilse computes
them (``storyline.eval.rouge``): alignment-based ROUGE-1 / ROUGE-2 (``align+ m:1``) and
date F1.  Averaged over timelines as news-tls does (``get_average_results``): precision and
recall are averaged, and F is taken from the averages; the mean of per-timeline F is
reported beside it (``mean_f``).

Sentence dates come from ``storyline.stages.time.annotate_dates`` when the time stage is
installed (relative expressions resolved against the ``articles.csv`` publication date;
a line takes its first day-precision expression, a time of day counting for its day; a
month or year is never spread to a day: such a line keeps its article's date), else from
the small regex FALLBACK tagger below (absolute dates, weekday names and yesterday/today
resolved against the publication date), which is an evaluation-only stand-in and says so
in the output (``date_tagger``).

Tuning used egypt, finan and h1n1 only; haiti, iraq and syria are held out.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import numpy as np

from storyline.eval import gold_path
from storyline.eval.rouge import align_m1, concat_rouge, date_f1, f_score
from storyline.temporal.lexicon import MONTHS
from storyline.timeline import NAMED, DatedSentence, DateScorer, TimelineParams, select_timeline

QUERIES: dict[str, str] = {
    "egypt": "Egypt Egyptian Mubarak",
    "finan": "financial crisis bank economy",
    "h1n1": "H1N1 swine flu",
    "haiti": "Haiti earthquake",
    "iraq": "Iraq Iraqi",
    "syria": "Syria Syrian Assad",
}
TUNE_TOPICS = ("egypt", "finan", "h1n1")
# A reference run in the same command, on the same sentences and dates: news-tls DATEWISE
# as published in its unsupervised form (MentionCount date ranking: every sentence naming a
# day counts once; PM-Mean candidates from the first lead sentences; CentroidOpt; summary
# sentences must use a query keyword; evidence from every article published within the
# timeline's span).  Its published figures used HeidelTime dates and a date ranker trained
# on the other topics; this one uses storyline's dates, so it measures the method, not the paper.
REFERENCE_PARAMS = TimelineParams(
    per_article=False,
    w_published=0.0,
    w_mention_other_day=0.0,
    w_same_day=1.0,
    precision_weight={"day": 1.0},
    published_in_bounds=True,
    query_in_summary=True,
    query_articles=False,
    lead_sentences=6,
)
HELDOUT_TOPICS = ("haiti", "iraq", "syria")


# -- gold -----------------------------------------------------------------------------------


def read_tilse_timeline(path: Path) -> dict[date, list[str]]:
    """A tilse-format timeline: a date line, one sentence a line, a line of dashes."""
    tl: dict[date, list[str]] = {}
    cur: date | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        s = line.strip()
        if not s:
            continue
        if set(s) == {"-"} and len(s) >= 5:
            cur = None
            continue
        if cur is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            cur = date.fromisoformat(s)
            tl.setdefault(cur, [])
            continue
        if cur is not None:
            tl[cur].append(s)
    return {d: v for d, v in tl.items() if v}


def read_articles(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    out = []
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.DictReader(f):
            out.append((row["date"].strip()[:10], row["text"]))
            if limit and len(out) >= limit:
                break
    return out


# -- FALLBACK date tagger (evaluation only; the time stage replaces it when present) --------

_MONTHS = MONTHS
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_RX_MDY = re.compile(_MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{4}))?", re.I)
_RX_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:\s*,?\s*(\d{4}))?", re.I)
_RX_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RX_REL = re.compile(r"\b(yesterday|today|tonight|last night|" + "|".join(_WEEKDAYS) + r")\b", re.I)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def fallback_sentence_date(text: str, pub: date | None) -> date | None:
    """FALLBACK: the first day-precision date a sentence names, resolved against ``pub``."""
    found: list[tuple[int, date]] = []
    for rx, order in ((_RX_MDY, "md"), (_RX_DMY, "dm")):
        for m in rx.finditer(text):
            if order == "md":
                mon, day, yr = _MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)), m.group(3)
            else:
                day, mon, yr = int(m.group(1)), _MONTHS[m.group(2).lower().rstrip(".")], m.group(3)
            if yr:
                d = _mk(int(yr), mon, day)
            elif pub:
                d = _mk(pub.year, mon, day)
                if d and (d - pub).days > 31:
                    d = _mk(pub.year - 1, mon, day)
            else:
                d = None
            if d:
                found.append((m.start(), d))
    for m in _RX_ISO.finditer(text):
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    if not found and pub:
        for m in _RX_REL.finditer(text):
            w = m.group(1).lower()
            if w in ("today", "tonight"):
                found.append((m.start(), pub))
            elif w in ("yesterday", "last night"):
                found.append((m.start(), pub - timedelta(days=1)))
            else:
                back = (pub.weekday() - _WEEKDAYS.index(w)) % 7
                found.append((m.start(), pub - timedelta(days=back)))
            break
    if not found:
        return None
    return min(found, key=lambda x: x[0])[1]


def _time_stage() -> Any:
    try:
        from storyline.stages.time import annotate_dates  # type: ignore[attr-defined]
    except Exception:
        return None
    return annotate_dates


_DAY_VALUE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:$|T)")


def _line_dates(timexes: list[dict[str, Any]], lines: list[tuple[int, int]]) -> list[str | None]:
    """Per line, the first day-precision timex value the time stage finds in it.

    A time of day counts for its day ("last night": ``2011-03-25TNI``); a month, week or
    year does not (it is no evidence for any one day of it).
    """
    out: list[str | None] = [None] * len(lines)
    for t in sorted(timexes, key=lambda t: t["start"]):
        if t.get("type") not in (None, "DATE", "TIME"):
            continue
        m = _DAY_VALUE.match(str(t.get("value") or ""))
        if m is None:
            continue
        v = m.group(1)
        for k, (a, b) in enumerate(lines):
            if a <= t["start"] < b:
                if out[k] is None:
                    out[k] = v
                break
    return out


@dataclass
class Topic:
    name: str
    sentences: list[DatedSentence]
    n_articles: int
    tagger: str


def load_topic(folder: Path, limit_articles: int | None = None, use_time_stage: bool = True) -> Topic:
    annotate = _time_stage() if use_time_stage else None
    arts = read_articles(folder / "articles.csv", limit_articles)
    annotated: list[tuple[str, str, list[dict[str, Any]] | None]] = []
    for pub_s, text in arts:
        timexes: list[dict[str, Any]] | None = None
        if annotate is not None:
            try:
                timexes, _ = annotate(text, pub_s)
            except Exception:
                timexes = []
        annotated.append((pub_s, text, timexes))
    return topic_from_annotated(folder.name, annotated)


def topic_from_annotated(name: str, annotated: list[tuple[str, str, list[dict[str, Any]] | None]]) -> Topic:
    """The topic's dated sentences from ``(published, text, timexes)`` per article; one
    sentence a line (Timeline17 is sentence-split); ``timexes`` None: the FALLBACK tagger."""
    sents: list[DatedSentence] = []
    tagger = "fallback-regex"
    for ai, (pub_s, text, timexes) in enumerate(annotated):
        try:
            pub = date.fromisoformat(pub_s)
        except ValueError:
            continue
        aid = f"{name}-{ai}"
        lines = []
        pos = 0
        for line in text.split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        dated: list[str | None] = [None] * len(lines)
        if timexes is not None:
            tagger = "time-stage"
            dated = _line_dates(timexes, lines)
        for k, (a, b) in enumerate(lines):
            s = text[a:b].strip()
            if not s:
                continue
            if timexes is None:
                d = fallback_sentence_date(s, pub)
                dv = d.isoformat() if d else None
            else:
                dv = dated[k]
            sents.append(
                DatedSentence(
                    text=s,
                    date=dv or pub_s,
                    published=pub_s,
                    article=aid,
                    start=a,
                    end=b,
                    source="timex" if dv else "published",
                    position=k,
                )
            )
    return Topic(name, sents, len(annotated), tagger)


def run_timeline(
    topic: Topic,
    gold: dict[date, list[str]],
    params: TimelineParams | None = None,
    date_scorer: DateScorer | None = None,
) -> dict[str, Any]:
    dates = sorted(gold)
    n_dates = len(dates)
    per_date = max(1, round(sum(len(v) for v in gold.values()) / max(1, n_dates)))
    lo, hi = dates[0].isoformat(), dates[-1].isoformat()
    # the standard input: articles published within the timeline's span
    sentences = [s for s in topic.sentences if s.published and lo <= s.published[:10] <= hi]
    t0 = time.perf_counter()
    entries = select_timeline(
        sentences,
        query=QUERIES.get(topic.name, topic.name),
        max_dates=n_dates,
        per_date=per_date,
        date_from=lo,
        date_to=hi,
        params=params,
        day_precision_only=True,
        date_scorer=date_scorer,
    )
    secs = time.perf_counter() - t0
    pred = {date.fromisoformat(e.date): [s["text"] for s in e.sentences] for e in entries}
    al = align_m1(pred, gold)
    cc = concat_rouge(pred, gold)
    df = date_f1(pred, gold)
    return {
        "dates": n_dates,
        "per_date": per_date,
        "predicted_dates": len(pred),
        "rouge_1": al["rouge_1"]["f_score"],
        "rouge_2": al["rouge_2"]["f_score"],
        "concat_rouge_1": cc["rouge_1"]["f_score"],
        "concat_rouge_2": cc["rouge_2"]["f_score"],
        "date_f1": df["f_score"],
        "prf": {
            "rouge_1": [al["rouge_1"]["precision"], al["rouge_1"]["recall"]],
            "rouge_2": [al["rouge_2"]["precision"], al["rouge_2"]["recall"]],
            "date_f1": [df["precision"], df["recall"]],
            "concat_rouge_1": [cc["rouge_1"]["precision"], cc["rouge_1"]["recall"]],
            "concat_rouge_2": [cc["rouge_2"]["precision"], cc["rouge_2"]["recall"]],
        },
        "seconds": secs,
        "timeline": {d.isoformat(): v for d, v in sorted(pred.items())},
    }


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


# -- news-tls DATEWISE supervised date ranker (reference only) --------------------------------
#
# news-tls ``SupervisedDateRanker``: per date mentioned at day precision, the number of
# sentences and of articles naming it (in all, written before it, written after it; and
# ``docs_published``, which news-tls declares but never counts, so it stays 0), each column
# L2-normalised within the collection, scored by a linear regression trained on the other
# topics (its ``key_to_model`` holds one model per left-out topic).  news-tls ships the
# trained models, not the training code; here the target is 1 for a gold date and 0 for
# another date with evidence, fitted by least squares on every timeline of the other topics.

DATEWISE_FEATURES = (
    "sents_total", "sents_before", "sents_after", "docs_total", "docs_before", "docs_after", "docs_published",
)


def datewise_features(sentences: Sequence[DatedSentence], idx: list[int]) -> dict[str, list[float]]:
    """news-tls date statistics over the evidence sentences, before normalisation."""
    stats: dict[str, dict[str, float]] = {}
    docs: dict[str, dict[str, set[str]]] = {}
    for i in idx:
        s = sentences[i]
        if s.source not in NAMED or len(s.date) != 10 or not s.published:
            continue
        rel = "before" if s.date < s.published[:10] else "after" if s.date > s.published[:10] else "same"
        st = stats.setdefault(s.date, dict.fromkeys(DATEWISE_FEATURES, 0.0))
        st["sents_total"] += 1
        if rel != "same":
            st["sents_" + rel] += 1
        dd = docs.setdefault(s.date, {"total": set(), "before": set(), "after": set()})
        dd["total"].add(s.article)
        if rel != "same":
            dd[rel].add(s.article)
    for d, dd in docs.items():
        for k, arts in dd.items():
            stats[d]["docs_" + k] = float(len(arts))
    return {d: [st[k] for k in DATEWISE_FEATURES] for d, st in stats.items()}


def _normalised(feats: dict[str, list[float]]) -> tuple[list[str], np.ndarray]:
    dates = sorted(feats)
    x = np.array([feats[d] for d in dates], dtype=float).reshape(len(dates), len(DATEWISE_FEATURES))
    norms = np.linalg.norm(x, axis=0)
    norms[norms == 0] = 1.0
    return dates, x / norms


def fit_datewise(examples: list[tuple[dict[str, list[float]], set[str]]]) -> np.ndarray:
    """Least-squares weights (last one the intercept) from (features, gold dates) pairs."""
    xs, ys = [], []
    for feats, gold in examples:
        dates, x = _normalised(feats)
        xs.append(x)
        ys.append(np.array([1.0 if d in gold else 0.0 for d in dates]))
    x = np.vstack(xs)
    x = np.hstack([x, np.ones((len(x), 1))])
    w, *_ = np.linalg.lstsq(x, np.concatenate(ys), rcond=None)
    return np.asarray(w)


def datewise_scorer(weights: np.ndarray) -> DateScorer:
    def score(sentences: Sequence[DatedSentence], idx: list[int]) -> dict[str, float]:
        feats = datewise_features(sentences, idx)
        if not feats:
            return {}
        dates, x = _normalised(feats)
        y = x @ weights[:-1] + weights[-1]
        return {d: float(v) for d, v in zip(dates, y, strict=True)}

    return score


def _recorder(out: dict[str, list[float]]) -> DateScorer:
    def record(sentences: Sequence[DatedSentence], idx: list[int]) -> dict[str, float]:
        out.update(datewise_features(sentences, idx))
        return {}

    return record


METRIC_KEYS = ("rouge_1", "rouge_2", "date_f1", "concat_rouge_1", "concat_rouge_2")


def aggregate(rs: list[dict[str, Any]], keys: tuple[str, ...] = METRIC_KEYS) -> dict[str, Any]:
    """Figures over timelines as news-tls averages them: F of the averaged precision and
    recall; the mean of the per-timeline F beside it, under ``mean_f``."""
    out: dict[str, Any] = {"timelines": len(rs)}
    for k in keys:
        out[k] = f_score(_mean([r["prf"][k][0] for r in rs]), _mean([r["prf"][k][1] for r in rs]))
    out["mean_f"] = {k: _mean([r[k] for r in rs]) for k in keys}
    return out


def evaluate(
    topics: list[str] | None = None,
    limit: int | None = None,
    limit_articles: int | None = None,
    params: TimelineParams | None = None,
    keep_timelines: bool = False,
    reference: bool = True,
) -> dict[str, Any]:
    root = gold_path("tls", "tls", "t17")
    names = topics or sorted(p.name for p in root.iterdir() if p.is_dir())
    rows: list[dict[str, Any]] = []
    tagger = None
    # every topic is loaded first: the supervised reference is trained on the other topics
    runs: list[tuple[Topic, Path, dict[date, list[str]], float]] = []
    for name in names:
        folder = root / name
        gold_files = sorted((folder / "gold").glob("*.txt"))
        if not gold_files:
            continue
        t0 = time.perf_counter()
        topic = load_topic(folder, limit_articles)
        load_s = time.perf_counter() - t0
        tagger = topic.tagger
        for gf in gold_files:
            if not (limit and len(runs) >= limit):
                runs.append((topic, gf, read_tilse_timeline(gf), load_s))
    refs: dict[str, list[dict[str, Any]]] = {"mention_count": [], "supervised": []}
    examples: list[tuple[str, dict[str, list[float]], set[str]]] = []
    if reference:
        for topic, _gf, gold, _ in runs:
            feats: dict[str, list[float]] = {}
            run_timeline(topic, gold, REFERENCE_PARAMS, date_scorer=_recorder(feats))
            examples.append((topic.name, feats, {d.isoformat() for d in gold}))
    for topic, gf, gold, load_s in runs:
        split = "heldout" if topic.name in HELDOUT_TOPICS else "tune"
        r = run_timeline(topic, gold, params)
        r.update(topic=topic.name, timeline_file=gf.name, articles=topic.n_articles, load_seconds=load_s, split=split)
        if not keep_timelines:
            r.pop("timeline")
        rows.append(r)
        if not reference:
            continue
        rr = run_timeline(topic, gold, REFERENCE_PARAMS)
        rr.pop("timeline")
        rr.update(topic=topic.name, timeline_file=gf.name, split=split)
        refs["mention_count"].append(rr)
        others = [(f, g) for name, f, g in examples if name != topic.name and f]
        if others:
            rs = run_timeline(topic, gold, REFERENCE_PARAMS, date_scorer=datewise_scorer(fit_datewise(others)))
            rs.pop("timeline")
            rs.update(topic=topic.name, timeline_file=gf.name, split=split)
            refs["supervised"].append(rs)

    def block(method: str, rs: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not rs:
            return None
        return {
            "method": method,
            "all": aggregate(rs),
            "heldout": aggregate([r for r in rs if r["split"] == "heldout"]),
            "tune": aggregate([r for r in rs if r["split"] == "tune"]),
        }

    return {
        "task": "tls",
        "dataset": "timeline17",
        "metric": "tilse align+ m:1 ROUGE-1/2 F1, date F1; F of precision and recall averaged over timelines (news-tls)",
        "date_tagger": tagger,
        "tune_topics": list(TUNE_TOPICS),
        "heldout_topics": list(HELDOUT_TOPICS),
        "all": aggregate(rows),
        "heldout": aggregate([r for r in rows if r["split"] == "heldout"]),
        "tune": aggregate([r for r in rows if r["split"] == "tune"]),
        "reference": {"news-tls DATEWISE": {"rouge_1": 0.120, "rouge_2": 0.035, "date_f1": 0.544}},
        "reference_run": block(
            "news-tls DATEWISE, unsupervised MentionCount ranking, on storyline's dates", refs["mention_count"]
        ),
        "reference_run_supervised": block(
            "news-tls DATEWISE with its supervised date ranker, trained on the other topics of this run"
            " (leave one topic out), on storyline's dates",
            refs["supervised"],
        ),
        "timelines": rows,
    }


def _iter_rows(res: dict[str, Any]) -> Iterator[str]:
    for r in res["timelines"]:
        yield (
            f"  {r['topic']:6s} {r['timeline_file']:12s} {r['split']:7s} dates={r['dates']:3d} k={r['per_date']} "
            f"R1={r['rouge_1']:.3f} R2={r['rouge_2']:.3f} dateF1={r['date_f1']:.3f} ({r['seconds']:.1f}s)"
        )


@click.command("tls")
@click.option("--topics", default=None, help="Comma-separated topics (default: all six).")
@click.option(
    "--split", type=click.Choice(["all", "heldout", "tune"]), default="all", show_default=True, help="Which topics."
)
@click.option("--limit", type=int, default=None, help="Evaluate at most N timelines.")
@click.option("--limit-articles", type=int, default=None, help="Read at most N articles a topic (quick runs).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--min-rouge1", type=float, default=0.093, show_default=True, help="Fail below this ROUGE-1 F (held-out topics when run, else all).")
@click.option("--min-rouge2", type=float, default=0.029, show_default=True, help="Fail below this ROUGE-2 F (held-out topics when run, else all).")
@click.option("--min-date-f1", type=float, default=0.40, show_default=True, help="Fail below this date F1 (held-out topics when run, else all).")
def command(
    topics: str | None,
    split: str,
    limit: int | None,
    limit_articles: int | None,
    as_json: bool,
    min_rouge1: float,
    min_rouge2: float,
    min_date_f1: float,
) -> None:
    """Timeline17: alignment ROUGE (align+ m:1) and date F1, standard setting."""
    names = [t.strip() for t in topics.split(",")] if topics else None
    if names is None and split != "all":
        names = list(HELDOUT_TOPICS if split == "heldout" else TUNE_TOPICS)
    res = evaluate(names, limit=limit, limit_articles=limit_articles)
    # floors apply to the held-out topics when they were run, else to everything run
    judged = res["heldout"] if res["heldout"]["timelines"] else res["all"]
    if as_json:
        click.echo(json.dumps(res, indent=2))
    else:
        click.echo(f"Timeline17 ({res['date_tagger']} dates)")
        for line in _iter_rows(res):
            click.echo(line)
        blocks = (
            (res, None),
            (res.get("reference_run") or {}, "same run, news-tls DATEWISE (MentionCount ranking):"),
            (res.get("reference_run_supervised") or {}, "same run, news-tls DATEWISE (supervised ranking, other topics):"),
        )
        for blk, label in blocks:
            for k in ("tune", "heldout", "all"):
                a = blk.get(k)
                if a and a["timelines"]:
                    head = label or f"timelines={a['timelines']:2d}"
                    click.echo(
                        f"{k:8s} {head} ROUGE-1 F={a['rouge_1']:.3f} "
                        f"ROUGE-2 F={a['rouge_2']:.3f} date F1={a['date_f1']:.3f}"
                    )
        click.echo("published news-tls DATEWISE (all 9 Timeline17 topics, HeidelTime dates): ROUGE-1 0.120, ROUGE-2 0.035, date F1 0.544")
    failed = [
        f"{name} {judged[key]:.3f} < {floor}"
        for name, key, floor in (
            ("ROUGE-1", "rouge_1", min_rouge1),
            ("ROUGE-2", "rouge_2", min_rouge2),
            ("date F1", "date_f1", min_date_f1),
        )
        if judged[key] < floor
    ]
    if failed:
        click.echo("below floor: " + "; ".join(failed), err=True)
        sys.exit(1)
