"""Ops that move, copy or pick elements: roll, flip, repeat, tile, pad, sort, take, take_along_axis,
where, diagonal, diag and trace. Gradients flow back to the elements each output element came from."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from mygrad._core.operation import Scatter, apply
from mygrad._core.registry import primitive, public
from mygrad._core.tensor import Tensor
from mygrad._ops._common import apply_unary, data
from mygrad._ops.reductions import sum as _sum


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
def roll(a: Any, shift: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Roll elements along the given axes (of the flattened tensor by default); they wrap around.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.roll(mg.tensor([1.0, 2.0, 3.0]), 1)
    Tensor([3., 1., 2.])
    """
    return apply_unary(Roll, a, constant, shift=shift, axis=axis)


@public(np.flip, method="flip")
def flip(m: Any, axis: Any = None, *, constant: bool | None = None) -> Tensor:
    """Reverse the order of elements along the given axes (all of them by default).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.flip(mg.tensor([1.0, 2.0, 3.0]))
    Tensor([3., 2., 1.])
    """
    return apply_unary(Flip, m, constant, axis=axis)


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
    return make(np.arange(np.size(x)).reshape(np.shape(x)))


def _gather_rule(make: Any) -> Any:
    """The gradient of an op that only copies elements: scatter-add each output gradient to its source."""

    def rule(g: Any, out: Any, x: Any, **kwargs: Any) -> Scatter:
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


def _pad(x: Any, *, pad_width: Any, mode: str, options: dict) -> Any:
    return np.pad(x, pad_width, mode=mode, **options)


def _pad_positions(positions: Any, *, pad_width: Any, mode: str, options: dict) -> Any:
    if mode in ("constant", "empty"):  # the border is made up, not copied: mark it -1
        return np.pad(positions, pad_width, mode="constant", constant_values=-1)
    return np.pad(positions, pad_width, mode=mode, **options)


Repeat = primitive("Repeat", _repeat, _gather_rule(_repeat))
Tile = primitive("Tile", _tile, _gather_rule(_tile))
Pad = primitive("Pad", _pad, _gather_rule(_pad_positions))


@public(np.repeat, method="repeat")
def repeat(a: Any, repeats: Any, axis: int | None = None, *, constant: bool | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (along ``axis``, or of the flattened tensor).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.repeat(mg.tensor([1.0, 2.0]), 2)
    Tensor([1., 1., 2., 2.])
    """
    return apply_unary(Repeat, a, constant, repeats=data(repeats), axis=axis)


@public(np.tile)
def tile(A: Any, reps: Any, *, constant: bool | None = None) -> Tensor:  # noqa: N803
    """Repeat the whole tensor ``reps`` times along each axis.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tile(mg.tensor([1.0, 2.0]), 2)
    Tensor([1., 2., 1., 2.])
    """
    return apply_unary(Tile, A, constant, reps=reps)


_COPYING_PAD_MODES = frozenset({"constant", "edge", "reflect", "symmetric", "wrap", "empty"})


@public(np.pad)
def pad(
    array: Any, pad_width: Any, mode: str = "constant", *, constant: bool | None = None, **kwargs: Any
) -> Tensor:
    """Pad a tensor, as :func:`numpy.pad`.

    The modes that copy elements (``constant``, ``edge``, ``reflect``, ``symmetric``, ``wrap``) are
    differentiable; the statistical ones (``mean``, ``maximum``, ...) are not supported.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.pad(mg.tensor([1.0, 2.0]), 1)
    Tensor([0., 1., 2., 0.])
    """
    if mode not in _COPYING_PAD_MODES or kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError(f"pad(..., mode={mode!r}) is not differentiable in mygrad; use one of "
                                  f"{sorted(_COPYING_PAD_MODES)} (reflect_type='even')")  # fmt: skip
    return apply_unary(Pad, array, constant, pad_width=pad_width, mode=mode, options=kwargs)


# ------------------------------------------------------------------------------- sort and friends
def _sort_rule(g: Any, out: Any, x: Any, *, axis: Any, kind: Any) -> Any:
    if axis is None:
        return _scatter_flat(
            np.shape(x), np.argsort(np.reshape(data(x), -1), kind="stable"), np.reshape(g, -1)
        )
    order = np.argsort(data(x), axis=axis, kind="stable")
    return Scatter(
        _along_axis_index(order, normalize_axis_index(axis, np.ndim(x)), np.shape(x)), g, basic=False
    )


Sort = primitive("Sort", lambda x, *, axis, kind: np.sort(x, axis=axis, kind=kind), _sort_rule)


@public(np.sort)
def sort(a: Any, axis: int | None = -1, kind: Any = None, order: Any = None, *, stable: Any = None,
         constant: bool | None = None) -> Tensor:  # fmt: skip
    """A sorted copy of a tensor (along ``axis``, or of the flattened tensor for None).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.sort(mg.tensor([3.0, 1.0, 2.0]))
    Tensor([1., 2., 3.])
    """
    if order is not None:
        raise ValueError("`order` applies to structured arrays, which tensors cannot hold")
    return apply_unary(Sort, a, constant, axis=axis, kind="stable" if stable else kind)


def _take_rule(g: Any, out: Any, x: Any, *, indices: Any, axis: Any, mode: str) -> Any:
    if mode != "raise":  # 'wrap' and 'clip' remap indices before they are used
        size = np.size(x) if axis is None else np.shape(x)[axis]
        indices = np.mod(indices, size) if mode == "wrap" else np.clip(indices, 0, size - 1)
    if axis is None:
        return _scatter_flat(np.shape(x), np.reshape(indices, -1), np.reshape(g, -1))
    return Scatter((slice(None),) * normalize_axis_index(axis, np.ndim(x)) + (indices,), g, basic=False)


Take = primitive("Take", lambda x, *, indices, axis, mode: np.take(x, indices, axis, mode=mode), _take_rule)


@public(np.take)
def take(a: Any, indices: Any, axis: int | None = None, out: Any = None, mode: str = "raise", *,
         constant: bool | None = None) -> Tensor:  # fmt: skip
    """Take elements along an axis (of the flattened tensor by default).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.take(mg.tensor([4.0, 5.0, 6.0]), [0, 2])
    Tensor([4., 6.])
    """
    if out is not None:
        raise NotImplementedError("take(..., out=...) is not supported for tensors yet")
    indices = np.asarray(data(indices))
    if indices.size == 0:
        indices = indices.astype(np.intp)  # `[]` is a float array to NumPy, but selects nothing
    return apply_unary(Take, a, constant, indices=indices, axis=axis, mode=mode)


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
def take_along_axis(arr: Any, indices: Any, axis: int | None = -1, *, constant: bool | None = None) -> Tensor:
    """Pick values along an axis with an index array of matching dimensions (as ``argsort`` gives).

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[3.0, 1.0], [0.0, 2.0]])
    >>> mg.take_along_axis(x, [[1], [0]], axis=1)
    Tensor([[1.],
            [0.]])
    """
    return apply_unary(TakeAlongAxis, arr, constant, indices=np.asarray(data(indices)), axis=axis)


# ---------------------------------------------------------------------------------------------- where
def _where_forward(x: Any, y: Any, *, condition: Any) -> Any:
    return np.where(condition, x, y)


Where = primitive(
    "Where",
    _where_forward,
    lambda g, out, x, y, *, condition: g * condition,
    lambda g, out, x, y, *, condition: g * ~condition,
)
_NO_VALUE = object()


@public(np.where)
def where(condition: Any, x: Any = _NO_VALUE, y: Any = _NO_VALUE, *, constant: bool | None = None) -> Any:
    """Elements of ``x`` where ``condition`` holds, of ``y`` elsewhere; the condition is not differentiated.

    With only ``condition``, the indices where it holds (``numpy.where(condition)``).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.where([True, False], mg.tensor([1.0, 2.0]), 0.0)
    Tensor([1., 0.])
    """
    if x is _NO_VALUE and y is _NO_VALUE:
        return np.where(data(condition))
    if x is _NO_VALUE or y is _NO_VALUE:
        raise ValueError("either both or neither of x and y should be given")
    return apply(Where, (x, y), {"condition": np.asarray(data(condition), dtype=bool)}, constant)


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
    lambda x, *, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2).copy(),
    _diagonal_rule,
)


@public(np.diagonal, method="diagonal")
def diagonal(
    a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, *, constant: bool | None = None
) -> Tensor:
    """The diagonal of a tensor with respect to two of its axes (as the last axis of the result).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.diagonal(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([1., 4.])
    """
    return apply_unary(Diagonal, a, constant, offset=offset, axis1=axis1, axis2=axis2)


def _diag_rule(g: Any, out: Any, x: Any, *, k: int) -> Any:
    if np.ndim(x) == 1:
        return np.diagonal(g, k)
    return _diagonal_rule(g, out, x, offset=k, axis1=0, axis2=1)


Diag = primitive("Diag", lambda x, *, k: np.diag(x, k), _diag_rule)


@public(np.diag)
def diag(v: Any, k: int = 0, *, constant: bool | None = None) -> Tensor:
    """A diagonal matrix from a 1-D tensor, or the ``k``-th diagonal of a 2-D one.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.diag(mg.tensor([1.0, 2.0]))
    Tensor([[1., 0.],
            [0., 2.]])
    """
    if np.ndim(data(v)) not in (1, 2):
        raise ValueError("Input must be 1- or 2-d.")
    return apply_unary(Diag, v, constant, k=k)


@public(np.trace, method="trace")
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None, *,
          constant: bool | None = None) -> Tensor:  # fmt: skip
    """The sum along a diagonal.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.trace(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor(5.)
    """
    if out is not None:
        raise NotImplementedError("trace(..., out=...) is not supported for tensors yet")
    return _sum(diagonal(a, offset, axis1, axis2, constant=constant), axis=-1, dtype=dtype, constant=constant)
