"""Reductions and sequential functions: forward equal to NumPy's, gradients equal to central differences.

Every reduction is called three ways (``mg.sum(x)``, ``x.sum()``, ``np.sum(x)`` dispatched through
``__array_function__``), on hypothesis-drawn float64 tensors of any small shape (0-d and size-0 included), with
``axis`` None, an int, a negative int, a tuple of distinct axes or ``()``, and ``keepdims`` both ways. The
kinks (max/min ties, zeros in products, constant lanes in std) are checked against hand-computed gradients.
"""

from __future__ import annotations

import functools
import operator

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib.array_utils import normalize_axis_tuple

import mygrad as mg
from mygrad import Tensor
from mygrad.testing import assert_gradients_match, assert_second_derivatives_match
from mygrad.testing.strategies import array_shapes, broadcastable_shapes, finite_floats

COVERED_PRIMITIVES = {
    "Sum",
    "Mean",
    "Var",
    "Std",
    "Prod",
    "Max",
    "Min",
    "CumSum",
    "CumProd",
    "AddSequence",
    "MultiplySequence",
}

# ------------------------------------------------------------------------------------------ shared helpers
SHAPES = array_shapes(max_dims=3, max_side=3)  # at most 27 elements: products stay well inside float64
# Values on a 1/8 grid: distinct values are far apart compared with the difference step (1e-6), so central
# differences are exact away from ties (max/min) and never straddle a near-constant lane (std).
GRID = st.integers(-40, 40).map(lambda i: i / 8)
# Moderate values elsewhere keep the weighted output sums small, so their rounding stays far below atol.
VALUES = finite_floats(-3.0, 3.0)
# Products are multilinear, so central differences are exact; small magnitudes and many zeros. Subnormal
# values become zeros here: their gradients are checked on their own (test_products_of_subnormal_values).
WITH_ZEROS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0]),
    finite_floats(-1.25, 1.25).map(lambda v: v if abs(v) >= np.finfo(np.float64).tiny else 0.0),
)


def axes(ndim: int) -> st.SearchStrategy:
    """Every spelling of ``axis`` NumPy accepts: None, an int (negative too), a tuple of distinct axes, ``()``;
    for a 0-d input also 0 and -1, which NumPy's reductions accept (they reduce nothing) or refuse."""
    options = [
        st.none(),
        hnp.valid_tuple_axes(ndim),
        st.integers(-ndim, ndim - 1) if ndim else st.sampled_from([0, -1]),
    ]
    return st.one_of(options)


def reduced_axes(ndim: int, axis) -> tuple[int, ...]:
    """The axes a reduction over ``axis`` reduces: none of a 0-d input, whatever axis NumPy accepts for it."""
    if axis is None:
        return tuple(range(ndim))
    return normalize_axis_tuple(axis, ndim) if ndim else ()


def reduced_count(shape: tuple[int, ...], axis) -> int:
    reduced = reduced_axes(len(shape), axis)
    return int(np.prod([shape[i] for i in reduced]))


def draw_grad(data: st.DataObject, shape: tuple[int, ...]) -> np.ndarray:
    """A random upstream gradient: catches rules that are right only for a gradient of ones."""
    return data.draw(hnp.arrays(np.float64, shape, elements=finite_floats(-2.0, 2.0)), label="grad")


def assert_forward(out, expected) -> None:
    """``out`` is a Tensor equal to NumPy's ``expected`` in shape, dtype and values."""
    expected = np.asarray(expected)
    assert isinstance(out, Tensor), f"expected a Tensor, got {type(out).__name__}"
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected)


def check_op(f, x: np.ndarray, expected, grad=None) -> None:
    """The forward of ``f`` at ``x`` equals ``expected``, and its gradient matches central differences."""
    assert_forward(f(mg.tensor(x)), expected)
    assert_gradients_match(f, x, grad=grad)


def caller(name: str, via: str):
    """``mg.<name>(x, ...)``, ``x.<name>(...)`` or ``np.<name>(x, ...)`` (NumPy dispatching to mygrad)."""
    if via == "function":
        return getattr(mg, name)
    if via == "numpy":
        return getattr(np, name)
    return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


VIAS = ["function", "method", "numpy"]

# ---------------------------------------------------------------------------------------------- reductions
# name -> (extra keyword arguments, element strategy)
REDUCTIONS = {
    "sum": ({}, VALUES),
    "mean": ({}, VALUES),
    "var": ({"ddof": 0}, VALUES),
    "var-ddof1": ({"ddof": 1}, VALUES),
    "std": ({"ddof": 0}, GRID),
    "std-ddof1": ({"ddof": 1}, GRID),
    "prod": ({}, WITH_ZEROS),
    "max": ({}, GRID),
    "min": ({}, GRID),
    "amax": ({}, GRID),
    "amin": ({}, GRID),
}
# central differences split a tie between two values: ties are tested on their own, below
NO_TIES = {"max", "min", "amax", "amin"}
REDUCTION_CASES = [
    pytest.param(key, via, id=f"{key}-{via}")
    for key in REDUCTIONS
    for via in VIAS
    if not (via == "method" and key.startswith("am"))  # ndarray has no .amax/.amin method; neither do we
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's own warning for the mean of an empty lane
@pytest.mark.parametrize("key, via", REDUCTION_CASES)
@given(data=st.data())
def test_reduction(key, via, data):
    name = key.split("-")[0]
    extra, elements = REDUCTIONS[key]
    x = data.draw(hnp.arrays(np.float64, SHAPES, elements=elements, unique=name in NO_TIES), label="x")
    kwargs = dict(axis=data.draw(axes(x.ndim), label="axis"), keepdims=data.draw(st.booleans()), **extra)
    f = functools.partial(caller(name, via), **kwargs)
    try:
        expected = getattr(np, name)(x, **kwargs)
    except ValueError:  # NumPy refuses the max/min of an empty lane (or an axis of a 0-d array): so must we
        with pytest.raises(ValueError):
            f(mg.tensor(x))
        return
    if "ddof" in extra and reduced_count(x.shape, kwargs["axis"]) <= extra["ddof"]:
        assert_forward(
            f(mg.tensor(x)), expected
        )  # too few values per lane: NumPy's inf or NaN, no derivative
        return
    check_op(f, x, expected, grad=draw_grad(data, np.shape(expected)))


def test_amax_amin_are_max_min():
    assert mg.amax is mg.max
    assert mg.amin is mg.min


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_max_min_of_empty_lane_raise_value_error_like_numpy(name):
    x = mg.tensor(np.zeros((0, 3)))
    for f in (getattr(mg, name), getattr(np, name)):
        with pytest.raises(ValueError):
            f(x)
        with pytest.raises(ValueError):
            f(x, axis=0)
    assert_forward(getattr(mg, name)(x, axis=1), np.zeros(0))  # reducing the non-empty axis is fine


# -------------------------------------------------------------------------------------- max/min: ties
def first_extreme_mask(x: np.ndarray, axis, extreme) -> np.ndarray:
    """True at the first extreme of each reduced lane, "first" in C order over the reduced axes
    (the order in which ``np.argmax`` scans a lane), whatever order ``axis`` lists them in."""
    reduced = set(reduced_axes(x.ndim, axis))
    target = np.broadcast_to(extreme(x, axis=axis, keepdims=True), x.shape)
    mask = np.zeros(x.shape, dtype=bool)
    done = set()
    for index in np.ndindex(x.shape):
        lane = tuple(i for d, i in enumerate(index) if d not in reduced)
        if lane not in done and x[index] == target[index]:
            mask[index] = True
            done.add(lane)
    return mask


def backward_with(f, x: np.ndarray, grad=None) -> np.ndarray:
    t = mg.tensor(x)
    f(t).backward(grad)
    return t.grad


@pytest.mark.parametrize("name, extreme", [("max", np.max), ("min", np.min)])
@given(data=st.data())
def test_max_min_ties_send_the_gradient_to_the_first_extreme(name, extreme, data):
    # no `fill`: every element drawn on its own, so the ties fall in varied places
    ties = st.sampled_from([-1.0, 0.0, 1.0])
    x = data.draw(hnp.arrays(np.float64, SHAPES, elements=ties, fill=st.nothing()), label="x")
    assume(x.size)
    several = [hnp.valid_tuple_axes(x.ndim, min_size=2)] if x.ndim >= 2 else []  # in any order
    axis = data.draw(st.one_of(axes(x.ndim), *several), label="axis")
    keepdims = data.draw(st.booleans(), label="keepdims")
    out_shape = extreme(x, axis=axis, keepdims=keepdims).shape
    grad = draw_grad(data, out_shape)
    reduced = reduced_axes(x.ndim, axis)
    kept_grad = grad if keepdims else np.expand_dims(grad, sorted(reduced))
    expected = np.where(first_extreme_mask(x, axis, extreme), kept_grad, 0.0)
    actual = backward_with(lambda t: getattr(mg, name)(t, axis=axis, keepdims=keepdims), x, grad)
    np.testing.assert_array_equal(actual, expected)


TIE_CASES = [
    # x, axis, gradient of max(x, axis).sum()
    ([1.0, 3.0, 3.0], None, [0.0, 1.0, 0.0]),
    ([[3.0, 3.0], [3.0, 3.0]], None, [[1.0, 0.0], [0.0, 0.0]]),
    ([[1.0, 3.0], [3.0, 1.0]], 0, [[0.0, 1.0], [1.0, 0.0]]),
    ([[1.0, 3.0], [3.0, 1.0]], (0, 1), [[0.0, 1.0], [0.0, 0.0]]),
    ([[1.0, 3.0], [3.0, 1.0]], (1, 0), [[0.0, 1.0], [0.0, 0.0]]),  # the order of the axes does not matter
    ([[1.0, 3.0], [3.0, 1.0]], (-1, -2), [[0.0, 1.0], [0.0, 0.0]]),
]


@pytest.mark.parametrize("x, axis, expected", TIE_CASES)
def test_max_ties_by_hand(x, axis, expected):
    x = np.array(x)
    np.testing.assert_array_equal(backward_with(lambda t: mg.max(t, axis=axis), x), expected)
    np.testing.assert_array_equal(backward_with(lambda t: mg.min(t, axis=axis), -x), expected)


# ----------------------------------------------------------------------------------------- prod: zeros
PROD_ZERO_CASES = [
    # x, axis, gradient of prod(x, axis).sum()
    ([2.0, 0.0, 3.0], None, [0.0, 6.0, 0.0]),
    ([0.0, 2.0, 0.0, 3.0], None, [0.0, 0.0, 0.0, 0.0]),
    ([[2.0, 0.0, 3.0], [0.0, 4.0, 0.0]], 1, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]]),
    ([[2.0, 0.0], [5.0, 0.0]], 0, [[5.0, 0.0], [2.0, 0.0]]),
    ([[0.0, 3.0], [4.0, 5.0]], (0, 1), [[60.0, 0.0], [0.0, 0.0]]),
    ([[0.0, 3.0], [4.0, 5.0]], (1, 0), [[60.0, 0.0], [0.0, 0.0]]),
    ([[0.0, 3.0], [4.0, 5.0]], (), [[1.0, 1.0], [1.0, 1.0]]),
    (
        [[[0.0, 2.0], [3.0, 0.0]], [[5.0, 7.0], [0.0, 1.0]]],
        (0, 2),
        [[[70.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],
    ),
]


@pytest.mark.parametrize("name", ["prod", "cumprod"])
def test_products_of_subnormal_values(name):
    # d prod([x]) / dx = 1 however small x is; so is d cumprod([x]) / dx
    x = np.array([5e-324])
    np.testing.assert_allclose(backward_with(getattr(mg, name), x, np.array(0.5)), [0.5])


# --------------------------------------------------------------------------------- std: constant lanes
STD_CONSTANT_CASES = [
    # x, axis (the lanes of equal values get gradient 0, not NaN)
    ([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]], 1),
    ([[4.0, 4.0], [4.0, 4.0]], None),
    ([[4.0, 4.0], [4.0, 4.0]], (0, 1)),
    ([[2.0, 5.0], [2.0, -1.0]], 0),
    ([7.0], 0),
]


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("x, axis", STD_CONSTANT_CASES)
def test_std_of_constant_lane_has_zero_gradient(x, axis, keepdims, ddof):
    x = np.array(x)
    if reduced_count(x.shape, axis) - ddof <= 0:
        return
    f = functools.partial(mg.std, axis=axis, ddof=ddof, keepdims=keepdims)
    grad = backward_with(f, x)
    constant_lanes = np.broadcast_to(np.ptp(x, axis=axis, keepdims=True) == 0, x.shape)
    assert not np.isnan(grad).any()
    np.testing.assert_array_equal(grad[constant_lanes], 0.0)
    check_op(f, x, np.std(x, axis=axis, ddof=ddof, keepdims=keepdims))


# -------------------------------------------------------------------------------------- cumsum, cumprod
CUMULATIVE = {"cumsum": VALUES, "cumprod": WITH_ZEROS}


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name", sorted(CUMULATIVE))
@given(data=st.data())
def test_cumulative(name, via, data):
    x = data.draw(hnp.arrays(np.float64, SHAPES, elements=CUMULATIVE[name]), label="x")
    axis = data.draw(
        st.sampled_from([None, *range(-x.ndim, x.ndim)] if x.ndim else [None, 0, -1]), label="axis"
    )
    f = functools.partial(caller(name, via), axis=axis)
    expected = getattr(np, name)(x, axis=axis)
    check_op(f, x, expected, grad=draw_grad(data, expected.shape))


CUMPROD_ZERO_CASES = [
    # x, axis, gradient of cumprod(x, axis).sum()
    ([2.0, 0.0, 3.0, 0.0, 5.0], None, [1.0, 8.0, 0.0, 0.0, 0.0]),
    ([2.0, 0.0, 3.0, 0.0, 5.0], 0, [1.0, 8.0, 0.0, 0.0, 0.0]),
    ([0.0, 2.0, 3.0], -1, [9.0, 0.0, 0.0]),
    ([0.0, 0.0, 3.0], 0, [1.0, 0.0, 0.0]),
    ([[1.0, 0.0], [2.0, 3.0]], 0, [[3.0, 4.0], [1.0, 0.0]]),
    ([[1.0, 0.0], [2.0, 3.0]], 1, [[1.0, 1.0], [4.0, 2.0]]),
    ([[1.0, 0.0], [2.0, 3.0]], None, [[1.0, 9.0], [0.0, 0.0]]),
]


ZERO_CASES = [
    *(("prod", *case) for case in PROD_ZERO_CASES),
    *(("cumprod", *case) for case in CUMPROD_ZERO_CASES),
]


@pytest.mark.parametrize("name, x, axis, expected", ZERO_CASES)
def test_products_with_zeros(name, x, axis, expected):
    x = np.array(x)
    f = functools.partial(getattr(mg, name), axis=axis)
    np.testing.assert_array_equal(backward_with(f, x), expected)
    check_op(f, x, getattr(np, name)(x, axis=axis))


# ------------------------------------------------------------------------------------- n-ary sequences
SEQUENCES = {"add_sequence": operator.add, "multiply_sequence": operator.mul}


@pytest.mark.parametrize("name", sorted(SEQUENCES))
@given(data=st.data())
def test_sequence(name, data):
    n = data.draw(st.integers(2, 4), label="n")
    shapes = data.draw(broadcastable_shapes(n, max_side=3), label="shapes")
    xs = [data.draw(hnp.arrays(np.float64, s, elements=VALUES), label="x") for s in shapes]
    constant = data.draw(st.sets(st.integers(0, n - 1), max_size=n - 1), label="constant")
    f = getattr(mg, name)
    expected = functools.reduce(SEQUENCES[name], xs)
    assert_forward(f(*(mg.tensor(x) for x in xs)), expected)
    assert_gradients_match(f, *xs, grad=draw_grad(data, expected.shape), constant=sorted(constant))


@pytest.mark.parametrize("name", sorted(SEQUENCES))
@pytest.mark.parametrize("inputs", [(), (mg.tensor([1.0]),)], ids=["none", "one"])
def test_sequence_needs_two_inputs(name, inputs):
    with pytest.raises(ValueError):
        getattr(mg, name)(*inputs)


# ------------------------------------------------------------------------- non-differentiable: NumPy results
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
@given(data=st.data())
def test_arg_extremes_return_numpy_results(name, via, data):
    x = data.draw(hnp.arrays(np.float64, SHAPES, elements=GRID), label="x")
    axis = data.draw(st.sampled_from([None, *range(-x.ndim, x.ndim)]), label="axis")
    check_numpy_result(caller(name, via), getattr(np, name), x, axis=axis)


@pytest.mark.parametrize("via", VIAS)
@given(data=st.data())
def test_any_returns_numpy_results(via, data):
    x = data.draw(hnp.arrays(np.float64, SHAPES, elements=st.sampled_from([0.0, 0.0, 1.5])), label="x")
    kwargs = {"axis": data.draw(axes(x.ndim), label="axis"), "keepdims": data.draw(st.booleans())}
    check_numpy_result(caller("any", via), np.any, x, **kwargs)


def check_numpy_result(f, numpy_f, x: np.ndarray, **kwargs) -> None:
    try:
        expected = numpy_f(x, **kwargs)
    except ValueError:  # the arg-extreme of an empty lane
        with pytest.raises(ValueError):
            f(mg.tensor(x), **kwargs)
        return
    out = f(mg.tensor(x), **kwargs)
    assert not isinstance(out, Tensor)
    assert type(out) is type(expected)
    np.testing.assert_array_equal(out, expected)


# -------------------------------------------------------------------------------------- integer inputs
def test_sum_of_ints_is_a_constant_int():
    out = mg.sum(mg.tensor([1, 2]))
    assert isinstance(out, Tensor)
    assert out.constant
    assert out.dtype == np.sum(np.array([1, 2])).dtype
    assert out.item() == 3


@pytest.mark.parametrize("name, expected", [("mean", 2.5), ("var", 1.25), ("std", np.sqrt(1.25))])
def test_float_statistics_of_ints_are_constant_floats(name, expected):
    out = getattr(mg, name)(mg.tensor([1, 2, 3, 4]))
    assert isinstance(out, Tensor)
    assert out.constant
    assert out.dtype == np.float64
    assert out.item() == pytest.approx(expected)


# ------------------------------------------------------------------------------ an axis of a 0-d input
AXIS_OF_0D = {  # NumPy's reductions that take axis 0 / -1 of a 0-d input (reducing nothing)
    "sum": lambda t, axis: mg.sum(t, axis=axis, keepdims=True),
    "prod": lambda t, axis: np.prod(t, axis=axis),
    "max": lambda t, axis: t.max(axis=axis, keepdims=True),
    "min": lambda t, axis: np.min(t, axis=axis, initial=2.0),
    "nansum": lambda t, axis: np.nansum(t, axis=axis),
    "nanmax": lambda t, axis: np.nanmax(t, axis=axis, keepdims=True),
    "nanmin": lambda t, axis: np.nanmin(t, axis=axis),
    "ptp": lambda t, axis: np.ptp(t, axis=axis) + t,
    "cumsum": lambda t, axis: np.cumsum(t, axis=axis),
    "cumprod": lambda t, axis: t.cumprod(axis=axis),
    "cumulative_sum": lambda t, axis: np.cumulative_sum(t, axis=axis, include_initial=True),
    "logsumexp": lambda t, axis: mg.logsumexp(t, axis=axis),
    "take": lambda t, axis: np.take(t, [0, -1], axis=axis),
}


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("name", AXIS_OF_0D)
def test_backward_of_a_reduction_over_an_axis_of_a_0d_tensor(name, axis):
    # `t = mg.tensor(0.7); f = t.max(axis=-1, keepdims=True); (f * f).sum().backward()` crashed after a forward
    # that worked; first and second derivatives against central differences
    f = functools.partial(AXIS_OF_0D[name], axis=axis)
    out = f(mg.tensor(0.7))
    if name != "logsumexp":  # NumPy's own result, where NumPy has the function
        reference = f(np.array(0.7)) if name not in ("ptp",) else np.ptp(np.array(0.7), axis=axis) + 0.7
        assert_forward(out, reference)
    assert_gradients_match(lambda t: f(t) ** 2, np.array(0.7))
    assert_second_derivatives_match(lambda t: (f(t) ** 3).sum(), np.array(0.7))
