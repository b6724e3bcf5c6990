"""Registrations of RSA, CKA and behavioural metrics and their ceilings.

Factories import the numerical modules only when a metric is built, so importing this module stays cheap.
"""

from __future__ import annotations

from ..registry import ceiling_registry, lazy, metric_registry

__all__: list[str] = []


metric_registry.register(
    "rdm", lazy(".rsa", "RDMMetric"), description="RDM (1 - Pearson) comparison by Spearman r over upper triangles"
)
metric_registry.register(
    "rdm_kendall",
    lazy(".rsa", "RDMMetric", comparison="kendall_tau_a"),
    description="RDM (1 - Pearson) comparison by Kendall's tau-a over upper triangles",
)
metric_registry.register(
    "rdm_cv",
    lazy(".rsa", "RDMCrossValidated"),
    description="RDM comparison on the test stimuli of 10 stratified shuffle splits (test_size 0.9)",
)
metric_registry.register(
    "rsa", lazy(".rsa", "RSAMetric"), description="Mean over subjects of Spearman r between model and subject RDMs"
)
metric_registry.register(
    "cka", lazy(".cka", "CKAMetric"), description="Linear CKA, unbiased HSIC estimator (Song et al. 2012)"
)
metric_registry.register(
    "cka_biased",
    lazy(".cka", "CKAMetric", unbiased=False),
    description="Linear CKA, biased HSIC estimator (Brain-Score 2.4's cka_biased)",
)
metric_registry.register(
    "cka_cv",
    lazy(".cka", "CKACrossValidated"),
    description="Unbiased linear CKA on the test stimuli of 10 stratified shuffle splits (test_size 0.9)",
)
metric_registry.register(
    "i1",
    lazy(".behavior", "ImageLevelConsistency", collapse_distractors=True, normalize=False),
    description="Image-level behavioural consistency I1 (Rajalingham et al. 2018)",
)
metric_registry.register(
    "i2n",
    lazy(".behavior", "ImageLevelConsistency", collapse_distractors=False, normalize=True),
    description="Normalised image-by-distractor behavioural consistency I2n (Rajalingham et al. 2018)",
)
metric_registry.register(
    "error_consistency",
    lazy(".error_consistency", "ErrorConsistency"),
    description="Error consistency: Cohen's kappa of trial-wise correctness (Geirhos et al. 2020)",
)
metric_registry.register(
    "accuracy", lazy(".accuracy", "Accuracy"), description="Fraction of decisions equal to the labels"
)
metric_registry.register(
    "shape_bias",
    lazy(".accuracy", "ShapeBias"),
    description="1 - |model - human shape bias| on cue-conflict stimuli (Geirhos et al. 2019)",
)

ceiling_registry.register(
    "rsa_ceiling",
    lazy(".rsa", "RSACeiling"),
    description="Inter-subject RDM consistency: upper bound vs all-subject mean, lower bound leave-one-out",
)
ceiling_registry.register(
    "i1_ceiling",
    lazy(".behavior", "ImageLevelCeiling", collapse_distractors=True, normalize=False),
    description="Split-half consistency of human I1 patterns (2 repetitions, no Spearman-Brown)",
)
ceiling_registry.register(
    "i2n_ceiling",
    lazy(".behavior", "ImageLevelCeiling", collapse_distractors=False, normalize=True),
    description="Split-half consistency of human I2n patterns (2 repetitions, no Spearman-Brown)",
)
ceiling_registry.register(
    "error_consistency_ceiling",
    lazy(".error_consistency", "ErrorConsistencyCeiling"),
    description="Error consistency between all pairs of subjects",
)
