"""Brain-Score's public data, fetched on demand: a catalog of remote files and ``fetch``, which returns verified
local copies (downloaded once into ``$BRAINSCORE_HOME/data``, or taken from a mirror or a Brain-Score cache).

A data plugin registers its files, a benchmark plugin names the data it needs, and the benchmark calls
:func:`fetch` when it is built::

    register_remote_data("MajajHong2015.public", [brainio_file("assy_dicarlo_MajajHong2015_public.nc", "13d2...")])
    data_for_benchmark("MajajHong2015public.IT-pls", ["MajajHong2015.public", "hvm-public"])
    paths = fetch("MajajHong2015.public")  # {"assy_dicarlo_MajajHong2015_public.nc": Path(...)}
"""

from ..errors import DataUnavailableError
from .catalog import (
    BRAINIO_FOLDER,
    BRAINSCORE_BUCKET,
    RemoteData,
    RemoteFile,
    benchmark_data_ids,
    brainio_file,
    data_for_benchmark,
    register_remote_data,
    remote_data,
    remote_data_registry,
    resolve_data_ids,
)
from .download import FetchSettings, fetch_settings
from .retrieval import (
    BRAINIO_HOME_ENV,
    MIRROR_ENV,
    PlannedFile,
    brainio_dirs,
    cached_path,
    data_dir,
    fetch,
    is_cached,
    plan,
)

__all__ = [
    "BRAINIO_FOLDER",
    "BRAINIO_HOME_ENV",
    "BRAINSCORE_BUCKET",
    "MIRROR_ENV",
    "DataUnavailableError",
    "FetchSettings",
    "PlannedFile",
    "RemoteData",
    "RemoteFile",
    "benchmark_data_ids",
    "brainio_dirs",
    "brainio_file",
    "cached_path",
    "data_dir",
    "data_for_benchmark",
    "fetch",
    "fetch_settings",
    "is_cached",
    "plan",
    "register_remote_data",
    "remote_data",
    "remote_data_registry",
    "resolve_data_ids",
]
