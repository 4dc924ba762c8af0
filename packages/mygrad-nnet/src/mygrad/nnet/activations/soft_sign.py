"""The soft-sign function."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["soft_sign"]


def _soft_sign(x: np.ndarray) -> np.ndarray:
    x = as_float(x)
    return x / (1 + np.abs(x))


def _soft_sign_grad(g: Any, out: Any, x: Any) -> Any:
    return g / (1 + np.abs(x)) ** 2


SoftSign = primitive("SoftSign", _soft_sign, _soft_sign_grad)


def soft_sign(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the soft-sign function elementwise: ``x / (1 + |x|)``.

    Parameters
    ----------
    x : array_like
        The input. Integer and boolean inputs give floats.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        Values in ``(-1, 1)``; same shape as ``x``.

    Notes
    -----
    The derivative is ``1 / (1 + |x|)**2``, smooth at 0.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import soft_sign
    >>> x = mg.tensor([-3.0, 0.0, 1.0])
    >>> y = soft_sign(x)
    >>> y
    Tensor([-0.75,  0.  ,  0.5 ])
    >>> y.backward()
    >>> x.grad
    array([0.0625, 1.    , 0.25  ])
    """
    return mg.execute_op(SoftSign, x, constant=constant)
