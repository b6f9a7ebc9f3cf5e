"""The build end to end on a real DuckDB file: accounting, hostile inputs, incremental runs, CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recoupe import build, export
from recoupe.config import Config
from recoupe.errors import StoreError
from recoupe.model import BuildSummary
from recoupe.store.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "corpus"
ARTICLE = (
    "Une route neuve entre deux villes\n\n"
    "DAKAR: Le ministre de l'Équipement a inauguré lundi un nouveau tronçon de route entre deux villes de la "
    "région, a indiqué son cabinet dans un communiqué publié en fin de journée.\n\n"
    "Les travaux, commencés il y a trois ans, ont coûté 40 millions d'euros selon le ministère, qui promet "
    "d'autres chantiers dans le nord du pays.\n"
)


def _hostile(folder: Path) -> None:
    folder.mkdir()
    (folder / "random.txt").write_bytes(bytes(random_bytes(4096)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(ARTICLE.encode("latin-1"))
    (folder / "big.txt").write_bytes(b"Une ligne de texte assez ordinaire.\n" * (20_000_000 // 36 + 1))
    (folder / "script.html").write_text(
        "<html><head><title>Page</title></head><body><article><h1>Page</h1><p>"
        + ARTICLE.replace("\n\n", "</p><p>")
        + "</p><script>document.title='pwned'</script><img src=x onerror=alert(1)></article></body></html>",
        encoding="utf-8",
    )
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "broken.jsonl").write_text(
        '{"id": "ok", "text": "' + ARTICLE.replace("\n", "\\n") + '"}\n{oops\n', encoding="utf-8"
    )


def random_bytes(n: int) -> bytes:
    import random

    return random.Random(7).randbytes(n)


def test_hostile_folder_builds_and_accounts_for_every_input(tmp_path: Path, config: Config) -> None:
    _hostile(tmp_path / "in")
    summary = build([tmp_path / "in"], tmp_path / "kb.duckdb", config)
    assert summary.read == 9
    assert summary.read == summary.accepted + summary.unchanged + summary.duplicate + summary.rejected
    assert dict(summary.by_reason) == {"binary": 1, "empty": 1, "oversized": 1, "unparsable": 1, "unsupported_type": 1}
    assert summary.exit_code == 3
    with KnowledgeBase(tmp_path / "kb.duckdb") as kb:
        ids = [r[0] for r in kb.query("SELECT id FROM documents ORDER BY id")]
        assert ids == ["good", "latin1", "ok", "script"]
        html_text = kb.query("SELECT text FROM documents WHERE id = 'script'")[0][0]
        assert "pwned" not in html_text and "onerror" not in html_text
        inputs = kb.query("SELECT status, count(*) FROM inputs GROUP BY 1 ORDER BY 1")
        # the HTML page's <h1> is its headline (metadata), so its text is the plain file's: a copy
        assert inputs == [("accepted", 2), ("duplicate", 2), ("rejected", 5)]


def test_rebuild_changes_nothing_and_new_files_add_only_themselves(tmp_path: Path, config: Config) -> None:
    kb = tmp_path / "kb.duckdb"
    first_half = tmp_path / "first"
    first_half.mkdir()
    names = sorted(p.name for p in SAMPLE.iterdir())
    for name in names[:6]:
        (first_half / name).write_bytes((SAMPLE / name).read_bytes())
    build([first_half], kb, config)
    for name in names[6:]:
        (first_half / name).write_bytes((SAMPLE / name).read_bytes())
    second = build([first_half], kb, config)
    assert (second.unchanged, second.accepted + second.duplicate) == (6, 5)  # the .jsonl holds two articles
    export(kb, tmp_path / "incremental")

    scratch = tmp_path / "scratch.duckdb"
    build([SAMPLE], scratch, config)
    export(scratch, tmp_path / "scratch")

    def strip(p):
        return [
            {k: v for k, v in json.loads(line).items() if k != "source"} for line in p.read_text("utf-8").splitlines()
        ]

    assert strip(tmp_path / "incremental" / "documents.jsonl") == strip(tmp_path / "scratch" / "documents.jsonl")

    third = build([first_half], kb, config)
    assert (third.unchanged, third.accepted, third.recleaned) == (11, 0, 0)
    export(kb, tmp_path / "again")
    assert (tmp_path / "again" / "documents.jsonl").read_bytes() == (
        tmp_path / "incremental" / "documents.jsonl"
    ).read_bytes()
    with KnowledgeBase(kb) as store:
        assert [r[0] for r in store.query("SELECT status FROM runs ORDER BY seq")] == ["finished"] * 3


def test_interrupted_build_resumes(tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    from recoupe import corpus_steps

    kb = tmp_path / "kb.duckdb"
    small = config.model_copy(update={"run": config.run.model_copy(update={"batch_size": 3})})

    def boom(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(corpus_steps.Recurring, "run", boom)
    with pytest.raises(KeyboardInterrupt):
        build([SAMPLE], kb, small)
    monkeypatch.undo()
    with KnowledgeBase(kb) as store:
        assert store.query("SELECT count(*) FROM documents")[0][0] == 11
        assert store.query("SELECT status FROM runs")[0][0] == "running"
    resumed = build([SAMPLE], kb, small)
    whole = build([SAMPLE], tmp_path / "whole.duckdb", small)
    # the documents the interrupted build stored are accounted as an uninterrupted build would
    assert (resumed.unchanged, resumed.accepted, resumed.duplicate) == (0, whole.accepted, whole.duplicate)
    assert resumed.novelty == whole.novelty and resumed.annotated == whole.annotated
    assert resumed.families == 2 and resumed.near_duplicate_pairs == 1
    with KnowledgeBase(kb) as store:
        assert [r[0] for r in store.query("SELECT status FROM runs ORDER BY seq")] == ["failed", "finished"]
    again = build([SAMPLE], kb, small)
    assert (again.unchanged, again.accepted, again.steps_run) == (whole.read - whole.rejected, 0, ())


CORPUS_PHASES = {"clean again (boilerplate evidence changed)", "date undated articles from the corpus",
                 "resolve entities", "find duplicates", "cross-check events, sources, stories", "full-text index"}


@pytest.mark.issue(17)
def test_a_rebuild_with_nothing_new_does_no_corpus_step(sample_build: dict[str, object], tmp_path: Path,
                                                       config: Config) -> None:
    from recoupe.entities_admin import judge

    kb = tmp_path / "kb.duckdb"
    shutil.copy(str(sample_build["kb"]), kb)
    first = sample_build["summary"]
    assert isinstance(first, BuildSummary) and first.steps_run
    export(kb, tmp_path / "before")

    def figures(s: BuildSummary) -> tuple[int, ...]:
        return s.documents, s.events, s.stories, s.conflicts, s.families, s.near_duplicate_pairs, s.undated

    again = build([SAMPLE], kb, config)
    assert again.steps_run == () and again.unchanged == 11
    assert [p.name for p in again.phases] == ["read + parse + clean"]
    assert figures(again) == figures(first)
    export(kb, tmp_path / "after")
    for path in sorted((tmp_path / "before").iterdir()):
        assert path.read_bytes() == (tmp_path / "after" / path.name).read_bytes(), path.name
    assert build([SAMPLE], kb, config).steps_run == ()

    # each thing the corpus steps read makes them run again: a setting ...
    other = config.model_copy(update={"dedupe": config.dedupe.model_copy(update={"near_jaccard": 0.9})})
    ran = build([SAMPLE], kb, other)
    assert ran.steps_run and {p.name for p in ran.phases} >= CORPUS_PHASES - {"parse + time + entities + events"}
    assert build([SAMPLE], kb, config).steps_run  # back to the first settings
    # ... a human judgement ...
    with KnowledgeBase(kb) as store:
        names = [r[0] for r in store.query("SELECT name FROM entities WHERE type = 'PER' ORDER BY name LIMIT 2")]
    judge(kb, "merge", names[0], names[1])  # applied at once: the next build has nothing to redo
    assert build([SAMPLE], kb, config).steps_run == ()
    with KnowledgeBase(kb) as store:  # ... unless the judgement was recorded without being applied
        store.con.execute("INSERT INTO judgements SELECT max(seq) + 1, 'split', 'x', NULL FROM judgements")
    assert "entities.resolve.v1" in build([SAMPLE], kb, config).steps_run
    # ... a previous build that did not finish ...
    with KnowledgeBase(kb) as store:
        store.con.execute("UPDATE runs SET status = 'running' WHERE seq = (SELECT max(seq) FROM runs)")
    assert build([SAMPLE], kb, config).steps_run == ()  # each step recorded its inputs when it finished
    # ... a new article
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "route.txt").write_text(ARTICLE, encoding="utf-8")
    grown = build([SAMPLE, tmp_path / "new"], kb, config)
    assert grown.accepted == 1 and "crosscheck.v1" in grown.steps_run
    assert build([SAMPLE, tmp_path / "new"], kb, config).steps_run == ()


def test_export_refuses_to_overwrite_without_force(tmp_path: Path, config: Config) -> None:
    kb = tmp_path / "kb.duckdb"
    build([SAMPLE / "a01_courrierlittoral.txt"], kb, config)
    export(kb, tmp_path / "out")
    with pytest.raises(StoreError, match=r"\[R404\]"):
        export(kb, tmp_path / "out")
    summary = export(kb, tmp_path / "out", force=True)
    counts = dict(summary.counts)
    assert counts.pop("entities") >= 4  # the sample article's people, places and outlets
    assert counts.pop("events") >= 1 and counts.pop("quotes") >= 1
    assert counts == {"documents": 1, "conflicts": 0, "stories": 1}  # one article, one story, nothing to contradict
    record = json.loads((tmp_path / "out" / "documents.jsonl").read_text("utf-8"))
    assert set(record) >= {
        "id",
        "source",
        "title",
        "outlet",
        "author",
        "language",
        "published",
        "text",
        "removed",
        "duplicate_of",
        "near_duplicates",
        "story",
    }
    assert set(record["published"]) == {"value", "basis", "evidence"}


def test_export_of_a_missing_kb_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"\[R402\]"):
        export(tmp_path / "nope.duckdb", tmp_path / "out")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "recoupe", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_cli_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(ARTICLE, encoding="utf-8")
    ok = _cli("build", "in", "--kb", "kb.duckdb", "--json", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["accepted"] == 1
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    partial = _cli("build", "in", "--kb", "kb.duckdb", "--json", cwd=tmp_path)
    assert partial.returncode == 3
    assert "[R301]" in partial.stderr
    assert json.loads(partial.stdout)["rejected_by_reason"] == {"empty": 1}
    usage = _cli("build", "--kb", "kb.duckdb", cwd=tmp_path)
    assert usage.returncode == 2
    (tmp_path / "bad.toml").write_text("[clean]\nnot_a_key = 1\n", encoding="utf-8")
    error = _cli("build", "in", "--kb", "kb.duckdb", "--config", "bad.toml", cwd=tmp_path)
    assert error.returncode == 1 and "[R201]" in error.stderr
    stats = _cli("stats", "kb.duckdb", "--json", cwd=tmp_path)
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 1
    exported = _cli("export", "kb.duckdb", "--out", "exp", cwd=tmp_path)
    assert exported.returncode == 0 and "documents.jsonl\t1" in exported.stdout


def test_process_pool_build_equals_in_process(sample_build: dict[str, object], tmp_path: Path,
                                             config: Config) -> None:
    """``--workers 2`` sends documents to worker processes and back (they must pickle) and keeps
    one pool for the whole build; the knowledge base it writes equals the in-process one."""
    from recoupe.config import load_config

    kb = tmp_path / "pool.duckdb"
    build([ROOT / "samples" / "corpus"], kb, load_config(run={"progress": False, "workers": 2}))
    query = 'SELECT doc_id, trigger_start, type, modality FROM events ORDER BY ALL'
    with KnowledgeBase(kb, create=False) as pooled, \
            KnowledgeBase(Path(str(sample_build["kb"])), create=False) as single:
        assert pooled.query(query) == single.query(query)
        assert pooled.query("SELECT id, text FROM documents ORDER BY id") == \
            single.query("SELECT id, text FROM documents ORDER BY id")
