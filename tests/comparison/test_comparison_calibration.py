"""Calibration on simulated benchmarks (generators of research note statistical_gate.md, section 8.1, at reduced
size): under the null the gate's false alarms stay within binomial tolerance of alpha; under a planted drop in the
CI-realistic "edited" case it detects more often than the old rule ``Δ < -max(tol, 2·sqrt(e_A² + e_B²))``."""

import math

import numpy as np
import pytest

from brainscore_core.comparison import decide
from brainscore_core.comparison.simulation import old_rule_fails, simulate_pair

ALPHA = 0.05
NULL_RUNS = 400
#: alpha plus three binomial standard errors of a rate over 400 runs: 0.083
NULL_LIMIT = ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / NULL_RUNS)


def rates(family, scenario, runs, *, tol, seed=2026, **sizes):
    """(new rule, old rule) failure rates over ``runs`` replicates."""
    rng = np.random.default_rng(seed)
    new = old = 0
    for _ in range(runs):
        pair = simulate_pair(family, scenario, rng, **sizes)
        new += decide(pair.estimate, alpha=ALPHA, tol=tol).failed
        old += old_rule_fails(pair, tol)
    return new / runs, old / runs


#: sizes that keep each test within seconds (RSA: 4 subjects x 30 stimuli; predictivity: 200 stimuli x 10 neurons)
SMALL = {"rsa": {"n_stimuli": 30}, "predictivity": {"n_neurons": 10}}


@pytest.mark.parametrize("family", ["rsa", "predictivity", "error_consistency", "accuracy", "shape_bias"])
def test_false_alarms_under_the_null_are_at_most_alpha(family):
    # tol = 0 tests the p-values themselves (a tolerance only removes failures)
    new, _ = rates(family, "null", NULL_RUNS, tol=0.0, **SMALL.get(family, {}))
    assert NULL_LIMIT == pytest.approx(0.083, abs=5e-4)
    assert new <= NULL_LIMIT


@pytest.mark.parametrize("family", ["predictivity", "accuracy", "shape_bias"])
def test_an_edited_model_is_caught_more_often_than_by_the_old_rule(family):
    new, old = rates(family, "edited", 100, tol=0.01, **SMALL.get(family, {}))
    assert new > max(old, ALPHA)


def test_error_consistency_old_rule_over_detects_because_it_fails_neutral_changes():
    # error consistency on 80 stimuli has little power for anyone; the old rule's extra "detections" come with
    # false alarms several times alpha (std instead of SE, raw-scale error on a ceiled delta), the new rule's not
    _, old_null = rates("error_consistency", "null", NULL_RUNS, tol=0.01)
    new_null, _ = rates("error_consistency", "null", NULL_RUNS, tol=0.01)
    assert old_null > 2 * ALPHA
    assert new_null <= NULL_LIMIT
    new, _ = rates("error_consistency", "edited", 100, tol=0.01, edit=1.0, n_subjects=10, n_stimuli=160)
    assert new >= 0.6


def test_old_rule_false_alarms_on_an_rsa_null_with_16_subjects():
    # documents why the rule changed: the raw-scale subject SEM gives far more than the ~2.3 % a one-sided "2 sigma"
    # rule promises, while the paired subjects + stimuli test stays calibrated
    new, old = rates("rsa", "null", 150, tol=0.0, n_subjects=16, n_stimuli=20)
    assert old > 2 * 0.023
    assert new <= ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / 150)


def test_rsa_edited_model_at_hit_size_is_caught_more_often_and_a_large_edit_almost_always():
    # 4 subjects x 92 stimuli (Kriegeskorte2008.hIT's shape): pairing pays when B is an edit of A (research note:
    # 85 % against 35 % for the old rule); with 30 stimuli the drop's own sampling spread hides it from both rules
    new, old = rates("rsa", "edited", 40, tol=0.01, n_stimuli=92)
    assert new > old + 0.2
    new, _ = rates("rsa", "edited", 20, tol=0.01, n_stimuli=92, edit=3.0)
    assert new >= 0.9
