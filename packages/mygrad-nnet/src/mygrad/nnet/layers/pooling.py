"""N-d max and average pooling over the trailing axes, on sliding-window views."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.nnet.layers.conv import grid_shape, per_axis
from mygrad.operation_base import primitive

__all__ = ["avg_pool", "max_pool"]


def _window_axes(ndim: int, k: int) -> tuple[int, ...]:
    return tuple(range(ndim - k, ndim))


def _max_forward(x: np.ndarray, *, pool: tuple, stride: tuple) -> np.ndarray:
    k = len(pool)
    windows = mg.sliding_window_view(x, pool, stride)  # (G..., lead..., P...)
    return np.moveaxis(windows.max(axis=_window_axes(windows.ndim, k)), range(k), range(-k, 0))


def _max_grad(g: Any, out: Any, x: Any, *, pool: tuple, stride: tuple) -> Any:
    # each window's gradient goes to its first maximum; overlapping windows add up (bincount)
    k = len(pool)
    windows = mg.sliding_window_view(x, pool, stride)
    grid, lead = windows.shape[:k], windows.shape[k:-k]
    flat = windows.reshape(*grid, *lead, -1)
    within = np.unravel_index(np.argmax(flat, axis=-1), pool)  # offsets inside each window
    positions = np.indices((*grid, *lead), sparse=True)
    coords = [*positions[k:], *(positions[i] * stride[i] + within[i] for i in range(k))]
    flat_index = np.ravel_multi_index(coords, x.shape)
    g_moved = np.moveaxis(g, range(-k, 0), range(k))  # laid out like the windows' grid
    grad = np.bincount(flat_index.ravel(), weights=g_moved.ravel(), minlength=x.size)
    return grad.reshape(x.shape).astype(x.dtype, copy=False)


def _avg_forward(x: np.ndarray, *, pool: tuple, stride: tuple) -> np.ndarray:
    k = len(pool)
    windows = mg.sliding_window_view(x, pool, stride)
    return np.moveaxis(windows.mean(axis=_window_axes(windows.ndim, k)), range(k), range(-k, 0))


def _avg_grad(g: Any, out: Any, x: Any, *, pool: tuple, stride: tuple) -> Any:
    k = len(pool)
    share = g / math.prod(pool)
    grid = g.shape[-k:]
    grad = np.zeros(x.shape, dtype=share.dtype)
    lead = (slice(None),) * (x.ndim - k)
    for offset in itertools.product(*(range(p) for p in pool)):  # one strided add per offset in the window
        grad[(*lead, *(slice(o, o + (n - 1) * s + 1, s) for o, n, s in zip(offset, grid, stride)))] += share
    return grad


MaxPool = primitive("MaxPool", _max_forward, _max_grad)
AvgPool = primitive("AvgPool", _avg_forward, _avg_grad)


def _pool(op: Any, x: Any, pool: Any, stride: Any, constant: bool | None) -> mg.Tensor:
    if np.ndim(pool) != 1 or len(pool) == 0:
        raise ValueError(f"`pool` must be a non-empty sequence of window sizes, got {pool!r}")
    shape = np.shape(mg.asarray(x))
    k = len(pool)
    if k > len(shape):
        raise ValueError(f"a {k}-d pool does not fit an input of shape {shape}")
    pool = per_axis(pool, k, "pool", 1)
    stride = per_axis(stride, k, "stride", 1)
    grid_shape(shape[-k:], pool, stride, (1,) * k)
    return mg.execute_op(op, x, op_kwargs={"pool": pool, "stride": stride}, constant=constant)


def _pool_doc(what: str, gradient: str, example: str) -> str:
    return f"""{what} over the trailing ``len(pool)`` axes of ``x`` (any leading axes are kept).

    Parameters
    ----------
    x : array_like
    pool : sequence of int
        The window's size along each pooled (trailing) axis.
    stride : int or sequence of int
        The step between windows; windows may overlap. The windows must tile each pooled axis exactly:
        ``(X - P) / S + 1`` must be a whole number.
    constant : bool, optional

    Returns
    -------
    Tensor
        ``x``'s leading axes, then one axis per pooled axis with ``(X - P) / S + 1`` entries.

    Notes
    -----
    {gradient}

    Examples
    --------
    {example}
    """


def max_pool(x: Any, pool: Any, stride: Any, *, constant: bool | None = None) -> mg.Tensor:
    return _pool(MaxPool, x, pool, stride, constant)


def avg_pool(x: Any, pool: Any, stride: Any, *, constant: bool | None = None) -> mg.Tensor:
    return _pool(AvgPool, x, pool, stride, constant)


max_pool.__doc__ = _pool_doc(
    "The maximum of each window",
    "Each window's gradient goes to its first maximum (ties: the first in row-major order); where windows "
    "overlap, the gradients an element receives add up.",
    """>>> import mygrad as mg
    >>> from mygrad.nnet import max_pool
    >>> x = mg.tensor([[1.0, 5.0, 2.0, 2.0]])
    >>> y = max_pool(x, pool=(2,), stride=2)
    >>> y
    Tensor([[5., 2.]])
    >>> y.sum().backward()
    >>> x.grad
    array([[0., 1., 1., 0.]])""",
)
avg_pool.__doc__ = _pool_doc(
    "The mean of each window",
    "Each window spreads its gradient evenly over its elements; overlapping windows add up.",
    """>>> import mygrad as mg
    >>> from mygrad.nnet import avg_pool
    >>> avg_pool(mg.tensor([[1.0, 3.0, 2.0, 6.0]]), pool=(2,), stride=2)
    Tensor([[2., 4.]])""",
)
