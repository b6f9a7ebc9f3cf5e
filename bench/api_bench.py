"""HTTP API latency under concurrent clients, on a real server over a real knowledge base.

Starts ``recoupe serve KB`` on a free loopback port (a separate process, as users run it), then
for each endpoint class (list, filter, search) keeps ``--clients`` concurrent connections busy
with that class's requests and reports p50/p95/p99 latency. The load generator is ``wrk`` (C,
one thread; ``apt-get install wrk``) when installed, else httpx on asyncio (``--client httpx``),
which on a 2-core machine spends more CPU than the server and so measures mostly itself. The
baseline, run the same way in the same run, is ``/api/health`` (framework and transport alone);
each class is also reported as a ratio to it. Nothing is asserted. Run from the repository root::

    .venv/bin/python bench/synth.py --articles 10000 --out bench/results/synth-10k
    .venv/bin/recoupe build bench/results/synth-10k --kb bench/results/synth-10k.duckdb --workers 2
    .venv/bin/python bench/api_bench.py --kb bench/results/synth-10k.duckdb --clients 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(kb: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    recoupe = Path(sys.executable).with_name("recoupe")
    proc = subprocess.Popen([str(recoupe), "serve", str(kb), "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "RECOUPE_TOKEN": ""})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def _paths(base: str, rng: random.Random) -> dict[str, list[str]]:
    """Request paths per class, drawn from what the knowledge base holds."""
    with httpx.Client(base_url=base, timeout=30) as c:
        stories = [s["id"] for s in c.get("/api/stories", params={"limit": 500}).json()["items"]]
        people = [e["id"] for e in c.get("/api/entities", params={"limit": 200, "type": "PER"}).json()["items"]]
        docs = c.get("/api/documents", params={"limit": 500}).json()
        events = c.get("/api/events", params={"limit": 500}).json()
    total_docs, total_events = docs["total"], events["total"]
    days = sorted({e["time"]["start"] for e in events["items"] if e["time"]["start"]})
    words = ("accord", "visite", "ministre", "coopération", "pêche", "sécurité", "énergies", "frontières",
             "délégations", "opposition", "fonds", "homologue", "santé", "commerce", "ports", "eau")
    paths: dict[str, list[str]] = {"baseline": ["/api/health"] * 50, "list": [], "filter": [], "search": []}
    for _ in range(200):
        paths["list"].append(rng.choice((
            f"/api/documents?limit=50&offset={rng.randrange(0, max(1, total_docs - 50))}",
            f"/api/events?limit=50&offset={rng.randrange(0, max(1, total_events - 50))}",
            "/api/entities?limit=50", "/api/stories?limit=50", "/api/conflicts?limit=50")))
        day = rng.choice(days) if days else "2024-01-01"
        paths["filter"].append(rng.choice((
            f"/api/events?story={rng.choice(stories)}", f"/api/events?entity={rng.choice(people)}",
            "/api/events?type=visit&min_sources=2", f"/api/events?from={day}&to={day}",
            "/api/events?modality=planned", f"/api/documents?story={rng.choice(stories)}",
            f"/api/conflicts?story={rng.choice(stories)}", "/api/entities?type=PER&name=" + rng.choice("aeiou"))))
        paths["search"].append("/api/search?q=" + "+".join(rng.sample(words, rng.choice((1, 1, 2)))))
    return paths


async def _load(base: str, paths: list[str], clients: int, requests: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(paths[i % len(paths)])

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            path = queue.get_nowait()
            start = time.perf_counter()
            response = await http.get(path)
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies


_WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "errors": %%d, "p50_ms": %%.1f, "p95_ms": %%.1f, '
    .. '"p99_ms": %%.1f, "max_ms": %%.1f, "seconds": %%.3f}\\n', summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.duration / 1e6))
end
"""


def _wrk(base: str, paths: list[str], clients: int, seconds: int, folder: Path) -> dict[str, Any]:
    """One wrk run over ``paths`` (round robin); its own percentiles of every request's latency."""
    script = folder / "paths.lua"
    encoded = [quote(p, safe="/?=&+%") for p in paths]  # percent-encoded: ASCII only, as on the wire
    script.write_text(_WRK_SCRIPT % ", ".join(json.dumps(p) for p in encoded))
    out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                          base], check=True, capture_output=True, text=True).stdout
    found = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    if found["errors"]:
        raise SystemExit(f"wrk saw {found['errors']} errors:\n{out}")
    found["requests_per_s"] = round(found["requests"] / found["seconds"], 1)
    return found


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint class")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--server-workers", type=int, default=2, help="recoupe serve --workers")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--seconds", type=int, default=15, help="wrk: seconds per class")
    parser.add_argument("--out", type=Path, default=Path("bench/results/api_bench.json"))
    args = parser.parse_args()
    port = _free_port()
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    server = _start(args.kb, port, args.server_workers)
    base = f"http://127.0.0.1:{port}"
    try:
        paths = _paths(base, random.Random(args.seed))
        asyncio.run(_load(base, paths["list"] + paths["filter"] + paths["search"], args.clients, 600))  # warm-up
        results: dict[str, Any] = {}
        for name in ("baseline", "list", "filter", "search"):
            if client == "wrk":
                args.out.parent.mkdir(parents=True, exist_ok=True)
                results[name] = _wrk(base, paths[name], args.clients, args.seconds, args.out.parent)
                continue
            started = time.perf_counter()
            lat = asyncio.run(_load(base, paths[name], args.clients, args.requests))
            wall = time.perf_counter() - started
            results[name] = {"requests": len(lat), "p50_ms": round(_pct(lat, 50), 1),
                             "p95_ms": round(_pct(lat, 95), 1), "p99_ms": round(_pct(lat, 99), 1),
                             "max_ms": round(max(lat), 1), "requests_per_s": round(len(lat) / wall, 1)}
        with httpx.Client(base_url=base) as c:
            overview = c.get("/api/overview").json()
    finally:
        server.terminate()
        server.wait(timeout=30)
    base_p95 = results["baseline"]["p95_ms"]
    print(f"knowledge base: {args.kb} ({overview['documents']} articles, {overview['events']} events, "
          f"{overview['entities']} entities, {overview['stories']} stories); {args.clients} concurrent clients, "
          f"{args.server_workers} server processes, load from {client}")
    print(f"{'class':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>9}"
          f"{'p95/baseline':>14}")
    for name, r in results.items():
        print(f"{name:<10}{r['requests']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}"
              f"{r['requests_per_s']:>9}{r['p95_ms'] / base_p95:>14.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"kb": str(args.kb), "clients": args.clients, "client": client,
                                    "server_workers": args.server_workers, "overview": overview,
                                    "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
