"""Cross-document evidence: lines that recur across independent pages of the corpus.

A site's navigation, "most read" list, footer or subscription pitch appears word for word
around many of its articles; article sentences do not, except when several articles reuse one
wire dispatch. No outlet needs to be known: a line is the corpus's boilerplate when

- it is short or not a sentence (a menu label, a teaser headline, a tool) and appears in at least
  ``outlet_min_docs`` pages that are not copies of each other; or
- it is a sentence and appears in at least ``recurring_prose_docs`` independent pages published
  over more than ``recurring_prose_days`` days (a site's standing text; a wire paragraph reused
  by several outlets is published within days, and stays); or
- it is short and recurs in ``outlet_min_docs`` independent pages of the same known outlet.

Pages sharing most of their lines are copies (a republished article proves nothing) and count once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from recoupe.config import CleanConfig
from recoupe.model import DocId, PageLines


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def recurring_lines(pages: Iterable[PageLines], cfg: CleanConfig) -> frozenset[str]:
    """Keys of the lines that are the corpus's boilerplate (see the module docstring)."""
    keysets: dict[DocId, frozenset[str]] = {}
    days: dict[DocId, date | None] = {}
    outlets: dict[DocId, str | None] = {}
    holders: dict[str, list[DocId]] = defaultdict(list)
    shape: dict[str, tuple[int, bool]] = {}
    for page in pages:
        keysets[page.doc_id] = frozenset(k for k, _, _ in page.lines)
        days[page.doc_id] = _day(page.published)
        outlets[page.doc_id] = page.outlet.casefold() if page.outlet else None
        for key, words, prose in page.lines:
            if key and page.doc_id not in holders[key][-1:]:
                holders[key].append(page.doc_id)
                shape.setdefault(key, (words, prose))
    found: set[str] = set()
    for key, doc_ids in holders.items():
        if len(doc_ids) < cfg.outlet_min_docs:
            continue
        words, prose = shape[key]
        independent: list[DocId] = []
        for doc_id in sorted(doc_ids):
            if all(_jaccard(keysets[doc_id], keysets[o]) <= cfg.outlet_copy_overlap for o in independent):
                independent.append(doc_id)
        short = words <= cfg.outlet_max_words
        if short and not prose and len(independent) >= cfg.outlet_min_docs:
            found.add(key)
            continue
        if len(independent) >= cfg.recurring_prose_docs:
            known = sorted(d for i in independent if (d := days[i]) is not None)
            if known and (known[-1] - known[0]).days > cfg.recurring_prose_days:
                found.add(key)
                continue
        if short:
            by_outlet: dict[str, int] = defaultdict(int)
            for doc_id in independent:
                if outlets[doc_id]:
                    by_outlet[outlets[doc_id] or ""] += 1
            if any(count >= cfg.outlet_min_docs for count in by_outlet.values()):
                found.add(key)
    return frozenset(found)
