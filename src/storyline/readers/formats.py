"""The readers for each input type.  See ``storyline.readers`` for the table."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError
from storyline.model import RawDoc, ReadError
from storyline.settings import Settings

FIELDS = ("id", "text", "html", "url", "title", "outlet", "authors", "published", "language")


# -- bytes and text ---------------------------------------------------------------------
def read_bytes(source: str, limit: int) -> bytes:
    """The file's bytes (gunzipped when it is gzip), refusing more than ``limit`` bytes."""
    path = Path(source)
    with path.open("rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        if head == b"\x1f\x8b":
            try:
                with gzip.GzipFile(fileobj=fh) as gz:
                    data = gz.read(limit + 1)
            except (EOFError, OSError, zlib.error) as exc:
                raise StorylineError(E.BAD_GZIP, source=source, reason=str(exc) or type(exc).__name__) from exc
        else:
            data = fh.read(limit + 1)
    if len(data) > limit:
        size = path.stat().st_size if head != b"\x1f\x8b" else f"more than {limit}"
        raise StorylineError(E.TOO_LARGE, source=source, size=size, limit=limit)
    if not data.strip():
        raise StorylineError(E.EMPTY, source=source)
    return data


_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))


def looks_binary(data: bytes) -> str | None:
    """A reason when ``data`` is not text (NUL bytes, many control characters), else None."""
    sample = data[:8192]
    if b"\x00" in sample:
        return "contains NUL bytes"
    ctrl = sum(1 for b in sample if b in _CONTROL)
    if sample and ctrl / len(sample) > 0.05:
        return f"{ctrl} control bytes in the first {len(sample)}"
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_UTF8 = frozenset({"utf-8", "utf8"})


def header_charset(content_type: str | None) -> str | None:
    """The charset an HTTP ``Content-Type`` header declares, lowercased, or None."""
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1).lower() if m else None


def decode(data: bytes, source: str, html: bool = False, charset: str | None = None) -> tuple[str, list[str]]:
    """Decode bytes to text: UTF-8 (with BOM), a declared charset, else Windows-1252.

    ``charset`` is what the transport declared (an HTTP or WARC ``Content-Type``); an
    HTML page's ``<meta charset>`` counts when there is none.  A declared charset other
    than UTF-8 loses to bytes that are valid UTF-8 with multibyte sequences: saved and
    crawled pages are often re-encoded to UTF-8 with the old declaration left in, and
    Latin or Cyrillic text in a legacy charset is almost never valid multibyte UTF-8.

    Returns the text and warnings.  UTF-8 with a few broken bytes is decoded with
    replacement characters and a warning naming the first bad offset; a file with no
    valid UTF-8 multibyte sequence at all is taken as Windows-1252/Latin-1.
    """
    reason = looks_binary(data)
    if reason:
        raise StorylineError(E.BINARY, source=source, reason=reason)
    warnings: list[str] = []
    declared = charset.lower() if charset else None
    if declared is None and html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "ignore").lower()
    multibyte = re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data)
    if declared and declared not in _UTF8:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and multibyte:
            warnings.append(f"{source}: declares charset {declared} but is valid UTF-8; decoded as UTF-8")
            return text, warnings
        try:
            return data.decode(declared), warnings
        except (LookupError, UnicodeDecodeError):
            warnings.append(f"{source}: cannot decode as its declared charset {declared}")
    try:
        return data.decode("utf-8-sig"), warnings
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    # Valid UTF-8 multibyte sequences present: a UTF-8 file with damage.
    if multibyte:
        warnings.append(f"{source}: invalid UTF-8 at byte {bad_at}; undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace"), warnings
    warnings.append(f"{source}: not UTF-8; decoded as Windows-1252")
    try:
        return data.decode("cp1252"), warnings
    except UnicodeDecodeError:
        return data.decode("latin-1"), warnings


def _with_warnings(doc: RawDoc, warnings: list[str]) -> RawDoc:
    if warnings:
        doc.meta.setdefault("warnings", []).extend(warnings)
    return doc


# -- plain text and HTML ----------------------------------------------------------------
def read_text(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    text, warnings = decode(read_bytes(source, settings.max_bytes), source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise StorylineError(E.EMPTY, source=source)
    yield _with_warnings(RawDoc(source=source, text=text), warnings)


def read_html(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    html, warnings = decode(read_bytes(source, settings.max_bytes), source, html=True)
    yield _with_warnings(RawDoc(source=source, html=html), warnings)


# -- records: JSONL and CSV ----------------------------------------------------------------
def _authors(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [a.strip() for a in re.split(r"\s*[;|]\s*|\s+and\s+", str(value)) if a.strip()]


def record_to_doc(rec: dict[str, Any], source: str) -> RawDoc:
    """A JSONL/CSV record to a RawDoc; given metadata is kept as given."""
    text = rec.get("text")
    html = rec.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise StorylineError(E.NO_TEXT_FIELD, source=source)
    rid = rec.get("id")
    published = rec.get("published") or rec.get("date") or None
    if published is not None:
        from storyline.dates import parse_iso_date

        parse_iso_date(str(published))  # raises a catalogued error naming the value
    extra = {k: v for k, v in rec.items() if k not in FIELDS and v not in (None, "")}
    return RawDoc(
        source=source,
        text=text.replace("\r\n", "\n") if isinstance(text, str) and text.strip() else None,
        html=html if isinstance(html, str) and html.strip() and not (isinstance(text, str) and text.strip()) else None,
        id=str(rid) if rid not in (None, "") else None,
        title=rec.get("title") or None,
        outlet=rec.get("outlet") or None,
        authors=_authors(rec.get("authors") or rec.get("author")),
        url=rec.get("url") or None,
        language=rec.get("language") or None,
        published=str(published) if published else None,
        meta={"input": extra} if extra else {},
    )


def _text_stream(source: str, settings: Settings) -> io.TextIOBase:
    """A line stream over a (possibly gzipped) record file; records are read one by one."""
    raw = open(source, "rb")  # noqa: SIM115 - closed by the wrapper
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        stream: Any = gzip.GzipFile(fileobj=raw)
    else:
        raw.seek(0)
        stream = raw
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")


def read_jsonl(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    n = 0
    try:
        with _text_stream(source, settings) as fh:
            for lineno, line in enumerate(fh, 1):
                if len(line) > settings.max_bytes:
                    yield ReadError(f"{source}:{lineno}", E.TOO_LARGE.format(source=f"{source}:{lineno}", size=len(line), limit=settings.max_bytes), "E103")
                    continue
                if not line.strip():
                    continue
                n += 1
                where = f"{source}:{lineno}"
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict):
                        raise ValueError("a record must be a JSON object")
                except ValueError as exc:
                    yield ReadError(where, E.BAD_JSON.format(source=source, line=lineno, reason=exc), "E105")
                    continue
                try:
                    doc = record_to_doc(rec, where)
                except StorylineError as exc:
                    yield ReadError(where, str(exc), exc.code)
                    continue
                yield doc
    except (EOFError, OSError, zlib.error) as exc:
        yield ReadError(source, E.BAD_GZIP.format(source=source, reason=str(exc) or type(exc).__name__), "E104")
        return
    if n == 0:
        raise StorylineError(E.EMPTY, source=source)


def read_csv(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    csv.field_size_limit(settings.max_bytes)
    n = 0
    try:
        with _text_stream(source, settings) as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise StorylineError(E.EMPTY, source=source)
            names = {f.strip().lower() for f in reader.fieldnames if f}
            if not names & {"text", "html"}:
                raise StorylineError(E.BAD_CSV, source=source, reason="no 'text' or 'html' column in the header")
            for rowno, row in enumerate(reader, 2):
                n += 1
                where = f"{source}:{rowno}"
                rec = {(k or "").strip().lower(): v for k, v in row.items()}
                try:
                    yield record_to_doc(rec, where)
                except StorylineError as exc:
                    yield ReadError(where, str(exc), exc.code)
    except csv.Error as exc:
        raise StorylineError(E.BAD_CSV, source=source, reason=str(exc)) from exc
    except (EOFError, zlib.error) as exc:
        raise StorylineError(E.BAD_GZIP, source=source, reason=str(exc) or type(exc).__name__) from exc
    if n == 0:
        raise StorylineError(E.EMPTY, source=source)


# -- feeds, WARC, URLs ---------------------------------------------------------------------
def read_feed(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    import feedparser

    data = read_bytes(source, settings.max_bytes)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = str(getattr(parsed, "bozo_exception", "")) or "no entries"
        raise StorylineError(E.BAD_FEED, source=source, reason=reason)
    outlet = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries):
        where = f"{source}#{entry.get('id') or i}"
        html = None
        if entry.get("content"):
            html = entry["content"][0].get("value")
        html = html or entry.get("summary")
        if not html:
            yield ReadError(where, E.NO_TEXT_FIELD.format(source=where), "E106")
            continue
        published = None
        for key in ("published_parsed", "updated_parsed"):
            t = entry.get(key)
            if t:
                published = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
        yield RawDoc(
            source=where,
            html=html if "<" in html else None,
            text=None if "<" in html else html,
            id=None,
            title=entry.get("title") or None,
            outlet=outlet,
            authors=authors,
            url=entry.get("link") or None,
            language=parsed.feed.get("language") or None,
            published=published,
            meta={"feed": source},
        )


def read_warc(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:  # pragma: no cover - warcio is a core dependency
        raise StorylineError(E.MISSING_PACKAGE, package="warcio", purpose="WARC input", install="warcio") from exc
    n = 0
    try:
        with open(source, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}#{url}"
                body = record.content_stream().read(settings.max_bytes + 1)
                if len(body) > settings.max_bytes:
                    yield ReadError(where, E.TOO_LARGE.format(source=where, size=len(body), limit=settings.max_bytes), "E103")
                    continue
                try:
                    html, warnings = decode(body, where, html=True, charset=header_charset(ctype))
                except StorylineError as exc:
                    yield ReadError(where, str(exc), exc.code)
                    continue
                n += 1
                meta: dict[str, Any] = {"warc": source, "warc_date": record.rec_headers.get_header("WARC-Date")}
                last_modified = record.http_headers.get_header("Last-Modified") if record.http_headers else None
                if last_modified:
                    meta["http_last_modified"] = last_modified
                yield _with_warnings(RawDoc(source=where, html=html, url=url, meta=meta), warnings)
    except (ArchiveLoadFailed, EOFError, zlib.error) as exc:
        raise StorylineError(E.BAD_WARC, source=source, reason=str(exc) or type(exc).__name__) from exc
    if n == 0:
        raise StorylineError(E.BAD_WARC, source=source, reason="no HTML response records")


def read_url(source: str, settings: Settings) -> Iterator[RawDoc | ReadError]:
    req = urllib.request.Request(source, headers={"User-Agent": "storyline/0.1 (+news analysis)"})
    try:
        with urllib.request.urlopen(req, timeout=settings.fetch_timeout) as resp:  # noqa: S310 - http(s) only
            length = resp.headers.get("Content-Length")
            if length and int(length) > settings.fetch_max_bytes:
                raise StorylineError(
                    E.FETCH, source=source, reason=f"{length} bytes is over the limit of {settings.fetch_max_bytes}"
                )
            body = resp.read(settings.fetch_max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "")
            final_url = resp.geturl()
            last_modified = resp.headers.get("Last-Modified")
    except StorylineError:
        raise
    except urllib.error.HTTPError as exc:
        raise StorylineError(E.FETCH, source=source, reason=f"HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise StorylineError(E.FETCH, source=source, reason=str(reason)) from exc
    if len(body) > settings.fetch_max_bytes:
        raise StorylineError(E.FETCH, source=source, reason=f"body over the limit of {settings.fetch_max_bytes} bytes")
    if not body.strip():
        raise StorylineError(E.EMPTY, source=source)
    meta: dict[str, Any] = {"fetched_url": final_url}
    if last_modified:
        meta["http_last_modified"] = last_modified
    is_html = "html" in ctype.lower() or body.lstrip()[:1] == b"<"
    text, warnings = decode(body, source, html=is_html, charset=header_charset(ctype))
    doc = RawDoc(source=source, url=final_url, meta=meta)
    if is_html:
        doc.html = text
    else:
        doc.text = text
    yield _with_warnings(doc, warnings)
