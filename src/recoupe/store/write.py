"""Model objects -> rows. Documents are replaced whole (id is the key), in one transaction per batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from recoupe.model import (
    Account,
    Conflict,
    CorpusEvent,
    DocId,
    Document,
    Event,
    Failure,
    InputRecord,
    Mention,
    NearDuplicate,
    Novelty,
    StageId,
    Story,
    TimeExpr,
)
from recoupe.stages.entities import Entity
from recoupe.store.bulk import delete_ids, insert_rows
from recoupe.store.kb import KnowledgeBase


def _document_row(doc: Document, signature: np.ndarray | None, run_id: str) -> dict[str, Any]:
    return {
        "id": doc.id, "source": doc.source, "format": doc.format, "fingerprint": doc.fingerprint,
        "lines": [[ln.number, ln.text] for ln in doc.lines],
        "meta_lines": [[m.number, m.reason] for m in doc.meta_lines],
        "title": doc.title, "outlet": doc.outlet, "author": doc.author, "section": doc.section,
        "dateline": doc.dateline, "url": doc.url,
        "published_value": doc.published.value, "published_basis": doc.published.basis,
        "published_evidence": doc.published.evidence, "published_source": doc.published.source,
        "language": doc.language, "language_score": doc.language_score,
        "evidence": dict(doc.evidence), "extras": dict(doc.extras), "warnings": list(doc.warnings),
        "text": doc.text, "paragraphs": [[s.start, s.end] for s in doc.paragraphs],
        "clean_key": doc.clean_key, "content_hash": doc.content_hash, "nlp_key": doc.nlp_key,
        "sentences": [[s.start, s.end] for s in doc.sentences],
        "signature": [int(v) for v in signature] if signature is not None else None,
        "duplicate_of": doc.duplicate_of, "near_duplicates": list(doc.near_duplicates),
        "family": doc.family, "story": doc.story, "run_id": run_id,
    }


def _timex_row(doc_id: str, t: TimeExpr, run_id: str) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "start": t.span.start, "end": t.span.end, "text": t.text, "type": t.type, "value": t.value,
        "start_day": t.start.isoformat() if t.start else None, "end_day": t.end.isoformat() if t.end else None,
        "granularity": t.granularity, "mod": t.mod, "anchor": t.anchor, "tense": t.tense, "governor": t.governor,
        "note": t.note, "source": t.source, "run_id": run_id,
    }


def _event_row(doc_id: str, e: Event, run_id: str) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "start": e.span.start, "end": e.span.end, "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end, "trigger": e.trigger_text, "type": e.type, "plover": e.plover, "mode": e.mode,
        "modality": e.modality, "reported_by": e.reported_by,
        "time_start": e.start.isoformat() if e.start else None, "time_end": e.end.isoformat() if e.end else None,
        "time_text": e.time_text, "amount": e.amount,
        "participants": [{"start": p.span.start, "end": p.span.end, "text": p.text, "role": p.role}
                         for p in e.participants],
        "source": e.source, "run_id": run_id, "lemma": e.lemma,
    }


def _mention_row(doc_id: str, m: Mention, run_id: str, entity_id: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc_id, "start": m.span.start, "end": m.span.end, "text": m.text, "type": m.type,
            "name": m.name, "kind": m.kind, "title": m.title, "role": m.role, "country": m.country,
            "alias_of": m.alias_of, "entity_id": entity_id, "source": m.source, "run_id": run_id}


def write_entities(kb: KnowledgeBase, entities: Sequence[Entity], run_id: str) -> None:
    """Replace the corpus's entities and point every mention at its entity."""
    con = kb.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM entities")
        insert_rows(con, "entities", (
            {"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases, "descriptions": e.descriptions,
             "country": e.country, "latitude": e.latitude, "longitude": e.longitude, "evidence": e.evidence,
             "run_id": run_id}
            for e in entities
        ))
        con.execute("UPDATE mentions SET entity_id = NULL")
        con.execute("CREATE TEMP TABLE IF NOT EXISTS mention_entities "
                    "(doc_id VARCHAR, start INTEGER, entity_id VARCHAR)")
        con.execute("DELETE FROM mention_entities")
        insert_rows(con, "mention_entities", (
            {"doc_id": doc_id, "start": m.span.start, "entity_id": e.id} for e in entities for doc_id, m in e.mentions
        ))
        con.execute("UPDATE mentions SET entity_id = u.entity_id FROM mention_entities u "
                    "WHERE mentions.doc_id = u.doc_id AND mentions.start = u.start")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_documents(kb: KnowledgeBase, docs: Sequence[tuple[Document, np.ndarray | None]],
                    run_id: str) -> None:
    """Insert or replace documents with their removals and line keys, atomically."""
    if not docs:
        return
    ids = [d.id for d, _ in docs]
    con = kb.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table, column in (("documents", "id"), ("removals", "doc_id"), ("doc_lines", "doc_id"),
                              ("time_exprs", "doc_id"), ("mentions", "doc_id"), ("events", "doc_id"),
                              ("quotes", "doc_id")):
            delete_ids(con, table, column, ids)
        insert_rows(con, "documents", (_document_row(d, sig, run_id) for d, sig in docs))
        insert_rows(con, "removals", (
            {"doc_id": d.id, "seq": i, "kind": r.kind, "reason": r.reason, "text": r.text, "line": r.line,
             "source": r.source, "run_id": run_id}
            for d, _ in docs for i, r in enumerate(d.removed)
        ))
        insert_rows(con, "time_exprs", (_timex_row(d.id, t, run_id) for d, _ in docs for t in d.time_exprs))
        insert_rows(con, "doc_lines", (
            {"doc_id": d.id, "key": key, "words": n, "prose": prose}
            for d, _ in docs for key, n, prose in d.line_keys
        ))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_failures(kb: KnowledgeBase, failures: Iterable[Failure], run_id: str) -> None:
    """Record the stages that failed on documents in this run."""
    insert_rows(kb.con, "failures", (
        {"run_id": run_id, "doc_id": f.doc_id, "stage": f.stage, "code": f.code, "message": f.message}
        for f in failures
    ))


def write_inputs(kb: KnowledgeBase, records: Iterable[InputRecord], run_id: str) -> None:
    insert_rows(kb.con, "inputs", (
        {"run_id": run_id, "source": r.source, "doc_id": r.doc_id, "status": r.status,
         "fingerprint": r.fingerprint, "code": r.code, "reason": r.reason, "message": r.message,
         "duplicate_of": r.duplicate_of}
        for r in records
    ))


def write_duplicates(kb: KnowledgeBase, duplicate_of: Mapping[DocId, DocId], near: Mapping[DocId, list[DocId]],
                     family: Mapping[DocId, str], edges: Sequence[NearDuplicate], source: StageId,
                     run_id: str) -> int:
    """Replace the corpus-wide duplicate structure; returns how many documents changed."""
    con = kb.con
    current = {
        row[0]: (row[1], list(row[2]) if row[2] is not None else [], row[3])
        for row in con.execute(
            "SELECT id, duplicate_of, near_duplicates::VARCHAR[], family FROM documents"
        ).fetchall()
    }
    updates = []
    for doc_id, old in current.items():
        key = DocId(doc_id)
        new = (duplicate_of.get(key), list(near.get(key, [])), family.get(key))
        if old != new:
            updates.append({"id": doc_id, "duplicate_of": new[0], "near_duplicates": new[1], "family": new[2]})
    con.execute("BEGIN TRANSACTION")
    try:
        if updates:
            con.execute("CREATE TEMP TABLE IF NOT EXISTS dup_updates "
                        "(id VARCHAR, duplicate_of VARCHAR, near_duplicates JSON, family VARCHAR)")
            con.execute("DELETE FROM dup_updates")
            insert_rows(con, "dup_updates", updates)
            con.execute(
                "UPDATE documents SET duplicate_of = u.duplicate_of, near_duplicates = u.near_duplicates, "
                "family = u.family FROM dup_updates u WHERE documents.id = u.id"
            )
        con.execute("DELETE FROM near_duplicates")
        insert_rows(con, "near_duplicates", (
            {"a": e.a, "b": e.b, "jaccard": e.jaccard, "containment": e.containment, "source": source,
             "run_id": run_id}
            for e in edges
        ))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(updates)


def write_annotations(kb: KnowledgeBase, docs: Sequence[Document], run_id: str) -> None:
    """Store what the nlp/temporal stages add to stored documents: sentences, dates, time expressions."""
    if not docs:
        return
    con = kb.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE TEMP TABLE IF NOT EXISTS annotation_updates (id VARCHAR, sentences JSON, "
                    "published_value VARCHAR, published_basis VARCHAR, published_evidence VARCHAR, "
                    "published_source VARCHAR, nlp_key VARCHAR)")
        con.execute("DELETE FROM annotation_updates")
        insert_rows(con, "annotation_updates", (
            {"id": d.id, "sentences": [[s.start, s.end] for s in d.sentences],
             "published_value": d.published.value, "published_basis": d.published.basis,
             "published_evidence": d.published.evidence, "published_source": d.published.source,
             "nlp_key": d.nlp_key}
            for d in docs
        ))
        con.execute(
            "UPDATE documents SET sentences = u.sentences, published_value = u.published_value, "
            "published_basis = u.published_basis, published_evidence = u.published_evidence, "
            "published_source = u.published_source, nlp_key = u.nlp_key "
            "FROM annotation_updates u WHERE documents.id = u.id"
        )
        delete_ids(con, "time_exprs", "doc_id", [d.id for d in docs])
        insert_rows(con, "time_exprs", (_timex_row(d.id, t, run_id) for d in docs for t in d.time_exprs))
        delete_ids(con, "mentions", "doc_id", [d.id for d in docs])
        insert_rows(con, "mentions", (_mention_row(d.id, m, run_id) for d in docs for m in d.mentions))
        for table in ("events", "quotes"):
            delete_ids(con, table, "doc_id", [d.id for d in docs])
        insert_rows(con, "events", (_event_row(d.id, e, run_id) for d in docs for e in d.events))
        insert_rows(con, "quotes", (
            {"doc_id": d.id, "start": q.span.start, "end": q.span.end, "text": q.text,
             "speaker_start": q.speaker.start if q.speaker else None,
             "speaker_end": q.speaker.end if q.speaker else None,
             "speaker_text": q.speaker_text, "verb": q.verb, "source": q.source, "run_id": run_id}
            for d in docs for q in d.quotes
        ))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _account_row(event_id: str, a: Account, run_id: str) -> dict[str, Any]:
    return {"event_id": event_id, "doc_id": a.doc_id, "start": a.sentence.start, "end": a.sentence.end,
            "trigger_start": a.trigger.start, "trigger_end": a.trigger.end, "trigger": a.trigger_text,
            "lemma": a.lemma, "type": a.type, "modality": a.modality, "reported_by": a.reported_by,
            "time_start": a.start.isoformat() if a.start else None,
            "time_end": a.end.isoformat() if a.end else None, "time_text": a.time_text, "amount": a.amount,
            "place": a.place, "participants": [{"entity": e, "role": r} for e, r in a.participants],
            "derived": a.derived, "run_id": run_id}


def _mention_ref(a: Account) -> dict[str, Any]:
    return {"doc": a.doc_id, "start": a.sentence.start, "end": a.sentence.end, "text": a.sentence_text}


def write_crosscheck(kb: KnowledgeBase, events: Sequence[CorpusEvent], conflicts: Sequence[Conflict],
                     stories: Sequence[Story], links: Sequence[Any], novelty: Sequence[Novelty], run_id: str) -> None:
    """Replace the corpus events, accounts, conflicts, stories and source links; add this run's novelty."""
    con = kb.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("corpus_events", "event_accounts", "conflicts", "stories", "source_links"):
            con.execute(f"DELETE FROM {table}")
        insert_rows(con, "corpus_events", (
            {"id": e.id, "type": e.type, "plover": e.plover, "mode": e.mode, "label": e.label,
             "time_start": e.start.isoformat() if e.start else None,
             "time_end": e.end.isoformat() if e.end else None, "time_text": e.time_text, "place": e.place,
             "participants": [{"entity": p, "role": r} for p, r in e.participants], "modality": e.modality,
             "sources": list(e.sources), "groups": [list(g) for g in e.groups],
             "independent_sources": e.independent_sources, "story": e.story, "run_id": run_id}
            for e in events))
        insert_rows(con, "event_accounts", (_account_row(e.id, a, run_id) for e in events for a in e.accounts))
        insert_rows(con, "conflicts", (
            {"id": c.id, "kind": c.kind, "event_id": c.event, "slot": c.slot, "best": c.best, "run_id": run_id,
             "values": [{"value": v.value, "sources": list(v.sources), "independent_sources": v.independent_sources,
                         "mentions": [_mention_ref(a) for a in v.accounts]} for v in c.values]}
            for c in conflicts))
        insert_rows(con, "stories", (
            {"id": s.id, "label": s.label, "documents": list(s.documents), "events": list(s.events),
             "news": list(s.news), "run_id": run_id,
             "summary": [{"event": x.event, "doc": x.span.doc_id, "start": x.span.start, "end": x.span.end,
                          "text": x.text, "sources": list(x.sources), "independent_sources": x.independent_sources}
                         for x in s.summary]}
            for s in stories))
        insert_rows(con, "source_links", ({"a": k.a, "b": k.b, "reason": k.reason, "detail": k.detail} for k in links))
        con.execute("UPDATE documents SET story = NULL")
        con.execute("CREATE TEMP TABLE IF NOT EXISTS story_docs (id VARCHAR, story VARCHAR)")
        con.execute("DELETE FROM story_docs")
        insert_rows(con, "story_docs", ({"id": d, "story": s.id} for s in stories for d in s.documents))
        con.execute("UPDATE documents SET story = u.story FROM story_docs u WHERE documents.id = u.id")
        con.execute("DELETE FROM novelty WHERE run_id = ?", [run_id])
        insert_rows(con, "novelty", ({"run_id": n.run_id, "doc_id": n.doc_id, "event_id": n.event, "kind": n.kind,
                                      "detail": n.detail} for n in novelty))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
