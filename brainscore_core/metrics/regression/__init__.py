"""Cross-validated regression solvers, batched over splits (numpy / scipy, float64).

Every solver maps a :class:`SplitData` (features ``x``, targets ``y`` and the splits) to
:class:`CrossValidatedPrediction`: the test-set predictions of every split, fitted on that split's train rows
with the train means as centres. Split-wise quantities are derived from whole-data products
(``X^T Y``, ``X X^T`` ...) minus the small test parts rather than from copies of each split's train data.

- :class:`PLS`: PLS2 NIPALS (mode A, regression deflation, no scaling) as in scikit-learn's ``PLSRegression``,
  computed exactly: each weight vector is the dominant left singular vector of the deflated cross-covariance
  ``C_k = X_k^T Y = C_0 - P_{<k} (T_{<k}^T Y)``, found on the small ``C_k^T C_k`` (or ``C_k C_k^T``).
- :class:`Ridge` (fixed alpha, one Cholesky solve per split), :class:`RidgeCV` (efficient leave-one-out over an
  alpha grid, scikit-learn ``RidgeCV`` semantics) and :class:`LinearRegression` (minimum-norm least squares),
  the last two from one eigendecomposition per split of the centred train Gram matrix (``n_train <=
  n_features``) or covariance. ``RidgeCV`` scans the grid with a low-rank expansion of the shrinkage (~20
  products instead of one per alpha) that bounds each alpha's error rigorously, then computes exactly only the
  alphas that may be best: the chosen alpha is the one an exhaustive float64 scan picks.
- :class:`NeuronToNeuron`: each target is predicted by the raw values of its best train-correlated source unit.

Modules: ``_data`` (``SplitData``, the ``Regression`` contract), ``_pls``, ``_ridge`` (``Ridge``,
``LinearRegression``, ``RidgeCV``) on ``_factorisation`` (one eigendecomposition per split), ``_ridgecv_scan``
(RidgeCV's alpha scan), ``_neuron`` and ``_blas`` (small linear algebra on one BLAS thread).
"""

from ._data import BRAINSCORE_RIDGECV_ALPHAS, CrossValidatedPrediction, Regression, SplitData
from ._neuron import NeuronToNeuron
from ._pls import PLS
from ._ridge import LinearRegression, Ridge, RidgeCV

__all__ = [
    "BRAINSCORE_RIDGECV_ALPHAS",
    "PLS",
    "CrossValidatedPrediction",
    "LinearRegression",
    "NeuronToNeuron",
    "Regression",
    "Ridge",
    "RidgeCV",
    "SplitData",
]
