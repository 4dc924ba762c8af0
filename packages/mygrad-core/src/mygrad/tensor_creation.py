"""Making tensors: from data, or filled (zeros, ones, ranges). None of these records a graph edge, but the view
that ``tensor(t, ndmin=n, copy=False)`` makes of a tensor with fewer dimensions (as NumPy views an array)."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from mygrad._core.arrays import as_array, is_foreign
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring

__all__ = [
    "arange", "asarray", "astensor", "empty", "empty_like", "eye", "full", "full_like", "geomspace", "identity",
    "linspace", "logspace", "ones", "ones_like", "tensor", "zeros", "zeros_like",
]  # fmt: skip


@shared_docstring
def tensor(
    arr_like: Any, dtype: Any = None, *, constant: bool | None = None, copy: bool = True, ndmin: int = 0
) -> Tensor:
    """Create a tensor from array-like data (like :func:`numpy.array`).

    Parameters
    ----------
    arr_like : array_like
        The data; for a Tensor, its data (not its graph).
    dtype : data-type, optional
    constant : bool, optional
        Exclude the tensor from differentiation. Default: floating types are differentiable, integer and
        boolean tensors are constants.
    copy : bool, default True
        With ``False``, a Tensor whose dtype and constant flag already match is returned as it is (or, to give
        it ``ndmin`` dimensions, a view of it, as NumPy views an array), and arrays are not copied where NumPy
        need not.
    ndmin : int, default 0
        The least number of dimensions of the result: axes of length one are added in front.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tensor([1.0, 2.0])
    Tensor([1., 2.])
    >>> mg.tensor([1, 2]).constant
    True
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.tensor(x, ndmin=2, copy=False)
    >>> y, y.base is x
    (Tensor([[1., 2.]]), True)
    """
    if (
        not copy
        and isinstance(arr_like, Tensor)
        and (dtype is None or np.dtype(dtype) == arr_like.dtype)
        and (constant is None or constant == arr_like.constant)
    ):
        missing = operator.index(ndmin) - arr_like.ndim
        # as np.array(a, ndmin=n, copy=False): `a` itself, or a view of it with the missing axes in front
        return arr_like if missing <= 0 else arr_like[(None,) * missing]
    return Tensor(arr_like, dtype=dtype, constant=constant, copy=copy, ndmin=ndmin)


@shared_docstring
def astensor(t: Any, dtype: Any = None, *, constant: bool | None = None) -> Tensor:
    """``tensor(t, dtype, constant=constant, copy=False)``: no copy where none is needed.

    Parameters
    ----------
    t : array_like
        The data; a Tensor is returned as it is when its dtype and constant flag match.
    dtype : data-type, optional
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0])
    >>> mg.astensor(x) is x
    True
    >>> mg.astensor(x, dtype="float32") is x  # a new dtype needs a new tensor
    False
    >>> mg.astensor([1, 2])
    Tensor([1, 2])
    """
    return tensor(t, dtype, constant=constant, copy=False)


def asarray(a: Any, dtype: Any = None, order: Any = None) -> np.ndarray:
    """The data of ``a`` as a NumPy array; a Tensor gives its own array, uncopied.

    Parameters
    ----------
    a : array_like
        A Tensor, an array, or anything :func:`numpy.asarray` takes.
    dtype : data-type, optional
    order : {"C", "F", "A", "K"}, optional
        The memory layout, as for :func:`numpy.asarray`.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> mg.asarray(x) is x.data
    True
    >>> mg.asarray(x, dtype=int)
    array([1, 2])
    """
    return np.asarray(a.data if isinstance(a, Tensor) else a, dtype=dtype, order=order)


def _model(other: Any) -> Any:
    """The array that a *_like function models its result on: another library's array (a Dask tensor's data)
    stays in its library, uncomputed, as NumPy's *_like keep it."""
    return as_array(other.data if isinstance(other, Tensor) else other)


def _filled(data: np.ndarray, constant: bool | None) -> Tensor:
    return Tensor(data, constant=constant, copy=False)


def _like_constant(other: Any, constant: bool | None) -> bool | None:
    # a *_like result is differentiable only when modelled on a differentiable tensor
    if constant is not None:
        return constant
    return None if isinstance(other, Tensor) and not other.constant else True


@shared_docstring
def zeros(shape: Any, dtype: Any = np.float32, *, constant: bool | None = None) -> Tensor:
    """A tensor of zeros.

    Parameters
    ----------
    $shape
    dtype : data-type, default float32
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.zeros(2)
    Tensor([0., 0.], dtype=float32)
    """
    return _filled(np.zeros(shape, dtype=dtype), constant)


@shared_docstring
def ones(shape: Any, dtype: Any = np.float32, *, constant: bool | None = None) -> Tensor:
    """A tensor of ones.

    Parameters
    ----------
    $shape
    dtype : data-type, default float32
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.ones((1, 2), dtype=float)
    Tensor([[1., 1.]])
    """
    return _filled(np.ones(shape, dtype=dtype), constant)


@shared_docstring
def empty(shape: Any, dtype: Any = np.float32, *, constant: bool | None = None) -> Tensor:
    """A tensor of uninitialized values.

    Parameters
    ----------
    $shape
    dtype : data-type, default float32
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.empty((2, 3)).shape
    (2, 3)
    """
    return _filled(np.empty(shape, dtype=dtype), constant)


@shared_docstring
def full(shape: Any, fill_value: Any, dtype: Any = None, *, constant: bool | None = None) -> Tensor:
    """A tensor filled with ``fill_value`` (dtype inferred from it by default).

    Parameters
    ----------
    $shape
    fill_value : scalar or array_like
        The value (it broadcasts to ``shape``).
    dtype : data-type, optional
        Default: ``fill_value``'s.
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.full(2, 7.0)
    Tensor([7., 7.])
    >>> mg.full((2, 2), [1, 2])
    Tensor([[1, 2],
            [1, 2]])
    """
    return _filled(np.full(shape, getattr(fill_value, "data", fill_value), dtype=dtype), constant)


@shared_docstring
def zeros_like(other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None) -> Tensor:
    """A tensor of zeros with the shape and dtype of ``other``.

    The result is a constant unless ``other`` is a differentiable Tensor (or ``constant`` says otherwise).

    Parameters
    ----------
    other : array_like
    $like_dtype_shape
    $like_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.zeros_like(mg.tensor([1.0, 2.0]))
    Tensor([0., 0.])
    """
    return _filled(np.zeros_like(_model(other), dtype=dtype, shape=shape), _like_constant(other, constant))


@shared_docstring
def ones_like(other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None) -> Tensor:
    """A tensor of ones with the shape and dtype of ``other``.

    The result is a constant unless ``other`` is a differentiable Tensor (or ``constant`` says otherwise).

    Parameters
    ----------
    other : array_like
    $like_dtype_shape
    $like_constant

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> mg.ones_like(np.ones(2)).constant
    True
    """
    return _filled(np.ones_like(_model(other), dtype=dtype, shape=shape), _like_constant(other, constant))


@shared_docstring
def empty_like(other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None) -> Tensor:
    """An uninitialized tensor with the shape and dtype of ``other``.

    The result is a constant unless ``other`` is a differentiable Tensor (or ``constant`` says otherwise).

    Parameters
    ----------
    other : array_like
    $like_dtype_shape
    $like_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.empty_like(mg.tensor([[1.0, 2.0]])).shape
    (1, 2)
    """
    return _filled(np.empty_like(_model(other), dtype=dtype, shape=shape), _like_constant(other, constant))


@shared_docstring
def full_like(
    other: Any, fill_value: Any, dtype: Any = None, shape: Any = None, constant: bool | None = None
) -> Tensor:
    """A tensor of ``fill_value`` with the shape and dtype of ``other``.

    The result is a constant unless ``other`` is a differentiable Tensor (or ``constant`` says otherwise).

    Parameters
    ----------
    other : array_like
    fill_value : scalar
    $like_dtype_shape
    $like_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.full_like(mg.tensor([1.0, 2.0]), 5)
    Tensor([5., 5.])
    """
    data = np.full_like(_model(other), getattr(fill_value, "data", fill_value), dtype=dtype, shape=shape)
    return _filled(data, _like_constant(other, constant))


@shared_docstring
def eye(
    N: int, M: int | None = None, k: int = 0, dtype: Any = float, *, constant: bool | None = None
) -> Tensor:  # noqa: N803
    """A 2-D tensor with ones on the ``k``-th diagonal and zeros elsewhere.

    Parameters
    ----------
    N : int
        The number of rows.
    M : int, optional
        The number of columns; ``N`` by default.
    k : int, default 0
        The diagonal's offset from the main one (positive: above it).
    dtype : data-type, default float
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.eye(2)
    Tensor([[1., 0.],
            [0., 1.]])
    >>> mg.eye(2, 3, k=1, dtype=int)
    Tensor([[0, 1, 0],
            [0, 0, 1]])
    """
    return _filled(np.eye(N, M, k=k, dtype=dtype), constant)


@shared_docstring
def identity(n: int, dtype: Any = float, *, constant: bool | None = None) -> Tensor:
    """The ``n`` by ``n`` identity matrix.

    Parameters
    ----------
    n : int
        The number of rows and of columns.
    dtype : data-type, default float
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.identity(2)
    Tensor([[1., 0.],
            [0., 1.]])
    >>> mg.identity(2, dtype=bool).constant
    True
    """
    return _filled(np.identity(n, dtype=dtype), constant)


@shared_docstring
def arange(*args: Any, constant: bool | None = None, **kwargs: Any) -> Tensor:
    """Evenly spaced values in ``[start, stop)``: ``arange([start,] stop[, step,], dtype=None)``.

    Parameters
    ----------
    *args : int or float
        ``stop``, or ``start, stop``, or ``start, stop, step``, as for :func:`numpy.arange`.
    $new_constant
    **kwargs
        ``start=``, ``stop=``, ``step=``, ``dtype=`` (and ``device=``, ``like=``), as for
        :func:`numpy.arange`.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.arange(3)
    Tensor([0, 1, 2])
    >>> mg.arange(0.0, 1.0, 0.5)
    Tensor([0. , 0.5])
    >>> mg.arange(3, dtype="float32", constant=True)
    Tensor([0., 1., 2.], dtype=float32)
    """
    return _filled(np.arange(*args, **kwargs), constant)


@shared_docstring
def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None, axis: int = 0, *,
             constant: bool | None = None) -> Tensor:  # fmt: skip
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Parameters
    ----------
    start, stop : array_like
    num : int, default 50
    endpoint : bool, default True
    dtype : data-type, optional
    axis : int, default 0
        Where to put the samples' axis, for array-valued ``start``/``stop``.
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.linspace(0, 1, 3)
    Tensor([0. , 0.5, 1. ])
    """
    data = np.linspace(asarray(start), asarray(stop), num, endpoint=endpoint, dtype=dtype, axis=axis)
    return _filled(data, constant)


@shared_docstring
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: Any = 10, dtype: Any = None,
             axis: int = 0, *, constant: bool | None = None) -> Tensor:  # fmt: skip
    """``num`` values evenly spaced on a log scale, from ``base**start`` to ``base**stop``.

    Parameters
    ----------
    start, stop : array_like
    num : int, default 50
    endpoint : bool, default True
    base : array_like, default 10
    dtype : data-type, optional
    axis : int, default 0
        Where to put the samples' axis, for array-valued ``start``/``stop``.
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.logspace(0, 2, 3)
    Tensor([  1.,  10., 100.])
    """
    data = np.logspace(
        asarray(start), asarray(stop), num, endpoint=endpoint, base=base, dtype=dtype, axis=axis
    )
    return _filled(data, constant)


@shared_docstring
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None, axis: int = 0, *,
              constant: bool | None = None) -> Tensor:  # fmt: skip
    """``num`` values in a geometric progression from ``start`` to ``stop``.

    Parameters
    ----------
    start, stop : array_like
    num : int, default 50
    endpoint : bool, default True
    dtype : data-type, optional
    axis : int, default 0
        Where to put the samples' axis, for array-valued ``start``/``stop``.
    $new_constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.geomspace(1, 100, 3)
    Tensor([  1.,  10., 100.])
    """
    data = np.geomspace(asarray(start), asarray(stop), num, endpoint=endpoint, dtype=dtype, axis=axis)
    return _filled(data, constant)


# NumPy's *_like functions on a tensor, with NumPy's signatures (mygrad's keep MyGrad 2's): NumPy makes the
# array (its layout, its device check); the tensor is differentiable as mygrad's *_like results are
def _like_elsewhere(fn: Any, model: Any, *fill: Any, dtype: Any, order: Any, shape: Any, device: Any) -> Any:
    """NumPy's ``fn`` (``np.zeros_like`` ...) on another library's array, which stays in its library: only the
    keywords given otherwise than NumPy's defaults are passed (Dask's *_like take no ``subok`` nor ``device``)."""
    kwargs = {"dtype": dtype, "shape": shape}
    if order != "K":
        kwargs["order"] = order
    if device is not None:
        kwargs["device"] = device
    return fn(model, *fill, **kwargs)


def _numpy_zeros_like(a, dtype=None, order: Any = "K", subok=True, shape=None, *, device=None):
    model = _model(a)
    if is_foreign(model):
        data = _like_elsewhere(np.zeros_like, model, dtype=dtype, order=order, shape=shape, device=device)
    else:
        data = np.zeros_like(model, dtype, order, subok, shape, device=device)
    return _filled(data, _like_constant(a, None))


def _numpy_ones_like(a, dtype=None, order: Any = "K", subok=True, shape=None, *, device=None):
    model = _model(a)
    if is_foreign(model):
        data = _like_elsewhere(np.ones_like, model, dtype=dtype, order=order, shape=shape, device=device)
    else:
        data = np.ones_like(model, dtype, order, subok, shape, device=device)
    return _filled(data, _like_constant(a, None))


def _numpy_empty_like(prototype, /, dtype=None, order: Any = "K", subok=True, shape=None, *, device=None):
    model = _model(prototype)
    if is_foreign(model):
        data = _like_elsewhere(np.empty_like, model, dtype=dtype, order=order, shape=shape, device=device)
    else:
        data = np.empty_like(model, dtype, order, subok, shape, device=device)
    return _filled(data, _like_constant(prototype, None))


def _numpy_full_like(a, fill_value, dtype=None, order: Any = "K", subok=True, shape=None, *, device=None):
    model = _model(a)
    if is_foreign(model):
        value = fill_value.data if isinstance(fill_value, Tensor) else fill_value
        data = _like_elsewhere(
            np.full_like, model, value, dtype=dtype, order=order, shape=shape, device=device
        )
    else:
        data = np.full_like(model, asarray(fill_value), dtype, order, subok, shape, device=device)
    return _filled(data, _like_constant(a, None))


def _register_overrides() -> None:
    from mygrad._ops.registry import implements_numpy_override, made_by_numpy, nondifferentiable

    made_by_numpy(np.zeros, np.ones, np.empty, np.full, np.arange, np.eye, np.identity, np.asarray, np.linspace,
                  np.logspace, np.geomspace)  # fmt: skip
    nondifferentiable(np.save)  # the tensor's data, as NumPy saves an array

    for numpy_func, override in (
        (np.zeros_like, _numpy_zeros_like), (np.ones_like, _numpy_ones_like), (np.empty_like, _numpy_empty_like),
        (np.full_like, _numpy_full_like),
    ):  # fmt: skip
        implements_numpy_override(numpy_func)(override)


_register_overrides()
