"""Reductions and sequential functions: sum, mean, var, std, prod, max, min, cumsum, cumprod, and the n-ary
sum and product. Rules return the gradient with the reduced axes kept; the engine broadcasts it back."""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from mygrad._core.arrays import is_foreign
from mygrad._core.operation import apply
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import data
from mygrad._ops.registry import NO_VALUE, given, implements_numpy_override, primitive, public
from mygrad._ops.writes import write_out

Axis = int | tuple[int, ...] | None


def _axes(axis: Axis, ndim: int) -> tuple[int, ...]:
    """The reduced axes, non-negative and in increasing order (the order of "first" among ties)."""
    if axis is None:
        return tuple(range(ndim))
    if ndim == 0 and not isinstance(axis, tuple) and operator.index(axis) in (0, -1):
        return ()  # NumPy's reductions (ufunc.reduce) take this axis of a 0-d input: there is nothing to reduce
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _keep(g: Any, x: Any, axis: Axis, keepdims: bool) -> Any:
    """``g`` with the reduced axes of ``x`` restored as length-1 axes (broadcastable against ``x``)."""
    if keepdims or axis is None:  # a full reduction's 0-d gradient broadcasts as it is
        return g
    return np.reshape(g, [1 if i in _axes(axis, x.ndim) else n for i, n in enumerate(x.shape)])


def _count(x: Any, axis: Axis) -> int:
    return int(np.prod([x.shape[i] for i in _axes(axis, x.ndim)], dtype=np.int64))


# ------------------------------------------------------------------------------------------ sum and mean
def _options(axis: Axis, keepdims: bool, dtype: Any, where: Any, initial: Any = NO_VALUE) -> dict[str, Any]:
    """The keywords of a reduction, leaving out NumPy's defaults (so old NumPy-style calls stay cheap)."""
    options: dict[str, Any] = {"axis": axis, "keepdims": keepdims}
    if dtype is not None:
        options["dtype"] = dtype
    if where is not True:
        options["where"] = data(where)
    if initial is not NO_VALUE:
        options["initial"] = data(initial)
    return options


def _spread(g: Any, x: Any, axis: Axis, keepdims: bool, where: Any = True) -> Any:
    """The output's gradient spread over the reduced elements (those selected by ``where``)."""
    g = _keep(g, x, axis, keepdims)
    return g if where is True else g * where


def _mean_rule(g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool, where: Any = True, **_: Any) -> Any:
    if where is True:
        return _spread(g, x, axis, keepdims) / _count(x, axis)
    count = np.sum(np.broadcast_to(where, x.shape), axis=axis, keepdims=True)
    return _spread(g, x, axis, keepdims, where) / np.maximum(count, 1)


Sum = primitive(
    "Sum",
    np.sum,
    lambda g, out, x, *, axis, keepdims, where=True, **_: _spread(g, x, axis, keepdims, where),
)
Mean = primitive("Mean", np.mean, _mean_rule)


@public(method="sum")
@shared_docstring
def sum(  # noqa: A001
    x: Any, axis: Axis = None, keepdims: bool = False, *, dtype: Any = None, where: Any = True,
    initial: Any = NO_VALUE, constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Sum of the elements over the given axes.

    Parameters
    ----------
    $reduced
    $axes
    $keepdims
    $dtype
    $where
    initial : scalar, optional
        The starting value of the sum.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> s = mg.sum(x, axis=0)
    >>> s
    Tensor([4., 6.])
    >>> s.backward()  # every element contributes once to its column's sum
    >>> x.grad
    array([[1., 1.],
           [1., 1.]])
    >>> x.sum(where=[[True, False], [True, True]])  # the method takes the same arguments
    Tensor(8.)
    """
    return apply(Sum, (x,), _options(axis, keepdims, dtype, where, initial), constant)


@public(method="mean")
@shared_docstring
def mean(
    x: Any, axis: Axis = None, keepdims: bool = False, *, dtype: Any = None, where: Any = True,
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Arithmetic mean over the given axes.

    Parameters
    ----------
    $reduced
    $axes
    $keepdims
    $dtype
    $where
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 6.0])
    >>> m = mg.mean(x)
    >>> m
    Tensor(3.)
    >>> m.backward()
    >>> x.grad
    array([0.33333333, 0.33333333, 0.33333333])
    >>> mg.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1, keepdims=True)
    Tensor([[1.5],
            [3.5]])
    """
    return apply(Mean, (x,), _options(axis, keepdims, dtype, where), constant)


# ------------------------------------------------------------------------------------------- var and std
def _centered(x: Any, axis: Axis, where: Any) -> Any:
    """``x`` less the mean of the selected elements of its lane; 0 at the elements ``where`` leaves out."""
    if where is True:
        return x - np.mean(x, axis=axis, keepdims=True)
    return np.where(where, x - np.mean(x, axis=axis, keepdims=True, where=where), 0)


def _selected(x: Any, axis: Axis, where: Any) -> Any:
    """The number of elements of each lane that take part (a count with the reduced axes kept)."""
    if where is True:
        return _count(x, axis)
    return np.sum(np.broadcast_to(where, np.shape(x)), axis=axis, keepdims=True)


def _var_rule(
    g: Any, out: Any, x: Any, *, axis: Axis, ddof: int, keepdims: bool, where: Any = True, **_: Any
) -> Any:
    return _keep(g, x, axis, keepdims) * 2 * _centered(x, axis, where) / (_selected(x, axis, where) - ddof)


def _constant_lanes(x: Any, axis: Axis, where: Any) -> np.ndarray:
    """Where every selected value of a lane is the same finite number (a mask with the reduced axes kept)."""
    values = data(x)
    if where is True:  # (no `initial` then: Dask's max and min take none)
        if not math.prod(values.shape):  # no lane has a value, or there are no lanes
            return np.zeros_like(np.sum(values, axis=axis, keepdims=True), dtype=bool)
        high = np.max(values, axis=axis, keepdims=True)
        return (high == np.min(values, axis=axis, keepdims=True)) & np.isfinite(high)
    high = np.max(values, axis=axis, keepdims=True, initial=-np.inf, where=where)
    return (high == np.min(values, axis=axis, keepdims=True, initial=np.inf, where=where)) & np.isfinite(high)


def _std_rule(
    g: Any, out: Any, x: Any, *, axis: Axis, ddof: int, keepdims: bool, where: Any = True, **_: Any
) -> Any:
    # where every value is equal the std has a kink; we give it the subgradient 0 (not NaN). Found from the
    # values: there the computed mean, hence the std, may be off by a rounding error ([0.1] * 3 has a std of
    # 1.4e-17), and dividing by it would give a gradient that is no subgradient at all.
    std = _keep(out, x, axis, keepdims)
    flat = (data(std) == 0) | _constant_lanes(x, axis, where)
    return np.where(
        flat,
        0,
        _keep(g, x, axis, keepdims)
        * _centered(x, axis, where)
        / (np.where(flat, 1, std) * (_selected(x, axis, where) - ddof)),
    )


Var = primitive("Var", np.var, _var_rule)
Std = primitive("Std", np.std, _std_rule)


def _spread_of(
    op: Any, x: Any, axis: Axis, ddof: int, keepdims: bool, dtype: Any, where: Any, mean: Any, correction: Any,
    constant: bool | None,
) -> Tensor:  # fmt: skip
    """var or std (``op``), with NumPy's keywords."""
    if correction is not NO_VALUE:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    if mean is NO_VALUE:
        return apply(op, (x,), {"ddof": ddof, **_options(axis, keepdims, dtype, where)}, constant)
    # deviations from a given mean: composed of differentiable ops, so that the mean is differentiated too
    if axis is not None:  # (as np.var: no axis of a 0-d input, which np.sum would take)
        normalize_axis_tuple(axis, np.ndim(data(x)))
    where = data(where)
    squares = np.square(np.subtract(x, mean, dtype=dtype))
    count = np.sum(np.broadcast_to(where, np.shape(data(x))), axis=axis, keepdims=keepdims)
    variance = sum(squares, axis, keepdims, dtype=dtype, where=where, constant=constant) / (count - ddof)
    return variance if op is Var else np.sqrt(variance)


@public(method="var")
@shared_docstring
def var(
    x: Any, axis: Axis = None, ddof: int = 0, keepdims: bool = False, *, dtype: Any = None, where: Any = True,
    mean: Any = NO_VALUE, correction: Any = NO_VALUE, constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Variance over the given axes.

    Parameters
    ----------
    $reduced
    $axes
    $spread_options
    $keepdims
    $dtype
    $where
    $deviations_from
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0, 4.0])
    >>> v = mg.var(x)
    >>> v
    Tensor(1.25)
    >>> v.backward()  # 2 (x - mean) / N
    >>> x.grad
    array([-0.75, -0.25,  0.25,  0.75])
    >>> x.var(ddof=1)
    Tensor(1.66666667)
    """
    return _spread_of(Var, x, axis, ddof, keepdims, dtype, where, mean, correction, constant)


@public(method="std")
@shared_docstring
def std(
    x: Any, axis: Axis = None, ddof: int = 0, keepdims: bool = False, *, dtype: Any = None, where: Any = True,
    mean: Any = NO_VALUE, correction: Any = NO_VALUE, constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Standard deviation over the given axes. Its gradient where all values are equal is 0.

    Parameters
    ----------
    $reduced
    $axes
    $spread_options
    $keepdims
    $dtype
    $where
    $deviations_from
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 3.0])
    >>> s = mg.std(x)
    >>> s
    Tensor(1.)
    >>> s.backward()  # (x - mean) / (N std)
    >>> x.grad
    array([-0.5,  0.5])
    >>> x.std(ddof=1)
    Tensor(1.41421356)
    """
    return _spread_of(Std, x, axis, ddof, keepdims, dtype, where, mean, correction, constant)


# ------------------------------------------------------------------------------------------------- prod
def _to_last(x: Any, axes: tuple[int, ...]) -> Any:
    """``x`` with ``axes`` moved to the end and merged into one."""
    moved = np.moveaxis(x, axes, range(-len(axes), 0))
    return np.reshape(moved, moved.shape[: moved.ndim - len(axes)] + (-1,))


def _from_last(flat: Any, x: Any, axes: tuple[int, ...]) -> Any:
    moved_shape = tuple(n for i, n in enumerate(x.shape) if i not in axes) + tuple(x.shape[i] for i in axes)
    return np.moveaxis(np.reshape(flat, moved_shape), range(-len(axes), 0), axes)


def _exclusive_cumprod(x: Any, reverse: bool = False) -> Any:
    """Products of the elements before each one along the last axis (after it, if ``reverse``)."""
    if reverse:
        return np.flip(_exclusive_cumprod(np.flip(x, -1)), -1)
    shifted = np.concatenate([np.ones_like(x[..., :1]), x[..., :-1]], axis=-1)
    return np.cumprod(shifted, axis=-1)


def _prod_rule(
    g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool, where: Any = True, **options: Any
) -> Any:
    g = _spread(g, x, axis, keepdims, where)
    if where is not True:
        x = np.where(where, x, 1)  # excluded elements act as 1 in the product of the others
    # out / x is exact enough only if the product kept its precision: not 0, nor subnormal (an underflow)
    out_data = data(out)
    tiny = np.finfo(out_data.dtype).tiny if out_data.dtype.kind == "f" else 1
    if is_foreign(out_data) or is_foreign(data(x)):
        divisible = (
            False  # another library's array: the products of the others, with no test that computes it
        )
    else:
        divisible = x.size == 0 or not (data(x) == 0).any() and (np.abs(out_data) >= tiny).all()
    if divisible and not isinstance(
        g, Tensor
    ):  # (recorded: no division, so tiny values differentiate exactly)
        return g * (_keep(out, x, axis, keepdims) / x)  # out / x first: g * out may underflow
    # with zeros (or a product that underflowed to 0), divide nothing: the product of the others is
    # (product before) * (product after)
    axes = _axes(axis, x.ndim)
    if not axes:
        return g * np.ones_like(x) * options.get("initial", 1)
    flat = _to_last(x, axes)
    others = _exclusive_cumprod(flat) * _exclusive_cumprod(flat, reverse=True)
    return g * _from_last(others, x, axes) * options.get("initial", 1)


Prod = primitive("Prod", np.prod, _prod_rule)


@public(method="prod")
@shared_docstring
def prod(
    a: Any, axis: Axis = None, keepdims: bool = False, *, dtype: Any = None, where: Any = True,
    initial: Any = NO_VALUE, constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Product of the elements over the given axes (zeros are handled exactly).

    Parameters
    ----------
    a : array_like
        The tensor (or array) to reduce.
    $axes
    $keepdims
    $dtype
    $where
    initial : scalar, optional
        The starting value of the product.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([2.0, 0.0, 3.0])
    >>> p = mg.prod(x)
    >>> p
    Tensor(0.)
    >>> p.backward()  # each element's derivative is the product of the others
    >>> x.grad
    array([0., 6., 0.])
    >>> mg.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(axis=0)
    Tensor([3., 8.])
    """
    return apply(Prod, (a,), _options(axis, keepdims, dtype, where, initial), constant)


# -------------------------------------------------------------------------------------------- max, min
def _first_extreme(x: np.ndarray, axis: Axis, argfn: Any) -> np.ndarray:
    """A boolean mask of the first maximum (or minimum) of each reduced lane: ties give all to the first."""
    axes = _axes(axis, x.ndim)
    numpy = type(x) is np.ndarray
    if not axes or math.prod(x.shape) == 0:
        return np.ones(x.shape, dtype=bool) if numpy else np.ones_like(x, dtype=bool)
    flat = _to_last(x, axes)
    first = argfn(flat, axis=-1)[..., None]
    if numpy:
        mask = np.zeros(flat.shape, dtype=bool)
        np.put_along_axis(mask, first, True, axis=-1)
    else:  # in x's library, lazily where it is lazy (NumPy's put_along_axis would compute the positions), with
        # the positions made there too (a NumPy arange of a lane of Dask's size might not fit in memory)
        mask = first == np.arange(flat.shape[-1], like=flat)
    return _from_last(mask, x, axes)


def _extreme_rule(argfn: Any, skip: float) -> Any:
    def rule(
        g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool, where: Any = True, **options: Any
    ) -> Any:
        x = data(x)
        if where is not True:
            x = np.where(where, x, skip)  # excluded elements can never be the extreme
        mask = _first_extreme(x, axis, argfn)
        if where is not True or "initial" in options:  # the extreme may be `initial`, not an element
            at_extreme = x == _keep(data(out), x, axis, keepdims)
            if type(mask) is np.ndarray and type(at_extreme) is np.ndarray:
                mask &= at_extreme
            else:  # (Dask writes no ufunc's result into a NumPy array)
                mask = mask & at_extreme
        return _keep(g, x, axis, keepdims) * mask

    return rule


Max = primitive("Max", np.max, _extreme_rule(np.argmax, -np.inf))
Min = primitive("Min", np.min, _extreme_rule(np.argmin, np.inf))


@public(method="max")
@shared_docstring
def max(  # noqa: A001
    x: Any, axis: Axis = None, keepdims: bool = False, *, initial: Any = NO_VALUE, where: Any = True,
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Maximum over the given axes. Ties send the whole gradient to the first maximum.

    Parameters
    ----------
    $reduced
    $axes
    $keepdims
    $initial_extreme
    $where_extreme
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 3.0, 3.0])
    >>> m = mg.max(x)
    >>> m
    Tensor(3.)
    >>> m.backward()  # a tie: the first maximum gets the gradient
    >>> x.grad
    array([0., 1., 0.])
    >>> mg.max(x, initial=5.0)
    Tensor(5.)
    >>> mg.tensor([[1.0, 4.0], [2.0, 0.5]]).max(axis=0)
    Tensor([2., 4.])
    """
    return apply(Max, (x,), _options(axis, keepdims, None, where, initial), constant)


@public(method="min")
@shared_docstring
def min(  # noqa: A001
    x: Any, axis: Axis = None, keepdims: bool = False, *, initial: Any = NO_VALUE, where: Any = True,
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Minimum over the given axes. Ties send the whole gradient to the first minimum.

    Parameters
    ----------
    $reduced
    $axes
    $keepdims
    $initial_extreme
    $where_extreme
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 3.0], [0.0, 5.0]])
    >>> m = mg.min(x, axis=1)
    >>> m
    Tensor([1., 0.])
    >>> m.backward()
    >>> x.grad
    array([[1., 0.],
           [1., 0.]])
    >>> x.min(where=[[False, True], [False, True]], initial=10.0)
    Tensor(3.)
    """
    return apply(Min, (x,), _options(axis, keepdims, None, where, initial), constant)


amax = public(name="amax")(max)
amin = public(name="amin")(min)


# ------------------------------------------------------------------------------------ cumsum, cumprod
def _lanes(g: Any, x: Any, axis: int | None) -> tuple[Any, Any, int]:
    """Flatten for ``axis=None`` (and a 0-d input) as NumPy does: the lanes are then the one axis of the raveled
    input."""
    return (g, x, axis) if axis is not None and np.ndim(x) else (g, np.reshape(x, (-1,)), 0)


def _reverse_cumsum(a: Any, axis: int) -> Any:
    return np.flip(np.cumsum(np.flip(a, axis), axis), axis)


def _cumsum_rule(g: Any, out: Any, x: Any, *, axis: int | None, **_: Any) -> Any:
    return np.reshape(_reverse_cumsum(g, 0 if axis is None else axis), x.shape)


def _cumprod_rule(g: Any, out: Any, x: Any, *, axis: int | None, **_: Any) -> Any:
    shape = x.shape
    g, x, axis = _lanes(g, x, axis)
    if isinstance(g, Tensor):  # recorded (higher order): the plain formula, with no division or branches
        return np.reshape(_cumprod_rule_by_products(g, x, axis), shape)
    is_zero = data(x) == 0
    if not is_foreign(is_zero) and not is_zero.any():  # (another library's: no test, which would compute it)
        # in extended precision: g * out underflows for tiny (subnormal) products, which x then divides
        wide = np.longdouble
        return np.reshape(_reverse_cumsum(g.astype(wide) * out.astype(wide), axis) / x.astype(wide), shape)
    # Before a lane's first zero the usual formula holds; at the first zero, the cumulative products with it
    # replaced by 1 give its derivative; after it every derivative is 0.
    zeros_so_far = np.cumsum(is_zero, axis=axis)
    before = zeros_so_far == 0
    first = is_zero & (zeros_so_far == 1)
    out_without_first = np.cumprod(np.where(first, 1, x), axis=axis)
    grad = np.where(
        before,
        _reverse_cumsum(g * out, axis) / np.where(before, x, 1),
        np.where(first, _reverse_cumsum(g * out_without_first, axis), 0),
    )
    return np.reshape(grad, shape)


def _cumprod_rule_by_products(g: Any, x: Any, axis: int) -> Any:
    """d/dx_i = sum_{k >= i} g_k prod_{j <= k, j != i} x_j, from the cumulative products of x with x_i replaced
    by 1 (one lane per i): quadratic in the lane's length, but exact with zeros and differentiable again."""
    n = x.shape[axis]
    lanes = np.moveaxis(x, axis, -1)[..., None, :]  # (..., 1, n)
    without_i = np.cumprod(np.where(np.eye(n, dtype=bool), 1, lanes), axis=-1)  # [..., i, k]
    later = np.triu(np.ones((n, n), dtype=bool))  # k >= i
    grad = np.sum(np.moveaxis(g, axis, -1)[..., None, :] * without_i * later, axis=-1)
    return np.moveaxis(grad, -1, axis)


CumSum = primitive("CumSum", np.cumsum, _cumsum_rule)
CumProd = primitive("CumProd", np.cumprod, _cumprod_rule)


@public(np.cumsum, method="cumsum")
@shared_docstring
def cumsum(
    a: Any, axis: int | None = None, dtype: Any = None, out: Any = None, *, constant: bool | None = None
) -> Tensor:
    """Cumulative sum along an axis (of the flattened tensor by default).

    $cumulative

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.cumsum(mg.tensor([1.0, 2.0, 3.0]))
    Tensor([1., 3., 6.])
    """
    options = {"axis": axis} if dtype is None else {"axis": axis, "dtype": dtype}
    return write_out(apply(CumSum, (a,), options, constant), out)


@public(np.cumprod, method="cumprod")
@shared_docstring
def cumprod(
    a: Any, axis: int | None = None, dtype: Any = None, out: Any = None, *, constant: bool | None = None
) -> Tensor:
    """Cumulative product along an axis (of the flattened tensor by default); zeros are handled exactly.

    $cumulative

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.cumprod(mg.tensor([1.0, 2.0, 3.0]))
    Tensor([1., 2., 6.])
    """
    options = {"axis": axis} if dtype is None else {"axis": axis, "dtype": dtype}
    return write_out(apply(CumProd, (a,), options, constant), out)


# ------------------------------------------------------------------------------- n-ary sum and product
AddSequence = primitive(
    "AddSequence", lambda *xs: functools.reduce(operator.add, xs), rule_at=lambda i, g, out, *xs: g
)
MultiplySequence = primitive(
    "MultiplySequence",
    lambda *xs: functools.reduce(operator.mul, xs),
    rule_at=lambda i, g, out, *xs: functools.reduce(operator.mul, xs[:i] + xs[i + 1 :], g),
)


def _sequence(op: Any, variables: tuple, constant: bool | None) -> Tensor:
    if len(variables) < 2:
        raise ValueError(f"`{op.__name__}` requires at least two inputs, got {len(variables)}")
    return apply(op, variables, {}, constant)


@public()
@shared_docstring
def add_sequence(*variables: Any, constant: bool | None = None) -> Tensor:
    """Add two or more tensors (broadcasting) as one operation: ``a + b + c + ...``.

    Parameters
    ----------
    *variables : array_like
        Two or more tensors (or arrays, or numbers) to add; they broadcast together.
    $constant

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor(1.0)
    >>> y = mg.tensor([2.0, 3.0])
    >>> s = mg.add_sequence(x, y, 3.0)
    >>> s
    Tensor([6., 7.])
    >>> s.backward()  # x was broadcast to both elements
    >>> x.grad, y.grad
    (array(2.), array([1., 1.]))
    """
    return _sequence(AddSequence, variables, constant)


@public()
@shared_docstring
def multiply_sequence(*variables: Any, constant: bool | None = None) -> Tensor:
    """Multiply two or more tensors (broadcasting) as one operation: ``a * b * c * ...``.

    Parameters
    ----------
    *variables : array_like
        Two or more tensors (or arrays, or numbers) to multiply; they broadcast together.
    $constant

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor(2.0)
    >>> p = mg.multiply_sequence(x, 3.0, 4.0)
    >>> p
    Tensor(24.)
    >>> p.backward()  # the product of the others
    >>> x.grad
    array(12.)
    """
    return _sequence(MultiplySequence, variables, constant)


# --------------------------------------------------------------------- not differentiable: arg-extremes
@public(np.argmax, method="argmax")
@shared_docstring
def argmax(
    a: Any, axis: int | None = None, out: np.ndarray | None = None, *, keepdims: Any = NO_VALUE
) -> Any:
    """Indices of the maximum values (a NumPy array: indices have no gradient).

    Parameters
    ----------
    $arg_extreme

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.argmax(mg.tensor([1.0, 5.0, 2.0]))
    np.int64(1)
    >>> mg.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(axis=1)
    array([1, 0])
    """
    return np.argmax(data(a), axis=axis, out=out, keepdims=given(keepdims, False))


@public(np.argmin, method="argmin")
@shared_docstring
def argmin(
    a: Any, axis: int | None = None, out: np.ndarray | None = None, *, keepdims: Any = NO_VALUE
) -> Any:
    """Indices of the minimum values (a NumPy array: indices have no gradient).

    Parameters
    ----------
    $arg_extreme

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.argmin(mg.tensor([1.0, 5.0, 0.0]))
    np.int64(2)
    >>> mg.tensor([[1.0, 5.0], [7.0, 2.0]]).argmin(axis=0)
    array([0, 1])
    """
    return np.argmin(data(a), axis=axis, out=out, keepdims=given(keepdims, False))


@public(np.any, method="any")
@shared_docstring
def any(a: Any, axis: Axis = None, out: np.ndarray | None = None, keepdims: Any = NO_VALUE, *,  # noqa: A001
        where: Any = NO_VALUE) -> Any:  # fmt: skip
    """Whether any element (along the given axes) is true; a NumPy result.

    Parameters
    ----------
    $truth_test

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.any(mg.tensor([0.0, 1.0]))
    np.True_
    >>> mg.tensor([[0.0, 1.0], [0.0, 0.0]]).any(axis=1)
    array([ True, False])
    """
    return np.any(
        data(a), axis=axis, out=out, keepdims=given(keepdims, False), where=data(given(where, True))
    )


# ------------------------------------------------------------------- NumPy's functions, with NumPy's signatures
# mygrad's own keep MyGrad 2's (``sum(x, axis, keepdims)``); NumPy's put ``dtype`` and ``out`` first.
@implements_numpy_override(np.sum)
def _numpy_sum(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    result = sum(a, axis, given(keepdims, False), dtype=dtype, where=given(where, True), initial=initial)
    return write_out(result, out)


@implements_numpy_override(np.prod)
def _numpy_prod(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    result = prod(a, axis, given(keepdims, False), dtype=dtype, where=given(where, True), initial=initial)
    return write_out(result, out)


@implements_numpy_override(np.mean)
def _numpy_mean(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, *, where=NO_VALUE):
    return write_out(mean(a, axis, given(keepdims, False), dtype=dtype, where=given(where, True)), out)


def _numpy_spread_of(op: Any) -> Any:
    """np.var or np.std (``op``), with NumPy's signature."""

    def spread_of(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NO_VALUE, *, where=NO_VALUE,
                  mean=NO_VALUE, correction=NO_VALUE):  # fmt: skip
        result = _spread_of(
            op, a, axis, ddof, given(keepdims, False), dtype, given(where, True), mean, correction, None
        )
        return write_out(result, out)

    return spread_of


implements_numpy_override(np.var)(_numpy_spread_of(Var))
implements_numpy_override(np.std)(_numpy_spread_of(Std))


@implements_numpy_override(np.max)
@implements_numpy_override(np.amax)
def _numpy_max(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    return write_out(max(a, axis, given(keepdims, False), initial=initial, where=given(where, True)), out)


@implements_numpy_override(np.min)
@implements_numpy_override(np.amin)
def _numpy_min(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    return write_out(min(a, axis, given(keepdims, False), initial=initial, where=given(where, True)), out)


@public(np.all, method="all")
@shared_docstring
def all(a: Any, axis: Axis = None, out: np.ndarray | None = None, keepdims: Any = NO_VALUE, *,  # noqa: A001
        where: Any = NO_VALUE) -> Any:  # fmt: skip
    """Whether every element (along the given axes) is true; a NumPy result.

    Parameters
    ----------
    $truth_test

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.all(mg.tensor([1.0, 2.0]))
    np.True_
    >>> mg.tensor([[1.0, 0.0], [2.0, 3.0]]).all(axis=1, keepdims=True)
    array([[False],
           [ True]])
    """
    return np.all(
        data(a), axis=axis, out=out, keepdims=given(keepdims, False), where=data(given(where, True))
    )
