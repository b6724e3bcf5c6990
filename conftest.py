"""Repository-wide test set-up: an isolated, reusable cache, quiet progress bars, no CI job summary.

Tests use ``.brainscore_test_cache/`` in the checkout (never the user's ``~/.cache/brainscore``) unless
``BRAINSCORE_HOME`` is set. The cache cannot go stale (its keys cover weights, stimuli and preprocessing), so
reusing it across runs only makes reruns faster.
"""

import os
from pathlib import Path

os.environ.setdefault("BRAINSCORE_HOME", str(Path(__file__).parent / ".brainscore_test_cache"))
os.environ.setdefault("BRAINSCORE_PROGRESS", "0")
# the suite's own toy sessions must not append to this repository's CI job summary (--brainscore-markdown tests
# set it where they need it)
os.environ.pop("GITHUB_STEP_SUMMARY", None)

# the pytest plugin's own tests drive pytest with `pytester` (must be declared in the root conftest)
pytest_plugins = ["pytester"]
