"""Events, modality and quotations: frames on invented French sentences, the seeds' quotes, the PLOVER path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from recoupe.stages.entities import find_mentions
from recoupe.stages.events import find_events, find_quotes
from recoupe.stages.nlp import parse_one
from recoupe.stages.temporal import tag, tense_function
from recoupe.stages.temporal.grammar import lexicon

REF = date(2024, 5, 15)


def _events(text: str) -> list[Any]:
    sentences, tokens, ents = parse_one(text, "t")
    mentions = find_mentions("t", text, ents, tokens)
    timexes = tag(text, REF, "fr", tense_function(tokens, lexicon("fr").planning_verbs), "t")
    return list(find_events("t", text, sentences, tokens, mentions, timexes))


@pytest.mark.parametrize(
    ("text", "kind", "modality"),
    [
        ("Le ministre Jean Dupont a signé mardi un accord de pêche avec le Sénégal à Dakar.", "agreement", "asserted"),
        ("Le Mali aurait acquis l'an dernier des drones auprès de la Turquie.", "acquisition", "reported"),
        (
            "La ministre Awa Sarr doit rencontrer lundi prochain son homologue Paul Martin à Nouakchott.",
            "meeting",
            "planned",
        ),
        ("Le président Paul Martin effectuera une visite à Rabat la semaine prochaine.", "visit", "planned"),
        ("Le Niger pourrait signer un accord avec le Tchad en juin.", "agreement", "hedged"),
    ],
)
def test_event_type_and_modality(text: str, kind: str, modality: str) -> None:
    found = [e for e in _events(text) if e.type == kind]
    assert found, [(e.type, e.trigger_text) for e in _events(text)]
    assert found[0].modality == modality


def test_event_frame_participants_place_and_time() -> None:
    [event] = [
        e
        for e in _events("Le ministre Jean Dupont a signé mardi un accord avec le Sénégal à Dakar.")
        if e.type == "agreement"
    ]
    roles = {(p.text, p.role) for p in event.participants}
    assert ("Jean Dupont", "agent") in roles or ("ministre Jean Dupont", "agent") in roles
    assert ("Dakar", "place") in roles
    assert (event.start, event.end, event.time_text) == (date(2024, 5, 14), date(2024, 5, 14), "mardi")


def test_amounts_are_read() -> None:
    [event] = [
        e
        for e in _events("Le Mali a acheté des blindés pour 40 millions de dollars en mars.")
        if e.type == "acquisition"
    ]
    assert event.amount == "40 millions de dollars"


def test_quotes_with_speakers_before_after_and_pronoun() -> None:
    text = (
        "« Nous avons signé un très bon accord », a déclaré Jean Dupont. « Il ouvre une nouvelle ère », "
        "a-t-il ajouté. Selon le ministre, Awa Sarr, « la pêche artisanale sera protégée »."
    )
    _, tokens, ents = parse_one(text, "q")
    mentions = find_mentions("q", text, ents, tokens)
    quotes = find_quotes("q", text, mentions)
    assert [q.text for q in quotes] == [
        "Nous avons signé un très bon accord",
        "Il ouvre une nouvelle ère",
        "la pêche artisanale sera protégée",
    ]
    speakers = [text[q.speaker.start : q.speaker.end] if q.speaker else None for q in quotes]
    assert speakers[0] == speakers[1] == "Jean Dupont"
    assert speakers[2] == "Awa Sarr"


@pytest.mark.issue(5)
def test_seeds_quotes_of_the_minister(seeds_build: dict[str, Any], shared: Path) -> None:
    from recoupe.eval.seeds import score_export

    report = score_export(shared / "gold" / "seeds-dev.json", seeds_build["export"])
    assert report["quotes_found"]["score"] == 1.0, report["quotes_found"]["misses"]
    assert report["quote_speakers"]["score"] == 1.0, report["quote_speakers"]["misses"]
    assert report["event_modality"]["score"] == 1.0, report["event_modality"]["misses"]


@pytest.mark.issue(5)
def test_seeds_conditional_purchase_is_reported_and_announced_meeting_planned(seeds_build: dict[str, Any]) -> None:
    events = [json.loads(line) for line in (seeds_build["export"] / "events.jsonl").read_text("utf-8").splitlines()]
    purchases = [e for e in events if e["sources"][0].startswith("003") and e["type"] == "acquisition"]
    assert "reported" in {e["modality"] for e in purchases}
    meetings = [e for e in events if e["sources"][0].startswith("002") and e["type"] == "meeting"]
    assert "planned" in {e["modality"] for e in meetings}
    for event in events:
        assert event["mentions"][0]["text"] and event["independent_sources"] == 1


@pytest.mark.issue(5)
def test_plover_path_runs_and_reports(shared: Path) -> None:
    from recoupe.eval.plover import evaluate_plover

    report = evaluate_plover(shared / "data" / "plover-gsr", "en_core_web_sm")
    assert report["sentences"] == 322
    assert report["type_accuracy"] >= 0.3 and report["source_actor_accuracy"] >= 0.3
