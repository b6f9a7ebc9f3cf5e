"""Throughput of the temporal tagger (characters/second, one core), spaCy parse excluded, beside dateparser.

The texts are the bundled sample corpus's cleaned articles (written by us), repeated to reach
``--chars`` characters. Three measurements run in the same process, each the best of ``--repeat``:

1. ``baseline``: one regular-expression pass over the text for four-digit numbers (the floor of
   any scan of the text);
2. ``recoupe tag``: :func:`recoupe.stages.temporal.tag` with a tense function given (as in the
   build, where the parse is done once by the nlp stage and shared);
3. ``dateparser search_dates`` on the same texts (``languages=["fr"]``).

Ratios are reported against the baseline. Nothing is asserted: this script only reports.
Run from the repository root::

    .venv/bin/python bench/temporal_bench.py --chars 300000
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from recoupe.config import load_config  # noqa: E402
from recoupe.stages.clean import clean  # noqa: E402
from recoupe.stages.ingest import parse, read_inputs  # noqa: E402
from recoupe.stages.temporal import tag  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[str]:
    cfg = load_config()
    texts = []
    for raw in read_inputs([ROOT / "samples" / "corpus"], cfg.ingest):
        doc = parse(raw, cfg.ingest)  # type: ignore[arg-type]
        if hasattr(doc, "text"):
            texts.append(clean(doc, cfg.clean).text)  # type: ignore[arg-type]
    return texts


def best(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=300_000, help="characters of text to tag")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    base_texts = corpus_texts()
    texts: list[str] = []
    while sum(map(len, texts)) < args.chars:
        texts.extend(base_texts)
    total = sum(map(len, texts))
    ref = date(2024, 5, 20)
    year = re.compile(r"\b\d{4}\b")

    def baseline() -> int:
        return sum(len(year.findall(t)) for t in texts)

    def recoupe() -> int:
        return sum(len(tag(t, ref, "fr", lambda s, e: "past")) for t in texts)

    def dateparser() -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from dateparser.search import search_dates

            base = datetime(ref.year, ref.month, ref.day)
            return sum(len(search_dates(t, languages=["fr"], settings={"RELATIVE_BASE": base}) or []) for t in texts)

    recoupe()  # warm the compiled grammar
    rows: list[dict[str, Any]] = []
    for name, run in (("baseline (one regex scan)", baseline), ("recoupe tag", recoupe),
                      ("dateparser search_dates", dateparser)):
        seconds, found = best(args.repeat if name != "dateparser search_dates" else 1, run)
        rows.append({"name": name, "chars": total, "seconds": round(seconds, 4), "chars_per_second": total / seconds,
                     "found": found})
    floor = rows[0]["chars_per_second"]
    print(f"{total} characters in {len(texts)} texts, one core")
    print(f"{'measurement':<28} {'seconds':>9} {'chars/s':>12} {'ratio':>9} {'found':>7}")
    for row in rows:
        row["ratio_to_baseline"] = row["chars_per_second"] / floor
        print(f"{row['name']:<28} {row['seconds']:>9.3f} {row['chars_per_second']:>12,.0f} "
              f"{row['ratio_to_baseline']:>8.3g}x {row['found']:>7}")
    print(f"recoupe / dateparser: {rows[1]['chars_per_second'] / rows[2]['chars_per_second']:.1f}x faster")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
