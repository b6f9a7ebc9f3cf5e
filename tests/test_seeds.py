"""End to end on ../shared/seeds against the development gold (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recoupe.eval.normalize import fold
from recoupe.eval.seeds import score_export

pytestmark = pytest.mark.seeds


def test_seeds_eval_cleaning_and_metadata_are_perfect(seeds_build: dict[str, Any], shared: Path) -> None:
    report = score_export(shared / "gold" / "seeds-dev.json", seeds_build["export"])
    for measure in ("documents_found", "body_kept", "boilerplate_removed", "duplicates_once", "metadata"):
        assert report[measure]["score"] == 1.0, (measure, report[measure]["misses"])
    assert report["body_kept"]["total"] == 36 and report["boilerplate_removed"]["total"] == 31


def test_seeds_repeated_block_of_002_appears_once(seeds_build: dict[str, Any], shared: Path) -> None:
    doc = seeds_build["docs"]["002"]
    lines = next((shared / "seeds").glob("002_*.txt")).read_text("utf-8").splitlines()
    text = fold(doc["text"])
    for n in range(2, 7):
        assert text.count(fold(lines[n - 1])) == 1
    assert [r["line"] for r in doc["removed"] if r["kind"] == "duplicate"] == [7, 8, 9, 10, 11]


def test_seeds_003_metadata_and_explicit_date(seeds_build: dict[str, Any], shared: Path) -> None:
    gold = json.loads((shared / "gold" / "seeds-dev.json").read_text("utf-8"))["documents"]["003"]
    doc = seeds_build["docs"]["003"]
    for field in ("title", "author", "outlet", "section"):
        assert fold(doc[field]) == fold(gold[field]), field
    assert doc["published"]["value"] == gold["published"]["value"]
    assert doc["published"]["basis"] == "explicit"
    assert gold["published"]["text"] in doc["published"]["evidence"]
    kinds = {r["reason"] for r in doc["removed"]}
    assert {"read_also", "social_prompt", "tags", "teaser_block", "headline", "byline"} <= kinds


def test_seeds_004_outlet_from_credit_line(seeds_build: dict[str, Any], shared: Path) -> None:
    doc = seeds_build["docs"]["004"]
    gold = json.loads((shared / "gold" / "seeds-dev.json").read_text("utf-8"))["documents"]["004"]
    assert doc["outlet"] == gold["outlet"]
    assert [(r["kind"], r["reason"], r["line"]) for r in doc["removed"]] == [("boilerplate", "copyright", 21)]


@pytest.mark.issue(4)
def test_seeds_publication_dates_as_the_gold_says(seeds_build: dict[str, Any], shared: Path) -> None:
    report = score_export(shared / "gold" / "seeds-dev.json", seeds_build["export"])
    assert report["published_value"]["score"] == 1.0, report["published_value"]["misses"]
    assert report["published_basis"]["score"] == 1.0, report["published_basis"]["misses"]


@pytest.mark.issue(4)
def test_seeds_rabat_article_is_dated_from_the_corpus(seeds_build: dict[str, Any]) -> None:
    published = seeds_build["docs"]["000"]["published"]
    assert (published["value"], published["basis"]) == ("2022-07-19", "inferred")
    assert "from the corpus" in published["evidence"] and "002_" in published["evidence"]
    lundi = [t for t in seeds_build["docs"]["000"]["timexes"] if t["text"] == "lundi"]
    assert [t["value"] for t in lundi] == ["2022-07-18"]


@pytest.mark.issue(4)
def test_seeds_undated_article_stays_null_with_bounds(seeds_build: dict[str, Any]) -> None:
    published = seeds_build["docs"]["001"]["published"]
    assert (published["value"], published["basis"]) == (None, "unknown")
    assert "earliest 2022-06-21" in published["evidence"]


@pytest.mark.issue(4)
@pytest.mark.parametrize(("doc", "surface", "value", "interval"), [
    ("000", "fin juin", "2022-06", {"start": "2022-06-21", "end": "2022-06-30"}),
    ("003", "mars", "2022-03", {"start": "2022-03-01", "end": "2022-03-31"}),
    ("004", "23-24 novembre", "2021-11-23/2021-11-24", {"start": "2021-11-23", "end": "2021-11-24"}),
])
def test_seeds_relative_expressions_resolve(seeds_build: dict[str, Any], doc: str, surface: str, value: str,
                                            interval: dict[str, str]) -> None:
    found = [t for t in seeds_build["docs"][doc]["timexes"] if t["text"].lower() == surface.lower()]
    assert [(t["value"], t["interval"]) for t in found][:1] == [(value, interval)]


def test_seeds_every_input_accounted_for(seeds_build: dict[str, Any]) -> None:
    summary = seeds_build["summary"]
    assert (summary.read, summary.accepted, summary.rejected) == (5, 5, 0)
    assert all(doc["language"] == "fr" for doc in seeds_build["docs"].values())
    assert all(doc["duplicate_of"] is None for doc in seeds_build["docs"].values())
