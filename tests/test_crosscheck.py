"""Cross-checking: coreference vetoes, conflicts, timelines on invented accounts; the seeds' stories,
merged events, independent sources and date conflict; novelty when articles are added."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from recoupe import build
from recoupe.config import Config
from recoupe.model import Account, CorpusEvent, DocId, Span
from recoupe.stages.crosscheck import timeline
from recoupe.stages.crosscheck.conflicts import find_conflicts, format_interval
from recoupe.stages.crosscheck.coref import VETO, EventMention, Weights, cluster, score
from recoupe.stages.crosscheck.sources import groups, shared_passages


def _m(key: str, doc: str, agents: set[str], start: date | None, end: date | None = None,
       lemma: str = "visite", kind: str = "visit") -> EventMention:
    return EventMention(key=key, doc=doc, block="b", lemma=lemma, type=kind, agents=frozenset(agents),
                        participants=frozenset(agents), places=frozenset({"dakar", "country:SEN"}), start=start,
                        end=end or start, context=frozenset({"visite", "officielle"}), anchors=frozenset(agents))


def test_coref_merges_one_visit_and_keeps_distinct_ones_apart() -> None:
    w = Weights(same_doc=True, require_anchor=True)
    same = [_m("a", "d1", {"dupont"}, date(2024, 3, 4)), _m("b", "d2", {"dupont"}, date(2024, 3, 4), date(2024, 3, 5))]
    other_person = _m("c", "d3", {"sarr"}, date(2024, 3, 4))
    a_year_later = _m("d", "d4", {"dupont"}, date(2025, 3, 4))
    assert score(same[0], other_person, w) == VETO
    assert score(same[0], a_year_later, w) == VETO
    assert score(same[0], _m("e", "d5", {"dupont"}, date(2024, 3, 4), kind="agreement"), w) == VETO
    assert cluster([*same, other_person, a_year_later], w) == [[0, 1], [2], [3]]


def _account(doc: str, start: date | None, end: date | None = None, amount: str | None = None) -> Account:
    did = DocId(doc)
    return Account(doc_id=did, sentence=Span(did, 0, 10), trigger=Span(did, 0, 5), trigger_text="signé",
                   lemma="signer", type="agreement", plover="AGREE", mode=None, modality="asserted",
                   reported_by=None, start=start, end=end or start, time_text=None, amount=amount, place=None,
                   participants=(("per-x", "agent"),), sentence_text="signé ...")


def _event(accounts: list[Account], group_of: dict[DocId, DocId]) -> CorpusEvent:
    sources = tuple(dict.fromkeys(a.doc_id for a in accounts))
    by: dict[DocId, list[DocId]] = {}
    for d in sources:
        by.setdefault(group_of.get(d, d), []).append(d)
    return CorpusEvent(id="ev-1", type="agreement", plover="AGREE", mode=None, label="agreement", start=None,
                       end=None, time_text=None, place=None, participants=(), modality="asserted", sources=sources,
                       groups=tuple(tuple(v) for v in by.values()), accounts=tuple(accounts))


def test_date_conflict_keeps_every_value_and_names_the_majority() -> None:
    accounts = [_account("a", date(2021, 11, 1), date(2021, 11, 30)), _account("b", date(2021, 11, 24)),
                _account("c", date(2022, 3, 1), date(2022, 3, 31)), _account("d", date(2021, 11, 23),
                                                                             date(2021, 11, 24))]
    copies = {DocId("a"): DocId("a"), DocId("b"): DocId("b"), DocId("c"): DocId("c"), DocId("d"): DocId("b")}
    (conflict,) = find_conflicts([_event(accounts, copies)], copies, {})
    values = {v.value: set(v.sources) for v in conflict.values}
    assert values == {"2021-11-24": {"a", "b", "d"}, "2022-03": {"c"}}
    assert conflict.best == "2021-11-24" and conflict.kind == "date"
    # two independent sources against one: a majority; one against one (b and d are copies): none
    tie = {DocId("a"): DocId("a"), DocId("b"): DocId("a"), DocId("c"): DocId("c"), DocId("d"): DocId("a")}
    (conflict,) = find_conflicts([_event(accounts, tie)], tie, {})
    assert conflict.best is None and len(conflict.values) == 2


def test_amounts_in_conflict_and_agreeing_dates_are_not() -> None:
    accounts = [_account("a", date(2024, 1, 5), amount="3 millions de dollars"),
                _account("b", date(2024, 1, 5), amount="5 millions de dollars")]
    ids = {DocId("a"): DocId("a"), DocId("b"): DocId("b")}
    kinds = [c.kind for c in find_conflicts([_event(accounts, ids)], ids, {})]
    assert kinds == ["number"]


def test_interval_text_and_timeline_order() -> None:
    assert format_interval(date(2021, 11, 1), date(2021, 11, 30)) == "2021-11"
    assert format_interval(date(2020, 1, 1), date(2020, 12, 31)) == "2020"
    assert format_interval(date(2021, 11, 23), date(2021, 11, 24)) == "2021-11-23/2021-11-24"
    early = _event([_account("a", date(2021, 1, 1))], {})
    events = [
        CorpusEvent(**{**{f: getattr(early, f) for f in early.__dataclass_fields__}, "id": i, "start": s, "end": e})
        for i, s, e in (("late", date(2022, 5, 1), date(2022, 5, 31)), ("none", None, None),
                        ("early", date(2021, 1, 1), date(2021, 1, 1)))
    ]
    line = timeline(events)
    assert [e.id for e in line.anchored] == ["early", "late"] and [e.id for e in line.unanchored] == ["none"]
    rows = line.records()
    assert [r["order"] for r in rows] == [1, 2, 0] and rows[1]["uncertain"] is True


def test_shared_passage_links_rewrites_of_one_dispatch() -> None:
    sentences = [
        (DocId("a"), "Le ministre des Pêches a signé mardi à Dakar un accord de coopération maritime avec le Sénégal."),
        (DocId("b"), "Le ministre des Pêches a signé mardi à Dakar un accord de coopération maritime avec Dakar."),
        (DocId("c"), "La saison des pluies a commencé plus tôt que prévu dans tout le nord du pays cette année."),
    ]
    links = shared_passages(sentences, 0.6, 8)
    assert [(k.a, k.b) for k in links] == [("a", "b")]
    assert groups([DocId("a"), DocId("b"), DocId("c")], links) == {"a": "a", "b": "a", "c": "c"}


def _records(path: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (path / f"{name}.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.issue(6)
def test_seeds_stories_merged_events_sources_and_date_conflict(seeds_build: dict[str, Any], shared: Path) -> None:
    out = seeds_build["export"]
    gold = json.loads((shared / "gold" / "seeds-dev.json").read_text("utf-8"))
    stories = {frozenset(d[:3] for d in s["documents"]) for s in _records(out, "stories")}
    assert stories == {frozenset(v) for v in gold["stories"].values()}
    events = _records(out, "events")
    people = {e["id"]: e for e in _records(out, "entities") if e["type"] == "PER"}

    def by(name: str, kind: str) -> list[dict[str, Any]]:
        return [e for e in events if e["type"] == kind and any(
            p["entity"] in people and name in people[p["entity"]]["aliases"] for p in e["participants"])]

    minister = next(n for e in gold["entities"] if e["id"] == "benny-gantz" for n in e["names"])
    visits = by(minister, "visit")
    best = max(visits, key=lambda e: len(e["sources"]))
    assert {d[:3] for d in best["sources"]} == {"000", "001", "002", "003", "004"}
    assert best["independent_sources"] < len(best["sources"])  # the wire rewrites count once
    agreement = max(by(minister, "agreement"), key=lambda e: len(e["sources"]))
    assert {d[:3] for d in agreement["sources"]} == {"000", "001", "002", "003", "004"}
    conflicts = [c for c in _records(out, "conflicts") if c["event"] == agreement["id"]]
    assert conflicts and conflicts[0]["kind"] == "date"
    split = {v["value"][:4]: {d[:3] for d in v["sources"]} for v in conflicts[0]["values"]}
    assert split["2022"] == {"003"} and {"000", "001", "002"} <= split["2021"]
    assert all(v["mentions"] and v["mentions"][0]["text"] for v in conflicts[0]["values"])
    # the 2022 visit (another person's): one event reported by the four articles that report it
    others = [e for e in events if e["type"] == "visit" and e["id"] not in {v["id"] for v in visits}]
    assert {"000", "001", "002", "003"} in [{d[:3] for d in e["sources"]} for e in others]
    for story in _records(out, "stories"):
        assert story["label"] and story["summary"]
        for sentence in story["summary"]:
            doc = seeds_build["docs"][sentence["doc"][:3]]
            assert doc["text"][sentence["start"]:sentence["end"]].strip() == sentence["text"]
            assert sentence["independent_sources"] >= 1 and sentence["sources"]


@pytest.mark.issue(6)
def test_adding_articles_reports_what_each_adds_confirms_and_contradicts(
        shared: Path, tmp_path: Path, config: Config) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for path in sorted((shared / "seeds").glob("*.txt")):
        shutil.copy(path, (later if path.name.startswith("003") else first) / path.name)
    kb = tmp_path / "kb.duckdb"
    build([first], kb, config)
    summary = build([first, later], kb, config)
    assert summary.accepted == 1 and summary.unchanged == 4
    assert summary.novelty.get("confirms", 0) >= 2  # the 2021 visit and signing, the 2022 visit
    assert summary.novelty.get("contradicts", 0) >= 1  # it dates the 2021 signing to March
    assert summary.novelty.get("adds", 0) >= 1
    with duckdb.connect(str(kb), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT doc_id, kind FROM novelty WHERE run_id = ?", [summary.run_id]).fetchall()
    assert {doc[:3] for doc, _ in rows} == {"003"}


def test_large_blocks_are_cut_into_time_windows() -> None:
    from recoupe.stages.crosscheck.merge import _split_large

    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(0, 300, 10)]   # 30 accounts, one block
    accounts = [_account(f"d{i}", day) for i, day in enumerate(days)]
    blocks = ["agreement:0"] * len(accounts) + ["agreement:1"]
    accounts.append(_account("other", date(2024, 1, 1)))
    cut = _split_large(blocks, accounts, {}, limit=8)
    sizes = Counter(cut[:-1])
    assert max(sizes.values()) <= 8 and len(sizes) >= 4
    assert cut[-1] == "agreement:1"                       # a small block is left whole
    assert _split_large(blocks, accounts, {}, limit=100) == blocks
    # accounts of one day always share a piece
    twins = [_account("t1", date(2024, 6, 1)), _account("t2", date(2024, 6, 1))]
    cut = _split_large(["b"] * (len(accounts) + 2), [*accounts, *twins], {}, limit=8)
    assert cut[-1] == cut[-2]
