"""Read-only views of a knowledge base for the report, the web app and the HTTP API.

Every function takes a DuckDB connection (a cursor of the app's shared connection, or the
report's own) and returns JSON-ready dicts in the shapes of the export contract, plus what a
reader needs on screen (names next to entity ids, sentences next to sources). Lists take
filters and a page (``limit``, ``offset``) and return ``{"items", "total", "limit", "offset"}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import duckdb

from recoupe.intervals import format_interval
from recoupe.stages.entities.names import fold

if TYPE_CHECKING:
    import numpy as np

Row = dict[str, Any]


class NotFound(LookupError):
    """The id asked for is not in the knowledge base."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"no {kind} with id {ident!r}" if kind != "entity" else f"no entity with id or name {ident!r}")
        self.kind, self.ident = kind, ident


class Ambiguous(LookupError):
    """A name that several entities bear; ``candidates`` are theirs, most mentioned first."""

    def __init__(self, name: str, candidates: list[Row]) -> None:
        listed = ", ".join(f"{c['id']} ({c['name']}, {c['mentions']} mentions)" for c in candidates)
        super().__init__(f"{name!r} names {len(candidates)} entities: {listed}; pass one of these ids")
        self.name, self.candidates = name, candidates


def resolve_entity(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """The id of the entity ``ref`` designates: an entity id, else the one entity whose name or
    an alias is ``ref`` (accents, case and punctuation folded).

    Raises:
        NotFound: no entity has that id, name or alias.
        Ambiguous: several entities bear that name (their ids are in ``candidates``).
    """
    if con.execute("SELECT count(*) FROM entities WHERE id = ?", [ref]).fetchone() != (0,):
        return ref
    wanted = fold(ref)
    found = []
    for entity_id, name, aliases, kind, mentions in con.execute(
            "SELECT e.id, e.name, e.aliases, e.type, count(m.entity_id) FROM entities e "
            "LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY ALL ORDER BY 5 DESC, 1").fetchall():
        if wanted in {fold(n) for n in [name, *json.loads(aliases)]}:
            found.append({"id": entity_id, "name": name, "type": kind, "mentions": int(mentions)})
    if not found:
        raise NotFound("entity", ref)
    if len(found) > 1:
        raise Ambiguous(ref, found)
    return str(found[0]["id"])


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters the list views share; each view uses those that apply to it."""

    story: str | None = None
    entity: str | None = None
    type: str | None = None
    start: date | None = None          # interval overlaps [start, end]
    end: date | None = None
    modality: str | None = None
    min_sources: int | None = None     # independent sources
    kind: str | None = None            # conflicts: date, number, place, outcome
    q: str | None = None               # entities: name or alias contains


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _when(start: date | None, end: date | None, text: str | None) -> str | None:
    return format_interval(start, end or start) if start else text


def _page(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], order: str, limit: int,
          offset: int, window: bool = False) -> tuple[list[tuple[Any, ...]], int]:
    """One page of ``sql`` (a top-N sort) and the number of all its rows (a count the optimiser
    strips of the unused columns); one window query is slower, as it materialises every row."""
    if window:  # narrow rows that are costly to compute (search scores): one pass
        counted = "SELECT count(*) OVER () AS total_, " + sql.removeprefix("SELECT ")
        found = con.execute(f"{counted} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        if found:
            return [r[1:] for r in found], int(found[0][0])
    total = int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])  # type: ignore[index]
    rows = con.execute(f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall() \
        if total > offset else []
    return rows, total


def _in(ids: Sequence[str]) -> str:
    """``(...)`` of quoted string literals for ``IN``: DuckDB pushes a constant list into the scan
    (a few row groups read), where a bound list parameter becomes a join over the whole table."""
    return "(" + (", ".join("'" + i.replace("'", "''") + "'" for i in ids) or "NULL") + ")"


def _envelope(items: list[Row], total: int, limit: int, offset: int) -> Row:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


_DOC_ORDER = "published_value DESC NULLS LAST, id"
_EVENT_ORDER = "time_start NULLS LAST, time_end, id"


@dataclass(frozen=True, slots=True)
class Lookup:
    """Small tables every view decorates its rows with, read once: entity names and types,
    conflicts by event, article titles. The app keeps one per knowledge-base state."""

    entities: dict[str, Row]
    conflicts: dict[str, list[str]]
    titles: dict[str, str | None]
    cited: dict[str, Row]               # doc id -> its citation: {"doc", "outlet", "title", "date"}
    mentions: dict[str, int]            # entity id -> mentions
    ranked: list[str]                   # entity ids, most mentioned first (then by name)
    events_of: dict[str, list[str]]     # entity id -> the corpus events it takes part in (or hosts)
    doc_order: list[str]                # document ids as the unfiltered list shows them (newest first)
    event_order: list[str]              # corpus event ids in time order (undated last)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Lookup:
        entities = {r[0]: {"name": r[1], "type": r[2]}
                    for r in con.execute("SELECT id, name, type FROM entities").fetchall()}
        conflicts: dict[str, list[str]] = {}
        for cid, eid in con.execute("SELECT id, event_id FROM conflicts ORDER BY id").fetchall():
            conflicts.setdefault(eid, []).append(cid)
        cited = {r[0]: {"doc": r[0], "outlet": r[1], "title": r[2], "date": r[3]} for r in con.execute(
            "SELECT id, outlet, title, substring(published_value, 1, 10) FROM documents").fetchall()}
        titles = {d: c["title"] for d, c in cited.items()}
        mentions = dict(con.execute("SELECT entity_id, count(*) FROM mentions WHERE entity_id IS NOT NULL "
                                    "GROUP BY entity_id").fetchall())
        ranked = sorted(entities, key=lambda e: (-mentions.get(e, 0), entities[e]["name"], e))
        events_of: dict[str, list[str]] = {}
        for event_id, entity_id in con.execute(
                "SELECT DISTINCT id, unnest(json_extract_string(participants, '$[*].entity')) FROM corpus_events "
                "UNION SELECT id, place FROM corpus_events WHERE place IS NOT NULL").fetchall():
            events_of.setdefault(entity_id, []).append(event_id)
        doc_order = [r[0] for r in con.execute(f"SELECT id FROM documents ORDER BY {_DOC_ORDER}").fetchall()]
        event_order = [r[0] for r in con.execute(f"SELECT id FROM corpus_events ORDER BY {_EVENT_ORDER}").fetchall()]
        return cls(entities, conflicts, titles, cited, mentions, ranked, events_of, doc_order, event_order)

    def cite(self, doc_id: str) -> Row:
        """How a reader sees an article: outlet · title · date (``None`` for what is unknown)."""
        return self.cited.get(doc_id) or {"doc": doc_id, "outlet": None, "title": None, "date": None}


# -- documents --------------------------------------------------------------------------------

_DOC_LIST = (
    "SELECT id, title, outlet, author, published_value, published_basis, language, story, duplicate_of, "
    "substring(text, 1, 240) AS lead, length(text) AS chars FROM documents"
)


def _doc_item(r: tuple[Any, ...]) -> Row:
    return {"id": r[0], "title": r[1], "outlet": r[2], "author": r[3],
            "published": {"value": r[4], "basis": r[5]}, "language": r[6], "story": r[7], "duplicate_of": r[8],
            "lead": r[9], "chars": r[10]}


def _document_where(f: Filters, alias: str = "") -> tuple[list[str], list[Any]]:
    """Conditions on articles (``alias`` prefixes the columns): story, publication date range."""
    where: list[str] = []
    params: list[Any] = []
    if f.story:
        where.append(f"{alias}story = ?")
        params.append(f.story)
    if f.start:
        where.append(f"substring({alias}published_value, 1, 10) >= ?")
        params.append(f.start.isoformat())
    if f.end:
        where.append(f"substring({alias}published_value, 1, 10) <= ?")
        params.append(f.end.isoformat())
    return where, params


def documents(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50, offset: int = 0,
              lk: Lookup | None = None) -> Row:
    """Articles, newest first; filters: story, entity (mentioned), date range (publication)."""
    where, params = _document_where(f)
    if f.entity:
        where.append("id IN (SELECT doc_id FROM mentions WHERE entity_id = ?)")
        params.append(f.entity)
    if where or lk is None:
        sql = "SELECT id, published_value FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
        rows, total = _page(con, sql, params, _DOC_ORDER, limit, offset)
        ids = [r[0] for r in rows]
    else:  # the whole list: its order is known, a page is a slice
        ids, total = lk.doc_order[offset: offset + limit], len(lk.doc_order)
    found = {r[0]: r for r in con.execute(_DOC_LIST + f" WHERE id IN {_in(ids)}").fetchall()} if ids else {}
    return _envelope([_doc_item(found[i]) for i in ids if i in found], total, limit, offset)


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> Row:
    """One article: its cleaned text with every annotation (entities, dates, events, quotes) as
    offsets into it, the removed lines, and its links to other articles."""
    row = con.execute(
        "SELECT id, title, outlet, author, published_value, published_basis, published_evidence, language, story, "
        "duplicate_of, near_duplicates, family, text, paragraphs, source, url FROM documents WHERE id = ?",
        [doc_id]).fetchone()
    if row is None:
        raise NotFound("document", doc_id)
    text = row[12]
    mentions = [{"start": s, "end": e, "text": t, "type": ty, "entity": ent, "role": role}
                for s, e, t, ty, ent, role in con.execute(
                    'SELECT start, "end", text, type, entity_id, role FROM mentions WHERE doc_id = ? ORDER BY start',
                    [doc_id]).fetchall()]
    dates = [{"start": s, "end": e, "text": t, "value": v, "interval": _when(a, b, None)}
             for s, e, t, v, a, b in con.execute(
                 'SELECT start, "end", text, value, start_day, end_day FROM time_exprs WHERE doc_id = ? '
                 "ORDER BY start", [doc_id]).fetchall()]
    events = [{"start": s, "end": e, "text": t, "type": ty, "modality": m, "event": ev}
              for s, e, t, ty, m, ev in con.execute(
                  "SELECT DISTINCT trigger_start, trigger_end, trigger, type, modality, event_id FROM event_accounts "
                  "WHERE doc_id = ? AND derived IS NULL ORDER BY trigger_start", [doc_id]).fetchall()]
    quotes = [{"start": s, "end": e, "text": t, "speaker": sp}
              for s, e, t, sp in con.execute(
                  'SELECT start, "end", text, speaker_text FROM quotes WHERE doc_id = ? ORDER BY start',
                  [doc_id]).fetchall()]
    removed = [{"kind": k, "reason": r, "text": t}
               for k, r, t in con.execute("SELECT kind, reason, text FROM removals WHERE doc_id = ? ORDER BY seq",
                                          [doc_id]).fetchall()]
    links = [{"doc": other, "reason": reason, "detail": detail,
              "citation": {"doc": other, "outlet": outlet, "title": title, "date": day}}
             for other, reason, detail, outlet, title, day in con.execute(
                 "SELECT l.other, l.reason, l.detail, d.outlet, d.title, substring(d.published_value, 1, 10) FROM "
                 "(SELECT CASE WHEN a = ? THEN b ELSE a END AS other, reason, detail, a, b FROM source_links "
                 "WHERE a = ? OR b = ?) l LEFT JOIN documents d ON d.id = l.other ORDER BY l.a, l.b",
                 [doc_id, doc_id, doc_id]).fetchall()]
    return {
        "id": row[0], "title": row[1], "outlet": row[2], "author": row[3],
        "published": {"value": row[4], "basis": row[5], "evidence": row[6]}, "language": row[7], "story": row[8],
        "duplicate_of": row[9], "near_duplicates": json.loads(row[10]), "family": row[11], "text": text,
        "paragraphs": json.loads(row[13]), "source": row[14], "url": row[15],
        "mentions": mentions, "dates": dates, "events": events, "quotes": quotes, "removed": removed,
        "links": links,
    }


def segments(text: str, start: int, end: int, marks: Sequence[tuple[int, int, str, str]]) -> list[Row]:
    """Cut ``text[start:end]`` into runs that each carry the marks covering them.

    ``marks`` are (start, end, css class, title). Overlapping marks nest by splitting: every run
    has the classes and titles of all marks over it, so the page needs no HTML from the text.
    """
    cuts = {start, end}
    for s, e, _, _ in marks:
        if e > start and s < end:
            cuts.update((max(s, start), min(e, end)))
    bounds = sorted(cuts)
    runs = []
    for a, b in pairwise(bounds):
        over = [(c, t) for s, e, c, t in marks if s <= a and e >= b]
        runs.append({"text": text[a:b], "classes": sorted({c for c, _ in over}),
                     "title": " · ".join(dict.fromkeys(t for _, t in over if t))})
    return runs


def annotated_paragraphs(doc: Row) -> list[list[Row]]:
    """The document's paragraphs as marked runs: entities, dates and event triggers."""
    marks: list[tuple[int, int, str, str]] = []
    marks += [(m["start"], m["end"], f"ent ent-{m['type'].lower()}", f"{m['type']} {m['entity'] or ''}".strip())
              for m in doc["mentions"]]
    marks += [(d["start"], d["end"], "date", f"date {d['interval'] or d['value']}") for d in doc["dates"]]
    marks += [(e["start"], e["end"], "trigger", f"{e['type']} ({e['modality']})") for e in doc["events"]]
    paragraphs = doc["paragraphs"] or [[0, len(doc["text"])]]
    return [segments(doc["text"], s, e, marks) for s, e in paragraphs]


# -- entities ---------------------------------------------------------------------------------

def entities(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50, offset: int = 0,
             lk: Lookup | None = None) -> Row:
    """Entities, most mentioned first; filters: type, q (name or alias contains, accents folded),
    story (mentioned in one of its articles)."""
    lk = lk or Lookup.load(con)
    where, params = [], []
    if f.type:
        where.append("type = ?")
        params.append(f.type.upper())
    if f.q:
        where.append("(strip_accents(lower(name)) LIKE ? OR strip_accents(lower(CAST(aliases AS VARCHAR))) LIKE ?)")
        params += [f"%{fold(f.q)}%"] * 2
    if f.story:
        where.append("id IN (SELECT m.entity_id FROM mentions m JOIN documents d ON d.id = m.doc_id "
                     "WHERE d.story = ?)")
        params.append(f.story)
    if where:
        wanted = {r[0] for r in con.execute("SELECT id FROM entities WHERE " + " AND ".join(where), params).fetchall()}
        ranked = [e for e in lk.ranked if e in wanted]
    else:
        ranked = lk.ranked
    page = ranked[offset: offset + limit]
    rows = {r[0]: r for r in con.execute(
        f"SELECT id, type, name, aliases, descriptions, country FROM entities WHERE id IN {_in(page)}").fetchall()} \
        if page else {}
    items = [{"id": r[0], "type": r[1], "name": r[2], "aliases": json.loads(r[3]), "descriptions": json.loads(r[4]),
              "country": r[5], "mentions": lk.mentions.get(r[0], 0)} for r in (rows[e] for e in page if e in rows)]
    return _envelope(items, len(ranked), limit, offset)


def entity(con: duckdb.DuckDBPyConnection, entity_id: str) -> Row:
    """One entity: aliases, roles, merge evidence, mentions by article, events, and its network."""
    row = con.execute("SELECT id, type, name, aliases, descriptions, country, latitude, longitude, evidence "
                      "FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise NotFound("entity", entity_id)
    mentions = [{"doc": d, "start": s, "end": e, "text": t, "title": title}
                for d, s, e, t, title in con.execute(
                    'SELECT m.doc_id, m.start, m."end", m.text, d.title FROM mentions m JOIN documents d '
                    "ON d.id = m.doc_id WHERE m.entity_id = ? ORDER BY m.doc_id, m.start", [entity_id]).fetchall()]
    return {"id": row[0], "type": row[1], "name": row[2], "aliases": json.loads(row[3]),
            "descriptions": json.loads(row[4]), "country": row[5],
            "geo": {"lat": row[6], "lon": row[7]} if row[6] is not None else None,
            "evidence": json.loads(row[8]), "mentions": mentions}


# -- events -----------------------------------------------------------------------------------

_EVENT_COLUMNS = ('id, type, plover, label, time_start, time_end, time_text, place, participants, modality, '
                  "sources, groups, independent_sources, story")


def _event_where(f: Filters, lk: Lookup | None = None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.story:
        where.append("story = ?")
        params.append(f.story)
    if f.entity and lk is not None:
        where.append(f"id IN {_in(lk.events_of.get(f.entity, []))}")
    elif f.entity:
        where.append("(place = ? OR list_contains(json_extract_string(participants, '$[*].entity'), ?))")
        params += [f.entity, f.entity]
    if f.type:
        where.append("type = ?")
        params.append(f.type)
    if f.modality:
        where.append("modality = ?")
        params.append(f.modality)
    if f.min_sources:
        where.append("independent_sources >= ?")
        params.append(f.min_sources)
    if f.start:
        where.append("coalesce(time_end, time_start) >= ?")
        params.append(f.start)
    if f.end:
        where.append("time_start <= ?")
        params.append(f.end)
    return where, params


def _event_item(r: tuple[Any, ...], who: dict[str, Row], conflicts: dict[str, list[str]],
                groups: bool = True, lk: Lookup | None = None) -> Row:
    participants = [{**p, **who.get(p["entity"], {"name": p["entity"], "type": None})} for p in json.loads(r[8])]
    independent = r[12]
    return {"id": r[0], "type": r[1], "plover": r[2], "label": r[3],
            "time": {"start": _iso(r[4]), "end": _iso(r[5]), "text": r[6]}, "when": _when(r[4], r[5], r[6]),
            "place": ({"entity": r[7], **who.get(r[7], {"name": r[7], "type": None})} if r[7] else None),
            "participants": participants, "modality": r[9], "sources": json.loads(r[10]),
            "source_groups": json.loads(r[11]) if groups else None, "independent_sources": independent,
            "single_source": independent == 1, "story": r[13], "conflicts": conflicts.get(r[0], []),
            "citations": [lk.cite(d) for d in json.loads(r[10])] if lk else []}


def _decorate(rows: Sequence[tuple[Any, ...]], lk: Lookup, groups: bool = True) -> list[Row]:
    return [_event_item(r, lk.entities, lk.conflicts, groups, lk) for r in rows]


def events(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50, offset: int = 0,
           lk: Lookup | None = None) -> Row:
    """Corpus events in time order (undated last); filters: story, entity, type, modality, date range,
    min independent sources."""
    lk = lk or Lookup.load(con)
    where, params = _event_where(f, lk)
    if where:
        sql = f"SELECT {_EVENT_COLUMNS} FROM corpus_events WHERE " + " AND ".join(where)
        rows, total = _page(con, sql, params, _EVENT_ORDER, limit, offset)
    else:  # the whole list: its order is known, a page is a slice
        ids, total = lk.event_order[offset: offset + limit], len(lk.event_order)
        found = {r[0]: r for r in con.execute(
            f"SELECT {_EVENT_COLUMNS} FROM corpus_events WHERE id IN {_in(ids)}").fetchall()} if ids else {}
        rows = [found[i] for i in ids if i in found]
    return _envelope(_decorate(rows, lk, groups=False), total, limit, offset)


def event(con: duckdb.DuckDBPyConnection, event_id: str, lk: Lookup | None = None) -> Row:
    """One corpus event with every article's account (sentence, trigger, time, modality)."""
    row = con.execute(f"SELECT {_EVENT_COLUMNS} FROM corpus_events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound("event", event_id)
    lk = lk or Lookup.load(con)
    item = _decorate([row], lk)[0]
    item["mentions"] = [
        {"doc": d, "start": s, "end": e, "text": t, "trigger": trig, "modality": m, "when": _when(a, b, tt),
         "derived": der, "title": title, "citation": lk.cite(d)}
        for d, s, e, t, trig, m, a, b, tt, der, title in con.execute(
            'SELECT a.doc_id, a.start, a."end", substring(d.text, a.start + 1, a."end" - a.start), a.trigger, '
            "a.modality, a.time_start, a.time_end, a.time_text, a.derived, d.title FROM event_accounts a "
            "JOIN documents d ON d.id = a.doc_id WHERE a.event_id = ? ORDER BY a.doc_id, a.trigger_start",
            [event_id]).fetchall()]
    return item


# -- conflicts --------------------------------------------------------------------------------

def conflicts(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50, offset: int = 0,
              lk: Lookup | None = None) -> Row:
    """Contradictions, each with the event it is about and its values side by side (sources and
    sentences per value); filters: story, entity, kind."""
    where, params = [], []
    if f.kind:
        where.append("c.kind = ?")
        params.append(f.kind)
    if f.story:
        where.append("e.story = ?")
        params.append(f.story)
    if f.entity:
        where.append("list_contains(json_extract_string(e.participants, '$[*].entity'), ?)")
        params.append(f.entity)
    sql = ('SELECT c.id, c.kind, c.event_id, c.slot, c."values", c.best, e.label, e.story, e.independent_sources '
           "FROM conflicts c JOIN corpus_events e ON e.id = c.event_id"
           + (" WHERE " + " AND ".join(where) if where else ""))
    rows, total = _page(con, sql, params, "c.event_id, c.slot", limit, offset)
    lk = (lk or Lookup.load(con)) if rows else None
    items = []
    for cid, kind, eid, slot, values, best, label, story, independent in rows:
        parsed = json.loads(values)
        for v in parsed:
            if lk is not None:
                v["citations"] = [lk.cite(d) for d in v.get("sources", [])]
            for m in v.get("mentions", []):
                if lk is not None:
                    m.setdefault("title", lk.titles.get(m.get("doc")))
                    m["citation"] = lk.cite(m.get("doc", ""))
        items.append({"id": cid, "kind": kind, "event": eid, "event_label": label, "story": story, "slot": slot,
                      "values": parsed, "best": best, "independent_sources": independent})
    return _envelope(items, total, limit, offset)


# -- stories ----------------------------------------------------------------------------------

def stories(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50, offset: int = 0) -> Row:
    """Stories, biggest first, with their numbers of articles, events and conflicts; filters:
    entity (one of its events involves it), date range (of its events)."""
    where, params = [], []
    if f.entity or f.start or f.end:
        ev_where, ev_params = _event_where(Filters(entity=f.entity, start=f.start, end=f.end))
        where.append("id IN (SELECT story FROM corpus_events WHERE " + " AND ".join(ev_where) + ")")
        params += ev_params
    sql = ("SELECT id, label, json_array_length(documents) AS n, json_array_length(events) AS ne, "
           "(SELECT count(*) FROM conflicts c JOIN corpus_events e ON e.id = c.event_id WHERE e.story = s.id) "
           "AS nc FROM stories s" + (" WHERE " + " AND ".join(where) if where else ""))
    rows, total = _page(con, sql, params, "n DESC, id", limit, offset)
    # counts only: a story's articles and events can run to thousands (GET /api/stories/{id} lists them)
    items = [{"id": r[0], "label": r[1], "documents": r[2], "events": r[3], "conflicts": r[4]} for r in rows]
    return _envelope(items, total, limit, offset)


def story(con: duckdb.DuckDBPyConnection, story_id: str, lk: Lookup | None = None) -> Row:
    """One story: label, cited summary, articles, fact table, timeline, network and conflicts."""
    row = con.execute("SELECT id, label, documents, events, news, summary FROM stories WHERE id = ?",
                      [story_id]).fetchone()
    if row is None:
        raise NotFound("story", story_id)
    f = Filters(story=story_id)
    lk = lk or Lookup.load(con)
    facts = events(con, f, limit=100_000, lk=lk)["items"]
    docs = documents(con, f, limit=100_000)["items"]
    summary = json.loads(row[5])
    for sentence in summary:
        sentence["citations"] = [lk.cite(d) for d in sentence.get("sources", [])]
    return {"id": row[0], "label": row[1], "documents": docs, "news": json.loads(row[4]),
            "summary": summary, "events": facts, "timeline": timeline_of(facts),
            "graph": graph_of(facts), "conflicts": conflicts(con, f, limit=100_000, lk=lk)["items"]}


# -- timeline and graph -----------------------------------------------------------------------

def timeline_of(items: Sequence[Row]) -> Row:
    """Events (decorated rows) as timeline entries: points for a day, intervals otherwise
    (``uncertain``), and the events no source dates listed apart."""
    anchored, unanchored = [], []
    for e in items:
        entry = {"event": e["id"], "label": e["label"], "type": e["type"], "when": e["when"],
                 "independent_sources": e["independent_sources"], "sources": e["sources"],
                 "conflict": bool(e["conflicts"]), "modality": e["modality"]}
        if e["time"]["start"]:
            end = e["time"]["end"] or e["time"]["start"]
            anchored.append({**entry, "start": e["time"]["start"], "end": end, "uncertain": end != e["time"]["start"]})
        else:
            unanchored.append(entry)
    anchored.sort(key=lambda x: (x["start"], x["end"], x["event"]))
    return {"anchored": anchored, "unanchored": unanchored}


def timeline(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 500, offset: int = 0,
             lk: Lookup | None = None) -> Row:
    """The timeline of the events the filters select (a story's, an entity's, a period's)."""
    page = events(con, f, limit=limit, offset=offset, lk=lk)
    return {**timeline_of(page["items"]), "total": page["total"], "limit": limit, "offset": offset}


_LINKS = {"meeting", "visit", "agreement", "criticism", "acquisition", "exercise", "normalization", "statement"}


def graph_of(items: Sequence[Row]) -> Row:
    """Who met, signed with, visited or criticised whom: people, organisations and countries as
    nodes, one edge per pair and event type, weighted by events, with the events listed."""
    nodes: dict[str, Row] = {}
    edges: dict[tuple[str, str, str], Row] = {}
    for e in items:
        if e["type"] not in _LINKS:
            continue
        people = [p for p in e["participants"] if p.get("type") in {"PER", "ORG", "GPE"}]
        agents = [p for p in people if p["role"] == "agent"] or people[:1]
        others = [p for p in people if p not in agents]
        if e["place"] and e["type"] == "visit" and e["place"].get("type") in {"GPE", "LOC"}:
            others.append({**e["place"], "role": "place"})
        for a in agents:
            for b in others:
                if a["entity"] == b["entity"]:
                    continue
                for p in (a, b):
                    nodes.setdefault(p["entity"], {"id": p["entity"], "label": p["name"], "type": p.get("type")})
                key = (a["entity"], b["entity"], e["type"])
                edge = edges.setdefault(key, {"source": a["entity"], "target": b["entity"], "type": e["type"],
                                              "events": [], "weight": 0})
                edge["events"].append(e["id"])
                edge["weight"] += 1
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def graph(con: duckdb.DuckDBPyConnection, f: Filters, lk: Lookup | None = None) -> Row:
    """The network of the events the filters select."""
    return graph_of(events(con, f, limit=100_000, lk=lk)["items"])


# -- search -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_MEMO = 100_000  # words and stems remembered by a served search index before starting afresh


def _has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_documents'")
                .fetchone()[0])  # type: ignore[index]


_ACCENTED = {"a": "aàâäáã", "c": "cç", "e": "eéèêë", "i": "iîïíì", "n": "nñ", "o": "oôöóò", "u": "uùûüú",
             "y": "yÿý"}


def _stem_pattern(stems: Sequence[str]) -> re.Pattern[str] | None:
    """A regex for words starting with any stem, accents and case ignored (one pass per text)."""
    parts = []
    for stem in sorted({s for s in stems if s}, key=len, reverse=True):
        chars = "".join(f"[{re.escape(_ACCENTED.get(ch, ch))}]" if ch in _ACCENTED else re.escape(ch) for ch in stem)
        parts.append(chars)
    return re.compile(r"\b(?:" + "|".join(parts) + r")\w*", re.IGNORECASE) if parts else None


def snippet(text: str, stems: Sequence[str], width: int = 90) -> Row:
    """A window of ``text`` around the first word matching a query stem, with every match in it
    as ``marks`` (offsets into the snippet). Words match when they start with a stem, accents and
    case ignored (Snowball stems are prefixes of the folded word in all but rare cases)."""
    pattern = _stem_pattern(stems)
    hits = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
    if not hits:
        return {"text": text[: 2 * width].strip(), "marks": [], "prefix": False, "suffix": len(text) > 2 * width}
    first = hits[0][0]
    start = max(0, text.rfind(" ", 0, max(0, first - width)) + 1) if first > width else 0
    end = text.find(" ", min(len(text), hits[0][1] + width))
    end = len(text) if end < 0 else end
    marks = [[a - start, b - start] for a, b in hits if a >= start and b <= end]
    return {"text": text[start:end], "marks": marks, "prefix": start > 0, "suffix": end < len(text)}


# BM25 as DuckDB's ``match_bm25`` computes it (k1 1.2, b 0.75, title and text as one bag), but
# set-based: the macro is a scalar evaluated for every document, this reads only the postings of
# the query's terms (about 10x faster on 10,000 articles).
_BM25 = """
WITH tokens AS (SELECT DISTINCT stem(unnest(fts_main_documents.tokenize(?)), 'french') AS t),
q AS (SELECT termid, df FROM fts_main_documents.dict JOIN tokens ON term = t),
tf AS (SELECT docid, termid, count(*) AS tf FROM fts_main_documents.terms
       WHERE termid IN (SELECT termid FROM q) GROUP BY docid, termid),
stats AS (SELECT num_docs, avgdl FROM fts_main_documents.stats)
SELECT docs.name AS id, sum(log((stats.num_docs - q.df + 0.5) / (q.df + 0.5) + 1)
       * tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * docs.len / stats.avgdl))) AS score
FROM tf JOIN q USING (termid) JOIN fts_main_documents.docs AS docs USING (docid), stats
GROUP BY docs.name
"""


@dataclass(frozen=True, slots=True)
class Postings:
    """The FTS index's document table held in arrays, to rank a query's postings in NumPy.

    ``_BM25`` in SQL groups and sorts every matching document on each request; with the lengths,
    names and name ranks of the documents in memory, the same formula over the postings of the
    query's terms (read from the term-ordered table) takes a fraction of that. DuckDB's FTS stays
    the index: its tokenizer, stemmer, dictionary and postings.
    """

    names: np.ndarray        # docid -> document id (object array)
    lengths: np.ndarray      # docid -> length in terms
    name_rank: np.ndarray    # docid -> rank of its document id (ties in score go by id)
    num_docs: int
    avgdl: float
    # what the index makes of a query word: its stems, and each stem's (term id, document
    # frequency); both fixed while the knowledge base is served, so remembered (bounded)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: dict[str, tuple[int, int] | None] = field(default_factory=dict)

    def analyse(self, con: duckdb.DuckDBPyConnection, q: str) -> tuple[list[str], list[tuple[int, int]]]:
        """The query's stems (for snippets) and the (term id, df) of those in the index."""
        stems: dict[str, None] = {}
        for word in _WORD.findall(q):
            if word not in self.words:
                if len(self.words) > _MEMO:
                    self.words.clear()
                self.words[word] = tuple(r[0] for r in con.execute(
                    "SELECT stem(unnest(fts_main_documents.tokenize(?)), 'french')", [word]).fetchall() if r[0])
            stems.update(dict.fromkeys(self.words[word]))
        missing = [t for t in stems if t not in self.terms]
        if missing:
            if len(self.terms) > _MEMO:
                self.terms.clear()
            known = {r[0]: (int(r[1]), int(r[2])) for r in con.execute(
                f"SELECT term, termid, df FROM fts_main_documents.dict WHERE term IN {_in(missing)}").fetchall()}
            self.terms.update({t: known.get(t) for t in missing})
        return list(stems), [found for t in stems if (found := self.terms[t]) is not None]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Postings | None:
        import numpy as np

        if not _has_index(con):
            return None
        rows = con.execute("SELECT docid, name, len FROM fts_main_documents.docs ORDER BY docid").fetchall()
        size = (rows[-1][0] + 1) if rows else 0
        names = np.empty(size, dtype=object)
        lengths = np.zeros(size, dtype=np.float64)
        for docid, name, length in rows:
            names[docid], lengths[docid] = name, length
        name_rank = np.zeros(size, dtype=np.int64)
        for rank, docid in enumerate(sorted(range(len(rows)), key=lambda i: rows[i][1])):
            name_rank[rows[docid][0]] = rank
        num_docs, avgdl = con.execute("SELECT num_docs, avgdl FROM fts_main_documents.stats").fetchone() or (0, 1.0)
        return cls(names, lengths, name_rank, int(num_docs), float(avgdl or 1.0))

    def rank(self, con: duckdb.DuckDBPyConnection, terms: Sequence[tuple[int, int]], limit: int,
             offset: int) -> tuple[list[tuple[str, float]], int]:
        """A page of (document id, BM25 score), best first, and how many documents match, for the
        query's (term id, document frequency) pairs."""
        import numpy as np

        if not terms:
            return [], 0
        idf = {t: np.log10((self.num_docs - df + 0.5) / (df + 0.5) + 1) for t, df in terms}  # as DuckDB: log10
        # raw postings (one row per occurrence), counted here: cheaper than a GROUP BY in SQL
        found = con.execute(f"SELECT docid, termid FROM fts_main_documents.terms WHERE termid IN "
                            f"({', '.join(str(t) for t in idf)})").fetchnumpy()
        term_ids = np.array(sorted(idf), dtype=np.int64)
        slots = np.searchsorted(term_ids, found["termid"].astype(np.int64))
        pairs, tf_counts = np.unique(found["docid"].astype(np.int64) * len(idf) + slots, return_counts=True)
        docids, slot = pairs // len(idf), pairs % len(idf)
        tf = tf_counts.astype(np.float64)
        weights = np.array([idf[t] for t in term_ids.tolist()], dtype=np.float64)[slot]
        sub = weights * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.lengths[docids] / self.avgdl))
        matched, inverse = np.unique(docids, return_inverse=True)
        scores = np.bincount(inverse, weights=sub)
        order = np.lexsort((self.name_rank[matched], -scores))[offset: offset + limit]
        return [(str(self.names[matched[i]]), float(scores[i])) for i in order], len(matched)


def search(con: duckdb.DuckDBPyConnection, q: str, f: Filters, limit: int = 20, offset: int = 0,
           postings: Postings | None = None) -> Row:
    """Full-text search over titles and texts (BM25, French stemming, accents folded), with a
    highlighted snippet per hit; filters: story, date range."""
    if not _WORD.search(q) or (postings is None and not _has_index(con)):
        return {**_envelope([], 0, limit, offset), "query": q}
    # the query's stems as the index made them, then their term ids and document frequencies
    if postings is not None:
        stems, terms = postings.analyse(con, q)
    else:
        stems = [r[0] for r in con.execute("SELECT DISTINCT stem(unnest(fts_main_documents.tokenize(?)), 'french')",
                                           [q]).fetchall() if r[0]]
        terms = con.execute(f"SELECT termid, df FROM fts_main_documents.dict WHERE term IN {_in(stems)}").fetchall() \
            if stems else []
    where, filter_params = _document_where(f, "d.")
    params: list[Any] = [q, *filter_params]
    if where or postings is None:
        sql = (f"SELECT d.id, s.score FROM ({_BM25}) AS s JOIN documents d ON d.id = s.id"
               + (" WHERE " + " AND ".join(where) if where else ""))
        ranked, total = _page(con, sql, params, "score DESC, id", limit, offset, window=True)
    else:  # no filter: rank the postings in memory; read the articles of the page only
        ranked, total = postings.rank(con, terms, limit, offset)
    rows = {r[0]: r for r in con.execute(
        "SELECT id, title, outlet, published_value, story, text FROM documents WHERE id IN "
        + _in([r[0] for r in ranked])).fetchall()} if ranked else {}
    items = [{"id": i, "title": rows[i][1], "outlet": rows[i][2], "published": rows[i][3], "story": rows[i][4],
              "score": round(score, 4), "snippet": snippet(rows[i][5], stems)} for i, score in ranked if i in rows]
    return {**_envelope(items, total, limit, offset), "query": q}


def overview(con: duckdb.DuckDBPyConnection) -> Row:
    """Counts for the home page and the report's header."""
    counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
              for t in ("documents", "entities", "corpus_events", "conflicts", "stories")}
    single = int(con.execute("SELECT count(*) FROM corpus_events WHERE independent_sources = 1")
                 .fetchone()[0])  # type: ignore[index]
    return {"documents": counts["documents"], "entities": counts["entities"], "events": counts["corpus_events"],
            "conflicts": counts["conflicts"], "stories": counts["stories"], "single_source_events": single}
