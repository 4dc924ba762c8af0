"""N-d convolution (cross-correlation) over sliding-window views, with BLAS contractions both ways."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.nnet._utils import TypeAssertionError, ValueAssertionError
from mygrad.operation_base import primitive

__all__ = ["conv_nd"]


def per_axis(value: Any, n: int, name: str, minimum: int) -> tuple[int, ...]:
    """An int or a sequence of ``n`` ints, each at least ``minimum``, as a tuple. (The errors are also
    AssertionErrors: MyGrad 2 asserted these.)"""
    values = (value,) * n if np.ndim(value) == 0 else tuple(value)
    if len(values) != n:
        raise ValueAssertionError(f"`{name}` must be an int or a sequence of {n} ints, got {value!r}")
    if not all(isinstance(v, (int, np.integer)) for v in values):  # a float is never truncated, as in NumPy
        raise TypeAssertionError(f"`{name}` must be an int or a sequence of {n} ints, got {value!r}")
    if any(v < minimum for v in values):
        raise ValueAssertionError(f"`{name}` must hold values >= {minimum}, got {value!r}")
    return tuple(int(v) for v in values)


def grid_shape(spatial: tuple, window: tuple, stride: tuple, dilation: tuple) -> tuple[int, ...]:
    """The number of window placements along each axis; ValueError unless the windows tile it exactly."""
    grid = []
    for x, w, s, d in zip(spatial, window, stride, dilation):
        span = x - (w - 1) * d - 1
        if span < 0 or span % s:
            raise ValueError(
                "Stride and kernel dimensions are incompatible: an axis of length "
                f"{x} (after padding), a window of {w} with dilation {d} and stride {s} do not tile it exactly"
            )
        grid.append(span // s + 1)
    return tuple(grid)


def _padded(x: np.ndarray, padding: tuple) -> np.ndarray:
    if not any(padding):
        return x
    return np.pad(x, [(0, 0), (0, 0), *((p, p) for p in padding)])


def _columns(x: np.ndarray, w_shape: tuple, stride: tuple, padding: tuple, dilation: tuple) -> np.ndarray:
    """im2col: every window's (channel, offset) values as a column, ``(N, C * prod(W), prod(G))``."""
    k = len(stride)
    windows = mg.sliding_window_view(_padded(x, padding), w_shape, stride, dilation)  # (G..., N, C, W...)
    n, c = windows.shape[k : k + 2]
    ordered = np.transpose(windows, (k, k + 1, *range(k + 2, 2 * k + 2), *range(k)))  # (N, C, W..., G...)
    return ordered.reshape(n, c * math.prod(w_shape), math.prod(windows.shape[:k]))


def _forward(x: np.ndarray, w: np.ndarray, *, stride: tuple, padding: tuple, dilation: tuple) -> np.ndarray:
    columns = _columns(x, w.shape[2:], stride, padding, dilation)
    grid = grid_shape(tuple(n + 2 * p for n, p in zip(x.shape[2:], padding)), w.shape[2:], stride, dilation)
    # (F, C * prod(W)) @ (N, C * prod(W), prod(G)) -> (N, F, prod(G)): one batched BLAS product, C-contiguous
    filters = w.reshape(w.shape[0], math.prod(w.shape[1:]))
    return np.matmul(filters, columns).reshape(x.shape[0], w.shape[0], *grid)


def _grad_filters(g: Any, out: Any, x: Any, w: Any, *, stride: tuple, padding: tuple, dilation: tuple) -> Any:
    columns = _columns(x, w.shape[2:], stride, padding, dilation)
    g3 = g.reshape(*g.shape[:2], math.prod(g.shape[2:]))  # (N, F, prod(G))
    return np.matmul(g3, np.swapaxes(columns, -1, -2)).sum(axis=0).reshape(w.shape)


def _grad_input(g: Any, out: Any, x: Any, w: Any, *, stride: tuple, padding: tuple, dilation: tuple) -> Any:
    grid = g.shape[2:]
    n, c = x.shape[:2]
    # each column receives w . g, then adds into the window it was read from
    g3 = g.reshape(n, g.shape[1], math.prod(grid))
    columns = np.matmul(w.reshape(w.shape[0], math.prod(w.shape[1:])).T, g3)  # (N, C * prod(W), prod(G))
    columns = columns.reshape(n, c, *w.shape[2:], *grid)
    padded = np.zeros((n, c, *(m + 2 * p for m, p in zip(x.shape[2:], padding))), dtype=columns.dtype)
    for offset in itertools.product(*(range(m) for m in w.shape[2:])):  # one strided add per window offset
        target = tuple(
            slice(o * d, o * d + (m - 1) * s + 1, s) for o, d, m, s in zip(offset, dilation, grid, stride)
        )
        padded[(slice(None), slice(None), *target)] += columns[(slice(None), slice(None), *offset)]
    return padded[(slice(None), slice(None), *(slice(p, p + m) for p, m in zip(padding, x.shape[2:])))]


def _composite(x: mg.Tensor, w: mg.Tensor, *, stride: tuple, padding: tuple, dilation: tuple) -> mg.Tensor:
    """The convolution from differentiable mygrad operations, for higher-order derivatives (the rules above
    work on arrays only): one strided slice of the padded input per offset within the window, stacked, then
    one matrix product with the filters, as in ``_forward``."""
    if any(padding):
        x = mg.pad(x, [(0, 0), (0, 0), *((p, p) for p in padding)])
    window = w.shape[2:]
    grid = grid_shape(x.shape[2:], window, stride, dilation)
    n, c = x.shape[:2]
    reads = []  # each (N, C, G...); the offsets in row-major order, as the filters' window axes are laid out
    for offset in itertools.product(*(range(m) for m in window)):
        spans = (
            slice(o * d, o * d + (m - 1) * s + 1, s) for o, d, m, s in zip(offset, dilation, grid, stride)
        )
        reads.append(x[(slice(None), slice(None), *spans)])
    columns = mg.stack(reads, axis=2).reshape(n, c * math.prod(window), math.prod(grid))
    filters = w.reshape(w.shape[0], c * math.prod(window))
    return mg.matmul(filters, columns).reshape(n, w.shape[0], *grid)


# the rules work on arrays (sliding-window views, in-place adds); higher-order derivatives go through `_composite`
ConvND = primitive("ConvND", _forward, _grad_input, _grad_filters, composite=_composite)


def conv_nd(
    x: Any,
    filter_bank: Any,
    *,
    stride: Any,
    padding: Any = 0,
    dilation: Any = 1,
    constant: bool | None = None,
) -> mg.Tensor:
    """Convolve (cross-correlate) a batch of N-d signals with a bank of filters.

    Parameters
    ----------
    x : array_like, shape-(N, C, X0, ..., Xk)
        N signals of C channels over k >= 1 spatial axes.
    filter_bank : array_like, shape-(F, C, W0, ..., Wk)
        F filters; they are not flipped (cross-correlation, as in deep-learning libraries).
    stride : int or sequence of int
        The step between window placements (>= 1), for each spatial axis or all of them.
    padding : int or sequence of int, default 0
        Zeros added on both sides of each spatial axis.
    dilation : int or sequence of int, default 1
        The spacing of the elements a filter samples.
    constant : bool, optional

    Returns
    -------
    Tensor, shape-(N, F, G0, ..., Gk)
        ``G = (X + 2p - (W - 1)d - 1) / s + 1``, which must be a whole number (no placement is dropped).

    Raises
    ------
    ValueError
        On mismatched dimensions or channels, or a stride that does not tile the padded input exactly.
        Also if ``stride``, ``padding`` or ``dilation`` has the wrong length or a value below its minimum
        (1, 0, 1): that error is also an AssertionError, for code written against MyGrad 2.
    TypeError
        If ``stride``, ``padding`` or ``dilation`` holds something other than integers (also an
        AssertionError, for code written against MyGrad 2).

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.nnet import conv_nd
    >>> x = mg.tensor(np.arange(5.0).reshape(1, 1, 5))
    >>> w = mg.tensor([[[1.0, 0.0, -1.0]]])
    >>> y = conv_nd(x, w, stride=1)
    >>> y
    Tensor([[[-2., -2., -2.]]])
    >>> y.sum().backward()
    >>> w.grad
    array([[[3., 6., 9.]]])
    """
    x_shape, w_shape = np.shape(mg.asarray(x)), np.shape(mg.asarray(filter_bank))
    if len(x_shape) != len(w_shape) or len(x_shape) < 3:
        raise ValueError(
            f"conv_nd needs x of shape (N, C, X0, ...) and filters of shape (F, C, W0, ...) with the same number "
            f"of (at least 3) dimensions; got x {x_shape} and filters {w_shape}"
        )
    if x_shape[1] != w_shape[1]:
        raise ValueError(
            f"x has {x_shape[1]} channels but the filters expect {w_shape[1]} (shapes {x_shape}, {w_shape})"
        )
    k = len(x_shape) - 2
    options = {
        "stride": per_axis(stride, k, "stride", 1),
        "padding": per_axis(padding, k, "padding", 0),
        "dilation": per_axis(dilation, k, "dilation", 1),
    }
    padded = tuple(n + 2 * p for n, p in zip(x_shape[2:], options["padding"]))
    grid_shape(padded, w_shape[2:], options["stride"], options["dilation"])
    return mg.execute_op(ConvND, x, filter_bank, op_kwargs=options, constant=constant)
