"""Publication dates from HTML metadata and URLs.

Sources, strongest first: JSON-LD ``datePublished`` of an article object, publication
``<meta>`` properties (``article:published_time``, ``datePublished``, Dublin Core ...),
``<time>`` elements marked as the publication time, a date in the URL path, and finally
htmldate's own heuristics (``original_date``, extensive search) for what is left.  Each
candidate keeps its source, so the evidence can be shown; when two strong sources
disagree, the earliest plausible one (the original publication, not an update) wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_META_PUBLISHED = {
    # property / name / itemprop values that carry the first publication date
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "article.published",
    "published_time",
    "published-date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "date_published",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "article_date_original",
    "release_date",
    "og:pubdate",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "date",
    "created",
    "creation_date",
    "pub_date",
    "publication_date",
    "article:post_date",
    "datecreated",
    "nv:date",
    "ga-publish-datetime",
    "mediator_published_time",
    "article_published_time",
    "vr:published_time",
    "dcsext.articlefirstpublished",
    "pdate",
}
_META_WEAK = {"dc.date", "dc:date", "dcterms.date", "date", "created", "creation_date", "datecreated"}
_META_MODIFIED = {"article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified"}

_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_JSONLD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_TIME_TAG = re.compile(r"<time\b([^>]*)>", re.IGNORECASE)
_ISO_IN = re.compile(r"((?:19|20)\d\d)-([01]?\d)-([0-3]?\d)")
_URL_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d\d)[/_\-.]?([01]\d)[/_\-.]?([0-3]\d)(?![\d])|/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)/|/((?:19|20)\d\d)/([01]\d)/"
)


@dataclass
class DateCandidate:
    date: str  # ISO day (or month for URL month paths)
    source: str  # jsonld, meta:<name>, time, url, htmldate
    strength: float  # how much this kind of source is trusted


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(tag)}


# UTC offsets (hours) of the places a site most likely publishes from: country-code TLDs,
# then language regions, then languages spoken mostly in one time zone.
_TZ_REGION = {
    "us": -5, "ca": -5, "mx": -6, "br": -3, "ar": -3, "cl": -4, "co": -5, "pe": -5, "ve": -4,
    "uk": 0, "gb": 0, "ie": 0, "pt": 0, "is": 0,
    "fr": 1, "de": 1, "it": 1, "es": 1, "nl": 1, "be": 1, "ch": 1, "at": 1, "pl": 1, "cz": 1, "se": 1, "no": 1,
    "dk": 1, "hu": 1, "sk": 1, "si": 1, "hr": 1, "rs": 1, "ba": 1, "ng": 1,
    "ua": 2, "gr": 2, "ro": 2, "bg": 2, "fi": 2, "il": 2, "eg": 2, "za": 2, "lt": 2, "lv": 2, "ee": 2, "cy": 2,
    "ru": 3, "tr": 3, "by": 3, "sa": 3, "ke": 3, "iq": 3, "az": 4, "ae": 4, "ir": 3.5,
    "pk": 5, "in": 5.5, "bd": 6, "th": 7, "vn": 7, "id": 7, "cn": 8, "sg": 8, "my": 8, "ph": 8, "hk": 8, "tw": 8,
    "jp": 9, "kr": 9, "au": 10, "nz": 12,
}
_TZ_LANG = {
    "en": -5, "it": 1, "de": 1, "fr": 1, "nl": 1, "pl": 1, "cs": 1, "sv": 1, "hu": 1, "uk": 2, "el": 2, "ro": 2,
    "bg": 2, "fi": 2, "he": 2, "ru": 3, "tr": 3, "ar": 3, "fa": 3.5, "hi": 5.5, "th": 7, "vi": 7, "id": 7,
    "zh": 8, "ja": 9, "ko": 9,
}


def site_utc_offset(url: str | None, html: str | None = None) -> float | None:
    """The likely UTC offset of a site (hours), from its country-code TLD or page language."""
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
        tld = host.rsplit(".", 1)[-1]
        if tld in _TZ_REGION:
            return _TZ_REGION[tld]
    if html:
        m = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})(?:[-_]([a-zA-Z]{2}))?", html[:5000])
        if m:
            region = (m.group(2) or "").lower()
            if region in _TZ_REGION:
                return _TZ_REGION[region]
            return _TZ_LANG.get(m.group(1).lower())
    return None


_UTC_STAMP = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::\d+(?:\.\d+)?)?\s*(Z|[+-]00:?00|UTC|GMT)\b", re.IGNORECASE)


def parse_date_string(value: str, utc_offset: float | None = None) -> str | None:
    """An ISO day from a metadata date string (ISO, RFC 2822, 'December 23, 2023', '23.12.2023').

    A UTC timestamp is moved to the site's local day when its offset is known.
    """
    v = value.strip()
    if not v:
        return None
    if utc_offset is not None:
        m = _UTC_STAMP.search(v)
        if m:
            from datetime import timedelta

            try:
                dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)))
                return (dt + timedelta(hours=utc_offset)).date().isoformat()
            except ValueError:
                pass
    m = _ISO_IN.search(v)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            pass
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(?:T?\d{0,6}.*)?", v)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            pass
    if re.fullmatch(r"\d{10}(?:\d{3})?", v):  # a Unix timestamp
        ts = int(v[:10])
        if 631152000 < ts < 4102444800:
            return datetime.utcfromtimestamp(ts).date().isoformat()
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(v).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.search(r"\b([0-3]?\d)[./]([01]?\d)[./]((?:19|20)\d\d)\b", v)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            pass
    from storyline.temporal.tagger import find, resolve

    for t in find(v):
        if t.sem.get("k") == "date" and t.sem.get("y") and t.sem.get("m") and t.sem.get("d"):
            return resolve(t.sem, None)
    return None


def _walk_jsonld(obj: Any, out: list[tuple[str, str, str]]) -> None:
    if isinstance(obj, list):
        for o in obj:
            _walk_jsonld(o, out)
    elif isinstance(obj, dict):
        typ = obj.get("@type")
        typ_s = " ".join(typ) if isinstance(typ, list) else str(typ or "")
        for key in ("datePublished", "dateCreated", "uploadDate", "dateModified"):
            if isinstance(obj.get(key), str):
                out.append((key, obj[key], typ_s))
        for k, v in obj.items():
            if k not in {"datePublished", "dateCreated", "uploadDate", "dateModified"} and isinstance(v, (dict, list)):
                _walk_jsonld(v, out)


def candidates(html: str, url: str | None = None) -> list[DateCandidate]:
    """Every publication-date candidate the page's metadata and URL give."""
    out: list[DateCandidate] = []
    tz = site_utc_offset(url, html)
    for m in _JSONLD.finditer(html):
        raw = m.group(1).strip()
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except ValueError:
                continue
        found: list[tuple[str, str, str]] = []
        _walk_jsonld(data, found)
        for key, value, typ in found:
            d = parse_date_string(value, tz)
            if not d:
                continue
            article = bool(re.search(r"Article|Posting|Report|Blog|NewsArticle|WebPage|CreativeWork", typ))
            strength = {"datePublished": 1.0, "dateCreated": 0.8, "uploadDate": 0.7, "dateModified": 0.3}[key]
            if not article:
                strength -= 0.15
            out.append(DateCandidate(d, f"jsonld:{key}", strength))
    for m in _META_TAG.finditer(html):
        a = _attrs(m.group(0))
        name = (a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv") or "").lower()
        content = a.get("content") or a.get("datetime") or ""
        if not name or not content:
            continue
        if name in _META_PUBLISHED:
            d = parse_date_string(content, tz)
            if d:
                out.append(DateCandidate(d, f"meta:{name}", 0.6 if name in _META_WEAK else 0.95))
        elif name in _META_MODIFIED:
            d = parse_date_string(content)
            if d:
                out.append(DateCandidate(d, f"meta:{name}", 0.3))
    for m in _TIME_TAG.finditer(html):
        a = _attrs(m.group(1))
        dt = a.get("datetime") or ""
        if not dt:
            continue
        marks = " ".join([a.get("itemprop", ""), a.get("class", ""), a.get("pubdate", ""), a.get("id", "")]).lower()
        d = parse_date_string(dt, tz)
        if not d:
            continue
        if "pubdate" in a or "datepublished" in marks or "publish" in marks:
            out.append(DateCandidate(d, "time:published", 0.85))
        elif "modif" in marks or "updated" in marks:
            out.append(DateCandidate(d, "time:modified", 0.25))
        else:
            out.append(DateCandidate(d, "time", 0.45))
    # several "published" time tags are a list of other articles: trust the first one a little
    timed = [c for c in out if c.source == "time:published"]
    if len({c.date for c in timed}) > 1:
        out = [c for c in out if c.source != "time:published"] + [DateCandidate(timed[0].date, "time:published", 0.6)]
    if url:
        u = url_date(url)
        if u:
            out.append(DateCandidate(u, "url", 0.97 if len(u) == 10 else 0.5))
    return out


def url_date(url: str) -> str | None:
    """A date written in a URL path (/2023/12/23/, /20231223-, /2023/12/)."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for m in _URL_DATE.finditer(path):
        g = m.groups()
        try:
            if g[0]:
                return date(int(g[0]), int(g[1]), int(g[2])).isoformat()
            if g[3]:
                return date(int(g[3]), int(g[4]), int(g[5])).isoformat()
            if g[6]:
                date(int(g[6]), int(g[7]), 1)
                return f"{g[6]}-{g[7]}"
        except ValueError:
            continue
    return None


def _plausible(d: str, latest: date | None) -> bool:
    y = int(d[:4])
    if y < 1995:
        return False
    return latest is None or d[:10] <= latest.isoformat()


def htmldate_guess(html: str, url: str | None = None, extensive: bool = True, original: bool = True) -> str | None:
    """htmldate's answer (or None when it is not installed or finds nothing)."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover
        return None
    try:
        res = find_date(html, url=url, original_date=original, extensive_search=extensive, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd pages; its answer is only a fallback
        return None
    return str(res) if res else None


def publication_date(html: str, url: str | None = None, latest: date | None = None) -> tuple[str | None, float, list[dict[str, Any]]]:
    """(ISO day or None, confidence, evidence) for a page.

    ``latest`` excludes dates after it (e.g. the crawl date) when known.
    """
    cands = [c for c in candidates(html, url) if _plausible(c.date, latest)]
    evidence: list[dict[str, Any]] = [{"kind": "metadata", "source": c.source, "value": c.date, "strength": c.strength} for c in cands]
    strong = [c for c in cands if c.strength >= 0.85 and len(c.date) == 10]
    if strong:
        days = sorted({c.date for c in strong})
        url_days = [c.date for c in strong if c.source == "url"]
        if url_days:
            chosen = url_days[0]  # the path the site itself filed the article under
        else:
            # the original publication: the earliest strong date, unless far older than the rest
            chosen = days[0]
            if len(days) > 1 and (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days > 60:
                best = max(strong, key=lambda c: c.strength)
                chosen = best.date
        support = sum(1 for c in cands if c.date == chosen)
        conf = min(0.99, 0.9 + 0.03 * (support - 1)) if len(days) == 1 else 0.85
        return chosen, conf, evidence
    guess = htmldate_guess(html, url)
    if guess and guess.endswith("-01-01") and htmldate_guess(html, url, extensive=False) != guess:
        # htmldate pads a bare year to January 1st: keep only the year
        evidence.append({"kind": "metadata", "source": "htmldate", "value": guess[:4], "strength": 0.3})
        return guess[:4], 0.3, evidence
    if guess and _plausible(guess, latest):
        evidence.append({"kind": "metadata", "source": "htmldate", "value": guess, "strength": 0.7})
        agree = [c for c in cands if c.date == guess]
        conf = 0.9 if agree else 0.75
        return guess, conf, evidence
    medium = [c for c in cands if len(c.date) == 10]
    if medium:
        best = max(medium, key=lambda c: c.strength)
        return best.date, min(0.8, best.strength), evidence
    month = [c for c in cands if len(c.date) == 7]
    if month:
        return month[0].date, 0.6, evidence
    return None, 0.0, evidence


_DROP = re.compile(r"(?is)<(script|style|head|noscript|template|svg|iframe)\b.*?</\1\s*>|<!--.*?-->")
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|aside|nav|time|figure|figcaption|blockquote|dd|dt|form|main)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")


def flatten_html(html: str) -> str:
    """The visible text of a page, one block a line, with no metadata (head, scripts, attributes)."""
    import html as html_lib

    text = _DROP.sub(" ", html)
    text = _BLOCK.sub("\n", text)
    text = _TAGS.sub(" ", text)
    text = html_lib.unescape(text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line:
            out.append(line)
        elif out and out[-1] != "":
            out.append("")
    return "\n".join(out).strip()
