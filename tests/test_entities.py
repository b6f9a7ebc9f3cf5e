"""Entities: name keys, mention rules, resolution, judgements, seeds and HIPE figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from recoupe.model import DocId, Mention, Span, StageId
from recoupe.stages.entities import acronyms, find_mentions, resolve
from recoupe.stages.entities.gazetteer import gazetteer
from recoupe.stages.entities.names import first_names_compatible, skeleton, surname_key
from recoupe.stages.entities.resolve import Judgement

SRC = StageId("test")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Belkheir", "Belkhir"),
        ("Farouq", "Farouk"),
        ("Loudiyi", "Loudyi"),
        ("Abdellatif", "Abdeltif"),
        ("Kochavi", "Kokhavi"),
        ("Kohavi", "Kochavi"),
        ("Mohamed", "Mohammed"),
        ("Cheikhna", "Chekhna"),
    ],
)
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("Dupont", "Durand"), ("Kochavi", "Kaplan"), ("Benslimane", "Bensaid")])
def test_different_names_do_not(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_article_particles_do_not_count() -> None:
    assert surname_key("Belkheir Al-Farouq") == surname_key("Belkhir El Farouk")


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("Ran Kochav", "Aviv Kochavi", False),
        ("Abdeltif Loudyi", "Abdellatif Loudiyi", True),
        ("Loudiyi", "Abdellatif Loudiyi", True),
    ],
)
def test_given_names_must_be_compatible(a: str, b: str, ok: bool) -> None:
    assert first_names_compatible(a, b)[0] is ok


def test_acronym_definitions() -> None:
    text = "Le Conseil national de la transition (CNT) a voté. Le CNT siège à Tunis."
    assert acronyms(text) == {"CNT": (3, 36, "Conseil national de la transition")}


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("Royaume du Maroc", "MAR", "country"),
        ("USA", "USA", "country"),
        ("Etats- Unis", "USA", "country"),
        ("Nouakchott", "MRT", "city"),
        ("Pékin", "CHN", "city"),
    ],
)
def test_gazetteer(name: str, country: str, kind: str) -> None:
    place = gazetteer().lookup(name)
    assert place is not None and (place.country, place.kind) == (country, kind)


def test_rules_on_an_invented_text() -> None:
    text = (
        "NOUAKCHOTT: Le ministre sénégalais de la Pêche, Aminata Ndiaye, a rencontré le général Moussa Diop. "
        "Selon l'Agence nationale de la pêche (ANP), l'accord est signé. L'ANP a salué un texte "
        "soutenu par Washington, et l'exercice naval « Vague d'Or » aura lieu. Ndiaye a remercié "
        "l'Inspecteur Général des Pêches."
    )
    ner = [
        (text.index(w), text.index(w) + len(w), label)
        for w, label in [
            ("NOUAKCHOTT", "LOC"),
            ("Aminata Ndiaye", "PER"),
            ("Moussa Diop", "PER"),
            ("Washington", "LOC"),
        ]
    ]
    found = {(m.text, m.type, m.kind): m for m in find_mentions("x", text, ner)}
    assert ("général Moussa Diop", "PER", "ner") in found
    assert found[("général Moussa Diop", "PER", "ner")].name == "Moussa Diop"
    assert found[("Aminata Ndiaye", "PER", "ner")].role == "ministre sénégalais de la Pêche"
    assert found[("Aminata Ndiaye", "PER", "ner")].country == "SEN"
    assert found[("ANP", "ORG", "acronym")].alias_of == "Agence nationale de la pêche"
    assert found[("Washington", "GPE", "metonym")].alias_of == "États-Unis"
    assert ("Vague d'Or", "EVENT", "rule") in found
    assert ("Inspecteur Général des Pêches", "PER", "role") in found
    for mention in found.values():
        assert text[mention.span.start : mention.span.end] == mention.text


def _m(doc: str, start: int, text: str, name: str | None, type_: str = "PER", **kw: Any) -> Mention:
    return Mention(Span(DocId(doc), start, start + len(text)), text, type_, name, kw.pop("kind", "ner"), SRC, **kw)


def test_resolution_merges_variants_and_keeps_namesakes_apart() -> None:
    docs = [
        (
            "a",
            [
                _m("a", 0, "Mohamed Ould Cheikhna", "Mohamed Ould Cheikhna", role="ministre de la Pêche"),
                _m("a", 40, "Cheikhna", "Cheikhna", kind="surname"),
            ],
        ),
        (
            "b",
            [
                _m("b", 0, "Mohammed Ould Chekhna", "Mohammed Ould Chekhna"),
                _m("b", 40, "Ibrahima Chekhna", "Ibrahima Chekhna"),
                _m("b", 80, "ministre de la Pêche", None, kind="role", role="ministre de la Pêche"),
            ],
        ),
    ]
    entities = {e.name: e for e in resolve(docs)}
    assert sorted(len(e.mentions) for e in entities.values()) == [1, 4]
    merged = next(e for e in entities.values() if len(e.mentions) == 4)
    assert set(merged.aliases) == {"Mohamed Ould Cheikhna", "Mohammed Ould Chekhna", "Cheikhna"}
    assert {e["rule"] for e in merged.evidence} == {"surname_in_article", "transliteration_key", "role_holder"}


def test_judgements_split_and_merge_by_name() -> None:
    a, b = "Abdelkader Benslimane", "Abdelkhader Ben Slimane"
    docs = [("a", [_m("a", 0, a, a)]), ("b", [_m("b", 0, b, b)]), ("c", [_m("c", 0, "Jean Dupont", "Jean Dupont")])]
    assert len(resolve(docs)) == 2
    assert len(resolve(docs, [Judgement("split", b)])) == 3
    assert len(resolve(docs, [Judgement("split", b), Judgement("merge", "Jean Dupont", b)])) == 2


@pytest.mark.issue(3)
def test_seeds_alias_links_and_no_false_merges(seeds_build: dict[str, Any], shared: Path) -> None:
    from recoupe.eval.seeds import score_export

    report = score_export(shared / "gold" / "seeds-dev.json", seeds_build["export"])["entities"]
    assert report["links_found"] == report["links"] >= 15, report["missing_links"]
    assert report["false_merges"] == 0, report["merges"]


@pytest.mark.issue(3)
def test_seeds_people_of_the_issue(seeds_build: dict[str, Any]) -> None:
    entities = [json.loads(line) for line in (seeds_build["export"] / "entities.jsonl").read_text("utf-8").splitlines()]
    people = {e["name"]: e for e in entities if e["type"] == "PER"}
    holder = next(e for e in people.values() if "Belkheir Al-Farouq" in e["aliases"])
    assert "Belkhir El Farouk" in holder["aliases"]
    role_only = [m for m in holder["mentions"] if m["kind"] == "role" and m["doc"].startswith("004")]
    assert role_only and "FAR" in role_only[0]["text"]
    kochavi = next(e for e in people.values() if "Aviv Kochavi" in e["aliases"])
    assert not any(a.split()[-1] == "Kochav" for a in kochavi["aliases"])
    assert any(a == "Ran Kochav" for e in people.values() for a in e["aliases"] if e is not kochavi)
    usa = next(e for e in entities if e["name"] == "États-Unis")
    assert {"Washington", "USA"} <= set(usa["aliases"])


@pytest.mark.issue(3)
def test_hipe2020_dev_beats_plain_spacy(shared: Path) -> None:
    from recoupe.eval.hipe import evaluate_hipe
    from recoupe.stages.entities.service import hipe_system

    report = evaluate_hipe(shared / "data" / "hipe2022-fr-dev" / "HIPE-2022-v2.1-hipe2020-dev-fr.tsv", hipe_system())
    assert report["recoupe"]["strict"]["f1"] >= report["spacy"]["strict"]["f1"] + 0.05
    assert report["recoupe"]["fuzzy"]["f1"] >= report["spacy"]["fuzzy"]["f1"]


def test_ner_cli_contract() -> None:
    line = {"id": "a", "text": "Le général Moussa Diop est arrivé à Dakar pour rencontrer Aminata Ndiaye."}
    done = subprocess.run(
        [sys.executable, "-m", "recoupe", "ner", "--jsonl"],
        input=json.dumps(line),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    [out] = [json.loads(x) for x in done.stdout.splitlines()]
    assert out["id"] == "a"
    assert {(e["text"], e["type"]) for e in out["entities"]} >= {("général Moussa Diop", "PER"), ("Dakar", "GPE")}
    for entity in out["entities"]:
        assert line["text"][entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.issue(15)
@pytest.mark.parametrize(("a", "b"), [("Safia Zerhouni", "Seif Zerhouni"), ("Mourad Zerhouni", "Omar Zerhouni"),
                                      ("Mohamed Zerhouni", "Mahmoud Zerhouni"), ("Ali Zerhouni", "Allah Zerhouni")])
def test_family_members_are_different_people(a: str, b: str) -> None:
    assert first_names_compatible(a, b)[0] is False


@pytest.mark.issue(15)
@pytest.mark.parametrize(("a", "b"), [("Kadour", "Gaddour"), ("Khaddour", "Qadour"), ("Gueddour", "Kaddour")])
def test_initial_velars_share_a_key(a: str, b: str) -> None:
    assert surname_key(a) == surname_key(b)


@pytest.mark.issue(15)
def test_father_and_sons_stay_apart_and_lone_surnames_stay_unresolved() -> None:
    docs = [
        ("a", [_m("a", 0, "Mourad Zerhouni", "Mourad Zerhouni"),
               _m("a", 30, "Seif el-Din Zerhouni", "Seif el-Din Zerhouni"),
               _m("a", 60, "Zerhouni", "Zerhouni", kind="surname")]),
        ("b", [_m("b", 0, "Seif al-Nasr Zerhouni", "Seif al-Nasr Zerhouni"),
               _m("b", 30, "Seif Zerhouni", "Seif Zerhouni")]),
        ("c", [_m("c", 0, "Mourad Zerhouni", "Mourad Zerhouni"), _m("c", 30, "Zerhouni", "Zerhouni", kind="surname"),
               _m("c", 60, "Seif el-Din", "Seif el-Din"), _m("c", 90, "Safia Zerhouni", "Safia Zerhouni")]),
    ]
    entities = resolve(docs)
    owner = {m.text: e.id for e in entities for _, m in e.mentions if m.text != "Zerhouni"}
    assert len({owner["Mourad Zerhouni"], owner["Seif el-Din Zerhouni"], owner["Seif al-Nasr Zerhouni"],
                owner["Safia Zerhouni"]}) == 4
    assert owner["Seif el-Din"] == owner["Seif el-Din Zerhouni"]  # the name without its surname, one fit
    assert owner["Seif Zerhouni"] not in {owner["Seif el-Din Zerhouni"], owner["Seif al-Nasr Zerhouni"]}
    lone = [e for e in entities if e.name == "Zerhouni"]
    assert len(lone) == 1 and {r["rule"] for r in lone[0].evidence} == {"ambiguous_surname"}


@pytest.mark.issue(15)
def test_places_by_spelling_and_acronyms_by_case_and_initials() -> None:
    docs = [
        ("a", [_m("a", 0, "Zaouïa", "Zaouïa", "LOC"), _m("a", 10, "OTAN", "OTAN", "ORG", kind="acronym",
                                                        alias_of="Organisation du traité de l'Atlantique Nord")]),
        ("b", [_m("b", 0, "Zawiya", "Zawiya", "GPE"), _m("b", 10, "Otan", "Otan", "ORG")]),
        ("c", [_m("c", 0, "Union des forces démocratiques", "Union des forces démocratiques", "ORG"),
               _m("c", 40, "UFD", "UFD", "ORG")]),
    ]
    entities = resolve(docs)
    owner = {m.text: e.id for e in entities for _, m in e.mentions}
    assert owner["Zaouïa"] == owner["Zawiya"]
    assert owner["OTAN"] == owner["Otan"]
    assert owner["UFD"] == owner["Union des forces démocratiques"]
