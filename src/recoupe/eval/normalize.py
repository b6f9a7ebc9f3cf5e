"""The gold format's text comparison: NFKD, accents stripped, apostrophes and spaces folded, casefolded."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼʹ′"})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Normalise a string as ``../shared/gold/README.md`` prescribes for matching."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACE.sub(" ", text.translate(_APOSTROPHES)).strip().casefold()
