"""Shape and layout: reshape, ravel, flatten, transposes, squeeze, expand_dims, broadcast_to, indexing and
``astype``. Their gradients move the incoming gradient back into the input's layout."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from mygrad._core.operation import Scatter, apply
from mygrad._core.registry import primitive, public
from mygrad._core.tensor import Tensor
from mygrad._ops._common import apply_unary, data


def _back_to_shape(g: Any, out: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
    return np.reshape(g, x.shape)


Reshape = primitive("Reshape", lambda x, *, shape: np.reshape(x, shape), _back_to_shape, view=True)
Ravel = primitive("Ravel", np.ravel, _back_to_shape, view=True)
Flatten = primitive("Flatten", lambda x: x.flatten(), _back_to_shape)
Squeeze = primitive("Squeeze", np.squeeze, _back_to_shape, view=True)
ExpandDims = primitive("ExpandDims", np.expand_dims, _back_to_shape, view=True)
Transpose = primitive(
    "Transpose",
    lambda x, *, axes: np.transpose(x, axes),
    lambda g, out, x, *, axes: np.transpose(g, None if axes is None else np.argsort(axes)),
    view=True,
)
MoveAxis = primitive(
    "MoveAxis",
    lambda x, *, source, destination: np.moveaxis(x, source, destination),
    lambda g, out, x, *, source, destination: np.moveaxis(g, destination, source),
    view=True,
)
SwapAxes = primitive(
    "SwapAxes",
    lambda x, *, axis1, axis2: np.swapaxes(x, axis1, axis2),
    lambda g, out, x, *, axis1, axis2: np.swapaxes(g, axis1, axis2),
    view=True,
)
BroadcastTo = primitive(
    "BroadcastTo", lambda x, *, shape: np.broadcast_to(x, shape), lambda g, out, x, *, shape: g, view=True
)  # the engine sums the gradient back to the input's shape


@public(np.reshape)
def reshape(a: Any, newshape: Any = None, *, shape: Any = None, constant: bool | None = None) -> Tensor:
    """Give a tensor a new shape without changing its data.

    Parameters
    ----------
    a : array_like
    newshape : int or tuple of ints
        The new shape; one dimension may be -1 (inferred). ``shape=`` is NumPy 2's spelling.
    constant : bool, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.reshape(mg.arange(6.0), (2, 3)).shape
    (2, 3)
    """
    if (newshape is None) == (shape is None):
        raise TypeError("reshape() needs exactly one of `newshape` and `shape`")
    target = newshape if shape is None else shape
    return apply_unary(Reshape, a, constant, shape=_shape_arg(target))


def _shape_arg(shape: Any) -> Any:
    # a shape is an operand the op does not differentiate: a tuple of ints, never a tensor
    return tuple(int(n) for n in shape) if isinstance(shape, (tuple, list)) else int(shape)


def _tensor_reshape(self: Tensor, *newshape: Any, constant: bool | None = None) -> Tensor:
    """Give the tensor a new shape; ``t.reshape(2, 3)`` and ``t.reshape((2, 3))`` are the same."""
    if len(newshape) == 1:
        (newshape,) = newshape
    return reshape(self, newshape, constant=constant)


@public(np.ravel, method="ravel")
def ravel(a: Any, *, constant: bool | None = None) -> Tensor:
    """The tensor's elements as a 1-D tensor.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.ravel(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([1., 2., 3., 4.])
    """
    return apply_unary(Ravel, a, constant)


def _flatten(self: Tensor, *, constant: bool | None = None) -> Tensor:
    """A 1-D copy of the tensor."""
    return apply_unary(Flatten, self, constant)


@public(np.transpose)
def transpose(a: Any, *axes: Any, constant: bool | None = None, **kwargs: Any) -> Tensor:
    """Permute the axes of a tensor (reverse them by default).

    Parameters
    ----------
    a : array_like
    *axes : int, or a single tuple of ints
        The permutation; ``axes=`` as a keyword works too, as in NumPy.
    constant : bool, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.transpose(mg.ones((2, 3, 4)), 2, 0, 1).shape
    (4, 2, 3)
    """
    if kwargs:
        if set(kwargs) != {"axes"} or axes:
            raise TypeError(f"transpose() got unexpected arguments {sorted(kwargs)}")
        axes = (kwargs["axes"],)
    if len(axes) == 1 and (axes[0] is None or np.ndim(axes[0]) == 1):  # one sequence of axes
        (axes,) = axes
    axes = (
        None
        if axes is None or len(axes) == 0
        else normalize_axis_tuple(tuple(map(int, axes)), np.ndim(data(a)))
    )
    return apply_unary(Transpose, a, constant, axes=axes)


def _tensor_transpose(self: Tensor, *axes: Any, constant: bool | None = None) -> Tensor:
    """Permute the tensor's axes: ``t.transpose(1, 0)`` or ``t.transpose((1, 0))``."""
    return transpose(self, *axes, constant=constant)


@public(np.moveaxis, method="moveaxis")
def moveaxis(a: Any, source: Any, destination: Any, *, constant: bool | None = None) -> Tensor:
    """Move axes of a tensor to new positions.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.moveaxis(mg.ones((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    return apply_unary(MoveAxis, a, constant, source=source, destination=destination)


@public(np.swapaxes, method="swapaxes")
def swapaxes(a: Any, axis1: int, axis2: int, *, constant: bool | None = None) -> Tensor:
    """Interchange two axes of a tensor.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.swapaxes(mg.ones((2, 3)), 0, 1).shape
    (3, 2)
    """
    return apply_unary(SwapAxes, a, constant, axis1=axis1, axis2=axis2)


@public(np.squeeze, method="squeeze")
def squeeze(a: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Remove axes of length one (all of them, or those given).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.squeeze(mg.ones((1, 3, 1))).shape
    (3,)
    """
    return apply_unary(Squeeze, a, constant, axis=axis)


@public(np.expand_dims)
def expand_dims(a: Any, axis: Any, *, constant: bool | None = None) -> Tensor:
    """Insert an axis of length one at position ``axis``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.expand_dims(mg.ones(3), 0).shape
    (1, 3)
    """
    return apply_unary(ExpandDims, a, constant, axis=axis)


@public(np.broadcast_to)
def broadcast_to(a: Any, shape: Any, *, constant: bool | None = None) -> Tensor:
    """Broadcast a tensor to a new shape.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.broadcast_to(x, (3, 2))
    >>> y.backward()
    >>> x.grad
    array([3., 3.])
    """
    return apply_unary(BroadcastTo, a, constant, shape=_shape_arg(shape))


Tensor.reshape = _tensor_reshape  # type: ignore[attr-defined]
Tensor.flatten = _flatten  # type: ignore[attr-defined]
Tensor.transpose = _tensor_transpose  # type: ignore[attr-defined]
Tensor.T = property(lambda self: transpose(self), doc="The tensor with its axes reversed.")  # type: ignore[attr-defined]
Tensor.mT = property(  # type: ignore[attr-defined]
    lambda self: swapaxes(self, -1, -2),
    doc="The tensor with its last two axes swapped (a stack of matrices, transposed).",
)


# -------------------------------------------------------------------------------------------- indexing
def _index_data(index: Any) -> Any:
    if isinstance(index, tuple):
        return tuple(data(i) for i in index)
    return data(index)


def _is_basic(index: Any) -> bool:
    """Only ints, slices, ``...`` and ``None``: each selected position appears once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        p is None
        or p is Ellipsis
        or isinstance(p, (slice, int, np.integer))
        and not isinstance(p, (bool, np.bool_))
        for p in parts
    )


GetItem = primitive(
    "GetItem",
    lambda x, *, index, basic: x[index],
    lambda g, out, x, *, index, basic: Scatter(index, g, basic),
    view=True,
)


def _scatter_add_forward(values: Any, *, index: Any, shape: tuple, basic: bool) -> np.ndarray:
    out = np.zeros(shape, dtype=values.dtype)
    if basic:
        out[index] += values
    else:
        np.add.at(out, index, values)
    return out


# A Scatter gradient, as an op: its own gradient picks the same elements again
ScatterAdd = primitive(
    "ScatterAdd", _scatter_add_forward, lambda g, out, values, *, index, shape, basic: g[index]
)


def scatter_add(values: Any, index: Any, shape: tuple, basic: bool) -> Tensor:
    """An array of zeros of ``shape`` with ``values`` added at ``index`` (repeated positions accumulate)."""
    return apply(ScatterAdd, (values,), {"index": index, "shape": shape, "basic": basic})


def _getitem(self: Tensor, index: Any) -> Tensor:
    index = _index_data(index)
    return apply(GetItem, (self,), {"index": index, "basic": _is_basic(index)})


Tensor.__getitem__ = _getitem  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- astype
AsType = primitive(
    "AsType", lambda x, *, dtype, casting: x.astype(dtype, casting=casting), lambda g, out, x, **kw: g
)


def _astype(
    self: Tensor, dtype: Any, casting: str = "unsafe", copy: bool = True, *, constant: bool | None = None
) -> Tensor:
    """The tensor cast to ``dtype``.

    A cast between floating types stays in the graph (the gradient is cast back); any other cast gives a new
    tensor outside the graph. With ``copy=False`` the tensor itself is returned when nothing would change.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.5, 2.5])
    >>> x.astype("float32")
    Tensor([1.5, 2.5], dtype=float32)
    >>> x.astype(int)
    Tensor([1, 2])
    """
    dtype = np.dtype(dtype)
    if not copy and dtype == self.dtype and (constant is None or constant == self.constant):
        return self
    if dtype.kind == "f" and self.dtype.kind == "f" and not self.constant:
        return apply_unary(AsType, self, constant, dtype=dtype, casting=casting)
    return Tensor(self.data.astype(dtype, casting=casting), constant=constant)


Tensor.astype = _astype  # type: ignore[attr-defined]
