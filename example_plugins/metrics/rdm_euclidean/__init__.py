"""RDM with Euclidean distances (instead of 1 - Pearson), compared by Spearman r: an example metric plugin."""

from brainscore_core.registry import lazy, metric_registry

metric_registry["rdm_euclidean"] = lazy(".metric", "EuclideanRDM")  # imports metric.py only when built
