"""Representational similarity analysis: RDMs, their comparison, RSA against subjects and its ceiling.

Conventions (Brain-Score 2.4):

- An RDM is ``1 - Pearson r`` between the response patterns of two stimuli (rows = stimuli), with rows ordered
  by ``stimulus_id``.
- Two RDMs are compared over their upper triangles (``k = 1``) by Spearman's rho (default) or Kendall's tau-a.
- ``rdm_cv`` repeats the comparison on the test stimuli of 10 stratified shuffle splits
  (``test_size=0.9``, ``random_state=1``, stratified by ``object_name`` when the target has it).
- ``rsa`` compares one model RDM with one RDM per subject and averages; ``rsa_ceiling`` measures how well each
  subject's RDM matches the group's mean RDM.

Responses with NaN or infinite values, 0 neuroids or overflowing magnitudes are refused with
:class:`MetricInputError`, as on the regression path (:mod:`brainscore_core.metrics._checks`). Undefined RDM
entries (pairs with a stimulus whose responses are constant across neuroids, or NaN entries of a given RDM) are
left out of the comparison with a :class:`RuntimeWarning` that names the cause; they never crash a metric.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import xarray as xr
from scipy import stats

from ..assemblies import validate_rdm_assembly
from ..comparison.attach import PAIRED_UNITS_MISSING, attach_units, rsa_units
from ..errors import MetricInputError
from ..score import Score
from ._base import Ceiling, Metric
from ._checks import SOURCE, TARGET, examples
from ._crossval import TestOnlyCrossValidated, cross_validated, stratification_labels
from ._inputs import matched_stimulus_order, two_dim_responses
from ._stats import standard_error

__all__ = [
    "RDMCrossValidated",
    "RDMMetric",
    "RSACeiling",
    "RSAMetric",
    "TriangleRanks",
    "as_rdm_stack",
    "compare_rdms",
    "cross_validated",
    "kendall_tau_a",
    "matched_stimulus_order",
    "pearson_rdm",
    "spearman_rows",
    "standard_error",
    "stratification_labels",
    "subject_rdms",
    "two_dim_responses",
    "upper_triangle",
    "warn_constant_stimuli",
]

Comparison = Literal["spearman", "kendall_tau_a"]


# --- RDMs ---------------------------------------------------------------------------------------------------
def _rdm_from_centred(centred: np.ndarray) -> np.ndarray:
    """``1 - r`` between rows of already row-centred patterns ``(..., n, k)``; zero diagonal."""
    norms = np.sqrt(np.einsum("...ij,...ij->...i", centred, centred))
    rdm = centred @ np.swapaxes(centred, -1, -2)  # in-place from here on: RDMs can be large
    with np.errstate(invalid="ignore", divide="ignore"):
        rdm /= norms[..., :, None]
        rdm /= norms[..., None, :]
    np.clip(rdm, -1.0, 1.0, out=rdm)
    np.subtract(1.0, rdm, out=rdm)
    diagonal = np.arange(rdm.shape[-1])
    rdm[..., diagonal, diagonal] = 0.0
    return rdm


def pearson_rdm(patterns: np.ndarray) -> np.ndarray:
    """RDM(s) ``1 - Pearson r`` between stimulus rows of ``(..., stimuli, features)``; diagonal set to 0.

    Rows with constant responses give NaN dissimilarities (off the diagonal).
    """
    patterns = np.asarray(patterns, dtype=float)
    return _rdm_from_centred(patterns - patterns.mean(axis=-1, keepdims=True))


def subject_rdms(patterns: np.ndarray, subjects: Sequence[object] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One RDM per subject from ``(stimuli, neuroids)`` responses whose neuroids belong to ``subjects``.

    Returns ``(rdms (s, n, n), subject labels (s,))`` with subjects sorted. Each subject's neuroids are centred
    per stimulus in one product; when subjects have similar neuroid counts, they are zero-padded to a common
    width (padding changes neither dot products nor norms) and multiplied in one batched product.
    """
    patterns = np.asarray(patterns, dtype=float)
    labels, group = np.unique(np.asarray(subjects), return_inverse=True)
    n_stimuli = patterns.shape[0]
    counts = np.bincount(group, minlength=len(labels))
    membership = np.zeros((len(group), len(labels)))
    membership[np.arange(len(group)), group] = 1.0
    centred = patterns - ((patterns @ membership) / counts)[:, group]
    if len(labels) * counts.max() > 2 * len(group):  # very unequal subjects: padding would waste memory
        return np.stack([_rdm_from_centred(centred[:, group == k]) for k in range(len(labels))]), labels
    order = np.argsort(group, kind="stable")
    position = np.arange(len(group)) - np.repeat(np.cumsum(counts) - counts, counts)
    stacked = np.zeros((len(labels), n_stimuli, counts.max()))
    stacked[group[order], :, position] = centred[:, order].T
    return _rdm_from_centred(stacked), labels


def upper_triangle(rdms: np.ndarray) -> np.ndarray:
    """The entries above the diagonal (``k = 1``, row-major) of ``(..., n, n)`` RDMs, as ``(..., n(n-1)/2)``."""
    rows, columns = np.triu_indices(rdms.shape[-1], k=1)
    return rdms[..., rows, columns]


# --- comparing RDMs -----------------------------------------------------------------------------------------
def _warn_dropped(n_dropped: int, n_total: int) -> None:
    warnings.warn(
        f"{n_dropped} of {n_total} RDM entries are undefined (NaN) and were left out of the comparison: in an RDM "
        "computed from responses, the pairs with a stimulus whose responses are constant across neuroids (1 - "
        "Pearson r is undefined for them); in a given RDM, its missing entries.",
        RuntimeWarning,
        stacklevel=3,
    )


def _pearson_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=-1, keepdims=True)
    b = b - b.mean(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sum(a * b, axis=-1) / np.sqrt(np.sum(a * a, axis=-1) * np.sum(b * b, axis=-1))


def spearman_rows(reference: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Spearman's rho between ``reference`` (``(m,)`` or ``(s, m)``) and each row of ``others`` ``(s, m)``.

    Ties get average ranks (as :func:`scipy.stats.spearmanr`). Entries that are NaN in either vector are
    left out pairwise, with a warning.
    """
    others = np.atleast_2d(np.asarray(others, dtype=float))
    reference = np.asarray(reference, dtype=float)
    if not (np.isnan(reference).any() or np.isnan(others).any()):
        return _pearson_rows(stats.rankdata(reference, axis=-1), stats.rankdata(others, axis=-1))
    reference = np.broadcast_to(reference, others.shape)
    valid = ~(np.isnan(reference) | np.isnan(others))
    _warn_dropped(int((~valid).sum()), valid.size)
    result = np.empty(len(others))
    for row, (x, y, keep) in enumerate(zip(reference, others, valid, strict=True)):
        result[row] = _pearson_rows(stats.rankdata(x[keep]), stats.rankdata(y[keep])) if keep.sum() > 1 else np.nan
    return result


def kendall_tau_a(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-a, ``(concordant - discordant) / (m (m - 1) / 2)``; NaN pairs left out with a warning.

    Computed in ``O(m log m)`` from scipy's tau-b: ``tau_a = tau_b * sqrt((n0 - n1)(n0 - n2)) / n0`` with
    ``n0`` all pairs and ``n1``, ``n2`` the pairs tied in ``x`` and in ``y``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    if not keep.all():
        _warn_dropped(int((~keep).sum()), keep.size)
        x, y = x[keep], y[keep]
    m = len(x)
    if m < 2:
        return math.nan

    def tied_pairs(values: np.ndarray) -> float:
        counts = np.unique(values, return_counts=True)[1].astype(float)
        return float(np.sum(counts * (counts - 1) / 2))

    all_pairs = m * (m - 1) / 2
    untied = (all_pairs - tied_pairs(x)) * (all_pairs - tied_pairs(y))
    if untied == 0:
        return 0.0
    tau_b = stats.kendalltau(x, y, variant="b").statistic
    return float(tau_b * math.sqrt(untied) / all_pairs)


def compare_rdms(reference: np.ndarray, rdms: np.ndarray, comparison: Comparison = "spearman") -> np.ndarray:
    """Compare one RDM ``(n, n)`` with each of ``rdms`` ``(s, n, n)`` over the upper triangles; returns ``(s,)``."""
    rdms = np.asarray(rdms, dtype=float)
    if rdms.ndim == 2:
        rdms = rdms[np.newaxis]
    reference_triangle = upper_triangle(np.asarray(reference, dtype=float))
    triangles = upper_triangle(rdms)
    if comparison == "spearman":
        return spearman_rows(reference_triangle, triangles)
    if comparison == "kendall_tau_a":
        return np.array([kendall_tau_a(reference_triangle, triangle) for triangle in triangles])
    raise ValueError(f"Unknown RDM comparison {comparison!r}; use 'spearman' or 'kendall_tau_a'.")


class TriangleRanks:
    """Ranks of the upper-triangle entries among any subset of stimuli, from one sort of the full RDM.

    A split keeps the pairs of its test stimuli; their ranks among themselves follow from the full sort order
    by cumulative counts (ties get average ranks, as in :func:`scipy.stats.rankdata`) in ``O(m)``, instead of a
    new ``O(m log m)`` sort per split. The RDM must be free of NaN.
    """

    def __init__(self, rdm: np.ndarray) -> None:
        index_type = np.int32 if len(rdm) < 40_000 else np.int64
        rows, columns = np.triu_indices(len(rdm), k=1)
        self.rows, self.columns = rows.astype(index_type), columns.astype(index_type)
        values = rdm[self.rows, self.columns]
        self.order = np.argsort(values, kind="stable").astype(index_type)
        ordered = values[self.order]
        self.tie_group = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]], dtype=index_type)

    def ranks(self, members: np.ndarray) -> np.ndarray:
        """1-based ranks of the pairs of stimuli flagged in ``members``, listed in upper-triangle order."""
        in_subset = members[self.rows] & members[self.columns]
        selected = in_subset[self.order]
        rank = np.cumsum(selected)[selected].astype(float)
        group = self.tie_group[selected]
        starts = np.r_[True, group[1:] != group[:-1]]
        ends = np.r_[group[1:] != group[:-1], True]
        run = np.cumsum(starts) - 1
        result = np.empty(len(self.order))
        result[self.order[selected]] = (rank[starts][run] + rank[ends][run]) / 2
        return result[in_subset]


# --- inputs -------------------------------------------------------------------------------------------------
def _is_rdm_assembly(assembly: xr.DataArray) -> bool:
    return isinstance(assembly, xr.DataArray) and tuple(assembly.dims) == ("subject", "stimulus_a", "stimulus_b")


def as_rdm_stack(
    assembly: xr.DataArray, *, per_subject: bool = True, side: str = "assembly"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rdms (s, n, n), stimulus ids (n,), subjects (s,))`` from an RDM assembly or a neural assembly.

    A neural assembly with a ``subject`` coord on ``neuroid`` gives one RDM per subject (from that subject's
    neuroids) when ``per_subject``; otherwise, one RDM from all neuroids (subject label ``"all"``). ``side``
    names the assembly in errors and warnings (``"source (model)"``, ``"target (data)"``).
    """
    if _is_rdm_assembly(assembly):
        assembly = validate_rdm_assembly(assembly)
        return (
            np.asarray(assembly.values, dtype=float),
            np.asarray(assembly["stimulus_a"].values),
            np.asarray(assembly["subject"].values),
        )
    assembly = two_dim_responses(assembly, side)
    ids = np.asarray(assembly["stimulus_id"].values)
    warn_constant_stimuli(np.asarray(assembly.values), ids, side)
    if per_subject and "subject" in assembly.coords and assembly["subject"].dims == ("neuroid",):
        rdms, subjects = subject_rdms(assembly.values, assembly["subject"].values)
        return rdms, ids, subjects
    return pearson_rdm(assembly.values)[np.newaxis], ids, np.array(["all"])


def warn_constant_stimuli(patterns: np.ndarray, stimulus_ids: np.ndarray, side: str) -> None:
    """Warn, naming them, about stimuli whose responses are the same in every neuroid (their RDM entries are NaN)."""
    patterns = np.asarray(patterns)
    if patterns.shape[-1] == 0:
        return
    constant = np.max(patterns, axis=-1) == np.min(patterns, axis=-1)
    if constant.any():
        warnings.warn(
            f"The {side} responses to {int(constant.sum())} of {len(constant)} stimuli (e.g. "
            f"{examples(np.asarray(stimulus_ids)[constant])}) are constant across neuroids: 1 - Pearson r with "
            "them is undefined, so their RDM entries are left out of the comparison.",
            RuntimeWarning,
            stacklevel=3,
        )


def _reorder_rdms(rdms: np.ndarray, order: np.ndarray) -> np.ndarray:
    return rdms[..., order[:, None], order[None, :]]


def _single_rdm(rdms: np.ndarray, role: str) -> np.ndarray:
    if len(rdms) != 1:
        raise MetricInputError(
            f"The {role} must give a single RDM, got {len(rdms)} (one per subject); use the 'rsa' metric to "
            "compare with several subjects."
        )
    return rdms[0]


def _check_stimulus_count(n_stimuli: int, minimum: int, what: str) -> None:
    if n_stimuli < minimum:
        raise MetricInputError(f"{what} needs at least {minimum} stimuli, got {n_stimuli}.")


# --- metrics ------------------------------------------------------------------------------------------------
class RDMMetric(Metric):
    """``rdm``: compare the RDMs of source and target (Spearman over upper triangles by default).

    Source and target are neural assemblies ``(presentation, neuroid)``, each giving one RDM from all its neuroids
    (or single-RDM assemblies); the target's stimuli, sorted by ``stimulus_id``, are compared.
    ``comparison='kendall_tau_a'`` gives ``rdm_kendall``.
    """

    identifier = "rdm"
    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __init__(self, comparison: Comparison = "spearman") -> None:
        self.comparison = comparison
        self.identifier = "rdm" if comparison == "spearman" else f"rdm_{comparison.split('_')[0]}"

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        source_rdms, source_ids, _ = as_rdm_stack(source, per_subject=False, side=SOURCE)
        target_rdms, target_ids, _ = as_rdm_stack(target, per_subject=False, side=TARGET)
        source_rdm = _single_rdm(source_rdms, "source")
        target_rdm = _single_rdm(target_rdms, "target")
        source_order, target_order = matched_stimulus_order(source_ids, target_ids)
        _check_stimulus_count(len(target_order), 3, "Comparing RDMs")
        value = compare_rdms(
            _reorder_rdms(source_rdm, source_order), _reorder_rdms(target_rdm, target_order), self.comparison
        )[0]
        return Score(value=float(value), attrs={"comparison": self.comparison, "n_stimuli": len(target_order)})


class RDMCrossValidated(TestOnlyCrossValidated, Metric):
    """``rdm_cv``: :class:`RDMMetric` on the test stimuli of each split (Brain-Score's ``rdm_cv``).

    Both assemblies are neural ``(presentation, neuroid)``; each split compares the test stimuli's RDMs.
    Aggregate = mean over splits, error = std over splits (ddof 0) / sqrt(n_splits). ``split_order``: see
    :func:`brainscore_core.metrics._crossval.checked_split_order`.
    """

    identifier = "rdm_cv"
    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __init__(
        self,
        comparison: Comparison = "spearman",
        *,
        n_splits: int = 10,
        test_size: float = 0.9,
        random_state: int = 1,
        stratification_coord: str | None = "object_name",
        split_order: str = "stimulus_id",
    ) -> None:
        self.comparison = comparison
        super().__init__(
            n_splits=n_splits,
            test_size=test_size,
            random_state=random_state,
            stratification_coord=stratification_coord,
            split_order=split_order,
        )

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        source, target = two_dim_responses(source, SOURCE), two_dim_responses(target, TARGET)
        source_order, target_order = matched_stimulus_order(
            np.asarray(source["stimulus_id"].values),
            np.asarray(target["stimulus_id"].values),
            sort=self._sorted_by_id,
        )
        for side, assembly, order in ((SOURCE, source, source_order), (TARGET, target, target_order)):
            ids = np.asarray(assembly["stimulus_id"].values)[order]
            warn_constant_stimuli(np.asarray(assembly.values)[order], ids, side)
        # Pearson r between two stimuli does not depend on the other stimuli: a split's RDM is a block of the full one
        source_rdm = pearson_rdm(np.asarray(source.values, dtype=float)[source_order])
        target_rdm = pearson_rdm(np.asarray(target.values, dtype=float)[target_order])
        compare = self._split_comparison(source_rdm, target_rdm)
        return self._cross_validate(compare, target, target_order, comparison=self.comparison)

    def _split_comparison(self, source_rdm: np.ndarray, target_rdm: np.ndarray) -> Callable[[np.ndarray], float]:
        """``compare(test indices) -> similarity`` of the two RDMs restricted to the test stimuli."""
        if self.comparison == "spearman" and not (np.isnan(source_rdm).any() or np.isnan(target_rdm).any()):
            source_ranks, target_ranks = TriangleRanks(source_rdm), TriangleRanks(target_rdm)

            def compare_ranks(test: np.ndarray) -> float:
                members = np.zeros(len(source_rdm), dtype=bool)
                members[test] = True
                return float(_pearson_rows(source_ranks.ranks(members), target_ranks.ranks(members)))

            return compare_ranks

        def compare(test: np.ndarray) -> float:
            block = np.ix_(test, test)
            return float(compare_rdms(source_rdm[block], target_rdm[block], self.comparison)[0])

        return compare


class RSAMetric(Metric):
    """``rsa``: mean over subjects of the similarity between the model RDM and each subject's RDM.

    ``source``: model responses ``(presentation, neuroid)`` (or a single-RDM assembly). ``target``: responses
    with a ``subject`` coord on ``neuroid`` (one RDM per subject from that subject's neuroids), or an RDM
    assembly ``(subject, stimulus_a, stimulus_b)`` (:func:`brainscore_core.assemblies.rdm_assembly`).
    Details: ``subject`` (one value per subject). Error = std over subjects (ddof 0) / sqrt(n_subjects).
    """

    identifier = "rsa"
    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __init__(self, comparison: Comparison = "spearman") -> None:
        self.comparison = comparison

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        source_rdms, source_ids, _ = as_rdm_stack(source, per_subject=False, side=SOURCE)
        source_rdm = _single_rdm(source_rdms, "source")
        target_rdms, target_ids, subjects = as_rdm_stack(target, side=TARGET)
        source_order, target_order = matched_stimulus_order(source_ids, target_ids)
        _check_stimulus_count(len(target_order), 3, "RSA")
        model_rdm, data_rdms = _reorder_rdms(source_rdm, source_order), _reorder_rdms(target_rdms, target_order)
        per_subject = compare_rdms(model_rdm, data_rdms, self.comparison)
        score = Score(
            value=float(np.mean(per_subject)),
            error=standard_error(per_subject),
            details={"subject": xr.DataArray(per_subject, dims=("subject",), coords={"subject": subjects})},
            attrs={"comparison": self.comparison, "n_stimuli": len(target_order), "n_subjects": len(subjects)},
        )
        return self._attach_paired_units(score, model_rdm, data_rdms, subjects, np.asarray(target_ids)[target_order])

    def _attach_paired_units(
        self, score: Score, model_rdm: np.ndarray, data_rdms: np.ndarray, subjects: Any, ids: np.ndarray
    ) -> Score:
        """Paired units for the regression gate (issue 17): per-subject and leave-one-stimulus-out rho."""
        if self.comparison != "spearman":
            score.attrs[PAIRED_UNITS_MISSING] = f"no stimulus jackknife for comparison {self.comparison!r}"
            return score
        return attach_units(score, lambda: rsa_units(model_rdm, data_rdms, subjects, ids))


class RSACeiling(Ceiling):
    """``rsa_ceiling``: how well each subject's RDM matches the group (Spearman, no Spearman-Brown).

    upper bound (the ceiling's value) = mean over subjects of rho(subject RDM, mean RDM of all subjects);
    lower bound (``attrs['lower']``) = the same against the mean RDM of the other subjects (leave-one-out; Brain-Score
    2.4 keeps it as ``lower_bound_loo``). Error = std of the upper-bound values / sqrt(n).

    Takes the same targets as :class:`RSAMetric`. With a single subject no ceiling can be estimated and the
    ceiling returns ``None`` (benchmarks then report the raw score; see
    :func:`brainscore_core.score.ceil_ratio`).
    """

    identifier = "rsa_ceiling"
    valid_range = (-1.0, 1.0)

    def __init__(self, comparison: Comparison = "spearman") -> None:
        self.comparison = comparison

    def __call__(self, assembly: xr.DataArray) -> Score | None:
        rdms, _, subjects = as_rdm_stack(assembly, side="assembly (data)")
        if len(subjects) < 2:
            return None
        # the same stimulus order for every subject suffices: the comparison ignores how pairs are ordered
        triangles = upper_triangle(rdms)
        total = np.sum(triangles, axis=0)
        upper, lower = self._compare_each(triangles, total / len(subjects), (total - triangles) / (len(subjects) - 1))
        subject_coords = {"subject": subjects}
        return Score(
            value=float(np.mean(upper)),
            error=standard_error(upper),
            details={
                "upper": xr.DataArray(upper, dims=("subject",), coords=subject_coords),
                "lower": xr.DataArray(lower, dims=("subject",), coords=subject_coords),
            },
            attrs={
                "lower": float(np.mean(lower)),
                "lower_error": standard_error(lower),
                "upper": float(np.mean(upper)),
                "comparison": self.comparison,
                "n_subjects": len(subjects),
            },
        )

    def _compare_each(
        self, triangles: np.ndarray, group_mean: np.ndarray, others_means: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each subject's similarity to the group mean (upper) and to the mean of the others (lower)."""
        if self.comparison == "kendall_tau_a":
            upper = np.array([kendall_tau_a(group_mean, own) for own in triangles])
            lower = np.array([kendall_tau_a(others, own) for others, own in zip(others_means, triangles, strict=True)])
            return upper, lower
        if np.isnan(triangles).any():
            return spearman_rows(group_mean, triangles), spearman_rows(others_means, triangles)
        own_ranks = stats.rankdata(triangles, axis=-1)  # ranked once, used for both bounds
        upper = _pearson_rows(stats.rankdata(group_mean), own_ranks)
        return upper, _pearson_rows(stats.rankdata(others_means, axis=-1), own_ranks)
