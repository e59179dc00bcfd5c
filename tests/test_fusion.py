"""Putting a lexical and a semantic ranking together (pure, no model)."""

import math

import pytest

from claims.fusion import boost, fuse, reciprocal_rank_fusion, rerank


def test_rrf_ranks_an_item_both_lists_like_above_one_list_alone():
    """An item second in both lists beats one first in only one of them."""
    fused = reciprocal_rank_fusion([[1, 2, 3], [4, 2, 5]])
    assert [item for item, _ in fused][:1] == [2]
    assert dict(fused)[2] == pytest.approx(2 / 62)
    assert dict(fused)[1] == pytest.approx(1 / 61)


def test_rrf_weights_scale_each_list():
    """A weight of zero leaves a list out of the order."""
    fused = reciprocal_rank_fusion([[1, 2], [2, 1]], weights=[1.0, 0.0])
    assert [item for item, _ in fused] == [1, 2]


def test_rrf_ties_keep_first_met_order():
    """Equal sums keep the first ranking's order."""
    fused = reciprocal_rank_fusion([[7, 8], [8, 7]])
    assert [item for item, _ in fused] == [7, 8]


def test_rrf_refuses_a_weight_count_that_does_not_match():
    """One weight for each ranking, or an error."""
    with pytest.raises(ValueError, match="one weight"):
        reciprocal_rank_fusion([[1], [2]], weights=[1.0])


def test_rerank_orders_lexical_candidates_by_cosine_within_depth():
    """Only the first depth candidates take part; the cosine decides."""
    ranked = rerank([1, 2, 3, 4], {1: 0.1, 2: 0.9, 3: 0.5, 4: 1.0}, depth=3)
    assert ranked == [(2, 0.9), (3, 0.5), (1, 0.1)]


def test_rerank_puts_candidates_without_a_vector_last_in_lexical_order():
    """A claim not embedded yet follows those that are."""
    ranked = rerank([5, 6, 7], {7: 0.2}, depth=10)
    assert [item for item, _ in ranked] == [7, 5, 6]


def test_fuse_picks_the_method_and_cuts_at_limit():
    """rrf uses both rankings; rerank the lexical candidates only."""
    lexical, semantic = [1, 2, 3], [(9, 0.95), (3, 0.9), (1, 0.2)]
    assert [i for i, _ in fuse(lexical, semantic, method="rrf", limit=2)] == [1, 3]
    reranked = fuse(lexical, semantic, method="rerank", limit=2)
    assert reranked == [(3, 0.9), (1, 0.2)]


def test_fuse_refuses_an_unknown_method_and_a_limit_below_one():
    """Bad arguments are errors that name the problem."""
    with pytest.raises(ValueError, match="Unknown fusion method 'max'"):
        fuse([1], [(1, 0.5)], method="max", limit=1)
    with pytest.raises(ValueError, match="limit"):
        fuse([1], [(1, 0.5)], limit=0)


def test_fuse_breaks_rrf_ties_the_semantic_way():
    """First in one list each: the semantic list's item comes first."""
    fused = fuse([1, 2], [(3, 0.9), (4, 0.8)], method="rrf", limit=4)
    assert [item for item, _ in fused] == [3, 1, 4, 2]


def test_fuse_weights_the_lexical_list():
    """At lexical_weight 0 the order is the semantic one."""
    fused = fuse([1, 2], [(2, 0.9), (1, 0.8)], lexical_weight=0.0, limit=2)
    assert [item for item, _ in fused] == [2, 1]


def test_boost_adds_a_bonus_for_the_lexical_rank_to_each_cosine():
    """A lexical first place lifts a claim nearly as near as the nearest above
    it, not one far in meaning; a claim of neither list's top gains nothing."""
    cosines = {1: 0.80, 2: 0.75, 3: 0.20}
    ranked = boost([2, 3], cosines, weight=0.25)
    assert [item for item, _ in ranked] == [2, 1, 3]
    assert dict(ranked)[2] == pytest.approx(0.75 + 0.25 / math.sqrt(2))
    assert dict(ranked)[3] == pytest.approx(0.20 + 0.25 / math.sqrt(3))
    assert dict(ranked)[1] == pytest.approx(0.80)


def test_boost_counts_a_claim_without_a_vector_as_orthogonal():
    """A lexical candidate not embedded yet scores its bonus alone, and keeps
    its lexical order among such claims."""
    ranked = boost([5, 6], {7: 0.1}, weight=0.25)
    assert [item for item, _ in ranked] == [5, 6, 7]
    assert dict(ranked)[5] == pytest.approx(0.25 / math.sqrt(2))


def test_boost_at_weight_zero_is_the_cosine_order_and_refuses_a_negative():
    """Weight 0 leaves the lexical list out; below 0 it is an error."""
    assert [item for item, _ in boost([2, 1], {1: 0.9, 2: 0.8}, weight=0)] == [1, 2]
    with pytest.raises(ValueError, match="weight"):
        boost([1], {1: 0.5}, weight=-0.1)


def test_fuse_boost_takes_the_cosines_of_both_lists():
    """method="boost": the nearest claims and the lexical candidates' cosines
    come in one list, the lexical ranks from the other."""
    semantic = [(1, 0.80), (2, 0.75)]
    fused = fuse([2], semantic, method="boost", limit=1)
    assert [item for item, _ in fused] == [2]
