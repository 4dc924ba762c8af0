"""Softmax and log-softmax over any axes, computed without overflow."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["logsoftmax", "softmax"]

Axis = None | int | tuple[int, ...]


def _shifted(x: np.ndarray, axis: Axis) -> np.ndarray:
    """``x`` minus its maximum over ``axis``: every exponent is <= 0, so ``exp`` cannot overflow."""
    shift = np.max(x, axis=axis, keepdims=True, initial=-np.inf)  # `initial`: empty axes are fine
    # lanes whose maximum is not finite (all -inf, say) are left unshifted: NumPy's own arithmetic decides
    return x - np.where(np.isfinite(shift), shift, 0)


def _softmax(x: np.ndarray, *, axis: Axis) -> np.ndarray:
    e = np.exp(_shifted(as_float(x), axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_grad(g: Any, out: Any, x: Any, *, axis: Axis) -> Any:
    return out * (g - np.sum(g * out, axis=axis, keepdims=True))


def _logsoftmax(x: np.ndarray, *, axis: Axis) -> np.ndarray:
    z = _shifted(as_float(x), axis)
    with np.errstate(divide="ignore"):  # a lane of only -inf has log(0) = -inf, as NumPy says
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _logsoftmax_grad(g: Any, out: Any, x: Any, *, axis: Axis) -> Any:
    return g - np.exp(out) * np.sum(g, axis=axis, keepdims=True)


Softmax = primitive("Softmax", _softmax, _softmax_grad)
LogSoftmax = primitive("LogSoftmax", _logsoftmax, _logsoftmax_grad)


def softmax(x: ArrayLike, axis: Axis = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the softmax over ``axis``: ``exp(x) / sum(exp(x), axis)``.

    Parameters
    ----------
    x : array_like
        The input. Integer and boolean inputs give floats, as ``numpy.exp`` would.
    axis : None or int or tuple of ints, optional (default -1)
        The axis or axes that are normalized together; None means all of them.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        Non-negative values that sum to 1 over ``axis``; same shape as ``x``.

    Notes
    -----
    The maximum over ``axis`` is subtracted before exponentiating, so large inputs do not overflow.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import softmax
    >>> x = mg.tensor([[1000.0, 1000.0], [0.0, 0.0]])
    >>> softmax(x)
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    >>> softmax(x, axis=None)
    Tensor([[0.5, 0.5],
            [0. , 0. ]])
    >>> z = mg.tensor([0.0, 0.0])
    >>> y = softmax(z)
    >>> (y * mg.tensor([1.0, 3.0])).sum().backward()
    >>> z.grad
    array([-0.5,  0.5])
    """
    return mg.execute_op(Softmax, x, op_kwargs={"axis": axis}, constant=constant)


def logsoftmax(x: ArrayLike, axis: Axis = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the log-softmax over ``axis``: ``x - log(sum(exp(x), axis))``.

    Parameters
    ----------
    x : array_like
        The input. Integer and boolean inputs give floats, as ``numpy.exp`` would.
    axis : None or int or tuple of ints, optional (default -1)
        The axis or axes that are normalized together; None means all of them.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        ``log(softmax(x, axis))``; same shape as ``x``.

    Notes
    -----
    Computed from ``x`` minus its maximum over ``axis``: no overflow for large inputs, and no
    ``log(0)`` where the softmax underflows.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import logsoftmax
    >>> x = mg.tensor([1000.0, 0.0, -1000.0])
    >>> y = logsoftmax(x)
    >>> y
    Tensor([    0., -1000., -2000.])
    >>> y.backward()
    >>> x.grad
    array([-2.,  1.,  1.])
    """
    return mg.execute_op(LogSoftmax, x, op_kwargs={"axis": axis}, constant=constant)
