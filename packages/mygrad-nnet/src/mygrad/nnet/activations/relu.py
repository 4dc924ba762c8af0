"""The rectified linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["relu"]


def _relu(x: np.ndarray) -> np.ndarray:
    # maximum against a zero of x's own dtype: the dtype is kept (bool, int, float) and NaN propagates
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def _relu_grad(g: Any, out: Any, x: Any) -> Any:
    # the kink at 0 passes no gradient; a mask of g's dtype: multiplying by a boolean array casts it chunk by
    # chunk, which is slower than casting it at once
    return g * (data(x) > 0).astype(g.dtype)


ReLU = primitive("ReLU", _relu, _relu_grad)


def relu(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the rectified linear unit elementwise: ``max(x, 0)``.

    Parameters
    ----------
    x : array_like
        The input.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        ``x`` where it is positive, 0 elsewhere; same shape and dtype as ``x``.

    Notes
    -----
    The derivative is 1 where ``x > 0`` and 0 elsewhere, including at ``x == 0``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import relu
    >>> x = mg.tensor([-2.0, 0.0, 3.0])
    >>> y = relu(x)
    >>> y
    Tensor([0., 0., 3.])
    >>> y.backward()
    >>> x.grad
    array([0., 0., 1.])
    """
    return mg.execute_op(ReLU, x, constant=constant)
