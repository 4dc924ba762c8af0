"""The negative log-likelihood of log-probabilities, optionally weighted per class."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data
from mygrad.nnet.losses._utils import check_scores_and_labels, scatter_rows
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["negative_log_likelihood"]


def _sample_weights(labels: np.ndarray, weights: np.ndarray | None) -> Any:
    return 1 if weights is None else weights[labels]


def _negative_log_likelihood(x: np.ndarray, *, labels: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    return -np.mean(x[np.arange(x.shape[0]), labels] * _sample_weights(labels, weights))


def _negative_log_likelihood_grad(
    g: Any, out: Any, x: Any, *, labels: np.ndarray, weights: np.ndarray | None
) -> Any:
    scale = -g * np.asarray(_sample_weights(labels, weights)) / x.shape[0]
    return scatter_rows(labels, x.shape, scale, np.result_type(x, scale))


NegativeLogLikelihood = primitive(
    "NegativeLogLikelihood", _negative_log_likelihood, _negative_log_likelihood_grad
)


def negative_log_likelihood(
    x: ArrayLike,
    y_true: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    constant: bool | None = None,
) -> Tensor:
    """The mean negative log-likelihood of the true classes, optionally weighted per class.

    ``-mean(x[range(N), y_true] * weights[y_true])``.

    Parameters
    ----------
    x : array_like, shape (N, C)
        Log-probabilities of ``N`` samples over ``C`` classes (e.g. the output of
        :func:`~mygrad.nnet.activations.logsoftmax`).
    y_true : array_like of ints, shape (N,)
        The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated).
    weights : array_like, shape (C,), optional
        A weight per class (all 1 by default). It is treated as a constant.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor, shape ()
        The mean weighted loss over the samples.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, ``y_true`` is not of shape ``(N,)`` or ``weights`` is not of shape ``(C,)``.
    TypeError
        If ``y_true`` does not hold integers.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import negative_log_likelihood
    >>> x = mg.tensor([[-0.5, -1.0], [-2.0, -0.25]])
    >>> loss = negative_log_likelihood(x, [0, 1], weights=[1.0, 2.0])
    >>> loss
    Tensor(0.5)
    >>> loss.backward()
    >>> x.grad
    array([[-0.5,  0. ],
           [ 0. , -1. ]])
    """
    labels = check_scores_and_labels(x, y_true, "x", "y_true")
    if weights is not None:
        weights = np.asarray(data(weights))
        n_classes = np.shape(data(x))[1]
        if weights.shape != (n_classes,):
            raise ValueError(
                f"`weights` must be a shape-(C,) array, one weight per class: expected shape {(n_classes,)}, "
                f"got shape {weights.shape}"
            )
    return mg.execute_op(
        NegativeLogLikelihood, x, op_kwargs={"labels": labels, "weights": weights}, constant=constant
    )
