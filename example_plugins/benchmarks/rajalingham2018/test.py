"""Rajalingham2018public-i2n: Brain-Score 2.4.2's declarations (scores: tests/standard/test_behaviour_fetched.py
and benchmarks/crosscheck_behaviour_benchmarks.py, with synthetic files in the real layout)."""

from brainscore_core import load_benchmark
from brainscore_core.fetching import benchmark_data_ids


def test_declarations():
    instance = load_benchmark("Rajalingham2018public-i2n")
    assert (instance.identifier, instance.version, instance.parent) == ("Rajalingham2018public-i2n", 2, "behavior")
    assert (instance.visual_degrees, instance.number_of_trials) == (8.0, 2)
    assert "Rajalingham240614" in instance.bibtex
    assert benchmark_data_ids("Rajalingham2018public-i2n") == ("Rajalingham2018.public", "objectome.public")
