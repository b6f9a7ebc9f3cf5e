"""Dedupe: exact copies, near-duplicates, families; independent of input order."""

from __future__ import annotations

import random

import pytest

from recoupe.config import load_config
from recoupe.model import DocId
from recoupe.stages.dedupe import DocKey, find_duplicates, shingles, signature

WORDS = [
    "le",
    "conseil",
    "municipal",
    "a",
    "voté",
    "mardi",
    "soir",
    "un",
    "budget",
    "en",
    "hausse",
    "pour",
    "les",
    "écoles",
    "de",
    "la",
    "ville",
    "tandis",
    "que",
    "l'opposition",
    "dénonce",
    "des",
    "impôts",
    "trop",
    "lourds",
    "et",
    "demande",
    "un",
    "audit",
    "des",
    "comptes",
    "publics",
    "avant",
    "l'été",
]


def _text(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 50)) for _ in range(n))


def _keys(texts: dict[str, str], published: dict[str, str] | None = None) -> list[DocKey]:
    cfg = load_config().dedupe
    import hashlib

    return [
        DocKey(
            DocId(i),
            hashlib.sha256(t.encode()).hexdigest(),
            (published or {}).get(i),
            signature(shingles(t, cfg.shingle_words), cfg),
        )
        for i, t in texts.items()
    ]


def test_exact_copy_points_to_the_earliest() -> None:
    base = _text(1)
    texts = {"a": base, "b": base, "c": _text(2)}
    found = find_duplicates(_keys(texts, {"a": "2024-05-02", "b": "2024-05-01"}), texts, load_config().dedupe)
    assert dict(found.duplicate_of) == {"a": "b"}
    assert found.family == {"a": "fam-a", "b": "fam-a"}


def test_near_copy_is_found_and_a_different_text_is_not() -> None:
    base = _text(1)
    words = base.split()
    edited = " ".join([*words[:60], "phrase", "ajoutée", "par", "le", "second", "site", *words[60:]])
    texts = {"orig": base, "edit": edited, "other": _text(3)}
    found = find_duplicates(_keys(texts), texts, load_config().dedupe)
    assert [(e.a, e.b) for e in found.edges] == [("edit", "orig")]
    assert found.edges[0].jaccard > 0.8
    assert found.near(DocId("orig")) == ("edit",)
    assert "other" not in found.family


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_result_does_not_depend_on_input_order(seed: int) -> None:
    base, other = _text(1), _text(5)
    texts = {"a": base, "b": base + " fin", "c": base, "d": other, "e": other.replace("0", "1", 3)}
    keys = _keys(texts)
    reference = find_duplicates(keys, texts, load_config().dedupe)
    random.Random(seed).shuffle(keys)
    shuffled = find_duplicates(keys, texts, load_config().dedupe)
    assert (dict(shuffled.duplicate_of), shuffled.edges, dict(shuffled.family)) == (
        dict(reference.duplicate_of),
        reference.edges,
        dict(reference.family),
    )
