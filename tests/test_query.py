"""The Python query API (recoupe.open_kb), merge evidence in words, and the progress lines."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import recoupe
from recoupe.errors import StoreError
from recoupe.evidence import describe, summarise
from recoupe.progress import Progress
from recoupe.stages.entities.names import fold

pytestmark = pytest.mark.issue(17)


def test_open_kb_lists_match_the_export(sample_build: dict[str, object]) -> None:
    export = Path(str(sample_build["export"]))
    events = [json.loads(line) for line in (export / "events.jsonl").read_text("utf-8").splitlines()]
    with recoupe.open_kb(Path(str(sample_build["kb"]))) as kb:
        listed = kb.events()
        assert sorted(e["id"] for e in listed) == sorted(e["id"] for e in events)
        corroborated = kb.events(min_sources=2)
        assert {e["id"] for e in corroborated} == {e["id"] for e in events if e["independent_sources"] >= 2}
        assert kb.relation("corpus_events").filter("independent_sources >= 2").aggregate("count(*)").fetchone() == \
            (len(corroborated),)
        assert kb.sql("SELECT count(*) AS n FROM documents") == [{"n": len(kb.documents())}]
        stories = kb.stories()
        assert sum(s["documents"] for s in stories) == len([d for d in kb.documents() if d["story"]])
        timeline = kb.timeline(story=stories[0]["id"])
        assert [e["start"] for e in timeline["anchored"]] == sorted(e["start"] for e in timeline["anchored"])
        with pytest.raises(StoreError, match=r"\[R409\]"):
            kb.story("no-such-story")
        with pytest.raises(StoreError, match=r"\[R408\]"):
            kb.sql("DELETE FROM documents")


def test_names_resolve_and_ambiguous_ones_are_listed(sample_build: dict[str, object]) -> None:
    with recoupe.open_kb(Path(str(sample_build["kb"]))) as kb:
        everyone = kb.entities()
        bearers: dict[str, set[str]] = {}
        for e in everyone:
            for n in {e["name"], *e["aliases"]}:
                bearers.setdefault(fold(n), set()).add(e["id"])
        unique = next(e for e in everyone if bearers[fold(e["name"])] == {e["id"]})
        assert kb.resolve_entity(unique["name"].lower()) == unique["id"]
        assert kb.entity(unique["name"])["id"] == unique["id"]
        with pytest.raises(StoreError, match=r"\[R507\]"):
            kb.resolve_entity("nobody at all")
        shared = [n for n, ids in bearers.items() if len(ids) > 1]
        if shared:
            with pytest.raises(StoreError, match=r"\[R410\]") as err:
                kb.events(entity=shared[0])
            assert all(i in str(err.value) for i in bearers[shared[0]])


@pytest.mark.parametrize(("item", "expected"), [
    ({"rule": "transliteration_key", "key": "kdf", "names": ["Ali Kadef", "Ali Kadeff"], "given_names": 1.0,
      "score": 0.912}, "'Ali Kadef' ~ 'Ali Kadeff': same surname key kdf + compatible given names (1.00), "
                       "similarity 0.91"),
    ({"rule": "surname_in_article", "doc": "d1", "score": 1.0}, "the surname alone, after the full name in article d1"),
    ({"rule": "role_holder", "role": "ministre de la Pêche", "score": 1.0},
     "named only by the role 'ministre de la Pêche', which one named person holds in the corpus"),
    ({"rule": "new_rule", "x": 2}, "rule new_rule: x 2"),
])
def test_merge_evidence_in_words(item: dict[str, object], expected: str) -> None:
    assert describe(item) == expected


def test_merge_evidence_summary_counts_repeats() -> None:
    same = {"rule": "transliteration_key", "key": "k", "names": ["A B", "A B"], "given_names": 1.0, "score": 1.0}
    found = summarise([same, same, {"rule": "surname_in_article", "doc": "x"}])
    assert found == [{"text": "the same name 'A B' in another article (surname key k)", "mentions": 2},
                     {"text": "the surname alone, after the full name in the same article", "mentions": 1}]


def test_progress_lines_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, interval=0.0, mode="lines")
    with progress.phase("parse", unit="documents") as phase:
        phase.set_total(3)
        for _ in phase.track(range(3)):
            pass
    with progress.phase("index"):
        pass
    lines = stream.getvalue().splitlines()
    assert lines[0] == "recoupe: parse: 3 documents ..."
    assert [line for line in lines if re.match(r"recoupe: parse: [123]/3 documents \(\d+%\), ", line)]
    assert re.match(r"recoupe: parse: 3 documents in \d+\.\d s$", lines[-2])
    assert re.match(r"recoupe: index: \d+\.\d s$", lines[-1])
    assert [(t.name, t.items) for t in progress.timings] == [("parse", 3), ("index", None)]
    quiet = Progress(enabled=False, stream=(silent := io.StringIO()))
    with quiet.phase("x", total=2) as phase:
        phase.advance(2)
    assert silent.getvalue() == "" and Counter(t.name for t in quiet.timings) == {"x": 1}


def test_progress_lines_name_steps_and_beat_while_nothing_advances() -> None:
    import time

    stream = io.StringIO()
    progress = Progress(stream=stream, interval=0.1, mode="lines")
    with progress.phase("cross-check", unit="accounts") as phase:
        phase.set_total(5)
        phase.step("merging accounts into events")
        time.sleep(0.5)  # a long corpus step: no item done, yet the lines go on
        phase.advance(5)
    lines = stream.getvalue().splitlines()
    step = "merging accounts into events"
    assert lines[:2] == ["recoupe: cross-check: 5 accounts ...", f"recoupe: cross-check: {step} ..."]
    beat = re.compile(rf"recoupe: cross-check: 0/5 accounts \(0%\), {step}, \d+\.\d s")
    beats = [line for line in lines if beat.fullmatch(line)]
    assert len(beats) >= 2, lines
    assert re.fullmatch(r"recoupe: cross-check: 5 accounts in \d+\.\d s", lines[-1])
    assert not any(t.name == "recoupe-progress" for t in __import__("threading").enumerate())
