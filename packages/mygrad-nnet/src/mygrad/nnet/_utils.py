"""Argument checks and array helpers shared by mygrad.nnet's modules (private).

Each check raises at the call, with an error naming the argument at fault, before any operation runs. Where
MyGrad 2 raised another type for the same mistake, the error is of both types (the classes below), so that
code written against MyGrad 2 still catches it.
"""

from __future__ import annotations

import math
import operator
from numbers import Real
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from mygrad import Tensor

__all__ = [
    "TypeAssertionError",
    "TypeValueError",
    "ValueAssertionError",
    "as_array",
    "as_inexact",
    "lane_max",
    "axis_index",
    "data",
    "real_array",
    "real_scalar",
    "shaped_like",
]


class ValueAssertionError(ValueError, AssertionError):
    """A ValueError that is also an AssertionError: MyGrad 2 checked these arguments with ``assert``."""


class TypeAssertionError(TypeError, AssertionError):
    """A TypeError that is also an AssertionError: MyGrad 2 checked these arguments with ``assert``."""


class TypeValueError(TypeError, ValueError):
    """A TypeError that is also a ValueError: MyGrad 2 raised ValueError for these arguments."""


def data(x: Any) -> Any:
    """The array behind ``x`` (a Tensor's ``.data``); anything else is returned as it is.

    Gradient rules read non-differentiable facts (signs, masks, labels) through it.
    """
    return x.data if isinstance(x, Tensor) else x


def as_array(x: Any) -> Any:
    """``x`` as an array: NumPy's for numbers and sequences; an array that speaks NumPy's protocols (NumPy's,
    or another library's, such as a Dask array in a Tensor) stays as it is, in its library."""
    return x if hasattr(x, "__array_function__") and hasattr(x, "dtype") else np.asarray(x)


def lane_max(x: Any, axis: Any) -> Any:
    """The maximum of ``x`` over ``axis`` (axes kept), ``-inf`` for an empty lane. ``initial`` only where a lane
    is empty: other libraries' ``max`` (Dask's) may not take it."""
    if math.prod(x.shape):
        return np.max(x, axis=axis, keepdims=True)
    return np.max(x, axis=axis, keepdims=True, initial=-np.inf)


def as_inexact(x: Any) -> np.ndarray:
    """``x`` as an array of floating-point or complex numbers: integers and booleans are cast to float64 (as
    ``numpy.mean`` computes them; NumPy's ``exp`` would give float16 for 8-bit integers); anything else is
    left as it is, so a complex array (under ``no_autodiff``: complex-step derivatives) keeps its imaginary
    part."""
    x = as_array(x)
    return x.astype(np.float64) if x.dtype.kind in "biu" else x


def real_scalar(value: Any, name: str, type_error: type[TypeError] = TypeError) -> float:
    """``value`` as a real Python number, so that it stays "weak" in NumPy's type promotion: a
    hyperparameter never changes the dtype of a result (float32 inputs give float32 outputs).

    Python numbers are returned unchanged; a NumPy scalar, or a size-1 array or Tensor, gives its item.
    Anything else raises: ``type_error`` for a non-real value, ValueError for an array of another size.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Real):
        return value  # type: ignore[return-value]  # (int, float or fractions.Fraction: weak in NumPy)
    if isinstance(value, (np.ndarray, Tensor)):
        if value.size != 1:
            raise ValueError(f"`{name}` must be a real-valued scalar, got an array of shape {value.shape}")
        value = value.item()
        if isinstance(value, Real):
            return value  # type: ignore[return-value]
    raise type_error(f"`{name}` must be a real-valued scalar, got {value!r} (type {type(value).__name__})")


def real_array(value: Any, name: str, type_error: type[TypeError] = TypeError) -> np.ndarray:
    """``value`` as an array of real numbers (a Tensor's data: it is read, never differentiated);
    ``type_error`` naming ``name`` for anything else (strings, None, complex numbers, objects)."""
    try:
        array = np.asarray(data(value))
    except ValueError as error:  # a ragged nested sequence
        raise ValueError(f"`{name}` must be an array of real numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise type_error(f"`{name}` must hold real numbers, got {value!r} (dtype {array.dtype})")
    return array


def shaped_like(array: np.ndarray, shape: tuple[int, ...], name: str, of: str) -> np.ndarray:
    """``array``, if it broadcasts to ``shape`` (the shape ``of`` something, e.g. "the result"); else ValueError
    naming ``name``."""
    try:
        fits = np.broadcast_shapes(array.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"`{name}` of shape {array.shape} does not broadcast to {of}, of shape {shape}")
    return array


def axis_index(axis: Any, ndim: int) -> int:
    """``axis`` (an integer, or a 0-d integer array, as NumPy takes them) as an index in ``[0, ndim)``.

    TypeError for anything else, booleans included; ``numpy.exceptions.AxisError`` if out of bounds."""
    if not isinstance(axis, (bool, np.bool_)) and np.asarray(axis).dtype.kind in "iu":
        try:
            return normalize_axis_index(operator.index(axis), ndim)
        except TypeError:  # an integer array of one or more dimensions
            pass
    raise TypeError(f"`axis` must be an integer, got {axis!r} (type {type(axis).__name__})")
