"""``recoupe serve``: the local web app and its JSON API over one knowledge base (FastAPI).

The knowledge base is opened once, read-only unless a review token is set. The API handlers
are ``async``: each is a few short DuckDB calls (milliseconds), so they run on the event loop
one after another, with no hand-off to a thread pool (which, measured under 20 concurrent
clients, doubled the tail latency through GIL contention); `recoupe serve --workers N` runs N
processes for more throughput. Pages and review actions run in the thread pool.

Pages are rendered on the server with autoescaping Jinja2 templates;
the only scripts are the bundled files under ``static/`` (a Content-Security-Policy forbids
any other, inline ones included). Every API error has one shape::

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import duckdb
import orjson
from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from recoupe.errors import StoreError
from recoupe.store.kb import KnowledgeBase, load_fts
from recoupe.web import params
from recoupe.web import queries as q
from recoupe.web.pages import add_pages
from recoupe.web.render import environment

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

DOCS_CSP = CSP + "; worker-src blob:"  # ReDoc builds its worker from a blob


class Page(BaseModel):
    """A page of a list: ``items`` (the export contract's records, decorated with names), the
    number of matches ``total``, and the page asked for."""

    model_config = ConfigDict(extra="allow")
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class Timeline(BaseModel):
    model_config = ConfigDict(extra="allow")
    anchored: list[dict[str, Any]]
    unanchored: list[dict[str, Any]]
    total: int


class Graph(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class Merge(BaseModel):
    a: str
    b: str


class Split(BaseModel):
    entity: str
    name: str


class Store:
    """The open knowledge base; a DuckDB cursor per thread, a lock around review writes."""

    def __init__(self, kb_path: str | Path, writable: bool) -> None:
        self.path = Path(kb_path)
        self.kb = KnowledgeBase(kb_path, create=False, read_only=not writable)
        self.fts = load_fts(self.kb.con)
        self.lock = threading.RLock()
        self.local = threading.local()
        self.generation = 0
        self.lookup = q.Lookup.load(self.kb.con)
        self.postings = q.Postings.load(self.kb.con) if self.fts else None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock:
            cached = getattr(self.local, "cursor", None)
            if cached is None or self.local.generation != self.generation:
                cached = self.kb.con.cursor()
                if self.fts:
                    load_fts(cached)
                # requests run side by side, each on one thread: no oversubscription of the cores
                cached.execute("SET threads = 1")
                self.local.cursor, self.local.generation = cached, self.generation
        yield cached


class FastJSON(JSONResponse):
    """JSON encoded by orjson (several times faster than the standard library on large pages)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _json(content: dict[str, Any]) -> JSONResponse:
    """The view as it is: the views build JSON-ready dicts, so the response model documents the
    shape (OpenAPI) without validating it again on every request."""
    return FastJSON(content)


def _error(status: int, code: str, message: str, details: list[Any] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message, "details": details or []}},
                        status_code=status)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "read_only", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 422: "invalid_parameter"}


Docs = Annotated[q.Filters, Depends(params.document_filters)]
Ents = Annotated[q.Filters, Depends(params.entity_filters)]
Evts = Annotated[q.Filters, Depends(params.event_filters)]
Stos = Annotated[q.Filters, Depends(params.story_filters)]
Cons = Annotated[q.Filters, Depends(params.conflict_filters)]
Hits = Annotated[q.Filters, Depends(params.search_filters)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]


def resolve(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """An entity id from an id or a name in a path: unknown is 404, ambiguous 422 with the candidates."""
    try:
        return q.resolve_entity(con, ref)
    except q.Ambiguous as err:
        raise params.ParamError(str(err), err.candidates) from err


def create_app(kb_path: str | Path, token: str | None = None) -> FastAPI:
    """The app over ``kb_path``; with ``token`` the alias review actions (merge, split) are enabled
    for requests that present it (``Authorization: Bearer TOKEN``, or the form's token field)."""
    store = Store(kb_path, writable=bool(token))
    templates = environment(mode="app")
    app = FastAPI(title="recoupe", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  dependencies=[Depends(params.known_parameters)],
                  description="Cross-checked news: documents, entities, corpus events with their sources, "
                              "conflicts, stories, timelines and full-text search, read from one knowledge base. "
                              "Each list takes only the filters it documents; any other query parameter is "
                              "refused (422 invalid_parameter). `entity` takes an id or a name.")
    app.state.store = store
    static = resources.files("recoupe").joinpath("web", "static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not request.url.path.startswith("/api/") and request.scope.get("query_string"):
            request.scope["query_string"] = params.drop_empty(request.scope["query_string"])
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/redoc" else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        if wants_json(request):
            return _error(exc.status_code, code, str(exc.detail))
        html = templates.get_template("error.html").render(status=exc.status_code, message=str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": list(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()]
        message = "; ".join(f"{'.'.join(str(x) for x in d['loc'][1:]) or 'body'}: {d['message']}" for d in details)
        if wants_json(request):
            return _error(422, "invalid_parameter", message, details)
        html = templates.get_template("error.html").render(status=422, message=message)
        return HTMLResponse(html, status_code=422)

    @app.exception_handler(params.ParamError)
    async def param_error(request: Request, exc: params.ParamError) -> Response:
        if wants_json(request):
            return _error(422, "invalid_parameter", str(exc), exc.details)
        return HTMLResponse(templates.get_template("error.html").render(status=422, message=str(exc)), 422)

    @app.exception_handler(q.NotFound)
    async def not_found(request: Request, exc: q.NotFound) -> Response:
        if wants_json(request):
            return _error(404, "not_found", str(exc))
        return HTMLResponse(templates.get_template("error.html").render(status=404, message=str(exc)), 404)

    @app.exception_handler(duckdb.Error)
    async def store_error(request: Request, exc: duckdb.Error) -> Response:
        return _error(500, "store_error", f"the knowledge base could not answer: {exc}")

    def authorised(authorization: str | None) -> None:
        if not token:
            raise HTTPException(403, "this app is read-only: start it with --token to enable merge and split")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid review token is required (Authorization: Bearer TOKEN)")

    # -- API --------------------------------------------------------------------------------

    @app.get("/api/documents", response_model=Page, tags=["documents"])
    async def api_documents(f: Docs, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        """Articles, newest first. Filters: story, entity (mentioned), from/to (publication date)."""
        with store.cursor() as con:
            return _json(q.documents(con, f, limit, offset, store.lookup))

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    async def api_document(doc_id: str) -> JSONResponse:
        """One article: cleaned text, annotations as offsets, removed lines, links to other articles."""
        with store.cursor() as con:
            return _json(q.document(con, doc_id))

    @app.get("/api/entities", response_model=Page, tags=["entities"])
    async def api_entities(f: Ents, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        """Entities by mentions. Filters: type (PER, ORG, GPE...), name (name or alias contains), story."""
        with store.cursor() as con:
            return _json(q.entities(con, f, limit, offset, store.lookup))

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    async def api_entity(entity_id: str) -> JSONResponse:
        """One entity (by id, or by a name only it bears): aliases, roles, merge evidence (also in words,
        ``merged_by``), mentions."""
        with store.cursor() as con:
            return _json(q.entity(con, resolve(con, entity_id)))

    @app.get("/api/events", response_model=Page, tags=["events"])
    async def api_events(f: Evts, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        """Corpus events in time order. Filters: story, entity, type, modality, from/to, min_sources."""
        with store.cursor() as con:
            return _json(q.events(con, f, limit, offset, store.lookup))

    @app.get("/api/events/{event_id}", tags=["events"])
    async def api_event(event_id: str) -> JSONResponse:
        """One corpus event with each article's account of it."""
        with store.cursor() as con:
            return _json(q.event(con, event_id, store.lookup))

    @app.get("/api/stories", response_model=Page, tags=["stories"])
    async def api_stories(f: Stos, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        """Stories, biggest first. Filters: entity, from/to."""
        with store.cursor() as con:
            return _json(q.stories(con, f, limit, offset))

    @app.get("/api/stories/{story_id}", tags=["stories"])
    async def api_story(story_id: str) -> JSONResponse:
        """One story: cited summary, articles, facts, timeline, network, conflicts."""
        with store.cursor() as con:
            return _json(q.story(con, story_id, store.lookup))

    @app.get("/api/conflicts", response_model=Page, tags=["conflicts"])
    async def api_conflicts(f: Cons, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        """Contradictions with their values side by side. Filters: story, entity, kind."""
        with store.cursor() as con:
            return _json(q.conflicts(con, f, limit, offset, store.lookup))

    @app.get("/api/timeline", response_model=Timeline, tags=["events"])
    async def api_timeline(f: Evts, limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                           offset: Offset = 0) -> JSONResponse:
        """Events of a story, an entity or a period in time order; intervals for uncertain dates,
        undated events apart."""
        with store.cursor() as con:
            return _json(q.timeline(con, f, limit, offset, store.lookup))

    @app.get("/api/graph", response_model=Graph, tags=["events"])
    async def api_graph(f: Evts) -> JSONResponse:
        """Who met, signed with, visited or criticised whom, for the events the filters select."""
        with store.cursor() as con:
            return _json(q.graph(con, f, store.lookup))

    @app.get("/api/search", response_model=Page, tags=["search"])
    async def api_search(f: Hits, query: Annotated[str, Query(alias="q", min_length=1, max_length=500)],
                   limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0) -> JSONResponse:
        """Full-text search (BM25; French stemming, accents folded) with highlighted snippets:
        ``snippet.marks`` are offsets into ``snippet.text``. Filters: story, from/to."""
        with store.cursor() as con:
            return _json(q.search(con, query, f, limit, offset, store.postings))

    @app.get("/api/health", tags=["documents"])
    async def api_health() -> dict[str, Any]:
        """Liveness: the app answers and its knowledge base is open."""
        return {"status": "ok", "kb": store.path.name, "review": bool(token), "search": store.fts}

    @app.get("/api/overview", tags=["documents"])
    async def api_overview() -> JSONResponse:
        """Counts of documents, entities, events, conflicts and stories."""
        with store.cursor() as con:
            return _json(q.overview(con))

    def review(action: str, first: str, second: str) -> str:
        from recoupe.entities_admin import judge

        with store.lock:
            try:
                message = judge(store.path, action, first, second, kb=store.kb)
            except StoreError as err:
                raise HTTPException(404, str(err)) from err
            store.generation += 1
            store.lookup = q.Lookup.load(store.kb.con)
        return message

    @app.post("/api/entities/merge", tags=["review"])
    def api_merge(body: Annotated[Merge, Body()],
                  authorization: Annotated[str | None, Header()] = None) -> dict[str, str]:
        """Record that entities ``a`` and ``b`` (ids or names) are one; needs the review token."""
        authorised(authorization)
        return {"message": review("merge", body.a, body.b)}

    @app.post("/api/entities/split", tags=["review"])
    def api_split(body: Annotated[Split, Body()],
                  authorization: Annotated[str | None, Header()] = None) -> dict[str, str]:
        """Record that mentions named ``name`` are not ``entity``; needs the review token."""
        authorised(authorization)
        return {"message": review("split", body.entity, body.name)}

    @app.api_route("/api/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    def api_missing(rest: str) -> None:
        raise HTTPException(404, f"no API endpoint /api/{rest}; see /api/openapi.json")

    add_pages(app, store, templates, review=review, authorised=authorised, token=token)
    return app
