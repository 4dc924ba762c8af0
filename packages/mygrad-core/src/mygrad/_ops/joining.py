"""Joining and splitting: concatenate, stack, the ``*stack`` family, split, array_split, atleast_Nd."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from mygrad._core.operation import apply
from mygrad._core.registry import primitive, public
from mygrad._core.tensor import Tensor
from mygrad._ops._common import data
from mygrad._ops.shape import _back_to_shape


def _along(axis: int, start: int, stop: int) -> tuple:
    return (slice(None),) * axis + (slice(start, stop),)


def _concatenate_rule(i: int, g: Any, out: Any, *xs: Any, axis: int | None, **_: Any) -> Any:
    if axis is None:
        start = sum(np.size(x) for x in xs[:i])
        return np.reshape(g[start : start + np.size(xs[i])], np.shape(xs[i]))
    axis = normalize_axis_index(axis, g.ndim)
    start = sum(np.shape(x)[axis] for x in xs[:i])
    return g[_along(axis, start, start + np.shape(xs[i])[axis])]


def _stack_rule(i: int, g: Any, out: Any, *xs: Any, axis: int) -> Any:
    return g[(slice(None),) * normalize_axis_index(axis, g.ndim) + (i,)]


Concatenate = primitive("Concatenate", lambda *xs, **kw: np.concatenate(xs, **kw), rule_at=_concatenate_rule)
Stack = primitive("Stack", lambda *xs, axis: np.stack(xs, axis=axis), rule_at=_stack_rule)


def _sequence_of_tensors(tensors: Any, name: str) -> tuple:
    if isinstance(tensors, (Tensor, np.ndarray)):
        tensors = list(tensors)  # NumPy iterates over the first axis
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError(f"need at least one array to {name}")
    return tensors


@public(np.concatenate)
def concatenate(
    tensors: Any, axis: int | None = 0, out: Any = None, dtype: Any = None, *, casting: str = "same_kind",
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Join a sequence of tensors along an existing axis (``axis=None``: flatten them first).

    Parameters
    ----------
    tensors : sequence of array_like
    axis : int or None, default 0
    out : None
        Not supported for tensors.
    dtype : data-type, optional
    constant : bool, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.concatenate([mg.tensor([1.0]), mg.tensor([2.0, 3.0])])
    Tensor([1., 2., 3.])
    """
    if out is not None:
        raise NotImplementedError("concatenate(..., out=...) is not supported for tensors yet")
    options: dict[str, Any] = {"axis": axis, "casting": casting}
    if dtype is not None:
        options["dtype"] = dtype
    return apply(Concatenate, _sequence_of_tensors(tensors, "concatenate"), options, constant)


@public(np.stack)
def stack(
    tensors: Any, axis: int = 0, out: Any = None, *, dtype: Any = None, constant: bool | None = None
) -> Tensor:
    """Join a sequence of equally shaped tensors along a new axis.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.stack([mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])], axis=1)
    Tensor([[1., 3.],
            [2., 4.]])
    """
    if out is not None:
        raise NotImplementedError("stack(..., out=...) is not supported for tensors yet")
    tensors = _sequence_of_tensors(tensors, "stack")
    if dtype is not None:
        tensors = tuple(
            t.astype(dtype) if isinstance(t, Tensor) else np.asarray(t, dtype=dtype) for t in tensors
        )
    return apply(Stack, tensors, {"axis": axis}, constant)


AtLeast1D = primitive("AtLeast1D", np.atleast_1d, _back_to_shape, view=True)
AtLeast2D = primitive("AtLeast2D", np.atleast_2d, _back_to_shape, view=True)
AtLeast3D = primitive("AtLeast3D", np.atleast_3d, _back_to_shape, view=True)


def _atleast(op: Any, ndim: int, tensors: tuple, constant: bool | None) -> Any:
    results = [
        t if isinstance(t, Tensor) and t.ndim >= ndim and constant is None else apply(op, (t,), {}, constant)
        for t in tensors
    ]
    return results[0] if len(results) == 1 else results


def _atleast_doc(n: int, example: str) -> str:
    return f"""View the inputs as tensors of at least {n} dimension(s); tensors that have them are returned as
    they are.

    Parameters
    ----------
    *tensors : array_like
    constant : bool, optional

    Returns
    -------
    Tensor, or a list of Tensors for several inputs

    Examples
    --------
    >>> import mygrad as mg
    {example}
    """


@public(np.atleast_1d)
def atleast_1d(*tensors: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast1D, 1, tensors, constant)


@public(np.atleast_2d)
def atleast_2d(*tensors: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast2D, 2, tensors, constant)


@public(np.atleast_3d)
def atleast_3d(*tensors: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast3D, 3, tensors, constant)


atleast_1d.__doc__ = _atleast_doc(1, ">>> mg.atleast_1d(mg.tensor(2.0))\n    Tensor([2.])")
atleast_2d.__doc__ = _atleast_doc(2, ">>> mg.atleast_2d(mg.tensor([1.0, 2.0])).shape\n    (1, 2)")
atleast_3d.__doc__ = _atleast_doc(3, ">>> mg.atleast_3d(mg.tensor([1.0, 2.0])).shape\n    (1, 2, 1)")


def _list(result: Any) -> list:
    return result if isinstance(result, list) else [result]


@public(np.vstack)
def vstack(
    tup: Any, *, dtype: Any = None, casting: str = "same_kind", constant: bool | None = None
) -> Tensor:
    """Stack tensors vertically (along the first axis, 1-D inputs as rows).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.vstack([mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    rows = _list(atleast_2d(*_sequence_of_tensors(tup, "vstack")))
    return concatenate(rows, axis=0, dtype=dtype, casting=casting, constant=constant)


@public(np.hstack)
def hstack(
    tup: Any, *, dtype: Any = None, casting: str = "same_kind", constant: bool | None = None
) -> Tensor:
    """Stack tensors horizontally (along the second axis; 1-D inputs end to end).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.hstack([mg.tensor([1.0]), mg.tensor([2.0, 3.0])])
    Tensor([1., 2., 3.])
    """
    parts = _list(atleast_1d(*_sequence_of_tensors(tup, "hstack")))
    axis = 0 if parts[0].ndim == 1 else 1
    return concatenate(parts, axis=axis, dtype=dtype, casting=casting, constant=constant)


@public(np.dstack)
def dstack(tup: Any, *, constant: bool | None = None) -> Tensor:
    """Stack tensors along the third axis.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.dstack([mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])]).shape
    (1, 2, 2)
    """
    return concatenate(_list(atleast_3d(*_sequence_of_tensors(tup, "dstack"))), axis=2, constant=constant)


@public(np.array_split)
def array_split(
    ary: Any, indices_or_sections: Any, axis: int = 0, *, constant: bool | None = None
) -> list[Tensor]:
    """Split a tensor into sub-tensors (of nearly equal size for a number of sections); each is differentiable.

    Examples
    --------
    >>> import mygrad as mg
    >>> [t.shape for t in mg.array_split(mg.arange(5.0), 2)]
    [(3,), (2,)]
    """
    x = (
        ary
        if isinstance(ary, Tensor)
        else Tensor(ary, constant=True if constant is None else constant, copy=False)
    )
    axis = normalize_axis_index(axis, x.ndim)
    length = x.shape[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        size, extra = divmod(length, sections)
        bounds = np.cumsum([0] + [size + 1] * extra + [size] * (sections - extra)).tolist()
    else:
        bounds = [0, *(int(i) for i in data(indices_or_sections)), length]
    return [x[_along(axis, start, stop)] for start, stop in zip(bounds[:-1], bounds[1:])]  # slices as NumPy's


@public(np.split)
def split(ary: Any, indices_or_sections: Any, axis: int = 0, *, constant: bool | None = None) -> list[Tensor]:
    """Split a tensor into equal sub-tensors (or at the given indices); each is differentiable.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.split(mg.arange(4.0), 2)
    [Tensor([0., 1.]), Tensor([2., 3.])]
    """
    if np.ndim(indices_or_sections) == 0 and np.shape(data(ary))[axis] % int(indices_or_sections):
        raise ValueError("array split does not result in an equal division")
    return array_split(ary, indices_or_sections, axis, constant=constant)
