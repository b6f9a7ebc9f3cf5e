"""Each API route takes only the filters it applies (others refused), names where ids are, pages of
search hits, and the API documentation from bundled files: against a real uvicorn server."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import httpx
import pytest

from recoupe.stages.entities.names import fold

pytestmark = pytest.mark.issue(17)


def _get(url: str, path: str, **params: Any) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as client:
        return client.get(path, params=params) if params else client.get(path)


def _invalid(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["status"] == 422
    return dict(error)


@pytest.mark.parametrize(("path", "param"), [
    ("/api/documents", "min_sources"), ("/api/documents", "kind"), ("/api/entities", "min_sources"),
    ("/api/stories", "type"), ("/api/conflicts", "modality"), ("/api/search?q=accord", "entity"),
    ("/api/events", "name"), ("/api/timeline", "kind"), ("/api/overview", "story"), ("/api/documents", "limt"),
])
def test_a_filter_the_route_does_not_apply_is_refused(web_url: str, path: str, param: str) -> None:
    error = _invalid(_get(web_url, path, **{param: "99"}))
    assert param in error["message"] and error["details"][0]["loc"] == ["query", param]
    schema = _get(web_url, "/api/openapi.json").json()
    declared = {p["name"] for p in schema["paths"][path.split("?")[0]]["get"].get("parameters", [])}
    assert param not in declared  # the schema documents exactly what the route takes


def test_each_list_declares_its_own_filters(web_url: str) -> None:
    schema = _get(web_url, "/api/openapi.json").json()["paths"]

    def names(path: str) -> set[str]:
        return {p["name"] for p in schema[path]["get"]["parameters"]}

    assert names("/api/documents") == {"story", "entity", "from", "to", "limit", "offset"}
    assert names("/api/entities") == {"type", "name", "story", "limit", "offset"}
    assert names("/api/events") == {"story", "entity", "type", "modality", "from", "to", "min_sources", "limit",
                                    "offset"}
    assert names("/api/stories") == {"entity", "from", "to", "limit", "offset"}
    assert names("/api/conflicts") == {"story", "entity", "kind", "limit", "offset"}
    assert names("/api/search") == {"q", "story", "from", "to", "limit", "offset"}


def test_entity_filters_take_a_name(web_url: str) -> None:
    everyone = _get(web_url, "/api/entities", limit=500).json()["items"]
    counts = Counter(fold(n) for e in everyone for n in {e["name"], *e["aliases"]})
    person = next(e for e in everyone if e["type"] == "PER" and counts[fold(e["name"])] == 1)
    by_id = _get(web_url, "/api/events", entity=person["id"], limit=500).json()
    by_name = _get(web_url, "/api/events", entity=person["name"].upper(), limit=500).json()
    assert by_id["total"] >= 1 and by_name == by_id
    assert _get(web_url, f"/api/entities/{person['name']}").json()["id"] == person["id"]
    error = _invalid(_get(web_url, "/api/documents", entity="nobody by that name"))
    assert "nobody by that name" in error["message"]


def test_an_ambiguous_name_lists_the_candidates(web_url: str) -> None:
    everyone = _get(web_url, "/api/entities", limit=500).json()["items"]
    bearers: dict[str, set[str]] = {}
    for e in everyone:
        for n in {e["name"], *e["aliases"]}:
            bearers.setdefault(fold(n), set()).add(e["id"])
    shared = sorted(n for n, ids in bearers.items() if len(ids) > 1)
    if not shared:
        pytest.skip("no name borne by two entities in this knowledge base")
    error = _invalid(_get(web_url, "/api/events", entity=shared[0]))
    assert {c["id"] for c in error["details"]} == bearers[shared[0]]
    assert all(c["id"] in error["message"] for c in error["details"])


def test_search_pages_through_every_hit(web_url: str) -> None:
    first = _get(web_url, "/api/search", q="ministre", limit=3).json()
    total = first["total"]
    assert total > 3
    seen = [h["id"] for h in first["items"]]
    while len(seen) < total:
        page = _get(web_url, "/api/search", q="ministre", limit=3, offset=len(seen)).json()
        assert page["items"] and page["total"] == total
        seen += [h["id"] for h in page["items"]]
    assert len(seen) == len(set(seen)) == total
    html = _get(web_url, "/search", q="ministre", limit=3).text
    assert f"1–3 of {total}" in html
    nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
    assert nxt and "offset=3" in nxt.group(1)
    second = _get(web_url, nxt.group(1).replace("&amp;", "&")).text
    assert f"4–{min(6, total)} of {total}" in second and 'rel="prev"' in second


@pytest.mark.parametrize("path", ["/", "/documents", "/events", "/conflicts", "/entities"])
def test_list_pages_have_filters_and_refuse_unknown_ones(web_url: str, path: str) -> None:
    page = _get(web_url, path)
    assert page.status_code == 200 and '<form class="filters"' in page.text
    assert _get(web_url, path, bogus="1").status_code == 422
    # an empty form field is no filter
    assert _get(web_url, path, **{"from": ""}).status_code == 200


def test_filtered_pages_show_what_the_api_returns(web_url: str) -> None:
    story = _get(web_url, "/api/stories").json()["items"][0]["id"]
    docs = _get(web_url, "/api/documents", story=story, limit=500).json()
    html = _get(web_url, "/documents", story=story, limit=500).text
    assert html.count('class="citation"') == docs["total"]


@pytest.mark.parametrize(("path", "bundle"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_api_docs_are_served_from_bundled_files(web_url: str, path: str, bundle: str) -> None:
    page = _get(web_url, path)
    assert page.status_code == 200
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert f"/static/vendor/{bundle}" in sources and all(s.startswith("/") for s in sources)
    assert "<script>" not in page.text  # no inline script: the app's CSP holds
    assert "script-src 'self'" in page.headers["content-security-policy"]
    script = _get(web_url, f"/static/vendor/{bundle}")
    assert script.status_code == 200 and len(script.content) > 500_000
    assert json.loads(_get(web_url, "/api/openapi.json").text)["info"]["title"] == "recoupe"
