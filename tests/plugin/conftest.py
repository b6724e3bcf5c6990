"""Set-up for the pytest plugin's tests: pytester, and runs that see the toy plugins in toy_plugins/.

Runs are in-process (``pytester.runpytest()``): ``pytester`` here comes with a fresh default ``PluginHost``
(``plugin_host``), so what a run discovers and registers is removed from the global registries after the test.
A test keeps ``runpytest_subprocess`` only where it needs a process of its own, with a comment saying why.
"""

from __future__ import annotations

import pytest
from toy_expectations import TOY_ENVIRONMENT, TOY_PLUGINS


@pytest.fixture
def pytester(plugin_host: object, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytest's ``pytester`` whose in-process runs discover plugins on a fresh default PluginHost; under
    ``pytest -n`` they do not pass for an xdist worker (pytest-benchmark would disable itself and warn)."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    return pytester


@pytest.fixture
def toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose runs discover the toy plugins, with a private cache and default toy levels."""
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", str(TOY_PLUGINS))
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    for name in TOY_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return pytester
