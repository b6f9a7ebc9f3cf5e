"""Cross-document evidence: short lines that recur across independent articles of one outlet.

A site's footer, share bar or subscription pitch appears word for word under many of its
articles; article sentences do not. A line counts as the outlet's boilerplate when it is short
and appears in at least ``outlet_min_docs`` articles of that outlet that are not copies of each
other (copies share most of their lines, so a republished article proves nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from recoupe.config import CleanConfig
from recoupe.model import DocId


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def recurring_lines(
    docs: Iterable[tuple[DocId, str | None, Iterable[tuple[str, int]]]],
    cfg: CleanConfig,
) -> dict[str, frozenset[str]]:
    """Outlet -> keys of its recurring short lines.

    Args:
        docs: (document id, outlet, [(line key, word count), ...]) for every document.
        cfg: the ``[clean]`` settings.
    """
    keysets: dict[DocId, frozenset[str]] = {}
    by_outlet: dict[str, dict[str, list[DocId]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, outlet, lines in docs:
        lines = list(lines)
        keysets[doc_id] = frozenset(k for k, _ in lines)
        if not outlet:
            continue
        folded = outlet.casefold()
        for key in sorted({k for k, n in lines if n <= cfg.outlet_max_words and k}):
            by_outlet[folded][key].append(doc_id)
    result: dict[str, frozenset[str]] = {}
    for outlet, table in sorted(by_outlet.items()):
        keys = set()
        for key, doc_ids in table.items():
            if len(doc_ids) < cfg.outlet_min_docs:
                continue
            independent: list[DocId] = []
            for doc_id in sorted(doc_ids):
                if all(_jaccard(keysets[doc_id], keysets[o]) <= cfg.outlet_copy_overlap
                       for o in independent):
                    independent.append(doc_id)
                if len(independent) >= cfg.outlet_min_docs:
                    keys.add(key)
                    break
        result[outlet] = frozenset(keys)
    return result


def for_outlet(table: Mapping[str, frozenset[str]], outlet: str | None) -> frozenset[str]:
    """The recurring lines of ``outlet`` (case-insensitive), empty when unknown."""
    return table.get(outlet.casefold(), frozenset()) if outlet else frozenset()
