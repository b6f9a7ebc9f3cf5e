"""Timeline evaluation: the temporal-awareness scorer on hand-made timelines, and the SemEval-2015 trial run."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from recoupe.eval.timeline import (
    SYSTEMS,
    Awareness,
    Timeline,
    TimelineLine,
    Token,
    TokenMap,
    anchor_key,
    date_label,
    detokenise,
    format_timeline,
    make_timeline,
    micro,
    names_match,
    read_timeline,
    temporal_awareness,
    timeline_graph,
)


def _timeline(*lines: str) -> Timeline:
    """A timeline from ``ORDER DATE MENTION...`` strings (space-separated here, tabs in files)."""
    rows = [line.split() for line in lines]
    return Timeline("Target", tuple(TimelineLine(int(r[0]), r[1], tuple(r[2:])) for r in rows))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2008-03-XX", "T:2008-03"), ("2006", "T:2006"), ("2010-06-07", "T:2010-06-07"), ("XXXX-XX-XX", None),
     ("XXX-XX-XX", None), ("1989-XX-XX", "T:1989")],
)
def test_anchor_key_drops_unknown_parts(value: str, expected: str | None) -> None:
    assert anchor_key(value) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(date(2010, 6, 7), date(2010, 6, 7), "2010-06-07"), (date(2008, 3, 1), date(2008, 3, 31), "2008-03-XX"),
     (date(2006, 1, 1), date(2006, 12, 31), "2006-XX-XX"), (date(2005, 12, 1), date(2006, 1, 31), "XXXX-XX-XX"),
     (None, None, "XXXX-XX-XX")],
)
def test_date_label_writes_the_known_granularity(start: date | None, end: date | None, expected: str) -> None:
    assert date_label(start, end) == expected


@pytest.mark.parametrize(
    "timeline",
    [_timeline("0 XXXX-XX-XX 1-2-said", "1 2001 1-3-made 2-4-made", "2 2001-05-02 1-5-sold", "2 2001-05-02 2-6-sold",
               "3 XXXX-XX-XX 2-7-left")],
)
def test_identical_timelines_score_one(timeline: Timeline) -> None:
    score = temporal_awareness(timeline, timeline)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    # Reduced graph: two made~T2001, two sold~T2001-05-02 and two BEFORE links (made<sold<left).
    assert score.gold_relations == 6


@pytest.mark.parametrize(
    ("system", "gold", "counts"),
    [
        # The system skips the middle event: its one link a<c is entailed by the gold's closure (P 1/1),
        # while neither gold link a<b, b<c is entailed by the system's (R 0/2).
        (("1 XXXX-XX-XX a", "2 XXXX-XX-XX c"), ("1 XXXX-XX-XX a", "2 XXXX-XX-XX b", "3 XXXX-XX-XX c"), (1, 1, 0, 2)),
        # Anchors: the system dates one of the two gold events (a~T verified; b~T missing).
        (("1 2010-06-07 a",), ("1 2010-06-07 a b",), (1, 1, 1, 2)),
        # A wrong date: a~T(2010-06-08) is not in the gold, a~T(2010-06-07) not in the system.
        (("1 2010-06-08 a",), ("1 2010-06-07 a",), (0, 1, 0, 1)),
        # Reversed order: b<a contradicts a<b both ways.
        (("1 XXXX-XX-XX b", "2 XXXX-XX-XX a"), ("1 XXXX-XX-XX a", "2 XXXX-XX-XX b"), (0, 1, 0, 1)),
        # Order 0 is never ordered: undated order-0 events give no relation to score.
        (("0 XXXX-XX-XX a", "0 XXXX-XX-XX b"), ("1 XXXX-XX-XX a", "2 XXXX-XX-XX b"), (0, 0, 0, 1)),
    ],
)
def test_temporal_awareness_counts(system: tuple[str, ...], gold: tuple[str, ...],
                                   counts: tuple[int, int, int, int]) -> None:
    score = temporal_awareness(_timeline(*system), _timeline(*gold))
    assert (score.system_verified, score.system_relations, score.gold_verified, score.gold_relations) == counts


@pytest.mark.parametrize("timeline", [_timeline("1 1985 a", "2 1985 b", "3 1986 c")])
def test_two_orders_on_one_date_merge_and_drop_their_before_link(timeline: Timeline) -> None:
    graph = timeline_graph(timeline)
    assert graph.dropped == [("a", "BEFORE", "b")]
    assert graph.entails(("a", "SIMULTANEOUS", "b"))
    assert graph.entails(("b", "BEFORE", "c")) and graph.entails(("T:1985", "BEFORE", "c"))


@pytest.mark.parametrize("timeline", [_timeline("1 XXXX-XX-XX a", "2 XXXX-XX-XX b", "3 XXXX-XX-XX c d")])
def test_reduced_graph_keeps_only_covering_links(timeline: Timeline) -> None:
    assert timeline_graph(timeline).reduced() == [("d", "SIMULTANEOUS", "c"), ("a", "BEFORE", "b"),
                                                  ("b", "BEFORE", "c")]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [((Awareness(1, 2, 1, 4), Awareness(3, 6, 0, 4)), (0.5, 0.125))],
)
def test_micro_average_sums_counts(scores: tuple[Awareness, ...], expected: tuple[float, float]) -> None:
    total = micro(scores)
    assert (total.precision, total.recall) == expected
    assert total.f1 == pytest.approx(2 * 0.5 * 0.125 / 0.625)


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [("Zorvex Labs", "Zorvex Labs Inc.", True), ("Zorvex Labs Music Hall", "Zorvex Labs hall", True),
     ("Zorvex", "Zorvex Labs", False), ("Quillon Arbo", "Brindle Quillon Arbo", True), ("Arbo", "Pell Arbo", False),
     ("Widgets", "widget", True), ("Zorvex Nano", "Zorvex", True), ("Pell Quint's", "Pell Quint", True)],
)
def test_names_match_target(name: str, target: str, expected: bool) -> None:
    assert names_match(name, target) is expected


@pytest.mark.parametrize(
    ("words", "text"),
    [(["The", "firm", "(", "Zorvex", ")", "said", '"', "no", '"', ",", "it", "'s", "$", "5", "."],
      'The firm (Zorvex) said "no", it\'s $5.')],
)
def test_detokenise_and_map_back_to_tokens(words: list[str], text: str) -> None:
    tokens = [Token(2 if i < 8 else 3, w) for i, w in enumerate(words)]
    written, spans = detokenise(tokens)
    assert written == text
    assert [written[s:e] for s, e in spans] == words
    mapping = TokenMap.align(written, tokens, spans, written)
    start = written.index("said")
    assert mapping.mention("77", start, start + 4) == "77-2-said"
    assert mapping.mention("77", written.index("firm (Z"), written.index("firm (Z") + 4) == "77-2-firm"
    moved = TokenMap.align("  " + written, tokens, spans, written)  # a changed text is searched token by token
    assert moved.mention("77", start + 2, start + 6) == "77-2-said"


Item = tuple[tuple[str, ...], date | None, date | None]


@pytest.mark.parametrize(
    "items",
    [[(("1-2-won",), date(2004, 5, 1), date(2004, 5, 1)),
      (("1-3-lost", "2-3-lost"), date(2003, 1, 1), date(2003, 12, 31)),
      (("1-4-said",), None, None),
      (("2-2-won", "1-2-won"), date(2004, 5, 1), date(2004, 5, 31))]],
)
def test_make_timeline_orders_by_start_and_writes_the_task_format(items: list[Item], tmp_path: Path) -> None:
    timeline = make_timeline("Zorvex Labs", items)
    assert [(x.order, x.date, x.mentions) for x in timeline.lines] == [
        (0, "XXXX-XX-XX", ("1-4-said",)), (1, "2003-XX-XX", ("1-3-lost", "2-3-lost")),
        (2, "2004-05-01", ("1-2-won",)), (2, "2004-05-XX", ("2-2-won",))]
    path = tmp_path / "zorvex_labs.txt"
    path.write_text(format_timeline(timeline), "utf-8")
    assert path.read_text("utf-8").splitlines()[2] == "1\t2003-XX-XX\t1-3-lost\t2-3-lost"
    assert read_timeline(path) == timeline


@pytest.mark.issue(6)
@pytest.mark.slow
def test_timeline_trial_run(shared: Path, tmp_path: Path) -> None:
    from recoupe.eval.timeline import evaluate_timeline

    data = shared / "data" / "semeval2015-task4-trial"
    if not data.is_dir():
        pytest.skip("../shared/data/semeval2015-task4-trial is absent")
    report = evaluate_timeline(data, tmp_path / "out")
    assert (report["documents"], report["targets"], report["languages"]) == (30, 6, {"en": 30})
    assert report["gold_mentions"] == 194
    for system in SYSTEMS:
        figures = report[system]
        assert 0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["recall"] <= 1.0
        assert figures["gold_relations"] == 221
    assert report["recoupe"]["system_relations"] > 0
    written = sorted(p.name for p in (tmp_path / "out").glob("*.txt"))
    assert written == sorted(f["file"] for f in report["per_entity"].values())
    mention = re.compile(r"^\d+-\d+-\S+$")
    for name in written:
        timeline = read_timeline(tmp_path / "out" / name)
        assert all(mention.match(m) for line in timeline.lines for m in line.mentions)
