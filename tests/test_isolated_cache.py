"""The shared ``isolated_cache`` / ``isolated_no_cache`` fixtures (tests/conftest.py)."""

from brainscore_core.config import settings


def test_isolated_cache_points_the_enabled_cache_into_the_tests_tmp_path(isolated_cache, tmp_path):
    current = settings()
    assert isolated_cache == tmp_path / "cache"
    assert current.cache_dir == isolated_cache
    assert current.cache_enabled is True
    assert current.progress is False
    assert current.device == "cpu"


def test_isolated_no_cache_turns_the_cache_off_in_the_same_place(isolated_no_cache, tmp_path):
    current = settings()
    assert isolated_no_cache == tmp_path / "cache"
    assert current.cache_dir == isolated_no_cache
    assert current.cache_enabled is False


def test_without_the_fixture_the_session_cache_is_in_force(tmp_path):
    """The overrides end with the test that asked for them (conftest.py's BRAINSCORE_HOME applies again)."""
    assert not str(settings().cache_dir).startswith(str(tmp_path))
