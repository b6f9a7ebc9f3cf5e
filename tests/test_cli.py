"""The command line as a user meets it: one way to pass the knowledge base, read-only readers beside a
running server, wrong files refused with a code, exit codes, --json in one key style, SQL, exports in
three formats, the effective configuration. Real processes, real DuckDB files, a real server."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytestmark = pytest.mark.issue(17)
ROOT = Path(__file__).resolve().parents[1]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def _cli(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "recoupe", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=timeout)


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


@pytest.fixture(scope="module")
def kb(sample_build: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample knowledge base: these tests may hold it open from other processes."""
    target = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    shutil.copy(str(sample_build["kb"]), target)
    return target


def _not_a_kb(folder: Path) -> dict[str, Path]:
    article = folder / "libya.jsonl"
    article.write_text('{"id": "a", "text": "Un article."}\n', encoding="utf-8")
    (folder / "empty.duckdb").write_bytes(b"")
    (folder / "random.duckdb").write_bytes(bytes(range(256)) * 8)
    other = folder / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    (folder / "a-folder").mkdir()
    return {"R406": article, "R406 ": folder / "empty.duckdb", "R406  ": folder / "random.duckdb",
            "R407": other, "R406   ": folder / "a-folder"}


@pytest.mark.parametrize("command", [["stats"], ["export", "--out", "exp"], ["timeline"], ["sql", "select 1"],
                                     ["report", "--out", "rep"]])
def test_wrong_files_are_refused_with_a_code(tmp_path: Path, command: list[str]) -> None:
    for code, path in _not_a_kb(tmp_path).items():
        before = path.read_bytes() if path.is_file() else None
        done = _cli(command[0], str(path), *command[1:], cwd=tmp_path)
        assert done.returncode == 1, (path, done.stdout, done.stderr)
        assert f"[{code.strip()}]" in done.stderr and "documents" not in done.stdout
        assert (path.read_bytes() if path.is_file() else None) == before


def test_build_refuses_to_write_into_a_file_that_is_not_a_kb(tmp_path: Path) -> None:
    files = _not_a_kb(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Titre\n\nUn texte assez long pour être un article de presse.\n",
                                           encoding="utf-8")
    for code in ("R406", "R407"):
        before = files[code].read_bytes()
        done = _cli("build", "in", "--kb", str(files[code]), cwd=tmp_path)
        assert done.returncode == 1 and f"[{code}]" in done.stderr
        assert files[code].read_bytes() == before


def test_the_kb_is_passed_the_same_way_everywhere(kb: Path, tmp_path: Path) -> None:
    positional = _cli("stats", str(kb), "--json")
    option = _cli("stats", "--kb", str(kb), "--json")
    assert positional.returncode == option.returncode == 0 and positional.stdout == option.stdout
    assert _cli("sql", str(kb), "select count(*) AS n from documents", "--json").stdout == \
        _cli("sql", "--kb", str(kb), "select count(*) AS n from documents", "--json").stdout
    both = _cli("stats", str(kb), "--kb", str(tmp_path / "other.duckdb"))
    assert both.returncode == 2 and "two knowledge bases" in both.stderr
    neither = _cli("stats")
    assert neither.returncode == 2 and "--kb" in neither.stderr


def test_every_command_documents_its_exit_codes() -> None:
    from click.testing import CliRunner

    from recoupe.cli import main

    commands = [[name] for name in main.commands if name not in {"entities", "eval"}]
    commands += [["entities", n] for n in ("show", "merge", "split")] + [["eval", "seeds"], ["eval", "ner"]]
    for command in commands:
        done = CliRunner().invoke(main, [*command, "--help"], terminal_width=200)
        assert done.exit_code == 0 and "Exit status: 0 success; 1 error" in " ".join(done.output.split()), command


def test_json_keys_are_snake_case(kb: Path, tmp_path: Path) -> None:
    outputs = {
        "stats": _cli("stats", str(kb), "--json"),
        "timeline": _cli("timeline", str(kb), "--json"),
        "export": _cli("export", str(kb), "--out", str(tmp_path / "e"), "--json"),
        "report": _cli("report", str(kb), "--out", str(tmp_path / "r"), "--json"),
        "entities show": _cli("entities", "show", "a", "--kb", str(kb), "--json", "--mentions"),
        "config": _cli("config", "--json"),
        "sql": _cli("sql", str(kb), "select id, published_basis from documents limit 3", "--json"),
    }
    for name, done in outputs.items():
        assert done.returncode == 0, (name, done.stderr)
        keys = _keys(json.loads(done.stdout))
        assert keys and all(SNAKE.match(k) for k in keys), (name, sorted(k for k in keys if not SNAKE.match(k)))
    stats = json.loads(outputs["stats"].stdout)
    assert stats["documents"] == sum(o["documents"] for o in stats["outlets"])


def test_build_json_progress_lines_and_unique_run_ids(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "samples" / "corpus" / "a01_courrierlittoral.txt", tmp_path / "in")
    runs = []
    builds = [subprocess.Popen([sys.executable, "-m", "recoupe", "build", "in", "--kb", name, "--json"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for name in ("one.duckdb", "two.duckdb")]  # two fresh builds of the same input, side by side
    for build in builds:
        stdout, stderr = build.communicate(timeout=300)
        done = subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert all(SNAKE.match(k) for k in _keys(summary))
        runs.append(summary["run_id"])
        # stderr is a pipe here: progress comes as plain lines, one per phase at least, with times
        lines = [line for line in done.stderr.splitlines() if line.startswith("recoupe: ")]
        phases = [p["name"] for p in summary["phases"]]
        assert {"read + parse + clean", "parse + time + entities + events", "resolve entities",
                "cross-check events, sources, stories", "full-text index"} <= set(phases)
        for phase in phases:
            assert any(line.startswith(f"recoupe: {phase}: ") and re.search(r"\d s$", line) for line in lines), phase
        annotate = next(p for p in summary["phases"] if p["name"] == "parse + time + entities + events")
        assert annotate["items"] == 1 and annotate["seconds"] > 0
    assert runs[0] != runs[1] and all(r.startswith("run-") for r in runs)
    table = _cli("build", "in", "--kb", "one.duckdb", cwd=tmp_path)
    assert "took: all phases" in table.stdout and "unchanged (skipped)" in table.stdout
    assert re.search(r"took: whole build \(loading included\) +\S* +\d+\.\d s", table.stdout), table.stdout
    # nothing new: no corpus step ran, and both the summary and the progress lines say so
    assert re.search(r"corpus steps +\S* +skipped \(nothing they read", table.stdout), table.stdout
    assert "recoupe: corpus steps skipped: nothing they read changed" in table.stderr
    assert "resolve entities" not in table.stderr and "took: resolve entities" not in table.stdout


@contextmanager
def _serving(kb: Path, port: int = 0) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen([sys.executable, "-m", "recoupe", "serve", "--kb", str(kb), "--port", str(port)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, line + process.stderr.read()
        yield process, found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stderr:
            process.stderr.close()


def test_read_only_commands_work_while_serve_runs(kb: Path, tmp_path: Path) -> None:
    import httpx

    with _serving(kb) as (_, url):
        assert httpx.get(url + "api/health", timeout=10).json()["status"] == "ok"
        for args in (["stats", str(kb)], ["export", str(kb), "--out", str(tmp_path / "e"), "--format", "csv"],
                     ["timeline", str(kb)], ["report", str(kb), "--out", str(tmp_path / "r")],
                     ["entities", "show", "a", "--kb", str(kb)], ["sql", str(kb), "select count(*) from entities"]):
            done = _cli(*args)
            assert done.returncode == 0, (args, done.stderr)
        assert httpx.get(url + "api/overview", timeout=10).json()["documents"] >= 10


def test_a_writer_makes_readers_say_why(kb: Path, tmp_path: Path) -> None:
    copy = tmp_path / "busy.duckdb"
    shutil.copy(kb, copy)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom recoupe.store.kb import KnowledgeBase\n"
                               f"kb = KnowledgeBase({str(copy)!r})\nprint('open', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        done = _cli("stats", str(copy))
        assert done.returncode == 1 and "[R405]" in done.stderr and f"PID {holder.pid}" in done.stderr
    finally:
        holder.terminate()
        holder.wait(timeout=20)
        if holder.stdout:
            holder.stdout.close()
    assert _cli("stats", str(copy)).returncode == 0


def test_serve_on_a_busy_port_is_a_coded_error(kb: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = _cli("serve", str(kb), "--port", str(port), timeout=60)
    assert done.returncode == 1 and "[R601]" in done.stderr and str(port) in done.stderr
    assert "http://" not in done.stderr and time.monotonic() - started < 30


def test_export_csv_and_parquet_have_the_rows_and_columns_of_the_jsonl(kb: Path, tmp_path: Path) -> None:
    from recoupe.export import COLUMNS, FILES

    for fmt in ("jsonl", "csv", "parquet"):
        done = _cli("export", str(kb), "--out", str(tmp_path / fmt), "--format", fmt, "--json")
        assert done.returncode == 0, done.stderr
        assert [f["table"] for f in json.loads(done.stdout)["files"]] == list(FILES)
    con = duckdb.connect()
    for name in FILES:
        lines = (tmp_path / "jsonl" / f"{name}.jsonl").read_text("utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert all(list(r) == list(COLUMNS[name]) for r in records), name
        parquet = (tmp_path / "parquet" / f"{name}.parquet").as_posix()
        csv_path = (tmp_path / "csv" / f"{name}.csv").as_posix()
        assert con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone() == (len(lines),)
        assert con.execute(f"SELECT count(*) FROM read_csv('{csv_path}')").fetchone() == (len(lines),)
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall()]
        assert columns == list(COLUMNS[name])
        with open(csv_path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
            handle.seek(0)
            rows = list(csv.DictReader(handle))
        assert header == list(COLUMNS[name])
        for record, row in zip(records, rows, strict=True):  # same values, nested ones as JSON text
            for key, value in record.items():
                text = row[key]
                assert (json.loads(text) if isinstance(value, (dict, list)) else text) == \
                    (value if isinstance(value, (dict, list)) else ("" if value is None else
                                                                     str(value).lower() if isinstance(value, bool)
                                                                     else str(value))), (name, key)
    texts = con.execute(f"SELECT id, text, published.basis FROM read_parquet("
                        f"'{(tmp_path / 'parquet' / 'documents.parquet').as_posix()}') ORDER BY id").fetchall()
    jsonl = sorted((r["id"], r["text"], r["published"]["basis"]) for r in
                   map(json.loads, (tmp_path / "jsonl" / "documents.jsonl").read_text("utf-8").splitlines()))
    assert texts == jsonl


def test_sql_prints_rows_and_refuses_writes(kb: Path) -> None:
    query = "select outlet, count(*) as n from documents group by 1 order by n desc, outlet nulls last"
    rows = json.loads(_cli("sql", str(kb), query, "--json").stdout)
    con = duckdb.connect(str(kb), read_only=True)
    expected = con.execute(query).fetchall()
    con.close()
    assert [(r["outlet"], r["n"]) for r in rows] == expected
    as_csv = _cli("sql", str(kb), query, "--csv").stdout.splitlines()
    assert as_csv[0] == "outlet,n" and len(as_csv) == len(expected) + 1
    table = _cli("sql", str(kb), query)
    assert table.returncode == 0 and str(expected[0][1]) in table.stdout and f"{len(expected)} rows" in table.stderr
    for bad in ("delete from documents", "select * from no_such_table", "selec 1"):
        done = _cli("sql", str(kb), bad)
        assert done.returncode == 1 and "[R408]" in done.stderr, bad
    assert json.loads(_cli("sql", str(kb), "select count(*) as n from documents", "--json").stdout) == \
        [{"n": sum(n for _, n in expected)}]


def test_config_prints_the_effective_configuration(tmp_path: Path) -> None:
    import tomllib

    from recoupe.config import load_config

    (tmp_path / "mine.toml").write_text("[crosscheck]\nstory_window_days = 3\n", encoding="utf-8")
    done = _cli("config", "--config", str(tmp_path / "mine.toml"))
    assert done.returncode == 0 and "# Days between publication dates" in done.stdout
    effective = tomllib.loads(done.stdout)
    assert effective["crosscheck"]["story_window_days"] == 3
    assert load_config(tmp_path / "mine.toml").model_dump(mode="json") == effective
    (tmp_path / "bad.toml").write_text("[crosscheck]\nstory_window = 3\n", encoding="utf-8")
    bad = _cli("config", "--config", str(tmp_path / "bad.toml"))
    assert bad.returncode == 1 and "[R201]" in bad.stderr


def test_entities_show_summarises_and_mentions_is_the_long_form(kb: Path) -> None:
    con = duckdb.connect(str(kb), read_only=True)
    name, entity_id, mentions = con.execute(
        "SELECT e.name, e.id, count(*) FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.type = 'PER' "
        "GROUP BY ALL ORDER BY 3 DESC, 2 LIMIT 1").fetchone()  # type: ignore[misc]
    con.close()
    short = _cli("entities", "show", entity_id, "--kb", str(kb))
    assert short.returncode == 0 and f"{mentions} mentions in" in short.stdout
    assert "{" not in short.stdout  # evidence in words, not dicts
    long = json.loads(_cli("entities", "show", entity_id, "--kb", str(kb), "--mentions", "--json").stdout)
    assert [e["id"] for e in long] == [entity_id] and len(long[0]["mentions"]) == mentions
    assert sum(a["mentions"] for a in long[0]["top_articles"]) <= mentions
    for article in long[0]["top_articles"]:  # cited, with the id to tell same-titled copies apart
        assert f"[{article['doc']}]" in short.stdout.replace("\n", " ")
    summary = json.loads(_cli("entities", "show", entity_id, "--kb", str(kb), "--json").stdout)[0]
    assert "mentions" not in summary and summary["mention_count"] == mentions and summary["name"] == name
    missing = _cli("entities", "show", "zzzz nobody", "--kb", str(kb))
    assert missing.returncode == 1 and "[R507]" in missing.stderr


def test_eval_seeds_prints_misses_only_when_asked(kb: Path) -> None:
    quiet = _cli("eval", "seeds", "--gold", str(ROOT / "samples" / "gold.json"), "--kb", str(kb))
    verbose = _cli("eval", "seeds", "--gold", str(ROOT / "samples" / "gold.json"), "--kb", str(kb), "--verbose")
    assert quiet.returncode == verbose.returncode == 0
    assert "not found in" not in quiet.stderr and len(quiet.stderr.splitlines()) <= 1
    misses = [line for line in verbose.stderr.splitlines() if line.startswith("  ")]
    announced = re.search(r"(\d+) annotations missed", quiet.stderr)
    assert (int(announced.group(1)) if announced else 0) == len(misses)
