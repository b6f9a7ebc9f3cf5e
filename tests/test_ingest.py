"""Ingest: reading, decoding, text headers, HTML and JSONL."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.config import Config
from recoupe.model import Rejection
from recoupe.stages.ingest import parse, read_inputs
from recoupe.stages.ingest.dates import find_stated_date, normalise_date_field
from recoupe.stages.ingest.header import credit_name, parse_byline
from recoupe.testing import make_raw

BODY = (
    "Le ministre de l'Équipement a inauguré lundi un nouveau tronçon de route entre deux villes "
    "de la région, a indiqué son cabinet dans un communiqué publié en fin de journée.\n\n"
    "Les travaux, commencés il y a trois ans, ont coûté 40 millions d'euros selon le ministère.\n"
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "19 juillet 2022 - 18h20 - Monde - Ecrit par : P. A",
            {"published": "2022-07-19T18:20", "section": "Monde", "author": "P. A"},
        ),
        (
            "Publié le 03/02/2024 à 09h05 | Économie | Par Jeanne Roux",
            {"published": "2024-02-03T09:05", "section": "Économie", "author": "Jeanne Roux"},
        ),
        ("March 4, 2023 - By John Doe", {"published": "2023-03-04", "author": "John Doe"}),
        ("Ecrit par : K. Dupont - Société", {"author": "K. Dupont", "section": "Société"}),
    ],
)
def test_byline_reads_date_time_section_author(line: str, expected: dict[str, str]) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Le 19 juillet 2022, le ministre a signé un accord avec son homologue pour trois ans de coopération.",
        "Par ailleurs, les deux pays ont convenu de se revoir au printemps prochain pour un bilan.",
    ],
)
def test_byline_rejects_body_sentences(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("le 31 février 2023 puis le 2 mars 2023", "2023-03-02"), ("1er mai 2024", "2024-05-01"), ("sans date", None)],
)
def test_stated_dates_are_valid_calendar_dates(text: str, value: str | None) -> None:
    found = find_stated_date(text)
    assert (found.value if found else None) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-05-08T10:15:00+02:00", "2024-05-08T10:15"),
        ("2024-05-08", "2024-05-08"),
        ("8 mai 2024", "2024-05-08"),
        ("pas une date", None),
    ],
)
def test_date_fields_normalise_to_iso(raw: str, value: str | None) -> None:
    assert normalise_date_field(raw) == value


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("© Copyright Le Petit Quotidien", "Le Petit Quotidien"),
        ("(c) 2024 Gazette - Tous droits réservés", "Gazette"),
        ("La loi sur le copyright a été votée hier par les députés.", None),
    ],
)
def test_credit_lines_name_the_outlet(line: str, name: str | None) -> None:
    assert credit_name(line) == name


def test_text_header_gives_title_byline_dateline_and_credit(config: Config) -> None:
    text = (
        "Une route neuve entre deux villes\n\n"
        "8 mai 2024 - 10h15 - Régions - Ecrit par : M. Diallo\n\n"
        "DAKAR: " + BODY + "\n© Copyright Le Petit Quotidien\n"
    )
    doc = parse(make_raw(text), config.ingest)
    assert not isinstance(doc, Rejection)
    assert (doc.title, doc.author, doc.section, doc.outlet, doc.dateline) == (
        "Une route neuve entre deux villes",
        "M. Diallo",
        "Régions",
        "Le Petit Quotidien",
        "DAKAR",
    )
    assert (doc.published.value, doc.published.basis) == ("2024-05-08T10:15", "explicit")
    assert "8 mai 2024" in (doc.published.evidence or "")
    assert [(m.number, m.reason) for m in doc.meta_lines] == [(1, "headline"), (3, "byline"), (9, "credit")]
    assert doc.language == "fr"


def test_undated_text_stays_unknown(config: Config) -> None:
    doc = parse(make_raw(BODY), config.ingest)
    assert not isinstance(doc, Rejection)
    assert (doc.published.value, doc.published.basis, doc.title) == (None, "unknown", None)


def test_outlet_from_follow_prompt(config: Config) -> None:
    doc = parse(make_raw(BODY + "\nSuivez La Voix des Collines sur WhatsApp\n"), config.ingest)
    assert not isinstance(doc, Rejection)
    assert doc.outlet == "La Voix des Collines"


@pytest.mark.parametrize(
    ("data", "code", "reason"),
    [
        (b"", "R301", "empty"),
        (b"  \n\t\n", "R301", "empty"),
        (b"abc\x00\x01\x02def" * 20, "R302", "binary"),
        (b"\x01\x02\x03\x04\x05 texte" * 10, "R302", "binary"),
    ],
)
def test_bad_bytes_are_rejected_with_codes(config: Config, data: bytes, code: str, reason: str) -> None:
    result = parse(make_raw(data), config.ingest)
    assert isinstance(result, Rejection)
    assert (result.code, result.reason) == (code, reason)
    assert result.message.startswith(f"[{code}]")


def test_latin1_is_decoded_with_a_warning(config: Config) -> None:
    doc = parse(make_raw(BODY.encode("latin-1")), config.ingest)
    assert not isinstance(doc, Rejection)
    assert "Équipement" in doc.lines[0].text
    assert any(w.startswith("[W101]") for w in doc.warnings)


def test_html_body_and_metadata_with_trafilatura(config: Config) -> None:
    html = (
        "<html><head><title>Route neuve - Le Petit Quotidien</title>"
        '<meta property="og:site_name" content="Le Petit Quotidien">'
        '<meta name="author" content="Awa Sarr">'
        '<meta property="article:published_time" content="2024-05-08T10:15:00+02:00"></head>'
        "<body><nav>Accueil | Régions</nav><article><h1>Route neuve</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "<script>alert('x')</script></article><footer>© Le Petit Quotidien</footer></body></html>"
    )
    doc = parse(make_raw(html, fmt="html"), config.ingest)
    assert not isinstance(doc, Rejection)
    assert (doc.outlet, doc.author, doc.published.value) == ("Le Petit Quotidien", "Awa Sarr", "2024-05-08T10:15")
    assert all("alert" not in line.text for line in doc.lines)
    assert any("40 millions" in line.text for line in doc.lines)


def test_jsonl_records_bad_lines_and_ids(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "r1", "title": "T", "text": "' + BODY.replace("\n", "\\n") + '", "published": "2024-05-08",'
        ' "outlet": "Feed", "lang_hint": "fr"}\n'
        "\n"
        "{not json\n"
        '{"id": "r3", "title": "sans corps"}\n'
        "[1, 2]\n"
        '{"text": "' + BODY.replace("\n", "\\n") + '"}\n',
        encoding="utf-8",
    )
    items = list(read_inputs([path], config.ingest))
    assert [getattr(i, "code", None) for i in items] == [None, "R305", "R306", "R311", None]
    first = parse(items[0], config.ingest)  # type: ignore[arg-type]
    assert not isinstance(first, Rejection)
    assert (first.id, first.outlet, first.published.value, first.published.basis) == (
        "r1",
        "Feed",
        "2024-05-08",
        "explicit",
    )
    assert first.extras == {"lang_hint": "fr"}
    assert items[-1].doc_id.startswith("h") and len(items[-1].doc_id) == 17  # type: ignore[union-attr]


def test_folders_are_read_recursively_and_every_file_yields_one_item(tmp_path: Path, config: Config) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.htm").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.txt").write_text(BODY, encoding="utf-8")
    items = list(read_inputs([tmp_path], config.ingest))
    assert sorted(Path(i.source).name for i in items) == ["notes.pdf", "one.txt", "two.htm"]
    assert [i.code for i in items if isinstance(i, Rejection)] == ["R308"]


@pytest.mark.parametrize(
    ("text", "language", "flag"),
    [
        ("The city council voted on Tuesday for a budget that raises spending on schools by four percent, "
         "while the opposition denounced higher local taxes.", "en", None),
        ("Der Stadtrat hat am Dienstag einen Haushalt beschlossen, der die Ausgaben für Schulen um vier Prozent "
         "erhöht, während die Opposition höhere Steuern kritisierte.", "de", "[W103]"),
        ("zzq xxv qqj 12 77 zzq xxv", "und", "[W102]"),
    ],
)
def test_language_is_identified_and_unsupported_or_unknown_is_flagged(
    config: Config, text: str, language: str, flag: str | None
) -> None:
    doc = parse(make_raw(text), config.ingest)
    assert not isinstance(doc, Rejection)
    assert doc.language == language
    assert [w[:6] for w in doc.warnings] == ([flag] if flag else [])
