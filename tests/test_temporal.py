"""Temporal tagger: values, intervals, direction from tense, anchors, and the TimeBank figures."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.model import Tense
from recoupe.stages.temporal import tag

REF = date(2022, 7, 21)  # a Thursday


def _one(text: str, ref: date | None = REF, tense: Tense | None = None, lang: str = "fr") -> tuple[str, str, str]:
    found = tag(text, ref, lang, (lambda s, e: tense) if tense else None)
    assert len(found) == 1, found
    t = found[0]
    interval = f"{t.start}..{t.end}" if t.start else "-"
    return t.text, t.value, interval


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il est arrivé le 24 novembre 2021 à Rabat.", ("le 24 novembre 2021", "2021-11-24", "2021-11-24..2021-11-24")),
        ("Un exercice a eu lieu fin juin.", ("fin juin", "2022-06", "2022-06-21..2022-06-30")),
        ("Début mars 2020, tout a changé.", ("Début mars 2020", "2020-03", "2020-03-01..2020-03-10")),
        (
            "La visite (23-24 novembre) est terminée.",
            ("23-24 novembre", "2021-11-23/2021-11-24", "2021-11-23..2021-11-24"),
        ),
        ("Il est venu hier.", ("hier", "2022-07-20", "2022-07-20..2022-07-20")),
        ("Il viendra demain matin.", ("demain matin", "2022-07-22TMO", "2022-07-22..2022-07-22")),
        ("L'an dernier, la récolte fut bonne.", ("L'an dernier", "2021", "2021-01-01..2021-12-31")),
        ("Il reviendra la semaine prochaine.", ("la semaine prochaine", "2022-W30", "2022-07-25..2022-07-31")),
        ("Au début de cette année, rien.", ("Au début de cette année", "2022", "2022-01-01..2022-04-30")),
        ("Il est resté pendant trois jours.", ("trois jours", "P3D", "-")),
        ("La réunion a lieu chaque année.", ("chaque année", "P1Y", "-")),
        ("Ils se retrouvent tous les jeudis.", ("tous les jeudis", "XXXX-WXX-4", "-")),
        ("C'était dans les années 60.", ("les années 60", "196X", "1960-01-01..1969-12-31")),
        ("Il y a trois ans, la ville a changé.", ("Il y a trois ans", "2019", "2019-01-01..2019-12-31")),
        ("Le vote a eu lieu en 2020.", ("2020", "2020", "2020-01-01..2020-12-31")),
        ("Le 12/03/2024, il pleuvait.", ("12/03/2024", "2024-03-12", "2024-03-12..2024-03-12")),
    ],
)
def test_french_expressions_resolve(text: str, expected: tuple[str, str, str]) -> None:
    assert _one(text, tense="past" if "novembre" in text else None) == expected


@pytest.mark.parametrize(
    ("tense", "value"),
    [("past", "2022-07-19"), ("future", "2022-07-26"), (None, "2022-07-19")],
)
def test_weekday_direction_follows_tense(tense: Tense | None, value: str) -> None:
    assert _one("La réunion de mardi.", tense=tense)[1] == value


@pytest.mark.parametrize(
    ("tense", "value"), [("past", "2022-07-18/2022-07-19"), ("future", "2022-07-25/2022-07-26")]
)
def test_weekday_range(tense: Tense, value: str) -> None:
    assert _one("La réunion s'est déroulée lundi et mardi.", tense=tense)[1] == value


@pytest.mark.parametrize(("tense", "value"), [("past", "2021-11"), ("future", "2022-11"), (None, "2022-11")])
def test_bare_month_direction_follows_tense(tense: Tense | None, value: str) -> None:
    assert _one("Il signe en novembre.", tense=tense)[1] == value


def test_march_in_a_july_article_is_the_same_year() -> None:
    assert _one("En mars, les deux pays ont signé.", tense="past")[1] == "2022-03"


@pytest.mark.parametrize(
    "text",
    [
        "Il y avait 2000 personnes.",
        "Un homme de 38 ans a été blessé.",
        "Le quotidien régional a titré.",
        "Le tournoi Coupe Atlas 2022 a commencé.",
        "Les sept pays ont voté.",
        "Il a été élu.",
    ],
)
def test_things_that_are_not_time_expressions(text: str) -> None:
    assert tag(text, REF) == ()


def test_clock_time_takes_the_last_named_day() -> None:
    found = tag("Samedi 4 janvier, la fête commence à 18 h 30.", date(2003, 1, 2))
    assert [(t.text, t.value) for t in found] == [("Samedi 4 janvier", "2003-01-04"), ("18 h 30", "2003-01-04T18:30")]


def test_weekday_date_conflict_is_flagged() -> None:
    [expr] = tag("Le mardi 25 juillet 2022, rien.", REF)
    assert expr.value == "2022-07-25" and expr.note is not None and "mardi" in expr.note


def test_without_a_document_date_relative_values_stay_unresolved() -> None:
    found = tag("Il est arrivé lundi, hier, le 5 mai 2021.", None)
    assert [(t.value, t.anchor, t.start) for t in found] == [
        ("XXXX-WXX-1", "none", None),
        ("XXXX-XX-XX", "none", None),
        ("2021-05-05", "absolute", date(2021, 5, 5)),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He arrived on Tuesday.", "2022-07-19"),
        ("The deal was signed on March 3, 2021.", "2021-03-03"),
        ("It lasted three days.", "P3D"),
        ("Last year was hard.", "2021"),
    ],
)
def test_english_expressions(text: str, value: str) -> None:
    assert _one(text, lang="en", tense="past")[1] == value


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("hier lundi 2022 juin fin mars le 3 4 - ans h 12 , . é")), max_size=60))
def test_spans_slice_the_text(text: str) -> None:
    for expr in tag(text, REF):
        assert 0 <= expr.span.start < expr.span.end <= len(text)
        assert text[expr.span.start : expr.span.end] == expr.text
        assert (expr.start is None) == (expr.end is None)
        assert expr.start is None or expr.end is None or expr.start <= expr.end


@pytest.mark.issue(4)
def test_french_timebank_dev_meets_the_bar(shared: Path) -> None:
    from recoupe.eval.timebank import evaluate_timebank

    report = evaluate_timebank(shared / "data" / "fr-timebank-dev", "fr", with_dateparser=False)["recoupe"]
    assert report["relaxed"]["f1"] >= 0.92, report["relaxed"]
    assert report["value"]["f1"] >= 0.82, report["value"]
    assert report["gold"] == 181


def test_timex_cli_contract(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Arrivé lundi, il repartira jeudi.", "ref": "2022-07-19", "lang": "fr"},
        {"id": "b", "text": "Nothing here.", "lang": "en"},
    ]
    done = subprocess.run(
        [sys.executable, "-m", "recoupe", "timex", "--jsonl"],
        input="\n".join(map(json.dumps, lines)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert [(t["text"], t["value"]) for t in out[0]["timexes"]] == [("lundi", "2022-07-18"), ("jeudi", "2022-07-21")]
    assert out[1]["timexes"] == []
    for t in out[0]["timexes"]:
        assert lines[0]["text"][t["start"] : t["end"]] == t["text"]
