"""Whether a build may skip its corpus steps: nothing they read changed since the last build.

The corpus steps (outlet boilerplate evidence, dating from the corpus, entity resolution,
duplicates, cross-checking, the full-text index) read every stored document, the human
judgements, the settings and the code. A build records a fingerprint of all of these when it
finishes (``corpus_state`` in its run's ``counts``). The next build computes the same fingerprint
once its inputs are read; when it equals the one the previous build recorded, and that build
finished, the tables the corpus steps would write are already what they would write again, so
they are skipped (the summary says so). Anything new in (an accepted or re-read document), a
judgement (``recoupe entities merge|split``), a changed setting, library or source file, or an
interrupted previous build, and they run as before.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from recoupe.store.kb import KnowledgeBase

_CODE_SUFFIXES = {".py", ".toml", ".sql", ".json", ".txt", ".tsv", ".csv"}


@cache
def code_fingerprint() -> str:
    """SHA-256 over recoupe's own source and data files (the web app's files excluded)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (not path.is_file() or path.suffix not in _CODE_SUFFIXES or rel.parts[0] == "web"
                or "__pycache__" in rel.parts):
            continue
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(kb: KnowledgeBase, settings: dict[str, Any], versions: dict[str, str]) -> str:
    """What the corpus steps read: every document's input and keys, the judgements, settings, code."""
    docs = kb.query("SELECT count(*), coalesce(sha256(string_agg(concat_ws('|', id, fingerprint, clean_key, "
                    "content_hash, nlp_key), chr(10) ORDER BY id)), '') FROM documents")[0]
    judged = kb.query("SELECT count(*), coalesce(sha256(string_agg(concat_ws('|', seq, action, a, b), chr(10) "
                      "ORDER BY seq)), '') FROM judgements")[0]
    state = {"documents": list(docs), "judgements": list(judged), "settings": settings, "versions": versions,
             "code": code_fingerprint()}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def unchanged_since(kb: KnowledgeBase, run_id: str, state: str) -> dict[str, Any] | None:
    """The counts of the build before ``run_id`` when it finished with ``state``, else None."""
    rows = kb.query("SELECT run_id, status, counts FROM runs WHERE run_id <> ? ORDER BY seq DESC LIMIT 1",
                    [run_id])
    if not rows:
        return None
    previous, status, counts = rows[0]
    found = json.loads(counts) if isinstance(counts, str) else counts
    if status != "finished" or not isinstance(found, dict) or found.get("corpus_state") != state:
        return None
    return {**found, "run_id": previous}
