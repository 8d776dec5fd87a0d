"""``storyline eval pubdate``: publication dates on ``extraction/htmldate-mediacloud``.

Two settings on the same 200 news pages (``gold.json`` {url: {file, date}}; five pages
have no gold date, and there the right answer is to give no day):

* **html**: the page and its URL, as the pipeline sees them
  (:func:`storyline.temporal.html.publication_date`).  Exact-day accuracy, with
  htmldate 1.x run side by side in the same command (extensive and fast modes) as the
  reference, and the time ratio against htmldate's extensive mode.
* **text**: the page stripped to its visible text (no head, meta tags, scripts or
  attributes, no URL; page boilerplate left in, like the seed articles), and the date
  inferred from the text alone (:func:`storyline.temporal.pubdate.infer_publication`).
  Accuracy at day, month and year level over all pages, how many pages get a claim at
  all, and how often a confident (>= 0.9) or any claimed date is wrong.

Note: the HTML rules were written while looking at these pages (there is no separate
split of this set here); the text-inference rules were not tuned on them.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import click

from storyline.eval import gold_path


def load_pages(limit: int | None = None) -> list[dict[str, Any]]:
    root = gold_path("pubdate", "extraction", "htmldate-mediacloud")
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for url, rec in gold.items():
        d = rec.get("date")
        if isinstance(d, float) and math.isnan(d):
            d = None
        pages.append({"url": url, "path": root / "html" / rec["file"], "date": d})
    return pages[:limit] if limit else pages


def _day(value: str | None) -> str | None:
    return value if value and len(value) == 10 else None


def score_html(pages: list[dict[str, Any]], reference: bool = True) -> dict[str, Any]:
    from storyline.temporal.html import htmldate_guess, publication_date

    ok = ref_ok = fast_ok = 0
    t_ours = t_ref = 0.0
    errors = []
    for p in pages:
        html = Path(p["path"]).read_text(encoding="utf-8", errors="replace")
        t0 = time.perf_counter()
        d, conf, _ev = publication_date(html, p["url"])
        t_ours += time.perf_counter() - t0
        ok += _day(d) == p["date"]
        if _day(d) != p["date"]:
            errors.append({"url": p["url"], "gold": p["date"], "predicted": d, "confidence": conf})
        if reference:
            t0 = time.perf_counter()
            ref = htmldate_guess(html, p["url"], extensive=True)
            t_ref += time.perf_counter() - t0
            ref_ok += ref == p["date"]
            fast_ok += htmldate_guess(html, p["url"], extensive=False) == p["date"]
    n = len(pages) or 1
    out: dict[str, Any] = {"pages": len(pages), "accuracy": ok / n, "errors": errors}
    if reference:
        out["htmldate_extensive_accuracy"] = ref_ok / n
        out["htmldate_fast_accuracy"] = fast_ok / n
        out["time_ratio_to_htmldate_extensive"] = t_ours / t_ref if t_ref else None
    return out


def page_text(html: str) -> str:
    """The page stripped to its visible text, one block a line: no head, no meta tags, no
    JSON-LD, no attributes (so no machine-readable dates), boilerplate left in."""
    from storyline.temporal.html import flatten_html

    return flatten_html(html)


def load_polnear(limit: int | None = None) -> list[dict[str, Any]]:
    """English news with known publication dates (PolNeAR train + dev texts, 2016)."""
    import csv

    root = gold_path("pubdate", "polnear")
    dates: dict[str, str] = {}
    with (root / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            dates[row["filename"]] = row["publication_date"]
    docs = []
    for part in ("dev", "train"):
        for path in sorted((root / part / "text").glob("*.txt")):
            d = dates.get(path.stem)
            if d:
                docs.append({"url": path.name, "text_path": path, "date": d})
    return docs[:limit] if limit else docs


def score_text(pages: list[dict[str, Any]]) -> dict[str, Any]:
    from storyline.temporal.pubdate import infer_publication

    n = len(pages)
    day = month = year = claimed = wrong_claims = confident = confident_wrong = bounds_violated = bounded = 0
    errors = []
    for p in pages:
        if "text_path" in p:
            text = Path(p["text_path"]).read_text(encoding="utf-8", errors="replace")
        else:
            text = page_text(Path(p["path"]).read_text(encoding="utf-8", errors="replace"))
        pub = infer_publication(text)
        g = p["date"]
        d = pub.date
        if g is None:
            ok_day = d is None
            day += ok_day
            month += ok_day
            year += ok_day
        elif d:
            day += d == g
            month += len(d) >= 7 and d[:7] == g[:7]
            year += d[:4] == g[:4]
        if d:
            claimed += 1
            right = g is not None and g.startswith(d)
            if not right:
                wrong_claims += 1
                errors.append({"url": p["url"], "gold": g, "predicted": d, "precision": pub.precision, "confidence": pub.confidence,
                               "evidence": [e.get("text") for e in pub.evidence][:5]})
            if pub.confidence >= 0.9:
                confident += 1
                confident_wrong += not right
        if pub.earliest:
            bounded += 1
        if g and pub.earliest and pub.earliest > g:
            bounds_violated += 1
    n = n or 1
    return {
        "pages": len(pages),
        "day_accuracy": day / n,
        "month_accuracy": month / n,
        "year_accuracy": year / n,
        "claimed": claimed,
        "claimed_wrong": wrong_claims,
        "confident_claims": confident,
        "confident_wrong": confident_wrong,
        "with_earliest_bound": bounded,
        "earliest_bound_after_gold": bounds_violated,
        "errors": errors,
    }


@click.command("pubdate")
@click.option("--mode", type=click.Choice(["both", "html", "text"]), default="both", show_default=True)
@click.option("--limit", type=int, default=None, help="only the first N pages")
@click.option("--json", "as_json", is_flag=True, help="print the scores as JSON")
@click.option("--errors", "n_errors", type=int, default=0, help="print the first N errors of each mode")
@click.option("--no-reference", is_flag=True, help="skip running htmldate side by side")
@click.option("--english/--no-english", default=True, show_default=True,
              help="also infer dates from the texts of PolNeAR (English news, 2016, dates from its metadata)")
@click.option("--min-accuracy", type=float, default=None, help="exit 1 when HTML exact-day accuracy is below this")
@click.option("--max-confident-wrong", type=int, default=None, help="exit 1 when more text-inferred dates with confidence >= 0.9 are wrong")
def command(mode: str, limit: int | None, as_json: bool, n_errors: int, no_reference: bool, english: bool,
            min_accuracy: float | None, max_confident_wrong: int | None) -> None:
    """Publication dates from HTML (vs htmldate) and inferred from the text alone."""
    pages = load_pages(limit)
    res: dict[str, Any] = {}
    if mode in {"both", "html"}:
        res["html"] = score_html(pages, reference=not no_reference)
    if mode in {"both", "text"}:
        res["text"] = score_text(pages)
    if english:
        res["text_english"] = score_text(load_polnear(limit))
    errs = {k: v.pop("errors") for k, v in res.items()}
    if as_json:
        click.echo(json.dumps(res, indent=2))
    else:
        if "html" in res:
            h = res["html"]
            line = f"html: {h['pages']} pages, exact-day accuracy {h['accuracy']:.3f}"
            if "htmldate_extensive_accuracy" in h:
                line += (f" (htmldate extensive {h['htmldate_extensive_accuracy']:.3f}, fast {h['htmldate_fast_accuracy']:.3f};"
                         f" time {h['time_ratio_to_htmldate_extensive']:.2f}x htmldate extensive)")
            click.echo(line)
        for key in ("text", "text_english"):
            if key not in res:
                continue
            t = res[key]
            label = "text (mediacloud pages stripped to visible text)" if key == "text" else "text (PolNeAR English articles)"
            click.echo(
                f"{label}: {t['pages']} pages, accuracy day {t['day_accuracy']:.3f} month {t['month_accuracy']:.3f} year {t['year_accuracy']:.3f}; "
                f"{t['claimed']} dates claimed, {t['claimed_wrong']} wrong; confident (>=0.9) {t['confident_claims']}, wrong {t['confident_wrong']}; "
                f"earliest bound given for {t['with_earliest_bound']}, after the gold date for {t['earliest_bound_after_gold']}"
            )
    for k, v in errs.items():
        for e in v[:n_errors]:
            click.echo(f"{k}: " + json.dumps(e, ensure_ascii=False))
    failed = []
    if min_accuracy is not None and "html" in res and res["html"]["accuracy"] < min_accuracy:
        failed.append(f"html accuracy {res['html']['accuracy']:.3f} < {min_accuracy}")
    for key in ("text", "text_english"):
        if max_confident_wrong is not None and key in res and res[key]["confident_wrong"] > max_confident_wrong:
            failed.append(f"{key}: confident wrong {res[key]['confident_wrong']} > {max_confident_wrong}")
    if failed:
        click.echo("FAILED: " + "; ".join(failed), err=True)
        sys.exit(1)
