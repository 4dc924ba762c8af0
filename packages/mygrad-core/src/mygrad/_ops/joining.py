"""Joining and splitting: concatenate, stack, the ``*stack`` family, split, array_split, atleast_Nd."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from mygrad._core.operation import apply
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import Casting, data
from mygrad._ops.registry import implements_numpy_override, primitive, public
from mygrad._ops.shape import _back_to_shape
from mygrad._ops.writes import write_out


def _along(axis: int, start: int, stop: int) -> tuple:
    return (slice(None),) * axis + (slice(start, stop),)


def _concatenate_rule(i: int, g: Any, out: Any, *xs: Any, axis: int | None, **_: Any) -> Any:
    if axis is None:
        # (sizes from the shapes: np.size of a Dask array computes it)
        start = sum(math.prod(np.shape(x)) for x in xs[:i])
        return np.reshape(g[start : start + math.prod(np.shape(xs[i]))], np.shape(xs[i]))
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


@public()
@shared_docstring
def concatenate(
    tensors: Any, axis: int | None = 0, out: Any = None, dtype: Any = None, *, casting: Casting = "same_kind",
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Join a sequence of tensors along an existing axis (``axis=None``: flatten them first).

    Parameters
    ----------
    tensors : sequence of array_like
        Of the same shape except along ``axis``.
    axis : int or None, default 0
        The axis to join along.
    $out
    dtype : data-type, optional
        The dtype of the result.
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, default "same_kind"
        Which casts of the inputs to the result's dtype are allowed, as for NumPy.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0])
    >>> y = mg.tensor([2.0, 3.0])
    >>> z = mg.concatenate([x, y])
    >>> z
    Tensor([1., 2., 3.])
    >>> (z * [10.0, 20.0, 30.0]).sum().backward()  # each input gets its part of the gradient
    >>> x.grad, y.grad
    (array([10.]), array([20., 30.]))
    >>> mg.concatenate([mg.tensor([[1.0, 2.0]]), mg.tensor([[3.0], [4.0]])], axis=None)
    Tensor([1., 2., 3., 4.])
    """
    options: dict[str, Any] = {"axis": axis}
    if casting != "same_kind":  # (NumPy's default left out: Dask's concatenate takes no `casting`)
        options["casting"] = casting
    if dtype is not None:
        options["dtype"] = dtype
    return write_out(apply(Concatenate, _sequence_of_tensors(tensors, "concatenate"), options, constant), out)


@implements_numpy_override(np.concatenate)
def _numpy_concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting: Casting = "same_kind"):
    return concatenate(arrays, axis, out, dtype, casting=casting)


@public()
@shared_docstring
def stack(
    tensors: Any,
    axis: int = 0,
    out: Any = None,
    *,
    dtype: Any = None,
    casting: Casting = "same_kind",
    constant: bool | None = None,
) -> Tensor:
    """Join a sequence of equally shaped tensors along a new axis.

    Parameters
    ----------
    tensors : sequence of array_like
        Of the same shape.
    axis : int, default 0
        The position of the new axis in the result.
    $out
    dtype : data-type, optional
        The dtype of the result.
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, default "same_kind"
        Which casts of the inputs to ``dtype`` are allowed, as for NumPy.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.tensor([3.0, 4.0])
    >>> s = mg.stack([x, y], axis=1)
    >>> s
    Tensor([[1., 3.],
            [2., 4.]])
    >>> (s * [[1.0, 10.0], [2.0, 20.0]]).sum().backward()
    >>> x.grad, y.grad
    (array([1., 2.]), array([10., 20.]))
    """
    tensors = _sequence_of_tensors(tensors, "stack")
    if dtype is not None:
        for t in tensors:  # NumPy's check (and error) for the casting rule
            np.concatenate([np.empty((0,), dtype=np.result_type(data(t)))], dtype=dtype, casting=casting)
        tensors = tuple(
            t.astype(dtype) if isinstance(t, Tensor) else np.asarray(t, dtype=dtype) for t in tensors
        )
    return write_out(apply(Stack, tensors, {"axis": axis}, constant), out)


@implements_numpy_override(np.stack)
def _numpy_stack(arrays, axis=0, out=None, *, dtype=None, casting: Casting = "same_kind"):
    return stack(arrays, axis, out, dtype=dtype, casting=casting)


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
    *arys : array_like
        One or more tensors (or arrays, or numbers).
    constant : bool, optional
        Whether the results are constants (by default, only if their inputs are).

    Returns
    -------
    Tensor, or a list of Tensors for several inputs

    Examples
    --------
    >>> import mygrad as mg
    {example}
    """


@public(np.atleast_1d)
def atleast_1d(*arys: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast1D, 1, arys, constant)


@public(np.atleast_2d)
def atleast_2d(*arys: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast2D, 2, arys, constant)


@public(np.atleast_3d)
def atleast_3d(*arys: Any, constant: bool | None = None) -> Any:
    return _atleast(AtLeast3D, 3, arys, constant)


atleast_1d.__doc__ = _atleast_doc(
    1,
    """>>> x = mg.tensor(2.0)
    >>> y = mg.atleast_1d(x)
    >>> y, y.base is x
    (Tensor([2.]), True)
    >>> (3 * y).sum().backward()
    >>> x.grad
    array(3.)
    >>> mg.atleast_1d(1.0, [2.0, 3.0])
    [Tensor([1.]), Tensor([2., 3.])]""",
)
atleast_2d.__doc__ = _atleast_doc(
    2,
    """>>> mg.atleast_2d(mg.tensor([1.0, 2.0])).shape
    (1, 2)
    >>> x = mg.ones((2, 2))
    >>> mg.atleast_2d(x) is x
    True""",
)
atleast_3d.__doc__ = _atleast_doc(
    3,
    """>>> mg.atleast_3d(mg.tensor([1.0, 2.0])).shape
    (1, 2, 1)
    >>> mg.atleast_3d(mg.ones((2, 3))).shape
    (2, 3, 1)""",
)


def _list(result: Any) -> list:
    return result if isinstance(result, list) else [result]


@public(np.vstack)
@shared_docstring
def vstack(
    tup: Any, *, dtype: Any = None, casting: Casting = "same_kind", constant: bool | None = None
) -> Tensor:
    """Stack tensors vertically (along the first axis, 1-D inputs as rows).

    Parameters
    ----------
    tup : sequence of array_like
        Of the same shape except along the first axis (1-D inputs: of the same length).
    dtype : data-type, optional
        The dtype of the result.
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, default "same_kind"
        Which casts of the inputs to the result's dtype are allowed, as for NumPy.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> v = mg.vstack([x, [3.0, 4.0]])
    >>> v
    Tensor([[1., 2.],
            [3., 4.]])
    >>> v.backward()
    >>> x.grad
    array([1., 1.])
    """
    rows = _list(atleast_2d(*_sequence_of_tensors(tup, "vstack")))
    return concatenate(rows, axis=0, dtype=dtype, casting=casting, constant=constant)


@public(np.hstack)
@shared_docstring
def hstack(
    tup: Any, *, dtype: Any = None, casting: Casting = "same_kind", constant: bool | None = None
) -> Tensor:
    """Stack tensors horizontally (along the second axis; 1-D inputs end to end).

    Parameters
    ----------
    tup : sequence of array_like
        Of the same shape except along the second axis (1-D inputs: of any lengths).
    dtype : data-type, optional
        The dtype of the result.
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, default "same_kind"
        Which casts of the inputs to the result's dtype are allowed, as for NumPy.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0])
    >>> h = mg.hstack([x, mg.tensor([2.0, 3.0])])
    >>> h
    Tensor([1., 2., 3.])
    >>> (h * [5.0, 6.0, 7.0]).sum().backward()
    >>> x.grad
    array([5.])
    >>> mg.hstack([mg.ones((2, 1)), mg.zeros((2, 2))]).shape
    (2, 3)
    """
    parts = _list(atleast_1d(*_sequence_of_tensors(tup, "hstack")))
    axis = 0 if parts[0].ndim == 1 else 1
    return concatenate(parts, axis=axis, dtype=dtype, casting=casting, constant=constant)


@public(np.dstack)
@shared_docstring
def dstack(tup: Any, *, constant: bool | None = None) -> Tensor:
    """Stack tensors along the third axis.

    Parameters
    ----------
    tup : sequence of array_like
        Of the same shape except along the third axis; 1-D and 2-D inputs are first made 3-D (as
        :func:`atleast_3d` does).
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> d = mg.dstack([x, mg.tensor([3.0, 4.0])])
    >>> d.shape
    (1, 2, 2)
    >>> d[..., 0]
    Tensor([[1., 2.]])
    >>> d.backward()
    >>> x.grad
    array([1., 1.])
    """
    return concatenate(_list(atleast_3d(*_sequence_of_tensors(tup, "dstack"))), axis=2, constant=constant)


@public(np.array_split)
def array_split(
    ary: Any, indices_or_sections: Any, axis: int = 0, *, constant: bool | None = None
) -> list[Tensor]:
    """Split a tensor into sub-tensors (of nearly equal size for a number of sections); each is differentiable.

    Parameters
    ----------
    ary : array_like
    indices_or_sections : int or sequence of ints
        The number of sections (the first ``len % n`` of them one element longer), or the sorted indices
        along ``axis`` at which to split.
    axis : int, default 0
        The axis to split along.
    constant : bool, optional
        For an input that is not a tensor: whether the results are constants (by default they are). A
        tensor's pieces are views of it, and constants only if it is one.

    Returns
    -------
    list of Tensor
        Views of ``ary``.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.arange(5.0)
    >>> a, b = mg.array_split(x, 2)
    >>> a, b
    (Tensor([0., 1., 2.]), Tensor([3., 4.]))
    >>> (a.sum() + 10 * b.sum()).backward()
    >>> x.grad
    array([ 1.,  1.,  1., 10., 10.])
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

    Parameters
    ----------
    ary : array_like
    indices_or_sections : int or sequence of ints
        The number of sections, which must divide the length of ``axis``, or the sorted indices along
        ``axis`` at which to split.
    axis : int, default 0
        The axis to split along.
    constant : bool, optional
        For an input that is not a tensor: whether the results are constants (by default they are). A
        tensor's pieces are views of it, and constants only if it is one.

    Returns
    -------
    list of Tensor
        Views of ``ary``.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.arange(4.0)
    >>> mg.split(x, 2)
    [Tensor([0., 1.]), Tensor([2., 3.])]
    >>> first, rest = mg.split(x, [1])
    >>> first, rest
    (Tensor([0.]), Tensor([1., 2., 3.]))
    >>> rest.sum().backward()
    >>> x.grad
    array([0., 1., 1., 1.])
    """
    # the number as given, as NumPy: 2.5 sections do not divide a length of 4 (int() would truncate)
    if np.ndim(indices_or_sections) == 0 and np.shape(data(ary))[axis] % data(indices_or_sections):
        raise ValueError("array split does not result in an equal division")
    return array_split(ary, indices_or_sections, axis, constant=constant)
