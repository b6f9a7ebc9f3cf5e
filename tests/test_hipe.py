"""HIPE TSV reader and NER scorer on a tiny invented file; the real hipe2020 dev file when ../shared is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.errors import EvalError
from recoupe.eval import hipe
from recoupe.eval.hipe import HipeDoc, HipeEntity, bcubed, evaluate_hipe, read_hipe, score_ner, token_span

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HIPE_DEV = SHARED / "data" / "hipe2022-fr-dev" / "HIPE-2022-v2.1-hipe2020-dev-fr.tsv"

HEADER = "\t".join(hipe.COLUMNS)

# Invented sentences: (token, coarse literal tag, NEL-LIT, MISC).
DOC1 = [
    ("M", "B-pers", "Q90001", "NoSpaceAfter"),
    (".", "I-pers", "Q90001", "_"),
    ("Durand", "I-pers", "Q90001", "_"),
    ("quitta", "O", "_", "_"),
    ("Lyon", "B-loc", "Q90002", "NoSpaceAfter"),
    (",", "O", "_", "_"),
    ("lundi", "O", "_", "EndOfLine"),
    ("pour", "O", "_", "_"),
    ("la", "O", "_", "_"),
    ("Banque", "B-org", "NIL", "_"),
    ("de", "I-org", "NIL", "_"),
    ("Savoie", "I-org", "NIL", "NoSpaceAfter"),
    (".", "O", "_", "EndOfSentence"),
]
DOC2 = [
    ("Le", "O", "_", "_"),
    ("Journal", "B-prod", "_", "_"),
    ("du", "I-prod", "_", "_"),
    ("Soir", "I-prod", "_", "_"),
    ("#", "O", "_", "_"),  # a token that looks like a comment
    ("12", "O", "_", "_"),
    ("cite", "O", "_", "_"),
    ("M", "B-pers", "Q90001", "NoSpaceAfter"),
    (".", "I-pers", "Q90001", "_"),
    ("Durand", "I-pers", "Q90001", "_"),
    ("à", "O", "_", "_"),
    ("Lyon", "B-loc", "Q90002", "EndOfLine"),
    ("et", "O", "_", "_"),
    ("à", "O", "_", "_"),
    ("Paris", "I-loc", "Q90003", "NoSpaceAfter|EndOfSentence"),  # I- after O opens an entity
    (".", "O", "_", "_"),
]
TEXT1 = "M. Durand quitta Lyon, lundi pour la Banque de Savoie."
TEXT2 = "Le Journal du Soir # 12 cite M. Durand à Lyon et à Paris."


def _lines(doc_id: str, date: str, rows: list[tuple[str, str, str, str]]) -> list[str]:
    out = [f"# hipe2022:document_id = {doc_id}", f"# hipe2022:date = {date}", "# hipe2022:language = fr"]
    out += [f"{tok}\t{tag}\tO\tO\tO\tO\tO\t{nel}\t_\t{misc}" for tok, tag, nel, misc in rows]
    return out


@pytest.fixture()
def tsv(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.tsv"
    lines = [HEADER, *_lines("d1", "1901-02-03", DOC1), "", *_lines("d2", "1902-03-04", DOC2), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture()
def docs(tsv: Path) -> list[HipeDoc]:
    return read_hipe(tsv)


def test_text_is_rebuilt_with_offsets(docs: list[HipeDoc]) -> None:
    assert [(d.id, d.date) for d in docs] == [("d1", "1901-02-03"), ("d2", "1902-03-04")]
    assert [d.text for d in docs] == [TEXT1, TEXT2]
    for doc, rows in zip(docs, (DOC1, DOC2), strict=True):
        assert len(doc.tokens) == len(rows)
        assert [doc.text[s:e] for s, e in doc.tokens] == [row[0] for row in rows]
    assert docs[0].tokens[:6] == ((0, 1), (1, 2), (3, 9), (10, 16), (17, 21), (21, 22))


def test_iob_decoding_with_qids(docs: list[HipeDoc]) -> None:
    assert docs[0].entities == (
        HipeEntity(0, 9, "pers", 0, 3, "Q90001"),
        HipeEntity(17, 21, "loc", 4, 5, "Q90002"),
        HipeEntity(37, 53, "org", 9, 12, None),
    )
    assert docs[1].entities == (
        HipeEntity(3, 18, "prod", 1, 4, None),
        HipeEntity(29, 38, "pers", 7, 10, "Q90001"),
        HipeEntity(41, 45, "loc", 11, 12, "Q90002"),
        HipeEntity(51, 56, "loc", 14, 15, "Q90003"),
    )
    assert [docs[1].text[e.start:e.end] for e in docs[1].entities] == ["Journal du Soir", "M. Durand", "Lyon", "Paris"]


def test_char_spans_map_to_overlapped_tokens(docs: list[HipeDoc]) -> None:
    doc = docs[0]
    assert token_span(doc, 0, 9) == (0, 3)
    assert token_span(doc, 4, 6) == (2, 3)  # inside "Durand"
    assert token_span(doc, 8, 12) == (2, 4)  # "d qu"
    assert token_span(doc, 9, 10) is None  # the space alone


# Hand-made predictions: see the comments for what each one is worth.
PREDICTIONS = {
    "d1": [
        (3, 9, "pers"),  # "Durand": fuzzy only
        (17, 21, "loc"),  # "Lyon": strict
        (37, 43, "org"),  # "Banque": fuzzy only
        (23, 28, "loc"),  # "lundi": spurious
    ],
    "d2": [
        (3, 18, "prod"),  # strict, but prod is not scored by default
        (29, 38, "pers"),  # strict
        (41, 45, "org"),  # "Lyon" with the wrong type
        (51, 57, "loc"),  # "Paris.": fuzzy only
    ],
    "unknown": [(0, 2, "pers")],  # ignored
}


def test_strict_and_fuzzy_micro(docs: list[HipeDoc]) -> None:
    report = score_ner(docs, PREDICTIONS)
    assert report["types"] == ["pers", "loc", "org"]
    assert (report["gold"], report["predicted"]) == (6, 7)
    assert report["strict"] == {"precision": 0.2857, "recall": 0.3333, "f1": 0.3077,
                                "matched_predicted": 2, "matched_gold": 2}
    assert report["fuzzy"] == {"precision": 0.7143, "recall": 0.8333, "f1": 0.7692,
                               "matched_predicted": 5, "matched_gold": 5}
    per_type = report["per_type"]
    assert {t: (v["gold"], v["predicted"]) for t, v in per_type.items()} == {
        "pers": (2, 2), "loc": (3, 3), "org": (1, 2)}
    assert {t: v["strict"]["f1"] for t, v in per_type.items()} == {"pers": 0.5, "loc": 0.3333, "org": 0.0}
    assert {t: v["fuzzy"]["f1"] for t, v in per_type.items()} == {"pers": 1.0, "loc": 0.6667, "org": 0.6667}
    assert per_type["org"]["fuzzy"]["precision"] == 0.5 and per_type["org"]["fuzzy"]["recall"] == 1.0


def test_type_filter(docs: list[HipeDoc]) -> None:
    prod = score_ner(docs, PREDICTIONS, types=("prod",))
    assert (prod["gold"], prod["predicted"], prod["strict"]["f1"], prod["fuzzy"]["f1"]) == (1, 1, 1.0, 1.0)
    loc = score_ner(docs, PREDICTIONS, types=("loc",))
    assert {k: loc[k] for k in ("gold", "predicted", "strict", "fuzzy")} == {
        k: score_ner(docs, PREDICTIONS)["per_type"]["loc"][k] for k in ("gold", "predicted", "strict", "fuzzy")}
    assert score_ner(docs, {}, types=("time",))["gold"] == 0


def test_one_prediction_over_two_golds(docs: list[HipeDoc]) -> None:
    report = score_ner(docs, {"d2": [(41, 56, "loc"), (2, 3, "loc")]}, types=("loc",))  # "Lyon et à Paris", a space
    assert report["predicted"] == 2
    assert report["strict"]["f1"] == 0.0
    assert report["fuzzy"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714,
                               "matched_predicted": 1, "matched_gold": 2}


def test_bcubed_hand_made(docs: list[HipeDoc]) -> None:
    predicted = {
        ("d1", 0, 9): "x",  # Q90001
        ("d2", 29, 38): "x",  # Q90001
        ("d1", 17, 21): "x",  # Q90002, wrongly merged with Q90001
        ("d2", 41, 45): "y",  # Q90002, split from its other mention
        ("d1", 37, 53): "z",  # NIL gold: not evaluated
    }  # ("d2", 51, 56) Q90003: not found, lowers coverage only
    assert bcubed(docs, predicted) == {
        "mentions": 4, "gold_qid_mentions": 5, "coverage": 0.8, "gold_entities": 2, "predicted_entities": 2,
        "precision": 0.6667, "recall": 0.75, "f1": 0.7059,
    }
    perfect = {("d1", 0, 9): 1, ("d2", 29, 38): 1, ("d1", 17, 21): 2, ("d2", 41, 45): 2, ("d2", 51, 56): 3}
    assert bcubed(docs, perfect)["f1"] == 1.0
    assert bcubed(docs, {})["mentions"] == 0 and bcubed(docs, {})["f1"] == 0.0


def test_label_mapping() -> None:
    assert [hipe.map_label(x) for x in ("PER", "LOC", "GPE", "FAC", "ORG", "MISC", "EVENT", "EQUIPMENT", "?")] == [
        "pers", "loc", "loc", "loc", "org", None, None, None, None]


def test_evaluate_wiring_without_spacy(tsv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_baseline(docs: list[HipeDoc], model: str = "") -> dict[str, list[tuple[int, int, str]]]:
        return {d.id: [(e.start, e.end, e.type) for e in d.entities] for d in docs}

    def system(texts: list[tuple[str, str]]) -> dict[str, list[tuple[int, int, str]]]:
        assert texts == [("d1", TEXT1), ("d2", TEXT2)]
        return PREDICTIONS

    monkeypatch.setattr(hipe, "spacy_baseline", fake_baseline)
    report = evaluate_hipe(tsv.parent, system)
    assert report["documents"] == 2
    assert report["gold"] == {"loc": 3, "org": 1, "pers": 2, "prod": 1, "total": 7}
    assert report["spacy"]["strict"]["f1"] == 1.0
    assert report["recoupe"]["fuzzy"]["f1"] == 0.7692
    assert "recoupe" not in evaluate_hipe(tsv)


def test_no_files_or_documents_raise(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match=r"\[R506\]"):
        evaluate_hipe(tmp_path)
    with pytest.raises(EvalError, match=r"\[R506\]"):
        evaluate_hipe(tmp_path / "missing.tsv")
    (tmp_path / "empty.tsv").write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"\[R506\]"):
        evaluate_hipe(tmp_path)
    (tmp_path / "empty.tsv").write_text(HEADER + "\nnot\ta\thipe\tline\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"\[R506\].*line 2"):
        read_hipe(tmp_path / "empty.tsv")


@pytest.mark.skipif(not HIPE_DEV.is_file(), reason="../shared is absent: HIPE dev file not available")
def test_real_hipe2020_dev_counts() -> None:
    docs = read_hipe(HIPE_DEV)
    assert len(docs) == 43
    assert hipe.gold_counts(docs) == {"loc": 774, "org": 159, "pers": 679, "prod": 49, "time": 68, "total": 1729}
    for doc in docs:
        assert doc.date[:2] in {"17", "18", "19", "20"}
        assert all(doc.tokens[e.token_start][0] == e.start and doc.tokens[e.token_end - 1][1] == e.end
                   for e in doc.entities)
