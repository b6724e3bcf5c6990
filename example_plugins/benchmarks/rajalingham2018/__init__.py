"""``Rajalingham2018public-i2n`` (Brain-Score's public Rajalingham2018 benchmark; data fetched on first use)."""

from brainscore_core.fetching import data_for_benchmark
from brainscore_core.registry import benchmark_registry, lazy

__all__: list[str] = []

benchmark_registry["Rajalingham2018public-i2n"] = lazy(".benchmark", "Rajalingham2018PublicI2n")
data_for_benchmark("Rajalingham2018public-i2n", ["Rajalingham2018.public", "objectome.public"])
