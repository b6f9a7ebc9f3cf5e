"""End to end on the bundled sample corpus (written by us) against its gold file."""

from __future__ import annotations

from typing import Any

from conftest import SAMPLES

from recoupe.eval.seeds import score_export


def test_sample_eval_cleaning_and_metadata(sample_build: dict[str, Any]) -> None:
    report = score_export(SAMPLES / "gold.json", sample_build["export"], SAMPLES / "corpus")
    for measure in ("documents_found", "body_kept", "boilerplate_removed", "duplicates_once", "metadata"):
        assert report[measure]["score"] == 1.0, (measure, report[measure]["misses"])
    # Explicit dates are read, the undated one is dated from the rest of the corpus.
    assert report["published_value"]["score"] == 1.0, report["published_value"]["misses"]
    assert report["published_basis"]["score"] == 1.0, report["published_basis"]["misses"]


def test_sample_duplicates_and_families(sample_build: dict[str, Any]) -> None:
    docs = sample_build["docs"]
    assert docs["b04_ampl"]["duplicate_of"] == "b01_ampl"
    assert docs["a03_courrierlittoral"]["near_duplicates"] == ["a02_horizonsahel"]
    assert docs["a02_horizonsahel"]["family"] == docs["a03_courrierlittoral"]["family"]
    assert sum(doc["duplicate_of"] is not None for doc in docs.values()) == 1
    summary = sample_build["summary"]
    assert (summary.read, summary.accepted, summary.duplicate, summary.rejected) == (11, 10, 1, 0)


def test_sample_outlet_footer_learnt_across_articles(sample_build: dict[str, Any]) -> None:
    reasons = [(doc_id, r["reason"]) for doc_id, doc in sample_build["docs"].items() for r in doc["removed"]]
    assert ("a01_courrierlittoral", "outlet_recurrent") in reasons or (
        "a03_courrierlittoral",
        "outlet_recurrent",
    ) in reasons
