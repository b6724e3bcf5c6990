"""Brain-Score's metrics and ceilings (registered into ``metric_registry`` / ``ceiling_registry``).

Importing this package registers factories only; the numerical modules are imported when a metric is built.
"""

from . import _register_neural, _register_similarity  # noqa: F401  (registrations)
from ._base import Ceiling, CeilingFunction, Metric, MetricFunction

__all__ = ["Ceiling", "CeilingFunction", "Metric", "MetricFunction"]
