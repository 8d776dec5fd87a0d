"""Run article stages on a Ray cluster (``pip install 'storyline[ray]'``).

The same ``process_one`` function as the local executor, through Ray's drop-in
``multiprocessing.Pool``: each Ray actor loads the models once.  Connects to the
cluster named by ``RAY_ADDRESS`` (or starts a local one).
"""

from __future__ import annotations

from collections.abc import Iterator

from storyline.errors import E, StorylineError
from storyline.executors import Executor, Result
from storyline.executors.local import init_worker, process_one
from storyline.model import RawDoc


class RayExecutor(Executor):
    def map(self, raws: list[RawDoc]) -> Iterator[Result]:
        try:
            from ray.util.multiprocessing import Pool
        except ImportError as exc:
            raise StorylineError(
                E.MISSING_PACKAGE, package="ray", purpose="the Ray executor", install="storyline[ray]"
            ) from exc
        workers = max(1, self.settings.workers)
        pool = Pool(processes=workers, initializer=init_worker, initargs=(self.settings, self.skip))
        try:
            yield from pool.imap_unordered(process_one, raws, chunksize=1)
        finally:
            pool.terminate()
