"""Rows -> model objects: the typed queries shared by the build, export, CLI and evaluation."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np

from recoupe.model import (
    Account,
    CorpusEvent,
    DocId,
    Document,
    EntityRef,
    Line,
    Mention,
    MetaLine,
    PageLines,
    Published,
    Removal,
    SourceDoc,
    Span,
    StageId,
    TimeExpr,
    account_key,
)
from recoupe.stages.entities import Judgement
from recoupe.store.kb import KnowledgeBase

_COLUMNS = (
    "id, source, format, fingerprint, lines, meta_lines, title, outlet, author, section, dateline, "
    "url, published_value, published_basis, published_evidence, published_source, language, "
    "language_score, evidence, extras, warnings, text, paragraphs, clean_key, content_hash, "
    "duplicate_of, near_duplicates, family, story, nlp_key, sentences"
)


def _document(row: tuple[Any, ...], removals: list[Removal], timexes: list[TimeExpr]) -> Document:
    doc_id = DocId(row[0])
    return Document(
        id=doc_id, source=row[1], format=row[2], fingerprint=row[3],
        lines=tuple(Line(n, t) for n, t in json.loads(row[4])),
        meta_lines=tuple(MetaLine(n, r) for n, r in json.loads(row[5])),
        title=row[6], outlet=row[7], author=row[8], section=row[9], dateline=row[10], url=row[11],
        published=Published(row[12], row[13], row[14], StageId(row[15]) if row[15] else None),
        language=row[16], language_score=row[17],
        evidence=MappingProxyType(json.loads(row[18])), extras=MappingProxyType(json.loads(row[19])),
        warnings=tuple(json.loads(row[20])), text=row[21],
        paragraphs=tuple(Span(doc_id, s, e) for s, e in json.loads(row[22])),
        removed=tuple(removals), clean_key=row[23], content_hash=row[24],
        duplicate_of=DocId(row[25]) if row[25] else None,
        near_duplicates=tuple(DocId(x) for x in json.loads(row[26])),
        family=row[27], story=row[28], nlp_key=row[29],
        sentences=tuple(Span(doc_id, s, e) for s, e in json.loads(row[30])),
        time_exprs=tuple(timexes),
    )


def iter_documents(kb: KnowledgeBase, ids: Sequence[str] | None = None) -> Iterator[Document]:
    """Stored documents in id order (all, or those in ``ids``)."""
    where, params = "", list[str]()
    if ids is not None:
        if not ids:
            return
        where = f"WHERE id IN ({', '.join(['?'] * len(ids))})"
        params = list(ids)
    removals: dict[str, list[Removal]] = {}
    for doc_id, kind, reason, text, line, source in kb.query(
        f"SELECT doc_id, kind, reason, text, line, source FROM removals "
        f"{where.replace('id IN', 'doc_id IN')} ORDER BY doc_id, seq", params
    ):
        removals.setdefault(doc_id, []).append(Removal(kind, reason, text, line, StageId(source)))
    timexes: dict[str, list[TimeExpr]] = {}
    for r in kb.query(
        f"SELECT doc_id, start, \"end\", text, type, value, start_day, end_day, granularity, \"mod\", anchor, tense, "
        f"source, note, governor FROM time_exprs {where.replace('id IN', 'doc_id IN')} ORDER BY doc_id, start", params
    ):
        timexes.setdefault(r[0], []).append(TimeExpr(
            Span(DocId(r[0]), r[1], r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], StageId(r[12]),
            r[13], r[14],
        ))
    mentions: dict[str, list[Mention]] = {}
    for r in kb.query(
        f"SELECT doc_id, start, \"end\", text, type, name, kind, source, title, role, country, alias_of "
        f"FROM mentions {where.replace('id IN', 'doc_id IN')} ORDER BY doc_id, start", params
    ):
        mentions.setdefault(r[0], []).append(Mention(
            Span(DocId(r[0]), r[1], r[2]), r[3], r[4], r[5], r[6], StageId(r[7]), r[8], r[9], r[10], r[11]))
    cursor = kb.con.execute(f"SELECT {_COLUMNS} FROM documents {where} ORDER BY id", params)
    while rows := cursor.fetchmany(500):
        for row in rows:
            doc = _document(row, removals.get(row[0], []), timexes.get(row[0], []))
            yield replace(doc, mentions=tuple(mentions.get(row[0], [])))


def stored_inputs(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """doc id -> (fingerprint, source) of every stored document."""
    return {r[0]: (r[1], r[2]) for r in kb.query("SELECT id, fingerprint, source FROM documents")}


def unaccounted(kb: KnowledgeBase) -> set[str]:
    """Stored documents whose current input no finished run accounted for (written by a build that
    was interrupted): a resumed build reports them as that build would have."""
    return {r[0] for r in kb.query(
        "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM inputs i JOIN runs r USING (run_id) "
        "WHERE r.status = 'finished' AND i.doc_id = d.id AND i.fingerprint = d.fingerprint "
        "AND i.status IN ('accepted', 'duplicate'))")}


def page_lines(kb: KnowledgeBase) -> Iterator[PageLines]:
    """The line keys of every stored document with its outlet and date, for the recurrence statistics."""
    rows = kb.query(
        "SELECT d.id, d.outlet, d.published_value, list(l.key ORDER BY l.key), list(l.words ORDER BY l.key), "
        "list(l.prose ORDER BY l.key) "
        "FROM documents d LEFT JOIN doc_lines l ON l.doc_id = d.id "
        "GROUP BY d.id, d.outlet, d.published_value ORDER BY d.id"
    )
    for doc_id, outlet, published, keys, words, prose in rows:
        lines = tuple((k, w, p) for k, w, p in zip(keys or [], words or [], prose or [], strict=True)
                      if k is not None)
        yield PageLines(DocId(doc_id), outlet, published, lines)


def dedupe_keys(kb: KnowledgeBase) -> list[tuple[DocId, str, str | None, np.ndarray]]:
    """(id, content hash, published, MinHash signature) of every stored document."""
    return [
        (DocId(r[0]), r[1], r[2], np.asarray(r[3], dtype=np.uint64))
        for r in kb.query(
            "SELECT id, content_hash, published_value, signature FROM documents "
            "WHERE signature IS NOT NULL ORDER BY id"
        )
    ]


def texts(kb: KnowledgeBase, ids: Sequence[str]) -> dict[DocId, str]:
    """Cleaned texts of the given documents."""
    if not ids:
        return {}
    marks = ", ".join(["?"] * len(ids))
    rows = kb.query(f"SELECT id, text FROM documents WHERE id IN ({marks})", list(ids))
    return {DocId(r[0]): r[1] for r in rows}


def judgements(kb: KnowledgeBase) -> list[Judgement]:
    """Human merge/split judgements in the order they were made."""
    return [Judgement(a, b, c) for a, b, c in kb.query("SELECT action, a, b FROM judgements ORDER BY seq")]


def entity_rows(kb: KnowledgeBase) -> list[tuple[Any, ...]]:
    """(id, type, name, aliases, descriptions, country, latitude, longitude, evidence) of every entity."""
    return kb.query("SELECT id, type, name, aliases, descriptions, country, latitude, longitude, evidence "
                    "FROM entities ORDER BY id")


def accounts(kb: KnowledgeBase) -> list[Account]:
    """Every stored per-article event of an original (not exact-copy) article, entities resolved."""
    entity_at = {(r[0], r[1]): r[2] for r in kb.query(
        "SELECT doc_id, start, entity_id FROM mentions WHERE entity_id IS NOT NULL")}
    rows = kb.query(
        'SELECT e.doc_id, e.start, e."end", e.trigger_start, e.trigger_end, e.trigger, e.lemma, e.type, e.plover, '
        'e."mode", e.modality, e.reported_by, e.time_start, e.time_end, e.time_text, e.amount, e.participants, '
        'substring(d.text, e.start + 1, e."end" - e.start) FROM events e JOIN documents d ON d.id = e.doc_id '
        "WHERE d.duplicate_of IS NULL ORDER BY e.doc_id, e.trigger_start")
    found = []
    for (doc_id, start, end, t_start, t_end, trigger, lemma, kind, plover, mode, modality, reported_by,
         time_start, time_end, time_text, amount, participants, sentence) in rows:
        did = DocId(doc_id)
        people: list[tuple[str, str]] = []
        place = None
        for p in json.loads(participants):
            entity = entity_at.get((doc_id, p["start"]))
            if entity is None:
                continue
            if p["role"] == "place" and place is None:
                place = entity
            if (entity, p["role"]) not in people:
                people.append((entity, p["role"]))
        found.append(Account(
            doc_id=did, sentence=Span(did, start, end), trigger=Span(did, t_start, t_end), trigger_text=trigger,
            lemma=lemma or "", type=kind, plover=plover, mode=mode, modality=modality, reported_by=reported_by,
            start=time_start, end=time_end, time_text=time_text, amount=amount, place=place,
            participants=tuple(people), sentence_text=sentence or "",
        ))
    return found


def entity_refs(kb: KnowledgeBase) -> dict[str, EntityRef]:
    """Every resolved entity with its type, name and country (the place kind is the caller's to add)."""
    return {entity_id: EntityRef(entity_id, kind, name, country)
            for entity_id, kind, name, country in kb.query("SELECT id, type, name, country FROM entities")}


def source_docs(kb: KnowledgeBase, lead_sentences: int) -> tuple[list[SourceDoc], dict[DocId, str],
                                                                   list[tuple[DocId, str]]]:
    """Original articles for cross-checking, their texts, and all their sentences (for shared passages)."""
    docs, texts, sentences = [], {}, []
    for doc_id, outlet, extras, family, published, title, text, spans in kb.query(
            "SELECT id, outlet, extras, family, published_value, title, text, sentences FROM documents "
            "WHERE duplicate_of IS NULL ORDER BY id"):
        did = DocId(doc_id)
        bounds = [tuple(s) for s in json.loads(spans or "[]")]
        lead_end = bounds[min(lead_sentences, len(bounds)) - 1][1] if bounds else min(len(text), 400)
        agency = json.loads(extras or "{}").get("agency")
        day = None
        if published:
            try:
                day = date.fromisoformat(published[:10]) if len(published) >= 10 else None
            except ValueError:
                day = None
        docs.append(SourceDoc(did, outlet, agency, family, day, title, text[:lead_end], lead_end))
        texts[did] = text
        sentences += [(did, text[s:e]) for s, e in bounds]
    return docs, texts, sentences


def corpus_event_keys(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Each stored corpus event's account keys (before a new build changes them)."""
    keys: dict[str, set[str]] = {}
    for event_id, doc_id, t_start, t_end, kind, derived, participants in kb.query(
            "SELECT event_id, doc_id, trigger_start, trigger_end, type, derived, participants FROM event_accounts"):
        roles = [(p["entity"], p["role"]) for p in json.loads(participants)] if participants else []
        keys.setdefault(event_id, set()).add(account_key(doc_id, t_start, t_end, kind, derived, roles))
    return keys


def corpus_events(kb: KnowledgeBase) -> list[CorpusEvent]:
    """The stored corpus events (without their accounts), for timelines and the CLI."""
    found = []
    for (event_id, kind, plover, mode, label, start, end, time_text, place, participants, modality, sources,
         groups, story) in kb.query(
            'SELECT id, type, plover, "mode", label, time_start, time_end, time_text, place, participants, '
            "modality, sources, groups, story FROM corpus_events"):
        found.append(CorpusEvent(
            id=event_id, type=kind, plover=plover, mode=mode, label=label, start=start, end=end,
            time_text=time_text, place=place,
            participants=tuple((p["entity"], p["role"]) for p in json.loads(participants)), modality=modality,
            sources=tuple(json.loads(sources)), groups=tuple(tuple(g) for g in json.loads(groups)), accounts=(),
            story=story))
    return found
