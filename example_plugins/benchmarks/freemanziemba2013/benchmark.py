"""``FreemanZiemba2013public.V1-pls`` and ``FreemanZiemba2013public.V2-pls``: Brain-Score 2.4.2's definition.

Brain-Score's ``FreemanZiembaV1PublicBenchmark`` / ``FreemanZiembaV2PublicBenchmark`` (identifier
``FreemanZiemba2013.<region>.public-pls``, version 1, parent None), reproduced here:

- data ``FreemanZiemba2013.public`` (stimuli ``FreemanZiemba2013.aperture-public``, 135 images x 20 repetitions);
  the neurons of ``region`` (V1: 102, V2: 103); the mean over the 150 one-ms bins ``(t, t + 1)``, t = 50 .. 199,
  i.e. the 50-200 ms window. Only that region's values in that window are read, one block of presentations at a
  time, each block averaged over time before the next is read.
- the model records ``region`` at ``[(50, 200)]`` ms while viewing the images at **4 degrees**, **20 trials**.
- metric ``pls`` as MajajHong2015's but stratified by ``texture_type``; splits drawn over the
  repetition-averaged data in Brain-Score's row order (:func:`brainscore_core.brainio.brainscore_average_order`).
- ceiling ``internal_consistency`` over the 20 repetitions (10 random halves, seed 1, Spearman-Brown).
- ceiled score ``raw**2 / ceiling``, **not** clipped (Brain-Score 2.4's ``explained_variance``; Brain-Score kept
  this benchmark at version 1 when it changed from ``(raw / ceiling)**2`` in January 2026).
"""

from __future__ import annotations

import functools

import numpy as np
import xarray as xr

from brainscore_core.benchmarks import NeuralBenchmark
from brainscore_core.brainio import brainscore_average_order, load_in_blocks
from brainscore_core.errors import DataError
from brainscore_core.loading import load_ceiling, load_dataset, load_stimulus_set
from brainscore_core.metrics.predictivity import CrossValidatedPredictivity
from brainscore_core.metrics.regression import PLS
from brainscore_core.score import ceil_squared

__all__ = [
    "BIBTEX",
    "NUMBER_OF_TRIALS",
    "TIME_WINDOW",
    "VERSION",
    "VISUAL_DEGREES",
    "freemanziemba2013_public",
    "load_region",
]

VISUAL_DEGREES = 4
NUMBER_OF_TRIALS = 20
TIME_WINDOW = (50, 200)  # ms: the mean over the one-ms bins (t, t + 1) for t in 50 .. 199
VERSION = 1
BIBTEX = """@article{freeman2013functional,
  title={A functional and perceptual signature of the second visual area in primates},
  author={Freeman, Jeremy and Ziemba, Corey M and Heeger, David J and Simoncelli, Eero P and Movshon, J Anthony},
  journal={Nature neuroscience},
  volume={16},
  number={7},
  pages={974--981},
  year={2013},
  publisher={Nature Publishing Group}
}"""


def _window_bins(lazy: xr.DataArray, where: str) -> np.ndarray:
    """Positions of the one-ms bins (t, t + 1), t in the window, in the file's time_bin order (as requested)."""
    starts, ends = (np.asarray(lazy[name].values) for name in ("time_bin_start", "time_bin_end"))
    position = {(int(s), int(e)): i for i, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True))}
    wanted = [(t, t + 1) for t in range(*TIME_WINDOW)]
    missing = [b for b in wanted if b not in position]
    if missing:
        raise DataError(
            f"{where}: the one-ms time bins {missing[:3]}{' ...' if len(missing) > 3 else ''} are missing; the "
            f"benchmark averages the bins of {TIME_WINDOW[0]}-{TIME_WINDOW[1]} ms."
        )
    return np.array([position[b] for b in wanted])


def load_region(region: str) -> xr.DataArray:
    """The data of ``region`` with repetitions, ``(presentation, neuroid)``: each presentation's mean spike count
    per one-ms bin over 50-200 ms, rows in Brain-Score's averaging order."""
    lazy = load_dataset("FreemanZiemba2013.public")
    where = lazy.attrs.get("source_file", "FreemanZiemba2013.public")
    regions = np.asarray(lazy["region"].values).astype(str)
    neurons = np.flatnonzero(regions == region)
    if not len(neurons):
        raise DataError(f"{where} has no neurons of region {region!r} (regions: {sorted(set(regions.tolist()))}).")
    selection = lazy.isel(neuroid=neurons, time_bin=_window_bins(lazy, where))
    assembly = load_in_blocks(selection, dim="presentation", reduce=lambda block: block.mean("time_bin"))
    assembly = assembly.assign_coords(time_bin_start=TIME_WINDOW[0], time_bin_end=TIME_WINDOW[1])
    return brainscore_average_order(assembly.transpose("presentation", "neuroid"))


def freemanziemba2013_public(region: str) -> NeuralBenchmark:
    """``FreemanZiemba2013public.<region>-pls`` (``region``: ``V1`` or ``V2``)."""
    return NeuralBenchmark(
        f"FreemanZiemba2013public.{region}-pls",
        assembly=lambda: load_region(region),
        stimuli=lambda: load_stimulus_set("FreemanZiemba2013.aperture-public"),
        region=region,
        metric=CrossValidatedPredictivity(
            PLS(n_components=25), identifier="pls", stratification_coord="texture_type", split_order="given"
        ),
        ceiling_func=load_ceiling("internal_consistency"),
        visual_degrees=VISUAL_DEGREES,
        number_of_trials=NUMBER_OF_TRIALS,
        time_bins=[TIME_WINDOW],
        version=VERSION,
        parent=f"neural.{region}",
        bibtex=BIBTEX,
        ceiler=functools.partial(ceil_squared, clip=False),
        description=(
            f"macaque {region}, FreemanZiemba2013 public (135 aperture images x 20 repetitions, 50-200 ms), PLS "
            "predictivity stratified by texture_type, internal-consistency ceiling, ceiled = raw**2 / ceiling "
            f"unclipped (Brain-Score 2.4.2's FreemanZiemba2013.{region}.public-pls, version {VERSION})"
        ),
    )
