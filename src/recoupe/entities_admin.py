"""Human review of entities: show them, and record merge/split judgements that every rebuild applies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recoupe.errors import E, StoreError
from recoupe.stages.entities.names import fold
from recoupe.store.kb import KnowledgeBase
from recoupe.store.read import entity_rows


def _entities(kb: KnowledgeBase) -> list[dict[str, Any]]:
    mentions: dict[str, list[dict[str, Any]]] = {}
    for doc_id, start, end, text, entity_id in kb.query(
        'SELECT doc_id, start, "end", text, entity_id FROM mentions WHERE entity_id IS NOT NULL '
        "ORDER BY doc_id, start"
    ):
        mentions.setdefault(entity_id, []).append({"doc": doc_id, "start": start, "end": end, "text": text})
    return [
        {"id": r[0], "type": r[1], "name": r[2], "aliases": json.loads(r[3]), "descriptions": json.loads(r[4]),
         "country": r[5], "evidence": json.loads(r[8]), "mentions": mentions.get(r[0], [])}
        for r in entity_rows(kb)
    ]


def show(kb_path: str | Path, name: str) -> list[dict[str, Any]]:
    """Entities whose id, name or an alias contains ``name`` (accents and case folded)."""
    wanted = fold(name)
    with KnowledgeBase(kb_path, create=False) as kb:
        return [e for e in _entities(kb)
                if wanted in fold(e["id"]) or any(wanted in fold(n) for n in [e["name"], *e["aliases"]])]


def _name_of(kb: KnowledgeBase, ref: str, path: str | Path) -> str:
    for entity in _entities(kb):
        if ref == entity["id"]:
            return str(entity["name"])
    for entity in _entities(kb):
        if fold(ref) in {fold(n) for n in [entity["name"], *entity["aliases"]]}:
            return str(entity["name"])
    raise StoreError(E.R507.format(name=ref, path=path))


def judge(kb_path: str | Path, action: str, first: str, second: str, *, kb: KnowledgeBase | None = None) -> str:
    """Record a judgement ("merge" two entities, or "split" NAME out of an entity) and apply it now:
    entities are resolved again and the cross-checking tables recomputed with the new ids.

    ``kb`` is an already open (read-write) knowledge base, as the web app holds one.
    """
    if kb is None:
        with KnowledgeBase(kb_path, create=False) as opened:
            return judge(kb_path, action, first, second, kb=opened)
    from recoupe.config import load_config
    from recoupe.corpus_steps import rerun

    if action == "merge":
        a, b = _name_of(kb, first, kb_path), _name_of(kb, second, kb_path)
    else:
        _name_of(kb, first, kb_path)
        a, b = second, None
    seq = int(kb.query("SELECT coalesce(max(seq), 0) + 1 FROM judgements")[0][0])
    kb.con.execute("INSERT INTO judgements VALUES (?, ?, ?, ?)", [seq, action, a, b])
    results = rerun(kb, load_config(run={"progress": False}), "judgement", ["entities.resolve.v1", "crosscheck.v1"])
    count = results["entities"]
    target = f"'{a}' and '{b}'" if b else f"'{a}' out of '{first}'"
    return f"recorded {action} of {target}; {count} entities now"
