"""The query parameters of the app's routes: each list declares only the filters it applies.

A parameter a route does not declare is an error (``invalid_parameter``, listing what the route
takes), never silently ignored. ``entity=`` takes an id or a name; a name several entities bear
is an error whose details list them. Form pages send empty fields; those are dropped before
validation (``drop_empty``), so an empty "min. sources" box means no filter.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import Query, Request

from recoupe.web import queries as q

EventType = Literal["visit", "meeting", "agreement", "acquisition", "exercise", "statement", "normalization",
                    "criticism", "announcement", "other"]
EntityType = Literal["PER", "ORG", "GPE", "LOC", "FAC", "EVENT", "EQUIPMENT", "MISC"]
Modality = Literal["asserted", "reported", "planned", "hedged", "negated"]
ConflictKind = Literal["date", "number", "participant", "place", "outcome", "other"]

Story = Annotated[str | None, Query(description="Story id")]
Entity = Annotated[str | None, Query(description="Entity id or name (accents and case ignored); a name several "
                                                 "entities bear is an error listing their ids")]
From = Annotated[date | None, Query(alias="from", description="Period start (YYYY-MM-DD)")]
To = Annotated[date | None, Query(alias="to", description="Period end (YYYY-MM-DD)")]


class ParamError(Exception):
    """A query parameter the route refuses: 422 ``invalid_parameter`` with ``details``."""

    def __init__(self, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


def _entity(request: Request, ref: str | None) -> str | None:
    if not ref:
        return None
    store = request.app.state.store
    with store.cursor() as con:
        try:
            return q.resolve_entity(con, ref)
        except q.Ambiguous as err:
            raise ParamError(f"entity: {err}", err.candidates) from err
        except q.NotFound as err:
            raise ParamError(f"entity: no entity has the id or name {ref!r}",
                             [{"loc": ["query", "entity"], "message": "unknown entity"}]) from err


def _period(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise ParamError(f"'from' ({start}) is after 'to' ({end})",
                         [{"loc": ["query", "from"], "message": "after 'to'"}])


async def document_filters(request: Request, story: Story = None, entity: Entity = None, start: From = None,
                           end: To = None) -> q.Filters:
    _period(start, end)
    return q.Filters(story=story, entity=_entity(request, entity), start=start, end=end)


async def entity_filters(type: Annotated[EntityType | None, Query(description="Entity type")] = None,
                         name: Annotated[str | None, Query(description="Name or alias contains (folded)")] = None,
                         story: Story = None) -> q.Filters:
    return q.Filters(type=type, q=name, story=story)


async def event_filters(request: Request, story: Story = None, entity: Entity = None,
                        type: Annotated[EventType | None, Query(description="Event type")] = None,
                        modality: Annotated[Modality | None, Query()] = None, start: From = None, end: To = None,
                        min_sources: Annotated[int | None, Query(ge=1, description="Minimum independent sources")]
                        = None) -> q.Filters:
    _period(start, end)
    return q.Filters(story=story, entity=_entity(request, entity), type=type, modality=modality, start=start,
                     end=end, min_sources=min_sources)


async def story_filters(request: Request, entity: Entity = None, start: From = None, end: To = None) -> q.Filters:
    _period(start, end)
    return q.Filters(entity=_entity(request, entity), start=start, end=end)


async def conflict_filters(request: Request, story: Story = None, entity: Entity = None,
                           kind: Annotated[ConflictKind | None, Query(description="Conflict kind")] = None
                           ) -> q.Filters:
    return q.Filters(story=story, entity=_entity(request, entity), kind=kind)


async def search_filters(story: Story = None, start: From = None, end: To = None) -> q.Filters:
    _period(start, end)
    return q.Filters(story=story, start=start, end=end)


_DECLARED: dict[int, frozenset[str]] = {}


def declared(route: Any) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included (by alias: ``from``)."""
    key = id(route)
    if key not in _DECLARED:
        _DECLARED[key] = frozenset(_query_names(getattr(route, "dependant", None)))
    return _DECLARED[key]


def _query_names(dependant: Any) -> set[str]:
    if dependant is None:
        return set()
    names = {str(p.alias) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def known_parameters(request: Request) -> None:
    """Refuse the query parameters the matched route does not declare (every route depends on this)."""
    route = request.scope.get("route")
    if route is None or getattr(route, "path", "") == "/api/{rest:path}":
        return
    allowed = declared(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "no parameters"
        raise ParamError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} for "
                         f"{request.url.path}; it takes: {takes}",
                         [{"loc": ["query", name], "message": "not a parameter of this route"} for name in unknown])


def drop_empty(query_string: bytes) -> bytes:
    """The query string without empty values (what an HTML form sends for an empty field)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if v != ""]).encode("latin-1")


def pager(request: Request, page: dict[str, Any]) -> dict[str, Any]:
    """Links to the previous and next pages of a list page, keeping its other parameters."""
    total, limit, offset = int(page["total"]), int(page["limit"]), int(page["offset"])
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]

    def link(to: int) -> str:
        return f"{request.url.path}?{urlencode([*params, ('offset', str(to))])}"

    return {"total": total, "first": min(offset + 1, total), "last": min(offset + limit, total),
            "prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}
