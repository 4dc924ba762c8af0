"""``sliding_window_view``: N-d windows over an array, as a read-only strided view (no copy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["sliding_window_view"]


def _per_axis(value: Any, n: int, name: str, minimum: int) -> tuple[int, ...]:
    values = (value,) * n if np.ndim(value) == 0 else tuple(value)
    if len(values) != n:
        raise ValueError(f"`{name}` must be an int or have one entry per window axis ({n}), got {value!r}")
    for v in values:
        if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)):
            raise TypeError(f"`{name}` must hold integers, got {value!r}")
        if v < minimum:
            raise ValueError(f"`{name}` must hold integers >= {minimum}, got {value!r}")
    return tuple(int(v) for v in values)


def sliding_window_view(
    arr: np.ndarray, window_shape: Sequence[int], step: int | Sequence[int], dilation: Any = None
) -> np.ndarray:
    """A read-only view of all the windows of ``window_shape`` over the trailing axes of ``arr``.

    The windows are placed every ``step`` elements along each of the last ``len(window_shape)`` axes (only
    where they fit entirely), and sample every ``dilation``-th element. The result's axes are the grid of
    window positions first, then ``arr``'s leading (not windowed) axes, then the window's own axes:
    ``out[i0, i1, ..., *lead, :, :] == arr[*lead, i0*s0 : i0*s0 + (w0-1)*d0 + 1 : d0, ...]``. Nothing is
    copied; the number of positions along an axis of length ``x`` is ``(x - (w-1)*d - 1) // s + 1``.

    Parameters
    ----------
    arr : numpy.ndarray
    window_shape : sequence of int
        The window's extent along each of the trailing axes.
    step : int or sequence of int
        The stride between neighbouring windows (>= 1).
    dilation : int or sequence of int, optional
        The spacing of the elements a window samples (>= 1; default 1).

    Returns
    -------
    numpy.ndarray
        A read-only view of shape ``(*grid, *arr.shape[:-len(window_shape)], *window_shape)``.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = np.arange(6)
    >>> mg.sliding_window_view(x, window_shape=(3,), step=2)
    array([[0, 1, 2],
           [2, 3, 4]])
    >>> mg.sliding_window_view(x, window_shape=(2,), step=1, dilation=3)
    array([[0, 3],
           [1, 4],
           [2, 5]])
    """
    if not isinstance(arr, np.ndarray):
        raise TypeError(
            f"sliding_window_view takes a NumPy array, got {type(arr).__name__} (for a Tensor, pass `tensor.data`)"
        )
    if np.ndim(window_shape) != 1 or len(window_shape) == 0:
        raise ValueError(f"`window_shape` must be a non-empty sequence of ints, got {window_shape!r}")
    k = len(window_shape)
    if k > arr.ndim:
        raise ValueError(f"a {k}-d window does not fit a {arr.ndim}-d array")
    window = _per_axis(window_shape, k, "window_shape", 1)
    steps = _per_axis(step, k, "step", 1)
    dilations = _per_axis(1 if dilation is None else dilation, k, "dilation", 1)
    lead, spatial = arr.shape[:-k], arr.shape[-k:]
    lead_strides, spatial_strides = arr.strides[:-k], arr.strides[-k:]
    grid = []
    for x, w, s, d in zip(spatial, window, steps, dilations):
        extent = (w - 1) * d + 1
        if extent > x:
            raise ValueError(
                f"a window of {w} elements with dilation {d} spans {extent}, more than the axis length {x}"
            )
        grid.append((x - extent) // s + 1)
    shape = (*grid, *lead, *window)
    strides = (
        *(st * s for st, s in zip(spatial_strides, steps)),
        *lead_strides,
        *(st * d for st, d in zip(spatial_strides, dilations)),
    )
    return as_strided(arr, shape=shape, strides=strides, writeable=False)
