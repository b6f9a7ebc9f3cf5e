"""recoupe's own stages, declared in the registry: thin, picklable objects over the stage packages.

Each class is what a runner calls (``__call__`` on one document, ``pipe`` on a batch where a batch
is faster); each :class:`~recoupe.registry.StageSpec` says what it requires and provides. The
corpus steps are in :mod:`recoupe.corpus_steps`. Importing this module registers them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from recoupe.model import Document, Published, RawInput, Rejection, StageId
from recoupe.registry import StageKind, StageSpec, register

if TYPE_CHECKING:
    from recoupe.config import Config

LANGUAGES = ("fr", "en")
TEXT_DATING = StageId("temporal.dating.v1:text")
CORPUS_DATING = StageId("temporal.dating.v1:corpus")


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


def _analysed(doc: Document) -> bool:
    return doc.language in LANGUAGES and bool(doc.text.strip())


# -- ingest, clean, signature (before the corpus has been read) ---------------------------------


@dataclass(frozen=True)
class Ingest:
    """RawInput -> Document (metadata, numbered lines) or a coded Rejection."""

    cfg: Config

    def __call__(self, raw: RawInput) -> Document | Rejection:
        from recoupe.stages.ingest import parse

        return parse(raw, self.cfg.ingest)


@dataclass(frozen=True)
class Clean:
    """Boilerplate, comments and repeated paragraphs out; the text every offset indexes is set here.

    ``recurring`` is the corpus evidence (line keys recurring across pages) the build passes in.
    """

    cfg: Config
    recurring: frozenset[str] = frozenset()

    def with_evidence(self, recurring: frozenset[str]) -> Clean:
        return replace(self, recurring=recurring)

    def __call__(self, doc: Document) -> Document:
        from recoupe.stages.clean import clean, paragraph_keys

        return replace(clean(doc, self.cfg.clean, self.recurring), line_keys=paragraph_keys(doc))


@dataclass(frozen=True)
class Signature:
    """The MinHash signature of the cleaned text, for the dedupe corpus step."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        from recoupe.stages.dedupe import shingles, signature

        sig = signature(shingles(doc.text, self.cfg.dedupe.shingle_words), self.cfg.dedupe)
        return replace(doc, signature=tuple(int(v) for v in sig))


# -- analysis: parse, mentions, time, events, quotes --------------------------------------------


@dataclass(frozen=True)
class Parse:
    """spaCy's parse: sentences, tokens, NER spans (texts over ``[nlp] chunk_chars`` in pieces)."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: Sequence[Document]) -> list[Document]:
        from recoupe.errors import E
        from recoupe.runners.base import StageError
        from recoupe.stages.nlp import parse_texts

        out: dict[str, Document] = {d.id: d for d in docs}
        for lang in LANGUAGES:
            todo = [d for d in docs if d.language == lang and _analysed(d)]
            too_long = [d for d in todo if len(d.text) > self.cfg.nlp.max_chars]
            if too_long:  # one by one, the runner records this one and goes on with the others
                raise StageError("R212", E.R212.format(doc_id=too_long[0].id, chars=len(too_long[0].text),
                                                       limit=self.cfg.nlp.max_chars))
            if not todo:
                continue
            model = model_for(lang, self.cfg)
            parsed = parse_texts([(d.id, d.text) for d in todo], lang, model, self.cfg.nlp.batch_size,
                                 self.cfg.nlp.chunk_chars)
            for doc_id, (sentences, tokens, ents) in parsed:
                out[doc_id] = replace(out[doc_id], sentences=sentences, tokens=tokens, ner=ents)
        return [out[d.id] for d in docs]


@dataclass(frozen=True)
class Mentions:
    """Entity mentions: spaCy's NER spans corrected by general rules and resources."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        if not _analysed(doc):
            return doc
        from recoupe.stages.entities import find_mentions

        return replace(doc, mentions=find_mentions(doc.id, doc.text, doc.ner, doc.tokens))


@dataclass(frozen=True)
class Time:
    """Time expressions anchored at the publication date; an undated article dated from its lead."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        if not _analysed(doc):
            return replace(doc, time_exprs=())
        from recoupe.stages.temporal.dating import bounds, date_from_text
        from recoupe.stages.temporal.grammar import lexicon
        from recoupe.stages.temporal.tagger import tag
        from recoupe.stages.temporal.tense import governor_function, tense_function

        lang = doc.language
        tense = tense_function(doc.tokens, lexicon(lang).planning_verbs)
        governor = governor_function(doc.tokens)
        stated = doc.published if doc.published.basis == "explicit" or doc.published.source == CORPUS_DATING \
            else None
        if stated is None:
            undated = tag(doc.text, None, lang, tense, doc.id, governor)
            inferred = date_from_text(doc, undated) if self.cfg.temporal.date_from_text else None
            if inferred is None:
                unknown = Published(None, "unknown", bounds(doc, undated), TEXT_DATING)
                return replace(doc, published=unknown, time_exprs=undated)
            stated = replace(inferred, source=TEXT_DATING)
        found = tag(doc.text, reference_day(stated), lang, tense, doc.id, governor)
        return replace(doc, published=stated, time_exprs=found)


@dataclass(frozen=True)
class Events:
    """Events (type, PLOVER, participants, time, place, modality) from triggers and dependency frames."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        if not _analysed(doc):
            return doc
        from recoupe.stages.events import find_events

        return replace(doc, events=find_events(doc.id, doc.text, doc.sentences, doc.tokens, doc.mentions,
                                               doc.time_exprs, doc.language))


@dataclass(frozen=True)
class Quotes:
    """Quotations with their speakers."""

    cfg: Config

    def __call__(self, doc: Document) -> Document:
        if not _analysed(doc):
            return doc
        from recoupe.stages.quotes import find_quotes

        return replace(doc, quotes=find_quotes(doc.id, doc.text, doc.mentions, doc.tokens))


# -- the specs -----------------------------------------------------------------------------------

def _spec(stage_id: str, kind: StageKind, requires: str, provides: str, factory: object, description: str,
          packages: tuple[str, ...] = ()) -> StageSpec:
    return register(StageSpec(
        id=stage_id, kind=kind, requires=frozenset(requires.split()), provides=frozenset(provides.split()),
        factory=factory, packages=packages, description=description,  # type: ignore[arg-type]
    ))


INGEST = _spec("ingest.parse.v1", "input", "", "lines meta_lines title outlet author section url published language",
               Ingest, "inputs -> documents (metadata, numbered lines) or coded rejections")
CLEAN = _spec("clean.boilerplate.v1", "document", "lines meta_lines", "text paragraphs removed content_hash",
              Clean, "the article off the page: boilerplate, comments, repeated paragraphs removed, with reasons")
SIGNATURE = _spec("dedupe.signature.v1", "document", "text", "signature", Signature,
                  "MinHash signature of the cleaned text")
RECURRING = _spec("clean.recurring.v1", "corpus", "text", "recurring_lines",
                  lambda cfg: _corpus("recurring", cfg),
                  "lines recurring across the corpus's pages; documents whose evidence changed are cleaned again")
PARSE = _spec("nlp.spacy.v1", "document", "text language", "sentences tokens ner", Parse,
              "spaCy parse (the only user of spaCy)", packages=("spacy",))
MENTIONS = _spec("entities.mentions.v1", "document", "text tokens ner", "mentions", Mentions,
                 "entity mentions corrected by general rules")
TIME = _spec("temporal.rules.v1", "document", "text tokens published", "time_exprs published", Time,
             "time expressions with values; undated articles dated from their lead")
EVENTS = _spec("events.frames.v1", "document", "tokens mentions time_exprs sentences", "events", Events,
               "events from triggers and dependency frames")
QUOTES = _spec("quotes.attribute.v2", "document", "text mentions tokens", "quotes", Quotes,
               "quotations with their speakers (incises, reporting clauses, selon, pronouns resolved)")
DATING = _spec("temporal.dating.v1", "corpus", "time_exprs published", "published",
               lambda cfg: _corpus("dating", cfg),
               "undated articles dated from dated articles of the same story")
RESOLVE = _spec("entities.resolve.v1", "corpus", "mentions", "entities", lambda cfg: _corpus("resolve", cfg),
                "mentions -> entities across the corpus (judgements applied)")
DEDUPE = _spec("dedupe.minhash.v1", "corpus", "signature", "duplicates", lambda cfg: _corpus("dedupe", cfg),
               "exact copies, near-duplicates, syndication families")
CROSSCHECK = _spec("crosscheck.v1", "corpus", "events entities duplicates", "corpus_events conflicts stories",
                   lambda cfg: _corpus("crosscheck", cfg),
                   "corpus events, independent sources, conflicts, stories")
SEARCH = _spec("store.search.v1", "corpus", "text", "search_index", lambda cfg: _corpus("search", cfg),
               "the full-text index, rebuilt beside the old one and swapped in")



def _corpus(name: str, cfg: Config) -> object:
    from recoupe import corpus_steps

    return corpus_steps.STEPS[name](cfg)



