"""The knowledge base: one embedded DuckDB file, its schema, and the runs that wrote it."""

from __future__ import annotations

import importlib.util
import json
import re
import secrets
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from recoupe.errors import E, StoreError

SCHEMA_VERSION = "6"

# DuckDB's Python client tries `import pandas` for every bound parameter; where pandas is not
# installed the failed import is not cached and searches sys.path each time (a third of a
# loaded API server's time). Recording the absence once makes each attempt a dictionary lookup.
if "pandas" not in sys.modules and importlib.util.find_spec("pandas") is None:
    sys.modules["pandas"] = None  # type: ignore[assignment]


def schema_sql() -> str:
    """The DDL of every table (``store/schema.sql``)."""
    return resources.files("recoupe").joinpath("store", "schema.sql").read_text("utf-8")


def load_fts(con: duckdb.DuckDBPyConnection, *, required: bool = False) -> bool:
    """Load DuckDB's FTS extension from its wheel (nothing written under $HOME).

    Returns False when it is unavailable, unless ``required``, when the error propagates.
    """
    try:
        import duckdb_extension_fts

        ext = next(Path(duckdb_extension_fts.__file__).parent.rglob("fts.duckdb_extension"))
        con.execute(f"LOAD '{ext.as_posix()}'")
    except (ImportError, StopIteration, duckdb.Error):
        if required:
            raise
        return False
    return True


_MAGIC = b"DUCK"  # bytes 8 to 12 of every DuckDB database file
_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def check_file(path: Path) -> None:
    """Refuse an existing file that is not a DuckDB database (an article, an export, a folder).

    Raises:
        StoreError: R406.
    """
    if path.is_dir():
        raise StoreError(E.R406.format(path=path, detail="it is a folder"))
    with path.open("rb") as handle:
        head = handle.read(12)
    if head[8:12] != _MAGIC:
        detail = "the file is empty" if not head else f"it has no DuckDB header; its name ends in '{path.suffix}'"
        raise StoreError(E.R406.format(path=path, detail=detail))


def _open_error(path: Path, err: duckdb.Error) -> StoreError:
    message = str(err)
    if "lock" in message.lower():
        found = _LOCK_HOLDER.search(message)
        return StoreError(E.R405.format(path=path, holder=f" (PID {found.group(1)})" if found else ""))
    return StoreError(E.R401.format(path=path, error=err))


class KnowledgeBase:
    """An open knowledge base. Use as a context manager; writes happen in explicit transactions.

    ``read_only`` opens it as the readers do (stats, export, report, sql, the app): any number of
    read-only processes may share the file, but not while another process has it open for writing.
    A file that is not a recoupe knowledge base is refused, never written into.
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False) -> None:
        self.path = Path(path)
        exists = self.path.exists()
        if not exists and (read_only or not create):
            raise StoreError(E.R402.format(path=self.path))
        if exists:
            check_file(self.path)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise _open_error(self.path, err) from err
        try:
            self._check_schema(fresh=not exists, read_only=read_only)
        except BaseException:
            self.con.close()
            raise

    def _check_schema(self, *, fresh: bool, read_only: bool) -> None:
        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "meta" not in tables and (read_only or tables):
            raise StoreError(E.R407.format(path=self.path))
        if not read_only:
            self.con.execute(schema_sql())
        found = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None and not read_only:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        elif found is None:
            raise StoreError(E.R407.format(path=self.path))
        elif found[0] != SCHEMA_VERSION:
            raise StoreError(E.R403.format(path=self.path, found=found[0], expected=SCHEMA_VERSION))

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return all rows."""
        return self.con.execute(sql, params or []).fetchall()

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, command: str, config: dict[str, Any], versions: dict[str, str],
                  input_fingerprint: str) -> str:
        """Record a run as started; returns its id, unique to this run: the time it started and a
        random suffix (``run-20261202T101500-3f9a1c``). Ids of facts stay content hashes."""
        # this process holds the write lock: a run still "running" was killed
        self.con.execute("UPDATE runs SET status = 'failed' WHERE status = 'running'")
        seq = int(self.query("SELECT coalesce(max(seq), 0) + 1 FROM runs")[0][0])
        run_id = f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, 'running', ?, ?, ?, NULL)",
            [run_id, seq, command, json.dumps(config, sort_keys=True),
             json.dumps(versions, sort_keys=True), input_fingerprint],
        )
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, Any], status: str = "finished") -> None:
        self.con.execute(
            "UPDATE runs SET status = ?, counts = ? WHERE run_id = ?",
            [status, json.dumps(counts, sort_keys=True), run_id],
        )

    def rebuild_search_index(self) -> None:
        """Rebuild the full-text index (French stemming, accents folded); DuckDB does not update it."""
        load_fts(self.con, required=True)
        if self.query("SELECT count(*) FROM documents")[0][0] == 0:
            return
        self.con.execute(
            "PRAGMA create_fts_index('documents', 'id', 'title', 'text', "
            "stemmer = 'french', strip_accents = 1, lower = 1, overwrite = 1)"
        )
        # Postings ordered by term: a search then reads only the row groups of its terms
        # (DuckDB skips the others by their min/max), not the whole table.
        self.con.execute("CREATE OR REPLACE TABLE fts_main_documents.terms AS "
                         "SELECT * FROM fts_main_documents.terms ORDER BY termid, docid")
