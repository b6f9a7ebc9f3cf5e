"""Stage contracts, runners, the error policy, corpus steps skipped when nothing changed, plugins, Dask."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from recoupe import build, export
from recoupe.config import DEFAULT_STAGES, Config
from recoupe.errors import PipelineError
from recoupe.model import Document
from recoupe.registry import StageSpec, check, stages

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "corpus"


def _with_stages(config: Config, order: list[str]) -> Config:
    return config.model_copy(update={"pipeline": config.pipeline.model_copy(update={"stages": order})})


def _records(folder: Path) -> dict[str, list[str]]:
    """Every exported JSONL file as sorted lines, run ids left out (they differ between builds)."""

    def clean(value: object) -> object:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if "run" not in k}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {p.name: sorted(json.dumps(clean(json.loads(line)), sort_keys=True)
                           for line in p.read_text("utf-8").splitlines())
            for p in sorted(folder.glob("*.jsonl"))}


def test_every_builtin_stage_is_declared_and_the_default_order_holds() -> None:
    known = stages(plugins=False)
    assert set(DEFAULT_STAGES) <= set(known)
    specs = check(DEFAULT_STAGES, known)
    assert [s.id for s in specs] == list(DEFAULT_STAGES)
    assert all(s.requires or s.kind == "input" for s in specs)
    assert all(s.provides for s in specs)


def test_a_missing_requirement_is_refused_before_any_work(tmp_path: Path, config: Config) -> None:
    order = [s for s in DEFAULT_STAGES if s != "nlp.spacy.v1"]  # mentions need the parse's tokens
    kb = tmp_path / "kb.duckdb"
    with pytest.raises(PipelineError, match=r"\[R203\].*entities\.mentions\.v1.*(ner|tokens)"):
        build([SAMPLE], kb, _with_stages(config, order))
    assert not kb.exists()
    moved = [s for s in DEFAULT_STAGES if s != "events.frames.v1"]
    moved.insert(moved.index("temporal.dating.v1") + 1, "events.frames.v1")  # after a corpus step: no tokens
    with pytest.raises(PipelineError, match=r"\[R203\].*events\.frames\.v1.*tokens"):
        build([SAMPLE], kb, _with_stages(config, moved))
    with pytest.raises(PipelineError, match=r"\[R208\].*no\.such\.v1"):
        build([SAMPLE], kb, _with_stages(config, [*DEFAULT_STAGES, "no.such.v1"]))
    with pytest.raises(PipelineError, match=r"\[R209\]"):
        check(["ingest.parse.v1", "x.y.v1"], {**stages(plugins=False), "x.y.v1": StageSpec(
            "x.y.v1", "document", frozenset(), frozenset({"x"}), lambda cfg: None, packages=("no_such_package_x",))})


class _FailOn:
    """A document stage that fails on one document (the error policy's test)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def __call__(self, doc: Document) -> Document:
        if doc.id.startswith("a02"):
            raise RuntimeError("this stage cannot read this document")
        return replace(doc, quotes=())


def test_a_stage_failing_on_one_document_is_recorded_and_the_build_goes_on(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    from recoupe import registry

    spec = StageSpec("test.fail.v1", "document", frozenset({"quotes"}), frozenset({"quotes"}), _FailOn)
    monkeypatch.setitem(registry._BUILTIN, spec.id, spec)
    order = list(DEFAULT_STAGES)
    order.insert(order.index("quotes.attribute.v2") + 1, spec.id)
    kb = tmp_path / "kb.duckdb"
    summary = build([SAMPLE], kb, _with_stages(config, order))
    assert summary.failed == 1 and summary.documents > 1
    counters = {stage: (docs, failures) for stage, _, docs, failures in summary.stage_counters}
    assert counters["test.fail.v1"] == (summary.annotated, 1)
    import duckdb

    with duckdb.connect(str(kb), read_only=True) as con:
        failed = con.execute("SELECT doc_id, stage, code FROM failures").fetchall()
        assert [(s, c) for _, s, c in failed] == [("test.fail.v1", "R211")] and failed[0][0].startswith("a02")
        # the failing document keeps what earlier stages gave it; the others went through the stage
        quoted = dict(con.execute("SELECT doc_id, count(*) FROM quotes GROUP BY doc_id").fetchall())
        assert set(quoted) == {failed[0][0]}
        status = con.execute("SELECT reason, code FROM inputs WHERE doc_id = ?", [failed[0][0]]).fetchall()
        assert status == [("stage_failed", "R211")]


def test_a_rebuild_with_nothing_new_runs_no_corpus_step(tmp_path: Path, config: Config) -> None:
    kb = tmp_path / "kb.duckdb"
    first = build([SAMPLE], kb, config)
    assert set(first.steps_run) == {s for s in DEFAULT_STAGES if stages()[s].kind == "corpus"}
    again = build([SAMPLE], kb, config)
    assert again.steps_run == () and set(again.steps_skipped) == set(first.steps_run)
    assert (again.unchanged, again.events, again.stories) == (first.read, first.events, first.stories)
    # a knowledge setting changes what every step reads: all run again
    changed = config.model_copy(update={"crosscheck": config.crosscheck.model_copy(
        update={"story_window_days": config.crosscheck.story_window_days + 1})})
    assert set(build([SAMPLE], kb, changed).steps_run) == set(first.steps_run)


def test_an_added_article_gives_the_result_of_a_full_build(tmp_path: Path, config: Config) -> None:
    files = sorted(SAMPLE.glob("*.txt"))
    part = tmp_path / "part"
    part.mkdir()
    for f in files[:-1]:
        (part / f.name).write_bytes(f.read_bytes())
    kb = tmp_path / "inc.duckdb"
    build([part], kb, config)
    (part / files[-1].name).write_bytes(files[-1].read_bytes())
    added = build([part], kb, config)
    assert added.accepted + added.duplicate == 1 and "crosscheck.v1" in added.steps_run
    full = tmp_path / "full.duckdb"
    build([part], full, config)
    export(kb, tmp_path / "a")
    export(full, tmp_path / "b")
    assert _records(tmp_path / "a") == _records(tmp_path / "b")


PLUGIN = '''
from dataclasses import replace
import os
from recoupe.registry import StageSpec


class Marker:
    """Empties the quotes of every document and notes each document it saw."""

    def __init__(self, cfg):
        self.cfg = cfg

    def __call__(self, doc):
        with open(os.environ["MARKER_LOG"], "a", encoding="utf-8") as log:
            log.write(doc.id + "\\n")
        return replace(doc, quotes=())


SPEC = StageSpec("marker.quotes.v1", "document", frozenset({"quotes"}), frozenset({"quotes"}), Marker,
                 description="a third-party stage")
'''


def test_a_third_party_stage_registered_by_entry_point_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "marker_plugin-0.1.dist-info").mkdir(parents=True)
    (site / "marker_plugin.py").write_text(PLUGIN, "utf-8")
    (site / "marker_plugin-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: marker-plugin\nVersion: 0.1\n", "utf-8")
    (site / "marker_plugin-0.1.dist-info" / "entry_points.txt").write_text(
        "[recoupe.stages]\nmarker = marker_plugin:SPEC\n", "utf-8")
    order = list(DEFAULT_STAGES)
    order.insert(order.index("quotes.attribute.v2") + 1, "marker.quotes.v1")
    (tmp_path / "cfg.toml").write_text("[pipeline]\nstages = " + json.dumps(order) + "\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "MARKER_LOG": str(tmp_path / "seen.txt")}
    listed = subprocess.run([sys.executable, "-m", "recoupe", "stages", "--config", "cfg.toml", "--json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert {"id": "marker.quotes.v1", "position": order.index("marker.quotes.v1") + 1}.items() <= next(
        r for r in json.loads(listed.stdout) if r["id"] == "marker.quotes.v1").items()
    one = SAMPLE / "a01_courrierlittoral.txt"
    done = subprocess.run([sys.executable, "-m", "recoupe", "build", str(one), "--kb", "kb.duckdb", "--config",
                           "cfg.toml", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "seen.txt").read_text("utf-8").split() == ["a01_courrierlittoral"]
    summary = json.loads(done.stdout)
    assert any(s["stage"] == "marker.quotes.v1" and s["documents"] == 1 for s in summary["stages"])
    import duckdb

    with duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quotes").fetchone() == (0,)
        assert json.loads(con.execute("SELECT versions FROM runs").fetchone()[0])["stages"].count("marker") == 1
    broken = {**env, "PYTHONPATH": str(site)}
    (site / "marker_plugin.py").write_text("raise ImportError('broken on purpose')\n", "utf-8")
    failed = subprocess.run([sys.executable, "-m", "recoupe", "stages"], cwd=tmp_path, env=broken,
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "[R210]" in failed.stderr and "Traceback" not in failed.stderr


@pytest.fixture(scope="module")
def dask_scheduler() -> object:
    """A real Dask LocalCluster (2 worker processes, loopback), shared by the builds of this module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        yield cluster.scheduler_address


def _dask_export(source: Path, tmp: Path, config: Config, scheduler: object) -> dict[str, list[str]]:
    cfg = config.model_copy(update={"run": config.run.model_copy(
        update={"runner": "dask", "scheduler": scheduler, "workers": 2, "shard_size": 4})})
    summary = build([source], tmp / "dask.duckdb", cfg)
    assert summary.runner == "dask" and summary.read > 0
    export(tmp / "dask.duckdb", tmp / "dask-export")
    return _records(tmp / "dask-export")


def test_dask_build_equals_in_process_on_the_seeds(seeds_build: dict[str, object], tmp_path: Path,
                                                    config: Config, shared: Path, dask_scheduler: object) -> None:
    assert _dask_export(shared / "seeds", tmp_path, config, dask_scheduler) == _records(
        Path(str(seeds_build["export"])))


def test_dask_build_equals_in_process_on_the_sample(sample_build: dict[str, object], tmp_path: Path,
                                                     config: Config, dask_scheduler: object) -> None:
    assert _dask_export(SAMPLE, tmp_path, config, dask_scheduler) == _records(Path(str(sample_build["export"])))


def test_dask_and_pool_builds_equal_in_process_on_real_pages(tmp_path: Path, config: Config, shared: Path,
                                                             dask_scheduler: object) -> None:
    pages = shared / "gold" / "libya2011-dev.jsonl"
    build([pages], tmp_path / "local.duckdb", config)
    export(tmp_path / "local.duckdb", tmp_path / "local-export")
    local = _records(tmp_path / "local-export")
    assert len(local["documents.jsonl"]) == 18
    assert _dask_export(pages, tmp_path, config, dask_scheduler) == local
    pool = config.model_copy(update={"run": config.run.model_copy(update={"workers": 2, "shard_size": 4})})
    assert build([pages], tmp_path / "pool.duckdb", pool).runner == "process-pool"
    export(tmp_path / "pool.duckdb", tmp_path / "pool-export")
    assert _records(tmp_path / "pool-export") == local
