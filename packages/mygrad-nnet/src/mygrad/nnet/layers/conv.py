"""N-d convolution (cross-correlation) over sliding-window views, with BLAS contractions both ways."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.operation_base import primitive

__all__ = ["conv_nd"]


def per_axis(value: Any, n: int, name: str, minimum: int) -> tuple[int, ...]:
    """An int or a sequence of ``n`` ints, each at least ``minimum``, as a tuple."""
    values = (value,) * n if np.ndim(value) == 0 else tuple(value)
    if len(values) != n or not all(isinstance(v, (int, np.integer)) for v in values):
        raise ValueError(f"`{name}` must be an int or a sequence of {n} ints, got {value!r}")
    if any(v < minimum for v in values):
        raise ValueError(f"`{name}` must hold values >= {minimum}, got {value!r}")
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


def _windows(x: np.ndarray, w_shape: tuple, stride: tuple, padding: tuple, dilation: tuple) -> np.ndarray:
    # (G..., N, C, W...)
    return mg.sliding_window_view(_padded(x, padding), w_shape, stride, dilation)


def _forward(x: np.ndarray, w: np.ndarray, *, stride: tuple, padding: tuple, dilation: tuple) -> np.ndarray:
    k = len(stride)
    windows = _windows(x, w.shape[2:], stride, padding, dilation)
    # contract the channel and window axes: (G..., N, C, W...) . (F, C, W...) -> (G..., N, F)
    out = np.tensordot(windows, w, axes=(list(range(k + 1, 2 * k + 2)), list(range(1, k + 2))))
    return np.ascontiguousarray(np.moveaxis(out, (k, k + 1), (0, 1)))


def _grad_filters(g: Any, out: Any, x: Any, w: Any, *, stride: tuple, padding: tuple, dilation: tuple) -> Any:
    k = len(stride)
    windows = _windows(x, w.shape[2:], stride, padding, dilation)
    # (N, F, G...) . (G..., N, C, W...) over N and G -> (F, C, W...)
    return np.tensordot(g, windows, axes=([0, *range(2, k + 2)], [k, *range(k)]))


def _grad_input(g: Any, out: Any, x: Any, w: Any, *, stride: tuple, padding: tuple, dilation: tuple) -> Any:
    k = len(stride)
    grid = g.shape[2:]
    # each output position spreads g . w over the window it read: (N, F, G...) . (F, C, W...) -> (N, G..., C, W...)
    spread = np.tensordot(g, w, axes=([1], [0]))
    spread = np.moveaxis(spread, k + 1, 1)  # (N, C, G..., W...)
    padded = np.zeros((*x.shape[:2], *(n + 2 * p for n, p in zip(x.shape[2:], padding))), dtype=spread.dtype)
    # one strided add per offset within the window (not per position)
    for offset in itertools.product(*(range(n) for n in w.shape[2:])):
        target = tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s) for o, d, n, s in zip(offset, dilation, grid, stride)
        )
        padded[(slice(None), slice(None), *target)] += spread[(Ellipsis, *offset)]
    return padded[(slice(None), slice(None), *(slice(p, p + n) for p, n in zip(padding, x.shape[2:])))]


ConvND = primitive("ConvND", _forward, _grad_input, _grad_filters)


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
