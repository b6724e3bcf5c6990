"""The plugin registers brainscore_core.testing for assertion rewriting: a failing helper check shows its values."""

import pytest

FAILING_HELPER_CHECK = """
    from types import SimpleNamespace

    from brainscore_core.testing import assert_recording

    def test_not_a_recording():
        assert_recording(SimpleNamespace(dims=("neuroid",)), None, "IT", "layer")
    """
#: pytest's explanation of the helper's failing `assert recording.dims == ("presentation", "neuroid")`
REWRITTEN = "E * assert ('neuroid',) == ('presentation', 'neuroid')"


def test_a_failing_helper_check_shows_the_compared_values(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAILING_HELPER_CHECK)
    # a process of its own: rewriting applies only if brainscore_core.testing is first imported in that run
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([REWRITTEN, "E *At index 0 diff: 'neuroid' != 'presentation'"])
    result.stdout.no_fnmatch_line("*PytestAssertRewriteWarning*")  # registered before the helpers were imported


def test_it_is_the_plugin_that_registers_the_helpers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # without autoload pytest marks no installed package for rewriting: only what the plugin registers is rewritten
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(FAILING_HELPER_CHECK)
    # processes of their own: autoload is read at start-up, and rewriting needs a first import of the helpers
    with_plugin = pytester.runpytest_subprocess("-p", "pytest_brainscore.plugin", "-p", "no:cacheprovider")
    with_plugin.assert_outcomes(failed=1)
    with_plugin.stdout.fnmatch_lines([REWRITTEN])
    without_plugin = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    without_plugin.assert_outcomes(failed=1)
    without_plugin.stdout.no_fnmatch_line(REWRITTEN)
