"""MajajHong2015 public V4 and IT benchmarks, as Brain-Score 2.4.2 defines them (data fetched on first use)."""

from brainscore_core.fetching import data_for_benchmark
from brainscore_core.registry import benchmark_registry

__all__: list[str] = []


def _benchmark(region: str):
    from .benchmark import majajhong2015_public

    return majajhong2015_public(region)


for _region in ("V4", "IT"):
    _identifier = f"MajajHong2015public.{_region}-pls"
    benchmark_registry.register(
        _identifier,
        lambda region=_region: _benchmark(region),
        description=f"macaque {_region}, 3200 public hvm images (Majaj, Hong et al. 2015), PLS, Brain-Score 2.4.2",
    )
    data_for_benchmark(_identifier, ["MajajHong2015.public", "hvm-public"])
