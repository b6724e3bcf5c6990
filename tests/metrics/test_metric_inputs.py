"""Every metric family refuses unusable responses alike (issue 10 §3 and §6): NaN/Inf, 0 neuroids, overflowing values.

Probe 3.1 vs 3.2: NaN model activations raised a clear error on the regression path but gave a NaN RSA score with
a warning blaming constant responses. Probes 2.3 and 2.8: a finite 1e300 crashed PLS with ``LinAlgError`` and an
assembly with 0 neuroids with ``IndexError``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from brainscore_core.assemblies import neuroid_assembly
from brainscore_core.errors import MetricInputError
from brainscore_core.loading import load_ceiling, load_metric
from brainscore_core.metrics._checks import MAX_ABS_VALUE

REGRESSION = ["pls", "ridge", "ridgecv", "linear", "neuron_to_neuron"]
SIMILARITY = ["rsa", "rdm", "rdm_cv", "cka", "cka_biased", "cka_cv"]
ALL = REGRESSION + SIMILARITY


def _pair(n=40, f=12, t=6, seed=0):
    rng = np.random.default_rng(seed)
    ids = [f"s{i:03d}" for i in range(n)]
    x = rng.normal(size=(n, f))
    y = x[:, :3] @ rng.normal(size=(3, t)) + rng.normal(size=(n, t))
    source = neuroid_assembly(x, stimulus_id=ids, neuroid_id=[f"unit{i}" for i in range(f)])
    target = neuroid_assembly(
        y, stimulus_id=ids, neuroid_id=[f"n{i}" for i in range(t)], neuroid_coords={"subject": ["a", "b"] * (t // 2)}
    )
    return source, target


def _with_value(assembly, row, column, value):
    values = np.array(assembly.values, dtype=float)
    values[row, column] = value
    return assembly.copy(data=values)


@pytest.mark.parametrize("identifier", ALL)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_model_outputs_are_refused_alike_on_every_path(identifier, bad):
    source, target = _pair()
    broken = _with_value(_with_value(source, 3, 2, bad), 7, 5, bad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no misleading 'constant responses' warning on the way
        with pytest.raises(
            MetricInputError,
            match=r"The source \(model\) assembly has NaN or infinite values in 2 neuroids \(e.g. 'unit2', 'unit5'\)",
        ):
            load_metric(identifier)(broken, target)


@pytest.mark.parametrize("identifier", ALL)
def test_non_finite_data_is_refused_naming_the_target(identifier):
    source, target = _pair()
    expected = r"The target \(data\) assembly has NaN or infinite values in 1 neuroids"
    with pytest.raises(MetricInputError, match=expected):
        load_metric(identifier)(source, _with_value(target, 0, 1, np.nan))


@pytest.mark.parametrize("identifier", ALL)
@pytest.mark.parametrize("side", ["source", "target"])
def test_finite_but_huge_values_are_refused_naming_the_side(identifier, side):
    source, target = _pair()
    if side == "source":
        source = _with_value(source, 2, 4, 1e300)
        expected = r"The source \(model\) assembly has values too large to compare in 1 neuroids \(e.g. 'unit4'"
    else:
        target = _with_value(target, 2, 3, -1e300)
        expected = r"The target \(data\) assembly has values too large to compare in 1 neuroids \(e.g. 'n3'"
    with pytest.raises(MetricInputError, match=expected + r".*largest \|value\| 1e\+300 > 1e\+50"):
        load_metric(identifier)(source, target)


@pytest.mark.parametrize("identifier", ["pls", "ridgecv", "rsa", "cka"])
def test_values_just_below_the_bound_still_score(identifier):
    source, target = _pair()
    scaled = source.copy(data=source.values * (MAX_ABS_VALUE / np.abs(source.values).max()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(load_metric(identifier)(scaled, target))
    assert np.isfinite(value)
    if identifier != "ridgecv":  # the others do not depend on the scale of the responses
        assert value == pytest.approx(float(load_metric(identifier)(source, target)), abs=1e-6)


@pytest.mark.parametrize("identifier", ALL)
@pytest.mark.parametrize("side", ["source", "target"])
def test_zero_neuroids_are_refused_naming_the_side(identifier, side):
    source, target = _pair()
    if side == "source":
        source = source.isel(neuroid=[])
    else:
        target = target.isel(neuroid=[])
    name = r"source \(model\)" if side == "source" else r"target \(data\)"
    with pytest.raises(MetricInputError, match=f"The {name} assembly has 0 neuroids"):
        load_metric(identifier)(source, target)


def test_rsa_ceiling_refuses_nan_data_but_warns_for_constant_stimuli():
    _, target = _pair()
    with pytest.raises(MetricInputError, match=r"assembly \(data\) assembly has NaN"):
        load_ceiling("rsa_ceiling")(_with_value(target, 1, 1, np.nan))


def test_constant_model_responses_keep_a_warning_that_names_the_stimuli():
    source, target = _pair()
    flat = np.array(source.values)
    flat[[4, 9]] = 0.5
    with pytest.warns(RuntimeWarning) as record:
        score = load_metric("rsa")(source.copy(data=flat), target)
    messages = [str(w.message) for w in record]
    assert any(
        "source (model) responses to 2 of 40 stimuli (e.g. 's004', 's009') are constant across neuroids" in m
        for m in messages
    )
    assert any("RDM entries are undefined (NaN)" in m and "constant across neuroids" in m for m in messages)
    assert np.isfinite(float(score))
