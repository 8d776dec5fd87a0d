"""The local web UI and HTTP API: one Starlette app over one story database.

Pages (server-rendered Jinja2, autoescaped; a small vanilla script in ``static/`` adds the
zoomable axis and table sorting) and a JSON API under ``/api`` whose objects have the
shapes of the JSON export.  Read-only unless started with a token; writes then need
``Authorization: Bearer TOKEN``.

Security: every value from the store is escaped by the templates, only http(s) URLs
become links, responses carry a strict Content-Security-Policy (scripts and styles only
from ``/static``), errors are rendered without tracebacks.
"""

from __future__ import annotations

import hmac
import importlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import E, StorylineError
from storyline.model import Article, PubDate, RawDoc, content_id
from storyline.store import Store, open_store
from storyline.web.data import StoryData, date_bounds, highlight_segments
from storyline.web.render import axis_marks, environment

log = logging.getLogger("storyline.web")

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
MAX_LIMIT = 500
MAX_BODY = 5_000_000
_ISO_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SPAN_RE = re.compile(r"^(\d{1,9})-(\d{1,9})$")


class SecurityHeaders:
    """Pure-ASGI middleware adding the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    if k not in headers:
                        headers[k] = v
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- parameters ---------------------------------------------------------------------------
def _bad(name: str, reason: str) -> HTTPException:
    return HTTPException(400, StorylineError(E.WEB_BAD_PARAM, name=name, reason=reason).args[0])


def _int(request: Request, name: str, default: int | None, lo: int = 0, hi: int = 1_000_000) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, f"{raw!r} is not an integer") from None
    if not lo <= value <= hi:
        raise _bad(name, f"must be between {lo} and {hi}")
    return value


def _date(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not _ISO_RE.match(raw) or date_bounds(raw) is None:
        raise _bad(name, f"{raw!r} is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY")
    return raw


def _str(request: Request, name: str, max_len: int = 500) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    raw = raw.strip()
    if len(raw) > max_len:
        raise _bad(name, f"longer than {max_len} characters")
    if "\x00" in raw:
        raise _bad(name, "contains a NUL character")
    return raw or None


def _page(request: Request, default_limit: int = 50) -> tuple[int, int]:
    limit = _int(request, "limit", default_limit, 1, MAX_LIMIT)
    offset = _int(request, "offset", 0, 0, 10_000_000)
    return int(limit or default_limit), int(offset or 0)


def _paged(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _prec(iso: str | None) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(iso or ""), "unknown")


# -- the app ------------------------------------------------------------------------------
class WebApp:
    """The routes, over one store; ``create_app`` wires it into Starlette."""

    def __init__(self, db_path: str, token: str | None) -> None:
        self.db_path = db_path
        self.token = token or None
        self.env = environment()
        self.closed = True
        self.open()

    def open(self) -> None:
        """(Re)open the store: the app may be started and stopped more than once (tests do)."""
        if self.closed:
            self.store: Store = open_store(self.db_path, create=False, readonly=self.token is None)
            self.data = StoryData(self.store)
            self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.store.close()
            self.closed = True

    # -- helpers ---------------------------------------------------------------------------
    def html(self, request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("request_path", request.url.path)
        ctx.setdefault("mode", "app")
        ctx.setdefault("names", self.data.entity_names())
        ctx.setdefault("stats", self.stats())
        body = self.env.get_template(template).render(**ctx)
        return HTMLResponse(body, status_code=status)

    def stats(self) -> dict[str, int]:
        def build() -> dict[str, int]:
            return {
                "articles": self.store.count_articles(),
                "quotes": self.store.count_quotes(),
                "entities": len(self.data.entities()),
                "events": len(self.data.events()),
            }

        return self.data.cached(("stats",), build)

    def _article(self, article_id: str) -> Article:
        a = self.store.get_article(article_id)
        if a is None:
            raise HTTPException(404, StorylineError(E.WEB_NOT_FOUND, kind="article", id=article_id).args[0])
        return a

    def _entity(self, key: str) -> dict[str, Any]:
        e = self.data.find_entity(key)
        if e is None:
            raise HTTPException(404, StorylineError(E.NO_ENTITY, name=key).args[0])
        return e

    def _timeline_args(self, request: Request, default_view: str) -> dict[str, Any]:
        view = _str(request, "view") or default_view
        if view not in {"auto", "events", "summary"}:
            raise _bad("view", "must be one of auto, events, summary")
        return {
            "view": view,
            "query": _str(request, "query") or _str(request, "q"),
            "date_from": _date(request, "from"),
            "date_to": _date(request, "to"),
            "max_dates": _int(request, "max_dates", None, 1, 100_000),
            "per_date": _int(request, "per_date", None, 1, 100_000),
        }

    def _entries(self, request: Request, default_view: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        args = self._timeline_args(request, default_view)
        entries = self.data.timeline(**args)
        actor = _str(request, "actor")
        topic = _str(request, "topic")
        if actor:
            ent = self._entity(actor)
            entries = [e for e in entries if ent["id"] in (e.get("entities") or [])]
        if topic:
            ids = self.store.matching_ids(topic, "articles")
            words = {w.lower() for w in re.findall(r"\w+", topic)}
            entries = [
                e
                for e in entries
                if ids.intersection(e.get("articles") or [])
                or words <= {w.lower() for w in re.findall(r"\w+", str(e.get("summary") or ""))}
            ]
        return args | {"actor": actor, "topic": topic}, entries

    # -- pages -----------------------------------------------------------------------------
    async def timeline_page(self, request: Request) -> Response:
        actor = _str(request, "actor")
        if actor and not any(request.query_params.get(k) for k in ("q", "query", "from", "to")):
            ent = self._entity(actor)
            qs = urlencode({"topic": request.query_params.get("topic", "")}) if request.query_params.get("topic") else ""
            return RedirectResponse(f"/actors/{ent['id']}" + (f"?{qs}" if qs else ""), status_code=303)
        args, entries = self._entries(request, "auto")
        args["has_events"] = bool(self.data.events())
        limit, offset = _page(request, 50)
        window = self.data.with_quotes(entries[offset : offset + limit])
        meta = self.data.article_meta(a for e in window for a in e.get("articles") or [])
        base = urlencode(self._qs(request, offset=None))
        marks = axis_marks(entries, lambda i: f"#entry-{i}" if offset <= i < offset + limit
                            else f"?{base}{'&' if base else ''}offset={(i // limit) * limit}#entry-{i}")
        return self.html(
            request,
            "timeline.html",
            args=args,
            entries=window,
            first=offset,
            total=len(entries),
            limit=limit,
            offset=offset,
            marks=marks,
            meta=meta,
            prev_href=("?" + urlencode(self._qs(request, offset=max(0, offset - limit)))) if offset else None,
            next_href=("?" + urlencode(self._qs(request, offset=offset + limit))) if offset + limit < len(entries) else None,
        )

    @staticmethod
    def _qs(request: Request, **changes: Any) -> dict[str, Any]:
        q = dict(request.query_params)
        q.update({k: v for k, v in changes.items()})
        return {k: v for k, v in q.items() if v not in (None, "")}

    async def actor_page(self, request: Request) -> Response:
        ent = self._entity(request.path_params["entity_id"])
        topic = _str(request, "topic")
        statements = self.data.actor_timeline(ent, topic)
        all_statements = self.data.actor_timeline(ent, None) if topic else statements
        meta = self.data.article_meta(a for s in statements for a in (s.get("sources") or [s.get("article")]) if a)
        events = [e for e in self.data.timeline(view="auto") if ent["id"] in (e.get("entities") or [])]
        return self.html(
            request,
            "actor.html",
            entity=ent,
            topic=topic,
            topics=self.data.topics_for(all_statements),
            statements=statements,
            meta=meta,
            events=events[:50],
            n_events=len(events),
            marks=axis_marks(statements, lambda i: f"#st-{i}"),
        )

    async def article_page(self, request: Request) -> Response:
        a = self._article(request.path_params["article_id"])
        links = self.data.corpus("entity_links")
        names = self.data.entity_names()
        spans: list[tuple[int, int, str, dict[str, Any]]] = []
        for m in a.layers.get("entities") or []:
            eid = str(m.get("entity") or links.get(f"{a.id}:{m.get('cluster')}") or "")
            label = re.sub(r"[^A-Za-z_]", "", str(m.get("label") or ""))[:20]
            known = eid in names
            spans.append(
                (m["start"], m["end"], "ent", {"label": label, "href": "/actors/" + quote(eid, safe="") if known else None,
                                               "title": f"{label}: {names[eid] if known else m.get('text') or ''}"})
            )
        for t in a.layers.get("timexes") or []:
            spans.append((t["start"], t["end"], "timex", {"title": f"{t.get('type', '')} {t.get('value', '')}"}))
        for q in a.layers.get("quotes") or []:
            sp = q.get("speaker") or {}
            who = names.get(sp.get("entity") or "", sp.get("name") or sp.get("text") or "unknown speaker")
            spans.append((q["start"], q["end"], "quote", {"title": f"{q.get('kind', 'quote')} quote — {who}"}))
        hl = request.query_params.get("hl")
        target = _SPAN_RE.match(hl or "")
        if target:
            spans.append((int(target.group(1)), int(target.group(2)), "target", {"title": "cited passage"}))
        copies = self.data.copies().get(a.id) or {}
        related = [x for x in [copies.get("original"), *(copies.get("duplicates") or [])] if x and x != a.id]
        event_id = self.data.corpus("article_events").get(a.id)
        event = self.data.corpus("events").get(event_id) if event_id else None
        segments = highlight_segments(a.text, spans)
        first_target = True
        for _, anns in segments:
            for k, (kind, info) in enumerate(anns):
                if kind == "target":
                    anns[k] = (kind, dict(info, first=first_target))
                    first_target = False
        return self.html(
            request,
            "article.html",
            article=a,
            segments=segments,
            removed=a.layers.get("removed") or [],
            copies=copies,
            related=self.data.article_meta(related),
            event=event,
            quotes=a.layers.get("quotes") or [],
        )

    async def entities_page(self, request: Request) -> Response:
        rows, total, limit, offset, types = self._entity_rows(request)
        return self.html(
            request,
            "entities.html",
            rows=rows,
            total=total,
            limit=limit,
            offset=offset,
            types=types,
            q=_str(request, "q") or "",
            type=_str(request, "type") or "",
            sort=_str(request, "sort") or "-mentions",
            qs=lambda **kw: "?" + urlencode(self._qs(request, **kw)),
        )

    def _entity_rows(self, request: Request) -> tuple[list[dict[str, Any]], int, int, int, list[str]]:
        rows = self.data.entity_rows()
        types = sorted({r["type"] for r in rows if r["type"]})
        q = (_str(request, "q") or "").lower()
        typ = _str(request, "type")
        sort = _str(request, "sort") or "-mentions"
        if q:
            rows = [r for r in rows if q in r["name"].lower() or any(q in str(a).lower() for a in r["aliases"])]
        if typ:
            rows = [r for r in rows if r["type"] == typ]
        key = sort.lstrip("-")
        if key not in {"name", "type", "mentions", "articles", "quotes"}:
            raise _bad("sort", "must be one of name, type, mentions, articles, quotes (prefix - for descending)")
        rows = sorted(rows, key=lambda r: (r[key].lower() if isinstance(r[key], str) else r[key], r["name"].lower()),
                      reverse=sort.startswith("-"))
        limit, offset = _page(request, 100)
        return rows[offset : offset + limit], len(rows), limit, offset, types

    def _quote_rows(self, request: Request) -> tuple[list[dict[str, Any]], int, int, int]:
        sort = _str(request, "sort") or "date"
        if sort not in {"date", "-date", "speaker"}:
            raise _bad("sort", "must be one of date, -date, speaker")
        kind = _str(request, "kind")
        if kind and kind not in {"direct", "indirect", "mixed"}:
            raise _bad("kind", "must be one of direct, indirect, mixed")
        qs = self.data.filter_quotes(
            speaker=_str(request, "speaker"),
            text=_str(request, "q"),
            kind=kind,
            date_from=_date(request, "from"),
            date_to=_date(request, "to"),
            sort=sort,
        )
        limit, offset = _page(request, 100)
        return qs[offset : offset + limit], len(qs), limit, offset

    async def quotes_page(self, request: Request) -> Response:
        rows, total, limit, offset = self._quote_rows(request)
        return self.html(
            request,
            "quotes.html",
            rows=rows,
            total=total,
            limit=limit,
            offset=offset,
            speaker_name=self.data.speaker_name,
            f={k: request.query_params.get(k, "") for k in ("q", "speaker", "kind", "from", "to", "sort")},
            qs=lambda **kw: "?" + urlencode(self._qs(request, **kw)),
        )

    async def search_page(self, request: Request) -> Response:
        q = _str(request, "q") or ""
        limit, offset = _page(request, 20)
        a_total, a_items = self.data.search_articles(q, limit, offset) if q else (0, [])
        q_total, q_items = self.data.search_quotes(q, limit, offset) if q else (0, [])
        return self.html(
            request,
            "search.html",
            q=q,
            a_total=a_total,
            a_items=a_items,
            q_total=q_total,
            q_items=q_items,
            limit=limit,
            offset=offset,
            speaker_name=self.data.speaker_name,
            qs=lambda **kw: "?" + urlencode(self._qs(request, **kw)),
        )

    # -- API -------------------------------------------------------------------------------
    async def api_articles(self, request: Request) -> Response:
        limit, offset = _page(request, 20)
        date_from, date_to = _date(request, "from"), _date(request, "to")
        total = self.data.count_articles(date_from, date_to)
        items = [self.data.article_json(a) for a in self.data.list_articles(limit, offset, date_from, date_to)]
        return JSONResponse(_paged(total, limit, offset, items))

    async def api_article(self, request: Request) -> Response:
        return JSONResponse(self.data.article_json(self._article(request.path_params["article_id"])))

    async def api_entities(self, request: Request) -> Response:
        rows, total, limit, offset, _ = self._entity_rows(request)
        ents = self.data.entities()
        return JSONResponse(_paged(total, limit, offset, [self.data.entity_json(ents[r["id"]]) for r in rows]))

    async def api_entity(self, request: Request) -> Response:
        return JSONResponse(self.data.entity_json(self._entity(request.path_params["entity_id"])))

    async def api_quotes(self, request: Request) -> Response:
        rows, total, limit, offset = self._quote_rows(request)
        items = [self.data.quote_json({k: v for k, v in q.items() if not k.startswith("_")}) for q in rows]
        return JSONResponse(_paged(total, limit, offset, items))

    async def api_events(self, request: Request) -> Response:
        limit, offset = _page(request, 50)
        date_from, date_to = _date(request, "from"), _date(request, "to")
        evs = self.data.events()
        if date_from or date_to:
            from storyline.web.data import _overlaps

            evs = [e for e in evs if _overlaps(e.get("date"), date_from, date_to)]
        items = [self.data.event_json(e) for e in evs[offset : offset + limit]]
        return JSONResponse(_paged(len(evs), limit, offset, items))

    async def api_timeline(self, request: Request) -> Response:
        limit, offset = _page(request, 100)
        actor = _str(request, "actor")
        if actor:
            ent = self._entity(actor)
            statements = self.data.actor_timeline(ent, _str(request, "topic"))
            date_from, date_to = _date(request, "from"), _date(request, "to")
            if date_from or date_to:
                from storyline.web.data import _overlaps

                statements = [s for s in statements if _overlaps(s.get("date"), date_from, date_to)]
            body = _paged(len(statements), limit, offset, statements[offset : offset + limit])
            body["actor"] = {"id": ent["id"], "name": ent.get("name")}
            return JSONResponse(body)
        _, entries = self._entries(request, "summary")
        return JSONResponse(_paged(len(entries), limit, offset, entries[offset : offset + limit]))

    async def api_search(self, request: Request) -> Response:
        q = _str(request, "q") or _str(request, "query")
        if not q:
            raise _bad("q", "a search needs some words")
        limit, offset = _page(request, 20)
        a_total, a_items = self.data.search_articles(q, limit, offset)
        q_total, q_items = self.data.search_quotes(q, limit, offset)
        return JSONResponse(
            {
                "query": q,
                "articles": _paged(a_total, limit, offset, a_items),
                "quotes": _paged(q_total, limit, offset, [self.data.quote_json(x) for x in q_items]),
            }
        )

    async def openapi(self, request: Request) -> Response:
        from storyline.web.openapi import openapi_document

        return JSONResponse(openapi_document(writes=self.token is not None))

    # -- writes ----------------------------------------------------------------------------
    def _authorize(self, request: Request) -> None:
        path = request.url.path
        if self.token is None:
            raise HTTPException(403, StorylineError(E.WEB_WRITES_OFF, path=path).args[0])
        scheme, _, cred = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(cred.strip().encode(), self.token.encode()):
            raise HTTPException(401, StorylineError(E.WEB_UNAUTHORIZED, path=path).args[0],
                                headers={"WWW-Authenticate": "Bearer"})

    async def _json_body(self, request: Request) -> dict[str, Any]:
        path = request.url.path
        body = await request.body()
        if len(body) > MAX_BODY:
            raise HTTPException(413, StorylineError(E.WEB_BAD_BODY, path=path, reason=f"is over {MAX_BODY} bytes").args[0])
        import json

        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason="is not valid JSON").args[0]) from None
        if not isinstance(data, dict):
            raise HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason="must be a JSON object").args[0])
        return data

    async def post_article(self, request: Request) -> Response:
        self._authorize(request)
        data = await self._json_body(request)
        path = request.url.path

        def field(name: str, required: bool = False) -> str | None:
            v = data.get(name)
            if v is None and not required:
                return None
            if not isinstance(v, str) or (required and not v.strip()):
                raise HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason=f"needs {name!r} as a non-empty string" if required else f"has a non-string {name!r}").args[0])
            return v

        text = field("text", required=True) or ""
        authors = data.get("authors") or []
        if not isinstance(authors, list) or not all(isinstance(x, str) for x in authors):
            raise HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason="has 'authors' that is not a list of strings").args[0])
        published = field("published")
        if published is not None and (not _ISO_RE.match(published) or date_bounds(published) is None):
            raise HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason="has a 'published' that is not YYYY-MM-DD, YYYY-MM or YYYY").args[0])
        raw = RawDoc(
            source=field("source") or "api",
            text=text,
            id=field("id"),
            title=field("title"),
            outlet=field("outlet"),
            authors=list(authors),
            url=field("url"),
            language=field("language"),
            published=published,
        )
        article = await run_in_threadpool(_process, raw)
        self.store.save_article(article)
        return JSONResponse(self.data.article_json(article), status_code=201)

    async def post_correction(self, request: Request) -> Response:
        """Record an entity correction (the operations of ``storyline correct``) and re-resolve."""
        self._authorize(request)
        data = await self._json_body(request)
        path = request.url.path

        def bad(reason: str) -> HTTPException:
            return HTTPException(400, StorylineError(E.WEB_BAD_BODY, path=path, reason=reason).args[0])

        try:
            from storyline.corrections import _REQUIRED, OPERATIONS
        except ImportError:
            raise HTTPException(501, StorylineError(E.WEB_BAD_BODY, path=path, reason="cannot be applied: corrections are not available").args[0]) from None
        op = data.get("op")
        if op not in OPERATIONS:
            raise bad(f"needs 'op', one of {', '.join(OPERATIONS)}")
        fields: dict[str, Any] = {}
        for key in (*_REQUIRED[op], *(("name",) if op == "split" else ())):
            value = data.get(key)
            if value is None and key not in _REQUIRED[op]:
                continue
            if key in ("entities", "names"):
                if not isinstance(value, list) or not value or not all(isinstance(x, str) and x.strip() for x in value):
                    raise bad(f"needs {key!r} as a non-empty list of strings")
                if key == "entities" and len(value) < 2:
                    raise bad("needs at least two 'entities' to merge")
                fields[key] = [x.strip() for x in value]
            else:
                if not isinstance(value, str) or not value.strip():
                    raise bad(f"needs {key!r} as a non-empty string")
                fields[key] = value.strip()
        for key in [k for k in fields if k == "entity"] + (["entities"] if "entities" in fields else []):
            for name in fields[key] if isinstance(fields[key], list) else [fields[key]]:
                if self.data.find_entity(name) is None:
                    raise HTTPException(404, StorylineError(E.NO_ENTITY, name=name).args[0])
        file = await run_in_threadpool(self._apply_correction, op, fields)
        return JSONResponse({"op": op, **fields, "file": file}, status_code=201)

    def _apply_correction(self, op: str, fields: dict[str, Any]) -> str:
        """Append to the corrections file and re-run entity resolution on a connection of its own."""
        from storyline.corrections import add_correction, corrections_path
        from storyline.settings import load_settings
        from storyline.stages.entities import entities_corpus_stage

        settings = load_settings(None, db=self.db_path)
        file = corrections_path(settings)
        add_correction(file, op, **fields)
        store = open_store(self.db_path, create=False)
        try:
            entities_corpus_stage(store, settings, set())
        finally:
            store.close()
        return str(file)


def _process(raw: RawDoc) -> Article:
    """Run the article stages when the pipeline exists; otherwise store the text as given."""
    try:
        pipeline = importlib.import_module("storyline.pipeline")
        process = getattr(pipeline, "process", None)
    except ImportError:
        process = None
    if callable(process):
        from storyline.settings import load_settings

        result = process(raw, load_settings())
        article = getattr(result, "article", result)
        if isinstance(article, Article):
            return article
    text = raw.content()
    pub = PubDate()
    if raw.published:
        pub = PubDate(date=raw.published, precision=_prec(raw.published), method="given", confidence=1.0)  # type: ignore[arg-type]
    return Article(
        id=raw.id or content_id(text),
        source=raw.source,
        text=text,
        title=raw.title,
        outlet=raw.outlet,
        authors=raw.authors,
        language=raw.language,
        url=raw.url,
        published=pub,
        raw_text=text,
    )


def _lifespan(web: WebApp) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        web.open()
        try:
            yield
        finally:
            web.close()

    return lifespan


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def create_app(db_path: str, token: str | None = None, allowed_hosts: Sequence[str] | None = None) -> Starlette:
    """The ASGI app serving the story in ``db_path``; writes are enabled only with a ``token``.

    With ``allowed_hosts``, a request whose ``Host`` header names another host is refused
    (400): a web page elsewhere cannot reach a server on localhost by re-pointing its own
    domain name at 127.0.0.1 (DNS rebinding).  ``storyline serve`` passes the loopback
    names when it listens on localhost.
    """
    web = WebApp(db_path, token)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path == "/openapi.json"

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail[:1] == "E" else None
        if status == 404 and detail is None:
            detail = StorylineError(E.WEB_NO_PAGE, path=request.url.path).args[0]
        if status == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        detail = detail or "The request could not be answered"
        headers = dict(exc.headers or {})
        if is_api(request):
            return JSONResponse({"error": detail, "status": status}, status_code=status, headers=headers)
        return web.html(request, "error.html", status=status, status_code=status, message=detail)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error answering %s", request.url.path, exc_info=exc)
        detail = StorylineError(E.WEB_INTERNAL, path=request.url.path).args[0]
        if is_api(request):
            resp: Response = JSONResponse({"error": detail, "status": 500}, status_code=500)
        else:
            body = web.env.get_template("error.html").render(
                status_code=500, message=detail, mode="app", names={}, stats=None, request_path=""
            )
            resp = HTMLResponse(body, status_code=500)
        for k, v in SECURITY_HEADERS.items():
            resp.headers[k] = v
        return resp

    def route(path: str, endpoint: Callable[[Request], Awaitable[Response]], methods: list[str] | None = None) -> Route:
        return Route(path, endpoint, methods=methods or ["GET", "HEAD"])

    routes = [
        route("/", web.timeline_page),
        route("/actors/{entity_id:path}", web.actor_page),
        route("/articles/{article_id:path}", web.article_page),
        route("/entities", web.entities_page),
        route("/quotes", web.quotes_page),
        route("/search", web.search_page),
        route("/openapi.json", web.openapi),
        route("/api/articles", web.api_articles),
        route("/api/articles", web.post_article, ["POST"]),
        route("/api/articles/{article_id:path}", web.api_article),
        route("/api/entities", web.api_entities),
        route("/api/entities/{entity_id:path}", web.api_entity),
        route("/api/quotes", web.api_quotes),
        route("/api/events", web.api_events),
        route("/api/timeline", web.api_timeline),
        route("/api/search", web.api_search),
        route("/api/corrections", web.post_correction, ["POST"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        debug=False,
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=_lifespan(web),
    )
    app.add_middleware(SecurityHeaders)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=[h.lower() for h in allowed_hosts])
    app.state.web = web
    return app
