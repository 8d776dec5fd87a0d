"""HTML input: main text and metadata with trafilatura, settings chosen by measurement.

Measured on the article-extraction-benchmark pages (``storyline eval extraction``):
trafilatura with ``include_comments=False, favor_precision=True`` is the most precise
setting; it sometimes drops most of the article, so when its text is less than half as
long as the default (recall-oriented) extraction, the longer one is used.  The text is
then passed through the text cleaner's tail rule, which cuts the related-story lists,
teasers and author boxes trafilatura leaves at the end of a page (only at the end, and
only lines that the cleaner marks as after the article).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import E, StorylineError
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage
from storyline.stages.clean import furniture_only

log = logging.getLogger("storyline")

# Under this share of the default extraction's length, the precise extraction is taken
# to have lost the article (the ratio is not sensitive between 0.3 and 0.6).
_FALLBACK_RATIO = 0.5


@dataclass
class ExtractResult:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    sitename: str | None = None
    language: str | None = None
    url: str | None = None  # canonical URL
    date: str | None = None  # trafilatura/htmldate's date candidate (not a decision)
    description: str | None = None
    method: str = "trafilatura"
    meta: dict[str, Any] = field(default_factory=dict)


def _traf(html: Any, url: str | None, **kw: Any) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, **kw)
    except Exception:  # trafilatura raises a variety of parser errors on broken pages
        log.debug("trafilatura failed", exc_info=True)
        return None


def _doc_text(doc: Any) -> str:
    if doc is None:
        return ""
    return (getattr(doc, "text", None) or "").strip()


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    parts = re.split(r"\s*(?:;|,|\band\b|&|\|)\s*", value)
    return [p.strip() for p in parts if p.strip() and len(p.split()) <= 6]


def trim_tail(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Cut page furniture that trafilatura left at the end of ``text``.

    Only strong evidence counts here (trafilatura already chose the article): from a
    section marker ("Related", "Read more", "Comments"...) that follows the last line the
    cleaner keeps, or the run of boilerplate lines (calls to action, links, template
    residue) that ends the text.
    """
    from storyline.stages.clean import clean_text

    res = clean_text(text)
    if not res.kept:
        return text, []
    last_kept_end = res.kept[-1][1]
    tail = [b for b in res.removed if b["start"] >= last_kept_end]
    start: int | None = None
    for b in tail:
        if b["reason"] == "boilerplate:section":
            start = b["start"]
            break
    if start is None:
        for b in reversed(tail):
            if not b["reason"].startswith("boilerplate:") or len(b["text"]) > 300:
                break
            if start is None and text[b["end"] :].strip():
                break  # the run must reach the end of the text
            start = b["start"]
    if start is None or text[:start].strip() == "":
        return text, []
    return text[:start].rstrip(), [b for b in res.removed if b["start"] >= start]


def extract_html(html: str, url: str | None = None, trim: bool = True) -> ExtractResult:
    """Main text and metadata of an HTML page (text is ``""`` when nothing was found)."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return ExtractResult(text="")
    precise = _traf(tree, url, favor_precision=True)
    tree = load_html(html)  # trafilatura prunes the tree it is given
    broad = _traf(tree, url) if tree is not None else None
    p_text, b_text = _doc_text(precise), _doc_text(broad)
    doc, text, method = precise, p_text, "trafilatura:precision"
    if len(p_text) < _FALLBACK_RATIO * len(b_text):
        doc, text, method = broad, b_text, "trafilatura:default"
    if doc is None:
        doc = broad
    meta: dict[str, Any] = {}
    if trim and text:
        trimmed, cut = trim_tail(text)
        if cut and len(trimmed) >= 0.5 * len(text):
            text = trimmed
            meta["trimmed_tail"] = [b["text"] for b in cut]
    res = ExtractResult(text=text, method=method, meta=meta)
    if doc is not None:
        res.title = getattr(doc, "title", None) or None
        res.authors = _split_authors(getattr(doc, "author", None))
        res.sitename = getattr(doc, "sitename", None) or None
        res.language = getattr(doc, "language", None) or None
        res.url = getattr(doc, "url", None) or None
        res.date = getattr(doc, "date", None) or None
        res.description = getattr(doc, "description", None) or None
    if not res.language:
        m = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", html[:5000], re.IGNORECASE)
        if m:
            res.language = m.group(1).lower()
    return res


@article_stage("extract")
def extract_stage(doc: ArticleDoc, settings: Settings) -> None:
    raw = doc.raw
    if raw.html is None or raw.text is not None:
        return
    opts = settings.stage("extract")
    res = extract_html(raw.html, url=raw.url, trim=bool(opts.get("trim_tail", True)))
    if not res.text.strip() or furniture_only(res.text):
        raise StorylineError(E.NO_ARTICLE, source=raw.source)
    art = doc.article
    art.text = res.text
    art.raw_text = res.text
    art.title = art.title or res.title
    art.authors = art.authors or res.authors
    art.outlet = art.outlet or res.sitename
    art.language = art.language or res.language
    art.url = art.url or res.url
    for key, value in (
        ("canonical_url", res.url),
        ("sitename", res.sitename),
        ("html_date", res.date),
        ("description", res.description),
        ("extraction", res.method),
    ):
        if value and key not in art.meta:
            art.meta[key] = value
    if res.meta.get("trimmed_tail"):
        art.meta["trimmed_tail"] = res.meta["trimmed_tail"]
