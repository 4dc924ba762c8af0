"""N-d max and average pooling over the trailing axes, on sliding-window views."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.nnet._utils import ValueAssertionError
from mygrad.nnet.layers.conv import grid_shape, per_axis
from mygrad.operation_base import primitive

__all__ = ["avg_pool", "max_pool"]


def _offsets(pool: tuple, grid: tuple, stride: tuple, ndim: int) -> Any:
    """For each offset within the window (row-major), the strided slice of ``x`` that offset reads from every
    window: one whole-array operation per offset, never a loop over windows."""
    lead = (slice(None),) * (ndim - len(pool))
    for offset in itertools.product(*(range(p) for p in pool)):
        yield (*lead, *(slice(o, o + (n - 1) * s + 1, s) for o, n, s in zip(offset, grid, stride)))


def _grid(x: np.ndarray | mg.Tensor, pool: tuple, stride: tuple) -> tuple:
    return grid_shape(x.shape[-len(pool) :], pool, stride, (1,) * len(pool))


def _max_forward(x: np.ndarray, *, pool: tuple, stride: tuple) -> np.ndarray:
    slices = _offsets(pool, _grid(x, pool, stride), stride, x.ndim)
    out = x[next(slices)].copy()
    for region in slices:
        np.maximum(out, x[region], out=out)
    return out


def _max_grad(g: Any, out: Any, x: Any, *, pool: tuple, stride: tuple) -> Any:
    # each window's gradient goes to its first maximum in row-major order; overlapping windows add up
    grad = np.zeros(x.shape, dtype=np.result_type(g, x))
    taken = np.zeros(out.shape, dtype=bool)
    hit = np.empty(out.shape, dtype=bool)
    disjoint = all(s >= p for s, p in zip(stride, pool))  # each element in one window at most: write, not add
    for region in _offsets(pool, _grid(x, pool, stride), stride, x.ndim):
        np.equal(x[region], out, out=hit)
        np.greater(hit, taken, out=hit)  # a maximum not already claimed by an earlier offset
        taken |= hit
        if disjoint:
            np.multiply(g, hit, out=grad[region])
        else:
            grad[region] += g * hit
    return grad


def _avg_forward(x: np.ndarray, *, pool: tuple, stride: tuple) -> np.ndarray:
    slices = _offsets(pool, _grid(x, pool, stride), stride, x.ndim)
    total = x[next(slices)].astype(np.result_type(x, np.float16 if x.dtype.kind == "f" else np.float64))
    for region in slices:
        total += x[region]
    return total / math.prod(pool)


def _avg_grad(g: Any, out: Any, x: Any, *, pool: tuple, stride: tuple) -> Any:
    share = g / math.prod(pool)
    grad = np.zeros(x.shape, dtype=share.dtype)
    for region in _offsets(pool, _grid(x, pool, stride), stride, x.ndim):
        grad[region] += share
    return grad


def _windows(x: mg.Tensor, pool: tuple, stride: tuple) -> mg.Tensor:
    """Every window of ``x`` as a Tensor: ``x``'s leading axes, the grid, then the window's elements (row-major)
    along the last axis; built from one strided slice per offset, so it is differentiable."""
    regions = _offsets(pool, _grid(x, pool, stride), stride, x.ndim)
    return mg.stack([x[region] for region in regions], axis=-1)


def _max_composite(x: mg.Tensor, *, pool: tuple, stride: tuple) -> mg.Tensor:
    """Max pooling from differentiable mygrad operations (for higher-order derivatives): each window's first
    maximum in row-major order is picked, as ``_max_grad`` routes the gradient; a window holding NaN
    passes none. (The picks are constant: the second derivative of a maximum is 0 away from ties.)"""
    windows = _windows(x, pool, stride)
    first = np.argmax(windows.data, axis=-1)[..., np.newaxis]  # NaN counts as the maximum, as in the forward
    picked = mg.take_along_axis(windows, first, axis=-1)[..., 0]
    return mg.where(np.isnan(picked.data), np.nan, picked)


def _avg_composite(x: mg.Tensor, *, pool: tuple, stride: tuple) -> mg.Tensor:
    """Average pooling from differentiable mygrad operations (for higher-order derivatives)."""
    return mg.sum(_windows(x, pool, stride), axis=-1) / math.prod(pool)


# the rules work on arrays (in-place writes through strided slices); higher-order derivatives go through the
# composites
MaxPool = primitive("MaxPool", _max_forward, _max_grad, composite=_max_composite)
AvgPool = primitive("AvgPool", _avg_forward, _avg_grad, composite=_avg_composite)
MaxPoolND = MaxPool  # its name in MyGrad 2, whose users compare `creator` against it


def _pool(op: Any, x: Any, pool: Any, stride: Any, constant: bool | None) -> mg.Tensor:
    # (also AssertionErrors, as per_axis's: MyGrad 2 asserted these)
    if np.ndim(pool) != 1 or len(pool) == 0:
        raise ValueAssertionError(f"`pool` must be a non-empty sequence of window sizes, got {pool!r}")
    shape = np.shape(mg.asarray(x))
    k = len(pool)
    if k > len(shape):
        raise ValueAssertionError(f"a {k}-d pool does not fit an input of shape {shape}")
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

    Raises
    ------
    ValueError
        If the windows do not tile ``x`` exactly. Also if ``pool`` is not a non-empty sequence or has more
        entries than ``x`` has axes, or ``pool`` or ``stride`` has the wrong length or a value below 1:
        that error is also an AssertionError, for code written against MyGrad 2.
    TypeError
        If ``pool`` or ``stride`` holds something other than integers (also an AssertionError, for code
        written against MyGrad 2).

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
    "overlap, the gradients an element receives add up. A window holding NaN has a NaN maximum and passes no "
    "gradient.",
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
