"""Name normalisation: folding, transliteration-aware keys for romanised names, and name compatibility."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

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


# Arabic article assimilated to the next consonant and written with a hyphen ("ad-Din", "as-Sadr",
# "an-Nour", "ech-Chergui"): a particle like al-/el-.
_ASSIMILATED = re.compile(r"(?<![\w])[ae](?:[dlnrstz]|sh|ch|th|dh|dd|ss|zz)[-‐‑](?=\w)", re.I)
# "Abd" compounds: "Abdel Madjid" / "Abd el-Madjid" / "Abdelmajid" / "Abdul Majid" / "Abd Allah" / "Abdallah"
_ABD = re.compile(r"\babd(?:\s+|-)?(?:(?:el|al|ul|oul|ol|il|ou|e|a|u)(?:\s+|-)?)?(?=\w)")


def name_parts(name: str) -> list[str]:
    """Folded words of a name without particles ("Mohamed Ould Cheikh" -> ["mohamed", "cheikh"]);
    assimilated articles dropped ("Nour ad-Din" -> ["nour", "din"]), "Abd" compounds glued
    ("Abd el-Kader", "Abdelkader" -> ["abdelkader"])."""
    text = _ASSIMILATED.sub(" ", name)
    words = _ABD.sub("abdel", fold(text).replace("'", " ")).split()
    kept = [w for w in words if w not in particles()]
    return kept or words


def skeleton(word: str) -> str:
    """Transliteration-aware key of one romanised word: equivalent spellings share it.

    "Cheikh"/"Chekh" -> "h"; "Mohamed"/"Mohammed" -> "mhmd"; "Youssef"/"Yousef" -> "sf";
    "Rachid"/"Rashid" -> "rhd". Rules (data/entities.toml) fold kh/ch/h, q/k, ou/u,
    ei/ai/i, y/i...; doubled letters collapse; vowels after the first letter drop.
    """
    word = _spelling(word)
    if not word:
        return ""
    head, tail = word[0], re.sub(r"[aeiou]", "", word[1:])
    key = (head if head not in "aeiou" else "") + tail
    return re.sub(r"(.)\1+", r"\1", key) or head


def _spelling(word: str) -> str:
    """A romanised word with the transliteration rules applied (vowels kept): the base of the keys."""
    word = fold(word).replace(" ", "").replace("'", "")
    if not word:
        return ""
    # an initial velar or uvular consonant is written k, kh, q, g, gu or gh ("Kadhafi", "Khadafi",
    # "Qaddafi", "Gaddafi", "Gueddafi"): one letter at the start of a name
    word = re.sub(r"^(?:kh|gh|gu(?=[ei])|q|g(?![ei]))", "k", word)
    word = re.sub(r"(?<=[aeiouy])h$", "", word)  # a final h after a vowel is silent ("Zaouïah")
    for a, b in _rules()[0]:
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def place_key(name: str) -> str:
    """A place name's spelling key, vowels kept ("Zaouïa", "Zawiya", "Zaouïah" -> "sauia")."""
    return " ".join(_spelling(w) for w in name_parts(name))


def given_key(word: str) -> str:
    """A stricter key for given names: the skeleton, whether the name starts and ends with a vowel,
    and how many vowel groups it has ("Seif"/"Saïf" -> "sf:c1c"; "Safia" -> "sf:c2v": a mother and
    her son are not one person because their consonants agree)."""
    spelled = _spelling(word)
    if not spelled:
        return ""
    # a y before a vowel is a consonant ("Sayyaf" has two vowel groups, "Seif" one)
    groups = len(re.findall(r"[aeiou]+", re.sub(r"y(?=[aeiou])", "j", fold(word).replace(" ", ""))))
    start = "v" if spelled[0] in "aeiou" else "c"
    end = "v" if spelled[-1] in "aeiou" else "c"
    return f"{skeleton(word)}:{start}{groups}{end}"


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


def given_match(x: str, y: str) -> bool:
    """One given name against another: the same given-name key, or the same skeleton and ends with a
    very close spelling (Jaro-Winkler >= 0.9: "Abdeltif" / "Abdellatif")."""
    kx, ky = given_key(x), given_key(y)
    if len(kx.split(":")[0]) < 2:
        return _spelling(x) == _spelling(y)  # too few consonants to compare ("Ali" / "Allah")
    if kx == ky:
        return True
    (sx, fx), (sy, fy) = kx.split(":"), ky.split(":")
    # k and h are one letter here: kh is written for qaf as for kha ("Abdelkader" / "Abdelkhader")
    same_frame = sx.replace("h", "k") == sy.replace("h", "k") and fx[0] == fy[0] and fx[-1] == fy[-1]
    return same_frame and JaroWinkler.similarity(x, y) >= 0.9


def first_names_compatible(a: str, b: str) -> tuple[bool, float]:
    """Whether two names' given names can be the same person's, and how alike they are.

    A missing given name is compatible (score 0.5). Otherwise every given name of the shorter list
    must match the given name in the same place of the longer (``given_key``; "Seif" and
    "Seif el-Islam": score 0.75, a partial match the resolver accepts only when it is the one
    extension), and equal lists score 1.0. Different given names are different people, whatever
    the surname: family members share surnames.
    """
    fa, fb = first_names(a), first_names(b)
    if not fa or not fb:
        return True, 0.5
    short, long = sorted((fa, fb), key=len)
    if all(given_match(x, y) for x, y in zip(short, long, strict=False)):
        return True, 1.0 if len(short) == len(long) else 0.75
    return False, JaroWinkler.similarity(" ".join(fa), " ".join(fb))


def name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of the folded names, particles removed."""
    return JaroWinkler.similarity(" ".join(name_parts(a)), " ".join(name_parts(b)))


def surname_match(a: str, b: str) -> bool:
    """Whether two names end with the same surname by the strict key (``given_match``), the last two
    words glued counted too ("Ben Slimane" / "Benslimane"): a short skeleton alone is not enough
    ("Ouyahia" and "Aïcha" share one)."""
    def forms(name: str) -> set[str]:
        parts, words = name_parts(name), fold(name).replace("'", " ").split()
        out = {parts[-1]} if parts else set()
        if len(words) >= 2:
            out.add(words[-2] + words[-1])
        return out

    return any(given_match(x, y) for x in forms(a) for y in forms(b))
