"""Exact and near-duplicate documents: MinHash LSH over word shingles (datasketch), verified exactly.

Exact duplicates share a content hash; the earliest document (by stated publication date,
then id) is the original and the others get ``duplicate_of``. Near-duplicates are found by
LSH on MinHash signatures and kept only when the real shingle overlap passes a threshold
(Jaccard, or containment for a trimmed or extended copy). Connected near-duplicate documents
form a syndication family: the same copy republished, which counts once as a source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from recoupe.config import DedupeConfig
from recoupe.model import DocId, NearDuplicate, StageId

STAGE_ID = StageId("dedupe.minhash.v1")
# Signatures are stored, so the hashing scheme is fixed explicitly.
SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> frozenset[str]:
    """Case-folded word n-grams of ``text`` (the whole text when it is shorter than ``size``)."""
    tokens = _WORD.findall(text.casefold())
    if len(tokens) <= size:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def signature(shingle_set: Iterable[str], cfg: DedupeConfig) -> np.ndarray:
    """MinHash signature (uint64 array of ``num_perm`` values), deterministic for a given seed."""
    mh = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class DocKey:
    """What dedupe needs of a stored document."""

    id: DocId
    content_hash: str
    published: str | None
    signature: np.ndarray


@dataclass(frozen=True, slots=True)
class Duplicates:
    duplicate_of: Mapping[DocId, DocId]
    edges: tuple[NearDuplicate, ...]
    family: Mapping[DocId, str]

    def near(self, doc_id: DocId) -> tuple[DocId, ...]:
        """Near-duplicates of one document, sorted."""
        return tuple(sorted({e.b if e.a == doc_id else e.a for e in self.edges if doc_id in (e.a, e.b)}))


def _order(doc: DocKey) -> tuple[int, str, str]:
    return (doc.published is None, doc.published or "", doc.id)


def find_duplicates(
    docs: Sequence[DocKey], texts: Mapping[DocId, str], cfg: DedupeConfig
) -> Duplicates:
    """Duplicate structure of the whole corpus; independent of input order.

    Args:
        docs: every stored document's key.
        texts: cleaned texts by id; only LSH candidates are looked up, so a lazy mapping works.
        cfg: the ``[dedupe]`` settings.
    """
    ordered = sorted(docs, key=_order)
    duplicate_of: dict[DocId, DocId] = {}
    originals: dict[str, DocId] = {}
    for doc in ordered:
        if not doc.content_hash:
            continue
        if doc.content_hash in originals:
            duplicate_of[doc.id] = originals[doc.content_hash]
        else:
            originals[doc.content_hash] = doc.id
    unique = [d for d in ordered if d.id not in duplicate_of and d.content_hash]
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    minhashes = {}
    for doc in unique:
        mh = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, hashvalues=doc.signature, scheme=SCHEME)
        minhashes[doc.id] = mh
        lsh.insert(doc.id, mh)
    cache: dict[DocId, frozenset[str]] = {}

    def shingle_set(doc_id: DocId) -> frozenset[str]:
        if doc_id not in cache:
            cache[doc_id] = shingles(texts[doc_id], cfg.shingle_words)
        return cache[doc_id]

    edges: list[NearDuplicate] = []
    for doc in unique:
        for other in sorted(lsh.query(minhashes[doc.id])):
            if other <= doc.id:
                continue
            a, b = shingle_set(doc.id), shingle_set(DocId(other))
            inter = len(a & b)
            jaccard = inter / len(a | b) if a | b else 0.0
            containment = inter / min(len(a), len(b)) if a and b else 0.0
            if jaccard >= cfg.near_jaccard or containment >= cfg.near_containment:
                edges.append(NearDuplicate(doc.id, DocId(other), round(jaccard, 4), round(containment, 4)))
    edges.sort(key=lambda e: (e.a, e.b))
    return Duplicates(duplicate_of, tuple(edges), _families(unique, duplicate_of, edges))


def _families(
    unique: Sequence[DocKey], duplicate_of: Mapping[DocId, DocId], edges: Sequence[NearDuplicate]
) -> dict[DocId, str]:
    parent: dict[DocId, DocId] = {d.id: d.id for d in unique}

    def root(x: DocId) -> DocId:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        ra, rb = root(edge.a), root(edge.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[DocId, list[DocId]] = {}
    for doc in unique:
        members.setdefault(root(doc.id), []).append(doc.id)
    for copy, original in duplicate_of.items():
        members.setdefault(root(original), []).append(copy)
    family: dict[DocId, str] = {}
    for group in members.values():
        if len(group) > 1:
            name = "fam-" + min(group)
            family.update({doc_id: name for doc_id in group})
    return family
