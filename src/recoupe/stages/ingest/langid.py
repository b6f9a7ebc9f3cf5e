"""Language identification with py3langid (normalised probabilities)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# langid needs some letters to say anything useful; below this it is a coin toss.
MIN_LETTERS = 20


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability for ``text`` (first 5,000 characters)."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return "und", 0.0
    lang, score = _identifier().classify(sample)
    return str(lang), float(score)
