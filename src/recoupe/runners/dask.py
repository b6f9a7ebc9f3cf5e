"""The Dask runner: document stages on the workers of a Dask cluster, the writer here.

``recoupe build ... --runner dask`` connects to ``--scheduler ADDRESS`` (``tcp://host:8786``), or
starts a ``LocalCluster`` of ``[run] workers`` processes bound to 127.0.0.1 when no address is
given. Each task is a shard of documents: a worker builds the stage chain once (its spaCy
pipelines load once per worker process, see :func:`recoupe.runners.base.chain_for`), runs
``nlp.pipe`` over the shard and sends back documents without tokens. A bounded window of shards is
in flight; results are consumed in input order, so the knowledge base written here is the same
as with the local runners. Workers of a remote cluster need the same recoupe and models installed
(docs/scale.md).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from recoupe.errors import E, PipelineError
from recoupe.runners.base import ShardResult, chunks, map_batch, run_shard

if TYPE_CHECKING:
    from recoupe.config import Config
    from recoupe.model import Document

T = TypeVar("T")
R = TypeVar("R")


class DaskRunner:
    """Shards as Dask tasks on a cluster (a loopback ``LocalCluster`` by default)."""

    name = "dask"

    def __init__(self, workers: int = 2, scheduler: str = "", shard_size: int = 16) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.shard_size = shard_size
        self._client: Any = None
        self._cluster: Any = None

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - dask is a declared dependency
            raise PipelineError(E.R214.format(runner="dask", error=err)) from err
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout=30)  # type: ignore[no-untyped-call]
            else:
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=40)  # 40: logging.ERROR
                self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as err:
            self.close()
            raise PipelineError(E.R214.format(runner="dask", error=err)) from err
        return self._client

    def _ordered(self, submitted: Iterable[Any]) -> Iterator[Any]:
        window: deque[Any] = deque()
        limit = 2 * max(self.workers, len(self._client.scheduler_info().get("workers", {})) or 1)
        for future in submitted:
            window.append(future)
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        client = self._connect()
        submitted = (client.submit(map_batch, fn, batch, pure=False) for batch in chunks(items, self.shard_size))
        for results in self._ordered(submitted):
            yield from results

    def run(self, ids: tuple[str, ...], cfg: Config, docs: Iterable[Document]) -> Iterator[ShardResult]:
        client = self._connect()
        submitted = (client.submit(run_shard, ids, cfg, shard, pure=False)
                     for shard in chunks(docs, self.shard_size))
        yield from self._ordered(submitted)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
