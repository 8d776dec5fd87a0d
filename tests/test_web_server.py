"""``storyline serve`` as a real process: localhost by default, read-only, secure headers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _external_ip() -> str | None:
    """This machine's non-loopback address (no packet is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
        except OSError:
            return None
        ip = str(s.getsockname()[0])
    return None if ip.startswith("127.") else ip


def _serve(db: str, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    exe = Path(sys.executable).parent / "storyline"  # the console script of this environment
    if not exe.exists():
        pytest.skip("the storyline command is not installed in this environment")
    cmd = [str(exe), "serve", "--db", db, "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ | {"STORYLINE_TOKEN": ""})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/app.js", timeout=1.0)
            return proc, port
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode() if proc.stderr else "exited") from None
            time.sleep(0.2)
    proc.terminate()
    raise AssertionError("server did not start")


@pytest.fixture()
def db(tmp_path: Path) -> str:
    from storyline.web.sample import hostile_store

    path = str(tmp_path / "story.db")
    hostile_store(path).close()
    return path


def test_serve_read_only_on_localhost(db: str) -> None:
    proc, port = _serve(db)
    try:
        base = f"http://127.0.0.1:{port}"
        r = httpx.get(base + "/")
        assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
        assert "server" not in r.headers  # no server banner
        assert httpx.get(base + "/api/timeline").json()["total"] >= 1
        assert httpx.post(base + "/api/articles", json={"text": "x"}).status_code == 403
        # A page elsewhere that re-points its own name at 127.0.0.1 (DNS rebinding) is refused.
        assert httpx.get(base + "/api/timeline", headers={"Host": f"attacker.example:{port}"}).status_code == 400
        assert httpx.get(f"http://localhost:{port}/api/timeline").status_code == 200
        # Bound to the loopback interface only: this machine's other address does not answer.
        ip = _external_ip()
        if ip is not None:
            with pytest.raises(OSError):
                socket.create_connection((ip, port), timeout=2).close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_with_token_accepts_writes(db: str) -> None:
    proc, port = _serve(db, "--token", "a-long-enough-test-token-123")
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.post(base + "/api/articles", json={"text": "x"}).status_code == 401
        r = httpx.post(
            base + "/api/articles",
            json={"text": "Talks resumed in Geneva.", "title": "Geneva"},
            headers={"Authorization": "Bearer a-long-enough-test-token-123"},
            timeout=120,
        )
        assert r.status_code == 201, r.text
        assert httpx.get(base + "/api/articles").json()["total"] == 4
    finally:
        proc.terminate()
        proc.wait(timeout=10)
