"""Splits equal scikit-learn's (Stratified)ShuffleSplit for the stated arguments; clear errors otherwise."""

import numpy as np
import pytest
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

from brainscore_core.errors import MetricInputError
from brainscore_core.metrics._splits import SplitSpec, shuffle_splits, split_half_groups


def _assert_same(ours, theirs):
    theirs = list(theirs)
    assert len(ours) == len(theirs)
    for split, (train, test) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(split.train, train)
        np.testing.assert_array_equal(split.test, test)


def test_default_splits_are_brainscores_shuffle_split():
    ours = shuffle_splits(137)
    theirs = ShuffleSplit(n_splits=10, train_size=0.9, test_size=None, random_state=1).split(np.zeros((137, 1)))
    _assert_same(ours, theirs)
    assert len(ours[0].train) == 123 and len(ours[0].test) == 14


def test_stratified_splits_are_brainscores_stratified_shuffle_split():
    labels = np.repeat(["car", "dog", "face", "chair"], [40, 30, 20, 10])
    ours = shuffle_splits(100, stratify=labels)
    theirs = StratifiedShuffleSplit(n_splits=10, train_size=0.9, test_size=None, random_state=1).split(
        np.zeros((100, 1)), labels
    )
    _assert_same(ours, theirs)


def test_spec_parameters_are_passed_through():
    spec = SplitSpec(n_splits=4, train_size=0.7, random_state=5)
    theirs = ShuffleSplit(n_splits=4, train_size=0.7, test_size=None, random_state=5).split(np.zeros((50, 1)))
    _assert_same(shuffle_splits(50, spec), theirs)


@pytest.mark.parametrize("n", [3, 10, 29, 101])
@pytest.mark.parametrize("train_size,test_size", [(0.9, None), (None, 0.9), (0.5, None), (0.6, 0.3)])
def test_sizes_match_scikit_learn(n, train_size, test_size):
    spec = SplitSpec(n_splits=1, train_size=train_size, test_size=test_size)
    n_train, n_test = spec.sizes(n)
    if min(n_train, n_test) < 1:
        return  # scikit-learn refuses these; shuffle_splits raises (tested below)
    train, test = next(ShuffleSplit(n_splits=1, train_size=train_size, test_size=test_size).split(np.zeros((n, 1))))
    assert (n_train, n_test) == (len(train), len(test))


@pytest.mark.parametrize(
    ("train_size", "test_size", "expected"),
    [(None, None, (90, 10)), (None, 7, (93, 7)), (80, None, (80, 20)), (0.5, 0.25, (50, 25)), (None, 0.25, (75, 25))],
)
def test_sizes_fill_in_the_missing_part_as_scikit_learn(train_size, test_size, expected):
    """Neither size: 10 % test; one size: the rest of the rows for the other (int or float sizes)."""
    assert SplitSpec(n_splits=1, train_size=train_size, test_size=test_size).sizes(100) == expected


def test_too_few_stimuli_is_a_clear_error():
    with pytest.raises(MetricInputError, match=r"Too few stimuli.*5 stimuli give 4 train and 1 test"):
        shuffle_splits(5)


def test_impossible_stratification_is_a_clear_error():
    labels = np.array(["a"] * 29 + ["b"])
    with pytest.raises(MetricInputError, match="stratification_coord=None"):
        shuffle_splits(30, stratify=labels)


def test_split_halves_over_repetitions():
    ours = split_half_groups(7, SplitSpec(n_splits=10, train_size=0.5, random_state=1))
    theirs = ShuffleSplit(n_splits=10, train_size=0.5, test_size=None, random_state=1).split(np.zeros((7, 1)))
    _assert_same(ours, theirs)
    with pytest.raises(MetricInputError, match="repetitions"):
        split_half_groups(1, SplitSpec(train_size=0.5))
