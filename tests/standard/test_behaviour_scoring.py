"""``score()`` takes Brain-Score's keywords (``model_identifier=``, ``benchmark_identifier=``) as well as positions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from brainscore_core import BrainModel, Score, score
from brainscore_core.benchmarks import Benchmark
from brainscore_core.errors import UnknownIdentifierError
from brainscore_core.registry import benchmark_registry, model_registry


class ConstantModel(BrainModel):
    identifier = "constant-model"

    def look_at(self, stimuli, number_of_trials: int = 1):
        raise AssertionError("the toy benchmark never shows stimuli")


class ToyBenchmark(Benchmark):
    identifier = "Toy2026-constant"
    version = 3

    def __call__(self, candidate: BrainModel) -> Score:
        return self._finish(Score(0.25, error=0.01, raw=0.5, ceiling=2.0), candidate)


@pytest.fixture
def registered() -> Iterator[None]:
    models, benchmarks = model_registry.snapshot(), benchmark_registry.snapshot()
    model_registry["constant-model"] = ConstantModel
    benchmark_registry["Toy2026-constant"] = ToyBenchmark
    yield
    model_registry.restore(models)
    benchmark_registry.restore(benchmarks)


def test_the_seed_tutorial_keywords_score_registered_identifiers(registered):
    result = score(model_identifier="constant-model", benchmark_identifier="Toy2026-constant")
    assert float(result) == 0.25 and result.raw == 0.5 and result.ceiling == 2.0
    assert result.model_identifier == "constant-model"
    assert result.benchmark_identifier == "Toy2026-constant"
    assert result.benchmark_version == 3
    assert result.attrs["seconds"] >= 0


def test_positional_keyword_and_mixed_calls_agree(registered):
    by_position = score("constant-model", "Toy2026-constant")
    by_keyword = score(model_identifier="constant-model", benchmark_identifier="Toy2026-constant")
    mixed = score("constant-model", benchmark_identifier="Toy2026-constant")
    objects = score(model_identifier=ConstantModel(), benchmark_identifier=ToyBenchmark())
    assert float(by_position) == float(by_keyword) == float(mixed) == float(objects) == 0.25
    assert {r.benchmark_identifier for r in (by_position, by_keyword, mixed, objects)} == {"Toy2026-constant"}


def test_model_or_benchmark_given_twice_or_not_at_all_is_a_clear_type_error(registered):
    with pytest.raises(TypeError, match=r"got the model twice: 'constant-model' and model_identifier='other'"):
        score("constant-model", "Toy2026-constant", model_identifier="other")
    with pytest.raises(TypeError, match=r"got the benchmark twice"):
        score("constant-model", "Toy2026-constant", benchmark_identifier="Toy2026-constant")
    with pytest.raises(TypeError, match=r"needs a benchmark: .*benchmark_identifier="):
        score(model_identifier="constant-model")
    with pytest.raises(TypeError, match=r"needs a model"):
        score(benchmark_identifier="Toy2026-constant")


def test_an_unknown_keyword_identifier_names_close_matches(registered):
    with pytest.raises(UnknownIdentifierError, match="Toy2026-constant"):
        score(model_identifier="constant-model", benchmark_identifier="Toy2026-constnat")
