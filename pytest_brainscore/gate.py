"""Scoring inside a test and the gate after its body: thresholds and baseline regressions.

Every pair a test scores becomes a :class:`~pytest_brainscore.records.ScoreRecord` kept on the item until
its report is made (see :func:`take_records`), and its numbers go to ``item.user_properties``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .marker import BrainscoreCase, case_of
from .options import BrainscoreOptions, Option
from .records import Comparison, ScoreRecord
from .session import is_incompatible, session_key

if TYPE_CHECKING:
    from _pytest.outcomes import Skipped  # pytest.skip.Exception

    from brainscore_core import Score

__all__ = [
    "OPTIONS",
    "check_options",
    "gate",
    "has_records",
    "n_comparisons",
    "records_key",
    "score_for_item",
    "skip_incompatible",
    "take_records",
]

OPTIONS = (
    Option("min-score", "float", "Minimum ceiled score for generated items and markers without min_score.", "SCORE"),
)

records_key = pytest.StashKey[list[ScoreRecord]]()
comparisons_key = pytest.StashKey[int]()


def _records(item: pytest.Item) -> list[ScoreRecord]:
    return item.stash.setdefault(records_key, [])


def has_records(item: pytest.Item) -> bool:
    return records_key in item.stash


def take_records(item: pytest.Item) -> list[ScoreRecord]:
    """The records not yet attached to a report (emptied by this call)."""
    records = item.stash.get(records_key, [])
    if records:
        item.stash[records_key] = []
    return records


def skip_incompatible(item: pytest.Item, model: str, benchmark: str, error: BaseException) -> Skipped:
    """Record the pair as skipped and return the skip to raise (reported at the test's location)."""
    if not any(record.pair == (model, benchmark) for record in _records(item)):
        _remember(item, ScoreRecord(item.nodeid, model, benchmark, skipped=str(error)))
    return pytest.skip.Exception(f"{model} cannot run {benchmark}: {error}", _use_item_location=True)


def score_for_item(item: pytest.Item, model: str, benchmark: str) -> Score:
    """Score the pair for ``item`` (once per session), record it, and compare it with the baseline.

    A model that cannot run the benchmark skips the test with the reason.
    """
    session = item.config.stash[session_key]
    try:
        score = session.score(model, benchmark)
    except Exception as error:
        if is_incompatible(error):
            raise skip_incompatible(item, model, benchmark, error) from None
        raise
    if not any(record.pair == (model, benchmark) for record in _records(item)):
        record = ScoreRecord.from_score(item.nodeid, model, benchmark, score)
        if session.baseline is not None:
            options = session.options
            case = case_of(item)
            tolerance = case.tolerance if case is not None and case.tolerance is not None else options.tolerance
            record.baseline = session.baseline.compare(
                record, tolerance, alpha=options.alpha, n_comparisons=n_comparisons(item)
            )
        _remember(item, record)
    return score


def n_comparisons(item: pytest.Item) -> int:
    """How many pairs share the session's alpha: 1, or under ``--brainscore-alpha-correction=bonferroni`` the
    collected gated pairs whose baseline entries carry paired units (at least 1).

    Counted from the session's collected items, which every pytest-xdist worker collects alike, so each worker
    divides alpha by the same number. Pairs scored only through ``brainscore_score(...)`` inside a test body are
    not known at collection and are not counted.
    """
    config = item.config
    options = config.stash[session_key].options
    if options.alpha_correction != "bonferroni":
        return 1
    if comparisons_key not in config.stash:
        baseline = config.stash[session_key].baseline
        paired = baseline.paired_pairs() if baseline is not None else set()
        pairs = set()
        for collected in getattr(item.session, "items", None) or [item]:
            case = case_of(collected)
            if case is not None and case.model and case.benchmark and (case.model, case.benchmark) in paired:
                pairs.add((case.model, case.benchmark))
        config.stash[comparisons_key] = max(1, len(pairs))
    return config.stash[comparisons_key]


def _remember(item: pytest.Item, record: ScoreRecord) -> None:
    _records(item).append(record)
    item.user_properties.extend(record.user_properties())


def gate(item: pytest.Item, case: BrainscoreCase | None) -> None:
    """After a test body passed: score a gated case, then fail on NaN scores, threshold violations and regressions.

    A score that is not a number fails every brainscore test, gated or not (it can never be a measurement). The
    failure is one line per problem naming the pair, its numbers, the bound or baseline, and how far off.
    Under ``--brainscore-update-baseline`` regressions are reported but do not fail (the scores are accepted).
    """
    if case is not None and case.gated and case.model and case.benchmark:
        score_for_item(item, case.model, case.benchmark)
        for record in _records(item):
            if record.pair == (case.model, case.benchmark) and record.skipped is None:
                record.thresholds = case.thresholds.as_dict()
                record.threshold_violations = case.thresholds.violations(record.score, record.raw)
                if record.thresholds:
                    bounds = ", ".join(f"{name}={value:g}" for name, value in record.thresholds.items())
                    item.user_properties.append(("brainscore_thresholds", bounds))
    options = item.config.stash[session_key].options
    problems = []
    for record in _records(item):
        undefined = record.undefined_reason()
        if undefined is not None:  # says it once, instead of each bound and the baseline failing on "nan"
            problems.append(undefined)
            continue
        if record.threshold_violations:
            problems.append(f"{record.title()}: {'; '.join(record.threshold_violations)} [{record.numbers()}]")
        if record.baseline is not None and record.regressed and not options.update_baseline:
            problems.append(_regression_message(record, record.baseline))
    if problems:
        pytest.fail("brainscore: " + " | ".join(problems), pytrace=False)


def _regression_message(record: ScoreRecord, baseline: Comparison) -> str:
    if baseline.line is not None:
        return baseline.line
    if baseline.delta is None:
        return f"{record.title()}: regressed, the score is not a number (baseline {baseline.baseline_score:.4f})"
    return (
        f"{record.title()}: regressed, score dropped {-baseline.delta:.4f} below the baseline "
        f"{baseline.baseline_score:.4f} (error {baseline.baseline_error or 0:.4f}), more than the allowed "
        f"{baseline.allowed:.4f} = max(tolerance {baseline.tolerance:.4f}, 2 x combined error "
        f"{baseline.combined_error:.4f}) [{record.numbers()}]"
    )


def check_options(options: BrainscoreOptions) -> None:
    """Refuse a ``--brainscore-min-score`` outside the range of ceiled scores."""
    if options.min_score is not None and not 0.0 <= options.min_score <= 1.0:
        raise pytest.UsageError(
            f"--brainscore-min-score={options.min_score:g} is outside the range of ceiled scores [0, 1]."
        )
