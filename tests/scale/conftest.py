"""Set-up for the shard-and-merge tests: pytester runs that see the plugin tests' toy plugins.

Runs that discover plugins go through ``runpytest_subprocess`` (brainscore_core's registries are global).
"""

from pathlib import Path

import pytest

TOY_PLUGINS = Path(__file__).parent.parent / "plugin" / "toy_plugins"
TOY_ENVIRONMENT = (
    "TOY_ERROR",
    "TOY_BENCHMARK_VERSION",
    "TOY_LEVEL_toy_good",
    "TOY_LEVEL_toy_poor",
    "TOY_LEVEL_toy_v4only",
)
SLURM = ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN")


@pytest.fixture
def toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose runs discover the toy plugins, with a private cache and default toy levels."""
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", str(TOY_PLUGINS))
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    for name in (*TOY_ENVIRONMENT, *SLURM):
        monkeypatch.delenv(name, raising=False)
    return pytester
