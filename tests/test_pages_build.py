"""Builds of pages as they come from a crawl: dates in paths, sidecar metadata, clashing file names, a
2 MB page of comments, documents a stage fails on, and the libya2011-dev pages scored against their gold."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from recoupe import build
from recoupe.cli import main
from recoupe.config import Config, load_config

ARTICLE = [
    "Le conseil régional adopte un plan contre la sécheresse",
    "Le plan prévoit de récupérer l'eau de pluie dans les bâtiments publics et de limiter l'arrosage des "
    "jardins pendant l'été, a annoncé mardi la présidente du conseil.",
    "Les agriculteurs de la plaine, qui réclamaient des mesures depuis deux ans, ont salué une décision "
    "attendue mais jugée trop tardive par leur syndicat.",
    "Le budget de l'opération atteint douze millions d'euros sur trois ans, financés pour moitié par l'État.",
]


def _config(**sections: dict[str, object]) -> Config:
    return load_config(run={"progress": False}, **sections)


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines), "utf-8")
    return path


def test_dates_in_paths_date_plain_files_and_the_summary_warns_when_most_are_undated(tmp_path: Path) -> None:
    corpus = tmp_path / "crawl"
    _write(corpus / "2024-03-12", "a.txt", ARTICLE)
    _write(corpus / "2024" / "03" / "13", "b.txt", [ARTICLE[0] + " (suite)", *ARTICLE[1:3]])
    undated = build([corpus], tmp_path / "plain.duckdb", _config())
    assert undated.undated == 2
    assert any("[W108]" in w for w in undated.warnings)
    dated = build([corpus], tmp_path / "dated.duckdb", _config(ingest={"date_from_path": True}))
    assert dated.undated == 0 and not any("[W108]" in w for w in dated.warnings)
    with duckdb.connect(str(tmp_path / "dated.duckdb"), read_only=True) as con:
        rows = dict(con.execute("SELECT id, published_value || ' ' || published_basis || ' ' || published_evidence "
                                "FROM documents").fetchall())
    assert rows["a"].startswith("2024-03-12 explicit date in the path")
    assert rows["b"].startswith("2024-03-13 explicit")


def test_a_stated_date_wins_over_the_path(tmp_path: Path) -> None:
    corpus = tmp_path / "crawl"
    _write(corpus / "2020-01-01", "a.txt", [ARTICLE[0], "Publié le 12 mars 2024 à 09h30", *ARTICLE[1:]])
    build([corpus], tmp_path / "k.duckdb", _config(ingest={"date_from_path": True}))
    with duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True) as con:
        assert con.execute("SELECT published_value FROM documents").fetchone() == ("2024-03-12T09:30",)


def test_build_cli_takes_a_sidecar_metadata_file(tmp_path: Path) -> None:
    corpus = tmp_path / "texts"
    _write(corpus, "a.txt", ARTICLE[1:])
    meta = tmp_path / "meta.csv"
    meta.write_text("id,published,outlet,url,title\na,2024-03-12,Le Courrier du Val,https://example.org/a,"
                    "Un plan contre la sécheresse\nzz,2024-01-01,,,\n", "utf-8")
    kb = tmp_path / "k.duckdb"
    result = CliRunner().invoke(main, ["build", str(corpus), "--kb", str(kb), "--meta", str(meta), "--json"])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(kb), read_only=True) as con:
        row = con.execute("SELECT outlet, title, url, published_value, evidence FROM documents").fetchone()
    assert row is not None and row[:4] == ("Le Courrier du Val", "Un plan contre la sécheresse",
                                           "https://example.org/a", "2024-03-12")
    assert "meta.csv" in json.loads(row[4])["outlet"]


def test_the_same_file_name_in_two_folders_builds(tmp_path: Path) -> None:
    _write(tmp_path / "a", "x.txt", ARTICLE)
    _write(tmp_path / "b", "x.txt", [ARTICLE[0], "Une autre dépêche sur un autre sujet, publiée le même jour.",
                                     ARTICLE[3]])
    summary = build([tmp_path / "a", tmp_path / "b"], tmp_path / "k.duckdb", _config())
    assert (summary.read, summary.accepted, summary.failed) == (2, 2, 0)
    more = _write(tmp_path / "c", "x.txt", [ARTICLE[0], "Et une troisième version, écrite par une autre rédaction."])
    again = build([more], tmp_path / "k.duckdb", _config())
    assert again.accepted == 1 and again.documents == 3


def _blog_page(comments: int) -> list[str]:
    """An invented blog post followed by thousands of reader comments (about 2 MB)."""
    rng = random.Random(7)
    words = ("vraiment", "article", "merci", "je", "pense", "que", "vous", "avez", "tort", "raison", "sur", "ce",
             "point", "la", "région", "mérite", "mieux", "franchement", "bravo", "encore", "une", "fois")
    lines = ["Accueil", "Le blog des Monts", *ARTICLE, f"{comments} commentaires"]
    for i in range(comments):
        lines.append(f"lecteur{i % 97} le {1 + i % 28:02d}/03/2024 à {i % 24:02d}h{i % 60:02d}")
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(25, 60))).capitalize() + " !")
        lines.append("Répondre")
    return lines


def test_a_page_of_two_megabytes_with_thousands_of_comments_builds(tmp_path: Path) -> None:
    page = _write(tmp_path / "blog", "post.txt", _blog_page(7000))
    assert page.stat().st_size >= 2_000_000
    summary = build([tmp_path / "blog"], tmp_path / "k.duckdb", _config())
    assert (summary.accepted, summary.failed, summary.rejected) == (1, 0, 0)
    with duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True) as con:
        text, sentences = con.execute("SELECT text, len(sentences) FROM documents").fetchone()  # type: ignore[misc]
        reasons = dict(con.execute("SELECT reason, count(*) FROM removals GROUP BY 1").fetchall())
    assert text.split("\n\n") == ARTICLE[1:]
    assert sentences >= 3
    assert reasons["comments"] >= 14_000


def test_too_long_a_text_is_stored_and_recorded_not_analysed(tmp_path: Path) -> None:
    _write(tmp_path / "c", "long.txt", ARTICLE * 30)
    _write(tmp_path / "c", "short.txt", ARTICLE[1:3])
    summary = build([tmp_path / "c"], tmp_path / "k.duckdb", _config(nlp={"max_chars": 1_000},
                                                                      clean={"min_repeat_chars": 10_000}))
    assert summary.failed == 1 and summary.accepted == 2
    with duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True) as con:
        assert con.execute("SELECT doc_id, code FROM failures").fetchall() == [("long", "R212")]
        assert con.execute("SELECT code, reason FROM inputs WHERE doc_id = 'long'").fetchone() == \
            ("R212", "stage_failed")
        assert con.execute("SELECT count(*) FROM mentions WHERE doc_id = 'short'").fetchone()[0] > 0  # type: ignore[index]


def test_a_stage_failing_on_every_document_is_recorded_and_the_build_goes_on(tmp_path: Path) -> None:
    _write(tmp_path / "c", "a.txt", ARTICLE)
    summary = build([tmp_path / "c"], tmp_path / "k.duckdb", _config(nlp={"fr_model": "no_such_pipeline"}))
    assert summary.failed == 1 and summary.documents == 1
    assert any("[R211]" in w and "R205" in w for w in summary.warnings)


@pytest.fixture(scope="session")
def libya_pages(shared: Path, tmp_path_factory: pytest.TempPathFactory, config: Config) -> dict[str, Path]:
    """libya2011-dev.jsonl built as given, and built again with its outlets removed (pages only)."""
    from recoupe import export

    tmp = tmp_path_factory.mktemp("libya")
    stripped = tmp / "no-outlet.jsonl"
    with stripped.open("w", encoding="utf-8") as out:
        for line in (shared / "gold" / "libya2011-dev.jsonl").read_text("utf-8").splitlines():
            record = json.loads(line)
            record.pop("outlet", None)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    found = {}
    for name, source in (("given", shared / "gold" / "libya2011-dev.jsonl"), ("pages", stripped)):
        build([source], tmp / f"{name}.duckdb", config)
        export(tmp / f"{name}.duckdb", tmp / name)
        found[name] = tmp / name
    return found


def test_libya_pages_are_cleaned_as_the_gold_says(shared: Path, libya_pages: dict[str, Path]) -> None:
    from recoupe.eval.seeds import score_export

    report = score_export(shared / "gold" / "libya2011-dev.json", libya_pages["given"])
    assert report["body_kept"]["score"] == 1.0, report["body_kept"]["misses"]
    assert report["boilerplate_removed"]["score"] >= 0.95, report["boilerplate_removed"]["misses"]
    assert report["comments_removed"]["score"] >= 0.95, report["comments_removed"]["misses"]
    assert report["titles"]["correct"] >= 14, report["titles"]["misses"]
    pages = score_export(shared / "gold" / "libya2011-dev.json", libya_pages["pages"])
    # outlets read off the pages alone: every page that names its site (the gold's two Global Voices
    # pages do not; the file name is the only evidence)
    assert pages["outlets"]["correct"] >= 13, pages["outlets"]["misses"]
