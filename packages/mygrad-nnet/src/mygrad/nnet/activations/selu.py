"""The scaled exponential linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float, data
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["selu"]

# the fixed point constants of Klambauer et al. (2017), "Self-Normalizing Neural Networks"
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946
_SCALED_ALPHA = _SCALE * _ALPHA


def _selu(x: np.ndarray) -> np.ndarray:
    x = as_float(x)
    return _SCALE * np.maximum(x, 0) + _SCALED_ALPHA * np.expm1(np.minimum(x, 0))


def _selu_grad(g: Any, out: Any, x: Any) -> Any:
    # for x < 0 the derivative scale * alpha * exp(x) equals out + scale * alpha; at 0 it is `scale`
    x = data(x)
    return g * (_SCALE * (x >= 0) + (x < 0) * (out + _SCALED_ALPHA))


SELU = primitive("SELU", _selu, _selu_grad)


def selu(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the scaled exponential linear unit elementwise.

    ``selu(x) = scale * x`` for ``x > 0`` and ``scale * alpha * (exp(x) - 1)`` otherwise, with
    ``alpha = 1.6732632423543772...`` and ``scale = 1.0507009873554804...``.

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
        Same shape as ``x``.

    Notes
    -----
    The constants are those of Klambauer et al., "Self-Normalizing Neural Networks" (2017). The
    derivative at ``x == 0`` is taken from the right: ``scale``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import selu
    >>> x = mg.tensor([-1.0, 0.0, 1.0])
    >>> y = selu(x)
    >>> y
    Tensor([-1.11133074,  0.        ,  1.05070099])
    >>> y.backward()
    >>> x.grad
    array([0.6467686 , 1.05070099, 1.05070099])
    """
    return mg.execute_op(SELU, x, constant=constant)
