"""Shared fixtures. Third-party corpora are read from ../shared; tests using them skip without it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


HOSTILE = ROOT / "tests" / "data" / "hostile"


@contextmanager
def serving(kb: Path, token: str | None = None) -> Iterator[str]:
    """A real uvicorn server for the app over ``kb`` on a free loopback port; yields its base URL."""
    import uvicorn

    from recoupe.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(kb, token), host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        server_app = server.config.app
        server_app.state.store.kb.close()


@pytest.fixture(scope="session")
def web_build(tmp_path_factory: pytest.TempPathFactory, config: Config) -> dict[str, object]:
    """The sample corpus plus a hostile article (script, onerror and javascript: payloads), built once."""
    import shutil

    folder = tmp_path_factory.mktemp("web-corpus")
    for path in [*sorted((SAMPLES / "corpus").iterdir()), *sorted(HOSTILE.iterdir())]:
        shutil.copy(path, folder / path.name)
    return _build_and_export(folder, tmp_path_factory.mktemp("web"), config, None)


def copy_kb(build: dict[str, object], folder: Path) -> Path:
    """A copy of a built knowledge base, so a server can hold it open (DuckDB allows one
    configuration per file per process) without locking out the tests that write to the original."""
    import shutil

    target = folder / "served.duckdb"
    shutil.copy(str(build["kb"]), target)
    return target


@pytest.fixture(scope="session")
def web_url(web_build: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of ``web_build``, read-only, served on loopback for the session."""
    with serving(copy_kb(web_build, tmp_path_factory.mktemp("web-served"))) as url:
        yield url


@pytest.fixture(scope="session")
def seeds_url(seeds_build: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the seeds' knowledge base, read-only, served on loopback for the session."""
    with serving(copy_kb(seeds_build, tmp_path_factory.mktemp("seeds-served"))) as url:
        yield url


@pytest.fixture(scope="session")
def serve_kb() -> object:
    """``serving`` as a fixture, for tests that start their own server (with a token, on a copy)."""
    return serving
