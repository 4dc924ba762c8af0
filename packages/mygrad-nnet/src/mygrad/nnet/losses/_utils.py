"""Input checks and small array helpers shared by the losses (private to mygrad.nnet)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad import Tensor
from mygrad.nnet.activations._utils import data

__all__ = ["check_scores_and_labels", "row_logsumexp", "scatter_rows"]


def check_scores_and_labels(scores: Any, labels: Any, scores_name: str, labels_name: str) -> np.ndarray:
    """Check that ``scores`` is 2-D, shape ``(N, C)``, and that ``labels`` holds integers of shape ``(N,)``.

    Returns the labels as an integer array (a Tensor's data, not a copy).
    """
    scores_ndim = np.ndim(data(scores))
    if scores_ndim != 2:
        raise ValueError(
            f"`{scores_name}` must be a 2-dimensional array-like object of shape (N, C), got {scores_ndim}-dim"
        )
    labels = np.asarray(data(labels))
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"`{labels_name}` must be an integer-type array-like object, got {labels.dtype}")
    n = np.shape(data(scores))[0]
    if labels.shape != (n,):
        raise ValueError(
            f"`{labels_name}` must be a shape-(N,) array matching `{scores_name}`'s N={n}: "
            f"expected shape {(n,)}, got shape {labels.shape}"
        )
    c = np.shape(data(scores))[1]
    if labels.size and (labels.min() < 0 or labels.max() >= c):  # a negative label would pick from the end
        bad = labels[(labels < 0) | (labels >= c)][0]
        raise IndexError(
            f"`{labels_name}` must hold class indices in [0, {c}) for `{scores_name}` of C={c} classes, got {bad}"
        )
    return labels


def scatter_rows(labels: np.ndarray, shape: tuple[int, ...], values: Any, dtype: Any) -> Any:
    """An array of ``shape`` (N, C) holding ``values[i]`` at ``[i, labels[i]]`` and 0 elsewhere.

    Given a Tensor of values (a rule run by the recorded backward pass), a Tensor that depends on them."""
    if isinstance(values, Tensor):
        one_hot = np.arange(shape[1]) == labels[:, np.newaxis]
        return (np.broadcast_to(values, shape[:1])[:, np.newaxis] * one_hot).astype(dtype)
    out = np.zeros(shape, dtype=dtype)
    out[np.arange(shape[0]), labels] = values
    return out


def row_logsumexp(x: np.ndarray) -> np.ndarray:
    """``log(sum(exp(x), axis=1, keepdims=True))`` of a 2-D float array, without overflow."""
    shift = np.max(x, axis=1, keepdims=True, initial=-np.inf)
    shift = np.where(np.isfinite(shift), shift, 0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - shift), axis=1, keepdims=True)) + shift
