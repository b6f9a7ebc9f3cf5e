"""What every runner shares: a shard of documents through a chain of document stages, one error policy,
per-stage counters.

A runner decides *where* work happens (this process, a process pool, a Dask cluster); this module
decides *what* happens to a shard, so every runner gives the same result:

- stages run in the configured order; a stage with a ``pipe`` method gets the whole shard at once
  (spaCy's ``nlp.pipe``), others one document at a time;
- when a stage raises on a document, that document is recorded as a :class:`~recoupe.model.Failure`
  (stage id, code, message), keeps what earlier stages gave it, skips the later stages, and the rest
  of the shard goes on. When a batch call fails, the shard is retried one document at a time so that
  only the document at fault is recorded;
- fields no later step reads (tokens, raw NER spans) are dropped before a shard travels back;
- each stage's time, documents and failures are counted (:class:`StageCounter`).

Stage objects are built once per process and chain (:func:`chain_for`), so a worker loads its spaCy
pipelines once, not once per shard.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from recoupe.errors import E, RecoupeError
from recoupe.model import DocId, Document, Failure

if TYPE_CHECKING:
    from recoupe.config import Config

T = TypeVar("T")
R = TypeVar("R")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class StageError(RecoupeError):
    """A stage refusing one document with a coded reason (e.g. R212: longer than the parser takes)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.stage_code = code


@dataclass
class StageCounter:
    """One stage's work in a build, as the runner measured it."""

    stage: str
    seconds: float = 0.0
    documents: int = 0
    failures: int = 0

    def add(self, other: StageCounter) -> None:
        self.seconds += other.seconds
        self.documents += other.documents
        self.failures += other.failures


@dataclass(frozen=True, slots=True)
class Outcome:
    """A document after the chain, and the failure that stopped it (None when every stage ran)."""

    doc: Document
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class ShardResult:
    outcomes: list[Outcome]
    counters: list[StageCounter]


_CHAINS: dict[str, list[tuple[str, Any]]] = {}


def chain_key(ids: Sequence[str], cfg: Config) -> str:
    return json.dumps([list(ids), cfg.model_dump(mode="json")], sort_keys=True)


def chain_for(ids: Sequence[str], cfg: Config) -> list[tuple[str, Any]]:
    """The stage objects of ``ids`` made from ``cfg``, built once per process."""
    key = chain_key(ids, cfg)
    chain = _CHAINS.get(key)
    if chain is None:
        from recoupe.registry import stages

        known = stages()
        chain = [(stage_id, known[stage_id].factory(cfg)) for stage_id in ids]
        _CHAINS[key] = chain
    return chain


def _failure(doc_id: DocId, stage_id: str, err: BaseException) -> Failure:
    if isinstance(err, StageError):
        return Failure(doc_id, stage_id, err.stage_code, str(err))
    detail = f"{type(err).__name__}: {err}"[:500]
    return Failure(doc_id, stage_id, "R211", E.R211.format(stage=stage_id, doc_id=doc_id, error=detail))


def _one_by_one(stage_id: str, stage: Callable[[Document], Document], docs: Sequence[Document],
                out: dict[DocId, Document], failed: dict[DocId, Failure]) -> None:
    for doc in docs:
        try:
            out[doc.id] = stage(doc)
        except Exception as err:
            failed[doc.id] = _failure(doc.id, stage_id, err)


def run_chain(chain: Sequence[tuple[str, Any]], docs: Sequence[Document],
              strip: bool = True) -> ShardResult:
    """Run a shard through ``chain`` with the error policy (see the module docstring)."""
    current = {d.id: d for d in docs}
    failed: dict[DocId, Failure] = {}
    counters = []
    for stage_id, stage in chain:
        todo = [current[d.id] for d in docs if d.id not in failed]
        counter = StageCounter(stage_id, documents=len(todo))
        before = len(failed)
        start = time.perf_counter()
        pipe = getattr(stage, "pipe", None)
        if pipe is not None and len(todo) > 1:
            try:
                for doc in pipe(todo):
                    current[doc.id] = doc
            except Exception:
                _one_by_one(stage_id, stage, todo, current, failed)
        else:
            _one_by_one(stage_id, stage, todo, current, failed)
        counter.seconds = time.perf_counter() - start
        counter.failures = len(failed) - before
        counters.append(counter)
    outcomes = []
    for doc in docs:
        done = current[doc.id]
        if strip:
            done = replace(done, tokens=(), ner=())
        outcomes.append(Outcome(done, failed.get(doc.id)))
    return ShardResult(outcomes, counters)


def run_shard(ids: tuple[str, ...], cfg: Config, docs: list[Document]) -> ShardResult:
    """What a worker runs: the chain (built once per process) over one shard."""
    return run_chain(chain_for(ids, cfg), docs)


def map_batch(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """What a worker runs for a pure per-item function (ingest and clean)."""
    return [fn(item) for item in items]


class Runner(Protocol):
    """Where document stages run. Results come back in input order."""

    name: str
    workers: int

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """A pure function over items (ingest, clean), in order."""
        ...

    def run(self, ids: tuple[str, ...], cfg: Config, docs: Iterable[Document]) -> Iterator[ShardResult]:
        """The document stages ``ids`` over ``docs``, shard by shard, in order."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Runner: ...

    def __exit__(self, *exc: object) -> None: ...


def merge_counters(into: dict[str, StageCounter], counters: Iterable[StageCounter]) -> None:
    for c in counters:
        into.setdefault(c.stage, StageCounter(c.stage)).add(c)
