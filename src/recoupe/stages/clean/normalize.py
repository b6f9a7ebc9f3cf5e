"""Text repair and normalisation: ftfy for mojibake, one space for every kind of blank."""

from __future__ import annotations

import re
from functools import lru_cache

import ftfy

# No-break, thin and other fixed-width spaces become plain spaces; zero-width marks vanish.
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_RUNS = re.compile(r" {2,}")
_KEY_DROP = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d")


def _normalise_once(text: str) -> str:
    text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text))
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return _RUNS.sub(" ", _SPACES.sub(" ", _ZERO_WIDTH.sub("", text))).strip()


# Each line is normalised when cleaned, again when its key is stored and again on a re-clean;
# ftfy dominates the cost of cleaning, so results are memoised per process.
@lru_cache(maxsize=1 << 16)
def normalise_line(text: str) -> str:
    """Repair encoding damage and normalise whitespace inside one line.

    ftfy repairs one layer of damage per call, and removing odd spaces can reveal another;
    the steps repeat to a fixed point (bounded) so that cleaning a cleaned text changes nothing.
    """
    for _ in range(4):
        fixed = _normalise_once(text)
        if fixed == text:
            break
        text = fixed
    return text


def line_key(text: str) -> str:
    """Comparison key of a line: case-folded words, digits folded, punctuation dropped.

    Two lines with the same key say the same thing up to case, punctuation, spacing and
    numbers (so "© 2023 X" and "© 2024 X" share a key).
    """
    return " ".join(_KEY_DROP.sub(" ", _DIGITS.sub("0", text.casefold())).split())
