"""The HTTP API against a real uvicorn server on loopback, over real knowledge bases (the sample
corpus with a hostile article, and the seeds)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from recoupe.stages.entities.names import fold


def _get(url: str, path: str, **params: Any) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as client:
        return client.get(path, params=params)


def _error_shape(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert body["error"]["message"]


def test_lists_page_and_count(web_url: str) -> None:
    everything = _get(web_url, "/api/documents", limit=500).json()
    assert everything["total"] == len(everything["items"]) >= 10
    first, second = (_get(web_url, "/api/documents", limit=3, offset=o).json() for o in (0, 3))
    assert len(first["items"]) == len(second["items"]) == 3
    assert first["total"] == second["total"] == everything["total"]
    assert [d["id"] for d in everything["items"][:6]] == [d["id"] for d in first["items"] + second["items"]]
    beyond = _get(web_url, "/api/documents", offset=10_000).json()
    assert beyond["items"] == [] and beyond["total"] == everything["total"]
    overview = _get(web_url, "/api/overview").json()
    assert overview["documents"] == everything["total"]
    assert overview["events"] == _get(web_url, "/api/events", limit=1).json()["total"]


def test_event_filters(web_url: str) -> None:
    every = _get(web_url, "/api/events", limit=500).json()["items"]
    assert every
    corroborated = _get(web_url, "/api/events", min_sources=2, limit=500).json()
    assert corroborated["items"] and all(e["independent_sources"] >= 2 for e in corroborated["items"])
    assert corroborated["total"] == sum(e["independent_sources"] >= 2 for e in every) < len(every)
    visits = _get(web_url, "/api/events", type="visit", limit=500).json()["items"]
    assert visits and {e["type"] for e in visits} == {"visit"}
    planned = _get(web_url, "/api/events", modality="planned", limit=500).json()["items"]
    assert {e["modality"] for e in planned} <= {"planned"}
    dated = [e for e in every if e["time"]["start"]]
    day = dated[0]["time"]["start"]
    window = _get(web_url, "/api/events", **{"from": day, "to": day, "limit": 500}).json()["items"]
    assert window and all(e["time"]["start"] <= day <= e["time"]["end"] for e in window)
    story = every[0]["story"]
    in_story = _get(web_url, "/api/events", story=story, limit=500).json()["items"]
    assert in_story and {e["story"] for e in in_story} == {story}
    person = next(p["entity"] for e in every for p in e["participants"] if p["type"] == "PER")
    involved = _get(web_url, "/api/events", entity=person, limit=500).json()["items"]
    assert involved and all(any(p["entity"] == person for p in e["participants"]) or
                            (e["place"] or {}).get("entity") == person for e in involved)


def test_story_entity_document_event_and_timeline(web_url: str) -> None:
    stories = _get(web_url, "/api/stories").json()["items"]
    assert stories and all(s["label"] for s in stories)
    story = _get(web_url, f"/api/stories/{stories[0]['id']}").json()
    assert story["summary"] and all(s["sources"] and s["independent_sources"] >= 1 for s in story["summary"])
    assert story["timeline"]["anchored"] == sorted(story["timeline"]["anchored"],
                                                   key=lambda e: (e["start"], e["end"], e["event"]))
    tl = _get(web_url, "/api/timeline", story=stories[0]["id"]).json()
    assert [e["event"] for e in tl["anchored"]] == [e["event"] for e in story["timeline"]["anchored"]]
    people = _get(web_url, "/api/entities", type="PER", limit=5).json()["items"]
    assert people and {p["type"] for p in people} == {"PER"}
    one = _get(web_url, f"/api/entities/{people[0]['id']}").json()
    assert one["aliases"] and one["mentions"]
    doc = _get(web_url, f"/api/documents/{one['mentions'][0]['doc']}").json()
    for mention in doc["mentions"]:
        assert doc["text"][mention["start"]:mention["end"]] == mention["text"]
    event = _get(web_url, f"/api/events/{story['events'][0]['id']}").json()
    assert {m["doc"] for m in event["mentions"]} <= set(event["sources"])
    named = _get(web_url, "/api/entities", name=fold(people[0]["name"]).upper()).json()["items"]
    assert people[0]["id"] in {e["id"] for e in named}


def test_search_stems_folds_and_highlights(web_url: str) -> None:
    hits = _get(web_url, "/api/search", q="pêcheurs").json()
    assert hits["total"] >= 1
    for hit in hits["items"]:
        text = hit["snippet"]["text"]
        assert hit["snippet"]["marks"]
        assert all(fold(text[a:b]).startswith("pecheur") for a, b in hit["snippet"]["marks"])
    folded = _get(web_url, "/api/search", q="PECHEUR").json()
    assert [h["id"] for h in folded["items"]] == [h["id"] for h in hits["items"]]
    assert _get(web_url, "/api/search", q="zzyzxq").json()["total"] == 0


def test_one_error_shape(web_url: str) -> None:
    _error_shape(_get(web_url, "/api/stories/no-such-story"), 404, "not_found")
    _error_shape(_get(web_url, "/api/documents/nope"), 404, "not_found")
    _error_shape(_get(web_url, "/api/nothing-here"), 404, "not_found")
    _error_shape(_get(web_url, "/api/events", limit=0), 422, "invalid_parameter")
    _error_shape(_get(web_url, "/api/events", modality="sure"), 422, "invalid_parameter")
    _error_shape(_get(web_url, "/api/events", **{"from": "2024-05-02", "to": "2024-05-01"}), 422,
                 "invalid_parameter")
    _error_shape(_get(web_url, "/api/search"), 422, "invalid_parameter")
    with httpx.Client(base_url=web_url) as client:
        _error_shape(client.post("/api/entities/merge", json={"a": "x", "b": "y"}), 403, "read_only")


def test_openapi_and_headers(web_url: str) -> None:
    schema = _get(web_url, "/api/openapi.json").json()
    for path in ("/api/documents", "/api/entities", "/api/events", "/api/stories", "/api/conflicts",
                 "/api/timeline", "/api/search"):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"story", "entity", "type", "from", "to", "modality", "min_sources", "limit", "offset"} <= params
    for path in ("/", "/api/events", "/search?q=accord"):
        response = _get(web_url, path)
        assert response.status_code == 200
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_render(web_url: str) -> None:
    story = _get(web_url, "/api/stories").json()["items"][0]["id"]
    entity = _get(web_url, "/api/entities").json()["items"][0]["id"]
    for path in ("/", f"/stories/{story}", f"/entities/{entity}", "/entities", "/events?min_sources=2",
                 "/conflicts", "/search?q=accord"):
        response = _get(web_url, path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
    missing = _get(web_url, "/stories/none")
    assert missing.status_code == 404 and "no story" in missing.text


def test_hostile_text_is_escaped_in_pages(web_url: str) -> None:
    doc = next(d for d in _get(web_url, "/api/documents", limit=500).json()["items"] if d["id"].startswith("h01"))
    html = _get(web_url, f"/documents/{doc['id']}").text
    assert "window.__pwned" in html
    assert "<script>window.__pwned" not in html and "<img src=x onerror" not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert 'href="javascript:' not in html


def test_review_needs_the_token(web_build: dict[str, object], tmp_path: Path, serve_kb: Any) -> None:
    kb = tmp_path / "review.duckdb"
    shutil.copy(str(web_build["kb"]), kb)
    with serve_kb(kb, token="s3cret") as url, httpx.Client(base_url=url, timeout=60) as client:
        people = client.get("/api/entities", params={"type": "PER", "limit": 500}).json()["items"]
        a, b = people[0], people[1]
        before = client.get("/api/entities", params={"limit": 1}).json()["total"]
        _error_shape(client.post("/api/entities/merge", json={"a": a["id"], "b": b["id"]}), 401, "unauthorized")
        _error_shape(client.post("/api/entities/merge", json={"a": a["id"], "b": b["id"]},
                                 headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
        _error_shape(client.post("/api/entities/merge", json={"a": "nobody at all", "b": b["id"]},
                                 headers={"Authorization": "Bearer s3cret"}), 404, "not_found")
        done = client.post("/api/entities/merge", json={"a": a["id"], "b": b["id"]},
                           headers={"Authorization": "Bearer s3cret"})
        assert done.status_code == 200 and "merge" in done.json()["message"]
        after = client.get("/api/entities", params={"limit": 500, "type": "PER"}).json()["items"]
        assert client.get("/api/entities", params={"limit": 1}).json()["total"] == before - 1
        merged = next(e for e in after if a["name"] in e["aliases"])
        assert b["name"] in merged["aliases"]


@pytest.mark.seeds
def test_seeds_through_the_api(seeds_url: str) -> None:
    stories = _get(seeds_url, "/api/stories").json()
    assert stories["total"] == 3
    conflicts = _get(seeds_url, "/api/conflicts", kind="date").json()["items"]
    values = {v["value"]: set(v["sources"]) for c in conflicts for v in c["values"]}
    assert {"2021-11", "2022-03"} <= set(values)
    assert {d[:3] for d in values["2022-03"]} == {"003"}
    assert {"000", "001", "002"} <= {d[:3] for d in values["2021-11"]}
    visits = _get(seeds_url, "/api/events", type="visit", min_sources=2, limit=500).json()["items"]
    assert any(len(e["sources"]) == 4 and e["time"]["start"] and e["time"]["start"].startswith("2022-07")
               for e in visits)
    hits = _get(seeds_url, "/api/search", q="Kochavi").json()
    assert hits["total"] >= 3


def test_in_memory_ranking_equals_duckdb_bm25(web_build: dict[str, object], tmp_path: Path) -> None:
    """The app ranks unfiltered searches in NumPy over the FTS postings; the scores and order must
    be those of DuckDB's own match_bm25."""
    import duckdb

    from recoupe.store.kb import load_fts
    from recoupe.web import queries as q

    kb = tmp_path / "copy.duckdb"
    shutil.copy(str(web_build["kb"]), kb)
    con = duckdb.connect(str(kb), read_only=True)
    try:
        assert load_fts(con)
        postings = q.Postings.load(con)
        assert postings is not None
        for query in ("pêcheurs accord", "ministre", "Nouakchott visite"):
            fast = q.search(con, query, q.Filters(), limit=10, postings=postings)
            reference = con.execute(
                "SELECT id, fts_main_documents.match_bm25(id, ?) AS s FROM documents WHERE s IS NOT NULL "
                "ORDER BY s DESC, id LIMIT 10", [query]).fetchall()
            assert fast["items"] and [h["id"] for h in fast["items"]] == [r[0] for r in reference]
            assert [h["score"] for h in fast["items"]] == [round(r[1], 4) for r in reference]
            total = con.execute("SELECT count(*) FROM documents WHERE fts_main_documents.match_bm25(id, ?) "
                                "IS NOT NULL", [query]).fetchone()
            assert total is not None and fast["total"] == total[0]
    finally:
        con.close()
