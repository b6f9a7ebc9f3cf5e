"""Shared fixtures. Third-party corpora are read from ../shared; tests using them skip without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe.config import Config, load_config

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(run={"progress": False})


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is absent: corpus tests skipped")
    return SHARED


def _build_and_export(source: Path, tmp: Path, config: Config, key: int | None) -> dict[str, object]:
    """Build ``source`` into a knowledge base, export it, and index the exported documents.

    ``key`` keeps that many leading characters of each id (the gold names seeds by "NNN").
    """
    from recoupe import build, export

    kb = tmp / "kb.duckdb"
    summary = build([source], kb, config)
    export(kb, tmp / "export")
    docs = {}
    for line in (tmp / "export" / "documents.jsonl").read_text("utf-8").splitlines():
        doc = json.loads(line)
        docs[doc["id"][:key] if key else doc["id"]] = doc
    return {"kb": kb, "export": tmp / "export", "summary": summary, "docs": docs}


@pytest.fixture(scope="session")
def seeds_build(shared: Path, tmp_path_factory: pytest.TempPathFactory, config: Config) -> dict[str, object]:
    """The seeds built once into a knowledge base and exported, documents keyed "000".."004"."""
    return _build_and_export(shared / "seeds", tmp_path_factory.mktemp("seeds"), config, 3)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, config: Config) -> dict[str, object]:
    """The bundled sample corpus built once into a knowledge base and exported."""
    return _build_and_export(SAMPLES / "corpus", tmp_path_factory.mktemp("sample"), config, None)
