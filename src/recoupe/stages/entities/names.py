"""Name normalisation: folding, transliteration-aware keys for romanised names, and name compatibility."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

from recoupe.lexicon import load

_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼ"})
_NON_WORD = re.compile(r"[^\w']+")
_ROMAN = re.compile(r"^[ivxlc]+$")


def fold(text: str) -> str:
    """Lower-case, accents stripped, apostrophes straight, hyphens and punctuation as single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


@cache
def _rules() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    data = load("entities")
    return tuple((a, b) for a, b in data["transliteration"]), frozenset(data["name_particles"])


def particles() -> frozenset[str]:
    return _rules()[1]


def name_parts(name: str) -> list[str]:
    """Folded words of a name without particles ("Mohamed Ould Cheikhna" -> ["mohamed", "cheikhna"])."""
    words = fold(name).replace("'", " ").split()
    kept = [w for w in words if w not in particles()]
    return kept or words


def skeleton(word: str) -> str:
    """Transliteration-aware key of one romanised word: equivalent spellings share it.

    "Cheikhna"/"Chekhna" -> "hn"; "Mohamed"/"Mohammed" -> "mhmd"; "Youssef"/"Yousef" -> "sf";
    "Rachid"/"Rashid" -> "rhd". Rules (data/entities.toml) fold kh/ch/h, q/k, ou/u,
    ei/ai/i, y/i...; doubled letters collapse; vowels after the first letter drop.
    """
    word = fold(word).replace(" ", "").replace("'", "")
    if not word:
        return ""
    for a, b in _rules()[0]:
        word = word.replace(a, b)
    word = re.sub(r"(.)\1+", r"\1", word)
    head, tail = word[0], re.sub(r"[aeiou]", "", word[1:])
    key = (head if head not in "aeiou" else "") + tail
    return re.sub(r"(.)\1+", r"\1", key) or head


def surname_key(name: str) -> str:
    """Skeleton of the last name word (the whole name for a single word)."""
    parts = name_parts(name)
    if len(parts) > 1 and _ROMAN.match(parts[-1]):
        return skeleton(parts[-2]) + parts[-1]  # regnal numbers: "Mohammed VI"
    return skeleton(parts[-1]) if parts else ""


def surname_keys(name: str) -> set[str]:
    """Every key a surname may be filed under: its skeleton, and glued to a particle or the word
    before it ("Ben Slimane" and "Benslimane" meet on "bnslmn")."""
    words = fold(name).replace("'", " ").split()
    keys = {surname_key(name)}
    if len(words) >= 2:
        keys.add(skeleton(words[-2] + words[-1]))
    return {k for k in keys if k}


def first_names(name: str) -> list[str]:
    parts = name_parts(name)
    return parts[:-1] if len(parts) > 1 else []


def first_names_compatible(a: str, b: str) -> tuple[bool, float]:
    """Whether two names' given names can be the same person's, and how alike they are.

    A missing given name is compatible (score 0.5); otherwise the skeletons must agree, or the
    spellings be close (Jaro-Winkler >= 0.8) or sound alike (Metaphone).
    """
    fa, fb = first_names(a), first_names(b)
    if not fa or not fb:
        return True, 0.5
    x, y = " ".join(fa), " ".join(fb)
    if skeleton(x) == skeleton(y):
        return True, 1.0
    similarity = JaroWinkler.similarity(x, y)
    if similarity >= 0.8 or jellyfish.metaphone(x) == jellyfish.metaphone(y):
        return True, similarity
    return False, similarity


def name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of the folded names, particles removed."""
    return JaroWinkler.similarity(" ".join(name_parts(a)), " ".join(name_parts(b)))
