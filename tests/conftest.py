from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
# The PostgreSQL server of the `server` tests: `bash scripts/install-postgres.sh` prints it.
PG_URL = os.environ.get("STORYLINE_TEST_PG", "")


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (it lives in ../shared/seeds beside the checkout)")
    return SEEDS


@pytest.fixture
def settings():
    from storyline.settings import Settings

    return Settings(workers=1, progress=False)


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A store URL on STORYLINE_TEST_PG whose schema is new, dropped afterwards (skips without a server)."""
    if not PG_URL:
        pytest.skip(
            "STORYLINE_TEST_PG is not set: start a server with `bash scripts/install-postgres.sh` and set "
            "STORYLINE_TEST_PG to the URL it prints"
        )
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'storyline[postgres]'")
    schema = f"storyline_test_{uuid.uuid4().hex[:12]}"
    try:
        yield _with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose store lives in a fresh PostgreSQL schema, dropped after the test."""
    with fresh_pg_schema() as url:
        yield url
