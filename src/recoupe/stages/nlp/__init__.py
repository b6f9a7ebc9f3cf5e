"""NLP: spaCy sentences, tokens and morphology -> typed Span/Token (the only importer of spaCy)."""

from recoupe.stages.nlp.spacy_stage import (
    DEFAULT_MODELS,
    STAGE_ID,
    Parsed,
    load_pipeline,
    parse_one,
    parse_texts,
    stop_words,
)

__all__ = ["DEFAULT_MODELS", "STAGE_ID", "Parsed", "load_pipeline", "parse_one", "parse_texts", "stop_words"]
