"""Arrays of other libraries: what the engine keeps as they are instead of converting them to NumPy.

A Dask or CuPy array implements NumPy's protocols (NEP 13 and 18), so the NumPy calls that mygrad's rules are
written in run on it in its own library: lazily and chunked for Dask, on the GPU for CuPy. The engine then only
has to keep such an array where it would otherwise call ``np.asarray``, and allocate its own arrays (the seed,
a scattered gradient) in the library of the arrays it works with. Nothing here imports another library.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = [
    "UnsupportedArray",
    "add_at",
    "as_array",
    "check_known_shape",
    "copy_array",
    "flat_positions",
    "gather",
    "is_foreign",
    "library_name",
    "refused_by_library",
]


class UnsupportedArray(NotImplementedError):
    """What mygrad cannot do with another library's array: the message names the operation and the type."""


def is_foreign(x: Any) -> bool:
    """Whether ``x`` is another library's array that speaks NumPy's protocols (kept as it is), not NumPy's.

    A NumPy subclass (a masked array, a matrix) is NumPy's: ``np.asarray`` gives its data, as always. So does a
    Tensor (whose ``.data`` the engine reads itself).
    """
    cls = type(x)
    return (
        cls is not np.ndarray
        and hasattr(cls, "__array_function__")
        and hasattr(cls, "__array_ufunc__")
        and hasattr(x, "shape")
        and hasattr(x, "dtype")
        and not isinstance(x, np.ndarray)
        and not hasattr(x, "_creator")  # a Tensor
    )


def library_name(x: Any) -> str:
    """``x``'s type as its library exports it, for error messages: ``dask.array.Array``, ``cupy.ndarray``."""
    cls = type(x)
    parts = cls.__module__.split(".")
    for n in range(1, len(parts) + 1):  # the shortest module path that holds the type
        module = sys.modules.get(".".join(parts[:n]))
        if module is not None and getattr(module, cls.__name__, None) is cls:
            return f"{module.__name__}.{cls.__name__}"
    return f"{cls.__module__}.{cls.__name__}"


def check_known_shape(data: Any, op: Any) -> None:
    """Refuse a result of unknown shape in a graph (Dask's ``x[mask]``, whose chunks are not known before they
    are computed): backpropagation needs every shape."""
    if not all(isinstance(n, (int, np.integer)) for n in data.shape):
        raise UnsupportedArray(
            f"{type(op).__name__} gave a {library_name(data)} of unknown shape {data.shape} (a boolean mask's "
            "selection, say, whose size the library knows only once computed), which a graph cannot "
            "differentiate through. Keep the shape instead (`np.where(mask, x, 0)`), index with integer "
            "positions computed first (`np.flatnonzero(mask)`), or run the operation under `mygrad.no_autodiff`"
        )


@contextlib.contextmanager
def refused_by_library(array: Any, operation: str) -> Iterator[None]:
    """Turn another library's refusal of what ``operation`` asks of ``array`` (an error raised in that library's
    own code: Dask's linalg without SciPy, its SVD of an array chunked along both axes, its ``inv`` of a stack)
    into :class:`UnsupportedArray`. NumPy's errors, and mygrad's, pass as they are."""
    try:
        yield
    except UnsupportedArray:
        raise
    except Exception as error:
        if not is_foreign(array):
            raise
        frames = traceback.extract_tb(error.__traceback__)
        package = type(array).__module__.split(".")[0]
        if not (frames and f"{os.sep}{package}{os.sep}" in frames[-1].filename):
            raise
        raise UnsupportedArray(
            f"{operation} over a {library_name(array)} needs what that library cannot compute here: "
            f"{type(error).__name__}: {error}"
        ) from error


def as_array(x: Any, dtype: Any = None) -> Any:
    """``np.asarray(x, dtype)``, except that another library's array stays in its library (cast if asked)."""
    if is_foreign(x):
        return x if dtype is None or x.dtype == np.dtype(dtype) else x.astype(dtype)
    return np.asarray(x, dtype=dtype)


def copy_array(array: Any) -> Any:
    """A copy of ``array`` (in NumPy, in the same memory layout)."""
    return array.copy(order="K") if type(array) is np.ndarray else array.copy()


def flat_positions(shape: tuple, index: Any) -> np.ndarray:
    """The flat (C-order) positions, in an array of ``shape``, of the elements that ``index`` selects: a NumPy
    array of the selection's shape, made with no array of ``shape``'s size (each axis's positions are indexed
    through a broadcast view, which holds one line of them)."""
    total: Any = None
    stride = 1
    for axis in reversed(range(len(shape))):
        along = (np.arange(shape[axis], dtype=np.intp) * stride).reshape(
            (-1,) + (1,) * (len(shape) - axis - 1)
        )
        part = np.broadcast_to(along, shape)[index]
        total = part if total is None else total + part
        stride *= shape[axis]
    return np.zeros((), dtype=np.intp)[index] if total is None else total


def gather(array: Any, index: Any) -> Any:
    """``array[index]`` (``array`` may be a Tensor); for another library's array and an index of several
    integer or boolean arrays (which Dask does not take: "nd fancy indexing"), the elements at the flat
    positions the index selects."""
    if type(array) is np.ndarray or not isinstance(index, tuple):
        return array[index]
    if not is_foreign(array.data if hasattr(array, "_creator") else array):  # (a Tensor: of its data)
        return array[index]
    if sum(1 for p in index if (p.ndim if hasattr(p, "ndim") else np.ndim(p)) > 0) < 2:
        return array[index]
    positions = flat_positions(array.shape, index)
    return np.reshape(np.reshape(array, (-1,))[np.reshape(positions, (-1,))], positions.shape)


def _increasing(index: Any, shape: tuple) -> tuple[Any, tuple[int, ...]]:
    """A basic index (no new axes) with each slice of negative step replaced by the slice of positive step that
    selects the same elements, and the axes of the selection that it reverses."""
    parts = index if isinstance(index, tuple) else (index,)
    if any(p is Ellipsis for p in parts):
        at = next(i for i, p in enumerate(parts) if p is Ellipsis)
        parts = parts[:at] + (slice(None),) * (len(shape) - len(parts) + 1) + parts[at + 1 :]
    increasing, flipped, axis = [], [], 0
    for dim, p in enumerate(parts):
        if isinstance(p, slice):
            start, stop, step = p.indices(shape[dim])
            if step < 0:
                n = len(range(start, stop, step))
                p = slice(start + (n - 1) * step, start + 1, -step) if n else slice(0, 0)
                flipped.append(axis)
            axis += 1
        increasing.append(p)
    return tuple(increasing), tuple(flipped)


def add_at(buffer: Any, index: Any, values: Any, basic: bool) -> Any:
    """``buffer`` with ``values`` added at ``index`` (repeated positions accumulate), in place where the library
    writes in place; returns the buffer, which is a new array where the library cannot.

    ``basic``: the index has no integer or boolean arrays, so no position repeats and ``+=`` through it is
    exact. An advanced index needs ``np.add.at``; for a library without it (Dask), the sum is a weighted
    ``np.bincount`` over the flat positions the index selects, which that library computes in its own way.
    """
    if type(buffer) is not np.ndarray and not math.prod(getattr(values, "shape", ())):
        return buffer  # nothing to add (Dask's assignment and reshape refuse some empty selections)
    if basic:
        if type(buffer) is not np.ndarray:
            if not isinstance(index, tuple):
                index = (index,)
            if any(p is None for p in index):
                # (Dask's assignment takes no new axes): the same elements, through an index without them
                index = tuple(p for p in index if p is not None)
                values = np.reshape(values, np.broadcast_to(np.empty((), bool), buffer.shape)[index].shape)
            # (Dask's assignment fails through a slice of negative step): the same elements in increasing order
            values = np.broadcast_to(values, np.broadcast_to(np.empty((), bool), buffer.shape)[index].shape)
            index, flipped = _increasing(index, buffer.shape)
            if flipped:
                values = np.flip(values, flipped)
        buffer[index] += values
        return buffer
    if type(buffer) is np.ndarray:
        np.add.at(buffer, index, values)
        return buffer
    try:
        np.add.at(buffer, index, values)
        return buffer
    except TypeError:  # the library does not implement `ufunc.at` (NumPy's TypeError, raised before any work)
        pass
    shape = buffer.shape
    size = int(np.prod(shape))
    positions = flat_positions(shape, index)
    values = np.broadcast_to(values, positions.shape)
    # the positions in the values' library and layout (Dask's bincount wants its weights chunked as they are)
    positions = np.zeros_like(values, dtype=np.intp) + positions
    added = np.bincount(np.reshape(positions, (-1,)), weights=np.reshape(values, (-1,)), minlength=size)
    added = np.reshape(added, shape).astype(buffer.dtype)
    return buffer + added
