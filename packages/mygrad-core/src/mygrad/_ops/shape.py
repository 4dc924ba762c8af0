"""Shape and layout: reshape, ravel, flatten, transposes, squeeze, expand_dims, broadcast_to, indexing and
``astype``. Their gradients move the incoming gradient back into the input's layout."""

from __future__ import annotations

import inspect
import operator
import warnings
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from mygrad._core.arrays import as_array
from mygrad._core.inplace import Reshape
from mygrad._core.operation import Scatter, apply
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import Casting, data
from mygrad._ops.registry import NO_KWARGS, implements_numpy_override, primitive, public, tensor_method


def _back_to_shape(g: Any, out: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
    return np.reshape(g, x.shape)


Ravel = primitive("Ravel", np.ravel, _back_to_shape, view=True)
Flatten = primitive("Flatten", lambda x: as_array(x).flatten(), _back_to_shape)  # (x: a Python scalar too)
Squeeze = primitive("Squeeze", np.squeeze, _back_to_shape, view=True)
ExpandDims = primitive("ExpandDims", np.expand_dims, _back_to_shape, view=True)
Transpose = primitive(
    "Transpose",
    lambda x, *, axes: np.transpose(x, axes),
    # (the inverse permutation as a tuple of ints: Dask's transpose tests `if axes:`, which an array cannot answer)
    lambda g, out, x, *, axes: np.transpose(g, None if axes is None else tuple(np.argsort(axes).tolist())),
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


@public()
@shared_docstring
def reshape(a: Any, newshape: Any = None, *, shape: Any = None, constant: bool | None = None) -> Tensor:
    """Give a tensor a new shape without changing its data.

    Parameters
    ----------
    a : array_like
    newshape : int or tuple of ints
        The new shape; one dimension may be -1 (inferred).
    shape : int or tuple of ints
        NumPy 2's name for ``newshape``: give one of the two.
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a`` where NumPy's reshape gives a view (:doc:`/views`).

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.arange(6.0)
    >>> y = mg.reshape(x, (2, 3))
    >>> y
    Tensor([[0., 1., 2.],
            [3., 4., 5.]])
    >>> y.base is x
    True
    >>> (y * [[1.0], [2.0]]).sum().backward()
    >>> x.grad  # the gradient, in x's shape
    array([1., 1., 1., 2., 2., 2.])
    >>> mg.reshape(x, shape=(3, -1)).shape
    (3, 2)
    """
    if (newshape is None) == (shape is None):
        raise TypeError("reshape() needs exactly one of `newshape` and `shape`")
    target = newshape if shape is None else shape
    return apply(Reshape, (a,), {"shape": _shape_arg(target)}, constant)


def _shape_arg(shape: Any) -> Any:
    # a shape is an operand the op does not differentiate: a tuple of ints, never a tensor
    # (operator.index, as NumPy: a float or a string is a TypeError, never truncated)
    if isinstance(shape, (tuple, list)):
        return tuple(operator.index(n) for n in shape)
    return operator.index(shape)


@shared_docstring
def _tensor_reshape(self: Tensor, *newshape: Any, constant: bool | None = None) -> Tensor:
    """Give the tensor a new shape; ``t.reshape(2, 3)`` and ``t.reshape((2, 3))`` are the same.

    Parameters
    ----------
    *newshape : int, or a single tuple of ints
        The new shape; one dimension may be -1 (inferred).
    $constant_one

    Returns
    -------
    Tensor
        A view of the tensor where NumPy's reshape gives a view; see :func:`mygrad.reshape`.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.arange(6.0)
    >>> x.reshape(2, 3)
    Tensor([[0., 1., 2.],
            [3., 4., 5.]])
    >>> x.reshape((3, -1)).shape
    (3, 2)
    >>> x.reshape(2, 3).base is x
    True
    """
    if len(newshape) == 1:
        (newshape,) = newshape
    return reshape(self, newshape, constant=constant)


@public(method="ravel")
@shared_docstring
def ravel(a: Any, *, constant: bool | None = None) -> Tensor:
    """The tensor's elements as a 1-D tensor.

    Parameters
    ----------
    a : array_like
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a`` where NumPy's ravel gives one.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> y = mg.ravel(x)
    >>> y
    Tensor([1., 2., 3., 4.])
    >>> (y * [1.0, 2.0, 3.0, 4.0]).sum().backward()
    >>> x.grad
    array([[1., 2.],
           [3., 4.]])
    """
    return apply(Ravel, (a,), NO_KWARGS, constant)


@shared_docstring
def _flatten(self: Tensor, *, constant: bool | None = None) -> Tensor:
    """A 1-D copy of the tensor (never a view, unlike :func:`mygrad.ravel`).

    Parameters
    ----------
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> y = x.flatten()
    >>> y, y.base is None
    (Tensor([1., 2., 3., 4.]), True)
    >>> (y * [1.0, 2.0, 3.0, 4.0]).sum().backward()
    >>> x.grad
    array([[1., 2.],
           [3., 4.]])
    """
    return apply(Flatten, (self,), NO_KWARGS, constant)


@public()
@shared_docstring
def transpose(a: Any, *axes: Any, constant: bool | None = None, **kwargs: Any) -> Tensor:
    """Permute the axes of a tensor (reverse them by default).

    Parameters
    ----------
    a : array_like
    *axes : int, or a single tuple of ints
        The permutation: the input's axis that becomes each axis of the result.
    $constant_one
    **kwargs
        ``axes=``: the permutation as a keyword, as NumPy takes it (then give no ``*axes``).

    Returns
    -------
    Tensor
        A view of ``a``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.transpose(mg.ones((2, 3, 4)), 2, 0, 1).shape
    (4, 2, 3)
    >>> mg.transpose(mg.ones((2, 3, 4)), axes=(1, 0, 2)).shape
    (3, 2, 4)
    >>> x = mg.tensor([[1.0, 2.0, 3.0]])
    >>> y = mg.transpose(x)
    >>> y
    Tensor([[1.],
            [2.],
            [3.]])
    >>> (y * [[1.0], [2.0], [3.0]]).sum().backward()
    >>> x.grad
    array([[1., 2., 3.]])
    """
    if kwargs:
        if set(kwargs) != {"axes"} or axes:
            raise TypeError(f"transpose() got unexpected arguments {sorted(kwargs)}")
        axes = (kwargs["axes"],)
    given: Any = axes
    if len(axes) == 1 and (axes[0] is None or np.ndim(axes[0]) == 1):  # one sequence of axes
        (given,) = axes
    order = (
        None
        if given is None or len(given) == 0
        else normalize_axis_tuple(tuple(map(int, given)), np.ndim(data(a)))
    )
    return apply(Transpose, (a,), {"axes": order}, constant)


@shared_docstring
def _tensor_transpose(self: Tensor, *axes: Any, constant: bool | None = None) -> Tensor:
    """Permute the tensor's axes: ``t.transpose(1, 0)`` or ``t.transpose((1, 0))``; reverse them by default.

    Parameters
    ----------
    *axes : int, or a single tuple of ints
        The permutation: the tensor's axis that becomes each axis of the result.
    $constant_one

    Returns
    -------
    Tensor
        A view of the tensor; see :func:`mygrad.transpose`.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.ones((2, 3, 4))
    >>> x.transpose(1, 2, 0).shape
    (3, 4, 2)
    >>> x.transpose((1, 2, 0)).shape
    (3, 4, 2)
    >>> x.transpose().shape
    (4, 3, 2)
    """
    return transpose(self, *axes, constant=constant)


@public(np.moveaxis, method="moveaxis")
@shared_docstring
def moveaxis(a: Any, source: Any, destination: Any, *, constant: bool | None = None) -> Tensor:
    """Move axes of a tensor to new positions.

    Parameters
    ----------
    a : array_like
    source : int or sequence of int
        The axes to move.
    destination : int or sequence of int
        Their positions in the result.
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.moveaxis(mg.ones((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    >>> x = mg.tensor([[1.0, 2.0]])
    >>> y = x.moveaxis(0, 1)
    >>> y.shape
    (2, 1)
    >>> (y * [[3.0], [4.0]]).sum().backward()
    >>> x.grad
    array([[3., 4.]])
    """
    return apply(MoveAxis, (a,), {"source": source, "destination": destination}, constant)


@public(np.swapaxes, method="swapaxes")
@shared_docstring
def swapaxes(a: Any, axis1: int, axis2: int, *, constant: bool | None = None) -> Tensor:
    """Interchange two axes of a tensor.

    Parameters
    ----------
    a : array_like
    axis1, axis2 : int
        The two axes.
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.swapaxes(mg.ones((2, 3)), 0, 1).shape
    (3, 2)
    >>> x = mg.tensor([[1.0, 2.0]])
    >>> y = x.swapaxes(0, 1)
    >>> (y * [[3.0], [4.0]]).sum().backward()
    >>> x.grad
    array([[3., 4.]])
    """
    return apply(SwapAxes, (a,), {"axis1": axis1, "axis2": axis2}, constant)


@public(np.squeeze, method="squeeze")
@shared_docstring
def squeeze(a: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Remove axes of length one (all of them, or those given).

    Parameters
    ----------
    a : array_like
    axis : int or tuple of ints, optional
        The axes to remove, each of length one; by default every axis of length one.
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.squeeze(mg.ones((1, 3, 1))).shape
    (3,)
    >>> x = mg.tensor([[1.0], [2.0]])
    >>> y = x.squeeze(axis=1)
    >>> y
    Tensor([1., 2.])
    >>> (y * [3.0, 4.0]).sum().backward()
    >>> x.grad
    array([[3.],
           [4.]])
    """
    return apply(Squeeze, (a,), {"axis": axis}, constant)


@public(np.expand_dims)
@shared_docstring
def expand_dims(a: Any, axis: Any, *, constant: bool | None = None) -> Tensor:
    """Insert an axis of length one at position ``axis``.

    Parameters
    ----------
    a : array_like
    axis : int or tuple of ints
        The position (in the result) of each new axis.
    $constant_one

    Returns
    -------
    Tensor
        A view of ``a``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.expand_dims(mg.ones(3), 0).shape
    (1, 3)
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.expand_dims(x, axis=(0, 2))
    >>> y.shape
    (1, 2, 1)
    >>> (3 * y).sum().backward()
    >>> x.grad
    array([3., 3.])
    """
    return apply(ExpandDims, (a,), {"axis": axis}, constant)


@public()
@shared_docstring
def broadcast_to(a: Any, shape: Any, *, constant: bool | None = None) -> Tensor:
    """Broadcast a tensor to a new shape.

    Parameters
    ----------
    a : array_like
    shape : int or tuple of ints
        The shape to broadcast to, under NumPy's broadcasting rules.
    $constant_one

    Returns
    -------
    Tensor
        A read-only view of ``a``; its gradient is summed back over the broadcast axes.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.broadcast_to(x, (3, 2))
    >>> y
    Tensor([[1., 2.],
            [1., 2.],
            [1., 2.]])
    >>> y.backward()
    >>> x.grad
    array([3., 3.])
    """
    return apply(BroadcastTo, (a,), {"shape": _shape_arg(shape)}, constant)


# ------------------------------------------------------------------- NumPy's functions, with NumPy's signatures
def _in_order(a: Any, order: Any, shape: Any) -> Tensor:
    """``a``'s elements read in NumPy's index ``order`` ('C', 'F', 'A' or 'K'), into ``shape`` (filled in
    the same order): a gather of the positions NumPy's own call moves."""
    x = a if isinstance(a, Tensor) else Tensor(a, constant=True, copy=False)
    positions = np.empty_like(x.data, dtype=np.intp)  # `x`'s memory layout, for 'A' and 'K'
    positions[...] = np.arange(x.size).reshape(x.shape)
    picked = np.reshape(np.ravel(positions, order=order), shape, order="F" if order == "F" else "C")
    from mygrad._ops.rearranging import take  # (rearranging builds on this module)

    return take(ravel(x), picked)


def _numpy_reshape(a, /, shape, order: Any = "C", *, copy=None):
    target = _shape_arg(shape)
    if copy is False or order not in ("C", "F", "A"):  # NumPy's own errors: no view possible, a bad order
        np.reshape(data(a), target, order=order, copy=copy)
    if order == "F" or order == "A" and np.isfortran(np.asarray(data(a))):
        result = _in_order(a, "F", target)
    else:
        result = reshape(a, target)
    return result.astype(result.dtype) if copy and np.shares_memory(data(result), data(a)) else result


if "newshape" in inspect.signature(np.reshape).parameters:  # NumPy < 2.4, where `newshape` is deprecated

    @implements_numpy_override(np.reshape)
    def _numpy_reshape_newshape(a, /, shape=None, order: Any = "C", *, newshape=None, copy=None):
        if newshape is None and shape is None:
            raise TypeError("reshape() missing 1 required positional argument: 'shape'")
        if newshape is not None:
            if shape is not None:
                raise TypeError("You cannot specify 'newshape' and 'shape' arguments at the same time.")
            warnings.warn(
                "`newshape` keyword argument is deprecated, use `shape=...` or pass shape positionally instead. "
                "(deprecated in NumPy 2.1)",
                DeprecationWarning,
                stacklevel=3,
            )
            shape = newshape
        return _numpy_reshape(a, shape, order, copy=copy)

else:
    implements_numpy_override(np.reshape)(_numpy_reshape)


@implements_numpy_override(np.ravel)
def _numpy_ravel(a, order: Any = "C"):
    if order == "C":
        return ravel(a)
    np.ravel(np.empty(0), order=order)  # NumPy's own error for an unknown order
    return _in_order(a, order, (-1,))


@implements_numpy_override(np.transpose)
def _numpy_transpose(a, axes=None):
    return transpose(a, axes)


@implements_numpy_override(np.broadcast_to)
def _numpy_broadcast_to(array, shape, subok=False):
    return broadcast_to(array, shape)  # (a tensor is what subok=True would keep)


tensor_method("reshape", _tensor_reshape)
tensor_method("flatten", _flatten)
tensor_method("transpose", _tensor_transpose)


def _transposed(self: Tensor) -> Tensor:
    """The tensor with its axes reversed: ``t.transpose()``, a view of ``t``.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0, 3.0]])
    >>> x.T
    Tensor([[1.],
            [2.],
            [3.]])
    >>> x.T.base is x
    True
    >>> (x.T * [[1.0], [2.0], [3.0]]).sum().backward()
    >>> x.grad
    array([[1., 2., 3.]])
    """
    return transpose(self)


def _matrix_transposed(self: Tensor) -> Tensor:
    """The tensor with its last two axes swapped (a stack of matrices, each transposed); a view.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> x.mT
    Tensor([[1., 3.],
            [2., 4.]])
    >>> mg.ones((5, 2, 3)).mT.shape
    (5, 3, 2)
    """
    return swapaxes(self, -1, -2)


tensor_method("T", property(_transposed))
tensor_method("mT", property(_matrix_transposed))


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


def _getitem(self: Tensor, index: Any) -> Tensor:
    index = _index_data(index)
    return apply(GetItem, (self,), {"index": index, "basic": _is_basic(index)})


tensor_method("__getitem__", _getitem)


# ---------------------------------------------------------------------------------------------- astype
AsType = primitive(
    "AsType", lambda x, *, dtype, casting: x.astype(dtype, casting=casting), lambda g, out, x, **kw: g
)


@shared_docstring
def _astype(
    self: Tensor, dtype: Any, casting: Casting = "unsafe", copy: bool = True, *, constant: bool | None = None
) -> Tensor:
    """The tensor cast to ``dtype``.

    A cast between floating types stays in the graph (the gradient is cast back); any other cast gives a new
    tensor outside the graph. With ``copy=False`` the tensor itself is returned when nothing would change.

    Parameters
    ----------
    dtype : data-type
        The type to cast to.
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, default "unsafe"
        Which casts are allowed, as for :meth:`numpy.ndarray.astype`.
    copy : bool, default True
        ``False``: return the tensor itself if the dtype (and ``constant``) would not change.
    constant : bool, optional
        Whether the result is a constant; by default, as for a new tensor of the new dtype: a constant unless
        it is of a floating type (a cast to another type always gives a constant).

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.5, 2.5])
    >>> x.astype("float32")
    Tensor([1.5, 2.5], dtype=float32)
    >>> x.astype(int)
    Tensor([1, 2])
    >>> y = x.astype("float32")
    >>> y.backward()
    >>> x.grad  # cast back to x's dtype
    array([1., 1.])
    >>> x.astype(x.dtype, copy=False) is x
    True
    """
    dtype = np.dtype(dtype)
    if not copy and dtype == self.dtype and (constant is None or constant == self.constant):
        return self
    if dtype.kind == "f" and self.dtype.kind == "f" and not self.constant:
        return apply(AsType, (self,), {"dtype": dtype, "casting": casting}, constant)
    return Tensor(self.data.astype(dtype, casting=casting), constant=constant)


tensor_method("astype", _astype)
