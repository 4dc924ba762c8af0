"""The logistic sigmoid."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["sigmoid"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    x = as_float(x)
    # exp(-x) overflows to inf for very negative x, and 1 / (1 + inf) is the correct limit 0
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def _sigmoid_grad(g: Any, out: Any, x: Any) -> Any:
    return g * out * (1 - out)


Sigmoid = primitive("Sigmoid", _sigmoid, _sigmoid_grad)


def sigmoid(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the logistic sigmoid elementwise: ``1 / (1 + exp(-x))``.

    Parameters
    ----------
    x : array_like
        The input. Integer and boolean inputs give floats, as ``numpy.exp`` would.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        Values in ``[0, 1]``; same shape as ``x``.

    Notes
    -----
    Large inputs of either sign are handled without overflow. The derivative is ``s * (1 - s)``, where
    ``s`` is the output.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import sigmoid
    >>> x = mg.tensor([-1000.0, 0.0, 1000.0])
    >>> y = sigmoid(x)
    >>> y
    Tensor([0. , 0.5, 1. ])
    >>> y.backward()
    >>> x.grad
    array([0.  , 0.25, 0.  ])
    """
    return mg.execute_op(Sigmoid, x, constant=constant)
