"""`recoupe eval plover`: event type and source/target actors on the PLOVER gold standard records (English).

For each coded sentence the English path (spaCy English pipeline, the same mention rules, the
English trigger lexicon) extracts events; the predicted event is the one whose trigger is the
sentence's root, else the first with a PLOVER category. Type accuracy compares its PLOVER
category; macro-F1 averages per-category F1 over the gold categories. An actor counts as found
when an agent (source) or counterpart/theme (target) participant's text shares a word with the
gold actor text. The published reference is NGEC's macro-F1 0.52, measured on its own data.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from recoupe.errors import E, EvalError
from recoupe.stages.entities.names import fold

NGEC_MACRO_F1 = 0.52


def _records(data: Path) -> list[dict[str, Any]]:
    path = data if data.is_file() else next(iter(sorted(data.rglob("PLOVER_GSR*.txt"))), None)
    if path is None or not path.exists():
        raise EvalError(E.R501.format(path=data, error="no PLOVER_GSR file"))
    records = json.loads(path.read_text("utf-8"))
    return [r for r in records if r.get("event") and r.get("text")]


def _shares_word(a: str, b: str) -> bool:
    return bool(set(fold(a).split()) & set(fold(b).split()) - {"the", "of", "and", "a"})


def evaluate_plover(data: str | Path, model: str = "en_core_web_sm") -> dict[str, Any]:
    """Type accuracy, macro-F1 and actor accuracy of recoupe's English event path."""
    from recoupe.stages.entities import find_mentions
    from recoupe.stages.events import find_events
    from recoupe.stages.nlp import parse_texts
    from recoupe.stages.temporal import tag

    records = _records(Path(data))
    pairs = [(str(i), r["text"]) for i, r in enumerate(records)]
    predicted: list[str | None] = []
    source_ok = target_ok = source_total = target_total = 0
    for (doc_id, text), (_, (sentences, tokens, ents)), record in zip(
            pairs, parse_texts(pairs, "en", model), records, strict=True):
        mentions = find_mentions(doc_id, text, ents, tokens)
        events = find_events(doc_id, text, sentences, tokens, mentions, tag(text, None, "en"), "en", phrases=True)
        roots = {t.start for i, t in enumerate(tokens) if t.head == i}
        coded = [e for e in events if e.plover]
        main = next((e for e in coded if e.trigger.start in roots), coded[0] if coded else None)
        predicted.append(main.plover if main else None)
        for key, roles in (("source", {"agent"}), ("target", {"counterpart", "theme", "place"})):
            actors = record.get(key) or []
            actors = actors if isinstance(actors, list) else [actors]
            gold = [a.get("actorText", "") if isinstance(a, dict) else str(a) for a in actors]
            gold = [g for g in gold if g]
            if not gold:
                continue
            found = main is not None and any(_shares_word(p.text, g) for p in main.participants if p.role in roles
                                             for g in gold)
            if key == "source":
                source_total += 1
                source_ok += found
            else:
                target_total += 1
                target_ok += found
    gold_types = [r["event"] for r in records]
    correct = sum(p == g for p, g in zip(predicted, gold_types, strict=True))
    per_type: dict[str, float] = {}
    for category in sorted(set(gold_types)):
        tp = sum(p == g == category for p, g in zip(predicted, gold_types, strict=True))
        fp = sum(p == category != g for p, g in zip(predicted, gold_types, strict=True))
        fn = sum(g == category != p for p, g in zip(predicted, gold_types, strict=True))
        per_type[category] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    return {
        "sentences": len(records), "type_accuracy": round(correct / len(records), 4),
        "macro_f1": round(sum(per_type.values()) / len(per_type), 4), "per_type_f1": per_type,
        "source_actor_accuracy": round(source_ok / source_total, 4) if source_total else None,
        "target_actor_accuracy": round(target_ok / target_total, 4) if target_total else None,
        "no_event": sum(p is None for p in predicted), "predicted": dict(Counter(p or "none" for p in predicted)),
        "ngec_macro_f1_published": NGEC_MACRO_F1,
    }
