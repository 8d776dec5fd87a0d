"""Executors run the article stages over many inputs: ``local`` (a process pool on this
machine) or ``ray`` (the same function on a Ray cluster).  Both yield results in
completion order as ``(raw, article | None, error | None)``; the caller stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from storyline.errors import StorylineError
from storyline.model import Article, RawDoc
from storyline.settings import Settings

Result = tuple[RawDoc, Article | None, StorylineError | None]


def get_executor(settings: Settings) -> type[Executor]:
    if settings.executor == "ray":
        from storyline.executors.ray import RayExecutor

        return RayExecutor
    from storyline.executors.local import LocalExecutor

    return LocalExecutor


class Executor:
    def __init__(self, settings: Settings, skip: Iterable[str] = ()) -> None:
        self.settings = settings
        self.skip = tuple(skip)

    def map(self, raws: list[RawDoc]) -> Iterator[Result]:  # pragma: no cover - interface
        raise NotImplementedError
