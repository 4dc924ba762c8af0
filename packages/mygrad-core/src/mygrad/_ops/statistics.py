"""Reductions beyond MyGrad 2: the NaN-ignoring ones, ``average``, ``ptp``, ``cumulative_sum`` and
``logsumexp``. NaNs get no gradient; the rest follows the plain reductions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from mygrad._core.arrays import is_foreign
from mygrad._core.operation import apply
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import data
from mygrad._ops.reductions import (
    Axis,
    _extreme_rule,
    _keep,
    _options,
    _reverse_cumsum,
    _spread,
)
from mygrad._ops.reductions import max as _max
from mygrad._ops.reductions import mean as _mean
from mygrad._ops.reductions import min as _min
from mygrad._ops.reductions import sum as _sum
from mygrad._ops.registry import NO_VALUE, given, primitive, public
from mygrad._ops.writes import write_out


def _present(x: Any) -> np.ndarray:
    return ~np.isnan(data(x))


def _nansum_rule(g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool, where: Any = True, **_: Any) -> Any:
    return _spread(g, x, axis, keepdims, where) * _present(x)


def _nanmean_rule(
    g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool, where: Any = True, **_: Any
) -> Any:
    counted = _present(x) if where is True else _present(x) & where
    count = np.sum(counted, axis=axis, keepdims=True)
    return _spread(g, x, axis, keepdims) * counted / np.maximum(count, 1)


NanSum = primitive("NanSum", np.nansum, _nansum_rule)
NanMean = primitive("NanMean", np.nanmean, _nanmean_rule)


def _nan_extreme_rule(argfn: Any, skip: float) -> Any:
    # NaNs are skipped as if excluded by `where`; an all-NaN lane gives NaN and no gradient
    rule = _extreme_rule(argfn, skip)

    def nan_rule(g: Any, out: Any, x: Any, *, where: Any = True, **options: Any) -> Any:
        return rule(g, out, x, where=_present(x) & where, **options)

    return nan_rule


NanMax = primitive("NanMax", np.nanmax, _nan_extreme_rule(np.argmax, -np.inf))
NanMin = primitive("NanMin", np.nanmin, _nan_extreme_rule(np.argmin, np.inf))


def _nan_reduce(op: Any, a: Any, axis: Axis, dtype: Any, out: Any, keepdims: Any, initial: Any, where: Any,
                constant: bool | None) -> Tensor:  # fmt: skip
    options = _options(axis, given(keepdims, False), dtype, given(where, True), initial)
    return write_out(apply(op, (a,), options, constant), out)


# each with NumPy's own signature
@public(np.nansum)
@shared_docstring
def nansum(a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: Any = NO_VALUE,
           initial: Any = NO_VALUE, where: Any = NO_VALUE, *, constant: bool | None = None) -> Tensor:  # fmt: skip
    """Sum, treating NaNs as zero (they get no gradient).

    Parameters
    ----------
    a : array_like
    $axes
    dtype : data-type, optional
    $out
    keepdims : bool, default False
    initial : scalar, optional
        As NumPy's ``initial=``.
    $where
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, np.nan, 2.0])
    >>> s = np.nansum(x)
    >>> s
    Tensor(3.)
    >>> s.backward()
    >>> x.grad
    array([1., 0., 1.])
    """
    return _nan_reduce(NanSum, a, axis, dtype, out, keepdims, initial, where, constant)


@public(np.nanmean)
@shared_docstring
def nanmean(a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: Any = NO_VALUE, *,
            where: Any = NO_VALUE, constant: bool | None = None) -> Tensor:  # fmt: skip
    """Mean of the elements that are not NaN.

    Parameters
    ----------
    a : array_like
    $axes
    dtype : data-type, optional
    $out
    keepdims : bool, default False
    $where
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, np.nan, 2.0])
    >>> m = np.nanmean(x)
    >>> m
    Tensor(1.5)
    >>> m.backward()
    >>> x.grad
    array([0.5, 0. , 0.5])
    """
    return _nan_reduce(NanMean, a, axis, dtype, out, keepdims, NO_VALUE, where, constant)


@public(np.nanmax)
@shared_docstring
def nanmax(a: Any, axis: Axis = None, out: Any = None, keepdims: Any = NO_VALUE, initial: Any = NO_VALUE,
           where: Any = NO_VALUE, *, constant: bool | None = None) -> Tensor:  # fmt: skip
    """Maximum ignoring NaNs (ties: the first maximum).

    Parameters
    ----------
    a : array_like
    $axes
    $out
    keepdims : bool, default False
    initial : scalar, optional
        As NumPy's ``initial=``.
    $where
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, np.nan, 2.0])
    >>> m = np.nanmax(x)
    >>> m
    Tensor(2.)
    >>> m.backward()
    >>> x.grad
    array([0., 0., 1.])
    """
    return _nan_reduce(NanMax, a, axis, None, out, keepdims, initial, where, constant)


@public(np.nanmin)
@shared_docstring
def nanmin(a: Any, axis: Axis = None, out: Any = None, keepdims: Any = NO_VALUE, initial: Any = NO_VALUE,
           where: Any = NO_VALUE, *, constant: bool | None = None) -> Tensor:  # fmt: skip
    """Minimum ignoring NaNs (ties: the first minimum).

    Parameters
    ----------
    a : array_like
    $axes
    $out
    keepdims : bool, default False
    initial : scalar, optional
        As NumPy's ``initial=``.
    $where
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, np.nan, 2.0])
    >>> m = mg.nanmin(x)
    >>> m
    Tensor(1.)
    >>> m.backward()
    >>> x.grad
    array([1., 0., 0.])
    """
    return _nan_reduce(NanMin, a, axis, None, out, keepdims, initial, where, constant)


@public(np.average)
@shared_docstring
def average(
    a: Any, axis: Axis = None, weights: Any = None, returned: bool = False, *, keepdims: Any = NO_VALUE,
    constant: bool | None = None,
) -> Any:  # fmt: skip
    """The weighted average along the given axes (differentiable in ``a`` and ``weights``).

    Parameters
    ----------
    a : array_like
    axis : int or tuple of ints, optional
        The axes to average over; all of them by default.
    weights : array_like, optional
        Of ``a``'s shape, or 1-D along a single ``axis``, as in NumPy.
    returned : bool, default False
        Also return the sum of the weights.
    keepdims : bool, default False
        Keep the reduced axes, with length one.
    $constant

    Returns
    -------
    Tensor, or (Tensor, Tensor) if ``returned``

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 3.0])
    >>> w = mg.tensor([3.0, 1.0])
    >>> avg = np.average(x, weights=w)
    >>> avg
    Tensor(1.5)
    >>> avg.backward()
    >>> x.grad  # w / sum(w)
    array([0.75, 0.25])
    >>> w.grad  # (x - avg) / sum(w)
    array([-0.125,  0.375])
    """
    keepdims = given(keepdims, False)
    if axis is not None:  # as NumPy's: no axis of a 0-d input (np.sum would take one)
        normalize_axis_tuple(axis, np.ndim(data(a)))
    if weights is None:
        avg = _mean(a, axis=axis, keepdims=keepdims, constant=constant)
        if not returned:
            return avg
        # (sizes from the shapes: np.size of a Dask array computes it)
        count = math.prod(np.shape(data(a))) / max(math.prod(np.shape(data(avg))), 1)
        return avg, Tensor(np.full(avg.shape, count, dtype=avg.dtype), constant=True)
    a_shape, w_shape = np.shape(data(a)), np.shape(data(weights))
    if a_shape != w_shape:  # weights for the reduced axes only, in the order `axis` lists them
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        axes = normalize_axis_tuple(axis, len(a_shape))
        if w_shape != tuple(a_shape[i] for i in axes):
            raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
        weights = np.reshape(
            np.transpose(weights, np.argsort(axes)), [n if i in axes else 1 for i, n in enumerate(a_shape)]
        )
    total = _sum(np.broadcast_to(weights, a_shape), axis=axis, keepdims=keepdims, constant=constant)
    if np.any(data(total) == 0):
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    avg = _sum(a * weights, axis=axis, keepdims=keepdims, constant=constant) / total
    return (avg, total) if returned else avg


@public(np.ptp)
@shared_docstring
def ptp(
    a: Any, axis: Axis = None, out: Any = None, keepdims: Any = NO_VALUE, *, constant: bool | None = None
) -> Tensor:
    """Peak to peak: the maximum minus the minimum along the given axes.

    Parameters
    ----------
    a : array_like
    axis : int or tuple of ints, optional
        The axes to reduce; all of them by default.
    $out
    keepdims : bool, default False
        Keep the reduced axes, with length one.
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([4.0, 1.0, 3.0])
    >>> r = np.ptp(x)
    >>> r
    Tensor(3.)
    >>> r.backward()  # +1 for the maximum, -1 for the minimum
    >>> x.grad
    array([ 1., -1.,  0.])
    """
    keepdims = given(keepdims, False)
    result = _max(a, axis=axis, keepdims=keepdims, constant=constant) - _min(
        a, axis=axis, keepdims=keepdims, constant=constant
    )
    return write_out(result, out)


def _cumulative_sum_rule(g: Any, out: Any, x: Any, *, axis: Any, include_initial: bool, **_: Any) -> Any:
    axis = 0 if axis is None or np.ndim(x) == 0 else axis  # (NumPy sums a 0-d input as a 1-D one, any axis)
    if include_initial:
        g = np.take(g, np.arange(1, g.shape[axis]), axis=axis)
    return _reverse_cumsum(g, axis)


CumulativeSum = primitive("CumulativeSum", np.cumulative_sum, _cumulative_sum_rule)


@public(np.cumulative_sum)
@shared_docstring
def cumulative_sum(
    x: Any, /, *, axis: int | None = None, dtype: Any = None, out: Any = None, include_initial: bool = False,
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """NumPy 2's cumulative sum: ``axis`` is required beyond 1-D; ``include_initial`` prepends a zero.

    Parameters
    ----------
    x : array_like
    axis : int, optional
        The axis to sum along; may be omitted only for 0-d and 1-d input.
    dtype : data-type, optional
        The type in which to accumulate and return the result.
    $out
    include_initial : bool, default False
        Start with a zero (the result is one longer along ``axis``).
    $constant_one

    $returns

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> c = np.cumulative_sum(x, include_initial=True)
    >>> c
    Tensor([0., 1., 3., 6.])
    >>> c.backward()  # each element is in every later partial sum
    >>> x.grad
    array([3., 2., 1.])
    """
    options: dict[str, Any] = {"axis": axis, "include_initial": include_initial}
    if dtype is not None:
        options["dtype"] = dtype
    return write_out(apply(CumulativeSum, (x,), options, constant), out)


def _logsumexp(x: Any, *, axis: Axis, keepdims: bool) -> np.ndarray:
    # (the size from the shape: np.size of a Dask array computes it)
    shift = np.max(x, axis=axis, keepdims=True) if math.prod(np.shape(x)) else np.zeros((1,) * np.ndim(x))
    shift = np.where(np.isfinite(shift), shift, 0)  # all -inf (or inf) lanes: no shift, NumPy's own answer
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def _logsumexp_rule(g: Any, out: Any, x: Any, *, axis: Axis, keepdims: bool) -> Any:
    # the softmax; in a lane of -inf alone (logsumexp -inf) no entry gets a gradient, as -inf entries beside
    # finite ones get none (exp(-inf - -inf) would be NaN)
    g, out = _keep(g, x, axis, keepdims), _keep(out, x, axis, keepdims)
    empty = data(out) == -np.inf
    if not is_foreign(empty) and not np.any(empty):  # (another library's: no test, which would compute it)
        return g * np.exp(x - out)
    return np.where(empty, 0, g * np.exp(x - np.where(empty, 0, out)))


LogSumExp = primitive("LogSumExp", _logsumexp, _logsumexp_rule)


@public()
@shared_docstring
def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False, *, constant: bool | None = None) -> Tensor:
    """``log(sum(exp(x)))`` over the given axes, computed without overflow; its gradient is the softmax.

    Parameters
    ----------
    x : array_like
    axis : int or tuple of ints, optional
        The axes to reduce; all of them by default.
    keepdims : bool, default False
        Keep the reduced axes, with length one.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1000.0, 1000.0])
    >>> f = mg.logsumexp(x)
    >>> f
    Tensor(1000.69314718)
    >>> f.backward()  # the softmax of x
    >>> x.grad
    array([0.5, 0.5])
    """
    return apply(LogSumExp, (x,), {"axis": axis, "keepdims": keepdims}, constant)
