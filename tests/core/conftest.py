"""The core tests' fixtures live in ``tests/conftest.py`` (``plugin_host``, ``isolated_cache``, ``fresh_module``)."""
