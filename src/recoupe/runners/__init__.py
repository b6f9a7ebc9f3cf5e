"""Where document stages run: in process, a local process pool, or a Dask cluster (:func:`make_runner`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoupe.runners.base import Outcome, Runner, ShardResult, StageCounter, StageError, chunks

if TYPE_CHECKING:
    from recoupe.config import Config

__all__ = ["Outcome", "Runner", "ShardResult", "StageCounter", "StageError", "chunks", "make_runner"]


def make_runner(cfg: Config) -> Runner:
    """The runner ``[run]`` asks for: ``runner = "dask"``, else a pool when ``workers > 1``."""
    if cfg.run.runner == "dask":
        from recoupe.runners.dask import DaskRunner

        return DaskRunner(cfg.run.workers, cfg.run.scheduler, cfg.run.shard_size)
    from recoupe.runners.local import InProcessRunner, PoolRunner

    if cfg.run.workers > 1:
        return PoolRunner(cfg.run.workers, cfg.run.shard_size)
    return InProcessRunner(cfg.run.batch_size)
