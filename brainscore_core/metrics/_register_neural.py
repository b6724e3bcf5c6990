"""Registrations of the regression metrics and the internal-consistency ceiling.

Factories import the numerical modules when called, so importing this file stays cheap.
"""

from __future__ import annotations

from ..registry import Lazy, ceiling_registry, lazy, metric_registry

__all__: list[str] = []


def _predictivity(identifier: str, regression: str, /, **regression_arguments: object) -> Lazy:
    """Cross-validated predictivity with ``regression`` (a class of :mod:`.regression`), built on call."""
    solver = lazy(".regression", regression, **regression_arguments)
    return lazy(".predictivity", "CrossValidatedPredictivity", solver, identifier=identifier)


metric_registry.register(
    "pls",
    _predictivity("pls", "PLS", n_components=25),
    description="Cross-validated PLS regression (25 components) predictivity: Pearson r, median over neuroids",
)
metric_registry.register(
    "ridge",
    _predictivity("ridge", "Ridge", alpha=1.0),
    description="Cross-validated ridge regression (alpha=1, intercept) predictivity: Pearson r, median over neuroids",
)
metric_registry.register(
    "ridgecv",
    _predictivity("ridgecv", "RidgeCV"),
    description="Cross-validated ridge with alpha picked per split by leave-one-out (RidgeCV) over Brain-Score's grid",
)
metric_registry.register(
    "linear",
    _predictivity("linear", "LinearRegression"),
    description="Cross-validated ordinary least squares predictivity: Pearson r, median over neuroids",
)
metric_registry.register(
    "linear_predictivity",
    _predictivity("linear_predictivity", "LinearRegression"),
    description="Alias of 'linear': cross-validated ordinary least squares predictivity",
)
metric_registry.register(
    "neuron_to_neuron",
    _predictivity("neuron_to_neuron", "NeuronToNeuron"),
    description="Each neuroid predicted by its best train-correlated model unit; test Pearson r, median over neuroids",
)
ceiling_registry.register(
    "internal_consistency",
    lazy(".internal_consistency", "InternalConsistency"),
    description="Split-half reliability over repetitions, Spearman-Brown corrected, median over neuroids",
)
