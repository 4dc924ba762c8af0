"""The exponential linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float, data, real_scalar
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike, Real

__all__ = ["elu"]


def _elu(x: np.ndarray, *, alpha: Any) -> np.ndarray:
    x = as_float(x)
    # expm1 of the negative part only: exact near 0 and no overflow for large positive x. (Arithmetic rather
    # than np.where, whose unpredictable branches make it several times slower.)
    return np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0))


def _elu_grad(g: Any, out: Any, x: Any, *, alpha: Any) -> Any:
    # for x < 0 the derivative alpha * exp(x) equals out + alpha; at x == 0 it is taken to be 1
    x = data(x)
    return g * ((x >= 0) + (x < 0) * (out + alpha))


ELU = primitive("ELU", _elu, _elu_grad)


def elu(x: ArrayLike, alpha: Real, *, constant: bool | None = None) -> Tensor:
    """Apply the exponential linear unit elementwise: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Parameters
    ----------
    x : array_like
        The input. Integer and boolean inputs give floats, as ``numpy.exp`` would.
    alpha : Real
        The scale of the negative branch. A size-1 array or Tensor is accepted (it is not
        differentiated).
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        Same shape as ``x``.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is an array with more than one element.

    Notes
    -----
    The derivative is 1 for ``x >= 0`` (so 1 at ``x == 0``) and ``alpha * exp(x)`` for ``x < 0``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import elu
    >>> x = mg.tensor([-1.0, 0.0, 2.0])
    >>> y = elu(x, alpha=2.0)
    >>> y
    Tensor([-1.26424112,  0.        ,  2.        ])
    >>> y.backward()
    >>> x.grad
    array([0.73575888, 1.        , 1.        ])
    """
    alpha = real_scalar(alpha, "alpha")
    return mg.execute_op(ELU, x, op_kwargs={"alpha": alpha}, constant=constant)
