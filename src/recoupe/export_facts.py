"""events.jsonl and quotes.jsonl of the export contract, from the events and quotes tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from recoupe.ids import sha256_hex
from recoupe.store.kb import KnowledgeBase


def _entity_at(kb: KnowledgeBase) -> dict[tuple[str, int], str]:
    return {(r[0], r[1]): r[2] for r in kb.query(
        "SELECT doc_id, start, entity_id FROM mentions WHERE entity_id IS NOT NULL")}


def event_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """Per-document events (cross-document merging is the cross-checking layer)."""
    entity_at = _entity_at(kb)
    rows = kb.query(
        'SELECT e.doc_id, e.start, e."end", e.trigger_start, e.trigger_end, e.trigger, e.type, e.plover, e."mode", '
        "e.modality, e.reported_by, e.time_start, e.time_end, e.time_text, e.amount, e.participants, "
        'substring(d.text, e.start + 1, e."end" - e.start) FROM events e JOIN documents d ON d.id = e.doc_id '

        "ORDER BY e.doc_id, e.trigger_start"
    )
    for (doc_id, start, end, t_start, t_end, trigger, kind, plover, mode, modality, reported_by, time_start,
         time_end, time_text, amount, participants, sentence) in rows:
        people = []
        place = None
        for p in json.loads(participants):
            entity = entity_at.get((doc_id, p["start"]))
            if p["role"] == "place" and place is None:
                place = entity
            people.append({"entity": entity, "role": p["role"], "text": p["text"], "start": p["start"],
                           "end": p["end"]})
        agents = [p["text"] for p in people if p["role"] == "agent"]
        label = f"{kind}: {trigger}" + (f" ({', '.join(agents)})" if agents else "")
        yield {
            "id": "ev-" + sha256_hex(f"{doc_id}:{t_start}:{t_end}")[:12],
            "type": kind, "plover": plover, "mode": mode, "label": label,
            "time": {"start": time_start.isoformat() if time_start else None,
                     "end": time_end.isoformat() if time_end else None, "text": time_text},
            "place": place, "participants": people, "modality": modality, "reported_by": reported_by,
            "amount": amount, "trigger": {"start": t_start, "end": t_end, "text": trigger},
            "sources": [doc_id], "independent_sources": 1,
            "mentions": [{"doc": doc_id, "start": start, "end": end, "text": sentence}],
        }


def quote_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    entity_at = _entity_at(kb)
    for doc_id, start, end, text, s_start, s_end, s_text, verb in kb.query(
        'SELECT doc_id, start, "end", text, speaker_start, speaker_end, speaker_text, verb FROM quotes '
        "ORDER BY doc_id, start"
    ):
        yield {"doc": doc_id, "speaker": entity_at.get((doc_id, s_start)) if s_start is not None else None,
               "speaker_text": s_text, "text": text, "start": start, "end": end, "verb": verb,
               "speaker_span": [s_start, s_end] if s_start is not None else None}
