"""Readers: files, directories and URLs in, RawDoc (or ReadError) out.

The reader is chosen by the input's type (its name, or for URLs the scheme):

=====================================  ===========================================
``.txt``, ``.md``                       plain text (one article a file)
``.html``, ``.htm`` (also ``.gz``)      HTML page (extracted later by the extract stage)
``.jsonl``, ``.ndjson`` (also ``.gz``)  one record a line: ``id, text|html, url, title, outlet, authors, published, language``
``.csv`` (also ``.gz``)                 the same columns
``.rss``, ``.atom``, ``.xml`` (feeds)   RSS/Atom entries (feedparser)
``.warc``, ``.warc.gz``                 WARC response records holding HTML (warcio)
``http://``, ``https://``               fetched with a timeout and a size cap
=====================================  ===========================================

Every error names its input and the reason, and the other inputs are still read.
Inputs are read with a size cap, so memory stays bounded whatever the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline.errors import E, StorylineError
from storyline.model import RawDoc, ReadError
from storyline.readers import formats
from storyline.settings import Settings

ReadResult = RawDoc | ReadError
Reader = Callable[[str, Settings], Iterator[ReadResult]]

# suffix (lower case, without .gz) -> reader
READERS: dict[str, Reader] = {
    ".txt": formats.read_text,
    ".text": formats.read_text,
    ".md": formats.read_text,
    ".html": formats.read_html,
    ".htm": formats.read_html,
    ".xhtml": formats.read_html,
    ".jsonl": formats.read_jsonl,
    ".ndjson": formats.read_jsonl,
    ".csv": formats.read_csv,
    ".rss": formats.read_feed,
    ".atom": formats.read_feed,
    ".xml": formats.read_feed,
    ".warc": formats.read_warc,
}


def reader_for(source: str) -> Reader | None:
    if source.startswith(("http://", "https://")):
        return formats.read_url
    name = source.lower()
    if name.endswith(".warc.gz"):
        return formats.read_warc
    if name.endswith(".gz"):
        name = name[:-3]
    return READERS.get(Path(name).suffix)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files and URLs given, with directories walked recursively (sorted, hidden files skipped)."""
    for p in paths:
        s = str(p)
        if s.startswith(("http://", "https://")):
            yield s
            continue
        path = Path(s)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield str(Path(root) / f)
        else:
            yield s


def read_inputs(paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None) -> Iterator[ReadResult]:
    """Every document in ``paths``; a ReadError for each input (or record) that fails."""
    settings = settings or Settings()
    for source in expand_paths(paths):
        reader = reader_for(source)
        if reader is None:
            yield ReadError(
                source, E.UNKNOWN_FORMAT.format(source=source, known=", ".join(sorted(READERS))), "E003"
            )
            continue
        if not source.startswith(("http://", "https://")) and not Path(source).exists():
            yield ReadError(source, E.UNREADABLE.format(source=source, reason="no such file"), "E112")
            continue
        try:
            yield from reader(source, settings)
        except StorylineError as exc:
            yield ReadError(source, str(exc), exc.code)
        except (OSError, ValueError, UnicodeError) as exc:
            yield ReadError(source, E.UNREADABLE.format(source=source, reason=f"{type(exc).__name__}: {exc}"), "E112")
