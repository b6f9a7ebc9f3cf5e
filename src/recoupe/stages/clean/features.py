"""Line features of boilerplate, from the general lexicon in ``recoupe/data/boilerplate.toml``."""

from __future__ import annotations

import re
from functools import cache

from recoupe.lexicon import load

_TERMINAL = re.compile(r"[.:;,!?…]\s*[»\"”’)\]]*\s*$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|\(…\)|\(\.\.\.\))\s*[»\"”’)]*\s*$")


@cache
def _rules() -> dict[str, re.Pattern[str]]:
    data = load("boilerplate")

    def any_of(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)

    return {
        "read_also": any_of(data["read_also"]),
        "social_network": re.compile(data["social_networks"], re.I),
        "social_verb": re.compile(rf"\b{data['social_verbs']}", re.I),
        "newsletter": any_of(data["newsletter"]),
        "tags": re.compile(data["tags"], re.I),
        "copyright": re.compile(data["copyright"], re.I),
        "furniture": any_of(data["furniture"]),
        "block_header": any_of(data["block_headers"]),
        "series_note": any_of(data["series_note"]),
    }


def words(text: str) -> int:
    return len(text.split())


def line_reason(text: str) -> str | None:
    """Why a line is boilerplate on its own features, or None. Reasons:

    ``copyright``, ``read_also``, ``social_prompt``, ``newsletter_prompt``, ``tags``,
    ``page_furniture``, ``series_note``, ``block_header``.
    """
    rules = _rules()
    n = words(text)
    if n <= 15 and rules["copyright"].search(text):
        return "copyright"
    if n <= 30 and rules["read_also"].search(text):
        return "read_also"
    if n <= 40 and rules["tags"].search(text):
        return "tags"
    network = rules["social_network"].search(text)
    if network and (n <= 6 or (n <= 20 and rules["social_verb"].search(text))):
        return "social_prompt"
    if n <= 25 and rules["newsletter"].search(text):
        return "newsletter_prompt"
    if n <= 6 and rules["furniture"].search(text):
        return "page_furniture"
    if n <= 30 and rules["series_note"].search(text):
        return "series_note"
    if is_block_header(text):
        return "block_header"
    return None


def is_block_header(text: str) -> bool:
    """A header opening a list of links to other articles ("Aller plus loin", "Related stories")."""
    return words(text) <= 10 and bool(_rules()["block_header"].search(text.strip(" :")))


def is_headline_like(text: str, max_words: int) -> bool:
    """Short, starts with a capital or digit, and has no final punctuation."""
    stripped = text.strip()
    return (
        0 < words(stripped) <= max_words
        and (stripped[:1].isupper() or stripped[:1].isdigit())
        and not _TERMINAL.search(stripped)
    )


def is_truncated(text: str) -> bool:
    """A teaser cut off with an ellipsis."""
    return words(text) >= 6 and bool(_TRUNCATED.search(text))


def is_colon_header(text: str) -> bool:
    """A short line announcing a list ("Ces articles devraient vous intéresser :")."""
    stripped = text.strip()
    return words(stripped) <= 10 and stripped.endswith(":")
