"""``storyline eval extraction`` and ``storyline eval clean``.

Both use the article-extraction-benchmark (Zyte) pages in ``extraction/zyte-aeb`` and
its own scoring: word 4-gram shingles (``\\w+`` tokens) of the predicted and gold body,
per page TP/FP/FN normalised to sum 1, precision and recall averaged over pages, F1
from the averages (as in the benchmark's ``evaluate.py``).

* ``extraction``: main text from the HTML, storyline's extractor beside plain
  trafilatura (default settings, and without comments) run in the same command.
* ``clean``: each page is rendered whole to flattened text (navigation, sidebars,
  footer, comments included; one block a line), then cleaned by the text cleaner and
  scored against the same gold body.  The untouched rendering is scored too.

Pages are split by their position in the sorted id list: the cleaner's and
extractor's thresholds were tuned looking at the even positions only, so the
``odd`` split is held out; figures are printed for even, odd and all.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import click

from storyline.errors import StorylineError

PUBLISHED = {"trafilatura 2.0": 0.958, "newspaper4k": 0.949, "readability": 0.947}

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

TpFpFn = tuple[float, float, float]


# ------------------------------------------------------------------------------ scoring
def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(true: str, pred: str, n: int = 4) -> TpFpFn:
    """The benchmark's per-page TP/FP/FN over word n-gram shingles, normalised to sum 1."""
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def prf(rows: Iterable[TpFpFn]) -> dict[str, float]:
    """Precision and recall averaged over pages; F1 from the averages."""
    rows = list(rows)
    ps = [_precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "pages": len(rows)}


# ------------------------------------------------------------------------------- data
def load_pages(limit: int | None = None) -> list[dict[str, str]]:
    """The benchmark pages: [{id, url, html, gold}] in sorted id order."""
    from storyline.eval import gold_path

    base = gold_path("extraction", "extraction", "zyte-aeb")
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[dict[str, str]] = []
    for i, key in enumerate(sorted(truth)):
        if limit is not None and len(pages) >= limit:
            break
        path = base / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append(
            {
                "id": key,
                "pos": str(i),
                "url": truth[key].get("url") or "",
                "html": html,
                "gold": truth[key].get("articleBody") or "",
            }
        )
    return pages


# ----------------------------------------------------------------------- page -> text
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "head",
    "object",
    "embed",
    "select",
    "math",
}
_PARA = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "table",
    "ul",
    "ol",
    "dl",
    "form",
    "pre",
    "hr",
}
_LINE = {
    "div",
    "li",
    "tr",
    "br",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "address",
    "button",
    "label",
    "summary",
    "details",
    "fieldset",
    "legend",
    "option",
    "time",
}


def render_page_text(html: str) -> str:
    """The whole page as flattened text, the way it reads when copied out of a browser.

    Navigation, sidebars, footer and comments are kept; paragraphs and headings are
    separated by blank lines, other blocks (list items, divs, rows) by a line break.
    """
    from lxml import etree
    from lxml import html as lhtml

    try:
        root = lhtml.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    out: list[str] = []

    def brk(s: str) -> None:
        out.append(s)

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _DROP or not isinstance(el.tag, str):
            if el.tail:
                out.append(el.tail)
            return
        if tag in _PARA:
            brk("\n\n")
        elif tag in _LINE:
            brk("\n")
        elif tag in {"td", "th"}:
            out.append(" ")
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
        if tag in _PARA:
            brk("\n\n")
        elif tag in _LINE and tag != "br":
            brk("\n")
        if el.tail:
            out.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    text = "".join(out)
    lines = []
    for chunk in re.split(r"(\n+)", text):
        if chunk.startswith("\n"):
            lines.append("\n\n" if chunk.count("\n") >= 2 else "\n")
        else:
            lines.append(re.sub(r"[ \t\r\f\v\u00a0]+", " ", chunk).strip())
    text = "".join(lines)
    text = re.sub(r"\n[ ]*\n(?:[ ]*\n)+", "\n\n", text)
    return text.strip()


# ----------------------------------------------------------------------------- report
def _splits(rows: list[tuple[int, TpFpFn]]) -> dict[str, dict[str, float]]:
    return {
        "even (tuning)": prf(r for i, r in rows if i % 2 == 0),
        "odd (held out)": prf(r for i, r in rows if i % 2 == 1),
        "all": prf(r for _, r in rows),
    }


def _run(pages: list[dict[str, str]], fn: Callable[[dict[str, str]], str]) -> tuple[dict[str, Any], float]:
    rows: list[tuple[int, TpFpFn]] = []
    t0 = time.perf_counter()
    for page in pages:
        rows.append((int(page["pos"]), shingle_match(page["gold"], fn(page))))
    return _splits(rows), time.perf_counter() - t0


def _print_table(title: str, systems: dict[str, dict[str, Any]], published: dict[str, float]) -> None:
    click.echo(title)
    click.echo(f"{'system':<34} {'split':<15} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6} {'time':>7}")
    for name, res in systems.items():
        for split, m in res["splits"].items():
            click.echo(
                f"{name:<34} {split:<15} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['pages']:6d} "
                f"{res['seconds']:6.1f}s"
            )
    for name, f1 in published.items():
        click.echo(f"{name + ' (published)':<34} {'all':<15} {'':>6} {'':>6} {f1:6.3f}")


def _gate(value: float, floor: float | None, label: str) -> list[str]:
    return [f"{label} {value:.4f} < floor {floor}"] if floor is not None and value < floor else []


def _load(limit: int | None) -> list[dict[str, str]]:
    try:
        return load_pages(limit)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("extraction")
@click.option("--limit", type=int, default=None, help="Only the first N pages (quick runs).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--min-f1", type=float, default=0.965, show_default=True, help="Exit non-zero if F1 (all pages) is below."
)
@click.option("--min-precision", type=float, default=0.955, show_default=True)
@click.option("--no-baselines", is_flag=True, help="Do not run plain trafilatura beside storyline.")
def command_extraction(
    limit: int | None, as_json: bool, min_f1: float, min_precision: float, no_baselines: bool
) -> None:
    """Main-text extraction from HTML on the Zyte article-extraction-benchmark pages."""
    import trafilatura

    from storyline.stages.extract import extract_html

    pages = _load(limit)
    systems: dict[str, dict[str, Any]] = {}
    splits, secs = _run(pages, lambda p: extract_html(p["html"], url=p["url"]).text)
    systems["storyline extract"] = {"splits": splits, "seconds": secs}
    if not no_baselines:
        for name, kw in (("trafilatura (default)", {}), ("trafilatura (no comments)", {"include_comments": False})):
            splits, secs = _run(pages, lambda p, kw=kw: trafilatura.extract(p["html"], url=p["url"], **kw) or "")  # type: ignore[misc]
            systems[f"{name} {trafilatura.__version__}"] = {"splits": splits, "seconds": secs}
    _finish("extraction", systems, PUBLISHED, as_json, "storyline extract", min_f1, min_precision)


@click.command("clean")
@click.option("--limit", type=int, default=None, help="Only the first N pages (quick runs).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--min-f1", type=float, default=0.955, show_default=True, help="Exit non-zero if F1 (all pages) is below."
)
@click.option("--min-precision", type=float, default=0.961, show_default=True)
def command_clean(limit: int | None, as_json: bool, min_f1: float, min_precision: float) -> None:
    """The text cleaner on whole pages flattened to text (Zyte benchmark pages, gold bodies)."""
    from storyline.stages.clean import clean_text

    pages = _load(limit)
    rendered = {p["id"]: render_page_text(p["html"]) for p in pages}
    titles: dict[str, str | None] = {}

    def cleaned(p: dict[str, str]) -> str:
        res = clean_text(rendered[p["id"]])
        titles[p["id"]] = res.title
        return res.text

    systems: dict[str, dict[str, Any]] = {}
    splits, secs = _run(pages, cleaned)
    systems["storyline clean_text"] = {"splits": splits, "seconds": secs}
    splits, secs = _run(pages, lambda p: rendered[p["id"]])
    systems["flattened page, uncleaned"] = {"splits": splits, "seconds": secs}
    extra = {"titles": title_agreement(pages, titles)}
    _finish("clean", systems, {}, as_json, "storyline clean_text", min_f1, min_precision, extra)


def title_agreement(pages: list[dict[str, str]], titles: dict[str, str | None]) -> dict[str, float]:
    """How often the cleaner found a title line, and how often it is the page's own title.

    The page's title is any of og:title, <title> and <h1> (compared on line keys; the
    found title may be contained in a longer <title> "Headline | Site").
    """
    from lxml import html as lhtml

    from storyline.stages.clean import line_key

    found = agree = 0
    for p in pages:
        title = titles.get(p["id"])
        if not title:
            continue
        found += 1
        try:
            doc = lhtml.document_fromstring(p["html"])
        except Exception:  # an unparsable page counts as a disagreement
            continue
        cands = doc.xpath('//meta[@property="og:title"]/@content') + doc.xpath("//title/text()")
        cands += ["".join(h.itertext()) for h in doc.xpath("//h1")]
        key = line_key(title)
        if any(key == line_key(c) or (len(key) > 15 and key in line_key(c)) for c in cands):
            agree += 1
    return {
        "found": found / (len(pages) or 1),
        "agrees_with_page_title": agree / found if found else 0.0,
        "pages": len(pages),
    }


def _finish(
    task: str,
    systems: dict[str, dict[str, Any]],
    published: dict[str, float],
    as_json: bool,
    main: str,
    min_f1: float,
    min_precision: float,
    extra: dict[str, Any] | None = None,
) -> None:
    overall = systems[main]["splits"]["all"]
    failures = _gate(overall["f1"], min_f1, "F1") + _gate(overall["precision"], min_precision, "precision")
    if as_json:
        payload = {"task": task, "systems": systems, "published": published, "failures": failures, **(extra or {})}
        click.echo(json.dumps(payload, indent=2))
    else:
        _print_table(f"storyline eval {task} (article-extraction-benchmark, shingle scoring)", systems, published)
        if extra and "titles" in extra:
            t = extra["titles"]
            click.echo(
                f"title line found on {t['found']:.1%} of pages; it agrees with the page's og:title/<title>/<h1> "
                f"on {t['agrees_with_page_title']:.1%} of those"
            )
    if failures:
        click.echo("FAILED: " + "; ".join(failures), err=True)
        sys.exit(1)


command = command_extraction

__all__ = ["command", "command_clean", "command_extraction", "load_pages", "prf", "render_page_text", "shingle_match"]
