"""events.jsonl, conflicts.jsonl, stories.jsonl and quotes.jsonl of the export contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from recoupe.store.kb import KnowledgeBase


def _entity_at(kb: KnowledgeBase) -> dict[tuple[str, int], str]:
    return {(r[0], r[1]): r[2] for r in kb.query(
        "SELECT doc_id, start, entity_id FROM mentions WHERE entity_id IS NOT NULL")}


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def event_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """Corpus events: merged across articles, with every article's account as a mention."""
    names = {r[0]: r[1] for r in kb.query("SELECT id, name FROM entities")}
    conflicts: dict[str, list[str]] = {}
    for conflict_id, event_id in kb.query("SELECT id, event_id FROM conflicts ORDER BY id"):
        conflicts.setdefault(event_id, []).append(conflict_id)
    accounts: dict[str, list[dict[str, Any]]] = {}
    for (event_id, doc_id, start, end, t_start, t_end, trigger, kind, modality, reported_by, time_start, time_end,
         time_text, amount, place, participants, derived, sentence) in kb.query(
        'SELECT a.event_id, a.doc_id, a.start, a."end", a.trigger_start, a.trigger_end, a.trigger, a.type, '
        "a.modality, a.reported_by, a.time_start, a.time_end, a.time_text, a.amount, a.place, a.participants, "
        'a.derived, substring(d.text, a.start + 1, a."end" - a.start) FROM event_accounts a '
        "JOIN documents d ON d.id = a.doc_id ORDER BY a.event_id, a.doc_id, a.trigger_start"
    ):
        accounts.setdefault(event_id, []).append({
            "doc": doc_id, "start": start, "end": end, "text": sentence,
            "trigger": {"start": t_start, "end": t_end, "text": trigger}, "type": kind,
            "time": {"start": _iso(time_start), "end": _iso(time_end), "text": time_text},
            "modality": modality, "reported_by": reported_by, "amount": amount, "place": place,
            "participants": json.loads(participants), "derived": derived,
        })
    for (event_id, kind, plover, mode, label, time_start, time_end, time_text, place, participants, modality,
         sources, groups, independent, story) in kb.query(
        'SELECT id, type, plover, "mode", label, time_start, time_end, time_text, place, participants, modality, '
        "sources, groups, independent_sources, story FROM corpus_events ORDER BY time_start NULLS LAST, id"
    ):
        people = [{**p, "name": names.get(p["entity"])} for p in json.loads(participants)]
        yield {
            "id": event_id, "type": kind, "plover": plover, "mode": mode, "label": label,
            "time": {"start": _iso(time_start), "end": _iso(time_end), "text": time_text},
            "place": place, "participants": people, "modality": modality,
            "sources": json.loads(sources), "independent_sources": independent,
            "single_source": independent == 1, "source_groups": json.loads(groups), "story": story,
            "conflicts": conflicts.get(event_id, []), "mentions": accounts.get(event_id, []),
        }


def conflict_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    for conflict_id, kind, event_id, slot, values, best in kb.query(
            'SELECT id, kind, event_id, slot, "values", best FROM conflicts ORDER BY event_id, slot'):
        yield {"id": conflict_id, "kind": kind, "event": event_id, "slot": slot, "values": json.loads(values),
               "best": best}


def story_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """Stories with their cited summary and timeline (events in time order, unanchored apart)."""
    from recoupe.intervals import format_interval

    events = {r[0]: r for r in kb.query(
        "SELECT id, label, type, time_start, time_end, time_text, sources, independent_sources FROM corpus_events")}
    for story_id, label, documents, event_ids, news, summary in kb.query(
            "SELECT id, label, documents, events, news, summary FROM stories ORDER BY id"):
        chosen = [events[e] for e in json.loads(event_ids) if e in events]
        anchored = sorted((e for e in chosen if e[3]), key=lambda e: (e[3], e[4], e[0]))
        timeline = [{"event": e[0], "label": e[1], "type": e[2], "start": _iso(e[3]), "end": _iso(e[4]),
                     "when": format_interval(e[3], e[4] or e[3]), "uncertain": (e[4] or e[3]) != e[3],
                     "sources": json.loads(e[6]), "independent_sources": e[7]} for e in anchored]
        unanchored = [{"event": e[0], "label": e[1], "type": e[2], "when": e[5], "sources": json.loads(e[6]),
                       "independent_sources": e[7]} for e in chosen if not e[3]]
        yield {"id": story_id, "label": label, "documents": json.loads(documents), "events": json.loads(event_ids),
               "news": json.loads(news), "summary": json.loads(summary), "timeline": timeline,
               "unanchored": unanchored}


def quote_records(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    entity_at = _entity_at(kb)
    for doc_id, start, end, text, s_start, s_end, s_text, verb in kb.query(
        'SELECT doc_id, start, "end", text, speaker_start, speaker_end, speaker_text, verb FROM quotes '
        "ORDER BY doc_id, start"
    ):
        yield {"doc": doc_id, "speaker": entity_at.get((doc_id, s_start)) if s_start is not None else None,
               "speaker_text": s_text, "text": text, "start": start, "end": end, "verb": verb,
               "speaker_span": [s_start, s_end] if s_start is not None else None}
