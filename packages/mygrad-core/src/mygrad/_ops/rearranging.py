"""Ops that move, copy or pick elements: roll, flip, repeat, tile, pad, sort, take, take_along_axis,
where, diagonal, diag and trace. Gradients flow back to the elements each output element came from."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from mygrad._core.arrays import as_array, is_foreign
from mygrad._core.operation import Scatter, apply
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import data
from mygrad._ops.reductions import sum as _sum
from mygrad._ops.registry import NO_VALUE, implements_numpy_override, primitive, public
from mygrad._ops.writes import write_out


def _negated(shift: Any) -> Any:
    return tuple(-s for s in shift) if isinstance(shift, (tuple, list)) else -shift


Roll = primitive(
    "Roll",
    lambda x, *, shift, axis: np.roll(x, shift, axis),
    lambda g, out, x, *, shift, axis: np.roll(g, _negated(shift), axis),
)
Flip = primitive(
    "Flip", lambda x, *, axis: np.flip(x, axis), lambda g, out, x, *, axis: np.flip(g, axis), view=True
)


@public(np.roll)
@shared_docstring
def roll(a: Any, shift: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Roll elements along the given axes (of the flattened tensor by default); they wrap around.

    Parameters
    ----------
    a : array_like
    shift : int or tuple of ints
        How many places to shift the elements by (one per axis in ``axis``, or one for all).
    axis : int or tuple of ints, optional
        The axes to roll along; by default the tensor is flattened, rolled and given back its shape.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> y = mg.roll(x, 1)
    >>> y
    Tensor([3., 1., 2.])
    >>> (y * [10.0, 20.0, 30.0]).sum().backward()  # each gradient is rolled back
    >>> x.grad
    array([20., 30., 10.])
    """
    return apply(Roll, (a,), {"shift": shift, "axis": axis}, constant)


@public(np.flip, method="flip")
def flip(m: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Reverse the order of elements along the given axes (all of them by default).

    Parameters
    ----------
    m : array_like
    axis : int or tuple of ints, optional
        The axes to reverse; all of them by default.
    constant : bool, optional
        Whether the result is a constant (by default, only if ``m`` is).

    Returns
    -------
    Tensor
        A view of ``m``.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> y = mg.flip(x)
    >>> y
    Tensor([3., 2., 1.])
    >>> (y * [10.0, 20.0, 30.0]).sum().backward()
    >>> x.grad
    array([30., 20., 10.])
    >>> mg.tensor([[1.0, 2.0], [3.0, 4.0]]).flip(axis=1)
    Tensor([[2., 1.],
            [4., 3.]])
    """
    return apply(Flip, (m,), {"axis": axis}, constant)


# ------------------------------------------------------------ copies: each output element is one input's
def _scatter_flat(shape: tuple, positions: Any, values: Any) -> Any:
    """The gradient that adds ``values`` at the flat ``positions`` (negative ones count from the end)."""
    if shape == ():  # every value came from the one element
        return np.sum(values)
    positions = np.asarray(positions)
    return Scatter(
        np.unravel_index(np.where(positions < 0, positions + math.prod(shape), positions), shape),
        values,
        basic=False,
    )


def _source_index(x: Any, make: Any) -> np.ndarray:
    """Run the copying op ``make`` on an array of flat positions: it tells where each output element came from."""
    return make(np.arange(math.prod(np.shape(x))).reshape(np.shape(x)))


def _gathered_back(g: Any, shape: tuple, make: Any) -> Any:
    """The gather rule in ``g``'s library (lazily where it is lazy: no NumPy array of the input's size, no test
    of the data): the positions are made in that library, and the gradient is their weighted bincount."""
    positions: Any = np.zeros_like(g, shape=shape, dtype=np.intp)
    stride = 1
    for axis in reversed(range(len(shape))):  # (each axis's positions broadcast in, in the array's chunks)
        positions = positions + (np.arange(shape[axis], dtype=np.intp) * stride).reshape(
            (-1,) + (1,) * (len(shape) - axis - 1)
        )
        stride *= shape[axis]
    source = make(positions)
    picked = source >= 0  # -1 marks elements the op made up (pad's constant): they add 0 at position 0
    source, weights = np.broadcast_arrays(np.where(picked, source, 0), np.where(picked, g, 0))
    added = np.bincount(
        np.reshape(source, (-1,)), weights=np.reshape(weights, (-1,)), minlength=math.prod(shape)
    )
    return np.reshape(added, shape)


def _gather_rule(make: Any) -> Any:
    """The gradient of an op that only copies elements: scatter-add each output gradient to its source."""

    def rule(g: Any, out: Any, x: Any, **kwargs: Any) -> Any:
        if is_foreign(g):
            return _gathered_back(g, np.shape(x), lambda positions: make(positions, **kwargs))
        source = _source_index(x, lambda positions: make(positions, **kwargs)).ravel()
        picked = source >= 0  # -1 marks elements the op made up (pad's constant)
        flat_g = np.reshape(g, (-1,))
        if not picked.all():
            source, flat_g = source[picked], flat_g[picked]
        return _scatter_flat(np.shape(x), source, flat_g)

    return rule


def _repeat(x: Any, *, repeats: Any, axis: Any) -> Any:
    return np.repeat(x, repeats, axis)


def _tile(x: Any, *, reps: Any) -> Any:
    return np.tile(x, reps)


def _pad(x: Any, *, pad_width: Any, mode: Any, options: dict) -> Any:
    return np.pad(x, pad_width, mode=mode, **options)


def _pad_positions(positions: Any, *, pad_width: Any, mode: Any, options: dict) -> Any:
    if mode in ("constant", "empty"):  # the border is made up, not copied: mark it -1
        return np.pad(positions, pad_width, mode="constant", constant_values=-1)
    return np.pad(positions, pad_width, mode=mode, **options)


Repeat = primitive("Repeat", _repeat, _gather_rule(_repeat))
Tile = primitive("Tile", _tile, _gather_rule(_tile))
Pad = primitive("Pad", _pad, _gather_rule(_pad_positions))


@public(np.repeat, method="repeat")
@shared_docstring
def repeat(a: Any, repeats: Any, axis: int | None = None, *, constant: bool | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (along ``axis``, or of the flattened tensor).

    Parameters
    ----------
    a : array_like
    repeats : int or array_like of ints
        How many times to repeat each element (one count for all, or one per element along ``axis``).
    axis : int, optional
        The axis to repeat along; by default the tensor is flattened.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.repeat(x, [2, 3])
    >>> y
    Tensor([1., 1., 2., 2., 2.])
    >>> y.backward()  # each element gets the gradients of its copies
    >>> x.grad
    array([2., 3.])
    >>> mg.tensor([[1.0, 2.0]]).repeat(2, axis=0)
    Tensor([[1., 2.],
            [1., 2.]])
    """
    return apply(Repeat, (a,), {"repeats": data(repeats), "axis": axis}, constant)


@public(np.tile)
@shared_docstring
def tile(A: Any, reps: Any, *, constant: bool | None = None) -> Tensor:  # noqa: N803
    """Repeat the whole tensor ``reps`` times along each axis.

    Parameters
    ----------
    A : array_like
    reps : int or tuple of ints
        The number of repetitions along each axis.
    constant : bool, optional
        Whether the result is a constant (by default, only if ``A`` is).

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.tile(x, (2, 2))
    >>> y
    Tensor([[1., 2., 1., 2.],
            [1., 2., 1., 2.]])
    >>> y.backward()  # each element appears four times
    >>> x.grad
    array([4., 4.])
    """
    return apply(Tile, (A,), {"reps": reps}, constant)


_COPYING_PAD_MODES = frozenset({"constant", "edge", "reflect", "symmetric", "wrap", "empty"})


@public(np.pad)
@shared_docstring
def pad(
    array: Any, pad_width: Any, mode: Any = "constant", *, constant: bool | None = None, **kwargs: Any
) -> Tensor:
    """Pad a tensor, as :func:`numpy.pad`.

    The modes that copy elements (``constant``, ``edge``, ``reflect``, ``symmetric``, ``wrap``) are
    differentiable; the statistical ones (``mean``, ``maximum``, ...) are not supported.

    Parameters
    ----------
    array : array_like
    pad_width : int or sequence of ints, or of pairs of ints
        The number of values padded before and after each axis, as for :func:`numpy.pad`.
    mode : str, default "constant"
        One of the copying modes above.
    constant : bool, optional
        Whether the result is a constant (by default, only if ``array`` is).
    **kwargs
        ``constant_values=`` for ``mode="constant"`` (constants: not differentiated), and
        ``reflect_type="even"``; as for :func:`numpy.pad`.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> mg.pad(x, 1)
    Tensor([0., 1., 2., 0.])
    >>> y = mg.pad(x, (0, 2), mode="edge")
    >>> y
    Tensor([1., 2., 2., 2.])
    >>> y.backward()  # the edge value was copied twice more
    >>> x.grad
    array([1., 3.])
    """
    np.pad(
        np.zeros((1,) * np.ndim(data(array))), pad_width, mode, **kwargs
    )  # NumPy's errors for bad arguments
    if mode not in _COPYING_PAD_MODES or kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError(f"pad(..., mode={mode!r}) is not differentiable in mygrad; use one of "
                                  f"{sorted(_COPYING_PAD_MODES)} (reflect_type='even')")  # fmt: skip
    return apply(Pad, (array,), {"pad_width": pad_width, "mode": mode, "options": kwargs}, constant)


# ------------------------------------------------------------------------------- sort and friends
def _sort_rule(g: Any, out: Any, x: Any, *, axis: Any, options: dict) -> Any:
    # where each sorted value came from: ties in a stable order, whatever the kind (equal values, equal shares)
    if axis is None:
        return _scatter_flat(
            np.shape(x), _stable_argsort(np.reshape(data(x), (-1,)), -1, options), np.reshape(g, (-1,))
        )
    return Scatter(
        _along_axis_index(
            _stable_argsort(data(x), axis, options), normalize_axis_index(axis, np.ndim(x)), np.shape(x)
        ),
        g,
        basic=False,
    )


def _stable_argsort(a: Any, axis: int, options: dict) -> Any:
    if options.get("descending"):  # (NumPy 2.5's keyword: `sort` passed it on only where NumPy took it)
        return np.argsort(a, axis=axis, stable=True, descending=True)  # pyright: ignore[reportCallIssue]
    return np.argsort(a, axis=axis, stable=True)


Sort = primitive("Sort", lambda x, *, axis, options: np.sort(x, axis=axis, **options), _sort_rule)


@public(np.sort)
@shared_docstring
def sort(a: Any, axis: int | None = -1, kind: Any = None, order: Any = None, *, stable: Any = None,
         descending: Any = NO_VALUE, constant: bool | None = None) -> Tensor:  # fmt: skip
    """A sorted copy of a tensor (along ``axis``, or of the flattened tensor for None).

    Parameters
    ----------
    a : array_like
    axis : int or None, default -1
        The axis to sort along; None sorts the flattened tensor.
    kind : {"quicksort", "mergesort", "heapsort", "stable"}, optional
        The sorting algorithm, as for :func:`numpy.sort` (ties are differentiated in a stable order
        whatever the kind).
    order : None
        For structured arrays, which tensors cannot hold: anything but None is a ValueError.
    stable : bool, optional
        True: a stable sort (``kind="stable"``).
    descending : bool, optional
        True: from the largest value to the smallest (NaNs last), as NumPy 2.5's :func:`numpy.sort`; older
        NumPy versions refuse it with their ``TypeError``.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([3.0, 1.0, 2.0])
    >>> y = mg.sort(x)
    >>> y
    Tensor([1., 2., 3.])
    >>> (y * [10.0, 20.0, 30.0]).sum().backward()  # each gradient goes back to where its value was
    >>> x.grad
    array([30., 10., 20.])
    """
    if order is not None:
        raise ValueError("`order` applies to structured arrays, which tensors cannot hold")
    # (the options as given: NumPy refuses `kind` with `stable` or `descending`, and older versions `descending`)
    options = {"kind": kind} if kind is not None else {}
    if stable is not None:
        options["stable"] = stable
    if descending is not NO_VALUE:
        options["descending"] = descending
    return apply(Sort, (a,), {"axis": axis, "options": options}, constant)


def _take_rule(g: Any, out: Any, x: Any, *, indices: Any, axis: Any, mode: str) -> Any:
    if mode != "raise":  # 'wrap' and 'clip' remap indices before they are used
        size = math.prod(np.shape(x)) if axis is None or np.ndim(x) == 0 else np.shape(x)[axis]
        indices = np.mod(indices, size) if mode == "wrap" else np.clip(indices, 0, size - 1)
    if axis is None or np.ndim(x) == 0:  # (NumPy takes axis 0 or -1 of a 0-d input: its one element)
        return _scatter_flat(np.shape(x), np.reshape(indices, (-1,)), np.reshape(g, (-1,)))
    return Scatter((slice(None),) * normalize_axis_index(axis, np.ndim(x)) + (indices,), g, basic=False)


def _take(x: Any, *, indices: Any, axis: Any, mode: Any) -> Any:
    # NumPy's default mode left out: Dask's take has no `mode`
    return np.take(x, indices, axis) if mode == "raise" else np.take(x, indices, axis, mode=mode)


Take = primitive("Take", _take, _take_rule)


@public(np.take)
@shared_docstring
def take(a: Any, indices: Any, axis: int | None = None, out: Any = None, mode: str = "raise", *,
         constant: bool | None = None) -> Tensor:  # fmt: skip
    """Take elements along an axis (of the flattened tensor by default).

    Parameters
    ----------
    a : array_like
    indices : array_like of ints
        The indices of the elements to take; the result has their shape along ``axis``.
    axis : int, optional
        The axis to take along; by default the tensor is flattened.
    $out
    mode : {"raise", "wrap", "clip"}, default "raise"
        How out-of-bounds indices behave, as for :func:`numpy.take`.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([4.0, 5.0, 6.0])
    >>> y = mg.take(x, [0, 2, 2])
    >>> y
    Tensor([4., 6., 6.])
    >>> y.backward()  # repeated indices accumulate
    >>> x.grad
    array([1., 0., 2.])
    """
    indices = np.asarray(data(indices))
    if indices.size == 0:
        indices = indices.astype(np.intp)  # `[]` is a float array to NumPy, but selects nothing
    return write_out(apply(Take, (a,), {"indices": indices, "axis": axis, "mode": mode}, constant), out)


def _along_axis_index(indices: np.ndarray, axis: int, shape: tuple) -> tuple:
    """The advanced index that ``take_along_axis`` applied to an array of ``shape``: ``indices`` on ``axis``,
    aranges on the other axes (or 0 where the array was broadcast from length one)."""
    ndim = indices.ndim
    return tuple(
        indices
        if i == axis
        else np.arange(n if shape[i] != 1 else 1).reshape([-1 if j == i else 1 for j in range(ndim)])
        for i, n in enumerate(indices.shape)
    )


def _take_along_axis_rule(g: Any, out: Any, x: Any, *, indices: Any, axis: Any) -> Scatter:
    if axis is None:
        return _scatter_flat(np.shape(x), indices, g)
    axis = normalize_axis_index(axis, np.ndim(x))
    indices = np.broadcast_to(indices, np.shape(g))
    return Scatter(_along_axis_index(indices, axis, np.shape(x)), g, basic=False)


TakeAlongAxis = primitive(
    "TakeAlongAxis",
    lambda x, *, indices, axis: np.take_along_axis(x, indices, axis),
    _take_along_axis_rule,
)


@public(np.take_along_axis)
@shared_docstring
def take_along_axis(arr: Any, indices: Any, axis: int | None = -1, *, constant: bool | None = None) -> Tensor:
    """Pick values along an axis with an index array of matching dimensions (as ``argsort`` gives).

    Parameters
    ----------
    arr : array_like
    indices : array_like of ints
        Of ``arr``'s number of dimensions; broadcasts against ``arr`` on the other axes.
    axis : int or None, default -1
        The axis to pick along; None treats ``arr`` as flattened (``indices`` must then be 1-D).
    constant : bool, optional
        Whether the result is a constant (by default, only if ``arr`` is).

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[3.0, 1.0], [0.0, 2.0]])
    >>> y = mg.take_along_axis(x, [[1], [0]], axis=1)  # the minimum of each row
    >>> y
    Tensor([[1.],
            [0.]])
    >>> y.backward()
    >>> x.grad
    array([[0., 1.],
           [1., 0.]])
    """
    return apply(TakeAlongAxis, (arr,), {"indices": np.asarray(data(indices)), "axis": axis}, constant)


# ---------------------------------------------------------------------------------------------- where
def _where_forward(x: Any, y: Any, *, condition: Any) -> Any:
    return np.where(condition, x, y)


Where = primitive(
    "Where",
    _where_forward,
    lambda g, out, x, y, *, condition: g * condition,
    lambda g, out, x, y, *, condition: g * ~condition,
)


@public()
def where(condition: Any, x: Any = NO_VALUE, y: Any = NO_VALUE, *, constant: bool | None = None) -> Any:
    """Elements of ``x`` where ``condition`` holds, of ``y`` elsewhere; the condition is not differentiated.

    With only ``condition``, the indices where it holds (``numpy.where(condition)``).

    Parameters
    ----------
    condition : array_like of bool
        Where to take ``x``.
    x, y : array_like, optional
        The values to choose from; they broadcast with ``condition`` and with each other. Give both or
        neither.
    constant : bool, optional
        Whether the result is a constant (by default, only if ``x`` and ``y`` are).

    Returns
    -------
    Tensor, or a tuple of numpy.ndarray
        The chosen values; with ``condition`` alone, NumPy's tuple of index arrays.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.where([True, False], x, 0.0)
    >>> y
    Tensor([1., 0.])
    >>> y.backward()  # only the elements chosen get a gradient
    >>> x.grad
    array([1., 0.])
    >>> mg.where(mg.tensor([0.0, 3.0, 4.0]) > 1)
    (array([1, 2]),)
    """
    if x is NO_VALUE and y is NO_VALUE:
        return np.where(data(condition))
    if x is NO_VALUE or y is NO_VALUE:
        raise ValueError("either both or neither of x and y should be given")
    # (another library's condition stays in its library: Dask's, lazy)
    return apply(Where, (x, y), {"condition": as_array(data(condition), dtype=bool)}, constant)


@implements_numpy_override(np.where)
def _numpy_where(condition, x=NO_VALUE, y=NO_VALUE, /):
    return where(condition, x, y)


# --------------------------------------------------------------------------------- diagonals and trace
def _diagonal_index(shape: tuple, offset: int, axis1: int, axis2: int) -> tuple:
    """The index that writes a diagonal (last axis of the gradient) back into an array of ``shape``."""
    n1, n2 = shape[axis1], shape[axis2]
    length = max(0, min(n1 + min(offset, 0), n2 - max(offset, 0)))
    steps = np.arange(length)
    rows, cols = steps - min(offset, 0), steps + max(offset, 0)
    return rows, cols


def _diagonal_rule(g: Any, out: Any, x: Any, *, offset: int, axis1: int, axis2: int) -> Any:
    shape = np.shape(x)
    axis1, axis2 = normalize_axis_index(axis1, len(shape)), normalize_axis_index(axis2, len(shape))
    rows, cols = _diagonal_index(shape, offset, axis1, axis2)
    # the diagonal is x[..., rows, cols] with axis1 and axis2 moved last: the same index, in x's axis order
    others = [n for i, n in enumerate(shape) if i not in (axis1, axis2)]
    index = [
        np.arange(n).reshape([-1 if j == i else 1 for j in range(len(others))] + [1])
        for i, n in enumerate(others)
    ]
    index.insert(min(axis1, axis2), rows if axis1 < axis2 else cols)
    index.insert(max(axis1, axis2), cols if axis1 < axis2 else rows)
    return Scatter(tuple(index), g, basic=False)


Diagonal = primitive(
    "Diagonal",
    lambda x, *, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2),  # NumPy's read-only view
    _diagonal_rule,
    view=True,
)


@public(np.diagonal, method="diagonal")
@shared_docstring
def diagonal(
    a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, *, constant: bool | None = None
) -> Tensor:
    """The diagonal of a tensor with respect to two of its axes (as the last axis of the result).

    Parameters
    ----------
    a : array_like
        At least 2-D.
    offset : int, default 0
        The diagonal's offset from the main one (positive: above it).
    axis1, axis2 : int, default 0 and 1
        The axes of the 2-D sub-arrays whose diagonals are taken.
    $constant_one

    Returns
    -------
    Tensor
        A read-only view of ``a``, as NumPy's.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> d = mg.diagonal(x)
    >>> d
    Tensor([1., 4.])
    >>> d.backward()
    >>> x.grad
    array([[1., 0.],
           [0., 1.]])
    >>> x.diagonal(offset=1)
    Tensor([2.])
    """
    return apply(Diagonal, (a,), {"offset": offset, "axis1": axis1, "axis2": axis2}, constant)


def _diag_rule(g: Any, out: Any, x: Any, *, k: int) -> Any:
    if np.ndim(x) == 1:
        return np.diagonal(g, k)
    return _diagonal_rule(g, out, x, offset=k, axis1=0, axis2=1)


Diag = primitive("Diag", lambda x, *, k: np.diag(x, k), _diag_rule, view=True)  # a matrix's: a read-only view


@public(np.diag)
@shared_docstring
def diag(v: Any, k: int = 0, *, constant: bool | None = None) -> Tensor:
    """A diagonal matrix from a 1-D tensor, or the ``k``-th diagonal of a 2-D one.

    Parameters
    ----------
    v : array_like
        1-D: the diagonal of the matrix to make; 2-D: the matrix whose diagonal to take.
    k : int, default 0
        The diagonal's offset from the main one (positive: above it).
    constant : bool, optional
        Whether the result is a constant (by default, only if ``v`` is).

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> m = mg.diag(x)
    >>> m
    Tensor([[1., 0.],
            [0., 2.]])
    >>> m.backward()  # only the diagonal came from x
    >>> x.grad
    array([1., 1.])
    >>> mg.diag(m, k=1)
    Tensor([0.])
    """
    if np.ndim(data(v)) not in (1, 2):
        raise ValueError("Input must be 1- or 2-d.")
    return apply(Diag, (v,), {"k": k}, constant)


@public(np.trace, method="trace")
@shared_docstring
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None, *,
          constant: bool | None = None) -> Tensor:  # fmt: skip
    """The sum along a diagonal.

    Parameters
    ----------
    a : array_like
        At least 2-D.
    offset : int, default 0
        The diagonal's offset from the main one (positive: above it).
    axis1, axis2 : int, default 0 and 1
        The axes of the 2-D sub-arrays whose diagonals are summed.
    dtype : data-type, optional
        The type in which to sum and return the result.
    $out
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> t = mg.trace(x)
    >>> t
    Tensor(5.)
    >>> t.backward()
    >>> x.grad
    array([[1., 0.],
           [0., 1.]])
    """
    result = _sum(
        diagonal(a, offset, axis1, axis2, constant=constant), axis=-1, dtype=dtype, constant=constant
    )
    return write_out(result, out)
