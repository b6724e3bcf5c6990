"""Behavioural readouts: labels from logits, choice probabilities from a fitted logistic regression."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = [
    "IMAGENET_CLASSES",
    "PROBABILITIES_C",
    "ProbabilitiesReadout",
    "imagenet_choices",
    "label_choices",
    "match_labels",
]

IMAGENET_CLASSES = 1000
PROBABILITIES_C = 1e-3  #: inverse regularisation strength of the probabilities readout (as in Brain-Score)


def imagenet_choices(logits: np.ndarray) -> np.ndarray:
    """The argmax ImageNet class index of each row of ``logits`` ``(presentation, class)``."""
    indices: np.ndarray = np.asarray(logits).argmax(axis=1)
    return indices


def label_choices(logits: np.ndarray, label_indices: Mapping[str, Sequence[int]]) -> np.ndarray:
    """Map class logits to ``label_indices``' labels and pick one label per row.

    Each label's probability is the mean softmax probability of its class indices; the label with the highest
    probability is chosen (ties go to the label listed first).
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = list(label_indices)
    if not labels:
        raise ValueError("No labels to choose from: the label -> class indices mapping is empty.")
    n_classes = logits.shape[1]
    for label, indices in label_indices.items():
        bad = [int(i) for i in indices if not 0 <= int(i) < n_classes]
        if bad or len(indices) == 0:
            raise ValueError(
                f"Label {label!r} maps to class indices {bad or 'none'}, outside the model's {n_classes} outputs."
            )
    from scipy.special import softmax  # imported here: this module is loaded at plugin discovery

    probabilities = softmax(logits, axis=1)
    per_label = np.stack(
        [probabilities[:, np.asarray(label_indices[label], dtype=int)].mean(axis=1) for label in labels], axis=1
    )
    choices: np.ndarray = np.asarray(labels)[per_label.argmax(axis=1)]
    return choices


def match_labels(labels: Sequence[str], class_names: Sequence[str] | None) -> dict[str, list[int]] | None:
    """``{label: indices of the outputs named label}`` (case-insensitive), or None if some label has no output."""
    if class_names is None:
        return None
    lowered = [str(name).strip().lower() for name in class_names]
    mapping = {
        str(label): [i for i, name in enumerate(lowered) if name == str(label).strip().lower()] for label in labels
    }
    return mapping if all(mapping.values()) else None


class ProbabilitiesReadout:
    """Multinomial logistic regression (``C`` = 1e-3) on standardised features, fitted on labelled stimuli."""

    def __init__(self, C: float = PROBABILITIES_C, max_iter: int = 1000) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self._classifier = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=max_iter))

    def fit(self, features: np.ndarray, labels: Sequence[object]) -> ProbabilitiesReadout:
        label_array = np.asarray(labels)
        if len(np.unique(label_array)) < 2:
            raise ValueError(f"Fitting choice probabilities needs at least two labels, got {np.unique(label_array)}.")
        self._classifier.fit(np.asarray(features), label_array)
        return self

    @property
    def classes(self) -> np.ndarray:
        classes: np.ndarray = self._classifier.classes_
        return classes

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """``(presentation, choice)`` probabilities; columns follow :attr:`classes`."""
        probabilities: np.ndarray = self._classifier.predict_proba(np.asarray(features))
        return probabilities
