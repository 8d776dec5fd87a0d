"""Run article stages in worker processes on this machine.

Each worker loads the spaCy pipeline once (in the pool initializer) and processes
articles one by one; results come back in completion order and the parent process,
the single writer, stores them.  With one worker everything runs in-process.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from typing import Any

from storyline.errors import StorylineError
from storyline.executors import Executor, Result
from storyline.model import RawDoc
from storyline.settings import Settings

_STATE: dict[str, Any] = {}


def init_worker(settings: Settings, skip: tuple[str, ...]) -> None:
    """Load the models once per worker process."""
    from storyline.stages.nlp import load_spacy

    _STATE["settings"] = settings
    _STATE["skip"] = skip
    if "nlp" not in skip:
        load_spacy(settings.spacy_model)


def process_one(raw: RawDoc) -> Result:
    from storyline.pipeline import process

    try:
        doc = process(raw, _STATE["settings"], _STATE["skip"])
    except StorylineError as exc:
        return raw, None, exc
    return raw, doc.article, None


class LocalExecutor(Executor):
    def map(self, raws: list[RawDoc]) -> Iterator[Result]:
        workers = max(1, min(self.settings.workers, len(raws)))
        if workers == 1:
            init_worker(self.settings, self.skip)
            for raw in raws:
                yield process_one(raw)
            return
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers, initializer=init_worker, initargs=(self.settings, self.skip)) as pool:
            yield from pool.imap_unordered(process_one, raws, chunksize=1)
