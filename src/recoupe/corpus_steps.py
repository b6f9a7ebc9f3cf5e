"""The corpus steps of a build: each reads the stored corpus and writes what it finds.

Every step declares what it reads (:attr:`CorpusStep.reads`, tables and columns of the knowledge
base). Before a step runs, the build hashes those columns (with the settings that shape stored
knowledge); when the hash equals the one recorded after the step last ran (table ``step_state``),
nothing it reads has changed and the step is skipped. A build with nothing new therefore runs no
corpus step, and a step runs again as soon as anything it reads changes (a new article, a
judgement, a setting), over the whole stored corpus, so its result always equals a full build's.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from recoupe.ids import sha256_hex
from recoupe.model import DocId, Document, EntityRef, Novelty, Published
from recoupe.runners.base import chunks, run_chain
from recoupe.store import read, write

if TYPE_CHECKING:
    from recoupe.config import Config
    from recoupe.progress import Phase
    from recoupe.runners.base import Runner
    from recoupe.stages import crosscheck as crosscheck_stage
    from recoupe.store.kb import KnowledgeBase

# (table, columns) a step reads
Read = tuple[str, str]


@dataclass
class BuildContext:
    """What a corpus step may use: the knowledge base, settings, this run, the runner, and what this
    run brought in (``new``). Steps leave their figures in ``results``."""

    kb: KnowledgeBase
    cfg: Config
    run_id: str
    runner: Runner
    analysis: tuple[str, ...]  # the document stages that analyse a text (re-run when a date changes)
    new: set[DocId] = field(default_factory=set)
    results: dict[str, Any] = field(default_factory=dict)


def recurring(kb: KnowledgeBase, cfg: Config) -> frozenset[str]:
    """The line keys that recur across the stored pages (boilerplate evidence)."""
    from recoupe.stages import clean as clean_stage

    return clean_stage.recurring_lines(read.page_lines(kb), cfg.clean)


def fingerprint(kb: KnowledgeBase, reads: Iterable[Read], settings: str) -> str:
    """A hash of the columns a step reads and of the knowledge settings."""
    parts = [settings]
    for table, columns in reads:
        value = "t" if columns == "*" else columns
        row = kb.query(f"SELECT count(*), coalesce(sum(hash({value}))::VARCHAR, '') FROM {table} t")[0]
        parts.append(f"{table}:{row[0]}:{row[1]}")
    return sha256_hex(json.dumps(parts))


class CorpusStep:
    """A step over the stored corpus. ``run`` writes its results to the knowledge base."""

    id = ""
    title = ""
    unit = "documents"
    reads: tuple[Read, ...] = ()

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def stale(self, kb: KnowledgeBase) -> bool:
        """True when the step must run even though its inputs are unchanged (its output is missing)."""
        return False

    def run(self, ctx: BuildContext, phase: Phase) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class Recurring(CorpusStep):
    """Lines recurring across pages; the stored documents whose evidence changed are cleaned again."""

    id, title = "clean.recurring.v1", "clean again (boilerplate evidence changed)"
    reads = (("doc_lines", "doc_id, key, prose"), ("documents", "id, clean_key"))

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        from recoupe.pipeline import finish_document
        from recoupe.stages import clean as clean_stage

        kb, cfg = ctx.kb, ctx.cfg
        evidence = recurring(kb, cfg)
        keys = [(p.doc_id, clean_stage.clean_key([k for k, _, _ in p.lines], evidence)) for p in read.page_lines(kb)]
        stored = dict(kb.query("SELECT id, clean_key FROM documents"))
        ids = [doc_id for doc_id, key in keys if stored.get(doc_id) != key]
        phase.set_total(len(ids))
        for batch in chunks(ids, cfg.run.batch_size):
            docs = read.iter_documents(kb, batch)
            done = [finish_document(doc, cfg, evidence) for doc in phase.track(docs)]
            write.write_documents(kb, done, ctx.run_id)
        ctx.results["recleaned"] = ctx.results.get("recleaned", 0) + len(ids)


class Dating(CorpusStep):
    """Undated articles dated from dated ones of the same story; their analysis re-run on that date."""

    id, title = "temporal.dating.v1", "date undated articles from the corpus"
    reads = (("documents", "id, nlp_key, published_value, published_basis, published_source, duplicate_of"),)

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        from recoupe.builtin_stages import CORPUS_DATING, LANGUAGES, TEXT_DATING
        from recoupe.runners.base import chain_for
        from recoupe.stages.temporal.dating import Dated, content_words, date_from_corpus, weekday_facts

        kb, cfg = ctx.kb, ctx.cfg
        ctx.results.setdefault("dated_from_corpus", 0)
        if not cfg.temporal.date_from_corpus:
            return
        rows = kb.query("SELECT id, published_basis, published_source, published_value, language FROM documents "
                        "WHERE duplicate_of IS NULL ORDER BY id")
        dated_ids = [r[0] for r in rows if r[1] == "explicit" or (r[1] == "inferred" and r[2] == TEXT_DATING)]
        open_ids = [r[0] for r in rows if (r[1] == "unknown" or r[2] == CORPUS_DATING) and r[4] in LANGUAGES]
        if not open_ids or not dated_ids:
            return
        dated = [Dated(d.id, content_words(d.text), weekday_facts(d, d.language))
                 for d in read.iter_documents(kb, dated_ids)]
        redo: list[Document] = []
        phase.set_total(len(open_ids))
        for doc in phase.track(read.iter_documents(kb, open_ids)):
            found = date_from_corpus(doc, doc.time_exprs, dated, cfg.temporal.corpus_min_overlap, doc.language)
            if found is not None:
                found = replace(found, source=CORPUS_DATING)
            current = doc.published if doc.published.source == CORPUS_DATING else None
            if found == current:
                continue
            redo.append(replace(doc, published=found or Published(None, "unknown", None, None)))
        # the analysis again on the new date (in this process: few documents, same chain as the build)
        changed = [o.doc for o in run_chain(chain_for(ctx.analysis, cfg), redo).outcomes if o.failure is None]
        write.write_annotations(kb, changed, ctx.run_id)
        ctx.results["dated_from_corpus"] = len(changed)


class Resolve(CorpusStep):
    """All stored mentions -> entities across the corpus, the user's judgements applied."""

    id, title = "entities.resolve.v1", "resolve entities"
    reads = (("documents", "id, nlp_key"), ("judgements", "*"))

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        from recoupe.stages.entities import resolve

        kb = ctx.kb
        phase.set_total(int(kb.query("SELECT count(*) FROM documents")[0][0]))
        docs = [(d.id, d.mentions) for d in phase.track(read.iter_documents(kb))]
        entities = resolve(docs, read.judgements(kb))
        write.write_entities(kb, entities, ctx.run_id)
        ctx.results["entities"] = len(entities)


class Dedupe(CorpusStep):
    """Exact copies, near-duplicates (MinHash LSH) and syndication families."""

    id, title = "dedupe.minhash.v1", "find duplicates"
    reads = (("documents", "id, content_hash, published_value"),)

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        from recoupe.stages import dedupe as dedupe_stage

        kb, cfg = ctx.kb, ctx.cfg
        keys = [dedupe_stage.DocKey(i, h, p, s) for i, h, p, s in read.dedupe_keys(kb)]
        phase.set_total(len(keys))

        class _Texts(dict[DocId, str]):
            def __missing__(self, doc_id: DocId) -> str:
                value = read.texts(kb, [doc_id])[doc_id]
                self[doc_id] = value
                return value

        found = dedupe_stage.find_duplicates(keys, _Texts(), cfg.dedupe)
        near = {k.id: list(found.near(k.id)) for k in keys}
        write.write_duplicates(kb, found.duplicate_of, near, found.family, found.edges,
                               dedupe_stage.STAGE_ID, ctx.run_id)
        phase.advance(len(keys))


def duplicate_figures(kb: KnowledgeBase) -> tuple[dict[DocId, DocId], int, int]:
    """Copies (document -> original), near-duplicate pairs and syndication families, as stored."""
    copies = {DocId(a): DocId(b) for a, b in kb.query(
        "SELECT id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL")}
    pairs = int(kb.query("SELECT count(*) FROM near_duplicates")[0][0])
    families = int(kb.query("SELECT count(DISTINCT family) FROM documents WHERE family IS NOT NULL")[0][0])
    return copies, pairs, families


class Crosscheck(CorpusStep):
    """Corpus events, independent sources, conflicts and stories from every stored account."""

    id, title, unit = "crosscheck.v1", "cross-check events, sources, stories", "accounts"
    reads = (("documents", "id, nlp_key, published_value, duplicate_of, family, content_hash"),
             ("entities", "*"), ("near_duplicates", "*"))

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        from recoupe.stages import crosscheck as crosscheck_stage

        kb, cfg = ctx.kb, ctx.cfg
        before = read.corpus_event_keys(kb)
        known = {key for keys in before.values() for key in keys}
        docs, texts, sentences = read.source_docs(kb, cfg.crosscheck.lead_sentences)
        accounts = read.accounts(kb)
        phase.set_total(len(accounts))
        checked = crosscheck_stage.crosscheck(accounts, docs, sentences, texts, place_kinds(read.entity_refs(kb)),
                                              cfg.crosscheck)
        phase.advance(len(accounts))
        novelty = novelty_of(checked, known, ctx.new, ctx.run_id)
        write.write_crosscheck(kb, checked.events, checked.conflicts, checked.stories, checked.links, novelty,
                               ctx.run_id)
        ctx.results["novelty"] = dict(Counter(n.kind for n in novelty))


def place_kinds(refs: dict[str, EntityRef]) -> dict[str, EntityRef]:
    """Entities with the gazetteer's kind (country, city) for the places it knows."""
    from recoupe.stages.entities.gazetteer import gazetteer

    places = gazetteer()
    out = {}
    for key, ref in refs.items():
        place = places.lookup(ref.name) if ref.type in {"GPE", "LOC"} else None
        out[key] = replace(ref, kind=place.kind) if place else ref
    return out


def novelty_of(checked: crosscheck_stage.Crosschecked, known: set[str], new: set[DocId],
               run_id: str) -> list[Novelty]:
    """For each account of a new article: does it add an event, confirm one, or contradict it."""
    found: list[Novelty] = []
    disputed: dict[str, list[tuple[str, set[DocId]]]] = {}
    for c in checked.conflicts:
        for v in c.values:
            disputed.setdefault(c.event, []).append((f"{c.slot}={v.value}", set(v.sources)))
    for e in checked.events:
        mine = {a.doc_id for a in e.accounts if a.doc_id in new}
        if not mine:
            continue
        earlier = {a.doc_id for a in e.accounts if a.key in known and a.doc_id not in new}
        for doc_id in sorted(mine):
            found.append(Novelty(run_id, doc_id, e.id, "confirms" if earlier else "adds",
                                 f"{len(earlier)} earlier source(s)" if earlier else None))
            for value, sources in disputed.get(e.id, []):
                if doc_id in sources and earlier and not earlier <= sources:
                    found.append(Novelty(run_id, doc_id, e.id, "contradicts", value))
    return found


class Search(CorpusStep):
    """The full-text index over titles and texts."""

    id, title = "store.search.v1", "full-text index"
    reads = (("documents", "id, title, content_hash"),)

    def stale(self, kb: KnowledgeBase) -> bool:
        has_docs = bool(kb.query("SELECT count(*) FROM documents")[0][0])
        return has_docs and not kb.query(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'fts_main_documents'")[0][0]

    def run(self, ctx: BuildContext, phase: Phase) -> None:
        ctx.kb.rebuild_search_index()


def rerun(kb: KnowledgeBase, cfg: Config, run_id: str, step_ids: Iterable[str]) -> dict[str, Any]:
    """Run corpus steps now, outside a build (after a judgement); returns their figures."""
    from recoupe.pipeline import plan, versions
    from recoupe.progress import Progress
    from recoupe.runners.local import InProcessRunner

    settings = json.dumps([cfg.knowledge_settings(), versions(cfg.pipeline.stages)], sort_keys=True)
    ctx = BuildContext(kb, cfg, run_id, InProcessRunner(), plan(cfg).analysis)
    progress = Progress(False)
    for step_id in step_ids:
        step = STEPS[_BY_ID[step_id]](cfg)
        with progress.phase(step.title) as phase:
            step.run(ctx, phase)
        kb.con.execute("INSERT OR REPLACE INTO step_state VALUES (?, ?, ?)",
                       [step.id, fingerprint(kb, step.reads, settings), run_id])
    return ctx.results


STEPS: dict[str, type[CorpusStep]] = {
    "recurring": Recurring, "dating": Dating, "resolve": Resolve, "dedupe": Dedupe,
    "crosscheck": Crosscheck, "search": Search,
}
_BY_ID = {cls.id: name for name, cls in STEPS.items()}
