"""How long the command line takes to start, against a bare ``python -c pass`` in the same run.

Each command runs as a whole process ``--runs`` times after one warm-up, in turn with the
baseline (A B A B ...), and the median wall time is reported with its ratio to the baseline's.
``serve`` is timed from the process start until ``/api/health`` answers. Run from the repository
root::

    .venv/bin/python bench/cli_start_bench.py --kb out/sample.duckdb

Without ``--kb`` the bundled sample corpus is built into ``bench/results/sample.duckdb`` first
(once). Prints a Markdown table (the figures in docs/figures.md come from it).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RECOUPE = str(BIN / "recoupe")


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(kb: Path) -> float:
    """Seconds from starting ``recoupe serve`` until its health endpoint answers."""
    port = _free_port()
    start = time.perf_counter()
    process = subprocess.Popen([RECOUPE, "serve", "--kb", str(kb), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1):
                    return time.perf_counter() - start
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("recoupe serve exited before answering") from None
                time.sleep(0.01)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, help="A built knowledge base (default: build the sample corpus).")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kb = args.kb
    if kb is None:
        kb = ROOT / "bench" / "results" / "sample.duckdb"
        if not kb.exists():
            kb.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([RECOUPE, "build", str(ROOT / "samples" / "corpus"), "--kb", str(kb)], check=True,
                           stdout=subprocess.DEVNULL)
    out = Path(tempfile.mkdtemp(prefix="recoupe-bench-"))
    baseline = [sys.executable, "-c", "pass"]
    commands: dict[str, list[str] | None] = {
        "python -c pass (baseline)": baseline,
        "recoupe --help": [RECOUPE, "--help"],
        "recoupe --version": [RECOUPE, "--version"],
        "recoupe stats KB": [RECOUPE, "stats", str(kb)],
        "recoupe stats KB --json": [RECOUPE, "stats", str(kb), "--json"],
        "recoupe timeline KB": [RECOUPE, "timeline", str(kb)],
        "recoupe sql KB 'select count(*) from documents'": [RECOUPE, "sql", str(kb),
                                                            "select count(*) from documents"],
        "recoupe export KB --out DIR --force": [RECOUPE, "export", str(kb), "--out", str(out), "--force"],
        "recoupe serve KB (until /api/health answers)": None,
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(args.runs + 1):
        for name, command in commands.items():
            value = _serve(kb) if command is None else _wall(command)
            if round_:  # the first round warms the caches and is not counted
                times[name].append(value)
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"{args.runs} runs each after one warm-up, in turn; knowledge base {kb.name} "
          f"({kb.stat().st_size // 1024} KiB); median wall seconds")
    print()
    print("| command | median s | min s | max s | median / baseline |")
    print("|---|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median:.3f} | {min(values):.3f} | {max(values):.3f} | {median / base:.1f}x |")


if __name__ == "__main__":
    main()
