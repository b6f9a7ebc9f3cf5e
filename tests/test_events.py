"""Events, modality and quotations: frames on invented French sentences, the seeds' quotes, the PLOVER path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from recoupe.stages.entities import find_mentions
from recoupe.stages.events import find_events
from recoupe.stages.nlp import parse_one
from recoupe.stages.quotes import find_quotes
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


def _agents(event: Any) -> str:
    """The agents' texts (mentions keep their titles: "ministre Jean Dupont")."""
    return " | ".join(p.text for p in event.participants if p.role == "agent")


def test_possessive_and_demonstrative_events_take_their_agents() -> None:
    text = ("En mars 2023, le ministre Jean Dupont avait signé à Dakar un accord de pêche avec le Sénégal. "
            "Sa visite avait été suivie en mai par celle de la ministre Awa Sarr.")
    visits = [e for e in _events(text) if e.type == "visit"]
    by_trigger = {e.trigger_text: e for e in visits}
    assert {"visite", "celle"} <= set(by_trigger), [(e.trigger_text, e.participants) for e in visits]
    assert "Jean Dupont" in _agents(by_trigger["visite"])
    # the possessed visit is dated by the possessor's last event, not by the other visit's "en mai"
    assert (by_trigger["visite"].start, by_trigger["visite"].end) == (date(2023, 3, 1), date(2023, 3, 31))
    assert "Awa Sarr" in _agents(by_trigger["celle"])
    assert "Jean Dupont" not in _agents(by_trigger["celle"])


def test_nominal_visit_agent_hanging_off_the_place() -> None:
    text = "En mai, les deux pays ont signé un accord lors de la visite à Dakar du ministre des Pêches, Jean Dupont."
    visits = [e for e in _events(text) if e.type == "visit"]
    assert visits and "Jean Dupont" in _agents(visits[0]), [(e.trigger_text, e.participants) for e in visits]


def test_no_sentence_break_inside_hyphenated_words() -> None:
    text = ("Le chef d’état-major de l’armée nigérienne, le lieutenant-général Paul Martin, est au Tchad depuis "
            "lundi pour une visite de travail de trois jours. C’est une première.")
    sentences, _, _ = parse_one(text, "t")
    assert len(sentences) == 2, [text[s.start:s.end] for s in sentences]
    visits = [e for e in _events(text) if e.type == "visit"]
    assert visits and "Paul Martin" in _agents(visits[0]), [(e.trigger_text, e.participants) for e in visits]


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
    quotes = find_quotes("q", text, mentions, tokens)
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
    accounts = [m for e in events for m in e["mentions"]]
    purchases = [m for m in accounts if m["doc"].startswith("003") and m["type"] == "acquisition"]
    assert "reported" in {m["modality"] for m in purchases}
    meetings = [m for m in accounts if m["doc"].startswith("002") and m["type"] == "meeting"]
    assert "planned" in {m["modality"] for m in meetings}
    for event in events:  # every account points at its sentence and trigger in its article
        for m in event["mentions"]:
            doc = seeds_build["docs"][m["doc"][:3]]
            assert doc["text"][m["start"]:m["end"]] == m["text"]
            assert m["start"] <= m["trigger"]["start"] < m["trigger"]["end"] <= m["end"]
        assert 1 <= event["independent_sources"] <= len(event["sources"])


@pytest.mark.issue(5)
def test_plover_path_runs_and_reports(shared: Path) -> None:
    from recoupe.eval.plover import evaluate_plover

    report = evaluate_plover(shared / "data" / "plover-gsr", "en_core_web_sm")
    assert report["sentences"] == 322
    assert report["type_accuracy"] >= 0.3 and report["source_actor_accuracy"] >= 0.3
