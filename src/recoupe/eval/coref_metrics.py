"""Coreference scores of a response partition against a key partition: MUC, B-cubed, CEAF-e and CoNLL F1.

The definitions follow the reference scorer (v8.01, Pradhan et al. 2014, "Scoring coreference
partitions of predicted mentions: a reference implementation"):

- MUC (Vilain et al. 1995) counts links: recall = sum over key clusters K of (|K| - |p(K)|) over
  sum of (|K| - 1), where p(K) is the partition of K by the response, a mention the response lacks
  forming a part of its own; precision swaps key and response. Singletons add nothing to either.
- B-cubed (Bagga & Baldwin 1998) averages over mentions: recall = sum over K, R of |K ∩ R|² / |K|
  divided by the number of key mentions; precision divides |K ∩ R|² by |R| and the sum by the
  number of response mentions.
- CEAF-e (Luo 2005) aligns key and response clusters one-to-one to maximise the total similarity
  phi4(K, R) = 2 |K ∩ R| / (|K| + |R|); recall divides that total by the number of key clusters,
  precision by the number of response clusters.
- CoNLL F1 is the unweighted mean of the three F1.

Every function takes the key and the response as sequences of sets of mention keys (any hashable
value); a mention belongs to at most one cluster of each side. A ratio whose denominator is zero
counts as 0, as in the reference scorer (so MUC of two all-singleton partitions is 0).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

Partition = Sequence[AbstractSet[Hashable]]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean, each in [0, 1]."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, digits: int = 4) -> dict[str, float]:
        return {"precision": round(self.precision, digits), "recall": round(self.recall, digits),
                "f1": round(self.f1, digits)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _muc_recall(key: Partition, response: Partition) -> float:
    cluster_of = {m: i for i, cluster in enumerate(response) for m in cluster}
    found = missing = 0
    for cluster in key:
        parts = {cluster_of[m] for m in cluster if m in cluster_of}
        lacking = sum(m not in cluster_of for m in cluster)
        found += len(cluster) - len(parts) - lacking
        missing += len(cluster) - 1
    return _ratio(found, missing)


def muc(key: Partition, response: Partition) -> PRF:
    """Link-based MUC score."""
    return PRF(precision=_muc_recall(response, key), recall=_muc_recall(key, response))


def _b_cubed_recall(key: Partition, response: Partition) -> float:
    cluster_of = {m: i for i, cluster in enumerate(response) for m in cluster}
    total = 0.0
    for cluster in key:
        shared: dict[int, int] = {}
        for m in cluster:
            if m in cluster_of:
                shared[cluster_of[m]] = shared.get(cluster_of[m], 0) + 1
        total += sum(n * n for n in shared.values()) / len(cluster)
    return _ratio(total, sum(len(cluster) for cluster in key))


def b_cubed(key: Partition, response: Partition) -> PRF:
    """Mention-based B-cubed score."""
    return PRF(precision=_b_cubed_recall(response, key), recall=_b_cubed_recall(key, response))


def phi4(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Luo's entity similarity: twice the shared mentions over the two cluster sizes."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _best_alignment(key: Partition, response: Partition) -> float:
    """Total phi4 of the optimal one-to-one alignment (Kuhn-Munkres, scipy's linear_sum_assignment).

    scipy is in every install: datasketch, a pinned dependency, requires it. Only clusters that
    share a mention can score, so the assignment is solved per connected group of clusters, which
    keeps the matrices small however large the corpus.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cluster_of = {m: j for j, cluster in enumerate(response) for m in cluster}
    # union-find over key clusters 0..k-1 and response clusters k..k+r-1 linked by shared mentions
    parent = list(range(len(key) + len(response)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, cluster in enumerate(key):
        for m in cluster:
            if m in cluster_of:
                parent[find(i)] = find(len(key) + cluster_of[m])
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(key)):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in range(len(response)):
        groups.setdefault(find(len(key) + j), ([], []))[1].append(j)
    total = 0.0
    for rows, cols in groups.values():
        if not rows or not cols:
            continue
        similarity = np.array([[phi4(key[i], response[j]) for j in cols] for i in rows])
        best_rows, best_cols = linear_sum_assignment(similarity, maximize=True)
        total += float(similarity[best_rows, best_cols].sum())
    return total


def ceaf_e(key: Partition, response: Partition) -> PRF:
    """Entity-based CEAF with the phi4 similarity and an optimal alignment."""
    total = _best_alignment(key, response)
    return PRF(precision=_ratio(total, len(response)), recall=_ratio(total, len(key)))


def conll(key: Partition, response: Partition) -> float:
    """CoNLL F1: the mean of the MUC, B-cubed and CEAF-e F1."""
    return (muc(key, response).f1 + b_cubed(key, response).f1 + ceaf_e(key, response).f1) / 3
