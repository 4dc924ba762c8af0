"""The cross-entropy of the softmax of class scores, fused and numerically stable."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float
from mygrad.nnet.losses._utils import check_scores_and_labels, row_logsumexp
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["softmax_crossentropy"]


def _softmax_crossentropy(x: np.ndarray, *, labels: np.ndarray) -> np.ndarray:
    x = as_float(x)
    # -log softmax(x)[i, y_i] = logsumexp(x[i]) - x[i, y_i]
    return np.mean(row_logsumexp(x)[:, 0] - x[np.arange(x.shape[0]), labels])


def _softmax_crossentropy_grad(g: Any, out: Any, x: Any, *, labels: np.ndarray) -> Any:
    # (softmax(x) - onehot(labels)) / N, built in place in the fresh softmax array
    grad = np.exp(x - row_logsumexp(x))
    grad[np.arange(x.shape[0]), labels] -= 1
    grad *= g / x.shape[0]
    return grad


SoftmaxCrossEntropy = primitive("SoftmaxCrossEntropy", _softmax_crossentropy, _softmax_crossentropy_grad)


def softmax_crossentropy(x: ArrayLike, y_true: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """The mean cross-entropy between the softmax of class scores and the true labels.

    ``-mean(log(softmax(x, axis=1))[range(N), y_true])``, computed in one fused, stable step.

    Parameters
    ----------
    x : array_like, shape (N, C)
        The class scores (logits) of ``N`` samples over ``C`` classes.
    y_true : array_like of ints, shape (N,)
        The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated).
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
        If ``y_true`` does not hold integers.
    IndexError
        If a label is out of range.

    Notes
    -----
    The log-softmax is computed as ``x - logsumexp(x)`` with the row maximum subtracted first, so huge
    scores neither overflow nor produce ``log(0)``. The gradient is ``(softmax(x) - onehot(y_true)) / N``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import softmax_crossentropy
    >>> x = mg.tensor([[2.0, 2.0], [0.0, 1000.0]])
    >>> loss = softmax_crossentropy(x, [0, 1])
    >>> loss
    Tensor(0.34657359)
    >>> loss.backward()
    >>> x.grad
    array([[-0.25,  0.25],
           [ 0.  ,  0.  ]])
    """
    labels = check_scores_and_labels(x, y_true, "x", "y_true")
    return mg.execute_op(SoftmaxCrossEntropy, x, op_kwargs={"labels": labels}, constant=constant)
