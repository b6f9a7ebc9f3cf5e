"""MUC, B-cubed, CEAF-e and CoNLL F1 on partitions small enough to score by hand."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoupe.eval.coref_metrics import b_cubed, ceaf_e, conll, muc, phi4

Clusters = list[set[Hashable]]

# Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions", figure 3:
# a key with mentions the response lacks (e) and a response with mentions the key lacks (h, i).
PRADHAN_KEY: Clusters = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
PRADHAN_RESPONSE: Clusters = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]

# Luo (2005), "On coreference resolution performance metrics", figure 1: one key, four responses.
LUO_KEY: Clusters = [{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 10, 11, 12}]
LUO_A: Clusters = [{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11, 12}]
LUO_C: Clusters = [set(range(1, 13))]
LUO_D: Clusters = [{m} for m in range(1, 13)]


@pytest.mark.parametrize(
    ("metric", "key", "response", "precision", "recall", "f1"),
    [
        # MUC: recall ((3-2) + (4-3)) / (2 + 3); precision ((2-1) + (2-2) + (4-3)) / (1 + 1 + 3)
        (muc, PRADHAN_KEY, PRADHAN_RESPONSE, 2 / 5, 2 / 5, 2 / 5),
        # B3: recall (4/3 + 1/3 + 1/4 + 4/4) / 7; precision (4/2 + 1/2 + 1/2 + 4/4) / 8
        (b_cubed, PRADHAN_KEY, PRADHAN_RESPONSE, 4 / 8, 35 / 84, 5 / 11),
        # CEAF-e: best alignment {abc}-{ab} (0.8) + {defg}-{fghi} (0.5) = 1.3, over 3 and 2 clusters
        (ceaf_e, PRADHAN_KEY, PRADHAN_RESPONSE, 1.3 / 3, 1.3 / 2, 0.52),
        (muc, LUO_KEY, LUO_A, 9 / 10, 1.0, 18 / 19),
        (b_cubed, LUO_KEY, LUO_A, 64 / 84, 1.0, 2 * (64 / 84) / (1 + 64 / 84)),
        (ceaf_e, LUO_KEY, LUO_A, (1 + 10 / 12) / 2, (1 + 10 / 12) / 3, 2 * (1 + 10 / 12) / 5),
        # everything in one cluster: MUC rewards it (0.9), the others do not
        (muc, LUO_KEY, LUO_C, 9 / 11, 1.0, 0.9),
        (b_cubed, LUO_KEY, LUO_C, 54 / 144, 1.0, 6 / 11),
        (ceaf_e, LUO_KEY, LUO_C, 10 / 17, 10 / 51, 5 / 17),
        # all singletons: no links at all, so MUC is 0 (0/0 counts as 0)
        (muc, LUO_KEY, LUO_D, 0.0, 0.0, 0.0),
        (b_cubed, LUO_KEY, LUO_D, 1.0, 3 / 12, 0.4),
        (ceaf_e, LUO_KEY, LUO_D, (4 / 3) / 12, (4 / 3) / 3, 8 / 45),
    ],
)
def test_metrics_match_the_published_examples(metric, key, response, precision, recall, f1) -> None:
    score = metric(key, response)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(f1)


@pytest.mark.parametrize(("key", "response", "expected"), [(PRADHAN_KEY, PRADHAN_RESPONSE, (0.4 + 5 / 11 + 0.52) / 3)])
def test_conll_is_the_mean_of_the_three_f1(key, response, expected) -> None:
    assert conll(key, response) == pytest.approx(expected)


@pytest.mark.parametrize("partition", [PRADHAN_KEY, LUO_KEY, [{"x", "y"}, {"z"}]])
def test_metrics_of_a_partition_against_itself_are_one(partition) -> None:
    for metric in (muc, b_cubed, ceaf_e):
        assert (metric(partition, partition).precision, metric(partition, partition).recall) == (1.0, 1.0)
    assert conll(partition, partition) == pytest.approx(1.0)


@pytest.mark.parametrize(("key", "response"), [([{1, 2, 3}, {4}], [{1, 2, 4}, {3}])])
def test_ceaf_e_alignment_is_optimal_not_greedy(key, response) -> None:
    # greedy takes {123}-{124} (phi4 2/3) and leaves 0; the optimum pairs {123}-{3} and {4}-{124}: 1/2 + 1/2
    assert phi4({1, 2, 3}, {1, 2, 4}) == pytest.approx(2 / 3)
    score = ceaf_e(key, response)
    assert (score.precision, score.recall) == (pytest.approx(0.5), pytest.approx(0.5))


@pytest.mark.parametrize(("key", "response"), [([{"a", "b", "c"}], [{"a", "b"}])])
def test_mentions_missing_from_the_response_count_as_singletons(key, response) -> None:
    assert (muc(key, response).precision, muc(key, response).recall) == (1.0, 0.5)
    assert (b_cubed(key, response).precision, b_cubed(key, response).recall) == (1.0, pytest.approx(4 / 9))
    assert ceaf_e(key, response).f1 == pytest.approx(0.8)


@pytest.mark.parametrize("metric", [muc, b_cubed, ceaf_e])
def test_metrics_of_empty_partitions_are_zero(metric) -> None:
    assert metric([], []).as_dict() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


partitions = st.lists(st.integers(0, 4), min_size=1, max_size=12).map(
    lambda labels: [{m for m, label in enumerate(labels) if label == c} for c in sorted(set(labels))])


@given(partitions, partitions)
def test_metrics_swap_precision_and_recall_and_ignore_cluster_order(key, response) -> None:
    for metric in (muc, b_cubed, ceaf_e):
        forward, backward = metric(key, response), metric(response, key)
        assert forward.precision == pytest.approx(backward.recall)
        assert forward.recall == pytest.approx(backward.precision)
        shuffled = metric(key[::-1], response[::-1])
        assert shuffled.f1 == pytest.approx(forward.f1)
        assert 0.0 <= forward.f1 <= 1.0
