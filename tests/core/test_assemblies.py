import numpy as np
import pytest
import xarray as xr

from brainscore_core import (
    AssemblyError,
    align_by_stimulus,
    average_repetitions,
    behavioral_assembly,
    neuroid_assembly,
    rdm_assembly,
    sort_by_stimulus,
    validate_behavioral_assembly,
    validate_neuroid_assembly,
)
from brainscore_core.errors import InvalidAssemblyError, MetricInputError


def _repeated():
    values = np.arange(12, dtype=float).reshape(6, 2)
    return neuroid_assembly(
        values,
        stimulus_id=["b", "a", "c", "b", "a", "c"],
        presentation_coords={"repetition": [0, 0, 0, 1, 1, 1], "object_name": ["x", "y", "x", "x", "y", "x"]},
        neuroid_coords={"region": ["IT", "IT"]},
    )


def test_neuroid_assembly_has_documented_dims_and_coords():
    assembly = _repeated()
    assert assembly.dims == ("presentation", "neuroid")
    assert list(assembly["neuroid_id"].values) == ["0", "1"]
    assert assembly["region"].dims == ("neuroid",)
    assert assembly["object_name"].dims == ("presentation",)


def test_time_bins_become_a_third_dimension():
    assembly = neuroid_assembly(np.zeros((2, 3, 4)), stimulus_id=["a", "b"], time_bins=[(0, 10)] * 4)
    assert assembly.dims == ("presentation", "neuroid", "time_bin")
    assert list(assembly["time_bin_end"].values) == [10] * 4


def test_missing_stimulus_id_is_named():
    bare = xr.DataArray(
        np.zeros((2, 2)), dims=("presentation", "neuroid"), coords={"neuroid_id": ("neuroid", ["0", "1"])}
    )
    with pytest.raises(AssemblyError, match="no 'stimulus_id' coordinate on dimension 'presentation'"):
        validate_neuroid_assembly(bare)


def test_missing_dimension_is_named():
    with pytest.raises(AssemblyError, match="missing dimension 'neuroid'"):
        validate_neuroid_assembly(xr.DataArray(np.zeros((2, 2)), dims=("presentation", "unit")))


def test_wrong_coord_length_is_reported():
    with pytest.raises(AssemblyError, match=r"'stimulus_id'.*3 values"):
        neuroid_assembly(np.zeros((3, 2)), stimulus_id=["a", "b"])


def test_multiindex_coords_are_flattened():
    assembly = _repeated().set_index(presentation=["stimulus_id", "repetition"])
    flat = validate_neuroid_assembly(assembly)
    assert flat["stimulus_id"].dims == ("presentation",)
    assert list(flat["repetition"].values) == [0, 0, 0, 1, 1, 1]


def test_average_repetitions_keeps_constant_coords_and_drops_varying_ones():
    mean = average_repetitions(_repeated())
    assert list(mean["stimulus_id"].values) == ["b", "a", "c"]
    np.testing.assert_allclose(mean.values, [[3, 4], [5, 6], [7, 8]])
    assert "object_name" in mean.coords and "repetition" not in mean.coords
    assert list(mean["region"].values) == ["IT", "IT"]


def test_average_repetitions_skips_nan_padding():
    assembly = neuroid_assembly(
        [[1.0], [np.nan], [3.0]], stimulus_id=["a", "a", "a"], presentation_coords={"repetition": [0, 1, 2]}
    )
    assert float(average_repetitions(assembly).values[0, 0]) == 2.0


def test_align_by_stimulus_restricts_and_sorts():
    source = neuroid_assembly(np.arange(3.0)[:, None], stimulus_id=["c", "a", "b"])
    target = neuroid_assembly(np.arange(2.0)[:, None], stimulus_id=["b", "c"])
    aligned_source, aligned_target = align_by_stimulus(source, target)
    assert list(aligned_source["stimulus_id"].values) == ["b", "c"]
    np.testing.assert_array_equal(aligned_source.values[:, 0], [2, 0])
    np.testing.assert_array_equal(aligned_target.values[:, 0], [0, 1])


def test_align_rejects_repeats_and_disjoint_sets():
    with pytest.raises(AssemblyError, match="average repetitions"):
        align_by_stimulus(_repeated(), _repeated())
    a = neuroid_assembly([[1.0]], stimulus_id=["a"])
    b = neuroid_assembly([[1.0]], stimulus_id=["b"])
    with pytest.raises(AssemblyError, match="share no stimulus_id"):
        align_by_stimulus(a, b)


def test_sort_by_stimulus():
    assert list(sort_by_stimulus(_repeated())["stimulus_id"].values) == ["a", "a", "b", "b", "c", "c"]


def test_behavioral_assemblies():
    probabilities = behavioral_assembly([[0.2, 0.8]], stimulus_id=["a"], choices=["dog", "cat"])
    assert probabilities.dims == ("presentation", "choice")
    trials = behavioral_assembly(["dog", "cat"], stimulus_id=["a", "a"], presentation_coords={"subject": [1, 2]})
    assert trials.dims == ("presentation",)
    with pytest.raises(AssemblyError, match="'stimulus_id'"):
        validate_behavioral_assembly(xr.DataArray([1, 2], dims=("presentation",)))
    with pytest.raises(AssemblyError, match="2 choices"):
        behavioral_assembly([[0.2, 0.3, 0.5]], stimulus_id=["a"], choices=["dog", "cat"])


def test_rdm_assembly():
    rdm = rdm_assembly(np.zeros((2, 3, 3)), stimulus_id=["a", "b", "c"], subject=["s1", "s2"])
    assert rdm.dims == ("subject", "stimulus_a", "stimulus_b")
    assert rdm_assembly(np.zeros((3, 3)), stimulus_id=["a", "b", "c"]).sizes["subject"] == 1
    with pytest.raises(AssemblyError, match="3x3 but 2 stimulus ids"):
        rdm_assembly(np.zeros((3, 3)), stimulus_id=["a", "b"])


# --- bad data is refused (issue 10 §6) ----------------------------------------------------------------------
def test_average_repetitions_refuses_duplicated_stimulus_repetition_rows():
    """Probe 2.5: a row relabelled as another stimulus of the same repetition used to be averaged in silently."""
    relabelled = neuroid_assembly(
        np.arange(8.0).reshape(4, 2),
        stimulus_id=["a", "a", "a", "b"],
        presentation_coords={"repetition": [0, 0, 1, 1]},
    )
    with pytest.raises(InvalidAssemblyError, match=r"1 duplicated \(stimulus_id, repetition\) rows, e.g. \('a', 0\)"):
        average_repetitions(relabelled)
    with pytest.raises(MetricInputError, match="nothing was averaged"):  # also a MetricInputError
        average_repetitions(relabelled)


def test_average_repetitions_refuses_unlabelled_repeats_unless_declared():
    unlabelled = neuroid_assembly([[1.0], [3.0], [5.0]], stimulus_id=["a", "a", "b"])
    with pytest.raises(InvalidAssemblyError, match=r"repeats 1 stimulus ids \(\['a'\]\) .*no 'repetition' coordinate"):
        average_repetitions(unlabelled)
    declared = average_repetitions(unlabelled, repetition_coord=None)
    np.testing.assert_array_equal(declared.values[:, 0], [2.0, 5.0])
    trials = unlabelled.assign_coords(trial=("presentation", [0, 1, 0]))
    assert float(average_repetitions(trials, repetition_coord="trial").values[0, 0]) == 2.0


def test_average_repetitions_without_repeats_needs_no_repetition_coord():
    once = neuroid_assembly([[1.0], [3.0]], stimulus_id=["a", "b"])
    np.testing.assert_array_equal(average_repetitions(once).values, once.values)


class _ConstantCandidate:
    identifier = "toy"

    def start_recording(self, region, time_bins=None):
        pass

    def look_at(self, stimuli, number_of_trials=1):
        return neuroid_assembly(np.ones((2, 1)), stimulus_id=["a", "b"])


def _toy_benchmark(data, **arguments):
    from brainscore_core import NeuralBenchmark, Score, stimulus_set

    def metric(source, target):
        return Score(float(target.values.sum()))

    return NeuralBenchmark(
        "toy.duplicates",
        assembly=data,
        stimuli=stimulus_set("toy", {"stimulus_id": ["a", "b"]}, images=[np.zeros((2, 2, 3), np.uint8)] * 2),
        region="IT",
        metric=metric,
        ceiling_func=None,
        visual_degrees=8,
        **arguments,
    )


def test_neural_benchmark_refuses_duplicated_rows_before_scoring():
    data = neuroid_assembly(
        np.ones((4, 1)), stimulus_id=["a", "a", "b", "b"], presentation_coords={"repetition": [0, 0, 0, 1]}
    )
    with pytest.raises(MetricInputError, match=r"\('a', 0\)"):
        _toy_benchmark(data)(_ConstantCandidate())


def test_neural_benchmark_averages_unlabelled_repeats_only_when_declared():
    data = neuroid_assembly([[1.0], [3.0], [5.0]], stimulus_id=["a", "a", "b"])
    with pytest.raises(InvalidAssemblyError, match="no 'repetition' coordinate"):
        _toy_benchmark(data)(_ConstantCandidate())
    assert _toy_benchmark(data, repetition_coord=None)(_ConstantCandidate()).raw == pytest.approx(7.0)


def _symmetric(rng, n=5):
    values = rng.uniform(0.1, 2.0, size=(n, n))
    rdm = (values + values.T) / 2
    np.fill_diagonal(rdm, 0.0)
    return rdm


def test_rdm_assembly_refuses_an_asymmetric_rdm_and_names_the_pair():
    rdm = _symmetric(np.random.default_rng(0))
    rdm[3, 1] += 0.5
    with pytest.raises(InvalidAssemblyError, match=r"not symmetric \(subject '0': 1 pairs differ, e.g. \('b', 'd'\)"):
        rdm_assembly(rdm, stimulus_id=list("abcde"))
    nan_below = _symmetric(np.random.default_rng(0))
    nan_below[4, 0] = np.nan
    with pytest.raises(InvalidAssemblyError, match="not symmetric"):
        rdm_assembly(nan_below, stimulus_id=list("abcde"))


def test_rdm_assembly_tolerates_float_noise_and_missing_entries():
    rdm = _symmetric(np.random.default_rng(1))
    noisy = rdm * (1 + 1e-12 * np.random.default_rng(2).normal(size=rdm.shape))
    np.fill_diagonal(noisy, 1e-15)
    rdm_assembly(noisy, stimulus_id=list("abcde"))
    missing = rdm.copy()
    missing[0, 2] = missing[2, 0] = np.nan
    assert np.isnan(rdm_assembly(missing, stimulus_id=list("abcde")).values).sum() == 2


def test_rdm_assembly_refuses_a_similarity_matrix():
    rng = np.random.default_rng(3)
    similarity = np.corrcoef(rng.normal(size=(5, 20)))  # diagonal 1
    with pytest.raises(InvalidAssemblyError, match=r"non-zero diagonal .*pass 1 - similarity"):
        rdm_assembly(similarity, stimulus_id=list("abcde"), subject=["s1"])
    rdm_assembly(1 - similarity, stimulus_id=list("abcde"))


def test_rdm_assembly_refuses_repeated_stimulus_ids_without_suggesting_averaging():
    with pytest.raises(InvalidAssemblyError, match=r"repeats stimulus ids \['b'\]") as error:
        rdm_assembly(np.zeros((3, 3)), stimulus_id=["a", "b", "b"])
    assert "average" not in str(error.value)
    assert "drop the extra rows and columns" in str(error.value)
