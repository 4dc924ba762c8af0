"""The leaky rectified linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data, real_scalar
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["leaky_relu"]


def _leaky_relu(x: np.ndarray, *, slope: Any) -> np.ndarray:
    # arithmetic rather than np.where, whose unpredictable branches make it several times slower
    return np.maximum(x, 0) + slope * np.minimum(x, 0)


def _leaky_relu_grad(g: Any, out: Any, x: Any, *, slope: Any) -> Any:
    x = data(x)
    # as for maximum(x, 0) + slope * minimum(x, 0): a tie at 0 passes no gradient to either branch
    return g * ((x > 0) + slope * (x < 0))


LeakyReLU = primitive("LeakyReLU", _leaky_relu, _leaky_relu_grad)


def leaky_relu(x: ArrayLike, slope: float, *, constant: bool | None = None) -> Tensor:
    """Apply the leaky rectified linear unit elementwise: ``x`` if ``x > 0`` else ``slope * x``.

    Parameters
    ----------
    x : array_like
        The input.
    slope : Real
        The slope for negative inputs. A size-1 array or Tensor is accepted (it is not differentiated).
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
        If ``slope`` is not a real number.
    ValueError
        If ``slope`` is an array with more than one element.

    Notes
    -----
    This is ``maximum(x, 0) + slope * minimum(x, 0)``, computed in one step. As for those functions, the
    derivative at ``x == 0`` is 0.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import leaky_relu
    >>> x = mg.tensor([-2.0, 0.0, 3.0])
    >>> y = leaky_relu(x, 0.1)
    >>> y
    Tensor([-0.2,  0. ,  3. ])
    >>> y.backward()
    >>> x.grad
    array([0.1, 0. , 1. ])
    """
    slope = real_scalar(slope, "slope")
    return mg.execute_op(LeakyReLU, x, op_kwargs={"slope": slope}, constant=constant)
