"""storyline: a sourced account of a news story from a pile of articles.

>>> import storyline
>>> report = storyline.build(["articles/"], db="story.db")      # doctest: +SKIP
>>> store = storyline.open_store("story.db")                    # doctest: +SKIP
>>> storyline.timeline(store, max_dates=10)                     # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["annotate", "build", "open_store", "timeline", "load_settings", "Settings", "__version__"]


def __getattr__(name: str) -> Any:  # lazy: `import storyline` stays cheap
    if name in {"annotate", "build", "timeline", "BuildReport"}:
        from storyline import api

        return getattr(api, name)
    if name == "open_store":
        from storyline.store import open_store

        return open_store
    if name in {"load_settings", "Settings"}:
        from storyline import settings

        return getattr(settings, name)
    raise AttributeError(name)
