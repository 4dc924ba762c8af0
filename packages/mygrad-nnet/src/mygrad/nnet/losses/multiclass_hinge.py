"""The multiclass (Weston-Watkins) hinge loss of class scores."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data, real_scalar
from mygrad.nnet.losses._utils import check_scores_and_labels
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["multiclass_hinge"]


def _violations(x: np.ndarray, labels: np.ndarray, hinge: Any) -> np.ndarray:
    """``x[i, j] - x[i, y_i] + hinge`` for every class, and 0 for the true class itself."""
    rows = np.arange(x.shape[0])
    margins = x - x[rows, labels][:, np.newaxis] + hinge
    margins[rows, labels] = 0  # the true class does not count against its sample
    return margins


def _multiclass_hinge(x: np.ndarray, *, labels: np.ndarray, hinge: Any) -> np.ndarray:
    return np.sum(np.maximum(_violations(x, labels, hinge), 0)) / x.shape[0]


def _multiclass_hinge_grad(g: Any, out: Any, x: Any, *, labels: np.ndarray, hinge: Any) -> Any:
    violated = _violations(data(x), labels, hinge) > 0  # a margin of exactly 0 passes no gradient
    scale = g / x.shape[0]
    grad = violated * scale
    # the true class's score enters every violated margin of its row with a minus sign
    grad[np.arange(x.shape[0]), labels] = -np.sum(violated, axis=1) * scale
    return grad


MulticlassHinge = primitive("MulticlassHinge", _multiclass_hinge, _multiclass_hinge_grad)


def multiclass_hinge(
    x: ArrayLike, y_true: ArrayLike, hinge: float = 1.0, *, constant: bool | None = None
) -> Tensor:
    """The mean multiclass hinge loss of class scores.

    For each sample ``i`` with true class ``y_i``, every other class ``j`` adds
    ``max(0, x[i, j] - x[i, y_i] + hinge)``; the result is the sum over ``i`` and ``j``, divided by ``N``.

    Parameters
    ----------
    x : array_like, shape (N, C)
        The class scores of ``N`` samples over ``C`` classes.
    y_true : array_like of ints, shape (N,)
        The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated).
    hinge : Real, optional (default 1.0)
        The margin by which the true class's score must exceed every other score to cost nothing.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor, shape ()
        The mean loss over the samples.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, or ``y_true`` is not of shape ``(N,)``.
    TypeError
        If ``y_true`` does not hold integers, or ``hinge`` is not a real number.

    Notes
    -----
    A term that is exactly 0 at its kink contributes no gradient.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import multiclass_hinge
    >>> x = mg.tensor([[3.0, 2.5, 0.0], [1.0, 2.0, 3.0]])
    >>> loss = multiclass_hinge(x, [0, 2])
    >>> loss
    Tensor(0.25)
    >>> loss.backward()
    >>> x.grad
    array([[-0.5,  0.5,  0. ],
           [ 0. ,  0. ,  0. ]])
    """
    labels = check_scores_and_labels(x, y_true, "x", "y_true")
    hinge = real_scalar(hinge, "hinge")
    return mg.execute_op(MulticlassHinge, x, op_kwargs={"labels": labels, "hinge": hinge}, constant=constant)
