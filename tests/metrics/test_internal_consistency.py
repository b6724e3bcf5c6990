"""internal_consistency against a direct per-split pandas/numpy computation; uneven repetitions; errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import ShuffleSplit

from brainscore_core.assemblies import neuroid_assembly
from brainscore_core.errors import InvalidAssemblyError, MetricInputError
from brainscore_core.loading import load_ceiling
from brainscore_core.metrics.internal_consistency import InternalConsistency


def _recordings(n_stimuli=40, n_repetitions=6, n_neuroids=5, noise=1.0, seed=0):
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=(n_stimuli, n_neuroids))
    stimulus = np.repeat(np.arange(n_stimuli), n_repetitions)
    values = signal[stimulus] + noise * rng.normal(size=(len(stimulus), n_neuroids))
    return neuroid_assembly(
        values,
        stimulus_id=[f"s{i:03d}" for i in stimulus],
        presentation_coords={"repetition": np.tile(np.arange(n_repetitions), n_stimuli)},
    )


def _independent_ceiling(assembly):
    """Loop over splits and neuroids with pandas group means and numpy correlations (pairwise deletion)."""
    frame = pd.DataFrame(assembly.values)
    frame["stimulus_id"] = assembly["stimulus_id"].values
    frame["repetition"] = assembly["repetition"].values
    repetitions = np.unique(frame["repetition"])
    splitter = ShuffleSplit(n_splits=10, train_size=0.5, test_size=None, random_state=1)
    per_split = []
    for first, second in splitter.split(np.zeros((len(repetitions), 1))):
        halves = [
            frame[frame["repetition"].isin(repetitions[part])].groupby("stimulus_id").mean().drop(columns="repetition")
            for part in (first, second)
        ]
        a, b = halves[0].align(halves[1], join="outer")
        corrected = []
        for column in range(assembly.shape[1]):
            keep = a[column].notna() & b[column].notna()
            r = np.corrcoef(a[column][keep], b[column][keep])[0, 1]
            corrected.append(2 * r / (1 + r))
        per_split.append(np.median(corrected))
    per_split = np.array(per_split)
    return per_split.mean(), per_split.std() / np.sqrt(10)


def test_equals_independent_computation():
    assembly = _recordings()
    score = load_ceiling("internal_consistency")(assembly)
    value, error = _independent_ceiling(assembly)
    assert float(score) == pytest.approx(value, rel=1e-10)
    assert score.error == pytest.approx(error, rel=1e-8)
    assert score.details["split_neuroid"].shape == (10, 5)
    assert score.attrs["n_repetitions"] == 6


def test_identical_repetitions_give_ceiling_one():
    score = load_ceiling("internal_consistency")(_recordings(noise=0.0))
    assert float(score) == pytest.approx(1.0) and score.error == pytest.approx(0.0, abs=1e-12)


def test_uneven_repetitions_leave_missing_stimuli_out():
    assembly = _recordings(n_repetitions=10, seed=1)
    rng = np.random.default_rng(2)
    kept_repeats = rng.integers(6, 11, size=40)  # 6-10 repeats per stimulus, like the Cowley V4 data
    stimulus = np.repeat(np.arange(40), 10)
    keep = assembly["repetition"].values < kept_repeats[stimulus]
    uneven = assembly.isel(presentation=np.flatnonzero(keep))
    score = load_ceiling("internal_consistency")(uneven)
    value, error = _independent_ceiling(uneven)
    assert float(score) == pytest.approx(value, rel=1e-10)
    assert score.error == pytest.approx(error, rel=1e-8)


def test_nan_padding_equals_dropping_the_rows():
    assembly = _recordings(n_repetitions=8, seed=3)
    padded = assembly.copy(data=assembly.values.copy())
    dropped_rows = np.array([3, 4, 5, 6, 7, 50, 51, 100])
    padded.values[dropped_rows] = np.nan
    dropped = assembly.isel(presentation=np.setdiff1d(np.arange(len(assembly)), dropped_rows))
    ceiling = InternalConsistency()
    assert float(ceiling(padded)) == pytest.approx(float(ceiling(dropped)), rel=1e-12)


def test_constant_neuroid_is_left_out_with_a_warning():
    assembly = _recordings()
    assembly = assembly.copy(data=assembly.values.copy())
    assembly.values[:, 1] = 2.0
    with pytest.warns(RuntimeWarning, match="1 of 5 neuroids"):
        score = load_ceiling("internal_consistency")(assembly)
    assert np.isnan(score.details["split_neuroid"].values[:, 1]).all()
    assert np.isfinite(float(score))


def test_missing_repetition_coord_is_a_clear_error():
    assembly = _recordings().drop_vars("repetition")
    with pytest.raises(MetricInputError, match="'repetition' coordinate"):
        load_ceiling("internal_consistency")(assembly)


def test_a_single_repetition_is_a_clear_error():
    with pytest.raises(MetricInputError, match="at least 2 distinct 'repetition'"):
        load_ceiling("internal_consistency")(_recordings(n_repetitions=1))


def _with_duplicated_row(assembly, name="Lab2024.V4"):
    """Row 1 (stimulus s000, repetition 1) relabelled as repetition 0: two rows claim (s000, 0)."""
    repetition = assembly["repetition"].values.copy()
    repetition[1] = 0
    return assembly.assign_coords(repetition=("presentation", repetition)).rename(name)


def test_a_duplicated_stimulus_repetition_row_is_refused_naming_the_assembly_the_pair_and_the_fix():
    assembly = _with_duplicated_row(_recordings())
    with pytest.raises(InvalidAssemblyError) as raised:
        load_ceiling("internal_consistency")(assembly)
    message = str(raised.value)
    assert "assembly 'Lab2024.V4' has 1 duplicated (stimulus_id, repetition) rows, e.g. ('s000', 0)" in message
    assert "Fix the stimulus ids or the 'repetition' labels" in message
    assert "InternalConsistency(grouped_repetitions=True)" in message
    assert isinstance(raised.value, MetricInputError)  # what callers of a ceiling already catch


def test_a_duplicated_row_of_an_unnamed_assembly_is_refused_too():
    assembly = _with_duplicated_row(_recordings(), name=None)
    with pytest.raises(InvalidAssemblyError, match=r"the assembly has 1 duplicated \(stimulus_id, repetition\)"):
        InternalConsistency()(assembly)


def test_labels_declared_as_grouped_repetitions_are_averaged_within_their_half():
    assembly = _recordings(n_repetitions=6, seed=4)
    halves = assembly.assign_coords(repetition=("presentation", assembly["repetition"].values % 2))
    grouped = InternalConsistency(grouped_repetitions=True)(halves)
    # the same as averaging the even and the odd repeats first, then taking the two-label ceiling
    averaged = halves.groupby(halves["stimulus_id"].astype(str) + "|" + halves["repetition"].astype(str)).mean()
    keys = averaged.coords[averaged.dims[0]].values
    explicit = neuroid_assembly(
        averaged.transpose(averaged.dims[0], "neuroid").values,
        stimulus_id=[key.split("|")[0] for key in keys],
        presentation_coords={"repetition": np.array([int(key.split("|")[1]) for key in keys])},
    )
    assert float(grouped) == pytest.approx(float(InternalConsistency()(explicit)), rel=1e-12)
    with pytest.raises(InvalidAssemblyError):
        InternalConsistency()(halves)
