"""Runners on this machine: in this process, or a pool of local processes.

The pool sends shards (``[run] shard_size`` documents), not single documents: each worker runs
spaCy's ``nlp.pipe`` over a shard with its pipelines loaded once per process, and sends back
documents without their tokens. A bounded number of shards is in flight, so memory stays flat.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from recoupe.runners.base import ShardResult, chain_for, chunks, map_batch, run_chain, run_shard

if TYPE_CHECKING:
    from recoupe.config import Config
    from recoupe.model import Document

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["InProcessRunner", "PoolRunner", "chunks"]


class InProcessRunner:
    """Everything in this process; a shard is a whole write batch (the largest ``nlp.pipe``)."""

    name = "in-process"
    workers = 1

    def __init__(self, shard_size: int = 200) -> None:
        self.shard_size = shard_size

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        yield from map(fn, items)

    def run(self, ids: tuple[str, ...], cfg: Config, docs: Iterable[Document]) -> Iterator[ShardResult]:
        chain = chain_for(ids, cfg)
        for shard in chunks(docs, self.shard_size):
            yield run_chain(chain, shard)

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PoolRunner:
    """``workers`` local processes (forked, so nothing heavy is pickled at start)."""

    name = "process-pool"

    def __init__(self, workers: int, shard_size: int = 16) -> None:
        self.workers = workers
        self.shard_size = shard_size
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._pool

    def _ordered(self, futures: Iterable[Future[Any]]) -> Iterator[Any]:
        window: deque[Future[Any]] = deque()
        for future in futures:
            window.append(future)
            if len(window) >= 2 * self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pool = self._executor()
        submitted = (pool.submit(map_batch, fn, batch) for batch in chunks(items, self.shard_size))
        for results in self._ordered(submitted):
            yield from results

    def run(self, ids: tuple[str, ...], cfg: Config, docs: Iterable[Document]) -> Iterator[ShardResult]:
        pool = self._executor()
        work = partial(run_shard, ids, cfg)
        submitted = (pool.submit(work, shard) for shard in chunks(docs, self.shard_size))
        yield from self._ordered(submitted)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PoolRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
