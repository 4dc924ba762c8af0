"""The hard hyperbolic tangent: clipping to an interval."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data, real_scalar
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike, Real

__all__ = ["hard_tanh"]


def _hard_tanh(x: np.ndarray, *, lower_bound: Any, upper_bound: Any) -> np.ndarray:
    return np.minimum(np.maximum(x, lower_bound), upper_bound)


def _hard_tanh_grad(g: Any, out: Any, x: Any, *, lower_bound: Any, upper_bound: Any) -> Any:
    x = data(x)
    # as for minimum(maximum(x, lower), upper): no gradient at the bounds themselves
    return g * ((x > lower_bound) & (x < upper_bound))


HardTanh = primitive("HardTanh", _hard_tanh, _hard_tanh_grad)


def hard_tanh(
    x: ArrayLike, *, lower_bound: Real = -1, upper_bound: Real = 1, constant: bool | None = None
) -> Tensor:
    """Clip ``x`` elementwise to ``[lower_bound, upper_bound]``.

    Parameters
    ----------
    x : array_like
        The input.
    lower_bound, upper_bound : Real, optional (default -1, 1)
        The bounds. Size-1 arrays or Tensors are accepted (they are not differentiated).
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        ``minimum(maximum(x, lower_bound), upper_bound)``; same shape as ``x``.

    Raises
    ------
    TypeError
        If a bound is not a real number.
    ValueError
        If a bound is an array with more than one element.

    Notes
    -----
    The derivative is 1 strictly inside the interval and 0 elsewhere, including at the bounds.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import hard_tanh
    >>> x = mg.tensor([-3.0, -1.0, 0.5, 2.0])
    >>> y = hard_tanh(x)
    >>> y
    Tensor([-1. , -1. ,  0.5,  1. ])
    >>> y.backward()
    >>> x.grad
    array([0., 0., 1., 0.])
    >>> hard_tanh(x, lower_bound=0, upper_bound=2)
    Tensor([0. , 0. , 0.5, 2. ])
    """
    bounds = {
        "lower_bound": real_scalar(lower_bound, "lower_bound"),
        "upper_bound": real_scalar(upper_bound, "upper_bound"),
    }
    return mg.execute_op(HardTanh, x, op_kwargs=bounds, constant=constant)
