"""The public Python API: build a story store, annotate one document, query the store.

The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.model import RawDoc, ReadError, content_id
from storyline.pipeline import corpus_stages, input_hash, pipeline_version, process
from storyline.readers import read_inputs
from storyline.settings import Settings, load_settings
from storyline.store import Store, open_store

log = logging.getLogger("storyline")


@dataclass
class BuildReport:
    """What one ``build`` did: counts, per-input errors and warnings, timings."""

    run_id: int
    db: str
    inputs: list[str]
    read: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    same_content: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "same_content": len(self.same_content),
            "failed": len(self.errors),
            "warnings": len(self.warnings),
        }


def _richness(raw: RawDoc) -> tuple[int, int, int]:
    """Which of two inputs with the same content to keep: given id, given date, metadata."""
    meta = sum(1 for v in (raw.title, raw.outlet, raw.url, raw.language) if v) + (1 if raw.authors else 0)
    return (1 if raw.id else 0, 1 if raw.published else 0, meta)


def _progress(total: int, settings: Settings, desc: str) -> Any:
    enabled = settings.progress if settings.progress is not None else sys.stderr.isatty()
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return None
    return tqdm(total=total, desc=desc, unit="article", file=sys.stderr)


def mark_repeated_lines(raws: list[RawDoc]) -> None:
    """Corpus pre-pass for the cleaner: each text input gets, in ``meta['repeated_lines']``,
    its short lines that recur across otherwise unalike inputs (see ``clean.repeated_lines``).
    """
    try:
        from storyline.stages.clean import repeated_lines
    except ImportError:
        return
    texts = [r for r in raws if r.text is not None]
    for raw, keys in zip(texts, repeated_lines(r.text or "" for r in texts), strict=True):
        if keys:
            raw.meta["repeated_lines"] = sorted(keys)


def build(
    paths: Iterable[str | os.PathLike[str]],
    db: str | Path | None = None,
    settings: Settings | None = None,
    skip: Iterable[str] = (),
    on_result: Callable[[str, str], None] | None = None,
) -> BuildReport:
    """Ingest, analyse and store every input; corpus stages run after the article stages.

    Idempotent: an input whose content, given metadata and pipeline version are already
    stored is not processed again.  The same content arriving twice (say a text file and
    a JSONL record with a given id and date) is stored once, keeping the richer input.
    Every error names its input; all good inputs are stored regardless.
    """
    settings = settings or load_settings()
    db = str(db or settings.db)
    inputs = [str(p) for p in paths]
    skip = tuple(skip)
    t0 = time.perf_counter()
    store = open_store(db)
    try:
        from storyline.store.postgres import redact_url

        shown_db = redact_url(db) if "://" in db else db
        run_id = store.start_run(inputs, {**settings.to_dict(), "db": shown_db})
        report = BuildReport(run_id=run_id, db=shown_db, inputs=inputs)

        # 1. read, keeping the richest input for each content
        by_content: dict[str, RawDoc] = {}
        for item in read_inputs(inputs, settings):
            if isinstance(item, ReadError):
                report.errors.append({"source": item.source, "code": item.code, "reason": item.reason})
                continue
            report.read += 1
            report.warnings.extend(item.meta.get("warnings", []))
            chash = content_id(item.content(), 40)
            prev = by_content.get(chash)
            if prev is None or _richness(item) > _richness(prev):
                if prev is not None:
                    report.same_content.append({"source": prev.source, "kept": item.source})
                by_content[chash] = item
            else:
                report.same_content.append({"source": item.source, "kept": prev.source})
        report.timings["read"] = time.perf_counter() - t0

        mark_repeated_lines(list(by_content.values()))

        # 2. decide what needs processing
        version = pipeline_version(settings)
        todo: list[tuple[RawDoc, str, str]] = []
        for chash, raw in by_content.items():
            from storyline.pipeline import article_id

            aid = article_id(raw)
            ihash = input_hash(raw)
            state = store.input_state(aid)
            if state == (ihash, version):
                report.unchanged.append(aid)
                continue
            todo.append((raw, ihash, chash))

        # 3. article stages in parallel; the parent stores each result in one transaction
        t1 = time.perf_counter()
        from storyline.executors import get_executor

        executor = get_executor(settings)(settings, skip)
        meta = {id(raw): (ihash, chash) for raw, ihash, chash in todo}
        lookup = {raw.source: (ihash, chash) for raw, ihash, chash in todo}
        bar = _progress(len(todo), settings, "analysing")
        new_ids: set[str] = set()
        for raw, article, error in executor.map([r for r, _, _ in todo]):
            if bar is not None:
                bar.update(1)
            if error is not None or article is None:
                report.errors.append(
                    {"source": raw.source, "code": getattr(error, "code", "E000"), "reason": str(error)}
                )
                continue
            ihash, chash = meta.get(id(raw)) or lookup[raw.source]
            existed = store.input_state(article.id) is not None
            # a poorer earlier copy of the same content (e.g. stored under a content id) goes
            for other in store.ids_with_content(chash):
                if other != article.id:
                    store.delete_article(other)
                    report.same_content.append({"source": other, "kept": article.id})
            store.save_article(article, input_hash=ihash, pipeline_version=version, content_hash=chash)
            report.warnings.extend(article.meta.get("stage_warnings", []))
            (report.updated if existed else report.added).append(article.id)
            new_ids.add(article.id)
            if on_result:
                on_result("stored", article.id)
        if bar is not None:
            bar.close()
        report.timings["articles"] = time.perf_counter() - t1

        # 4. corpus stages over the whole store
        for name, stage in corpus_stages(skip):
            t = time.perf_counter()
            try:
                stage(store, settings, new_ids)
            except StorylineError as exc:
                report.errors.append({"source": f"corpus stage {name}", "code": exc.code, "reason": str(exc)})
            except Exception as exc:  # a corpus stage bug must not lose the stored articles
                log.debug("corpus stage %s failed", name, exc_info=True)
                report.errors.append(
                    {"source": f"corpus stage {name}", "code": "E113", "reason": f"{type(exc).__name__}: {exc}"}
                )
            report.timings[f"corpus:{name}"] = time.perf_counter() - t
        report.timings["total"] = time.perf_counter() - t0
        store.finish_run(run_id, report.counts(), report.errors)
        return report
    finally:
        store.close()


def annotate(
    text: str | None = None,
    html: str | None = None,
    published: str | None = None,
    clean: bool = True,
    settings: Settings | None = None,
    id: str | None = None,
    source: str = "<input>",
    **metadata: Any,
) -> dict[str, Any]:
    """Run every article stage on one document, without a store; the article as a dict.

    With ``clean=False`` the text is kept verbatim, so every span refers to the input.
    """
    settings = settings or load_settings()
    raw = RawDoc(source=source, text=text, html=html, id=id, published=published, **metadata)
    skip = () if clean else ("clean",)
    doc = process(raw, settings, skip)
    return doc.article.to_dict()


def timeline(store: Store, **kwargs: Any) -> list[Any]:
    """The story timeline (see :func:`storyline.timeline.story_timeline`)."""
    from storyline.timeline import story_timeline

    return list(story_timeline(store, **kwargs))


__all__ = ["BuildReport", "annotate", "build", "open_store", "timeline", "Settings", "load_settings"]
