"""Simulated benchmarks for calibrating the gate (research note statistical_gate.md, section 8.1).

Each replicate draws a *new* benchmark (stimuli, subjects) and two models A (baseline) and B (this run), so false
alarms are counted over the sampling the tests claim to generalise over. :func:`simulate_pair` returns the paired
estimate of the new rule and the inputs of the old rule (``Δ < -max(tol, 2·sqrt(e_A² + e_B²))`` with the
metrics' old errors: raw-scale SEM with ddof 0 over subjects or splits, the std of kappas or of correctness).

Scenarios: ``"null"`` (A and B independent draws of the same model), ``"sibling"`` (A and B perturbations of a
common parent; null), ``"edited"`` (B = A plus noise: the CI case, a real drop), ``"degraded"`` (B an independent,
noisier model: a real drop). Sizes are parameters so tests run small and the benchmark script runs the note's.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats
from threadpoolctl import ThreadpoolController  # installed with scikit-learn

from .estimates import PairedEstimate, mcnemar_test, split_test, stimulus_jackknife_test, subject_stimulus_test
from .jackknife import kappa_loo, rdm_spearman_loo

__all__ = [
    "EDITS",
    "FAMILIES",
    "SCENARIOS",
    "SimulatedPair",
    "old_rule_fails",
    "shape_bias_score",
    "simulate_pair",
    "spearman_upper_triangle",
]

Family = Literal["rsa", "predictivity", "error_consistency", "accuracy", "shape_bias"]
Scenario = Literal["null", "sibling", "edited", "degraded"]
FAMILIES: tuple[Family, ...] = ("rsa", "predictivity", "error_consistency", "accuracy", "shape_bias")
SCENARIOS: tuple[Scenario, ...] = ("null", "sibling", "edited", "degraded")


@dataclass(frozen=True)
class SimulatedPair:
    """One replicate: the new rule's estimate, the ceiled Δ and the old rule's allowance ``2·sqrt(e_A² + e_B²)``."""

    estimate: PairedEstimate
    delta: float
    old_allowance: float


def old_rule_fails(pair: SimulatedPair, tol: float) -> bool:
    """Today's rule: fail when ``Δ < -max(tol, 2·sqrt(e_A² + e_B²))`` (a NaN allowance counts as 0)."""
    allowance = 0.0 if math.isnan(pair.old_allowance) else pair.old_allowance
    return pair.delta < -max(tol, allowance)


def _corr_distance(features: np.ndarray) -> np.ndarray:
    return 1.0 - np.corrcoef(features)


def _models(rng: np.random.Generator, scenario: Scenario, signal: np.ndarray, sigma: float, edit: float, worse: float):
    """Features of A and B: ``signal + sigma·noise`` in the scenario's relation."""
    shape = signal.shape
    if scenario == "sibling":
        parent = signal + sigma * rng.standard_normal(shape)
        spread = 0.375 * sigma
        return parent + spread * rng.standard_normal(shape), parent + spread * rng.standard_normal(shape)
    a = signal + sigma * rng.standard_normal(shape)
    if scenario == "null":
        return a, signal + sigma * rng.standard_normal(shape)
    if scenario == "edited":
        return a, a + edit * rng.standard_normal(shape)
    return a, signal + worse * rng.standard_normal(shape)


def _rsa(rng: np.random.Generator, scenario: Scenario, n_subjects: int, n_stimuli: int, edit: float) -> SimulatedPair:
    z = rng.standard_normal((n_stimuli, 8))
    shared = rng.standard_normal((40, 8))
    subject_rdms = np.stack(
        [
            _corr_distance(
                z @ (shared + 0.7 * rng.standard_normal((40, 8))).T + 6 * rng.standard_normal((n_stimuli, 40))
            )
            for _ in range(n_subjects)
        ]
    )
    mix = rng.standard_normal((60, 8))
    feat_a, feat_b = _models(rng, scenario, z @ mix.T, 4.0, edit, 4.6)
    models = np.stack([_corr_distance(feat_a), _corr_distance(feat_b)])
    (rho_a, rho_b), (loo_a, loo_b) = rdm_spearman_loo(models, subject_rdms)
    ceiling = float(np.mean(spearman_upper_triangle(subject_rdms.mean(axis=0), subject_rdms)))
    scale = 1.0 / ceiling
    estimate = subject_stimulus_test(rho_a, rho_b, loo_a, loo_b, scale=scale)
    old_error = [float(np.std(r) / math.sqrt(n_subjects)) for r in (rho_a, rho_b)]  # raw scale, ddof 0
    return SimulatedPair(estimate, float(np.mean(rho_b - rho_a)) * scale, 2 * math.hypot(*old_error))


def spearman_upper_triangle(rdm: np.ndarray, rdms: np.ndarray) -> np.ndarray:
    """Spearman rho between the upper triangle of ``rdm`` and of each of ``rdms`` (S, N, N)."""
    rows, cols = np.triu_indices(rdm.shape[0], k=1)
    x = stats.rankdata(rdm[rows, cols])
    y = stats.rankdata(rdms[:, rows, cols], axis=-1)
    x, y = x - x.mean(), y - y.mean(axis=-1, keepdims=True)
    return (y @ x) / np.sqrt((x @ x) * np.sum(y * y, axis=-1))


def _splits(
    n: int, n_splits: int = 10, test_fraction: float = 0.1, seed: int = 1
) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    n_test = round(n * test_fraction)
    splits = []
    for _ in range(n_splits):
        order = rng.permutation(n)
        splits.append((order[n_test:], order[:n_test]))
    return splits


def _ridge_split_scores(features: np.ndarray, targets: np.ndarray, splits, alpha: float = 50.0) -> np.ndarray:
    scores = []
    for train, test in splits:
        x_mean, y_mean = features[train].mean(axis=0), targets[train].mean(axis=0)
        x = features[train] - x_mean
        weights = np.linalg.solve(x.T @ x + alpha * np.eye(x.shape[1]), x.T @ (targets[train] - y_mean))
        predicted = (features[test] - x_mean) @ weights + y_mean
        p = predicted - predicted.mean(axis=0)
        y = targets[test] - targets[test].mean(axis=0)
        r = np.sum(p * y, axis=0) / np.sqrt(np.sum(p * p, axis=0) * np.sum(y * y, axis=0))
        scores.append(float(np.median(r)))
    return np.array(scores)


def _predictivity(
    rng: np.random.Generator, scenario: Scenario, n_stimuli: int, n_neurons: int, edit: float
) -> SimulatedPair:
    z = rng.standard_normal((n_stimuli, 20))
    targets = z @ rng.standard_normal((n_neurons, 20)).T / math.sqrt(20) + 1.2 * rng.standard_normal(
        (n_stimuli, n_neurons)
    )
    mix = rng.standard_normal((100, 20))
    feat_a, feat_b = _models(rng, scenario, z @ mix.T, 1.0, edit, 1.1)
    splits = _splits(n_stimuli)
    scores_a = _ridge_split_scores(feat_a, targets, splits)
    scores_b = _ridge_split_scores(feat_b, targets, splits)
    n_train, n_test = len(splits[0][0]), len(splits[0][1])
    estimate = split_test(scores_a, scores_b, n_train=n_train, n_test=n_test)
    old_error = [float(np.std(s) / math.sqrt(s.size)) for s in (scores_a, scores_b)]
    return SimulatedPair(estimate, float(scores_b.mean() - scores_a.mean()), 2 * math.hypot(*old_error))


def _kappas(model: np.ndarray, humans: np.ndarray) -> np.ndarray:
    n = model.size
    a, b = model.mean(), humans.mean(axis=1)
    observed = (model[None] == humans).sum(axis=1) / n
    expected = a * b + (1 - a) * (1 - b)
    return (observed - expected) / (1 - expected)


def _error_consistency(
    rng: np.random.Generator, scenario: Scenario, n_subjects: int, n_stimuli: int, edit: float
) -> SimulatedPair:
    difficulty = rng.standard_normal(n_stimuli)
    slope = 1 + 0.3 * rng.standard_normal((n_subjects, 1))
    humans = (0.3 - slope * difficulty + 0.7 * rng.standard_normal((n_subjects, n_stimuli))) > 0
    latent_a, latent_b = _models(rng, scenario, 0.3 - difficulty, 2.0, 0.0, 2.6)
    correct_a, correct_b = latent_a > 0, latent_b > 0
    if scenario == "edited":  # B = A with a fraction `edit` of its decisions replaced by coin flips
        flipped = rng.random(n_stimuli) < edit
        correct_b = np.where(flipped, rng.random(n_stimuli) < 0.5, correct_a)
    condition = np.zeros(n_stimuli, dtype=int)
    kappa_a, loo_a = kappa_loo(correct_a, humans.astype(float), condition, 1)
    kappa_b, loo_b = kappa_loo(correct_b, humans.astype(float), condition, 1)
    pairs = [_kappas(humans[i], np.delete(humans, i, axis=0)) for i in range(n_subjects)]
    ceiling = float(np.mean(np.concatenate(pairs)))
    estimate = subject_stimulus_test(kappa_a, kappa_b, loo_a, loo_b, scale=1.0 / ceiling)
    delta = (abs(kappa_b.mean()) - abs(kappa_a.mean())) / ceiling  # Brain-Score's |mean|, ceiled
    old_error = [float(np.std(k)) for k in (kappa_a, kappa_b)]  # std (ddof 0) of kappas, raw
    return SimulatedPair(estimate, delta, 2 * math.hypot(*old_error))


def _accuracy(rng: np.random.Generator, scenario: Scenario, n_stimuli: int, edit: float) -> SimulatedPair:
    difficulty = rng.standard_normal(n_stimuli)
    latent_a, latent_b = _models(rng, scenario, 0.5 - difficulty, 1.0, edit, 1.4)
    correct_a, correct_b = latent_a > 0, latent_b > 0
    old_error = [float(np.std(c)) for c in (correct_a, correct_b)]  # std (ddof 0) of correctness
    delta = float(correct_b.mean() - correct_a.mean())
    return SimulatedPair(mcnemar_test(correct_a, correct_b), delta, 2 * math.hypot(*old_error))


HUMAN_SHAPE_BIAS = 0.9
HUMAN_SHAPE_BIAS_ERROR = 0.03


def shape_bias_score(decisions: np.ndarray) -> float:
    """``1 - |shape bias - 0.9|`` from decisions coded 0 = other, 1 = shape, 2 = texture."""
    shape, texture = np.sum(decisions == 1), np.sum(decisions == 2)
    return 1.0 - abs(shape / (shape + texture) - HUMAN_SHAPE_BIAS)


def _shape_bias(rng: np.random.Generator, scenario: Scenario, n_stimuli: int, edit: float) -> SimulatedPair:
    cue = rng.standard_normal(n_stimuli)
    latent_a, latent_b = _models(rng, scenario, cue - 0.3, 1.0, edit, 1.0)
    if scenario in ("edited", "degraded"):
        latent_b = latent_b - 0.3  # a systematic shift away from shape: a real drop
    decisions = []
    for latent in (latent_a, latent_b):
        other = rng.random(n_stimuli) < 0.1
        decisions.append(np.where(other, 0, np.where(latent > 0, 1, 2)))
    estimate = stimulus_jackknife_test(decisions[0], decisions[1], shape_bias_score)
    delta = shape_bias_score(decisions[1]) - shape_bias_score(decisions[0])
    # the metric's error is the human SE, a benchmark constant shared by A and B
    return SimulatedPair(estimate, delta, 2 * math.hypot(HUMAN_SHAPE_BIAS_ERROR, HUMAN_SHAPE_BIAS_ERROR))


#: default strength of the "edited" scenario per family (feature noise; for error consistency the fraction of
#: decisions replaced by coin flips)
EDITS: dict[str, float] = {
    "rsa": 1.5,
    "predictivity": 0.6,
    "error_consistency": 0.3,
    "accuracy": 1.0,
    "shape_bias": 0.6,
}


def simulate_pair(
    family: Family,
    scenario: Scenario,
    rng: np.random.Generator,
    *,
    n_subjects: int | None = None,
    n_stimuli: int | None = None,
    n_neurons: int = 20,
    edit: float | None = None,
) -> SimulatedPair:
    """One replicate of ``family`` under ``scenario``. Defaults are the small sizes of the calibration tests:
    RSA 4 subjects x 40 stimuli, predictivity 200 stimuli x ``n_neurons``, error consistency 8 x 80, accuracy and
    shape bias 160 stimuli. ``edit`` overrides the "edited" scenario's strength (:data:`EDITS`). Linear algebra
    runs on one BLAS thread (threaded OpenBLAS only waits for cores on these small matrices)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {FAMILIES}.")
    strength = EDITS[family] if edit is None else edit
    with _single_blas_thread():
        if family == "rsa":
            return _rsa(rng, scenario, n_subjects or 4, n_stimuli or 40, strength)
        if family == "predictivity":
            return _predictivity(rng, scenario, n_stimuli or 200, n_neurons, strength)
        if family == "error_consistency":
            return _error_consistency(rng, scenario, n_subjects or 8, n_stimuli or 80, strength)
        if family == "accuracy":
            return _accuracy(rng, scenario, n_stimuli or 160, strength)
        return _shape_bias(rng, scenario, n_stimuli or 160, strength)


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


@contextlib.contextmanager
def _single_blas_thread() -> Iterator[None]:
    with _controller().limit(limits=1, user_api="blas"):
        yield
