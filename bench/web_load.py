"""Web benchmark: timeline render time on a 10,000-article store, and read load on a local server.

    .venv/bin/python bench/web_load.py [--articles 10000] [--rate 200] [--duration 10] [--db /tmp/web_bench.db]

1. Builds (once; reused when ``--db`` already holds that many articles) a synthetic store with
   ``--articles`` articles, 3 quotes each, ~1 event per 4 articles, copies
   (``storyline.web.sample.synthetic_store``; no NLP).
2. Server-side render time of the timeline page ``GET /`` in-process (ASGI, no network): the
   first request after start (cold: the timeline is computed from the store) and the median of
   later ones (warm: computed timelines are cached per store version), with ``GET
   /static/app.js`` measured the same way as the reference floor.  Goal: < 1 s.
3. Read load against a real uvicorn server on 127.0.0.1 (a child process, stopped at the end):
   an open-loop generator sends ``--rate`` requests per second for ``--duration`` seconds to
   ``/api/timeline`` (a rotation of filters) and to ``/api/search`` (a rotation of words);
   latency is measured from each request's scheduled send time, so a server that falls behind
   shows it.  Goal: 200 requests/s with every request answered, p50 / p99 reported.

The load generator runs on the same (2-core, shared) machine as the server, so these numbers are
a lower bound of what the server does alone; the server's own CPU time per request (from
/proc) is printed too, as a capacity measure that does not depend on what else runs.  Ratios are printed against the goals and the
reference measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TIMELINE_QUERIES = [
    "/api/timeline",
    "/api/timeline?from=2023&to=2023",
    "/api/timeline?query=ceasefire",
    "/api/timeline?max_dates=50",
    "/api/timeline?from=2024-06&limit=20",
]
SEARCH_WORDS = ["ceasefire", "sanctions", "talks", "grain", "energy", "prisoners", "aid", "borders",
                "negotiations", "discussed length", "Speaker 7", "report 4242"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def build_store(db: Path, n: int) -> float:
    from storyline.store import open_store
    from storyline.web.sample import synthetic_store

    if db.exists():
        s = open_store(db)
        have = s.count_articles()
        s.close()
        if have == n:
            return 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    t = time.perf_counter()
    synthetic_store(db, n).close()
    return time.perf_counter() - t


def render_times(db: Path, warm_runs: int = 10) -> dict[str, float]:
    from starlette.testclient import TestClient

    from storyline.web.app import create_app

    out: dict[str, float] = {}
    client = TestClient(create_app(str(db)))
    for name, path in (("page_cold", "/"), ("api_cold", "/api/timeline")):
        t = time.perf_counter()
        r = client.get(path)
        out[name] = time.perf_counter() - t
        assert r.status_code == 200, (path, r.status_code)
    for name, path in (("page_warm", "/"), ("api_warm", "/api/timeline"), ("static", "/static/app.js")):
        times = []
        for _ in range(warm_runs):
            t = time.perf_counter()
            r = client.get(path)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200
        out[name] = statistics.median(times)
    out["page_bytes"] = float(len(client.get("/").content))
    out["entries"] = float(client.get("/api/timeline?limit=1").json()["total"])
    out["events"] = float(client.get("/api/events?limit=1").json()["total"])
    return out


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One HTTP/1.1 keep-alive GET on an open connection; returns the status (body read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if m is None:
        raise ValueError("no content-length")
    await reader.readexactly(int(m.group(1)))
    return int(head[9:12])


async def _load(port: int, paths: list[str], rate: float, duration: float, connections: int = 64) -> dict[str, Any]:
    """Open loop: request i is due at start + i/rate; it waits for a free keep-alive connection.

    A minimal HTTP/1.1 client (asyncio streams) keeps the generator's own CPU cost low, since it
    shares the machine with the server.  Latency counts from the due time (queueing included).
    """
    n = int(rate * duration)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    start = time.perf_counter() + 0.2

    async def one(i: int) -> None:
        nonlocal errors
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        reader, writer = await pool.get()
        try:
            status = await _get(reader, writer, paths[i % len(paths)])
        except (OSError, ValueError, asyncio.IncompleteReadError):
            errors += 1
            writer.close()
            pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
            return
        pool.put_nowait((reader, writer))
        statuses[status] = statuses.get(status, 0) + 1
        latencies.append(time.perf_counter() - due)

    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait()[1].close()
    return {
        "sent": n,
        "ok": statuses.get(200, 0),
        "statuses": statuses,
        "errors": errors,
        "elapsed": elapsed,
        "achieved": statuses.get(200, 0) / elapsed,
        "p50": _pct(latencies, 50),
        "p99": _pct(latencies, 99),
        "max": max(latencies) if latencies else float("nan"),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn\n"
        "from storyline.web.app import create_app\n"
        f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, log_level='warning', access_log=False)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/app.js", timeout=1.0)
            return proc
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise RuntimeError("the server exited") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", default="/tmp/storyline_web_bench.db")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args()
    db = Path(args.db)

    built = build_store(db, args.articles)
    print(f"store: {args.articles} articles at {db}" + (f" (built in {built:.1f} s)" if built else " (reused)"))

    r = render_times(db)
    print(f"timeline page: {int(r['events'])} events on the axis, 50 listed per page, {r['page_bytes'] / 1024:.0f} KiB; "
          f"/api/timeline (the CLI's summary): {int(r['entries'])} entries")
    print(f"render GET /            cold {r['page_cold'] * 1000:8.1f} ms   warm (median of 10) {r['page_warm'] * 1000:7.1f} ms")
    print(f"render GET /api/timeline cold {r['api_cold'] * 1000:8.1f} ms   warm (median of 10) {r['api_warm'] * 1000:7.1f} ms")
    print(f"reference GET /static/app.js median {r['static'] * 1000:.2f} ms")
    print(f"ratio page cold / goal (1 s): {r['page_cold'] / 1.0:.2f}   page warm / goal: {r['page_warm'] / 1.0:.3f}   "
          f"page warm / static reference: {r['page_warm'] / r['static']:.1f}x")

    if args.skip_load:
        return
    port = _free_port()
    proc = run_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for p in TIMELINE_QUERIES:  # the first answer computes each timeline; load measures serving
            httpx.get(base + p, timeout=120.0).raise_for_status()
        search = [f"/api/search?q={w.replace(' ', '+')}" for w in SEARCH_WORDS]
        n = int(args.rate * args.duration)
        distinct = [f"/api/search?q=report+{i}" if i % 2 else f"/api/search?q=Speaker+{i % 40}+{i}" for i in range(n)]
        scenarios = (
            ("timeline", TIMELINE_QUERIES),
            ("search (12 words)", search),
            ("search (all distinct)", distinct),
            ("static (reference)", ["/static/app.js"]),
        )
        for name, paths in scenarios:
            cpu0 = cpu_seconds(proc.pid)
            res = asyncio.run(_load(port, paths, args.rate, args.duration))
            cpu = cpu_seconds(proc.pid) - cpu0
            per_req = cpu / max(1, res["ok"])
            print(
                f"load {name:22s} target {args.rate:.0f}/s for {args.duration:.0f} s: {res['ok']}/{res['sent']} ok "
                f"(statuses {res['statuses']}, errors {res['errors']}), achieved {res['achieved']:.0f}/s "
                f"(ratio to target {res['achieved'] / args.rate:.2f}), latency p50 {res['p50'] * 1000:.1f} ms, "
                f"p99 {res['p99'] * 1000:.1f} ms, max {res['max'] * 1000:.1f} ms; server CPU {per_req * 1000:.2f} ms/request "
                f"= {1 / per_req if per_req else float('inf'):.0f} requests per CPU-second"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"cpus visible: {os.cpu_count()}; load generator and server share them")


if __name__ == "__main__":
    main()
