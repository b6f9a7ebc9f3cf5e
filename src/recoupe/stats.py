"""Figures about a knowledge base, for `recoupe stats` and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recoupe.store.kb import KnowledgeBase


def stats(kb_path: str | Path) -> dict[str, Any]:
    """Counts of documents, languages, outlets, dates, removals, duplicates and the last run."""
    with KnowledgeBase(kb_path, create=False) as kb:
        q = kb.query
        last = q("SELECT run_id, seq, command, status, counts FROM runs ORDER BY seq DESC LIMIT 1")
        return {
            "documents": q("SELECT count(*) FROM documents")[0][0],
            "languages": dict(q("SELECT language, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")),
            "outlets": dict(q("SELECT coalesce(outlet, '(unknown)'), count(*) FROM documents "
                              "GROUP BY 1 ORDER BY 2 DESC, 1")),
            "published": dict(q("SELECT published_basis, count(*) FROM documents GROUP BY 1 ORDER BY 1")),
            "removed": dict(q("SELECT kind || ':' || reason, count(*) FROM removals GROUP BY 1 ORDER BY 2 DESC, 1")),
            "exact_duplicates": q("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL")[0][0],
            "near_duplicate_pairs": q("SELECT count(*) FROM near_duplicates")[0][0],
            "families": q("SELECT count(DISTINCT family) FROM documents WHERE family IS NOT NULL")[0][0],
            "runs": q("SELECT count(*) FROM runs")[0][0],
            "last_run": (
                {"run_id": last[0][0], "seq": last[0][1], "command": last[0][2], "status": last[0][3],
                 "counts": last[0][4]} if last else None
            ),
        }
