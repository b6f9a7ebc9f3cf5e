"""The per-document temporal stage: parse, tag, date the article, and tag again against that date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from recoupe.config import Config
from recoupe.model import Document, Published, StageId
from recoupe.stages.nlp import Parsed, parse_one
from recoupe.stages.temporal.dating import STAGE_ID as DATING_ID
from recoupe.stages.temporal.dating import bounds, date_from_text
from recoupe.stages.temporal.grammar import lexicon
from recoupe.stages.temporal.tagger import tag
from recoupe.stages.temporal.tense import governor_function, tense_function

LANGUAGES = ("fr", "en")
TEXT_DATING = StageId(f"{DATING_ID}:text")
CORPUS_DATING = StageId(f"{DATING_ID}:corpus")


def model_for(lang: str, cfg: Config) -> str:
    """The spaCy package configured for a language."""
    return cfg.nlp.fr_model if lang == "fr" else cfg.nlp.en_model


def reference_day(published: Published) -> date | None:
    """The day a publication value names (None when unknown)."""
    if not published.value:
        return None
    try:
        return date.fromisoformat(published.value[:10])
    except ValueError:
        return None


def annotate(doc: Document, cfg: Config, published: Published | None = None,
             parsed: Parsed | None = None) -> Document:
    """spaCy parse, time expressions, and (unless stated) the publication date inferred from the text.

    Args:
        doc: a cleaned document.
        cfg: settings (``[nlp]``, ``[temporal]``).
        published: a date decided elsewhere (the corpus step) to anchor the expressions to.
        parsed: the text's (sentences, tokens) when the caller parsed a batch with ``nlp.pipe``.
    """
    lang = doc.language if doc.language in LANGUAGES else None
    if lang is None or not doc.text.strip():
        return replace(doc, nlp_key=doc.content_hash, time_exprs=())
    sentences, tokens, ents = parsed or parse_one(doc.text, doc.id, lang, model_for(lang, cfg))
    tense = tense_function(tokens, lexicon(lang).planning_verbs)
    governor = governor_function(tokens)
    from recoupe.stages.entities import find_mentions

    mentions = find_mentions(doc.id, doc.text, ents, tokens) if lang == "fr" or lang == "en" else ()
    doc = replace(doc, sentences=sentences, tokens=tokens, ner=ents, mentions=mentions)
    stated = published or (doc.published if doc.published.basis == "explicit" else None)
    if stated is None:
        undated = tag(doc.text, None, lang, tense, doc.id, governor)
        inferred = date_from_text(doc, undated) if cfg.temporal.date_from_text else None
        if inferred is None:
            evidence = bounds(doc, undated)
            unknown = Published(None, "unknown", evidence, TEXT_DATING)
            return _with_events(replace(doc, published=unknown, time_exprs=undated, nlp_key=doc.content_hash), lang)
        stated = replace(inferred, source=TEXT_DATING)
    found = tag(doc.text, reference_day(stated), lang, tense, doc.id, governor)
    return _with_events(replace(doc, published=stated, time_exprs=found, nlp_key=doc.content_hash), lang)


def _with_events(doc: Document, lang: str) -> Document:
    """Events and quotations, read once time expressions are resolved against the article's date."""
    from recoupe.stages.events import find_events
    from recoupe.stages.quotes import find_quotes

    events = find_events(doc.id, doc.text, doc.sentences, doc.tokens, doc.mentions, doc.time_exprs, lang)
    return replace(doc, events=events, quotes=find_quotes(doc.id, doc.text, doc.mentions, doc.tokens))
