"""In-place operations: item assignment, augmented assignment, ``out=`` and ``fill``.

Each computes its result out of place, as an ordinary recorded op, and hands it to the engine's one
in-place mechanism (``mygrad._core.inplace.mutate``). Under ``no_autodiff`` they write into the array itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.arrays import add_at, copy_array, flat_positions, is_foreign
from mygrad._core.inplace import mutate, write_into
from mygrad._core.operation import apply
from mygrad._core.state import tracking
from mygrad._core.tensor import Tensor
from mygrad._ops._common import data
from mygrad._ops.elementwise import add, divide, multiply, power_operator, subtract
from mygrad._ops.linalg import matmul
from mygrad._ops.registry import primitive, tensor_method
from mygrad._ops.shape import _index_data, _is_basic


# --------------------------------------------------------------------------------------- set an item
def _setitem_forward(x: np.ndarray, value: Any, *, index: Any, basic: bool) -> np.ndarray:
    out = copy_array(x)
    out[index] = value
    return out


def _setitem_x(g: Any, out: Any, x: Any, value: Any, *, index: Any, basic: bool) -> Any:
    if is_foreign(g):
        # in g's library, lazily where it is lazy: a scatter of ones marks the overwritten elements
        ones = np.ones_like(g, shape=flat_positions(g.shape, index).shape)
        return np.where(add_at(np.zeros_like(g), index, ones, basic) == 0, g, 0)
    kept = np.ones(np.shape(x), dtype=bool)
    kept[index] = False  # overwritten elements no longer depend on x
    return g * kept


def _setitem_value(g: Any, out: Any, x: Any, value: Any, *, index: Any, basic: bool) -> Any:
    selected = g[index]
    if basic or _is_mask(index):
        return selected
    # an advanced index may name a position more than once: only the value written last got there
    if is_foreign(selected):  # (the positions of the selection alone: no array of x's size)
        positions = np.reshape(flat_positions(g.shape, index), (-1,))
        last = np.zeros(positions.shape, dtype=bool)
        last[positions.size - 1 - np.unique(positions[::-1], return_index=True)[1]] = True
        return selected * np.reshape(last, selected.shape)
    written = np.arange(np.size(selected)).reshape(np.shape(selected))
    landed = np.full(np.shape(x), -1)
    landed[index] = written
    return selected * (landed[index] == written)


def _is_mask(index: Any) -> bool:
    return isinstance(index, np.ndarray) and index.dtype == bool


SetItem = primitive("SetItem", _setitem_forward, _setitem_x, _setitem_value)


def _setitem(self: Tensor, index: Any, value: Any) -> None:
    index = _index_data(index)
    if not tracking():
        self.data[index] = data(value)
        return
    if not isinstance(value, Tensor) and np.asarray(value).dtype.kind not in "fiub":
        # strings, None, complex numbers ...: converted by NumPy's own assignment (or refused with its error)
        trial = self.data.copy()
        trial[index] = value
        value = trial[index]
    mutate(self, apply(SetItem, (self, value), {"index": index, "basic": _is_basic(index)}))


tensor_method("__setitem__", _setitem)


def _fill(self: Tensor, value: Any) -> None:
    """Fill the tensor with a scalar value, in place.

    As ``t[...] = value``: a differentiable in-place assignment (:doc:`/views`), which writes through a view
    into its base.

    Parameters
    ----------
    value : scalar
        The value to write into every element.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.zeros(3)
    >>> x.fill(2.0)
    >>> x
    Tensor([2., 2., 2.], dtype=float32)
    >>> y = mg.tensor([1.0, 2.0, 3.0])
    >>> y[:2].fill(0.0)
    >>> y
    Tensor([0., 0., 3.])
    """
    self[...] = value


tensor_method("fill", _fill)


def _augmented(name: str, ufunc: Any, numpy_ufunc: np.ufunc) -> None:
    """Attach ``t op= other``: ``ufunc``'s result written into ``t``, or NumPy's error for ``a op= other`` on
    arrays where that result cannot be cast back into ``t``'s dtype."""

    def method(self: Tensor, other: Any) -> Tensor:
        result = ufunc(self, other)
        if result.dtype != self.dtype and not np.can_cast(result.dtype, self.dtype, casting="same_kind"):
            _raise_numpys_casting_error(numpy_ufunc, self.dtype, other)
        return write_into(self, result)

    method.__name__ = name
    tensor_method(name, method)


def _raise_numpys_casting_error(numpy_ufunc: np.ufunc, dtype: np.dtype, other: Any) -> None:
    """Raise what NumPy raises for ``a op= other`` when the result cannot be cast back into ``a``'s ``dtype`` (a
    UFuncTypeError naming the ufunc): the same call on arrays of one element, ``other`` standing in by its dtype
    (a Python number as itself: it is weak in NumPy's promotion). Returns if NumPy takes it after all."""
    shape = (1, 1) if numpy_ufunc is np.matmul else ()
    if type(other) not in (int, float, bool):
        other = np.ones(shape, other.dtype if hasattr(other, "dtype") else np.asarray(other).dtype)
    numpy_ufunc(np.ones(shape, dtype), other, out=np.empty(shape, dtype))


_augmented("__iadd__", add, np.add)
_augmented("__isub__", subtract, np.subtract)
_augmented("__imul__", multiply, np.multiply)
_augmented("__itruediv__", divide, np.true_divide)
_augmented("__ipow__", lambda x, y: power_operator(x, y, in_place=True), np.power)
_augmented("__imatmul__", matmul, np.matmul)
