"""Which articles are independent sources: copies, one outlet, one wire agency, shared passages.

Two articles are dependent when they are copies of one another (the dedupe stage's syndication
family), come from the same outlet, credit the same wire agency, or share a passage: a sentence
of one found (near-)verbatim in the other, the mark of a rewritten wire dispatch. Dependence is
transitive (union-find), so an event confirmed by three rewrites of one dispatch and one
independent report has two independent sources.

Shared sentences are found with datasketch's MinHash LSH over word 3-grams of every sentence,
then verified exactly (containment in the shorter sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from recoupe.model import DocId, SourceDoc
from recoupe.stages.entities.names import fold
from recoupe.unionfind import UnionFind

_WORD = re.compile(r"\w+", re.UNICODE)
_PERM = 64


@dataclass(frozen=True, slots=True)
class Link:
    """Why two articles are not independent."""

    a: DocId
    b: DocId
    reason: str  # family | outlet | agency | passage
    detail: str


def _grams(sentence: str) -> frozenset[str]:
    words = _WORD.findall(fold(sentence))
    return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))


def shared_passages(sentences: Iterable[tuple[DocId, str]], containment: float = 0.6,
                    min_words: int = 8) -> list[Link]:
    """Pairs of articles with a sentence in common (one link per pair, with the sentence)."""
    lsh = MinHashLSH(threshold=max(0.15, containment / 2), num_perm=_PERM)
    seen: list[tuple[DocId, frozenset[str]]] = []
    found: dict[tuple[DocId, DocId], Link] = {}
    # A sentence repeated verbatim (wire copy run by hundreds of outlets) is linked to its first
    # article only, and not indexed again: the groups are the same (dependence is transitive) and
    # the work stays linear in the number of sentences instead of quadratic in their copies.
    first_seen: dict[frozenset[str], DocId] = {}
    for doc_id, sentence in sentences:
        if len(_WORD.findall(sentence)) < min_words:
            continue
        g = _grams(sentence)
        if not g:
            continue
        if g in first_seen:
            if first_seen[g] != doc_id:
                a, b = min(first_seen[g], doc_id), max(first_seen[g], doc_id)
                found.setdefault((a, b), Link(a, b, "passage", sentence[:160]))
            continue
        first_seen[g] = doc_id
        mh = MinHash(num_perm=_PERM, seed=1)
        mh.update_batch([x.encode("utf-8") for x in g])
        for other in lsh.query(mh):
            o_doc, o_grams = seen[int(other)]
            if o_doc != doc_id and len(g & o_grams) / min(len(g), len(o_grams)) >= containment:
                a, b = min(o_doc, doc_id), max(o_doc, doc_id)
                found.setdefault((a, b), Link(a, b, "passage", sentence[:160]))
        lsh.insert(str(len(seen)), mh)
        seen.append((doc_id, g))
    return [found[k] for k in sorted(found)]


def links(docs: Sequence[SourceDoc], passages: Iterable[Link]) -> list[Link]:
    """Every dependence between articles: families, outlets, agencies, then shared passages."""
    found: list[Link] = []
    for attr in ("family", "outlet", "agency"):
        first: dict[str, DocId] = {}
        for doc in sorted(docs, key=lambda d: d.id):
            value = getattr(doc, attr)
            if not value:
                continue
            key = fold(value)
            if key in first:
                found.append(Link(first[key], doc.id, attr, value))
            else:
                first[key] = doc.id
    return found + list(passages)


def groups(docs: Sequence[DocId], dependencies: Iterable[Link]) -> dict[DocId, DocId]:
    """Each article's group: the smallest id among the articles it depends on (transitively)."""
    links_ = list(dependencies)
    ids = sorted({*docs, *(d for link in links_ for d in (link.a, link.b))})
    index = {d: i for i, d in enumerate(ids)}
    union = UnionFind(len(ids))
    for link in links_:
        union.union(index[link.a], index[link.b])
    return {d: ids[union.find(index[d])] for d in ids}
