"""The command line starts without loading the pipeline: spaCy, SciPy and the stages load only when a
build needs them (timings are measured by bench/cli_start_bench.py, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("spacy", "scipy", "datasketch", "trafilatura", "recoupe.pipeline", "recoupe.stages.crosscheck")


def _loaded(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.issue(17)
@pytest.mark.parametrize("code", [
    "import recoupe",
    "import recoupe.cli",
    "from recoupe.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    "import recoupe.stats, recoupe.export, recoupe.query, recoupe.web.app, recoupe.web.report",
])
def test_readers_do_not_import_the_pipeline(code: str) -> None:
    assert _loaded(code) == []


@pytest.mark.issue(17)
@pytest.mark.parametrize("name", ["build", "process"])
def test_the_build_still_loads_on_demand(name: str) -> None:
    assert "recoupe.pipeline" in _loaded(f"import recoupe\nrecoupe.{name}")
