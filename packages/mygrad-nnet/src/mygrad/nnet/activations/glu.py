"""The gated linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float, data
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["glu"]


def _halves(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    half = x.shape[axis] // 2
    before = (slice(None),) * axis
    return x[(*before, slice(None, half))], x[(*before, slice(half, None))]


def _logistic(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def _glu(x: np.ndarray, *, axis: int) -> np.ndarray:
    first, second = _halves(as_float(x), axis)
    return first * _logistic(second)


def _glu_grad(g: Any, out: Any, x: Any, *, axis: int) -> Any:
    first, second = _halves(x, axis)
    gate = _logistic(second)  # on Tensors in the recorded pass: the gate's own derivative is kept
    return np.concatenate([g * gate, g * first * gate * (1 - gate)], axis=axis)


GLU = primitive("GLU", _glu, _glu_grad)


def glu(x: ArrayLike, axis: int = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the gated linear unit: split ``x`` in half along ``axis`` into ``a`` and ``b``, return
    ``a * sigmoid(b)``.

    Parameters
    ----------
    x : array_like
        The input; its length along ``axis`` must be even.
    axis : int, optional (default -1)
        The axis along which ``x`` is split.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x`` is one.

    Returns
    -------
    Tensor
        The shape of ``x`` with the length along ``axis`` halved.

    Raises
    ------
    TypeError
        If ``axis`` is not an integer.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds for ``x`` (a subclass of ValueError and IndexError).
    ValueError
        If the length of ``x`` along ``axis`` is odd.

    Notes
    -----
    Dauphin et al., "Language Modeling with Gated Convolutional Networks" (2017).

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import glu
    >>> x = mg.tensor([[1.0, 2.0, 0.0, 100.0]])
    >>> y = glu(x)
    >>> y
    Tensor([[0.5, 2. ]])
    >>> y.backward()
    >>> x.grad
    array([[0.5 , 1.  , 0.25, 0.  ]])
    """
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"`axis` must be an integer, got {axis!r} (type {type(axis).__name__})")
    shape = np.shape(data(x))
    axis = normalize_axis_index(int(axis), len(shape))
    if shape[axis] % 2:
        raise ValueError(
            f"glu splits `x` in half along axis {axis}, which needs an even length there; "
            f"got an array of shape {shape}"
        )
    return mg.execute_op(GLU, x, op_kwargs={"axis": axis}, constant=constant)
