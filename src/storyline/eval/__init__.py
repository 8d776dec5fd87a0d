"""Evaluation: one module per task, each exposing a click ``command``.

Gold data is read from ``../shared/data`` (beside the checkout) or from the folder
named by ``STORYLINE_DATA``; it is never copied into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

from storyline.errors import E, StorylineError

# task name -> module (under storyline.eval) that defines ``command``
TASKS: dict[str, str] = {
    "extraction": "extraction",
    "clean": "extraction",  # the flattened-text benchmark lives beside the HTML one
    "timex": "timex",
    "pubdate": "pubdate",
    "quotes": "quotes",
    "entities": "entities",
    "events": "events",
    "copies": "events",
    "tls": "tls",
    "entity-timeline": "entity_timeline",
}


def data_dir() -> Path:
    """The shared gold-data folder: $STORYLINE_DATA, else ../shared/data from the repo or cwd."""
    env = os.environ.get("STORYLINE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for base in [Path.cwd(), *here.parents]:
        cand = base.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return Path.cwd().parent / "shared" / "data"


def gold_path(task: str, *parts: str) -> Path:
    """Path of a gold-data folder; raises a catalogued error naming it when absent."""
    p = data_dir().joinpath(*parts)
    if not p.exists():
        raise StorylineError(E.NO_GOLD, task=task, path=str(p))
    return p
