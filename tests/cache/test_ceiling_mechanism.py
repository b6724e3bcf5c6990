"""One ceiling mechanism for NeuralBenchmark and RSABenchmark: ``ceiling_func`` applied to the benchmark's data,
disk-cached under a key covering the data, the ceiling function (code and parameters) and the code computing it."""

import numpy as np
import pytest

from brainscore_core import Benchmark, NeuralBenchmark, RSABenchmark, Score, load_ceiling, rdm_assembly
from brainscore_core.benchmarks._ceiling_null import PERMUTATIONS
from brainscore_core.cache import ResultCache

#: each computation of a ceiling also draws its shuffled-label null: one call, then one per permutation
CALLS_PER_CEILING = 1 + PERMUTATIONS

pytestmark = pytest.mark.usefixtures("isolated_cache")

STIMULUS_IDS = [f"s{i}" for i in range(6)]


class CountingCeiling:
    """Wraps the registered ``rsa_ceiling`` and counts its calls; ``offset`` is a parameter of the key."""

    identifier = "counting-rsa-ceiling"
    calls = 0

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def __call__(self, rdms):
        type(self).calls += 1
        ceiling = load_ceiling("rsa_ceiling")(rdms)
        if ceiling is None or not self.offset:
            return ceiling
        return Score(float(ceiling) + self.offset, error=ceiling.error, attrs=dict(ceiling.attrs))


def _rdms(seed=0, subjects=("ann", "bob", "cat")):
    rng = np.random.default_rng(seed)
    shared = rng.uniform(size=(6, 6))
    stack = []
    for _ in subjects:
        noisy = shared + 0.5 * rng.uniform(size=(6, 6))
        rdm = (noisy + noisy.T) / 2
        np.fill_diagonal(rdm, 0.0)
        stack.append(rdm)
    return rdm_assembly(np.stack(stack), stimulus_id=STIMULUS_IDS, subject=list(subjects))


def _rsa(rdms, ceiling_func, version=1) -> RSABenchmark:
    return RSABenchmark(
        "toy.rsa-ceiling", rdms=rdms, stimuli=lambda: None, visual_degrees=8, region="IT",
        metric=lambda source, target: Score(0.0), ceiling_func=ceiling_func, version=version,
    )  # fmt: skip


def test_neural_and_rsa_benchmarks_share_one_ceiling_mechanism():
    for method in ("ceiling", "_compute_ceiling", "_ceiling_cache_key", "_disk_cached_ceiling"):
        assert getattr(NeuralBenchmark, method) is getattr(Benchmark, method)
        assert getattr(RSABenchmark, method) is getattr(Benchmark, method)


def test_rsa_ceiling_is_cached_on_disk_and_equal_to_the_computed_one():
    CountingCeiling.calls = 0
    data = _rdms()
    expected = load_ceiling("rsa_ceiling")(data)
    first = _rsa(data, CountingCeiling()).ceiling
    served = _rsa(data, CountingCeiling()).ceiling  # a fresh benchmark object: served from disk
    assert CountingCeiling.calls == CALLS_PER_CEILING
    for ceiling in (first, served):
        assert float(ceiling) == float(expected) and ceiling.error == expected.error
        assert {k: v for k, v in ceiling.attrs.items() if not k.startswith("shuffled")} == expected.attrs
        assert ceiling.attrs["shuffled_permutations"] == PERMUTATIONS
        np.testing.assert_array_equal(ceiling.details["lower"].values, expected.details["lower"].values)
    assert served.attrs == first.attrs
    assert len(list(ResultCache("ceilings").root.glob("*.json"))) == 1


def test_rsa_ceiling_key_covers_data_ceiling_parameters_and_version():
    CountingCeiling.calls = 0
    data = _rdms()
    base = float(_rsa(data, CountingCeiling()).ceiling)
    assert float(_rsa(_rdms(seed=1), CountingCeiling()).ceiling) != base  # other data
    assert float(_rsa(data, CountingCeiling(), version=2).ceiling) == base  # other version: recomputed
    assert float(_rsa(data, CountingCeiling(offset=0.25)).ceiling) == pytest.approx(base + 0.25)  # parameters
    assert CountingCeiling.calls == 4 * CALLS_PER_CEILING


def test_a_ceiling_that_cannot_be_estimated_is_cached_as_none():
    CountingCeiling.calls = 0
    one_subject = _rdms(subjects=("only",))
    assert _rsa(one_subject, CountingCeiling()).ceiling is None
    assert _rsa(one_subject, CountingCeiling()).ceiling is None
    assert CountingCeiling.calls == 1


def test_without_a_ceiling_function_nothing_is_computed_or_cached():
    assert _rsa(_rdms(), None).ceiling is None
    assert list(ResultCache("ceilings").root.glob("*.json")) == []


def test_a_benchmark_with_a_ceiling_function_but_no_data_says_what_to_override():
    class Custom(Benchmark):
        identifier = "toy.custom"
        ceiling_func = staticmethod(lambda data: Score(1.0))

        def __call__(self, candidate):
            raise AssertionError("not scored here")

    with pytest.raises(NotImplementedError, match=r"Custom 'toy.custom' sets ceiling_func .* override _ceiling_data"):
        _ = Custom().ceiling
