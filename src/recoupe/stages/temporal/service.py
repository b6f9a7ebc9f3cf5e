"""The `recoupe timex --jsonl` contract as a Python function: records in, records out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from recoupe.errors import E, InputError
from recoupe.stages.temporal.grammar import lexicon
from recoupe.stages.temporal.tagger import tag
from recoupe.stages.temporal.tense import governor_function, tense_function


def timex_records(records: Iterable[Mapping[str, Any]], *, parse: bool = True,
                  models: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """Tag ``{"id", "text", "ref", "lang"}`` records; yields ``{"id", "timexes": [...]}`` in order.

    ``ref`` is the document creation time (ISO 8601, may be absent); ``lang`` "fr" (default) or
    "en". With ``parse`` (default) spaCy gives the clause tenses that orient bare weekdays and
    months; without it they resolve to the latest one at or before ``ref``.

    Raises:
        InputError: R505 when a record has no ``text``.
    """
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping) or not isinstance(record.get("text"), str):
            raise InputError(E.R505.format(line=number, field="text", detail=str(record)[:80]))
        lang = "en" if str(record.get("lang") or "fr").lower().startswith("en") else "fr"
        ref_raw = record.get("ref")
        ref = date.fromisoformat(str(ref_raw)[:10]) if ref_raw else None
        text = record["text"]
        tense = governor = None
        if parse and text.strip():
            from recoupe.stages.nlp import parse_one

            model = (models or {}).get(lang)
            _, tokens, _ = parse_one(text, str(record.get("id", "")), lang, model)
            tense = tense_function(tokens, lexicon(lang).planning_verbs)
            governor = governor_function(tokens)
        found = tag(text, ref, lang, tense, str(record.get("id", "")), governor)
        yield {
            "id": record.get("id"),
            "timexes": [
                {"start": t.span.start, "end": t.span.end, "text": t.text, "type": t.type, "value": t.value,
                 "interval": [t.start.isoformat(), t.end.isoformat()] if t.start and t.end else None}
                for t in found
            ],
        }
