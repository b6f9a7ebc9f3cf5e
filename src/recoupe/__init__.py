"""recoupe: cross-check the news.

The Python API mirrors the command line::

    import recoupe
    summary = recoupe.build(["articles/"], "news.duckdb")
    recoupe.export("news.duckdb", "export/")
"""

from recoupe.config import Config, load_config
from recoupe.errors import RecoupeError
from recoupe.eval.seeds import evaluate_seeds
from recoupe.export import export
from recoupe.model import BuildSummary, Document
from recoupe.pipeline import build, process
from recoupe.stats import stats

__all__ = [
    "BuildSummary",
    "Config",
    "Document",
    "RecoupeError",
    "build",
    "evaluate_seeds",
    "export",
    "load_config",
    "process",
    "stats",
]
