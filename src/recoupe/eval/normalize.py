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


_PRESS_ARTICLE = re.compile(r"^(?:le|la|les|l'|the|groupe|group)\s*")


def press_name(text: str) -> str:
    """An outlet's name folded, and without its leading article or "groupe" ("Le Figaro" = "Figaro").

    Newspapers are named with and without their article ("au Figaro", "Groupe Figaro"), so the
    outlet score compares names this way; the strict comparison is kept under ``metadata``.
    """
    folded = fold(text)
    previous = None
    while previous != folded:
        previous, folded = folded, _PRESS_ARTICLE.sub("", folded)
    return re.sub(r"[\W_]+", "", folded)
