"""Model objects -> rows. Documents are replaced whole (id is the key), in one transaction per batch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from recoupe.model import DocId, Document, InputRecord, NearDuplicate, StageId
from recoupe.stages.clean import paragraph_keys
from recoupe.store.kb import KnowledgeBase


def _document_row(doc: Document, signature: np.ndarray | None, run_id: str) -> list[object]:
    return [
        doc.id, doc.source, doc.format, doc.fingerprint,
        json.dumps([[ln.number, ln.text] for ln in doc.lines], ensure_ascii=False),
        json.dumps([[m.number, m.reason] for m in doc.meta_lines]),
        doc.title, doc.outlet, doc.author, doc.section, doc.dateline, doc.url,
        doc.published.value, doc.published.basis, doc.published.evidence, doc.published.source,
        doc.language, doc.language_score,
        json.dumps(dict(doc.evidence), ensure_ascii=False, sort_keys=True),
        json.dumps(dict(doc.extras), ensure_ascii=False, sort_keys=True),
        json.dumps(list(doc.warnings), ensure_ascii=False),
        doc.text,
        json.dumps([[s.start, s.end] for s in doc.paragraphs]),
        doc.clean_key, doc.content_hash,
        signature.astype("<u8").tobytes() if signature is not None else None,
        doc.duplicate_of, json.dumps(list(doc.near_duplicates)), doc.family, doc.story, run_id,
    ]


def write_documents(kb: KnowledgeBase, docs: Sequence[tuple[Document, np.ndarray | None]],
                    run_id: str) -> None:
    """Insert or replace documents with their removals and line keys, atomically."""
    if not docs:
        return
    ids = [[d.id] for d, _ in docs]
    con = kb.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table, column in (("documents", "id"), ("removals", "doc_id"), ("doc_lines", "doc_id")):
            con.executemany(f"DELETE FROM {table} WHERE {column} = ?", ids)
        rows = [_document_row(d, sig, run_id) for d, sig in docs]
        con.executemany(f"INSERT INTO documents VALUES ({', '.join(['?'] * len(rows[0]))})", rows)
        removals = [
            [d.id, i, r.kind, r.reason, r.text, r.line, r.source, run_id]
            for d, _ in docs for i, r in enumerate(d.removed)
        ]
        if removals:
            con.executemany("INSERT INTO removals VALUES (?, ?, ?, ?, ?, ?, ?, ?)", removals)
        lines = [[d.id, key, n] for d, _ in docs for key, n in paragraph_keys(d)]
        if lines:
            con.executemany("INSERT INTO doc_lines VALUES (?, ?, ?)", lines)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def write_inputs(kb: KnowledgeBase, records: Iterable[InputRecord], run_id: str) -> None:
    rows = [
        [run_id, r.source, r.doc_id, r.status, r.fingerprint, r.code, r.reason, r.message, r.duplicate_of]
        for r in records
    ]
    if rows:
        kb.con.executemany("INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def write_duplicates(kb: KnowledgeBase, duplicate_of: Mapping[DocId, DocId], near: Mapping[DocId, list[DocId]],
                     family: Mapping[DocId, str], edges: Sequence[NearDuplicate], source: StageId,
                     run_id: str) -> int:
    """Replace the corpus-wide duplicate structure; returns how many documents changed."""
    con = kb.con
    current = {
        row[0]: (row[1], row[2], row[3])
        for row in con.execute("SELECT id, duplicate_of, near_duplicates, family FROM documents").fetchall()
    }
    updates = []
    for doc_id, (dup, near_json, fam) in current.items():
        key = DocId(doc_id)
        new = (duplicate_of.get(key), json.dumps(near.get(key, [])), family.get(key))
        if (dup, near_json, fam) != new:
            updates.append([*new, doc_id])
    con.execute("BEGIN TRANSACTION")
    try:
        if updates:
            con.executemany(
                "UPDATE documents SET duplicate_of = ?, near_duplicates = ?, family = ? WHERE id = ?",
                updates,
            )
        con.execute("DELETE FROM near_duplicates")
        if edges:
            con.executemany(
                "INSERT INTO near_duplicates VALUES (?, ?, ?, ?, ?, ?)",
                [[e.a, e.b, e.jaccard, e.containment, source, run_id] for e in edges],
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(updates)
