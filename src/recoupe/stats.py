"""Figures about a knowledge base, for `recoupe stats` and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recoupe.store.kb import KnowledgeBase


def stats(kb_path: str | Path) -> dict[str, Any]:
    """Counts of documents, languages, outlets, dates, removals, duplicates, the cross-checked facts
    and the last run. Opens the knowledge base read-only.

    Keys are snake_case; counts by a value (outlet, language...) are lists of objects, so no key
    is data::

        {"documents": 11, "outlets": [{"outlet": "...", "documents": 3}, ...], ...}

    Raises:
        StoreError: R402 (no such file), R405 (a build holds it), R406/R407 (not a knowledge base).
    """
    with KnowledgeBase(kb_path, read_only=True) as kb:
        q = kb.query

        def count(sql: str) -> int:
            return int(q(sql)[0][0])

        last = q("SELECT run_id, seq, command, status, counts FROM runs ORDER BY seq DESC LIMIT 1")
        return {
            "documents": count("SELECT count(*) FROM documents"),
            "languages": [{"language": k, "documents": n} for k, n in q(
                "SELECT language, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")],
            "outlets": [{"outlet": k, "documents": n} for k, n in q(
                "SELECT outlet, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST")],
            "published": [{"basis": k, "documents": n} for k, n in q(
                "SELECT published_basis, count(*) FROM documents GROUP BY 1 ORDER BY 1")],
            "removed": [{"kind": k, "reason": r, "lines": n} for k, r, n in q(
                "SELECT kind, reason, count(*) FROM removals GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")],
            "exact_duplicates": count("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
            "near_duplicate_pairs": count("SELECT count(*) FROM near_duplicates"),
            "families": count("SELECT count(DISTINCT family) FROM documents WHERE family IS NOT NULL"),
            "entities": count("SELECT count(*) FROM entities"),
            "events": count("SELECT count(*) FROM corpus_events"),
            "stories": count("SELECT count(*) FROM stories"),
            "conflicts": count("SELECT count(*) FROM conflicts"),
            "runs": count("SELECT count(*) FROM runs"),
            "last_run": (
                {"run_id": last[0][0], "seq": last[0][1], "command": last[0][2], "status": last[0][3],
                 "counts": json.loads(last[0][4]) if last[0][4] else None} if last else None
            ),
        }
