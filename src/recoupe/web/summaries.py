"""Summaries for readers: an entity at a glance (`recoupe entities show`, the entity page), citations.

A citation names an article as a reader would: outlet · title · date, with its id for the link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import duckdb

from recoupe.evidence import summarise

Row = dict[str, Any]


def citations(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> dict[str, Row]:
    """``{doc id: {"doc", "outlet", "title", "date"}}`` for the given articles."""
    wanted = sorted(set(doc_ids))
    if not wanted:
        return {}
    rows = con.execute("SELECT id, outlet, title, substring(published_value, 1, 10) FROM documents "
                       "WHERE list_contains(?, id)", [wanted]).fetchall()
    return {r[0]: {"doc": r[0], "outlet": r[1], "title": r[2], "date": r[3]} for r in rows}


def cite_text(c: Row) -> str:
    """``outlet · title · date`` with what is known ("outlet unknown", the id for a missing title)."""
    return " · ".join([c.get("outlet") or "outlet unknown", c.get("title") or c["doc"], c.get("date") or "undated"])


def entity_summary(con: duckdb.DuckDBPyConnection, entity_id: str, *, top: int = 10) -> Row:
    """An entity at a glance: names, roles, merge evidence in words, how many mentions in how many
    articles (the ``top`` articles by mentions, cited), the entities most often in the same
    articles, its events, and every mention (``mentions``, for the long form)."""
    row = con.execute("SELECT id, type, name, aliases, descriptions, country, evidence FROM entities WHERE id = ?",
                      [entity_id]).fetchone()
    if row is None:
        from recoupe.web.queries import NotFound

        raise NotFound("entity", entity_id)
    mentions = [{"doc": d, "start": s, "end": e, "text": t} for d, s, e, t in con.execute(
        'SELECT doc_id, start, "end", text FROM mentions WHERE entity_id = ? ORDER BY doc_id, start',
        [entity_id]).fetchall()]
    per_doc: dict[str, int] = {}
    for m in mentions:
        per_doc[m["doc"]] = per_doc.get(m["doc"], 0) + 1
    ranked = sorted(per_doc.items(), key=lambda kv: (-kv[1], kv[0]))
    cited = citations(con, [d for d, _ in ranked[:top]])
    together = con.execute(
        "WITH mine AS (SELECT DISTINCT doc_id FROM mentions WHERE entity_id = ?) "
        "SELECT e.id, e.name, e.type, count(DISTINCT m.doc_id) AS shared FROM mentions m "
        "JOIN mine USING (doc_id) JOIN entities e ON e.id = m.entity_id WHERE m.entity_id <> ? "
        "GROUP BY ALL ORDER BY shared DESC, e.name, e.id LIMIT ?", [entity_id, entity_id, top]).fetchall()
    events = con.execute(
        "SELECT count(*) FROM corpus_events WHERE place = ? OR "
        "list_contains(json_extract_string(participants, '$[*].entity'), ?)", [entity_id, entity_id]).fetchone()
    return {
        "id": row[0], "type": row[1], "name": row[2], "aliases": json.loads(row[3]), "roles": json.loads(row[4]),
        "country": row[5], "merged_by": summarise(json.loads(row[6])),
        "mention_count": len(mentions), "article_count": len(per_doc), "event_count": int(events[0]) if events else 0,
        "top_articles": [{**cited.get(d, {"doc": d, "outlet": None, "title": None, "date": None}), "mentions": n}
                         for d, n in ranked[:top]],
        "co_occurring": [{"id": i, "name": n, "type": t, "shared_articles": int(s)} for i, n, t, s in together],
        "mentions": mentions,
    }
