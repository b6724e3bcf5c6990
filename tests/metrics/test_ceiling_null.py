"""The shuffled-label null of a benchmark's ceiling: recorded, cached with the ceiling, and warned about when the
ceiling is not above it; real-data ceilings are above it and keep their values."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from brainscore_core import (
    NeuralBenchmark,
    RSABenchmark,
    Score,
    load_benchmark,
    neuroid_assembly,
    rdm_assembly,
    stimulus_set,
)
from brainscore_core.benchmarks._ceiling_null import (
    PERMUTATIONS,
    SEED,
    shuffle_rdms,
    shuffle_stimulus_ids,
    with_shuffled_null,
)
from brainscore_core.cache import ResultCache
from brainscore_core.loading import load_ceiling
from brainscore_core.score import UnreliableCeilingWarning, ceil_ratio, ceil_squared

pytestmark = pytest.mark.usefixtures("isolated_cache")

N_STIMULI, N_REPETITIONS, N_NEUROIDS = 40, 6, 8
IDS = [f"s{i:03d}" for i in range(N_STIMULI)]


def _stimuli():
    return stimulus_set("toy", {"stimulus_id": IDS}, images=[np.zeros((2, 2, 3), np.uint8)] * N_STIMULI)


def _recordings(signal: float, seed: int = 0):
    """``signal`` x a per-stimulus pattern plus unit noise, one row per (stimulus, repetition)."""
    rng = np.random.default_rng(seed)
    pattern = rng.normal(size=(N_STIMULI, N_NEUROIDS))
    stimulus = np.repeat(np.arange(N_STIMULI), N_REPETITIONS)
    values = signal * pattern[stimulus] + rng.normal(size=(len(stimulus), N_NEUROIDS))
    return neuroid_assembly(
        values,
        stimulus_id=[IDS[i] for i in stimulus],
        presentation_coords={"repetition": np.tile(np.arange(N_REPETITIONS), N_STIMULI)},
    )


class _Candidate:
    """Records responses with the stimulus pattern of the data (so raw scores are defined)."""

    identifier = "toy-model"

    def start_recording(self, region, time_bins=None):
        pass

    def look_at(self, stimuli, number_of_trials=1):
        values = np.random.default_rng(5).normal(size=(N_STIMULI, 3))
        return neuroid_assembly(values, stimulus_id=IDS)


def _neural(assembly, identifier="Lab2024.V4-toy"):
    return NeuralBenchmark(
        identifier,
        assembly=assembly,
        stimuli=_stimuli,
        region="V4",
        metric=lambda source, target: Score(0.3, error=0.01),
        ceiling_func=load_ceiling("internal_consistency"),
        visual_degrees=8,
    )


def test_a_pure_noise_assembly_warns_when_scored_naming_the_benchmark_and_the_numbers():
    noise = _recordings(signal=0.0, seed=3)  # a positive ceiling (0.063 +- 0.024): the two-error rule passes it
    benchmark = _neural(noise, identifier="Lab2024.IT-noise")
    with pytest.warns(UnreliableCeilingWarning) as caught:
        score = benchmark(_Candidate())
    ceiling = benchmark.ceiling
    assert ceiling is not None
    assert float(ceiling) == float(load_ceiling("internal_consistency")(noise))  # the null never changes the value
    assert 0 < float(ceiling) - 2 * ceiling.error and float(ceiling) <= ceiling.attrs["shuffled"]
    assert str(caught[0].message) == (
        f"The ceiling of Lab2024.IT-noise is not reliably above zero: it is {float(ceiling):.4f}, not above "
        f"{ceiling.attrs['shuffled']:.4f} with the stimulus labels shuffled (the highest of {PERMUTATIONS} "
        f"permutations, mean {ceiling.attrs['shuffled_mean']:.4f}). Ceiled scores are then the raw score times an "
        "arbitrary constant; compare raw scores, or improve the ceiling's estimate (more subjects or repetitions)."
    )
    assert "0.0629, not above 0.1420" in str(caught[0].message)
    assert score.raw == 0.3 and score.ceiling == float(ceiling)  # still scored
    assert score.attrs["ceiling_shuffled"] == ceiling.attrs["shuffled"]  # the null travels with the score


def test_a_ceiling_below_its_recorded_null_warns_when_ceiled():
    ceiling = with_shuffled_null(Score(0.05, error=0.001), lambda rng: Score(0.2), "toy labels")
    assert ceiling is not None and ceiling.attrs["shuffled"] == 0.2 and ceiling.attrs["shuffled_p"] == 1.0
    with pytest.warns(UnreliableCeilingWarning, match=re.escape("not above 0.2000 with the stimulus labels shuffled")):
        ceil_ratio(Score(0.1), ceiling)


def test_a_reliable_neural_ceiling_records_its_null_and_is_not_warned():
    benchmark = _neural(_recordings(signal=1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreliableCeilingWarning)
        benchmark(_Candidate())
    ceiling = benchmark.ceiling
    assert ceiling is not None
    attrs = ceiling.attrs
    assert attrs["shuffled_permutations"] == PERMUTATIONS and attrs["shuffled_seed"] == SEED
    assert attrs["shuffled_labels"] == "stimulus_id permuted within each 'repetition' value"
    assert abs(attrs["shuffled_mean"]) < 0.2 < float(ceiling)  # no stimulus-locked signal is left when shuffled
    assert attrs["shuffled"] < float(ceiling) and attrs["shuffled_p"] == pytest.approx(1 / (PERMUTATIONS + 1))
    assert ceiling.benchmark_identifier == "Lab2024.V4-toy"


def test_the_null_is_cached_with_the_ceiling_and_reproducible():
    data = _recordings(signal=0.5)
    first = _neural(data).ceiling
    assert len(list(ResultCache("ceilings").root.glob("*.json"))) == 1
    calls = []
    again = _neural(data)
    again.ceiling_func = load_ceiling("internal_consistency")
    original = again.ceiling_func
    again.ceiling_func = lambda assembly: calls.append(1) or original(assembly)  # a new key: recomputed
    recomputed = again.ceiling
    assert len(calls) == 1 + PERMUTATIONS
    served = _neural(data).ceiling  # the first key again: from disk, with its null
    assert first is not None and recomputed is not None and served is not None
    for name in ("shuffled", "shuffled_mean", "shuffled_p"):
        assert served.attrs[name] == first.attrs[name] == recomputed.attrs[name]  # seeded: the same draws


def test_shuffling_repetitions_permutes_ids_within_each_repetition_only():
    assembly = _recordings(signal=1.0)
    shuffled = shuffle_stimulus_ids(assembly, np.random.default_rng(0), "repetition")
    np.testing.assert_array_equal(shuffled.values, assembly.values)
    np.testing.assert_array_equal(shuffled["repetition"].values, assembly["repetition"].values)
    for repetition in range(N_REPETITIONS):
        rows = assembly["repetition"].values == repetition
        assert sorted(shuffled["stimulus_id"].values[rows]) == sorted(assembly["stimulus_id"].values[rows])
    assert (shuffled["stimulus_id"].values != assembly["stimulus_id"].values).mean() > 0.9
    whole = shuffle_stimulus_ids(assembly, np.random.default_rng(0), None)  # no repetition coord: all rows
    assert sorted(whole["stimulus_id"].values) == sorted(assembly["stimulus_id"].values)


def test_shuffling_within_several_coords_keeps_each_group_s_ids():
    trials = neuroid_assembly(
        np.arange(24, dtype=float)[:, None],
        stimulus_id=[f"s{i % 6}" for i in range(24)],
        presentation_coords={"subject": np.repeat(["a", "b"], 12), "condition": np.tile(np.repeat([0, 1], 6), 2)},
    )
    shuffled = shuffle_stimulus_ids(trials, np.random.default_rng(2), within=("subject", "condition"))
    for subject in "ab":
        for condition in (0, 1):
            rows = (trials["subject"].values == subject) & (trials["condition"].values == condition)
            assert sorted(shuffled["stimulus_id"].values[rows]) == sorted(trials["stimulus_id"].values[rows])
    assert list(shuffled["stimulus_id"].values) != list(trials["stimulus_id"].values)
    absent = shuffle_stimulus_ids(trials, np.random.default_rng(2), within=("subject", "session"))  # no 'session'
    assert sorted(absent["stimulus_id"].values) == sorted(trials["stimulus_id"].values)  # all rows, one group


def _rdms(n_subjects: int, shared: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(N_STIMULI, 5))
    matrices = []
    for _ in range(n_subjects):
        features = shared * common + rng.normal(size=common.shape)
        rdm = 1 - np.corrcoef(features)
        np.fill_diagonal(rdm, 0.0)
        matrices.append(rdm)
    return rdm_assembly(np.stack(matrices), stimulus_id=IDS)


def test_shuffled_rdms_stay_symmetric_with_a_zero_diagonal_and_keep_each_subjects_entries():
    rdms = _rdms(3, shared=1.0)
    shuffled = shuffle_rdms(rdms, np.random.default_rng(1))
    for subject in range(3):
        values = shuffled.values[subject]
        np.testing.assert_allclose(values, values.T)
        assert np.all(np.diag(values) == 0)
        assert sorted(values.ravel()) == pytest.approx(sorted(rdms.values[subject].ravel()))
    assert not np.allclose(shuffled.values, rdms.values)


def _rsa(rdms, identifier="Lab2024.IT-rsa"):
    return RSABenchmark(
        identifier,
        rdms=rdms,
        stimuli=_stimuli,
        region="IT",
        metric=lambda source, target: Score(0.2, error=0.01),
        ceiling_func=load_ceiling("rsa_ceiling"),
        visual_degrees=8,
    )


def test_an_rsa_upper_bound_at_its_shuffled_level_warns_naming_the_benchmark():
    """Each subject's RDM against a mean that includes it is ~1/sqrt(subjects) without any shared structure."""
    benchmark = _rsa(_rdms(4, shared=0.0), identifier="Lab2024.IT-noise-rsa")
    ceiling = benchmark.ceiling
    assert ceiling is not None
    assert ceiling.attrs["shuffled_mean"] == pytest.approx(0.5, abs=0.1) and float(ceiling) > 0.3
    with pytest.warns(UnreliableCeilingWarning, match=r"The ceiling of Lab2024\.IT-noise-rsa is not reliably above"):
        benchmark(_Candidate())


def test_a_shared_rdm_structure_is_above_its_null():
    ceiling = _rsa(_rdms(4, shared=2.0)).ceiling
    assert ceiling is not None and float(ceiling) > ceiling.attrs["shuffled"]
    assert ceiling.attrs["shuffled_labels"] == "each subject's stimuli permuted independently"


def test_a_ceiling_that_ignores_the_stimulus_labels_records_no_threshold():
    ceiling = with_shuffled_null(Score(0.5), lambda rng: Score(0.5), "toy labels")
    assert ceiling is not None and ceiling.attrs["shuffled_invariant"] is True and "shuffled" not in ceiling.attrs
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreliableCeilingWarning)
        ceil_ratio(Score(0.1), ceiling)


def test_a_null_that_cannot_be_drawn_keeps_the_ceiling_and_says_why():
    def refuses(rng):
        raise ValueError("needs the original order")

    original = Score(0.7, error=0.01, attrs={"n_splits": 10})
    ceiling = with_shuffled_null(original, refuses, "toy labels")
    assert ceiling is not None and float(ceiling) == 0.7 and "shuffled" not in ceiling.attrs
    assert ceiling.attrs["shuffled_unavailable"] == "ValueError: needs the original order"
    assert original.attrs == {"n_splits": 10}  # the caller's Score is never edited
    assert with_shuffled_null(None, refuses, "toy") is None
    assert np.isnan(float(with_shuffled_null(Score(float("nan")), refuses, "toy")))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("identifier", "value", "null"),
    [
        ("Cowley2023.V4-pls", 0.7731, 0.0300),
        ("Kriegeskorte2008.hIT-rsa", 0.6607, 0.4978),  # the upper bound's own bias with 4 subjects
        ("Mur2013.similarity-rsa", 0.5751, 0.2461),
        ("Geirhos2019.edges-error_consistency", 0.3184, 0.0280),  # each observer's ids permuted per condition
        ("Geirhos2019.cue_conflict-error_consistency", 0.3311, 0.0093),
    ],
)
def test_real_data_ceilings_are_above_their_null_keep_their_values_and_are_not_warned(identifier, value, null):
    ceiling = load_benchmark(identifier).ceiling
    assert ceiling is not None
    assert float(ceiling) == pytest.approx(value, abs=1e-4)  # pinned in example_plugins/*/test.py
    assert ceiling.attrs["shuffled"] == pytest.approx(null, abs=1e-4)  # the README quotes these
    assert ceiling.attrs["shuffled"] < float(ceiling)
    assert ceiling.attrs["shuffled_p"] == pytest.approx(1 / (PERMUTATIONS + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreliableCeilingWarning)
        (ceil_squared if identifier.startswith("Cowley") else ceil_ratio)(Score(0.3, error=0.01), ceiling)
