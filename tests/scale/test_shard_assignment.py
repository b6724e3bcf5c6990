"""The shard function: K/N and SLURM parsing, and an assignment that is disjoint, complete, stable and balanced."""

import itertools
import json
import os
import subprocess
import sys

import pytest

from pytest_brainscore.sharding import Shard, assign, digest, done_rows, durations_from, parse_shard

MODELS = [f"model_{i}" for i in range(7)]
BENCHMARKS = ["Lab.V1", "Lab.V4", "Lab.IT"]
GRID = [(m, b) for m in MODELS for b in BENCHMARKS]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 30])
def test_shards_are_disjoint_and_cover_the_selection(count: int) -> None:
    shards = assign(GRID, count)
    assert set(shards) == set(GRID)  # complete: every pair has exactly one shard (a dict: disjoint)
    assert set(shards.values()) <= set(range(count))


def test_assignment_is_model_major_when_there_are_enough_models() -> None:
    shards = assign(GRID, 3)
    for model in MODELS:
        assert len({shards[(model, b)] for b in BENCHMARKS}) == 1
    sizes = sorted(list(shards.values()).count(index) for index in range(3))
    assert sizes == [6, 6, 9]  # 7 models of 3 pairs on 3 shards: 3, 2, 2 models


def test_fewer_models_than_shards_splits_by_pair() -> None:
    pairs = [("a", b) for b in BENCHMARKS] + [("b", b) for b in BENCHMARKS]
    shards = assign(pairs, 6)
    assert sorted(shards.values()) == list(range(6))


def test_assignment_does_not_depend_on_order_or_repeats() -> None:
    shuffled = list(reversed(GRID)) + GRID[:4]
    assert assign(shuffled, 4) == assign(GRID, 4)


def test_durations_balance_the_shards_within_one_model_of_optimal() -> None:
    durations = {(m, b): float(10 ** (i % 3)) for i, m in enumerate(MODELS) for b in BENCHMARKS}  # 3, 30, 300 s
    shards = assign(GRID, 2, durations)
    loads = [sum(s for pair, s in durations.items() if shards[pair] == k) for k in range(2)]
    per_model = {m: sum(durations[(m, b)] for b in BENCHMARKS) for m in MODELS}
    best = min(
        abs(sum(per_model[m] for m in subset) * 2 - sum(per_model.values()))
        for r in range(len(MODELS) + 1)
        for subset in itertools.combinations(MODELS, r)
    )
    assert abs(loads[0] - loads[1]) <= best + max(per_model.values())
    assert abs(loads[0] - loads[1]) < sum(loads) / 4  # by count alone (4 vs 3 models) the split is 606 vs 360


def test_pairs_without_a_duration_count_the_median() -> None:
    durations = {("model_0", "Lab.V1"): 100.0, ("model_1", "Lab.V1"): 1.0, ("model_2", "Lab.V1"): 2.0}
    pairs = [(m, "Lab.V1") for m in MODELS[:4]]  # model_3 has no duration: counts 2 s
    shards = assign(pairs, 2, durations)
    assert shards[("model_0", "Lab.V1")] != shards[("model_1", "Lab.V1")] == shards[("model_3", "Lab.V1")]


_PROBE = (
    "from pytest_brainscore.sharding import assign, digest; "
    "grid=[(f'model_{i}', b) for i in range(7) for b in ('Lab.V1','Lab.V4','Lab.IT')]; "
    "print(sorted(assign(grid, 3).items()), digest(f'{m} {b}' for m, b in grid))"
)


def test_assignment_and_digest_are_the_same_in_every_process_and_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert str(sorted(assign(GRID, 3).items())) in outputs.pop()


def test_digest_ignores_order() -> None:
    assert digest(["b", "a"]) == digest(["a", "b"]) != digest(["a"])


@pytest.mark.parametrize(("value", "shard"), [(None, Shard(0, 1)), ("0/1", Shard(0, 1)), (" 3/4 ", Shard(3, 4))])
def test_parse_shard(value: str | None, shard: Shard) -> None:
    assert parse_shard(value) == shard


@pytest.mark.parametrize("value", ["4/4", "-1/4", "1", "a/b", "0/0", "1/2/3"])
def test_parse_shard_refuses_what_is_not_k_of_n(value: str) -> None:
    with pytest.raises(pytest.UsageError, match=r"must be K/N with 0 <= K < N .*or auto"):
        parse_shard(value)


def test_auto_reads_the_slurm_array_variables() -> None:
    env = {"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"}
    assert parse_shard("auto", env) == Shard(2, 4)
    # sbatch --array=1-4: ids start at SLURM_ARRAY_TASK_MIN
    assert parse_shard("auto", {**env, "SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1"}) == Shard(3, 4)


def test_auto_outside_slurm_says_what_is_missing() -> None:
    with pytest.raises(pytest.UsageError, match=r"SLURM_ARRAY_TASK_COUNT not set.*--brainscore-shard=K/N"):
        parse_shard("auto", {"SLURM_ARRAY_TASK_ID": "0"})


def test_auto_refuses_a_sparse_array() -> None:
    with pytest.raises(pytest.UsageError, match=r"task 7 .* not in 0..1; the job array must be contiguous"):
        parse_shard("auto", {"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "2"})


def test_durations_and_done_rows_from_a_report() -> None:
    report = {
        "results": [
            {"model": "a", "benchmark": "x", "seconds": 2.5, "status": "passed"},
            {"model": "a", "benchmark": "y", "seconds": None, "status": "failed"},
            {"model": "b", "benchmark": "x", "seconds": 1.0, "status": "skipped"},
            {"model": "c", "benchmark": "x", "seconds": 1.0, "status": "regression"},
        ]
    }
    assert durations_from(report) == {("a", "x"): 2.5, ("b", "x"): 1.0, ("c", "x"): 1.0}
    assert set(done_rows(report)) == {("a", "x")}  # failed, incompatible and regressed pairs run again


def test_the_durations_report_balances_the_plan(tmp_path) -> None:
    from pathlib import Path

    from pytest_brainscore.options import BrainscoreOptions
    from pytest_brainscore.sharding import ShardPlugin

    grid = [(m, "Lab.V1") for m in ("slow", "a", "b", "c")]
    report = Path(tmp_path) / "previous.json"
    rows = [{"model": m, "benchmark": b, "seconds": 30.0 if m == "slow" else 1.0} for m, b in grid]
    report.write_text(json.dumps({"results": rows}))
    plans = []
    for index in (0, 1):
        plugin = ShardPlugin(BrainscoreOptions(shard=f"{index}/2", durations=report), lambda benchmark: 1)
        plugin.make_plan(grid, grid)
        plans.append({tuple(pair) for pair in plugin.plan["pairs"]})
    slow_shard = next(plan for plan in plans if ("slow", "Lab.V1") in plan)
    assert slow_shard == {("slow", "Lab.V1")}  # by counts it would share its shard with another model
    assert plans[0] | plans[1] == set(grid)


def test_durations_without_a_shard_and_an_unreadable_report_are_usage_errors(tmp_path) -> None:
    from pytest_brainscore.options import BrainscoreOptions
    from pytest_brainscore.sharding import ShardPlugin, check_options

    with pytest.raises(pytest.UsageError, match="balances shards: give it with --brainscore-shard=K/N"):
        check_options(BrainscoreOptions(durations=tmp_path / "r.json"))
    with pytest.raises(pytest.UsageError, match=r"--brainscore-durations: cannot read report .*r\.json"):
        ShardPlugin(BrainscoreOptions(shard="0/2", durations=tmp_path / "r.json"), lambda benchmark: 1)
    (tmp_path / "r.json").write_text("{}")
    with pytest.raises(pytest.UsageError, match="not a pytest-brainscore report"):
        ShardPlugin(BrainscoreOptions(shard="0/2", skip_done=tmp_path / "r.json"), lambda benchmark: 1)


def test_skip_done_reuses_only_rows_of_the_current_benchmark_version(tmp_path) -> None:
    from pytest_brainscore.options import BrainscoreOptions
    from pytest_brainscore.sharding import ShardPlugin

    rows = [
        {"model": "a", "benchmark": "B.v2", "benchmark_version": 2, "status": "passed"},
        {"model": "a", "benchmark": "B.v1", "benchmark_version": 1, "status": "passed"},  # now version 2
        {"model": "a", "benchmark": "B.broken", "benchmark_version": 1, "status": "passed"},  # cannot be built now
    ]
    (tmp_path / "r.json").write_text(json.dumps({"results": rows}))

    def version_of(benchmark: str) -> int:
        if benchmark == "B.broken":
            raise RuntimeError("data file missing")
        return 2

    plugin = ShardPlugin(BrainscoreOptions(skip_done=tmp_path / "r.json"), version_of)
    grid = [("a", "B.v2"), ("a", "B.v1"), ("a", "B.broken"), ("b", "B.v2")]
    run = plugin.make_plan(grid, grid)
    assert run == {("a", "B.v1"), ("a", "B.broken"), ("b", "B.v2")}
    assert [row["benchmark"] for row in plugin.plan["reused"]] == ["B.v2"]


def test_the_shard_comes_from_the_ini_file_and_ordinary_tests_run_in_shard_0(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_a():\n    pass\n")
    pytester.makeini("[pytest]\nbrainscore_shard = 1/2\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(deselected=1)
    result.stdout.fnmatch_lines(["brainscore: *shard=1/2*"])
    pytester.runpytest("-p", "no:randomly", "--brainscore-shard=0/2").assert_outcomes(passed=1)
