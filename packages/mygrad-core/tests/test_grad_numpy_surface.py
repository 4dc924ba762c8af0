"""The NumPy functions mygrad differentiates beyond MyGrad 2 (API.md section 5, items 3 and 4).

Each function is called as ``mg.<name>(...)`` and as ``np.<name>(tensor, ...)`` (NumPy dispatching to mygrad
through ``__array_ufunc__``/``__array_function__``), and as a Tensor method where there is one. The result must
be a Tensor equal to NumPy's own result on the same float64 arrays (same shape and dtype). The gradient must
match central differences (``assert_gradients_match``) under a random upstream gradient. Shapes, axes, shifts,
indices and masks are drawn by hypothesis, 0-d and size-0 included where NumPy accepts them. Where NumPy
raises, mygrad must raise the same exception type.

Values are drawn so that central differences are meaningful: distinct grid values for sort/max/min-like ops
(no ties), bounds and inputs on interleaved grids for fmax/fmin/clip. The kinks (ties, the origin of hypot,
NaNs) are checked by hand.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._ops.registry import PRIMITIVES
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import array_shapes, broadcastable_shapes, finite_floats, tensors

# Every Primitive whose gradient this file checks numerically (read by test_registry.py).
COVERED_PRIMITIVES = {
    # ufuncs
    "Fabs",
    "Hypot",
    "FloatPower",
    "Deg2rad",
    "Rad2deg",
    "Fmax",
    "Fmin",
    # reductions
    "NanSum",
    "NanMean",
    "NanMax",
    "NanMin",
    "CumulativeSum",
    # joining
    "Concatenate",
    "Stack",
    "AtLeast1D",
    "AtLeast2D",
    "AtLeast3D",
    # rearranging and picking
    "Roll",
    "Flip",
    "Repeat",
    "Tile",
    "Pad",
    "Sort",
    "Take",
    "TakeAlongAxis",
    "Where",
    "Diagonal",
    "Diag",
}


def test_covered_primitives_exist():
    assert set(PRIMITIVES) >= COVERED_PRIMITIVES


# ------------------------------------------------------------------------------------------------ domains
SHAPES = array_shapes(max_dims=3, max_side=3)  # at most 27 elements; 0-d and size-0 included
NONEMPTY_SHAPES = array_shapes(max_dims=3, min_side=1, max_side=3)
VALUES = finite_floats(-3.0, 3.0)
# distinct values on a 1/8 grid are far apart compared with the difference step: no ties for sort/max/min
GRID = st.integers(-40, 40).map(lambda i: i / 8)
OFF_GRID = st.integers(-40, 40).map(lambda i: i / 8 + 1 / 16)  # never equal to a GRID value
# fmax/fmin and clip: x on n + 1/4 and the other input on n + 3/4 never tie
QUARTERS = st.integers(-8, 8).map(lambda n: n + 0.25)
THREE_QUARTERS = st.integers(-8, 8).map(lambda n: n + 0.75)
LOWER_BOUNDS = st.integers(-8, -1).map(lambda n: n + 0.75)
UPPER_BOUNDS = st.integers(0, 8).map(lambda n: n + 0.75)
UPSTREAM = finite_floats(-2.0, 2.0)


# ------------------------------------------------------------------------------------------------ helpers
def draw_x(data, shape=SHAPES, elements=VALUES, label: str = "x") -> np.ndarray:
    return data.draw(tensors(shape=shape, elements=elements), label=label).data


def draw_distinct(data, shape=SHAPES, label: str = "x") -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, shape, elements=GRID, unique=True), label=label)


def draw_mask(data, shape, label: str = "mask") -> np.ndarray:
    return data.draw(hnp.arrays(np.bool_, shape), label=label)


def draw_grad(data, shape) -> np.ndarray:
    """A random upstream gradient: catches rules that are right only for a gradient of ones."""
    return data.draw(hnp.arrays(np.float64, shape, elements=UPSTREAM), label="grad")


def draw_axis(data, ndim: int, label: str = "axis") -> int:
    """One axis, written positive or negative (of a 0-d input: 0 or -1, which NumPy's reductions take)."""
    return data.draw(st.integers(-ndim, ndim - 1) if ndim else st.sampled_from([0, -1]), label=label)


def draw_axes(data, ndim: int, label: str = "axis"):
    """None, an int (negative too) or a tuple of distinct axes (``()`` included); for a 0-d input also 0 and -1,
    which NumPy's reductions accept (they reduce nothing) or refuse."""
    options = [
        st.none(),
        hnp.valid_tuple_axes(ndim),
        st.integers(-ndim, ndim - 1) if ndim else st.sampled_from([0, -1]),
    ]
    return data.draw(st.one_of(options), label=label)


def method(name: str) -> Callable:
    """``x.<name>(...)``; ``astensor`` lets the numerical pass (on ndarrays) reach mygrad's method too."""

    def call(x, *args, **kwargs):
        return getattr(mg.astensor(x), name)(*args, **kwargs)

    call.__name__ = f"Tensor.{name}"
    return call


def spellings(name: str, with_method: bool = False) -> list[Callable]:
    """``mg.<name>``, ``np.<name>`` (dispatched to mygrad for tensors) and, maybe, the Tensor method."""
    calls = [getattr(mg, name), getattr(np, name)]
    return [*calls, method(name)] if with_method else calls


def assert_forward(result, expected) -> None:
    """``result`` is a Tensor holding NumPy's ``expected``: same shape, dtype and values."""
    expected = np.asarray(expected)
    assert isinstance(result, mg.Tensor), f"expected a Tensor, got {type(result).__name__}"
    assert result.shape == expected.shape, f"shape {result.shape}, NumPy's {expected.shape}"
    assert result.dtype == expected.dtype, f"dtype {result.dtype}, NumPy's {expected.dtype}"
    np.testing.assert_allclose(result.data, expected, rtol=1e-7, atol=1e-12)


def check(call: Callable, *arrays, expected, grad=None, constant=(), op: str | None = None) -> None:
    """``call(*tensors)`` gives NumPy's ``expected`` (made by the Primitive ``op``, if named), and its
    gradients match central differences."""
    result = call(*(mg.tensor(a, constant=i in constant) for i, a in enumerate(arrays)))
    assert_forward(result, expected)
    if op is not None:
        assert type(result.creator).__name__ == op
    assert_gradients_match(call, *arrays, grad=grad, constant=constant)


def check_spellings(name: str, x, *args, expected, grad, op=None, with_method=False, **kwargs) -> None:
    """``check`` each spelling of ``name`` (see ``spellings``), called as ``f(tensor, *args, **kwargs)``."""
    for call in spellings(name, with_method):
        check(lambda t, call=call: call(t, *args, **kwargs), x, expected=expected, grad=grad, op=op)


def check_joining(name: str, arrays, *, expected, grad, op=None, **kwargs) -> None:
    """``check`` each spelling of ``name``, called as ``f([tensor, ...], **kwargs)``."""
    for call in spellings(name):
        check(lambda *ts, call=call: call(list(ts), **kwargs), *arrays, expected=expected, grad=grad, op=op)


def numpy_outcome(func: Callable, *args, **kwargs):
    """NumPy's result and None, or None and the type of the exception NumPy raised."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(*args, **kwargs), None
    except (ValueError, IndexError, TypeError, ZeroDivisionError) as error:
        return None, type(error)


def assert_all_raise(error: type, calls: list[Callable], *args, **kwargs) -> None:
    for call in calls:
        with pytest.raises(error):
            call(*args, **kwargs)


# ============================================================================================ ufuncs
# name: (Primitive, a domain per input)
UFUNCS = {
    "fabs": ("Fabs", (finite_floats(0.1, 5.0) | finite_floats(-5.0, -0.1),)),  # away from the kink at 0
    "hypot": ("Hypot", (finite_floats(0.1, 5.0) | finite_floats(-5.0, -0.1), VALUES)),  # away from the origin
    "float_power": ("FloatPower", (finite_floats(0.5, 3.0), finite_floats(-2.0, 2.0))),
    "deg2rad": ("Deg2rad", (finite_floats(-180.0, 180.0),)),
    "rad2deg": ("Rad2deg", (VALUES,)),
    "fmax": ("Fmax", (QUARTERS, THREE_QUARTERS)),
    "fmin": ("Fmin", (QUARTERS, THREE_QUARTERS)),
}


@pytest.mark.parametrize("name", UFUNCS)
@given(data=st.data())
def test_ufunc_forward_and_gradients(name, data):
    op, domains = UFUNCS[name]
    shapes = data.draw(broadcastable_shapes(len(domains), max_side=3), label="shapes")
    arrays = [
        draw_x(data, shape, domain, label=f"input {i}")
        for i, (shape, domain) in enumerate(zip(shapes, domains))
    ]
    expected = getattr(np, name)(*arrays)
    grad = draw_grad(data, expected.shape)
    for call in spellings(name):
        check(call, *arrays, expected=expected, grad=grad, op=op)
    for i in range(len(arrays)):  # one input constant at a time
        check(getattr(mg, name), *arrays, expected=expected, grad=grad, constant=(i,))


def test_hypot_gradient_at_the_origin_is_zero():
    x, y = mg.tensor([0.0, 3.0, 0.0]), mg.tensor([0.0, 4.0, -2.0])
    out = np.hypot(x, y)
    assert_forward(out, [0.0, 5.0, 2.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.6, 0.0])
    np.testing.assert_array_equal(y.grad, [0.0, 0.8, -1.0])


@pytest.mark.parametrize("fabs", [mg.fabs, np.fabs])
def test_fabs_gradient_at_zero_is_zero(fabs):
    x = mg.tensor([-2.0, 0.0, 3.0])
    fabs(x).backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("name", ["fmax", "fmin"])
@given(data=st.data())
def test_fmax_fmin_give_a_nans_gradient_to_the_other_input(name, data):
    shape = data.draw(SHAPES, label="shape")
    x, y = draw_x(data, shape, QUARTERS, "x"), draw_x(data, shape, THREE_QUARTERS, "y")
    x_nan = draw_mask(data, shape, "x is NaN")
    y_nan = draw_mask(data, shape, "y is NaN") & ~x_nan  # both NaN is tested by hand
    x, y = np.where(x_nan, np.nan, x), np.where(y_nan, np.nan, y)
    grad = draw_grad(data, shape)
    better = np.greater if name == "fmax" else np.less
    for call in spellings(name):
        check(call, x, y, expected=getattr(np, name)(x, y), grad=grad)
        tx, ty = mg.tensor(x), mg.tensor(y)
        call(tx, ty).backward(grad)
        x_wins = better(x, y) | y_nan
        np.testing.assert_array_equal(tx.grad, np.where(x_wins, grad, 0.0))
        np.testing.assert_array_equal(ty.grad, np.where(x_wins, 0.0, grad))


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_fmin_ties_and_double_nans_give_neither_input_a_gradient(name):
    x = mg.tensor([1.0, 2.0, np.nan, np.nan, 5.0])
    y = mg.tensor([1.0, 3.0, 4.0, np.nan, np.nan])  # a tie, an ordinary pair, NaN in x, in both, in y
    out = getattr(np, name)(x, y)
    assert_forward(out, getattr(np, name)(x.data, y.data))
    out.backward()
    x_gets = [0.0, 0.0, 0.0, 0.0, 1.0]
    x_gets[1] = 0.0 if name == "fmax" else 1.0
    np.testing.assert_array_equal(x.grad, x_gets)
    np.testing.assert_array_equal(y.grad, [0.0, 1.0 - x_gets[1], 1.0, 0.0, 0.0])


# ================================================================================ NaN-ignoring reductions
NAN_REDUCTIONS = {"nansum": "NanSum", "nanmean": "NanMean", "nanmax": "NanMax", "nanmin": "NanMin"}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's "Mean of empty slice"
@pytest.mark.parametrize("name", NAN_REDUCTIONS)
@given(data=st.data())
def test_nan_reductions(name, data):
    x = draw_distinct(data)  # distinct: no ties for nanmax/nanmin
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    nans = draw_mask(data, x.shape, "NaN positions")
    if name != "nansum":  # a lane of NaNs only gives a NaN (tested by hand): such lanes keep their values
        nans &= ~np.all(nans, axis=axis, keepdims=True)
    x = np.where(nans, np.nan, x)
    expected, error = numpy_outcome(getattr(np, name), x, axis=axis, keepdims=keepdims)
    if error is not None:  # nanmax/nanmin of an empty lane
        assert_all_raise(error, spellings(name), mg.tensor(x), axis=axis, keepdims=keepdims)
        return
    grad = draw_grad(data, np.shape(expected))
    for call in spellings(name):

        def reduce(t, call=call):
            return call(t, axis=axis, keepdims=keepdims)

        check(reduce, x, expected=expected, grad=grad, op=NAN_REDUCTIONS[name])
        t = mg.tensor(x)
        reduce(t).backward(grad)
        assert np.all(t.grad[nans] == 0), "a NaN received a gradient"


@pytest.mark.parametrize(
    ("name", "x_grad"),
    [
        ("nansum", [[0.0, 0.0], [1.0, 1.0]]),
        ("nanmean", [[0.0, 0.0], [0.5, 0.5]]),
        ("nanmax", [[0.0, 0.0], [0.0, 1.0]]),
        ("nanmin", [[0.0, 0.0], [1.0, 0.0]]),
    ],
)
def test_nan_reduction_of_an_all_nan_lane_gives_no_gradient(name, x_grad):
    values = np.array([[np.nan, np.nan], [1.0, 2.0]])
    for call in spellings(name):
        x = mg.tensor(values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "All-NaN slice encountered"
            out = call(x, axis=1)
            expected = getattr(np, name)(values, axis=1)
        assert_forward(out, expected)
        out.backward()
        np.testing.assert_array_equal(x.grad, x_grad)


# ====================================================================================== average, ptp
POSITIVE_WEIGHTS = finite_floats(0.25, 2.0)  # their sums stay far from zero


@given(data=st.data())
def test_average_without_weights(data):
    x = draw_x(data, NONEMPTY_SHAPES)
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    outcome, error = numpy_outcome(np.average, x, axis=axis, returned=True, keepdims=keepdims)
    if error:  # an axis of a 0-d input, which np.average refuses: so must we
        assert_all_raise(error, spellings("average"), mg.tensor(x), axis=axis, keepdims=keepdims)
        return
    expected, count = outcome
    grad = draw_grad(data, np.shape(expected))
    check_spellings("average", x, axis=axis, keepdims=keepdims, expected=expected, grad=grad)
    for call in spellings("average"):
        avg, total = call(mg.tensor(x), axis=axis, returned=True, keepdims=keepdims)
        assert_forward(avg, expected)
        assert_forward(total, count)


@given(data=st.data())
def test_average_with_weights(data):
    x = draw_x(data, NONEMPTY_SHAPES)
    along_axis = x.ndim > 0 and data.draw(st.booleans(), label="1-D weights along an axis")
    if along_axis:
        axis = draw_axis(data, x.ndim)
        w = draw_x(data, (x.shape[axis],), POSITIVE_WEIGHTS, "weights")
    else:
        axis, w = draw_axes(data, x.ndim), draw_x(data, x.shape, POSITIVE_WEIGHTS, "weights")
    keepdims = data.draw(st.booleans(), label="keepdims")
    expected, error = numpy_outcome(np.average, x, axis=axis, weights=w, returned=True, keepdims=keepdims)
    if error:  # an axis of a 0-d input, which np.average refuses: so must we
        assert_all_raise(error, spellings("average"), mg.tensor(x), axis=axis, weights=w, keepdims=keepdims)
        return
    grad = draw_grad(data, np.shape(expected[0]))
    for call in spellings("average"):

        def average(a, weights, call=call):
            return call(a, axis=axis, weights=weights, keepdims=keepdims)

        def average_returned(a, weights, call=call):
            return call(a, axis=axis, weights=weights, returned=True, keepdims=keepdims)[0]

        def weights_sum_returned(a, weights, call=call):
            return call(a, axis=axis, weights=weights, returned=True, keepdims=keepdims)[1]

        check(average, x, w, expected=expected[0], grad=grad)
        check(average, x, w, expected=expected[0], grad=grad, constant=(1,))
        check(average_returned, x, w, expected=expected[0], grad=grad)
        # the sum of the weights does not depend on `a`
        check(weights_sum_returned, x, w, expected=expected[1], grad=grad, constant=(0,))


AVERAGE_ERRORS = {
    "1-D weights without axis": (np.ones((2, 3)), {"weights": np.ones(3)}),
    "1-D weights of the wrong length": (np.ones((2, 3)), {"weights": np.ones(2), "axis": 1}),
    "weights of another shape": (np.ones((2, 3)), {"weights": np.ones((3, 2)), "axis": 0}),
    "weights summing to zero": (np.ones(2), {"weights": np.array([1.0, -1.0])}),
    "weights summing to zero on a lane": (np.ones((2, 2)), {"weights": [[1.0, 1.0], [2.0, -2.0]], "axis": 1}),
}


@pytest.mark.parametrize(("x", "kwargs"), AVERAGE_ERRORS.values(), ids=AVERAGE_ERRORS.keys())
def test_average_raises_like_numpy(x, kwargs):
    _, error = numpy_outcome(np.average, x, **kwargs)
    assert error is not None
    assert_all_raise(error, spellings("average"), mg.tensor(x), **kwargs)
    as_tensor = {**kwargs, "weights": mg.tensor(kwargs["weights"])}
    assert_all_raise(error, spellings("average"), mg.tensor(x), **as_tensor)


@given(data=st.data())
def test_average_with_weights_along_several_axes(data):
    # NumPy 2: weights shaped like `a` along the axes of a tuple `axis` (in the tuple's order)
    x = draw_x(data, array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=3))
    axis = data.draw(hnp.valid_tuple_axes(x.ndim, min_size=1, max_size=x.ndim - 1), label="axis")
    w = draw_x(data, tuple(x.shape[i] for i in axis), POSITIVE_WEIGHTS, "weights")
    expected = np.average(x, axis=axis, weights=w)
    grad = draw_grad(data, np.shape(expected))
    for call in spellings("average"):
        check(lambda a, weights, call=call: call(a, axis, weights), x, w, expected=expected, grad=grad)


@given(data=st.data())
def test_ptp(data):
    x = draw_distinct(data, NONEMPTY_SHAPES)
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    expected = np.ptp(x, axis=axis, keepdims=keepdims)
    grad = draw_grad(data, np.shape(expected))
    check_spellings("ptp", x, axis=axis, keepdims=keepdims, expected=expected, grad=grad)


# ===================================================================================== cumulative_sum
@given(data=st.data())
def test_cumulative_sum(data):
    x = draw_x(data)
    may_flatten = x.ndim <= 1 and data.draw(st.booleans(), label="axis None")
    axis = None if may_flatten else draw_axis(data, x.ndim)
    include_initial = data.draw(st.booleans(), label="include_initial")
    expected = np.cumulative_sum(x, axis=axis, include_initial=include_initial)
    grad = draw_grad(data, expected.shape)
    kwargs = {"axis": axis, "include_initial": include_initial}
    check_spellings("cumulative_sum", x, **kwargs, expected=expected, grad=grad, op="CumulativeSum")


def test_cumulative_sum_needs_an_axis_beyond_1d():
    _, error = numpy_outcome(np.cumulative_sum, np.ones((2, 2)))
    assert error is ValueError
    assert_all_raise(error, spellings("cumulative_sum"), mg.tensor(np.ones((2, 2))))


def test_cumulative_sum_dtype_sets_the_result_dtype_only():
    x = mg.tensor([[1.5, 2.0], [-1.0, 0.5]])
    out = np.cumulative_sum(x, axis=1, dtype=np.float32)
    assert_forward(out, np.cumulative_sum(x.data, axis=1, dtype=np.float32))
    out.backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, [[2.0, 1.0], [2.0, 1.0]])


# ================================================================================ NumPy 2 keywords
def draw_where(data, shape) -> np.ndarray:
    """A mask that broadcasts to ``shape``: some leading axes dropped, some sides 1."""
    dropped = data.draw(st.integers(0, len(shape)), label="where: leading axes dropped")
    sides = [data.draw(st.sampled_from([n, 1]), label="where: side") for n in shape[dropped:]]
    return draw_mask(data, tuple(sides), "where")


VAR_STD = {"var": np.var, "std": np.std}


def selected_count(shape, where, axis) -> np.ndarray:
    return np.sum(np.broadcast_to(where, shape), axis=axis)


@pytest.mark.parametrize("name", VAR_STD)
@given(data=st.data())
def test_var_std_where_and_correction(name, data):
    # NumPy 2's keywords: differentiable, through np.var / np.std, the functions and the methods
    x = draw_distinct(data, NONEMPTY_SHAPES)  # distinct: no flat lanes, where std has its kink
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    where = draw_where(data, x.shape)
    correction = data.draw(st.sampled_from([0, 1]), label="correction")
    expected, error = numpy_outcome(
        VAR_STD[name], x, axis, keepdims=keepdims, where=where, correction=correction
    )
    calls = [
        lambda t: VAR_STD[name](t, axis, keepdims=keepdims, where=where, correction=correction),
        lambda t: getattr(mg, name)(t, axis, correction, keepdims, where=where),  # mygrad's order: ddof third
        lambda t: getattr(mg.astensor(t), name)(axis, keepdims=keepdims, where=where, correction=correction),
    ]
    if error:
        assert_all_raise(error, calls, mg.tensor(x))
        return
    if np.any(selected_count(x.shape, where, axis) <= correction):
        return  # a lane of too few elements: NaN, which central differences cannot check
    for call in calls:
        check(call, x, expected=expected, grad=draw_grad(data, np.shape(expected)))


@pytest.mark.parametrize("name", VAR_STD)
@given(data=st.data())
def test_var_std_mean_keyword_is_differentiated_too(name, data):
    x = draw_distinct(data, NONEMPTY_SHAPES)
    axis = draw_axes(data, x.ndim)
    mean, error = numpy_outcome(np.mean, x, axis=axis, keepdims=True)
    if error:  # an axis of a 0-d input
        assert_all_raise(error, [VAR_STD[name]], mg.tensor(x), axis, mean=np.zeros(()))
        return
    mean = mean + data.draw(finite_floats(0.5, 1.0), label="shift")
    expected = VAR_STD[name](x, axis, mean=mean)
    check(lambda t, m: VAR_STD[name](t, axis, mean=m), x, mean, expected=expected,
          grad=draw_grad(data, np.shape(expected)))  # fmt: skip


def test_var_std_refuse_ddof_with_correction_as_numpy():
    for func in VAR_STD.values():
        with pytest.raises(ValueError, match="ddof and correction"):
            func(np.ones(3), ddof=1, correction=1)
        with pytest.raises(ValueError, match="ddof and correction"):
            func(mg.ones(3), ddof=1, correction=1)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_cumulative_functions_take_a_dtype(name, dtype):
    values = np.array([[1.5, -2.0], [0.5, 3.0]])
    for call in (getattr(np, name), getattr(mg, name)):
        x = mg.tensor(values)
        out = call(x, 0, dtype)
        assert_forward(out, getattr(np, name)(values, 0, dtype))
        if np.dtype(dtype).kind == "f":  # the gradient keeps the input's dtype
            out.backward()
            assert x.grad.dtype == np.float64
        if dtype is np.float64:
            assert_gradients_match(lambda t, call=call: call(t, 0, dtype=dtype), values)


NONDIFFERENTIABLE_KEYWORDS = {  # name: (the call on an array or a tensor)
    "np.all(where=)": lambda a: np.all(a > 0, axis=0, where=[[True, False]], keepdims=True),
    "np.any(where=)": lambda a: np.any(a > 0, where=[True, False]),
    "np.argmax(keepdims=)": lambda a: np.argmax(a, axis=1, keepdims=True),
    "np.argmin(keepdims=)": lambda a: np.argmin(a, keepdims=True),
    "np.zeros_like(order=, device=)": lambda a: np.zeros_like(a, order="F", device="cpu"),
    "np.full_like(shape=)": lambda a: np.full_like(a, 2.5, np.float32, "K", True, (3,)),
    "np.zeros(like=)": lambda a: np.zeros((2, 1), like=a),
    "np.linspace(tensor, ...)": lambda a: np.linspace(a[0], 3.0, 4),
}


@pytest.mark.parametrize("call", NONDIFFERENTIABLE_KEYWORDS.values(), ids=NONDIFFERENTIABLE_KEYWORDS.keys())
def test_numpy_keywords_without_a_gradient(call):
    values = np.array([[1.0, -2.0], [0.5, 3.0]])
    expected = call(values)
    result = call(mg.tensor(values))
    np.testing.assert_array_equal(np.asarray(result), expected)
    assert np.asarray(result).dtype == expected.dtype


DIFFERENTIABLE_KEYWORDS = {
    "np.reshape(order='F')": lambda t: np.reshape(t, (3, 2), order="F"),
    "np.reshape(order='A', copy=True)": lambda t: np.reshape(t, (6,), order="A", copy=True),
    "np.ravel(order='F')": lambda t: np.ravel(t, order="F"),
    "np.ravel(order='K')": lambda t: np.ravel(t, "K"),
    "np.transpose(axes=)": lambda t: np.transpose(t, axes=(1, 0)),
    "np.broadcast_to(subok=)": lambda t: np.broadcast_to(t, (2, 2, 3), subok=True),
    "np.einsum(dtype=)": lambda t: np.einsum("ij,ij->i", t, t, dtype=np.float64, casting="same_kind"),
    "np.stack(dtype=, casting=)": lambda t: np.stack([t, t], dtype=np.float64, casting="no"),
    "np.clip(where=)": lambda t: np.clip(t, -1.0, 1.0, where=[True, False, True], out=np.zeros((2, 3))),
    "np.concatenate(dtype=)": lambda t: np.concatenate([t, t], axis=None, dtype=np.float64),
}


@pytest.mark.parametrize("call", DIFFERENTIABLE_KEYWORDS.values(), ids=DIFFERENTIABLE_KEYWORDS.keys())
def test_numpy_keywords_with_a_gradient(call):
    values = np.array([[1.5, -2.0, 0.25], [0.5, 3.0, -0.75]])
    check(call, values, expected=call(values))


def test_reshape_copy_false_refuses_a_copy_as_numpy():
    values = np.arange(6.0).reshape(2, 3).T
    _, error = numpy_outcome(np.reshape, values, (6,), copy=False)
    assert error is ValueError
    assert_all_raise(error, [np.reshape], mg.tensor(np.arange(6.0).reshape(2, 3)).T, (6,), copy=False)


@given(data=st.data())
def test_sum_where_initial_and_dtype(data):
    x = draw_x(data)
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    where = draw_where(data, x.shape)
    initial = data.draw(VALUES, label="initial")
    kwargs = {"axis": axis, "keepdims": keepdims, "where": where, "initial": initial}
    expected = np.sum(x, **kwargs)
    grad = draw_grad(data, np.shape(expected))
    check_spellings("sum", x, **kwargs, expected=expected, grad=grad, op="Sum", with_method=True)

    # dtype= sets the result's dtype; the gradient keeps the input's (here: the broadcast mask)
    t = mg.tensor(x)
    out = np.sum(t, axis=axis, dtype=np.float32, where=where)
    assert_forward(out, np.sum(x, axis=axis, dtype=np.float32, where=where))
    out.backward()
    assert t.grad.dtype == np.float64
    np.testing.assert_array_equal(t.grad, np.broadcast_to(where, x.shape).astype(np.float64))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the mean of an empty lane
@given(data=st.data())
def test_mean_where(data):
    x = draw_x(data)
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    where = draw_mask(data, x.shape, "where")
    where |= ~np.any(where, axis=axis, keepdims=True)  # a lane with nothing selected has a NaN mean
    expected = np.mean(x, axis=axis, keepdims=keepdims, where=where)
    grad = draw_grad(data, np.shape(expected))
    kwargs = {"axis": axis, "keepdims": keepdims, "where": where}
    check_spellings("mean", x, **kwargs, expected=expected, grad=grad, op="Mean", with_method=True)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@given(data=st.data())
def test_max_min_initial_and_where(name, data):
    x = draw_distinct(data)
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    kwargs = {"axis": axis, "keepdims": keepdims, "initial": data.draw(OFF_GRID, label="initial")}
    if data.draw(st.booleans(), label="with where"):
        kwargs["where"] = draw_where(data, x.shape)
    expected = getattr(np, name)(x, **kwargs)
    grad = draw_grad(data, np.shape(expected))
    with_method = not name.startswith("a")  # ndarray has no .amax/.amin
    op = name[-3:].capitalize()
    check_spellings(name, x, **kwargs, expected=expected, grad=grad, op=op, with_method=with_method)


@given(data=st.data())
def test_prod_where_and_initial(data):
    x = draw_x(data, elements=finite_floats(-1.25, 1.25))
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    kwargs = {"axis": axis, "keepdims": keepdims, "where": draw_where(data, x.shape)}
    kwargs["initial"] = data.draw(finite_floats(-2.0, 2.0), label="initial")
    expected = np.prod(x, **kwargs)
    grad = draw_grad(data, np.shape(expected))
    check_spellings("prod", x, **kwargs, expected=expected, grad=grad, op="Prod", with_method=True)


@pytest.mark.parametrize("axis", [None, ()], ids=["0-d", "axis=()"])
def test_prod_initial_scales_the_gradient_of_unreduced_zeros(axis):
    values = np.array(0.0) if axis is None else np.array([0.0, 2.0])
    x = mg.tensor(values)
    out = np.prod(x, axis=axis, initial=3.0)  # nothing is reduced: out = 3 * x
    assert_forward(out, np.prod(values, axis=axis, initial=3.0))
    out.backward()
    np.testing.assert_array_equal(x.grad, np.full(values.shape, 3.0))


# NumPy's positional order (axis, dtype, out, keepdims, initial, where); the same call runs on the ndarray
POSITIONAL_CALLS = {
    "np.sum(x, axis, None, None, keepdims)": lambda x, ax, kd: np.sum(x, ax, None, None, kd),
    "np.sum(x, axis, None, None, keepdims, initial)": lambda x, ax, kd: np.sum(x, ax, None, None, kd, 1.5),
    "np.prod(x, axis, None, None, keepdims, initial)": lambda x, ax, kd: np.prod(x, ax, None, None, kd, -0.5),
    "np.mean(x, axis, None, None, keepdims)": lambda x, ax, kd: np.mean(x, ax, None, None, kd),
    "np.var(x, axis, None, None, 0, keepdims)": lambda x, ax, kd: np.var(x, ax, None, None, 0, kd),
    "np.std(x, axis, None, None, 0, keepdims)": lambda x, ax, kd: np.std(x, ax, None, None, 0, kd),
    "np.max(x, axis, None, keepdims)": lambda x, ax, kd: np.max(x, ax, None, kd),
    "np.max(x, axis, None, keepdims, initial)": lambda x, ax, kd: np.max(x, ax, None, kd, 1 / 16),
    "np.min(x, axis, None, keepdims, initial, where)": lambda x, ax, kd: np.min(
        x, ax, None, kd, 1 / 16, True
    ),
}


@pytest.mark.parametrize("spelling", POSITIONAL_CALLS)
@given(data=st.data())
def test_numpy_positional_order(spelling, data):
    call = POSITIONAL_CALLS[spelling]
    x = draw_distinct(data, NONEMPTY_SHAPES)  # distinct: no ties for max, no flat lanes for std
    axis, keepdims = draw_axes(data, x.ndim), data.draw(st.booleans(), label="keepdims")
    expected, error = numpy_outcome(call, x, axis, keepdims)
    if error:  # an axis of a 0-d input that NumPy refuses (np.mean's): so must we
        assert_all_raise(error, [call], mg.tensor(x), axis, keepdims)
        return
    check(lambda t: call(t, axis, keepdims), x, expected=expected, grad=draw_grad(data, np.shape(expected)))


def test_numpy_positional_order_by_hand():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = np.sum(x, 1, None, None, True)
    assert_forward(out, [[3.0], [7.0]])
    out.backward([[1.0], [-2.0]])
    np.testing.assert_array_equal(x.grad, [[1.0, 1.0], [-2.0, -2.0]])
    with pytest.raises(TypeError):
        np.sum(x, 1, None, None, True, 0.0, True, "one too many")
    with pytest.raises(TypeError):
        np.sum(x, 1, axis=1)


CLIPS = {
    "np.clip(x, min=, max=)": lambda x, lo, hi: np.clip(x, min=lo, max=hi),
    "mg.clip(x, min=, max=)": lambda x, lo, hi: mg.clip(x, min=lo, max=hi),
    "x.clip(lo, hi)": lambda x, lo, hi: mg.astensor(x).clip(lo, hi),
    "x.clip(min=, max=)": lambda x, lo, hi: mg.astensor(x).clip(min=lo, max=hi),
    "np.clip(x, min=)": lambda x, lo, hi: np.clip(x, min=lo) + 0 * hi,
    "x.clip(max=)": lambda x, lo, hi: mg.astensor(x).clip(max=hi) + 0 * lo,
}


@pytest.mark.parametrize("spelling", CLIPS)
@given(data=st.data())
def test_clip_keywords(spelling, data):
    shapes = data.draw(broadcastable_shapes(3, max_side=3), label="shapes")
    x, lo, hi = (
        draw_x(data, shape, domain, label)
        for shape, domain, label in zip(shapes, (QUARTERS, LOWER_BOUNDS, UPPER_BOUNDS), ("x", "min", "max"))
    )
    call = CLIPS[spelling]
    expected = call(x, lo, hi)
    check(call, x, lo, hi, expected=expected, grad=draw_grad(data, expected.shape))


@given(data=st.data())
def test_reshape_shape_keyword(data):
    x = draw_x(data)
    for shape in (x.shape[::-1], (-1,) if x.size else (0,), (1, *x.shape)):
        expected = np.reshape(x, shape=shape)
        check(lambda t, shape=shape: np.reshape(t, shape=shape), x, expected=expected,
              grad=draw_grad(data, expected.shape))  # fmt: skip


# NumPy's `out=`: an ndarray takes the values; a Tensor takes the result in place, differentiably
OUT_CALLS = {  # name: (the call, the shape of its result)
    "np.sum(out=)": (lambda t, out: np.sum(t, out=out), ()),
    "np.sum(x, None, None, out)": (lambda t, out: np.sum(t, None, None, out), ()),
    "np.mean(out=)": (lambda t, out: np.mean(t, 0, out=out), (2,)),
    "np.prod(out=)": (lambda t, out: np.prod(t, out=out), ()),
    "np.max(out=)": (lambda t, out: np.max(t, 1, out), (2,)),
    "np.min(out=)": (lambda t, out: np.min(t, out=out), ()),
    "np.var(out=)": (lambda t, out: np.var(t, out=out), ()),
    "np.std(out=)": (lambda t, out: np.std(t, 1, None, out), (2,)),
    "np.nansum(out=)": (lambda t, out: np.nansum(t, out=out), ()),
    "np.nanmean(out=)": (lambda t, out: np.nanmean(t, out=out), ()),
    "np.nanmax(out=)": (lambda t, out: np.nanmax(t, out=out), ()),
    "np.nanmin(out=)": (lambda t, out: np.nanmin(t, 0, out), (2,)),
    "np.ptp(out=)": (lambda t, out: np.ptp(t, out=out), ()),
    "np.cumsum(out=)": (lambda t, out: np.cumsum(t, 0, None, out), (2, 2)),
    "np.cumprod(out=)": (lambda t, out: np.cumprod(t, out=out), (4,)),
    "np.cumulative_sum(out=)": (lambda t, out: np.cumulative_sum(t, axis=0, out=out), (2, 2)),
    "np.clip(out=)": (lambda t, out: np.clip(t, 0.0, 1.0, out=out), (2, 2)),
    "np.concatenate(out=)": (lambda t, out: np.concatenate([t, t], out=out), (4, 2)),
    "np.stack(out=)": (lambda t, out: np.stack([t, t], out=out), (2, 2, 2)),
    "np.take(out=)": (lambda t, out: np.take(t, [0], out=out), (1,)),
    "np.trace(out=)": (lambda t, out: np.trace(t, out=out), ()),
    "np.dot(out=)": (lambda t, out: np.dot(t, t, out), (2, 2)),
    "np.outer(out=)": (lambda t, out: np.outer(t, t, out), (4, 4)),
    "np.einsum(out=)": (lambda t, out: np.einsum("ij->j", t, out=out), (2,)),
}
OUT_VALUES = np.array([[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize(("call", "shape"), OUT_CALLS.values(), ids=OUT_CALLS.keys())
def test_out_writes_the_result_as_numpy_does(call, shape):
    expected_out = np.zeros(shape)
    expected = call(OUT_VALUES, expected_out)
    # an ndarray takes the values
    out = np.zeros(shape)
    result = call(mg.tensor(OUT_VALUES), out)
    np.testing.assert_allclose(out, expected_out, rtol=1e-15)
    assert_forward(result, expected)
    # a Tensor takes the result in place, and stays differentiable
    x, target = mg.tensor(OUT_VALUES), mg.zeros(shape, dtype=float)
    assert call(x, target) is target
    assert_forward(target, expected)
    target.backward()
    reference = mg.tensor(OUT_VALUES)
    mg.sum(call(reference, None)).backward()
    np.testing.assert_allclose(x.grad, reference.grad, rtol=1e-15)
    # an output of another shape is refused, and left as it was
    wrong = np.zeros((*shape, 3))
    with pytest.raises(ValueError):
        call(mg.tensor(OUT_VALUES), wrong)
    assert not wrong.any()


# ========================================================================================== joining
def draw_joinable_shapes(data, n: int, ndim: int, axis: int | None) -> list[tuple[int, ...]]:
    """``n`` shapes of ``ndim`` dimensions that agree except (maybe) along ``axis``."""
    base = data.draw(array_shapes(min_dims=ndim, max_dims=ndim, max_side=3), label="shape")
    if axis is None:
        return [base] * n
    axis %= ndim
    sides = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n), label="sides along the axis")
    return [base[:axis] + (side,) + base[axis + 1 :] for side in sides]


def draw_inputs(data, shapes) -> list[np.ndarray]:
    return [draw_x(data, shape, label=f"input {i}") for i, shape in enumerate(shapes)]


def others(i: int, n: int) -> tuple[int, ...]:
    return tuple(j for j in range(n) if j != i)


@given(data=st.data())
def test_concatenate(data):
    n = data.draw(st.integers(1, 3), label="number of inputs")
    if data.draw(st.booleans(), label="axis None"):
        axis, shapes = None, data.draw(st.lists(SHAPES, min_size=n, max_size=n), label="shapes")
    else:
        ndim = data.draw(st.integers(1, 3), label="ndim")
        axis = draw_axis(data, ndim)
        shapes = draw_joinable_shapes(data, n, ndim, axis)
    arrays = draw_inputs(data, shapes)
    expected = np.concatenate(arrays, axis=axis)
    grad = draw_grad(data, expected.shape)
    check_joining("concatenate", arrays, axis=axis, expected=expected, grad=grad, op="Concatenate")
    if n > 1:  # a tuple of inputs, the first constant
        check(lambda *ts: mg.concatenate(ts, axis=axis), *arrays, expected=expected, grad=grad, constant=(0,))

    # dtype= sets the result's dtype; each input's gradient keeps its own
    xs = [mg.tensor(a) for a in arrays]
    out = np.concatenate(xs, axis=axis, dtype=np.float32)
    assert_forward(out, np.concatenate(arrays, axis=axis, dtype=np.float32))
    out.backward()
    for x in xs:
        assert x.grad.dtype == np.float64
        np.testing.assert_array_equal(x.grad, np.ones(x.shape))


@given(data=st.data())
def test_stack(data):
    n = data.draw(st.integers(1, 3), label="number of inputs")
    shape = data.draw(SHAPES, label="shape")
    axis = draw_axis(data, len(shape) + 1)
    arrays = draw_inputs(data, [shape] * n)
    expected = np.stack(arrays, axis=axis)
    grad = draw_grad(data, expected.shape)
    check_joining("stack", arrays, axis=axis, expected=expected, grad=grad, op="Stack")


# name: the axis along which inputs of `ndim` dimensions may differ (None: their shapes must agree)
STACKERS = {
    "vstack": lambda ndim: 0 if ndim >= 2 else None,
    "hstack": lambda ndim: {0: None, 1: 0}.get(ndim, 1),
    "dstack": lambda ndim: 2 if ndim >= 3 else None,
}


@pytest.mark.parametrize("name", STACKERS)
@given(data=st.data())
def test_vstack_hstack_dstack(name, data):
    n = data.draw(st.integers(1, 3), label="number of inputs")
    ndim = data.draw(st.integers(0, 3), label="ndim")
    arrays = draw_inputs(data, draw_joinable_shapes(data, n, ndim, STACKERS[name](ndim)))
    expected = getattr(np, name)(arrays)
    grad = draw_grad(data, expected.shape)
    check_joining(name, arrays, expected=expected, grad=grad)


def draw_split(data, name: str, length: int):
    """A number of sections (dividing ``length`` for ``split``) or a list of indices (negative, out of range
    and decreasing ones included: they make empty pieces)."""
    if data.draw(st.booleans(), label="sections"):
        sections = st.integers(1, 5)
        if name == "split":
            sections = sections.filter(lambda k: length % k == 0)
        return data.draw(sections, label="sections")
    return data.draw(st.lists(st.integers(-length - 1, length + 1), max_size=3), label="indices")


@pytest.mark.parametrize("name", ["split", "array_split"])
@given(data=st.data())
def test_split(name, data):
    x = draw_x(data, array_shapes(min_dims=1, max_dims=3, max_side=4))
    axis = draw_axis(data, x.ndim)
    where = draw_split(data, name, x.shape[axis])
    expected = getattr(np, name)(x, where, axis=axis)
    grads = [draw_grad(data, piece.shape) for piece in expected]
    for call in spellings(name):
        pieces = call(mg.tensor(x), where, axis=axis)
        assert len(pieces) == len(expected)
        for piece, piece_expected in zip(pieces, expected):
            assert_forward(piece, piece_expected)
        for i, grad in enumerate(grads):  # each piece is differentiable on its own
            assert_gradients_match(lambda t, i=i, call=call: call(t, where, axis=axis)[i], x, grad=grad)


@pytest.mark.parametrize("name", ["split", "array_split"])
def test_split_at_negative_indices(name):
    values = np.array([1.0, 2.0, 3.0, 4.0])
    expected = getattr(np, name)(values, [-1])  # [1, 2, 3] and [4]
    for call in spellings(name):
        pieces = call(mg.tensor(values), [-1])
        assert len(pieces) == 2
        for piece, piece_expected in zip(pieces, expected):
            assert_forward(piece, piece_expected)


@pytest.mark.parametrize(("length", "where"), [(5, 2), (3, 2), (4, 3), (1, 2)])
def test_split_into_unequal_sections_raises_like_numpy(length, where):
    _, error = numpy_outcome(np.split, np.zeros(length), where)
    assert error is ValueError
    assert_all_raise(ValueError, spellings("split"), mg.zeros(length, dtype=np.float64), where)


@pytest.mark.parametrize("name", ["split", "array_split"])
def test_split_into_no_sections_raises_like_numpy(name):
    _, error = numpy_outcome(getattr(np, name), np.zeros(4), 0)
    assert error is not None
    assert_all_raise(error, spellings(name), mg.zeros(4, dtype=np.float64), 0)


@pytest.mark.parametrize("n", [1, 2, 3])
@given(data=st.data())
def test_atleast_nd(n, data):
    name, op = f"atleast_{n}d", f"AtLeast{n}D"
    shapes = data.draw(st.lists(array_shapes(max_dims=4, max_side=2), min_size=1, max_size=3), label="shapes")
    arrays = draw_inputs(data, shapes)
    expected = getattr(np, name)(*arrays)
    expected = [expected] if len(arrays) == 1 else list(expected)
    grads = [draw_grad(data, e.shape) for e in expected]
    for call in spellings(name):

        def results(*ts, call=call):
            out = call(*ts)
            return [out] if len(ts) == 1 else list(out)

        xs = [mg.tensor(a) for a in arrays]
        outs = results(*xs)
        assert len(outs) == len(arrays)
        for x, out, e in zip(xs, outs, expected):
            assert_forward(out, e)
            if x.ndim >= n:
                assert out is x, "a tensor with enough dimensions comes back as itself"
            else:
                assert type(out.creator).__name__ == op
        for i, grad in enumerate(grads):
            assert_gradients_match(
                lambda *ts, i=i: results(*ts)[i], *arrays, grad=grad, constant=others(i, len(arrays))
            )


# ==================================================================================== rearranging
@given(data=st.data())
def test_roll(data):
    x = draw_x(data)
    form = data.draw(st.sampled_from(["flat", "int", "tuple"] if x.ndim else ["flat"]), label="form")
    if form == "flat":
        shift, axis = data.draw(st.integers(-5, 5), label="shift"), None
    elif form == "int":
        shift, axis = data.draw(st.integers(-5, 5), label="shift"), draw_axis(data, x.ndim)
    else:  # several axes, repeats allowed (their shifts add up)
        axis = tuple(
            data.draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=3), label="axes")
        )
        shift = tuple(
            data.draw(st.lists(st.integers(-5, 5), min_size=len(axis), max_size=len(axis)), label="shifts")
        )
    expected = np.roll(x, shift, axis)
    grad = draw_grad(data, expected.shape)
    check_spellings("roll", x, shift, axis, expected=expected, grad=grad, op="Roll")


@given(data=st.data())
def test_flip(data):
    x = draw_x(data)
    axis = draw_axes(data, x.ndim)
    expected, error = numpy_outcome(np.flip, x, axis)
    if error:  # an axis of a 0-d input
        assert_all_raise(error, spellings("flip", with_method=True), mg.tensor(x), axis)
        return
    grad = draw_grad(data, expected.shape)
    check_spellings("flip", x, axis, expected=expected, grad=grad, op="Flip", with_method=True)


@given(data=st.data())
def test_repeat(data):
    x = draw_x(data)
    axis = None if x.ndim == 0 or data.draw(st.booleans(), label="axis None") else draw_axis(data, x.ndim)
    length = x.size if axis is None else x.shape[axis]
    repeats = data.draw(
        st.one_of(
            st.integers(0, 3),  # the same for every element
            st.lists(st.integers(0, 3), min_size=1, max_size=1),  # broadcast to every element
            st.lists(st.integers(0, 3), min_size=length, max_size=length),  # one per element
        ),
        label="repeats",
    )
    expected = np.repeat(x, repeats, axis)
    grad = draw_grad(data, expected.shape)
    check_spellings("repeat", x, repeats, axis, expected=expected, grad=grad, op="Repeat", with_method=True)


@given(data=st.data())
def test_tile(data):
    x = draw_x(data)
    reps = data.draw(st.integers(0, 3) | st.lists(st.integers(0, 3), max_size=4).map(tuple), label="reps")
    expected = np.tile(x, reps)
    grad = draw_grad(data, expected.shape)
    check_spellings("tile", x, reps, expected=expected, grad=grad, op="Tile")


def draw_pad_width(data, ndim: int):
    """Each of NumPy's forms: ``n``, ``(n,)``, ``(before, after)``, one ``(before, after)`` per axis."""
    side = st.integers(0, 3)
    return data.draw(
        st.one_of(
            side,
            st.tuples(side),
            st.tuples(side, side),
            st.lists(st.tuples(side, side), min_size=ndim, max_size=ndim).map(tuple),
        ),
        label="pad_width",
    )


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@given(data=st.data())
def test_pad(mode, data):
    x = draw_x(data)
    pad_width = draw_pad_width(data, x.ndim)
    kwargs = {"mode": mode}
    if mode == "constant" and data.draw(st.booleans(), label="constant_values given"):
        kwargs["constant_values"] = data.draw(VALUES, label="constant_values")
    expected, error = numpy_outcome(np.pad, x, pad_width, **kwargs)
    if error is not None:  # e.g. extending an empty axis other than with a constant
        assert_all_raise(error, spellings("pad"), mg.tensor(x), pad_width, **kwargs)
        return
    grad = draw_grad(data, expected.shape)
    check_spellings("pad", x, pad_width, **kwargs, expected=expected, grad=grad, op="Pad")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "mean"},
        {"mode": "maximum"},
        {"mode": "median"},
        {"mode": "linear_ramp"},
        {"mode": "reflect", "reflect_type": "odd"},
    ],  # fmt: skip
    ids=str,
)
def test_pad_modes_that_are_not_copies_raise(kwargs):
    assert_all_raise(NotImplementedError, spellings("pad"), mg.tensor([1.0, 2.0, 4.0]), 1, **kwargs)


DESCENDING = np.lib.NumpyVersion(np.__version__) >= "2.5.0"  # np.sort's `descending` (NumPy 2.5)
SORT_OPTIONS = [{}, {"kind": "stable"}, {"kind": "quicksort"}, {"stable": True}] + (
    [{"descending": True}, {"descending": True, "stable": True}, {"descending": False}] if DESCENDING else []
)


@given(data=st.data())
def test_sort(data):
    x = draw_distinct(data)  # distinct: no ties
    axis = None if x.ndim == 0 or data.draw(st.booleans(), label="axis None") else draw_axis(data, x.ndim)
    options = data.draw(st.sampled_from(SORT_OPTIONS), label="options")
    expected = np.sort(x, axis=axis, **options)
    grad = draw_grad(data, expected.shape)
    check_spellings("sort", x, axis=axis, **options, expected=expected, grad=grad, op="Sort")
    if x.ndim:  # the default axis is the last
        check(np.sort, x, expected=np.sort(x), grad=draw_grad(data, x.shape))


def test_sort_takes_the_options_the_numpy_at_hand_takes():
    x = np.array([2.0, 1.0, 2.0, np.nan])
    for options in [
        {"descending": True},
        {"kind": "stable", "stable": True},
        {"kind": "stable", "descending": True},
    ]:
        try:
            expected = np.sort(x, **options)
        except (TypeError, ValueError) as error:  # e.g. `descending` before NumPy 2.5
            with pytest.raises(type(error)):
                np.sort(mg.tensor(x), **options)
            continue
        t = mg.tensor(x)
        out = np.sort(t, **options)
        np.testing.assert_array_equal(out.data, expected)
        out.backward([1.0, 2.0, 3.0, 4.0])  # the NaN stays last, descending or not
        assert t.grad[3] == 4.0


def test_sort_permutes_the_gradient_back():
    x = mg.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, -1.0]])
    np.sort(x).backward([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    np.testing.assert_array_equal(x.grad, [[30.0, 10.0, 20.0], [50.0, 60.0, 40.0]])
    y = mg.tensor([[3.0, 1.0], [2.0, 0.0]])
    mg.sort(y, axis=None).backward([10.0, 20.0, 30.0, 40.0])
    np.testing.assert_array_equal(y.grad, [[40.0, 20.0], [30.0, 10.0]])


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@given(data=st.data())
def test_take(mode, data):
    x = draw_x(data)
    axis = None if data.draw(st.booleans(), label="axis None") else draw_axis(data, x.ndim)
    length = x.size if axis is None or x.ndim == 0 else x.shape[axis]
    if length == 0:  # nothing to take from: only an empty selection
        index_shape = data.draw(
            array_shapes(min_dims=1, max_dims=2).filter(lambda s: 0 in s), label="index shape"
        )
        low, high = 0, 0
    else:  # duplicates are likely: their gradients accumulate
        index_shape = data.draw(array_shapes(max_dims=2, max_side=4), label="index shape")
        low, high = (-length, length - 1) if mode == "raise" else (-2 * length - 1, 2 * length + 1)
    indices = data.draw(hnp.arrays(np.intp, index_shape, elements=st.integers(low, high)), label="indices")
    expected = np.take(x, indices, axis=axis, mode=mode)
    grad = draw_grad(data, expected.shape)
    check_spellings("take", x, indices, axis=axis, mode=mode, expected=expected, grad=grad, op="Take")
    if indices.size:  # an empty nested list loses its shape: `[[]]` is not `np.zeros((1, 0))`'s equal
        check_spellings("take", x, indices.tolist(), axis=axis, mode=mode, expected=expected, grad=grad)


def test_take_accumulates_the_gradients_of_duplicate_indices():
    x = mg.tensor([1.0, 2.0, 3.0])
    np.take(x, [0, 0, 2, 0]).backward([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(x.grad, [7.0, 0.0, 3.0])
    y = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.take(y, [1, -1, 0], axis=0).backward([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(y.grad, [[5.0, 6.0], [4.0, 6.0]])


TAKE_NEGATIVE_FLAT = {
    "take": lambda x: np.take(x, [-1, 0, -3]),
    "take 2-D": lambda x: np.take(x, [[-1], [0]]),
    "take_along_axis": lambda x: np.take_along_axis(x, np.array([-1, 0, -3]), None),
}


@pytest.mark.parametrize("call", TAKE_NEGATIVE_FLAT.values(), ids=TAKE_NEGATIVE_FLAT.keys())
def test_take_negative_indices_of_the_flattened_tensor(call):
    values = np.array([1.0, 2.0, 3.0])
    expected = call(values)
    check(call, values, expected=expected, grad=np.arange(1.0, 1.0 + expected.size).reshape(expected.shape))


@pytest.mark.parametrize("indices", [[], [[]], np.array([], dtype=np.intp)], ids=["[]", "[[]]", "intp array"])
def test_take_an_empty_selection(indices):
    values = np.array([1.0, 2.0, 3.0])
    expected = np.take(values, indices)
    check_spellings("take", values, indices, expected=expected, grad=np.ones(expected.shape))


def test_take_out_of_bounds_raises_like_numpy():
    _, error = numpy_outcome(np.take, np.ones(3), [3])
    assert error is IndexError
    assert_all_raise(error, spellings("take"), mg.tensor(np.ones(3)), [3])


def draw_along_axis_shapes(data, ndim: int, axis: int):
    """Shapes of ``arr`` and ``indices`` for take_along_axis: on the other axes they broadcast (either side
    may be 1); on ``axis`` the array is nonempty and any number (0 too) of indices is taken."""
    arr_shape, index_shape = [], []
    for i in range(ndim):
        if i == axis % ndim:
            arr_shape.append(data.draw(st.integers(1, 3), label="length"))
            index_shape.append(data.draw(st.integers(0, 3), label="taken"))
        else:
            n = data.draw(st.integers(0, 3), label="side")
            pair = data.draw(st.sampled_from([(n, n), (n, 1), (1, n)]), label="sides (arr, indices)")
            arr_shape.append(pair[0])
            index_shape.append(pair[1])
    return tuple(arr_shape), tuple(index_shape)


@given(data=st.data())
def test_take_along_axis(data):
    form = data.draw(st.sampled_from(["argsort", "broadcast", "flat"]), label="form")
    if form == "flat":
        x, axis = draw_x(data, array_shapes(min_dims=1, min_side=1, max_side=3)), None
        indices = data.draw(hnp.arrays(np.intp, st.integers(0, 5), elements=st.integers(-x.size, x.size - 1)))
    elif form == "argsort":  # the first k of the sorted order along the axis
        x = draw_x(data, array_shapes(min_dims=1, max_side=3))
        axis = draw_axis(data, x.ndim)
        k = data.draw(st.integers(0, x.shape[axis]), label="k")
        indices = np.take(np.argsort(x, axis=axis), np.arange(k), axis=axis)
    else:
        ndim = data.draw(st.integers(1, 3), label="ndim")
        axis = draw_axis(data, ndim)
        arr_shape, index_shape = draw_along_axis_shapes(data, ndim, axis)
        x = draw_x(data, arr_shape)
        length = arr_shape[axis]
        indices = data.draw(hnp.arrays(np.intp, index_shape, elements=st.integers(-length, length - 1)))
    expected = np.take_along_axis(x, indices, axis)
    grad = draw_grad(data, expected.shape)
    check_spellings("take_along_axis", x, indices, axis, expected=expected, grad=grad, op="TakeAlongAxis")


@given(data=st.data())
def test_where(data):
    c_shape, x_shape, y_shape = data.draw(broadcastable_shapes(3, max_side=3), label="shapes")
    condition = draw_mask(data, c_shape, "condition")
    x, y = draw_x(data, x_shape, label="x"), draw_x(data, y_shape, label="y")
    expected = np.where(condition, x, y)
    grad = draw_grad(data, expected.shape)
    for call in spellings("where"):
        for cond in (condition, mg.tensor(condition), condition.tolist() if condition.size else condition):

            def where(a, b, call=call, cond=cond):
                return call(cond, a, b)

            check(where, x, y, expected=expected, grad=grad, op="Where")
        for i in range(2):
            check(
                lambda a, b, call=call: call(condition, a, b),
                x,
                y,
                expected=expected,
                grad=grad,
                constant=(i,),
            )


@given(data=st.data())
def test_where_with_only_a_condition_gives_numpys_indices(data):
    values = data.draw(
        hnp.arrays(np.float64, array_shapes(min_dims=1), elements=st.sampled_from([0.0, 1.0, -2.5]))
    )
    expected = np.where(values)
    for call, arg in ((mg.where, mg.tensor(values)), (np.where, mg.tensor(values)), (mg.where, values)):
        result = call(arg)
        assert type(result) is tuple and len(result) == len(expected)
        for indices, indices_expected in zip(result, expected):
            assert type(indices) is np.ndarray
            np.testing.assert_array_equal(indices, indices_expected)


def draw_axis_pair(data, ndim: int) -> tuple[int, int]:
    """Two different axes, each written positive or negative."""
    first, second = data.draw(st.permutations(range(ndim)), label="axes")[:2]
    return tuple(data.draw(st.sampled_from([a, a - ndim]), label="sign") for a in (first, second))


@pytest.mark.parametrize(("name", "op"), [("diagonal", "Diagonal"), ("trace", None)])
@given(data=st.data())
def test_diagonal_and_trace(name, op, data):
    numpy_func = getattr(np, name)
    x = draw_x(data, array_shapes(min_dims=2, max_dims=4, max_side=3))
    axis1, axis2 = draw_axis_pair(data, x.ndim)
    offset = data.draw(st.integers(-4, 4), label="offset")
    expected = numpy_func(x, offset, axis1, axis2)
    grad = draw_grad(data, np.shape(expected))
    check_spellings(name, x, offset, axis1, axis2, expected=expected, grad=grad, op=op, with_method=True)
    check(method(name), x, expected=numpy_func(x), grad=draw_grad(data, np.shape(numpy_func(x))))


DIAGONAL_VIEWS = {  # name: (mygrad's call, NumPy's)
    "np.diagonal": (lambda a: np.diagonal(a), np.diagonal),
    "mg.diagonal": (lambda a: mg.diagonal(a, 1), lambda a: np.diagonal(a, 1)),
    "method": (lambda a: a.diagonal(), lambda a: a.diagonal()),
    "np.diag of a matrix": (lambda a: np.diag(a, -1), lambda a: np.diag(a, -1)),
}


@pytest.mark.parametrize(("take", "numpy_take"), DIAGONAL_VIEWS.values(), ids=DIAGONAL_VIEWS.keys())
def test_a_diagonal_is_a_read_only_view_as_in_numpy(take, numpy_take):
    # as NumPy's: a write into the diagonal raises, instead of being accepted and lost
    array = np.arange(9.0).reshape(3, 3)
    numpy_diagonal = numpy_take(array)
    assert not numpy_diagonal.flags.writeable and np.shares_memory(numpy_diagonal, array)
    x = mg.tensor(array)
    d = take(x)
    assert d.base is x
    assert not d.data.flags.writeable and np.shares_memory(d.data, x.data)
    for write in (lambda: d.__setitem__(0, 100.0), lambda: d.__iadd__(1.0), lambda: d.fill(0.0)):
        with pytest.raises(ValueError, match="read-only"):
            write()
        with pytest.raises(ValueError, match="read-only"):
            numpy_diagonal[0] = 100.0
    np.testing.assert_array_equal(x.data, array)  # nothing was written
    np.testing.assert_array_equal(d.data, numpy_diagonal)
    (d * d).sum().backward()
    positions = numpy_take(
        np.arange(array.size).reshape(array.shape)
    )  # where each diagonal element came from
    expected = np.zeros(array.size)
    expected[positions] = 2 * array.flat[positions]
    np.testing.assert_array_equal(x.grad, expected.reshape(array.shape))


@given(data=st.data())
def test_diag(data):
    x = draw_x(
        data, array_shapes(min_dims=1, max_dims=2, max_side=4)
    )  # a vector, or a matrix (not square too)
    k = data.draw(st.integers(-4, 4), label="k")
    expected = np.diag(x, k)
    grad = draw_grad(data, expected.shape)
    check_spellings("diag", x, k, expected=expected, grad=grad, op="Diag")


@pytest.mark.parametrize("shape", [(), (2, 2, 2)])
def test_diag_of_neither_a_vector_nor_a_matrix_raises_like_numpy(shape):
    _, error = numpy_outcome(np.diag, np.ones(shape))
    assert error is ValueError
    assert_all_raise(error, spellings("diag"), mg.tensor(np.ones(shape)))


# 0-d tensors: NumPy treats them as one element (the ops that copy elements must scatter back into a 0-d grad)
ZERO_DIM_CALLS = {
    "repeat": lambda x: np.repeat(x, 3),
    "tile": lambda x: np.tile(x, (2, 2)),
    "pad": lambda x: np.pad(x, 0),
    "sort(axis=None)": lambda x: np.sort(x, axis=None),
    "take": lambda x: np.take(x, [0, 0, -1]),
    "take(mode='wrap')": lambda x: np.take(x, [[3], [-2]], mode="wrap"),
    "roll": lambda x: np.roll(x, 2),
    "flip": lambda x: np.flip(x),
    "atleast_3d": lambda x: np.atleast_3d(x),
    "concatenate(axis=None)": lambda x: np.concatenate([x, x], axis=None),
    "stack": lambda x: np.stack([x, x]),
}


@pytest.mark.parametrize("call", ZERO_DIM_CALLS.values(), ids=ZERO_DIM_CALLS.keys())
def test_zero_dim_tensors(call):
    values = np.array(1.5)
    expected = call(values)
    check(call, values, expected=expected, grad=np.arange(1.0, 1.0 + expected.size).reshape(expected.shape))


# ==================================================================================== Tensor methods
@given(x=tensors(shape=array_shapes(max_dims=3, max_side=3)))
def test_tolist(x):
    assert x.tolist() == x.data.tolist()


@given(data=st.data())
def test_all(data):
    values = data.draw(hnp.arrays(np.float64, SHAPES, elements=st.sampled_from([0.0, 1.0, -0.5])), label="x")
    axis, keepdims = draw_axes(data, values.ndim), data.draw(st.booleans(), label="keepdims")
    expected = np.all(values, axis=axis, keepdims=keepdims)
    for result in (
        mg.tensor(values).all(axis=axis, keepdims=keepdims),
        np.all(mg.tensor(values), axis, None, keepdims),
    ):
        assert not isinstance(result, mg.Tensor)
        assert type(result) is type(expected)
        np.testing.assert_array_equal(result, expected)


ROUNDS = {
    "x.round(decimals)": lambda t, d: t.round(d),
    "np.round(x, decimals)": lambda t, d: np.round(t, d),
    "np.around(x, decimals)": lambda t, d: np.around(t, d),
}


@pytest.mark.parametrize("call", ROUNDS.values(), ids=ROUNDS.keys())
@given(x=tensors(elements=VALUES), decimals=st.integers(-1, 3))
def test_round_takes_constant_tensors_only(call, x, decimals):
    expected = np.round(x.data, decimals)
    result = call(mg.tensor(x, constant=True), decimals)
    assert not isinstance(result, mg.Tensor)
    np.testing.assert_array_equal(result, expected)
    with pytest.raises(ValueError):
        call(mg.tensor(x), decimals)


DOT_SHAPES = [((), ()), ((), (2, 3)), ((3,), ()), ((3,), (3,)), ((0,), (0,)), ((2, 3), (3,)), ((3,), (3, 2)),
              ((2, 3), (3, 4)), ((2, 0), (0, 3)), ((2, 2, 3), (3,)), ((2, 3), (4, 3, 2))]  # fmt: skip
DOTS = {"mg.dot": mg.dot, "np.dot": np.dot, "x.dot(y)": method("dot")}


@pytest.mark.parametrize("call", DOTS.values(), ids=DOTS.keys())
@pytest.mark.parametrize(("x_shape", "y_shape"), DOT_SHAPES, ids=str)
def test_dot(call, x_shape, y_shape):
    rng = np.random.default_rng(len(x_shape) * 10 + len(y_shape))
    x, y = rng.uniform(-2, 2, x_shape), rng.uniform(-2, 2, y_shape)
    expected = np.dot(x, y)
    check(call, x, y, expected=expected, grad=rng.uniform(-2, 2, np.shape(expected)))


@given(data=st.data())
def test_mT(data):  # noqa: N802
    x = draw_x(data, array_shapes(min_dims=2, max_dims=4, max_side=3))
    check(lambda t: mg.astensor(t).mT, x, expected=x.mT, grad=draw_grad(data, x.mT.shape))
