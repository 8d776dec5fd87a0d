"""An OpenAPI-driven fuzz of the HTTP API (schemathesis, in-process over ASGI): no 5xx, and
every response matches the document.  Fast: a bounded number of examples per operation."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from storyline.web.app import create_app  # noqa: E402
from storyline.web.openapi import openapi_document  # noqa: E402
from storyline.web.sample import hostile_store  # noqa: E402

TOKEN = "fuzz-token-0123456789abcdef"
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "story.db"
    hostile_store(db).close()
    return db


@pytest.fixture(scope="module")
def read_only_schema(fuzz_db: Path) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(fuzz_db)))


@pytest.fixture(scope="module")
def writable_schema(fuzz_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("fuzzw") / "story.db"
    shutil.copy(fuzz_db, db)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db), token=TOKEN))


# schemathesis's own pytest plugin does not run under this pytest (9.x), so each operation's
# Hypothesis strategy is driven here directly.
OPERATIONS = [(path, method.upper()) for path, item in openapi_document()["paths"].items() for method in item]
FAST = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)


def _fuzz(schema: Any, path: str, method: str, headers: dict[str, str] | None = None) -> int:
    operation = schema[path][method]
    calls = 0

    @given(case=operation.as_strategy())
    @FAST
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
    return calls


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_read_only_api(read_only_schema: Any, path: str, method: str) -> None:
    assert _fuzz(read_only_schema, path, method) > 0


@pytest.mark.parametrize(("path", "method"), [op for op in OPERATIONS if op[1] == "POST"])
def test_write_api_with_token(writable_schema: Any, path: str, method: str) -> None:
    assert _fuzz(writable_schema, path, method, {"Authorization": f"Bearer {TOKEN}"}) > 0
