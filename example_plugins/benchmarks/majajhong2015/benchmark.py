"""``MajajHong2015public.V4-pls`` and ``MajajHong2015public.IT-pls``: Brain-Score 2.4.2's definition.

Brain-Score's ``MajajHongV4PublicBenchmark`` / ``MajajHongITPublicBenchmark`` (identifier
``MajajHong2015.<region>.public-pls``, version 4, parent ``<region>``), reproduced here:

- data ``MajajHong2015.public`` (stimuli ``hvm-public``, 3200 images); its one time bin (70-170 ms) squeezed; the
  sites of ``region`` only (V4: 88, IT: 168). Only that region's values are read from the file.
- the model records ``region`` at ``[(70, 170)]`` ms while viewing the images at **8 degrees**, **50 trials**.
- metric ``pls``: PLS regression with 25 components, 10 ``StratifiedShuffleSplit`` splits by ``object_name``
  (90 % train, seed 1) drawn over the repetition-averaged data in Brain-Score's row order
  (:func:`brainscore_core.brainio.brainscore_average_order`), Pearson r per site on the test images, median over
  sites, mean over splits (error: std / sqrt(10)).
- ceiling ``internal_consistency`` on the data with repetitions: 10 random halves of the repetition labels (seed 1),
  Spearman-Brown corrected split-half r per site, median, mean over splits.
- ceiled score ``raw**2 / ceiling``, **not** clipped (Brain-Score 2.4's ``explained_variance``).
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

__all__ = ["BIBTEX", "NUMBER_OF_TRIALS", "TIME_BIN", "VERSION", "VISUAL_DEGREES", "load_region", "majajhong2015_public"]

VISUAL_DEGREES = 8
NUMBER_OF_TRIALS = 50
TIME_BIN = (70, 170)  # ms, the data's one bin
VERSION = 4
BIBTEX = """@article{Majaj13402,
  author = {Majaj, Najib J. and Hong, Ha and Solomon, Ethan A. and DiCarlo, James J.},
  title = {Simple Learned Weighted Sums of Inferior Temporal Neuronal Firing Rates Accurately Predict Human Core
           Object Recognition Performance},
  volume = {35},
  number = {39},
  pages = {13402--13418},
  year = {2015},
  doi = {10.1523/JNEUROSCI.5181-14.2015},
  publisher = {Society for Neuroscience},
  journal = {Journal of Neuroscience}
}"""


def load_region(region: str) -> xr.DataArray:
    """The data of ``region`` with repetitions, ``(presentation, neuroid)``, rows in Brain-Score's averaging order.

    Reads only that region's sites from the file; checks the file's one time bin is 70-170 ms.
    """
    lazy = load_dataset("MajajHong2015.public")
    where = lazy.attrs.get("source_file", "MajajHong2015.public")
    if "time_bin" in lazy.dims:
        bins = list(zip(lazy["time_bin_start"].values.tolist(), lazy["time_bin_end"].values.tolist(), strict=True))
        if bins != [TIME_BIN]:
            raise DataError(f"{where}: expected the one time bin {TIME_BIN} ms, found {bins[:5]}.")
        lazy = lazy.squeeze("time_bin")
    regions = np.asarray(lazy["region"].values).astype(str)
    sites = np.flatnonzero(regions == region)
    if not len(sites):
        raise DataError(f"{where} has no sites of region {region!r} (regions: {sorted(set(regions.tolist()))}).")
    assembly = load_in_blocks(lazy.isel(neuroid=sites), dim="presentation").transpose("presentation", "neuroid")
    return brainscore_average_order(assembly)


def majajhong2015_public(region: str) -> NeuralBenchmark:
    """``MajajHong2015public.<region>-pls`` (``region``: ``V4`` or ``IT``)."""
    return NeuralBenchmark(
        f"MajajHong2015public.{region}-pls",
        assembly=lambda: load_region(region),
        stimuli=lambda: load_stimulus_set("hvm-public"),
        region=region,
        metric=CrossValidatedPredictivity(
            PLS(n_components=25), identifier="pls", stratification_coord="object_name", split_order="given"
        ),
        ceiling_func=load_ceiling("internal_consistency"),
        visual_degrees=VISUAL_DEGREES,
        number_of_trials=NUMBER_OF_TRIALS,
        time_bins=[TIME_BIN],
        version=VERSION,
        parent=f"neural.{region}",
        bibtex=BIBTEX,
        ceiler=functools.partial(ceil_squared, clip=False),
        description=(
            f"macaque {region}, MajajHong2015 public (3200 hvm images, 70-170 ms), PLS predictivity stratified by "
            "object_name, internal-consistency ceiling, ceiled = raw**2 / ceiling unclipped (Brain-Score 2.4.2's "
            f"MajajHong2015.{region}.public-pls, version {VERSION})"
        ),
    )
