"""The web UI, HTTP API and report, through Starlette's test client (no server, no NLP)."""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from storyline.web.app import create_app  # noqa: E402
from storyline.web.data import date_bounds, highlight_segments, safe_href, split_snippet  # noqa: E402
from storyline.web.sample import XSS_IMG, XSS_SCRIPT, XSS_URL, hostile_store  # noqa: E402

PAGES = ["/", "/entities", "/quotes", "/search?q=talks", "/actors/e-jane", "/articles/evil1", "/articles/evil2",
         "/articles/plain3", "/?from=2022&to=2022-12", "/quotes?speaker=Jane", "/entities?sort=name&q=roe"]
API = ["/api/articles", "/api/articles/evil1", "/api/entities", "/api/entities/e-jane", "/api/quotes", "/api/events",
       "/api/timeline", "/api/search?q=talks", "/openapi.json"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("web") / "hostile.db")
    hostile_store(db).close()
    return db


@pytest.fixture(scope="module")
def client(hostile_db: str) -> TestClient:
    return TestClient(create_app(hostile_db))


@pytest.fixture()
def fallback(hostile_db: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app as it runs without ``storyline.timeline``: the timeline comes from the events corpus."""
    import storyline.web.data as data

    real = data._optional
    monkeypatch.setattr(data, "_optional", lambda m, n: None if m == "storyline.timeline" else real(m, n))
    return TestClient(create_app(hostile_db))


@pytest.fixture()
def writable(hostile_db: str, tmp_path: Path) -> TestClient:
    db = tmp_path / "w.db"
    shutil.copy(hostile_db, db)
    return TestClient(create_app(str(db), token="s3cret-token-0123456789"))


# -- pages --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_pages_render(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")


def test_timeline_page_shows_precision_and_sources(fallback: TestClient) -> None:
    html = fallback.get("/").text
    # The month-level event is drawn over its whole month, the year-level one over its year.
    assert 'class="mark prec-month" href="#entry-0" data-entry="0" data-start="2022-12-01" data-end="2022-12-31"' in html
    assert 'data-start="2023-01-01" data-end="2023-12-31"' in html
    assert ">December 2022</time>" in html and '<span class="badge prec">month</span>' in html
    # Two articles, one a copy of the other: one independent source; the copy is marked.
    assert "<strong>1</strong> independent source · 2 articles" in html
    assert "copy of Talks" in html
    assert '/articles/evil1?hl=0-33#target' in html  # the event sentence links to its place


def test_article_page_highlights_and_metadata(client: TestClient) -> None:
    html = client.get("/articles/evil1").text
    assert '<a class="ent ent-PERSON" href="/actors/e-jane"' in html
    assert 'class="timex" title="DATE 2022-12-02">2 December 2022</span>' in html
    assert 'class="quote"' in html
    assert "Removed boilerplate (1 block)" in html and "boilerplate &lt;b&gt;" in html
    assert "method: inferred, confidence 0.60" in html and "between 2022-12-02 and 2022-12-31" in html
    assert "Why this date (1 piece of evidence)" in html
    assert "Copied by:" in html and "/articles/evil2" in html
    copy = client.get("/articles/evil2").text
    assert "This article is a copy of" in copy
    assert "<dt>Notes</dt>" in copy and "no entities or quotes taken from it" in copy  # a stage's warning, escaped


def test_article_target_passage(client: TestClient) -> None:
    html = client.get("/articles/evil1?hl=0-33").text
    assert '<mark class="target" id="target" title="cited passage">Officials met on </mark>' in html
    assert html.count('id="target"') == 1 and html.count('<mark class="target"') == 3


def test_actor_page_statements_and_topic(client: TestClient) -> None:
    html = client.get("/actors/e-jane").text
    assert "Statements over time" in html and "deal" in html
    assert client.get("/actors/Jane%20Roe").status_code == 200  # by name
    r = client.get("/actors/e-jane?topic=zebra")
    assert r.status_code == 200 and "No statements about" in r.text


def test_entities_and_quotes_sort_and_filter(client: TestClient) -> None:
    assert "1 entity." in client.get("/entities?type=PERSON").text
    assert "0 entities." in client.get("/entities?type=ORG").text
    assert client.get("/entities?sort=bogus").status_code == 400
    assert "1 quote." in client.get("/quotes?q=deal").text
    assert "0 quotes." in client.get("/quotes?kind=indirect").text
    assert "0 quotes." in client.get("/quotes?from=2024").text


def test_search_page_marks_hits(client: TestClient) -> None:
    html = client.get("/search?q=changed+position").text
    assert "<mark>changed</mark>" in html and "<mark>position</mark>" in html


def test_actor_param_redirects_to_actor_page(client: TestClient) -> None:
    r = client.get("/?actor=Jane%20Roe&topic=deal", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actors/e-jane?topic=deal"


# -- security -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES + API)
def test_hostile_content_is_escaped(client: TestClient, path: str) -> None:
    r = client.get(path)
    body = r.text
    if r.headers["content-type"] == "application/json":
        # JSON carries the data as it is; it is never sniffed as HTML.
        assert r.headers["x-content-type-options"] == "nosniff"
        return
    assert XSS_SCRIPT not in body
    assert XSS_IMG not in body
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", body, re.I)
    assert "onerror=" not in body.replace("onerror=&#34;", "").replace('onerror=\\"', "")
    if r.headers["content-type"].startswith("text/html"):
        # Only our own script tag, from /static.
        assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/app.js" defer>']


def test_escaped_forms_are_visible(client: TestClient) -> None:
    html = client.get("/articles/evil1").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html  # shown as text
    assert '<span class="unsafe-url" title="not an http(s) link">javascript:window.__xss=3</span>' in html
    assert "Mallory &lt;script&gt;" in html
    assert 'href="https://example.org/talks?a=1&amp;b=&lt;x&gt;"' in client.get("/articles/evil2").text


@pytest.mark.parametrize("path", ["/", "/api/articles", "/nope", "/api/nope", "/static/app.js", "/articles/x"])
def test_security_headers(client: TestClient, path: str) -> None:
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("  JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ("https:///nohost", False),
        ("https://ok.example/\x00", False),
        (None, False),
        (42, False),
    ],
)
def test_safe_href(url: Any, ok: bool) -> None:
    assert (safe_href(url) is not None) is ok


def test_errors_do_not_leak(client: TestClient, hostile_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    r = client.get("/articles/missing")
    assert r.status_code == 404 and "E902" in r.text and "Traceback" not in r.text
    r = client.get("/api/articles/missing")
    assert r.status_code == 404 and r.json() == {"error": "E902 No article with id 'missing' in this story", "status": 404}
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "E907" in r.text
    r = client.delete("/api/articles")
    assert r.status_code == 405
    app = create_app(hostile_db)
    boom = TestClient(app, raise_server_exceptions=False)

    def fail(*a: Any, **k: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(app.state.web.data, "timeline", fail)
    for path in ("/", "/api/timeline"):
        r = boom.get(path)
        assert r.status_code == 500
        assert "E906" in r.text and "secret internal detail" not in r.text and "Traceback" not in r.text
        assert "content-security-policy" in r.headers


def test_missing_store_is_an_error(tmp_path: Path) -> None:
    from storyline.errors import StorylineError

    with pytest.raises(StorylineError, match="E203"):
        create_app(str(tmp_path / "none.db"))


# -- API ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", API)
def test_api_answers_json(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"


def test_api_pagination(client: TestClient) -> None:
    body = client.get("/api/articles?limit=2&offset=0").json()
    assert body["total"] == 3 and body["limit"] == 2 and len(body["items"]) == 2
    rest = client.get("/api/articles?limit=2&offset=2").json()
    assert [a["id"] for a in body["items"] + rest["items"]] == ["evil1", "evil2", "plain3"]
    assert client.get("/api/articles?offset=99").json()["items"] == []
    for bad in ("limit=0", "limit=501", "limit=x", "offset=-1", "from=2023-13", "to=yesterday"):
        r = client.get("/api/articles?" + bad)
        assert r.status_code == 400 and r.json()["error"].startswith("E901"), bad


def test_api_article_shape(client: TestClient) -> None:
    a = client.get("/api/articles/evil1").json()
    for key in ("id", "source", "url", "title", "outlet", "authors", "published", "language", "text"):
        assert key in a
    assert a["published"]["precision"] == "month" and a["published"]["method"] == "inferred"
    assert a["title"] == f"Talks {XSS_SCRIPT} {XSS_IMG}"  # JSON carries the data as it is
    assert a["url"] == XSS_URL


def test_api_date_filters_overlap_partial_dates(client: TestClient) -> None:
    def ids(q: str) -> list[str]:
        return [a["id"] for a in client.get("/api/articles?" + q).json()["items"]]

    assert ids("from=2022-12-15&to=2022-12-20") == ["evil1"]  # month-level date overlaps
    assert ids("from=2023-06") == ["plain3"]  # year-level date overlaps
    assert ids("to=2022-12-02") == ["evil1"]
    ev = client.get("/api/events?from=2023").json()
    assert [e["id"] for e in ev["items"]] == ["ev2"] and ev["total"] == 1


def test_timeline_from_the_timeline_module(client: TestClient) -> None:
    """With storyline.timeline (the CLI's timeline), entries carry sentences, sources and quotes."""
    pytest.importorskip("storyline.timeline")
    items = client.get("/api/timeline").json()["items"]
    assert [e["date"] for e in items] == ["2022-12", "2023"]
    assert items[0]["precision"] == "month" and items[0]["quotes"][0]["entity"] == "e-jane"
    html = client.get("/").text
    assert 'data-start="2022-12-01" data-end="2022-12-31"' in html
    assert html.count('<li class="entry"') == 2
    assert '<a href="/actors/e-jane">Jane Roe &lt;img' in html  # the quote's speaker links to the actor


def test_api_timeline_filters(fallback: TestClient, client: TestClient) -> None:
    full = fallback.get("/api/timeline").json()
    assert full["total"] == 2 and full["items"][0]["precision"] == "month"
    assert fallback.get("/api/timeline?from=2023").json()["total"] == 1
    assert fallback.get("/api/timeline?query=position").json()["total"] == 1
    assert fallback.get("/api/timeline?max_dates=1").json()["total"] == 1
    assert fallback.get("/api/timeline?per_date=1").json()["total"] == 2
    assert client.get("/api/timeline?from=2023").json()["total"] == 1
    assert client.get("/api/timeline?from=bad").status_code == 400
    actor = client.get("/api/timeline?actor=Jane%20Roe").json()
    assert actor["actor"]["id"] == "e-jane" and actor["total"] >= 1
    assert any("deal" in (x.get("text") or "") for x in actor["items"])
    assert client.get("/api/timeline?actor=Nobody").status_code == 404


def test_api_search(client: TestClient) -> None:
    body = client.get("/api/search?q=deal").json()
    assert body["articles"]["total"] >= 1 and body["quotes"]["total"] == 1
    hit = body["articles"]["items"][0]
    s, e = hit["highlights"][0]
    assert hit["snippet"][s:e].lower() == "deal"
    assert client.get("/api/search").status_code == 400
    # FTS syntax in user input is neutralised, never an error.
    for q in ['"', "NEAR(", "a OR", "*", "title:x", "-"]:
        assert client.get("/api/search", params={"q": q}).status_code in (200, 400)


def test_api_entities_and_quotes(client: TestClient) -> None:
    ents = client.get("/api/entities?q=roe").json()
    assert ents["total"] == 1 and ents["items"][0]["id"] == "e-jane" and "mentions" in ents["items"][0]
    assert client.get("/api/entities/Jane%20Roe").json()["id"] == "e-jane"
    qs = client.get("/api/quotes?speaker=e-jane").json()
    assert qs["total"] == 1 and qs["items"][0]["article"] == "evil1" and qs["items"][0]["id"] == "evil1:0"
    assert not any(k.startswith("_") for k in qs["items"][0])
    assert client.get("/api/quotes?kind=bogus").status_code == 400


def test_openapi_document_validates(client: TestClient) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    doc = client.get("/openapi.json").json()
    validator.validate(doc)
    assert {"/api/articles", "/api/entities", "/api/quotes", "/api/events", "/api/timeline", "/api/search"} <= set(doc["paths"])


# -- writes -------------------------------------------------------------------------------
def test_writes_are_off_without_token(client: TestClient) -> None:
    r = client.post("/api/articles", json={"text": "hello"})
    assert r.status_code == 403 and r.json()["error"].startswith("E903")
    assert client.post("/api/corrections", json={"op": "rename", "entity": "e-jane", "name": "X"}).status_code == 403


def test_writes_need_the_token(writable: TestClient) -> None:
    assert writable.post("/api/articles", json={"text": "hello"}).status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert writable.post("/api/articles", json={"text": "hello"}, headers=bad).status_code == 401
    ok = {"Authorization": "Bearer s3cret-token-0123456789"}
    assert writable.post("/api/articles", content=b"not json", headers=ok).status_code == 400
    assert writable.post("/api/articles", json={"title": "no text"}, headers=ok).status_code == 400
    assert writable.post("/api/articles", json={"text": "x", "published": "2023-02-30"}, headers=ok).status_code == 400
    r = writable.post(
        "/api/articles",
        json={"text": "Talks resumed in Geneva on 3 March 2024.", "title": "Geneva", "published": "2024-03-03"},
        headers=ok,
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert writable.get(f"/api/articles/{new['id']}").json()["title"] == "Geneva"
    assert writable.get("/api/articles").json()["total"] == 4
    r = writable.post("/api/corrections", json={"op": "rename", "entity": "Jane Roe", "name": "Jane Q. Roe"}, headers=ok)
    assert r.status_code == 201, r.text
    assert Path(r.json()["file"]).name.endswith(".corrections.toml")
    names = [e["name"] for e in writable.get("/api/entities?type=PERSON").json()["items"]]
    assert "Jane Q. Roe" in names, names  # re-resolved with the correction applied
    bad = [{"op": "rename", "entity": "nobody", "name": "X"}, {"op": "explode", "entity": "Jane Roe"},
           {"op": "rename", "entity": "Jane Roe"}, {"op": "merge", "entities": ["Jane Roe"]}, {"op": "alias", "entity": 3, "alias": "x"}]
    for body, status in zip(bad, [404, 400, 400, 400, 400], strict=True):
        assert writable.post("/api/corrections", json=body, headers=ok).status_code == status, body


# -- report -------------------------------------------------------------------------------
def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_report_is_self_contained(hostile_db: str, tmp_path: Path) -> None:
    from storyline.commands.web import report_cmd

    out = tmp_path / "story.html"
    result = CliRunner().invoke(report_cmd, ["--db", hostile_db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert style and script
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp
    policy = html_lib.unescape(csp.group(1))
    assert _hash(style.group(1)) in policy and _hash(script.group(1)) in policy
    assert "default-src 'none'" in policy
    # Nothing is loaded from anywhere: no src= attributes, no stylesheet links.
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=", html.replace('<link rel="icon" href="data:,">', ""))
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert html.count("<script") == 1
    for needle in ('id="timeline"', 'id="actors"', 'id="sources"', 'id="actor-e-jane"', 'id="src-evil1"',
                   "December 2022", "copy of"):
        assert needle in html


def test_report_for_one_actor(hostile_db: str, tmp_path: Path) -> None:
    from storyline.web.report import write_report

    html = write_report(hostile_db, tmp_path / "a.html", actor="Jane Roe").read_text()
    assert 'id="actor-e-jane"' in html and "focused on Jane Roe" in html
    from storyline.errors import StorylineError

    with pytest.raises(StorylineError, match="E301"):
        write_report(hostile_db, tmp_path / "b.html", actor="Nobody")


def test_serve_command_refuses_a_missing_store(tmp_path: Path) -> None:
    from storyline.commands.web import serve_cmd

    result = CliRunner().invoke(serve_cmd, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "E203" in result.output
    assert "127.0.0.1" in CliRunner().invoke(serve_cmd, ["--help"]).output


# -- helpers ------------------------------------------------------------------------------
def test_highlight_segments_nest_and_clip() -> None:
    text = "Jane said hello"
    segs = highlight_segments(text, [(0, 15, "quote", {}), (0, 4, "ent", {}), (10, 99, "timex", {}), (5, 5, "x", {})])
    assert "".join(s for s, _ in segs) == text
    assert segs[0] == ("Jane", [("quote", {}), ("ent", {})])
    assert segs[-1] == ("hello", [("quote", {}), ("timex", {})])
    assert highlight_segments("", [(0, 3, "ent", {})]) == []


def test_split_snippet_and_date_bounds() -> None:
    assert split_snippet("a \x02b\x03 c") == ("a b c", [[2, 3]])
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2023") == ("2023-01-01", "2023-12-31")
    assert date_bounds("2023-13") is None and date_bounds(None) is None


def test_api_objects_are_the_exported_objects(client: TestClient, hostile_db: str) -> None:
    export = pytest.importorskip("storyline.export")
    from storyline.store import open_store

    store = open_store(hostile_db, create=False, readonly=True)
    try:
        story = export.export_story(store, timeline=False)
    finally:
        store.close()
    for kind in ("articles", "entities", "quotes", "events"):
        api = client.get(f"/api/{kind}?limit=500").json()
        assert api["total"] == len(story[kind])
        assert sorted(api["items"], key=lambda x: x["id"]) == sorted(story[kind], key=lambda x: x["id"]), kind
    assert client.get("/api/articles/evil1").json() == next(a for a in story["articles"] if a["id"] == "evil1")


def test_allowed_hosts_refuse_other_host_headers(hostile_db) -> None:
    client = TestClient(create_app(hostile_db, allowed_hosts=["localhost", "127.0.0.1", "[::1]"]), base_url="http://localhost")
    assert client.get("/api/timeline").status_code == 200
    assert client.get("/api/timeline", headers={"Host": "[::1]:8000"}).status_code == 200
    assert client.get("/api/timeline", headers={"Host": "rebound.example:8000"}).status_code == 400
    # without allowed hosts (another interface, no --allowed-host) every name is answered
    assert TestClient(create_app(hostile_db)).get("/api/timeline", headers={"Host": "x.example"}).status_code == 200
