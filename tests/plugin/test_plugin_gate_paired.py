"""The paired gate in pytest runs (issue 17): baselines with per-unit values, the rule, its output, its options.

Runs are in-process: each writes ``gate_toys.CONFTEST``, which registers the toy models and benchmark for that run
only. Expected numbers come from the toys' own functions and ``brainscore_core.comparison``.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import gate_toys
import numpy as np
import pytest
from gate_toys import BENCHMARK, CEILING, CONFTEST, ENVIRONMENT

TEST_FILE = f"""
import pytest

@pytest.mark.brainscore(model=["gate_a", "gate_b"], benchmark="{BENCHMARK}")
def test_pair(brainscore_result):
    pass
"""


@pytest.fixture(scope="session")
def preloaded() -> None:
    """Import what a run imports before any pytester exists: pytester drops the modules imported while it lives,
    and numpy's extension modules cannot be loaded twice in one process."""
    import numpy.fft
    import scipy.stats
    import xarray

    import brainscore_core.comparison
    import brainscore_core.scoring

    assert brainscore_core.comparison and brainscore_core.scoring and numpy.fft and scipy.stats and xarray


@pytest.fixture
def gate(preloaded: None, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose in-process runs see the toy models and benchmark (and no cache)."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(gate_toys=Path(gate_toys.__file__).read_text(), conftest=CONFTEST, test_gate=TEST_FILE)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("--brainscore-no-cache", "-p", "no:randomly", *args)


def literal(line: str) -> str:
    """``line`` as an fnmatch pattern matching itself ('[' opens a character class)."""
    return line.replace("[", "[[]")


def write_baseline(pytester: pytest.Pytester) -> Path:
    """A format-2 baseline of the unchanged toys, written by --brainscore-update-baseline."""
    path = pytester.path / "baseline.json"
    run(pytester, f"--brainscore-baseline={path}", "--brainscore-update-baseline").assert_outcomes(passed=2)
    return path


def per_split(model: str, shift: float = 0.0, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    return gate_toys.split_scores(gate_toys.responses(model, shift, noise, seed))


def paired_result(shift: float, noise: float, seed: int, n_comparisons: int = 1, tol: float = 0.01):
    """The paired verdict the gate should reach for gate_a changed by (shift, noise, seed)."""
    from brainscore_core.comparison import SplitUnits, decide, linear_scale, split_test

    a, b = per_split("gate_a"), per_split("gate_a", shift, noise, seed)
    n_test = gate_toys.N_TEST
    estimate = split_test(a, b, n_train=gate_toys.N_STIMULI - n_test, n_test=n_test, scale=linear_scale(CEILING))
    assert isinstance(SplitUnits(b, 36, 4, "x"), SplitUnits)
    return decide(
        estimate,
        alpha=0.01,
        tol=tol,
        n_comparisons=n_comparisons,
        score_a=float(a.mean()) / CEILING,
        score_b=float(b.mean()) / CEILING,
    )


def score_a() -> float:
    """gate_a's unchanged ceiled score."""
    return float(per_split("gate_a").mean()) / CEILING


def shift_for_t(target_t: float, noise: float, seed: int) -> float:
    """The shift that gives gate_a's change (noise, seed) the paired t statistic ``target_t``."""
    d = per_split("gate_a", 0.0, noise, seed) - per_split("gate_a")
    se = math.sqrt((1 / d.size + gate_toys.N_TEST / (gate_toys.N_STIMULI - gate_toys.N_TEST)) * d.var(ddof=1))
    return target_t * se - float(d.mean())


# --- the baseline file ---------------------------------------------------------------------------------------------
def test_update_writes_the_paired_block_and_an_identical_rerun_is_unchanged(gate: pytest.Pytester) -> None:
    path = write_baseline(gate)
    payload = json.loads(path.read_text())
    assert payload["format_version"] == 2
    entry = next(e for e in payload["scores"] if e["model"] == "gate_a")
    assert entry["paired"]["kind"] == "splits" and entry["paired"]["n_train"] == 36 and entry["paired"]["n_test"] == 4
    assert entry["paired"]["scores"] == pytest.approx(per_split("gate_a").tolist(), rel=1e-6)
    paired_lines = [line for line in path.read_text().splitlines() if '"paired"' in line]
    assert len(paired_lines) == 2  # each record compact on one line, the file stays diff-friendly
    result = run(gate, f"--brainscore-baseline={path}")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "Paired gate, other pairs (2):",
            f"  unchanged gate_a @ {BENCHMARK} v1: {score_a():.3f} (identical per-unit values)",
        ]
    )
    assert "Hint:" not in result.stdout.str()


def test_a_malformed_paired_block_is_refused_naming_the_entry(preloaded: None, tmp_path: Path) -> None:
    from pytest_brainscore.baselines import Baseline, BaselineError

    good = {"kind": "splits", "version": 1, "scores": [0.1, 0.2], "n_train": 9, "n_test": 1, "fingerprint": "f"}
    entry = {"model": "m", "benchmark": "b", "benchmark_version": 1, "score": 0.5, "raw": 0.4, "paired": good}
    path = tmp_path / "baseline.json"
    for bad, message in [
        ({**good, "scores": [0.1]}, r"need >= 2 per-split scores"),
        ({**good, "kind": "spilts"}, r"unknown paired-units kind 'spilts'"),
        ({**good, "version": 7}, r"paired-units version 7 is not supported"),
        ({k: v for k, v in good.items() if k != "n_train"}, r"missing field 'n_train'"),
        ([1, 2], r"it must be a JSON object"),
    ]:
        scores = [entry, {**entry, "model": "m2", "paired": bad}]
        path.write_text(json.dumps({"format": "pytest-brainscore baseline", "format_version": 2, "scores": scores}))
        with pytest.raises(BaselineError, match=rf"scores\[1\] \(m2 on b\) has a malformed 'paired' block .*{message}"):
            Baseline.load(path)
    path.write_text(json.dumps({"format": "pytest-brainscore baseline", "format_version": 2, "scores": [entry]}))
    assert Baseline.load(path).entries["m", "b"].paired == good


# --- the rule ---------------------------------------------------------------------------------------------------
def test_a_planted_drop_fails_with_the_ci_line(gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", "-0.04")
    monkeypatch.setenv("GATE_NOISE_gate_a", "0.01:5")
    expected = paired_result(-0.04, 0.01, 5)
    assert expected.status == "regression" and expected.delta < -0.04
    result = run(gate, f"--brainscore-baseline={path}")
    result.assert_outcomes(passed=1, failed=1)
    line = expected.line("gate_a", BENCHMARK, 1)
    assert line.startswith(f"REGRESSION gate_a @ {BENCHMARK} v1: {score_a():.3f} -> ")
    assert "< -tol 0.010; 99% bound" in line and line.endswith("df=9 [10 splits, Nadeau-Bengio]")
    result.stdout.fnmatch_lines([f"brainscore: {literal(line)}", "Regressions (1):", f"  {literal(line)}"])


def test_a_small_drop_the_old_rule_failed_passes_when_not_significant(
    gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    noise, seed = 0.1, 3
    d = per_split("gate_a", 0.0, noise, seed) - per_split("gate_a")
    shift = -0.02 * CEILING - float(d.mean())  # Δ = -0.02 on the ceiled scale, twice the tolerance
    expected = paired_result(shift, noise, seed)
    old_allowed = max(0.01, 2 * math.hypot(0.002 / CEILING, 0.002 / CEILING))
    assert expected.delta == pytest.approx(-0.02) and expected.delta < -old_allowed  # the old rule fails it
    assert expected.p > 0.01 and expected.status == "underpowered"  # not significant: the paired rule passes it
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", repr(shift))
    monkeypatch.setenv("GATE_NOISE_gate_a", f"{noise}:{seed}")
    result = run(gate, f"--brainscore-baseline={path}")
    result.assert_outcomes(passed=2)
    line = expected.line("gate_a", BENCHMARK, 1)
    assert "MDD" in line and "too little power to detect a drop of tol" in line
    result.stdout.fnmatch_lines(["Paired gate, other pairs (2):", f"  {literal(line)}"])


def test_a_v1_baseline_uses_the_old_rule_with_one_refresh_hint(
    gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_baseline(gate)
    payload = json.loads(path.read_text())
    for entry in payload["scores"]:  # what a version 1 file holds: no paired units, the raw error under 'error'
        entry.pop("paired")
        entry["error"] = entry.pop("raw_error")
    payload["format_version"] = 1
    path.write_text(json.dumps(payload))
    noise, seed = 0.1, 3
    d = per_split("gate_a", 0.0, noise, seed) - per_split("gate_a")
    monkeypatch.setenv("GATE_SHIFT_gate_a", repr(-0.02 * CEILING - float(d.mean())))  # as above: Δ = -0.02
    monkeypatch.setenv("GATE_NOISE_gate_a", f"{noise}:{seed}")
    result = run(gate, f"--brainscore-baseline={path}")
    result.assert_outcomes(passed=1, failed=1)  # the unpaired error-bar rule fails the non-significant drop
    result.stdout.fnmatch_lines(
        [
            (
                f"*brainscore: gate_a on {BENCHMARK} v1: regressed, score dropped 0.0200 below the baseline "
                f"{score_a():.4f}*"
            ),
            (
                "Hint: 2 pair(s) were gated by the old unpaired error-bar rule because the baseline has no per-unit "
                f"values for them; refresh it to enable the paired test: pytest --brainscore-baseline={path} "
                "--brainscore-update-baseline"
            ),
        ]
    )
    assert result.stdout.str().count("Hint:") == 1
    assert "Paired gate" not in result.stdout.str()


def test_different_splits_fall_back_to_the_unpaired_split_test_with_a_note(
    gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brainscore_core.comparison.attach import split_units

    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SPLIT_SEED", "2")
    result = run(gate, f"--brainscore-baseline={path}")
    result.assert_outcomes(passed=2)

    def fingerprint(seed: int) -> str:
        train, test = zip(*gate_toys.splits(seed), strict=True)
        scores = gate_toys.split_scores(gate_toys.responses("gate_a"), seed)
        return split_units(scores, train, test, gate_toys.STIMULUS_IDS).fingerprint.removeprefix("sha256:")[:8]

    result.stdout.fnmatch_lines(
        [
            (
                f"  * gate_a @ {BENCHMARK} v1: *[[]10 vs 10 splits, unpaired]* "
                f"splits differ (baseline {fingerprint(1)}, now {fingerprint(2)}); unpaired"
            )
        ]
    )


def test_bonferroni_changes_a_borderline_decision(gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    from scipy import stats

    noise, seed = 0.1, 3
    shift = shift_for_t(float(stats.t.ppf(0.0075, 9)), noise, seed)  # one-sided p = 0.0075: between 0.005 and 0.01
    plain, corrected = paired_result(shift, noise, seed), paired_result(shift, noise, seed, n_comparisons=2)
    assert plain.p == pytest.approx(0.0075) and plain.delta < -0.01
    assert (plain.status, corrected.status) == ("regression", "underpowered")
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", repr(shift))
    monkeypatch.setenv("GATE_NOISE_gate_a", f"{noise}:{seed}")
    run(gate, f"--brainscore-baseline={path}").assert_outcomes(passed=1, failed=1)
    result = run(gate, f"--brainscore-baseline={path}", "--brainscore-alpha-correction=bonferroni")
    result.assert_outcomes(passed=2)  # two gated pairs: alpha 0.01 / 2 = 0.005 < p
    result.stdout.fnmatch_lines([f"  {literal(corrected.line('gate_a', BENCHMARK, 1))}"])
    assert "99.5% bound" in corrected.line("gate_a", BENCHMARK, 1)
    # the same through the ini key, and a stricter --brainscore-alpha fails nothing either
    gate.makeini("[pytest]\nbrainscore_alpha_correction = bonferroni\n")
    run(gate, f"--brainscore-baseline={path}").assert_outcomes(passed=2)
    run(gate, f"--brainscore-baseline={path}", "--brainscore-alpha=0.005").assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--brainscore-alpha=0"], "--brainscore-alpha=0 must lie strictly between 0 and 1*"),
        (["--brainscore-alpha=x"], "--brainscore-alpha must be a number, got 'x'.*"),
        (
            ["--brainscore-alpha-correction=bonferoni"],
            "--brainscore-alpha-correction='bonferoni' is not one of none, bonferroni (did you mean 'bonferroni'?).",
        ),
    ],
)
def test_bad_alpha_options_are_usage_errors(pytester: pytest.Pytester, args: list[str], message: str) -> None:
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_the_marker_tolerance_replaces_the_option(gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", "-0.04")  # Δ ≈ -0.05, significant
    monkeypatch.setenv("GATE_NOISE_gate_a", "0.01:5")
    gate.makepyfile(
        test_gate=f"""
import pytest

@pytest.mark.brainscore(model="gate_a", benchmark="{BENCHMARK}", tolerance=0.1)
def test_wide(brainscore_result):
    pass

@pytest.mark.brainscore(model="gate_a", benchmark="{BENCHMARK}")
def test_default(brainscore_result):
    pass

@pytest.mark.brainscore(model="gate_a", benchmark="{BENCHMARK}", tolerance=-0.1)
def test_bad(brainscore_result):
    pass
"""
    )
    result = run(gate, f"--brainscore-baseline={path}", "--brainscore-tolerance=0.02")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*test_default*", "brainscore: REGRESSION gate_a @ * (Δ -0.05* < -tol 0.020; *"])
    result.stdout.fnmatch_lines(["*tolerance=-0.1 is outside the range of ceiled-score drops [[]0, 1]*"])
    assert "test_wide" not in "".join(line for line in result.outlines if line.startswith("FAILED"))


# --- output: junit, JSON report, xdist ------------------------------------------------------------------------------
def test_junit_properties_and_the_json_report_carry_the_gate_numbers(
    gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", "-0.04")
    monkeypatch.setenv("GATE_NOISE_gate_a", "0.01:5")
    expected = paired_result(-0.04, 0.01, 5)
    junit, report = gate.path / "junit.xml", gate.path / "report.json"
    run(gate, f"--brainscore-baseline={path}", f"--junitxml={junit}", f"--brainscore-report={report}")
    case = next(c for c in ET.parse(junit).getroot().iter("testcase") if "gate_a" in c.get("name", ""))
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    names = ("delta", "p", "se", "df", "bound", "test", "mdd", "status")
    assert {f"brainscore_{n}" for n in names} <= set(properties)
    assert properties["brainscore_status"] == "regression"
    assert float(properties["brainscore_delta"]) == pytest.approx(expected.delta)
    assert float(properties["brainscore_bound"]) == pytest.approx(expected.upper)
    assert float(properties["brainscore_se"]) == pytest.approx(expected.se)
    assert float(properties["brainscore_df"]) == 9.0
    assert properties["brainscore_test"] == "10 splits, Nadeau-Bengio"
    rows = {row["model"]: row for row in json.loads(report.read_text())["results"]}
    comparison = rows["gate_a"]["comparison"]
    assert comparison["status"] == "regression" and comparison["rule"] == "paired"
    assert comparison["p"] == pytest.approx(expected.p) and comparison["mdd"] == pytest.approx(expected.mdd)
    assert comparison["line"] == expected.line("gate_a", BENCHMARK, 1)
    assert rows["gate_b"]["comparison"]["status"] == "unchanged"
    assert "paired" not in rows["gate_a"]  # the bulky record stays in the baseline file
    baseline = json.loads(report.read_text())["baseline"]
    assert (baseline["alpha"], baseline["alpha_correction"], baseline["regression"]) == (
        0.01,
        "none",
        [["gate_a", BENCHMARK]],
    )


def test_xdist_workers_gate_and_the_controller_reports_once(
    gate: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("xdist")
    from scipy import stats

    noise, seed = 0.1, 3
    shift = shift_for_t(float(stats.t.ppf(0.0075, 9)), noise, seed)  # fails at 0.01, passes at 0.01 / 2
    path = write_baseline(gate)
    monkeypatch.setenv("GATE_SHIFT_gate_a", repr(shift))
    monkeypatch.setenv("GATE_NOISE_gate_a", f"{noise}:{seed}")
    monkeypatch.setenv("GATE_SHIFT_gate_b", "-0.04")  # a real drop on the other worker
    monkeypatch.setenv("GATE_NOISE_gate_b", "0.01:5")
    result = run(gate, "-n", "2", f"--brainscore-baseline={path}", "--brainscore-alpha-correction=bonferroni")
    result.assert_outcomes(passed=1, failed=1)  # each worker divided alpha by the same 2 pairs
    output = result.stdout.str()
    assert output.count("Regressions (1):") == 1 and output.count("Paired gate, other pairs (1):") == 1
    result.stdout.fnmatch_lines([f"  REGRESSION gate_b @ {BENCHMARK} v1: *", "  underpowered gate_a @ *"])
