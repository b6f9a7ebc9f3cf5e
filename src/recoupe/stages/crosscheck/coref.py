"""Cross-document event coreference: which event mentions describe the same happening.

Written here because no maintained library clusters *typed* event mentions with these
constraints (the research systems for ECB+ are trained neural models, not installable packages).
The method is the classic feature-based one: a pairwise score from the trigger lemma, the event
type, the participants and places (entity ids after resolution, or folded names), the time
intervals and the words of the sentence, then average-link agglomerative clustering inside a
block, with vetoes that no similarity overrides (different types, disjoint agents, places in
different countries, times more than ``max_gap_days`` apart).

A second, lexical scoring (``Weights.pairwise`` set, as ``eval ecb`` does for English) replaces the
hand-set sum by a logistic model over ``LEXICAL_FEATURES``: same lemma, same stem, optional word
vector similarity of the lemmas, same sentence, shared context words, event types, shared agents.
Its coefficients are fitted outside the code (see ``eval.ecb``) and only numbers live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import exp

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage


@dataclass(frozen=True, slots=True)
class EventMention:
    """One event mention as the clusterer sees it.

    ``block``: mentions are only compared inside a block (a story, an ECB+ sub-topic).
    ``agents``: the ids (or folded names) of who did it; ``participants``: everyone involved,
    agents included; ``places``: place ids plus the countries that contain them, so that
    "Dakar" and "Sénégal" are compatible and "Dakar" and "Bamako" are not.
    ``context``: content-word lemmas of the sentence.
    """

    key: str
    doc: str
    block: str
    lemma: str
    type: str | None = None
    agents: frozenset[str] = frozenset()
    participants: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    context: frozenset[str] = frozenset()
    anchors: frozenset[str] = frozenset()
    published: date | None = None  # the article's date, bounding an undated account
    planned: bool = False  # announced, so it may come after the article
    sentence: str = ""  # the sentence's id: two events told in one sentence are rarely one
    vector: tuple[float, ...] = ()  # unit vector of the lemma (centred), when word vectors are used


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the pairwise score and the merge threshold (``[crosscheck]`` in the config)."""

    lemma: float = 0.35
    type: float = 0.15
    participants: float = 0.45
    place: float = 0.1
    time: float = 0.25
    context: float = 0.35
    threshold: float = 0.6
    max_gap_days: int = 270
    same_doc: bool = False  # may two mentions of one document be merged (ECB+ within-doc chains: yes)
    # require an anchor: a shared specific participant or place (``anchors``), or overlapping dates
    # within ``anchor_days``, or overlapping months and most of their (uncommon) words; topic words
    # alone never make two accounts one event
    require_anchor: bool = False
    anchor_days: int = 3
    untyped: frozenset[str] = field(default_factory=lambda: frozenset({"other", ""}))
    # lexical scoring: when set, one coefficient per ``LEXICAL_FEATURES`` name then the intercept;
    # the score is then a probability and the vetoes apply only if ``vetoes`` is true
    pairwise: tuple[float, ...] = ()
    vetoes: bool = True

    def __post_init__(self) -> None:
        if self.pairwise and len(self.pairwise) != len(LEXICAL_FEATURES) + 1:
            raise ValueError(f"Weights.pairwise needs {len(LEXICAL_FEATURES) + 1} numbers "
                             f"({', '.join(LEXICAL_FEATURES)}, intercept), not {len(self.pairwise)}")


# Features of the lexical scoring, in the order of ``Weights.pairwise``.
LEXICAL_FEATURES = ("same_lemma", "same_stem", "vector", "same_sentence", "context", "same_type",
                    "other_type", "agents", "same_doc_stem")
# English inflectional endings and a final -e or -y, longest first (stemming is only used by
# the lexical scoring, which the French pipeline does not select).
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "s", "e", "y")


VETO = float("-inf")
# a vetoed pair's distance: above the cut even averaged over two clusters of 10^5 accounts each
_VETO_DISTANCE = 1e12


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _gap(a: EventMention, b: EventMention) -> int | None:
    """Days between two intervals (0 when they overlap); None when either is unknown."""
    if a.start is None or b.start is None:
        return None
    a_end, b_end = a.end or a.start, b.end or b.start
    if a.start <= b_end and b.start <= a_end:
        return 0
    return (b.start - a_end).days if a_end < b.start else (a.start - b_end).days


def _reported_too_early(undated: EventMention, dated: EventMention) -> bool:
    """An undated account of something done (not announced) in an article published before the other
    account's date cannot be the same happening."""
    return undated.start is None and not undated.planned and undated.published is not None and \
        dated.start is not None and undated.published < dated.start - timedelta(days=1)


def _width(m: EventMention) -> int:
    return ((m.end or m.start) - m.start).days if m.start else 10**6


def stem(word: str) -> str:
    """A crude English stem: lower case, one ending off, a doubled final consonant undoubled
    ("shootings", "shooting" and "shoot" -> "shoot"; "killed" and "kills" -> "kill")."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def lexical_features(a: EventMention, b: EventMention, w: Weights | None = None) -> tuple[float, ...]:
    """The values of ``LEXICAL_FEATURES`` for a pair of mentions (what the lexical scoring weighs)."""
    w = w or Weights()
    same_lemma = a.lemma == b.lemma
    same_stem = same_lemma or stem(a.lemma) == stem(b.lemma)
    vector = 0.0
    if not same_stem and a.vector and b.vector:
        cosine = sum(x * y for x, y in zip(a.vector, b.vector, strict=True))
        vector = min(1.0, max(0.0, (cosine - 0.2) / 0.6))
    typed_a = a.type is not None and a.type not in w.untyped
    typed_b = b.type is not None and b.type not in w.untyped
    return (
        float(same_lemma), float(same_stem and not same_lemma), vector,
        float(bool(a.sentence) and a.sentence == b.sentence),
        _jaccard(a.context - {a.lemma}, b.context - {b.lemma}),
        float(typed_a and typed_b and a.type == b.type), float(typed_a and typed_b and a.type != b.type),
        _overlap(a.agents, b.agents), float(same_stem and a.doc == b.doc),
    )


def _lexical_score(a: EventMention, b: EventMention, w: Weights) -> float:
    z = w.pairwise[-1] + sum(c * f for c, f in zip(w.pairwise, lexical_features(a, b, w), strict=False))
    return 1.0 / (1.0 + exp(-z))


def score(a: EventMention, b: EventMention, w: Weights | None = None) -> float:
    """How strongly two mentions look like one happening; ``VETO`` when they cannot be."""
    w = w or Weights()
    if a.block != b.block or (a.doc == b.doc and not w.same_doc):
        return VETO
    if w.pairwise and not w.vetoes:
        return _lexical_score(a, b, w)
    typed = a.type not in w.untyped and b.type not in w.untyped and a.type is not None and b.type is not None
    if typed and a.type != b.type:
        return VETO
    if a.agents and b.agents and not (a.agents & b.agents) and not (a.agents <= b.participants) \
            and not (b.agents <= a.participants):
        return VETO  # different doers (unless one's doers all take part in the other: "X met Y" / "Y met X")
    if a.places and b.places and not (a.places & b.places):
        return VETO
    gap = _gap(a, b)
    if gap is not None and gap > w.max_gap_days:
        return VETO
    if a.start is None and b.start is None and a.published and b.published and \
            abs((a.published - b.published).days) > w.max_gap_days:
        return VETO  # two undated accounts in articles years apart
    if w.require_anchor and not (a.anchors & b.anchors) and not (
            gap == 0 and _width(a) <= w.anchor_days and _width(b) <= w.anchor_days) and not (
            gap == 0 and max(_width(a), _width(b)) <= 31 and _overlap(a.context, b.context) >= 0.5):
        return VETO
    if w.pairwise:
        return _lexical_score(a, b, w)
    s = w.lemma * (a.lemma == b.lemma) + w.type * typed
    s += w.participants * _overlap(a.participants, b.participants)
    s += w.place * (bool(a.places & b.places))
    if gap is not None:
        s += w.time * (1.0 if gap == 0 else -min(1.0, gap / 90))
    elif _reported_too_early(a, b) or _reported_too_early(b, a):
        s -= w.time  # told as done in an article that predates the other's date: as bad as a far date
    s += w.context * _overlap(a.context, b.context) ** 0.5 if a.context and b.context else 0.0
    return s


def cluster(mentions: Sequence[EventMention], weights: Weights | None = None) -> list[list[int]]:
    """Partition mentions (indices) into coreference clusters, in order of first mention.

    Average-link agglomeration: repeatedly join the two clusters with the highest mean pairwise
    score, provided it reaches the threshold and no pair across them is vetoed.
    """
    w = weights or Weights()
    clusters: list[list[int]] = []
    by_block: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_block.setdefault(m.block, []).append(i)
    for members in by_block.values():
        clusters += _agglomerate(mentions, members, w)
    return sorted((sorted(c) for c in clusters), key=lambda c: c[0])


def _agglomerate(mentions: Sequence[EventMention], members: list[int], w: Weights) -> list[list[int]]:
    """Average-link (UPGMA) clustering of one block, cut where the mean score falls below the
    threshold; a vetoed pair keeps its two clusters apart.

    SciPy's ``linkage(method="average")`` runs on distances ``ceiling - score``: the mean distance
    of two clusters is then ``ceiling`` minus their mean score, so merging in order of smallest
    mean distance is merging in order of highest mean score, and cutting at ``ceiling - threshold``
    stops where the greedy rule would. A veto is a distance so large that any cluster pair
    containing it averages above the cut, whatever the cluster sizes.
    """
    n = len(members)
    if n == 1:
        return [members]
    scores = np.array([score(mentions[members[x]], mentions[members[y]], w)
                       for x in range(n) for y in range(x + 1, n)], dtype=np.float64)
    vetoed = np.isneginf(scores)
    finite = scores[~vetoed]
    ceiling = max(float(finite.max()) if finite.size else 0.0, w.threshold) + 1.0
    distances = np.where(vetoed, _VETO_DISTANCE, ceiling - np.where(vetoed, 0.0, scores))
    tree = linkage(distances, method="average")
    labels = fcluster(tree, t=ceiling - w.threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for x, label in enumerate(labels):
        groups.setdefault(int(label), []).append(members[x])
    return list(groups.values())
