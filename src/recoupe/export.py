"""Knowledge base -> the export contract (``docs/export-format.md`` in ../shared): JSON Lines, or the
same tables and columns as CSV or Parquet (written by DuckDB's COPY from the JSON Lines).

In Parquet, objects of a fixed shape are structs (``published``, ``geo``, ``time``), lists of
ids or words are lists (``aliases``, ``sources``), and records of varying shape (``mentions``,
``values``, ``summary``...) are DuckDB JSON columns. In CSV every nested field is its JSON text.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from recoupe.errors import E, StoreError
from recoupe.export_facts import conflict_records, event_records, quote_records, story_records
from recoupe.model import Document
from recoupe.store.kb import KnowledgeBase
from recoupe.store.read import entity_rows, iter_documents

FILES = ("documents", "entities", "events", "conflicts", "quotes", "stories")
Format = Literal["jsonl", "csv", "parquet"]
SUFFIX = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}

_S, _N, _B, _J, _L = "VARCHAR", "INTEGER", "BOOLEAN", "JSON", "VARCHAR[]"
# Every column of every table in the contract's order, with its Parquet type (CSV: nested -> JSON text).
COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "id": _S, "source": _S, "title": _S, "outlet": _S, "author": _S, "section": _S, "dateline": _S, "url": _S,
        "language": _S, "published": "STRUCT(value VARCHAR, basis VARCHAR, evidence VARCHAR)", "text": _S,
        "paragraphs": "INTEGER[][]", "removed": _J, "duplicate_of": _S, "near_duplicates": _L, "family": _S,
        "story": _S, "sentences": "INTEGER[][]", "timexes": _J, "evidence": _J, "warnings": _L,
    },
    "entities": {
        "id": _S, "type": _S, "name": _S, "aliases": _L, "descriptions": _L, "country": _S,
        "geo": "STRUCT(lat DOUBLE, lon DOUBLE)", "mentions": _J, "evidence": _J,
    },
    "events": {
        "id": _S, "type": _S, "plover": _S, "mode": _S, "label": _S,
        "time": 'STRUCT(start VARCHAR, "end" VARCHAR, text VARCHAR)', "place": _S, "participants": _J,
        "modality": _S, "sources": _L, "independent_sources": _N, "single_source": _B,
        "source_groups": "VARCHAR[][]", "story": _S, "conflicts": _L, "mentions": _J,
    },
    "conflicts": {"id": _S, "kind": _S, "event": _S, "slot": _S, "values": _J, "best": _S},
    "quotes": {"doc": _S, "speaker": _S, "speaker_text": _S, "text": _S, "start": _N, "end": _N, "verb": _S,
               "speaker_span": "INTEGER[]"},
    "stories": {"id": _S, "label": _S, "documents": _L, "events": _L, "news": _L, "summary": _J, "timeline": _J,
                "unanchored": _J},
}
_SCALARS = {_S, _N, _B, "DOUBLE"}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    out: str
    counts: dict[str, int]
    format: Format = "jsonl"

    def path(self, table: str) -> Path:
        """The file written for ``table``."""
        return Path(self.out) / f"{table}{SUFFIX[self.format]}"


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


def export(kb_path: str | Path, out: str | Path, *, force: bool = False, format: Format = "jsonl") -> ExportSummary:
    """Write one file per table into ``out``: JSON Lines (the contract of docs/export-format.md), or
    the same columns as CSV or Parquet. Opens the knowledge base read-only.

    Raises:
        StoreError: R402 when the knowledge base does not exist, R404 when ``out`` already holds
            export files of that format and ``force`` is not set, R405-R407 when it cannot be read.
    """
    out_dir = Path(out)
    suffix = SUFFIX[format]
    if not force and any((out_dir / f"{name}{suffix}").exists() for name in FILES):
        raise StoreError(E.R404.format(path=out_dir))
    if format == "jsonl":
        return ExportSummary(str(out_dir), _write_jsonl(kb_path, out_dir), format)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        counts = _write_jsonl(kb_path, staging)
        _convert(staging, out_dir, format)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportSummary(str(out_dir), counts, format)


def _convert(staging: Path, out_dir: Path, format: Format) -> None:
    """JSON Lines -> CSV or Parquet through DuckDB's COPY, one file per table, the contract's columns."""
    import duckdb

    con = duckdb.connect()
    try:
        for name in FILES:
            columns = COLUMNS[name]
            read = {c: (t if t in _SCALARS else _J) for c, t in columns.items()}
            select = ", ".join(
                f'CAST("{c}" AS {t}) AS "{c}"' if format == "parquet" and t not in _SCALARS and t != _J else f'"{c}"'
                for c, t in columns.items())
            source = (staging / f"{name}.jsonl").as_posix().replace("'", "''")
            target = (out_dir / f"{name}{SUFFIX[format]}").as_posix().replace("'", "''")
            options = "FORMAT parquet, COMPRESSION zstd" if format == "parquet" else "FORMAT csv, HEADER true"
            con.execute(f"COPY (SELECT {select} FROM read_json('{source}', format = 'newline_delimited', "
                        f"columns = {_struct(read)})) TO '{target}' ({options})")
    finally:
        con.close()


def _struct(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"


def _write_jsonl(kb_path: str | Path, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(FILES, 0)
    with KnowledgeBase(kb_path, read_only=True) as kb:
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
    return counts
