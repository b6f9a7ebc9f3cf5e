"""Scraped pages: navigation, headline, byline stamps, site names, comments, dates in paths, sidecar files.

Every page here is invented for the tests (outlets, people and places included).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import pytest

from recoupe.config import load_config
from recoupe.model import DocId, Line, RawInput
from recoupe.stages import clean as clean_stage
from recoupe.stages import ingest
from recoupe.stages.clean.page import comment_score, is_comment_label, segment
from recoupe.stages.ingest.given import date_in_path, load_given
from recoupe.stages.ingest.header import parse_stamp
from recoupe.stages.ingest.site import credit, outlet_from_cues, site_cues, wire_credit
from recoupe.stages.nlp.spacy_stage import chunks, parse_one

NAV = [
    "Les sites du groupe Horizon",
    "Nos journaux et magazines",
    "Le budget des régions voté sans surprise",
    "Un festival de jazz sous la pluie",
    "Comment choisir son vélo électrique ?",
    "Les cinq recettes de l'été",
]
HEADLINE = "Inondations : la vallée de la Sarre coupée du monde"
STANDFIRST = "Les secours ont évacué plus de deux cents habitants pendant la nuit, selon la préfecture."
STAMP = "Par Claire Moreau Publié le 14 mars 2024 à 08h15 - Mis à jour le 14 mars 2024 à 11h02"
BODY = [
    "La rivière est sortie de son lit mercredi soir après trois jours de pluies continues sur le massif, "
    "a indiqué la préfecture dans un communiqué publié dans la matinée.",
    "« Nous n'avions jamais vu l'eau monter aussi vite », raconte un agriculteur dont la ferme est isolée "
    "depuis la veille au soir.",
    "Des renforts en route",
    "Les pompiers de trois départements voisins ont été appelés en renfort et deux hélicoptères survolent "
    "la zone pour repérer les habitations encore occupées.",
    "Le maire a ouvert le gymnase municipal pour accueillir les familles évacuées, où des lits de camp ont "
    "été installés par la protection civile.",
]
TAIL = [
    "» Les crues de printemps, un risque qui s'accroît",
    "» Le plan de prévention des inondations en débat",
    "» Sécheresse : les nappes au plus bas",
    "Encore une fois l'état n'a rien anticipé, je suis dégoûté !!",
    "vous trouvez ça normal ? moi pas....",
    "Bon courage aux habitants, on pense à vous.",
]


def _page_doc(lines: list[str], record: dict[str, str] | None = None) -> RawInput:
    text = "\n".join(lines)
    rec = {"text": text, **(record or {})}
    return RawInput("page.jsonl:1", DocId("page"), "jsonl", text.encode(), "fp", record=rec)


def _clean(lines: list[str], record: dict[str, str] | None = None,
           recurring: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    cfg = load_config()
    parsed = ingest.parse(_page_doc(lines, record), cfg.ingest)
    assert not isinstance(parsed, type(None))
    return clean_stage.clean(parsed, cfg.clean, recurring)  # type: ignore[arg-type]


def test_a_scraped_page_keeps_its_article_and_nothing_else() -> None:
    doc = _clean([*NAV, HEADLINE, STANDFIRST, STAMP, *BODY, *TAIL])
    kept = doc.text.split("\n\n")
    assert kept == [STANDFIRST, *BODY]
    assert doc.title == HEADLINE
    assert "title-shaped line before the article" in doc.evidence["title"]
    assert doc.published.value == "2024-03-14T08:15"
    assert doc.author == "Claire Moreau"
    why = {r.text: r.reason for r in doc.removed}
    assert all(why[line] == "navigation" for line in NAV)
    assert why[STAMP] == "byline"
    assert all(why[line] == "comments" for line in TAIL[3:])
    assert {why[line] for line in TAIL[:3]} <= {"link", "after_article"}


def test_cleaning_a_cleaned_page_changes_nothing() -> None:
    cfg = load_config()
    once = _clean([*NAV, HEADLINE, STANDFIRST, STAMP, *BODY, *TAIL])
    twice = clean_stage.clean(
        ingest.parse(_page_doc(once.text.split("\n\n"), {"title": once.title or ""}), cfg.ingest),  # type: ignore[arg-type]
        cfg.clean)
    assert twice.text == once.text


def test_a_page_title_repeated_as_first_line_marks_the_headline() -> None:
    """Scrapes that keep the page's <title> as their first line: the later line it repeats is the headline."""
    teasers = ["Un nouveau pont sur le fleuve. Les travaux commencent lundi pour deux ans.",
               "La saison touristique s'annonce bonne. Les réservations sont en hausse de dix pour cent."]
    doc = _clean([f"Région {HEADLINE}", *teasers, HEADLINE, "Publié le 14/03/24 à 08h15", BODY[0], BODY[3],
                  "Les plus lus", *NAV[2:]])
    assert doc.title == HEADLINE
    assert doc.text.split("\n\n") == [BODY[0], BODY[3]]
    assert doc.published.value == "2024-03-14T08:15"


def test_a_read_also_link_between_paragraphs_does_not_cut_the_article() -> None:
    lines = [HEADLINE, BODY[0], "À lire aussi : les crues de printemps", BODY[1], BODY[3], BODY[4]]
    doc = _clean(lines)
    assert doc.text.split("\n\n") == [BODY[0], BODY[1], BODY[3], BODY[4]]


def test_a_comment_section_label_ends_the_article() -> None:
    comments = ["12 commentaires", "Signaler un abus",
                "Très bon article, merci pour ces informations précises sur la situation des habitants.",
                "Répondre"]
    doc = _clean([HEADLINE, *BODY, *comments])
    assert doc.text.split("\n\n") == BODY
    assert {r.text: r.reason for r in doc.removed}[comments[2]] == "comments"


def test_dialogue_and_interviews_are_not_comments() -> None:
    assert comment_score("- Je vous promets que je reviendrai, dit-il.") == 0
    assert comment_score("Jeanne Dupuis : Je pense que vous avez raison sur ce point.") == 0
    assert comment_score("« Je suis fier de vous », a-t-il lancé.") == 0
    assert comment_score("je suis dégoûté !! vous trouvez ça normal....") >= 1
    assert is_comment_label("Signaler un abus")
    assert not is_comment_label("Le maire a répondu aux questions des habitants pendant deux heures.")


def test_recurring_lines_are_taken_out_even_before_a_headline_is_known() -> None:
    lines = ["Menu", "Accueil du site régional", HEADLINE, *BODY, "Mentions légales"]
    recurring = frozenset(clean_stage.line_key(x) for x in ("Menu", "Accueil du site régional"))
    doc = _clean(lines, recurring=recurring)
    assert doc.text.split("\n\n") == BODY
    assert doc.title == HEADLINE


def test_segment_on_a_tidy_article_keeps_everything() -> None:
    cfg = load_config().clean.page
    page = segment(BODY, [None] * len(BODY), [False] * len(BODY), cfg)
    assert (page.start, page.end) == (0, len(BODY) - 1)
    assert page.comments == frozenset()


@pytest.mark.parametrize(("text", "outlet"), [
    ("Le Courrier du Val avec AFP", "Le Courrier du Val"),
    ("La Dépêche des Monts - Reuters", "La Dépêche des Monts"),
    ("Par L'Hebdo avec AFP et Reuters", "L'Hebdo"),
])
def test_credit_lines_name_the_site(text: str, outlet: str) -> None:
    found = credit(text)
    assert found is not None and found[0] == outlet


def test_a_journalist_with_an_agency_is_not_a_site() -> None:
    assert credit("Jean-Marc Duval - AFP") is None
    assert wire_credit("(Avec AFP, Reuters et AP)") == ["AFP", "Reuters", "AP"]
    assert wire_credit("(Lire notre enquête)") is None


def test_site_chrome_gives_the_outlet_and_a_list_of_other_sites_does_not() -> None:
    lines = [Line(1, "Les sites du groupe Horizon"), Line(2, "Suivez Horizon Matin"), Line(3, "Services Horizon Matin")]
    found = outlet_from_cues(site_cues(lines))
    assert found is not None and found[0] == "Horizon Matin"
    promo = [Line(i, f"Code promo {name}") for i, name in enumerate(["Voyages.com", "Hotels.fr", "Trains.net"])]
    assert outlet_from_cues(site_cues(promo)) is None
    assert outlet_from_cues(site_cues([Line(1, "Écrivez-nous : redaction@lequotidiendunord.fr")])) is not None


def test_stamps_in_both_languages_and_short_years() -> None:
    stamp = parse_stamp(STAMP)
    assert stamp is not None and stamp.published == "2024-03-14T08:15" and stamp.updated == "2024-03-14T11:02"
    assert stamp.prefix.startswith("Par Claire Moreau")
    assert parse_stamp("Published on March 3, 2024 at 10:12") is not None
    assert parse_stamp("Publié le 17/04/11 à 18h16").published == "2011-04-17T18:16"  # type: ignore[union-attr]
    only_update = parse_stamp("— Mis à jour le 17/04/11 à 18h16")
    assert only_update is not None and only_update.published is None


@pytest.mark.parametrize(("path", "day"), [
    ("corpus/2011-02-16/a.txt", "2011-02-16"),
    ("corpus/2011/02/16/a.txt", "2011-02-16"),
    ("corpus/20110216-a.txt", "2011-02-16"),
    ("corpus/2011-02-30/a.txt", None),
    ("corpus/article-12345678.txt", None),
])
def test_dates_in_paths(path: str, day: str | None) -> None:
    assert date_in_path(PurePath(path)) == day


def test_sidecar_metadata_csv_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "meta.csv"
    csv_file.write_text("id,published,outlet,title\na,2024-03-14,Le Courrier du Val,Un titre\nb,,,\n", "utf-8")
    given = load_given(str(csv_file), False)
    values, evidence = given.for_file(tmp_path / "a.txt", "a")
    assert values == {"published": "2024-03-14", "outlet": "Le Courrier du Val", "title": "Un titre"}
    assert "row 2" in evidence["outlet"]
    jsonl_file = tmp_path / "meta.jsonl"
    jsonl_file.write_text(json.dumps({"id": "a", "url": "https://example.org/a"}) + "\nnot json\n", "utf-8")
    given = load_given(str(jsonl_file), False)
    assert given.for_file(tmp_path / "a.txt", "a")[0] == {"url": "https://example.org/a"}
    assert len(given.warnings) == 1 and "[W107]" in given.warnings[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,published\nx,2024-01-01\n", "utf-8")
    with pytest.raises(Exception, match="R207"):
        load_given(str(bad), False)


def test_long_texts_are_parsed_in_pieces_with_the_same_tokens() -> None:
    text = "\n\n".join(BODY * 12)
    assert "".join(piece for _, piece in chunks(text, 1500)) == text
    whole = parse_one(text, "d")
    pieces = parse_one(text, "d", chunk_chars=1500)
    assert [(t.start, t.end, t.lemma) for t in whole[1]] == [(t.start, t.end, t.lemma) for t in pieces[1]]
    assert all(text[t.start:t.end] for t in pieces[1])
    assert all(pieces[1][t.head].start >= 0 for t in pieces[1])
