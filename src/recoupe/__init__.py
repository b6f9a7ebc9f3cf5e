"""recoupe: cross-check the news.

The Python API mirrors the command line::

    import recoupe
    summary = recoupe.build(["articles/"], "news.duckdb")
    recoupe.export("news.duckdb", "export/", format="parquet")
    with recoupe.open_kb("news.duckdb") as kb:
        kb.events(min_sources=2)                  # lists of dicts (the export contract's shapes)
        kb.sql("SELECT outlet, count(*) AS n FROM documents GROUP BY 1")
        kb.relation("corpus_events").filter("independent_sources > 1").fetchall()

Names are imported on first use (PEP 562): ``import recoupe`` and the command line stay fast,
and spaCy, SciPy and the stages load only when a build needs them.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recoupe.config import Config, load_config
    from recoupe.errors import RecoupeError
    from recoupe.eval.seeds import evaluate_seeds
    from recoupe.export import export
    from recoupe.model import BuildSummary, Document
    from recoupe.pipeline import build, process
    from recoupe.query import Reader, open_kb
    from recoupe.stats import stats

_WHERE = {
    "BuildSummary": "recoupe.model",
    "Config": "recoupe.config",
    "Document": "recoupe.model",
    "Reader": "recoupe.query",
    "RecoupeError": "recoupe.errors",
    "build": "recoupe.pipeline",
    "evaluate_seeds": "recoupe.eval.seeds",
    "export": "recoupe.export",
    "load_config": "recoupe.config",
    "open_kb": "recoupe.query",
    "process": "recoupe.pipeline",
    "stats": "recoupe.stats",
}

__all__ = [
    "BuildSummary",
    "Config",
    "Document",
    "Reader",
    "RecoupeError",
    "build",
    "evaluate_seeds",
    "export",
    "load_config",
    "open_kb",
    "process",
    "stats",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'recoupe' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """Keeps ``recoupe.export`` and ``recoupe.stats`` the functions: importing the submodules of the
    same names would otherwise bind the modules over them (an eager ``from ... import`` used to
    rebind the functions afterwards)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
