"""End-to-end tests in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Run with ``pytest -m browser`` after ``scripts/install-browser.sh``.  Screenshots of every
page go to ``$SCREENSHOT_DIR`` (default: ``screenshots/`` at the repository root).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SEEDS = Path(os.environ.get("STORYLINE_SEEDS", "/work/shared/seeds/seeds.jsonl"))
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[1] / "screenshots")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """uvicorn on 127.0.0.1 in a thread, stopped at the end."""

    def __init__(self, db: str) -> None:
        import uvicorn

        from storyline.web.app import create_app

        self.port = _free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing: run scripts/install-browser.sh")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not SEEDS.exists():
        pytest.skip(f"the seed corpus is not at {SEEDS}")
    from storyline.web.sample import seed_store

    db = str(tmp_path_factory.mktemp("seed") / "seed.db")
    seed_store(db, SEEDS).close()
    return db


def _page(browser: Any) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    return page, errors, requests


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def test_seed_story_end_to_end(browser: Any, seed_db: str, tmp_path: Path) -> None:
    with Server(seed_db) as base:
        page, errors, requests = _page(browser)
        page.goto(base + "/")
        page.wait_for_selector("[data-axis] .mark")
        entries = page.locator("li.entry")
        assert entries.count() >= 2
        # The axis is laid out by the script: marks have a position and the ticks are drawn.
        assert page.locator(".axis-ticks .tick").count() >= 2
        assert page.locator(".mark").first.evaluate("el => el.style.left") != ""
        _shot(page, "01-timeline.png")

        # Zoom in twice: the track gets wider.
        before = page.locator(".axis-track").evaluate("el => el.clientWidth")
        page.click("[data-zoom=in]")
        page.click("[data-zoom=in]")
        after = page.locator(".axis-track").evaluate("el => el.clientWidth")
        assert after >= 3.5 * before
        _shot(page, "02-timeline-zoomed.png")
        page.click("[data-zoom=fit]")

        # Expand an event that has sources: its sentences and source articles show.
        first = entries.first
        assert not first.locator("details").evaluate("d => d.open")
        first.locator("summary").click()
        assert first.locator("details").evaluate("d => d.open")
        assert first.locator(".source-list li").count() >= 1
        assert first.locator(".counts").inner_text().strip().split()[0].isdigit()
        first.scroll_into_view_if_needed()
        _shot(page, "03-event-expanded.png")

        # Clicking a mark on the axis opens its entry.
        page.locator(".mark").nth(1).click()
        page.wait_for_function("() => document.querySelector(location.hash + ' details').open")

        # Follow a source: the article page with highlighted entities, quotes and dates.
        link = first.locator(".source-list li a").first
        title = link.inner_text().strip()
        link.click()
        page.wait_for_selector("article.article .text")
        assert "/articles/" in page.url
        assert title[:30] in page.locator("h1").inner_text()
        assert page.locator(".text .ent").count() > 0
        assert page.locator(".text .quote").count() > 0
        removed = page.locator("details.removed")
        if removed.count():
            removed.locator("summary").click()
        _shot(page, "04-article.png")

        # An actor page from an entity link in the text.
        page.locator(".text a.ent").first.click()
        page.wait_for_selector("h2#statements")
        assert "/actors/" in page.url
        _shot(page, "05-actor.png")

        page.goto(base + "/actors/Putin")
        page.wait_for_selector("h2#statements")
        _shot(page, "06-actor-putin.png")

        page.goto(base + "/entities?sort=-mentions")
        assert page.locator("table.data tbody tr").count() > 3
        _shot(page, "07-entities.png")

        page.goto(base + "/quotes")
        assert page.locator("table.data tbody tr").count() > 3
        _shot(page, "08-quotes.png")

        page.fill("header input[type=search]", "ceasefire")
        page.press("header input[type=search]", "Enter")
        page.wait_for_selector("ol.results li")
        assert page.locator("p.snippet mark").count() > 0
        _shot(page, "09-search.png")

        assert errors == []
        page.goto(base + "/articles/does-not-exist")
        assert "E902" in page.locator("p.error").inner_text()
        _shot(page, "10-not-found.png")
        assert all(u.startswith(base) for u in requests), [u for u in requests if not u.startswith(base)]
        page.close()


def test_report_opens_offline(browser: Any, seed_db: str, tmp_path: Path) -> None:
    from storyline.web.report import write_report

    out = write_report(seed_db, tmp_path / "story.html")
    page, errors, requests = _page(browser)
    page.goto(out.as_uri())
    page.wait_for_selector("[data-axis] .mark")
    assert page.locator("section.actor").count() >= 1
    assert page.locator(".report-sources li").count() >= 5
    _shot(page, "11-report.png", full_page=False)
    page.click("[data-expand-all]")
    page.goto(out.as_uri() + "#actors")
    _shot(page, "12-report-actors.png", full_page=False)
    assert errors == [], errors  # a CSP violation of the inline script or style would show here
    assert all(u.startswith("file://") for u in requests), requests
    page.close()


def test_hostile_content_is_inert(browser: Any, tmp_path: Path) -> None:
    from storyline.web.report import write_report
    from storyline.web.sample import hostile_store

    db = str(tmp_path / "hostile.db")
    hostile_store(db).close()
    with Server(db) as base:
        page, errors, _ = _page(browser)
        for path in ["/", "/articles/evil1", "/articles/evil2", "/actors/e-jane", "/entities", "/quotes", "/search?q=talks"]:
            page.goto(base + path)
            page.wait_for_load_state("load")
            for d in page.locator("details").all():
                d.evaluate("d => d.open = true")
            assert page.evaluate("() => window.__xss") is None, path
            assert page.locator("a[href^='javascript' i]").count() == 0, path
            assert page.locator("main script, main img").count() == 0, path
        page.goto(base + "/articles/evil1")
        _shot(page, "13-hostile-article.png")
        assert errors == [], errors
        out = write_report(db, tmp_path / "evil.html")
        page.goto(out.as_uri())
        page.click("[data-expand-all]")
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("a[href^='javascript' i]").count() == 0
        page.close()
