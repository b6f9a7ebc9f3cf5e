"""End-to-end build throughput against spaCy alone, runners side by side, no-op and incremental rebuilds.

On one corpus (the 361 real articles of ``../shared/data/ml-crisis-fr-dev`` by default, or
``--synthetic N`` articles from ``bench/synth.py``), in one run:

1. ``spacy alone``: ``nlp.pipe`` of the configured French pipeline (``[nlp] fr_model``) over the
   cleaned texts the build stores (the same texts the build parses), 1 process, then
   ``n_process=2``. Its documents/s and tokens/s are the baselines every figure is divided by.
2. ``build``: ``recoupe build`` into a fresh knowledge base, each in its own subprocess, with the
   in-process runner (``--workers 1``), the process pool (``--workers 2``) and Dask
   (``--runner dask --workers 2``, a LocalCluster on loopback). Peak RSS is the sum over the
   build's process tree (workers included), sampled every 0.2 s with psutil.
3. per-stage shares of the in-process build, from the runner's own counters and phase times.
4. ``no-op rebuild``: the same build again (nothing new; the corpus steps it ran are listed).
5. ``add one article``: a knowledge base of every article but one, then the last one added.

Speed is reported, never asserted. Run from the repository root::

    .venv/bin/python bench/build_bench.py                       # the 361 real articles
    .venv/bin/python bench/build_bench.py --synthetic 2000 --json out/build-2000.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "ml-crisis-fr-dev" / "fr"


def _tree_rss(proc: Any) -> int:
    import psutil

    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_build(args: list[str], cwd: Path) -> dict[str, Any]:
    """``recoupe build ARGS --json`` in a subprocess: its summary, wall time and peak tree RSS."""
    import psutil

    cmd = [sys.executable, "-m", "recoupe", "build", *args, "--json"]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    out = child.stdout.read() if child.stdout else ""
    if child.returncode not in (0, 3):
        raise SystemExit(f"build failed ({child.returncode}): {' '.join(cmd)}")
    summary = json.loads(out)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak / 2**20), "summary": summary}


def spacy_alone(texts: list[str], model: str, n_process: int, batch_size: int) -> dict[str, float]:
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:2]))  # warm up
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "docs_per_s": len(texts) / seconds, "tokens": tokens,
            "tokens_per_s": tokens / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=0, help="N synthetic articles instead of the real ones")
    parser.add_argument("--runners", default="local1,local2,dask2", help="which builds to time")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recoupe-bench-"))
    try:
        if args.synthetic:
            sys.path.insert(0, str(ROOT / "bench"))
            from synth import write_corpus

            corpus = [work / "corpus"]
            write_corpus(corpus[0], args.synthetic)
            extra: list[str] = []
        else:
            corpus = [REAL / "libya", REAL / "syria"]
            if not corpus[0].is_dir():
                raise SystemExit(f"{corpus[0]} is absent: pass --synthetic N")
            extra = ["--date-from-path"]
        inputs = [str(p) for p in corpus]
        figures: dict[str, Any] = {"corpus": "synthetic" if args.synthetic else "ml-crisis-fr-dev (libya+syria)"}
        builds: dict[str, Any] = {}
        for name in args.runners.split(","):
            flags = {"local1": ["--workers", "1"], "local2": ["--workers", "2"],
                     "dask2": ["--runner", "dask", "--workers", "2"]}[name]
            kb = work / f"{name}.duckdb"
            builds[name] = run_build([*inputs, "--kb", str(kb), *extra, *flags], work)
            print(f"build {name}: {builds[name]['seconds']} s, peak RSS {builds[name]['peak_rss_mib']} MiB",
                  flush=True)
        first = work / f"{args.runners.split(',')[0]}.duckdb"
        import duckdb

        with duckdb.connect(str(first), read_only=True) as con:
            texts = [r[0] for r in con.execute("SELECT text FROM documents ORDER BY id").fetchall() if r[0].strip()]
        from recoupe.config import load_config

        cfg = load_config()
        alone1 = spacy_alone(texts, cfg.nlp.fr_model, 1, cfg.nlp.batch_size)
        alone2 = spacy_alone(texts, cfg.nlp.fr_model, 2, cfg.nlp.batch_size)
        print(f"spacy alone: 1 process {alone1['docs_per_s']:.2f} docs/s, 2 processes {alone2['docs_per_s']:.2f}",
              flush=True)
        figures["documents"] = len(texts)
        figures["spacy_alone"] = {"1_process": alone1, "2_processes": alone2}
        for b in builds.values():
            s = b["summary"]
            docs = s["annotated"] or len(texts)
            b["docs_per_s"] = docs / b["seconds"]
            b["tokens_per_s"] = alone1["tokens"] / b["seconds"]
            b["ratio_to_spacy_alone_1_process"] = round(b["docs_per_s"] / alone1["docs_per_s"], 3)
            b["runner"] = s["runner"]
        if "local1" in builds and "local2" in builds:
            speedup = builds["local2"]["docs_per_s"] / builds["local1"]["docs_per_s"]
            figures["two_processes_over_one"] = round(speedup, 3)
        if "local1" in builds:
            s = builds["local1"]["summary"]
            total = s["seconds"] or 1.0
            figures["phase_shares"] = {p["name"]: round(p["seconds"] / total, 3) for p in s["phases"]}
            figures["stage_seconds"] = {st["stage"]: st["seconds"] for st in s["stages"]}
        noop = run_build([*inputs, "--kb", str(first), *extra], work)
        figures["noop_rebuild"] = {"seconds": noop["seconds"], "steps_run": noop["summary"]["steps_run"]}
        print(f"no-op rebuild: {noop['seconds']} s, corpus steps run: {noop['summary']['steps_run']}", flush=True)
        # one article added to a knowledge base of all the others
        part = work / "part"
        root = corpus[0] if args.synthetic else REAL
        files = sorted(f for folder in corpus for f in folder.rglob("*") if f.is_file())
        for f in files[:-1]:
            target = part / f.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
        kb = work / "add.duckdb"
        run_build([str(part), "--kb", str(kb), *extra], work)
        last = files[-1]
        target = part / last.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(last, target)
        added = run_build([str(part), "--kb", str(kb), *extra], work)
        figures["add_one_article"] = {"into": len(files) - 1, "seconds": added["seconds"],
                                      "steps_run": added["summary"]["steps_run"],
                                      "phases": {p["name"]: p["seconds"] for p in added["summary"]["phases"]}}
        print(f"add one article to {len(files) - 1}: {added['seconds']} s", flush=True)
        figures["builds"] = {k: {x: v for x, v in b.items() if x != "summary"} for k, b in builds.items()}
        text = json.dumps(figures, indent=2)
        print(text)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(text, "utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
