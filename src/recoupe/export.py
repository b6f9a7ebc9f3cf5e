"""Knowledge base -> the JSON Lines export contract (``docs/export-format.md`` in ../shared)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recoupe.errors import E, StoreError
from recoupe.export_facts import conflict_records, event_records, quote_records, story_records
from recoupe.model import Document
from recoupe.store.kb import KnowledgeBase
from recoupe.store.read import entity_rows, iter_documents

FILES = ("documents", "entities", "events", "conflicts", "quotes", "stories")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    out: str
    counts: dict[str, int]


def document_record(doc: Document) -> dict[str, Any]:
    """One ``documents.jsonl`` line. Extra fields beyond the contract are additive."""
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "outlet": doc.outlet,
        "author": doc.author,
        "section": doc.section,
        "dateline": doc.dateline,
        "url": doc.url,
        "language": doc.language,
        "published": {"value": doc.published.value, "basis": doc.published.basis,
                      "evidence": doc.published.evidence},
        "text": doc.text,
        "paragraphs": [[s.start, s.end] for s in doc.paragraphs],
        "removed": [{"kind": r.kind, "reason": r.reason, "text": r.text, "line": r.line}
                    for r in doc.removed],
        "duplicate_of": doc.duplicate_of,
        "near_duplicates": list(doc.near_duplicates),
        "family": doc.family,
        "story": doc.story,
        "sentences": [[s.start, s.end] for s in doc.sentences],
        "timexes": [
            {"start": t.span.start, "end": t.span.end, "text": t.text, "type": t.type, "value": t.value,
             "interval": ({"start": t.start.isoformat(), "end": t.end.isoformat()} if t.start and t.end else None),
             "granularity": t.granularity, "mod": t.mod, "anchor": t.anchor, "tense": t.tense, "note": t.note}
            for t in doc.time_exprs
        ],
        "evidence": dict(doc.evidence),
        "warnings": list(doc.warnings),
    }


def export(kb_path: str | Path, out: str | Path, *, force: bool = False) -> ExportSummary:
    """Write one JSONL file per table into ``out`` (the contract of docs/export-format.md).

    Raises:
        StoreError: R402 when the knowledge base does not exist, R404 when ``out`` already holds
            export files and ``force`` is not set.
    """
    out_dir = Path(out)
    if not force and any((out_dir / f"{name}.jsonl").exists() for name in FILES):
        raise StoreError(E.R404.format(path=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(FILES, 0)
    with KnowledgeBase(kb_path, create=False) as kb:
        handles = {name: (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") for name in FILES}
        try:
            texts: dict[str, str] = {}
            mention_rows: dict[str, list[dict[str, Any]]] = {}
            for doc in iter_documents(kb):
                handles["documents"].write(json.dumps(document_record(doc), ensure_ascii=False) + "\n")
                counts["documents"] += 1
                texts[doc.id] = doc.text
            for doc_id, start, end, text, kind, entity_id, role, title in kb.query(
                "SELECT doc_id, start, \"end\", text, kind, entity_id, role, title FROM mentions "
                "WHERE entity_id IS NOT NULL ORDER BY doc_id, start"
            ):
                mention_rows.setdefault(entity_id, []).append({
                    "doc": doc_id, "start": start, "end": end, "text": text, "kind": kind, "role": role, "title": title,
                })
            for row in entity_rows(kb):
                entity_id, kind, name, aliases, descriptions, country, lat, lon, evidence = row
                record = {
                    "id": entity_id, "type": kind, "name": name, "aliases": json.loads(aliases),
                    "descriptions": json.loads(descriptions), "country": country,
                    "geo": {"lat": lat, "lon": lon} if lat is not None else None,
                    "mentions": mention_rows.get(entity_id, []), "evidence": json.loads(evidence),
                }
                handles["entities"].write(json.dumps(record, ensure_ascii=False) + "\n")
                counts["entities"] += 1
            for name, records in (("events", event_records(kb)), ("conflicts", conflict_records(kb)),
                                  ("stories", story_records(kb)), ("quotes", quote_records(kb))):
                for item in records:
                    handles[name].write(json.dumps(item, ensure_ascii=False) + "\n")
                    counts[name] += 1
        finally:
            for handle in handles.values():
                handle.close()
    return ExportSummary(str(out_dir), counts)
