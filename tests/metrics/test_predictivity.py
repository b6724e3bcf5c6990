"""Cross-validated predictivity metrics end to end, against an independent scikit-learn computation."""

import numpy as np
import pytest
import xarray as xr
from sklearn.linear_model import Ridge as SkRidge
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

from brainscore_core.assemblies import neuroid_assembly
from brainscore_core.errors import MetricInputError
from brainscore_core.loading import load_metric
from brainscore_core.metrics import Metric
from brainscore_core.registry import metric_registry

IDENTIFIERS = ["pls", "ridge", "ridgecv", "linear", "linear_predictivity", "neuron_to_neuron"]


def _pair(n=120, f=15, t=6, seed=0, objects=True, noise=1.0):
    rng = np.random.default_rng(seed)
    ids = np.array([f"im{i:04d}" for i in rng.permutation(n)])  # rows not in stimulus_id order
    x = rng.normal(size=(n, f))
    y = x[:, :4] @ rng.normal(size=(4, t)) + noise * rng.normal(size=(n, t))
    presentation = {"object_name": np.array(["car", "dog", "face", "tree"])[np.arange(n) % 4]} if objects else {}
    source = neuroid_assembly(x, stimulus_id=ids)
    target = neuroid_assembly(
        y, stimulus_id=ids, presentation_coords=presentation, neuroid_coords={"region": ["IT"] * t}
    )
    return source, target


def _independent_ridge_score(source, target, stratified, sort=True):
    if sort:
        target = target.isel(presentation=np.argsort(target["stimulus_id"].values))
    position = {stimulus: row for row, stimulus in enumerate(source["stimulus_id"].values)}
    source = source.isel(presentation=[position[i] for i in target["stimulus_id"].values])
    x, y = source.values, target.values
    arguments = dict(n_splits=10, train_size=0.9, test_size=None, random_state=1)
    if stratified:
        splits = StratifiedShuffleSplit(**arguments).split(x, target["object_name"].values)
    else:
        splits = ShuffleSplit(**arguments).split(x)
    per_split_neuroid = []
    for train, test in splits:
        prediction = SkRidge(alpha=1.0).fit(x[train], y[train]).predict(x[test])
        per_split_neuroid.append([np.corrcoef(prediction[:, j], y[test, j])[0, 1] for j in range(y.shape[1])])
    per_split_neuroid = np.array(per_split_neuroid)
    per_split = np.median(per_split_neuroid, axis=1)
    return per_split.mean(), per_split.std() / np.sqrt(10), per_split_neuroid


@pytest.mark.parametrize("stratified", [True, False])
def test_ridge_score_equals_independent_scikit_learn_computation(stratified):
    source, target = _pair(objects=stratified)
    score = load_metric("ridge")(source, target)
    value, error, per_split_neuroid = _independent_ridge_score(source, target, stratified)
    assert float(score) == pytest.approx(value, rel=1e-10)
    assert score.error == pytest.approx(error, rel=1e-8)
    np.testing.assert_allclose(score.details["split_neuroid"].values, per_split_neuroid, rtol=1e-9)
    assert score.attrs["stratification_coord"] == ("object_name" if stratified else None)
    assert score.details["split_neuroid"].dims == ("split", "neuroid")
    assert list(score.details["split_neuroid"]["region"].values) == ["IT"] * 6


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_registered_metrics_load_and_describe_themselves(identifier):
    metric = load_metric(identifier)
    assert isinstance(metric, Metric) and metric.higher_is_better and metric.valid_range == (-1.0, 1.0)
    assert metric_registry.describe()[identifier]


@pytest.mark.parametrize("identifier", ["pls", "ridge", "ridgecv", "linear"])
def test_a_perfect_linear_mapping_scores_one(identifier):
    source, target = _pair(noise=0.0)
    score = load_metric(identifier)(source, target)
    assert float(score) == pytest.approx(1.0, abs=1e-4 if identifier.startswith("ridge") else 1e-9)
    assert 0 <= score.error < 1e-4


def test_neuron_to_neuron_self_comparison_is_one():
    source, _ = _pair()
    target = source.assign_coords(object_name=("presentation", np.arange(120) % 3))
    score = load_metric("neuron_to_neuron")(source, target)
    assert float(score) == pytest.approx(1.0)
    np.testing.assert_array_equal(score.details["source_unit"].values[0], source["neuroid_id"].values)


@pytest.mark.parametrize("stratified", [True, False])
def test_given_split_order_draws_the_splits_over_the_targets_rows_as_passed(stratified):
    """Brain-Score 2.4's convention, for its exact splits on a target not sorted by stimulus_id."""
    source, target = _pair(objects=stratified)  # rows not in stimulus_id order
    metric = load_metric("ridge")
    metric.split_order = "given"
    score = metric(source, target)
    value, _, per_split_neuroid = _independent_ridge_score(source, target, stratified, sort=False)
    assert float(score) == pytest.approx(value, rel=1e-10)
    np.testing.assert_allclose(score.details["split_neuroid"].values, per_split_neuroid, rtol=1e-9)
    assert score.attrs["split_order"] == "given"
    assert float(score) != pytest.approx(float(load_metric("ridge")(source, target)), rel=1e-6)
    with pytest.raises(ValueError, match="split_order"):
        type(metric)(metric.regression, split_order="sorted")


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_scores_do_not_depend_on_row_order(identifier):
    source, target = _pair(seed=2)
    rng = np.random.default_rng(0)
    shuffled_source = source.isel(presentation=rng.permutation(120))
    shuffled_target = target.isel(presentation=rng.permutation(120))
    metric = load_metric(identifier)
    assert float(metric(shuffled_source, shuffled_target)) == pytest.approx(float(metric(source, target)), rel=1e-9)


def test_pls_records_the_number_of_components_used():
    source, target = _pair(f=10)
    score = load_metric("pls")(source, target)
    assert score.attrs["n_components"] == [10] * 10 and score.attrs["n_components_requested"] == 25


def test_constant_neuroid_is_left_out_with_a_warning():
    source, target = _pair()
    target = target.copy(data=target.values.copy())
    target.values[:, 2] = 0.3
    with pytest.warns(RuntimeWarning, match="1 of 6 target neuroids gave NaN"):
        score = load_metric("ridge")(source, target)
    assert np.isnan(score.details["split_neuroid"].values[:, 2]).all()
    expected = np.median(np.delete(score.details["split_neuroid"].values, 2, axis=1), axis=1).mean()
    assert float(score) == pytest.approx(expected)


def test_single_time_bin_is_dropped():
    source, target = _pair()
    with_bin = target.expand_dims(time_bin=1, axis=-1)
    assert float(load_metric("ridge")(source, with_bin)) == pytest.approx(float(load_metric("ridge")(source, target)))


def test_missing_stimulus_id_is_a_clear_error():
    source, target = _pair()
    for broken, side in ((source.drop_vars("stimulus_id"), "source"), (target.drop_vars("stimulus_id"), "target")):
        pair = (broken, target) if side == "source" else (source, broken)
        with pytest.raises(MetricInputError, match=f"{side}.*no 'stimulus_id'"):
            load_metric("pls")(*pair)


def test_mismatched_stimuli_name_how_many_and_examples():
    source, target = _pair()
    ids = source["stimulus_id"].values.astype(object)
    ids[:2] = ["other_a", "other_b"]
    source = source.assign_coords(stimulus_id=("presentation", ids))
    expected = r"2 target stimuli are not in the source \(e\.g\. .*2 source stimuli"
    with pytest.raises(MetricInputError, match=expected) as info:
        load_metric("pls")(source, target)
    assert "other_a" in str(info.value)


def test_repeated_target_stimuli_ask_to_average_repetitions():
    source, target = _pair()
    repeated = xr.concat([target, target], dim="presentation")
    with pytest.raises(MetricInputError, match="average_repetitions"):
        load_metric("ridge")(source, repeated)


def test_too_few_stimuli_is_a_clear_error():
    source, target = _pair(n=12)
    with pytest.raises(MetricInputError, match="Too few stimuli"):
        load_metric("pls")(source.isel(presentation=slice(0, 5)), target.isel(presentation=slice(0, 5)))


def test_non_finite_values_are_refused():
    source, target = _pair()
    source = source.copy(data=source.values.copy())
    source.values[3, 1] = np.nan
    with pytest.raises(MetricInputError, match=r"source.*NaN or infinite values in 1 neuroids"):
        load_metric("ridge")(source, target)


def test_several_time_bins_are_refused():
    source, target = _pair()
    with pytest.raises(MetricInputError, match="2 time bins"):
        load_metric("ridge")(source, target.expand_dims(time_bin=2, axis=-1))


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_inputs_are_not_modified(identifier):
    source, target = _pair()
    source_before, target_before = source.copy(deep=True), target.copy(deep=True)
    load_metric(identifier)(source, target)
    xr.testing.assert_identical(source, source_before)
    xr.testing.assert_identical(target, target_before)


def test_split_parameters_and_stratification_can_be_changed():
    from brainscore_core.metrics._splits import SplitSpec
    from brainscore_core.metrics.predictivity import CrossValidatedPredictivity
    from brainscore_core.metrics.regression import Ridge

    source, target = _pair()
    metric = CrossValidatedPredictivity(Ridge(), stratification_coord=None, split_spec=SplitSpec(n_splits=4))
    score = metric(source, target)
    assert score.details["split_neuroid"].sizes["split"] == 4
    assert score.attrs["stratification_coord"] is None and score.attrs["n_splits"] == 4
    unstratified = _independent_ridge_score(source, target, stratified=False)[2][:4]
    np.testing.assert_allclose(score.details["split_neuroid"].values, unstratified, rtol=1e-9)
