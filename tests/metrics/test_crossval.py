"""The test-only cross-validation wiring shared by ``rdm_cv`` and ``cka_cv`` (``metrics/_crossval.py``), and the
input helpers that moved out of ``metrics/rsa.py`` (``metrics/_inputs.py``)."""

import numpy as np
import pytest

from brainscore_core.assemblies import neuroid_assembly
from brainscore_core.metrics import _crossval, _inputs, rsa
from brainscore_core.metrics._crossval import TestOnlyCrossValidated, checked_split_order
from brainscore_core.metrics.cka import CKACrossValidated, CKAMetric
from brainscore_core.metrics.rsa import RDMCrossValidated


def _pair(n: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    ids = [f"s{i:02d}" for i in range(n)][::-1]  # given order differs from the sorted order
    objects = [f"o{i % 2}" for i in range(n)]
    source = neuroid_assembly(rng.normal(size=(n, 9)), stimulus_id=ids, presentation_coords={"object_name": objects})
    target = neuroid_assembly(
        source.values[:, :6] + rng.normal(size=(n, 6)), stimulus_id=ids, presentation_coords={"object_name": objects}
    )
    return source, target


@pytest.mark.parametrize("metric_class", [RDMCrossValidated, CKACrossValidated])
def test_cross_validated_metrics_share_one_base_with_the_split_settings(metric_class):
    metric = metric_class(n_splits=4, test_size=0.5, random_state=3, stratification_coord=None, split_order="given")
    assert isinstance(metric, TestOnlyCrossValidated)
    assert (metric.n_splits, metric.test_size, metric.random_state) == (4, 0.5, 3)
    assert metric.stratification_coord is None
    assert metric.split_order == "given"


def test_cka_cv_keeps_its_estimator_and_identifier_with_the_base():
    metric = CKACrossValidated(unbiased=False)
    assert isinstance(metric, CKAMetric)
    assert metric.identifier == "cka_biased_cv"
    assert metric.valid_range == (0.0, 1.0)


@pytest.mark.parametrize("metric_class", [RDMCrossValidated, CKACrossValidated])
def test_unknown_split_order_is_refused_by_the_base(metric_class):
    with pytest.raises(ValueError, match="split_order must be one of"):
        metric_class(split_order="random")


@pytest.mark.parametrize(
    ("metric", "own_attr"),
    [(RDMCrossValidated(n_splits=3), "comparison"), (CKACrossValidated(n_splits=3), "estimator")],
)
def test_cross_validated_score_carries_the_split_settings_then_its_own_attrs(metric, own_attr):
    source, target = _pair()
    score = metric(source, target)
    assert list(score.attrs)[-2:] == [own_attr, "split_order"]
    assert score.attrs["n_splits"] == 3 == len(score.details["split"])
    assert score.attrs["stratification_coord"] == "object_name"
    assert score.value == pytest.approx(float(np.mean(score.details["split"].values)))


def test_split_order_given_draws_the_splits_over_the_rows_as_passed():
    source, target = _pair()
    by_id = RDMCrossValidated(n_splits=3)(source, target)
    given = RDMCrossValidated(n_splits=3, split_order="given")(source, target)
    assert by_id.attrs["split_order"] == "stimulus_id" and given.attrs["split_order"] == "given"
    assert not np.allclose(by_id.details["split"].values, given.details["split"].values)


def test_checked_split_order_accepts_the_two_orders():
    assert [checked_split_order(order) for order in _crossval.SPLIT_ORDERS] == ["stimulus_id", "given"]


def test_helpers_moved_out_of_rsa_stay_importable_from_rsa():
    assert rsa.matched_stimulus_order is _inputs.matched_stimulus_order
    assert rsa.two_dim_responses is _inputs.two_dim_responses
    assert rsa.cross_validated is _crossval.cross_validated
    assert rsa.stratification_labels is _crossval.stratification_labels
    assert set(_inputs.__all__) <= set(rsa.__all__)
