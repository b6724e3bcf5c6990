"""FreemanZiemba2013 public V1 and V2 benchmarks, as Brain-Score 2.4.2 defines them (data fetched on first use)."""

from brainscore_core.fetching import data_for_benchmark
from brainscore_core.registry import benchmark_registry

__all__: list[str] = []


def _benchmark(region: str):
    from .benchmark import freemanziemba2013_public

    return freemanziemba2013_public(region)


for _region in ("V1", "V2"):
    _identifier = f"FreemanZiemba2013public.{_region}-pls"
    benchmark_registry.register(
        _identifier,
        lambda region=_region: _benchmark(region),
        description=f"macaque {_region}, 135 public texture/noise images (Freeman, Ziemba et al. 2013), PLS, "
        "Brain-Score 2.4.2",
    )
    data_for_benchmark(_identifier, ["FreemanZiemba2013.public", "FreemanZiemba2013.aperture-public"])
