"""Paired statistics for the regression gate (issue 17): is this run (B) worse than the baseline (A)?

One job per module:

- :mod:`.estimates`: per-family paired tests on raw unit values (splits: Nadeau-Bengio corrected t; subjects and
  stimuli: min-F' t with a stimulus jackknife; accuracy: exact McNemar; per-stimulus statistics: jackknife).
- :mod:`.decision`: :func:`decide`, the rule "``Δ < -tol`` and one-sided p < alpha", and :class:`GateResult` with
  the CI line.
- :mod:`.units`: the versioned paired-unit records a baseline stores, their fingerprints and :func:`compare_units`.
- :mod:`.jackknife`: leave-one-stimulus-out values for RSA (Spearman) and error consistency (kappa).
- :mod:`.attach`: where a score keeps its record (``score.attrs["paired_units"]``, the record's dict) and the
  per-family constructors the metrics call; :func:`paired_units` reads it back.
- :mod:`.pairs`: :func:`gate_pair`, the verdict for one pair from a baseline's record and this run's (the scale
  from raw to ceiled differences, the test, the decision); what the pytest gate calls.
- :mod:`.simulation`: the generators of the calibration tests and of ``benchmarks/bench_gate_simulation.py``.

Typical use by the gate::

    estimate = compare_units(baseline_units, current_units, scale=linear_scale(ceiling))
    result = decide(estimate, alpha=0.01, tol=0.01, score_a=baseline_score, score_b=score)
    print(result.line(model, benchmark, version))
"""

from .attach import PAIRED_UNITS, PAIRED_UNITS_MISSING, attach_units, paired_units
from .decision import RESULT_VERSION, GateResult, Status, decide, incomparable
from .estimates import (
    STORED_DIGITS,
    PairedEstimate,
    explained_variance_scale,
    jackknife_variance,
    linear_scale,
    mcnemar_test,
    nadeau_bengio_factor,
    satterthwaite_df,
    split_test,
    stimulus_jackknife_test,
    stored,
    subject_stimulus_test,
    unpaired_split_test,
    unpaired_test,
)
from .jackknife import kappa_loo, rdm_spearman_loo
from .pairs import PairingUnavailable, gate_pair, gate_scale
from .units import (
    UNITS_VERSION,
    SplitUnits,
    StimulusUnits,
    SubjectStimulusUnits,
    UnitsMismatch,
    compare_units,
    split_fingerprint,
    stimulus_fingerprint,
    units_from_dict,
)

__all__ = [
    "PAIRED_UNITS",
    "PAIRED_UNITS_MISSING",
    "RESULT_VERSION",
    "STORED_DIGITS",
    "UNITS_VERSION",
    "GateResult",
    "PairedEstimate",
    "PairingUnavailable",
    "SplitUnits",
    "Status",
    "StimulusUnits",
    "SubjectStimulusUnits",
    "UnitsMismatch",
    "attach_units",
    "compare_units",
    "decide",
    "explained_variance_scale",
    "gate_pair",
    "gate_scale",
    "incomparable",
    "jackknife_variance",
    "kappa_loo",
    "linear_scale",
    "mcnemar_test",
    "nadeau_bengio_factor",
    "paired_units",
    "rdm_spearman_loo",
    "satterthwaite_df",
    "split_fingerprint",
    "split_test",
    "stimulus_fingerprint",
    "stimulus_jackknife_test",
    "stored",
    "subject_stimulus_test",
    "units_from_dict",
    "unpaired_split_test",
    "unpaired_test",
]
