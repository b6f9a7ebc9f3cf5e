"""The app's HTML pages: stories, articles, events, conflicts, entities and search, each list with its
filters and previous/next pages; the API documentation (Swagger UI at /docs, ReDoc at /redoc)
from the bundled files."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment

from recoupe.web import params
from recoupe.web import queries as q

if TYPE_CHECKING:
    from recoupe.web.app import Store

Offset = Annotated[int, Query(ge=0, description="Items to skip")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
SearchLimit = Annotated[int, Query(ge=1, le=100, description="Hits per page")]


def add_pages(app: FastAPI, store: Store, templates: Environment, *, review: Callable[[str, str, str], str],
              authorised: Callable[[str | None], None], token: str | None) -> None:
    """Register the page routes on ``app``."""

    def page(name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(review=bool(token), **context))

    def listing(request: Request, name: str, found: dict[str, Any], f: q.Filters, **context: Any) -> HTMLResponse:
        return page(name, page=found, pager=params.pager(request, found), filters=f,
                    values=dict(request.query_params), **context)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, f: Annotated[q.Filters, Depends(params.story_filters)], limit: Limit = 100,
             offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.stories(con, f, limit, offset)
            return listing(request, "home.html", found, f, overview=q.overview(con), stories=found["items"])

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        with store.cursor() as con:
            return page("story_page.html", story=q.story(con, story_id, store.lookup))

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, f: Annotated[q.Filters, Depends(params.document_filters)],
                       limit: Limit = 100, offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.documents(con, f, limit, offset, store.lookup)
        return listing(request, "documents_page.html", found, f)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str) -> HTMLResponse:
        with store.cursor() as con:
            doc = q.document(con, doc_id)
        return page("document_page.html", doc=doc, paragraphs=q.annotated_paragraphs(doc))

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, f: Annotated[q.Filters, Depends(params.entity_filters)],
                      limit: Limit = 200, offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.entities(con, f, limit, offset, store.lookup)
        return listing(request, "entities_page.html", found, f, entities=found)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    def entity_page(entity_id: str, message: str | None = None) -> HTMLResponse | RedirectResponse:
        from recoupe.web.app import resolve
        from recoupe.web.summaries import entity_summary

        with store.cursor() as con:
            found = resolve(con, entity_id)
            if found != entity_id:  # a name: the entity's own address
                return RedirectResponse(f"/entities/{quote(found, safe='')}", status_code=307)
            ent = q.entity(con, entity_id)
            summary = entity_summary(con, entity_id)
            facts = q.events(con, q.Filters(entity=entity_id), limit=100_000, lk=store.lookup)["items"]
        return page("entity_page.html", entity=ent, summary=summary, events=facts, timeline=q.timeline_of(facts),
                    graph=q.graph_of(facts), message=message)

    @app.post("/entities/{entity_id}/review", include_in_schema=False)
    async def entity_review(entity_id: str, request: Request) -> RedirectResponse:
        form = await request.form()
        authorised("Bearer " + str(form.get("token", "")))
        action, other = str(form.get("action", "")), str(form.get("other", "")).strip()
        if action not in {"merge", "split"} or not other:
            raise HTTPException(422, "choose merge or split and give a name")
        message = review(action, entity_id, other)
        with store.cursor() as con:
            exists = con.execute("SELECT count(*) FROM entities WHERE id = ?", [entity_id]).fetchone()
        target = f"/entities/{entity_id}" if exists and exists[0] else "/entities"
        return RedirectResponse(f"{target}?{urlencode({'message': message})}", status_code=303)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, f: Annotated[q.Filters, Depends(params.event_filters)], limit: Limit = 100,
                    offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.events(con, f, limit, offset, store.lookup)
        return listing(request, "events_page.html", found, f, events=found)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        with store.cursor() as con:
            ev = q.event(con, event_id, store.lookup)
            found = q.conflicts(con, q.Filters(story=ev["story"]), limit=100_000, lk=store.lookup)["items"] \
                if ev["conflicts"] else []
        return page("event_page.html", event=ev, conflicts=[c for c in found if c["event"] == event_id])

    @app.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
    def conflicts_page(request: Request, f: Annotated[q.Filters, Depends(params.conflict_filters)],
                       limit: Limit = 100, offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.conflicts(con, f, limit, offset, store.lookup)
        return listing(request, "conflicts_page.html", found, f, conflicts=found)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, f: Annotated[q.Filters, Depends(params.search_filters)],
                    query: Annotated[str, Query(alias="q", max_length=500)] = "", limit: SearchLimit = 20,
                    offset: Offset = 0) -> HTMLResponse:
        with store.cursor() as con:
            found = q.search(con, query, f, limit, offset, store.postings) if query.strip() else None
        if found is None:
            return page("search_page.html", query=query, results=None, filters=f, values={}, pager=None)
        return listing(request, "search_page.html", found, f, query=query, results=found)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger() -> HTMLResponse:
        return page("api_docs.html", viewer="Swagger UI", spec=app.openapi_url)

    @app.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return page("api_docs.html", viewer="ReDoc", spec=app.openapi_url)
