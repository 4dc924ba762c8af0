"""Elementwise functions and matmul: forward results against NumPy, gradients against central differences.

The core is one table (``SPECS``) of the differentiable elementwise functions, each with the domain its inputs
are drawn from: a margin away from poles, branch cuts and kinks, so that central differences are meaningful.
The points where a function is not differentiable (API.md 2.16) are tested by hand, further down, as are the
ufunc keywords (``where=``, ``dtype=``, ``out=``), NEP 50 dtype promotion, the operators and the NumPy ufuncs
that mygrad refuses or only runs on data.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._ops.registry import PRIMITIVES
from mygrad.testing import assert_gradients_match, numerical_gradient
from mygrad.testing.strategies import array_shapes, broadcastable_shapes, finite_floats, tensors

# ------------------------------------------------------------------------------------------------- domains


def interval(low: float, high: float) -> st.SearchStrategy:
    return finite_floats(low, high)


def off_zero(low: float, high: float) -> st.SearchStrategy:
    """Values with ``low <= |x| <= high``, either sign."""
    return finite_floats(low, high) | finite_floats(-high, -low)


ANY = interval(-10, 10)
MODERATE = interval(-4, 4)  # for the exponentially growing functions
POSITIVE = interval(0.1, 10)
INSIDE_UNIT = interval(-0.9, 0.9)
NONZERO = off_zero(0.1, 10)
OUTSIDE_UNIT = off_zero(1.1, 10)
SIN_NONZERO = off_zero(0.2, np.pi - 0.2)  # sin (and tan) are nonzero: cot and csc are finite
COS_NONZERO = interval(-np.pi / 2 + 0.2, np.pi / 2 - 0.2)  # tan and sec are finite
# maximum/minimum: x on the grid n + 1/4 and y on n + 3/4 never tie (ties are tested separately)
QUARTERS = st.integers(-8, 8).map(lambda n: n + 0.25)
THREE_QUARTERS = st.integers(-8, 8).map(lambda n: n + 0.75)
LOWER_BOUNDS = st.integers(-8, -1).map(lambda n: n + 0.75)  # clip's bounds, on the grid of THREE_QUARTERS,
UPPER_BOUNDS = st.integers(0, 8).map(lambda n: n + 0.75)  # with a_min < a_max
UPSTREAM = finite_floats(-2, 2)  # elements of the upstream gradient


# -------------------------------------------------------------------------------------------------- table
@dataclass(frozen=True)
class Spec:
    """A differentiable elementwise function: ``mygrad.<name>``, with one input domain per argument."""

    name: str
    domains: tuple[st.SearchStrategy, ...]
    reference: Callable | None = None  # NumPy's computation of the function; default ``numpy.<name>``
    is_ufunc: bool = True  # a NumPy ufunc, so ``numpy.<name>(tensor)`` dispatches to mygrad

    @property
    def op(self) -> str:
        """The name of the Primitive that mygrad records (CamelCase of the public name; MyGrad 2's ``Abs``)."""
        return {"absolute": "Abs"}.get(self.name, self.name.capitalize())

    @property
    def nin(self) -> int:
        return len(self.domains)

    @property
    def numpy(self) -> Callable:
        return self.reference or getattr(np, self.name)

    @property
    def mygrad(self) -> Callable:
        return getattr(mg, self.name)

    def callers(self) -> list[Callable]:
        """The ways to call the function on tensors: mygrad's, and NumPy's for the ufuncs."""
        return [self.mygrad, getattr(np, self.name)] if self.is_ufunc else [self.mygrad]

    def __repr__(self) -> str:
        return self.name


def unary(name: str, domain: st.SearchStrategy = ANY) -> Spec:
    return Spec(name, (domain,))


def binary(name: str, x: st.SearchStrategy = ANY, y: st.SearchStrategy = ANY) -> Spec:
    return Spec(name, (x, y))


def plain(name: str, reference: Callable, domain: st.SearchStrategy) -> Spec:
    """mygrad's functions that are not NumPy ufuncs (``numpy.<name>`` does not exist or does not dispatch)."""
    return Spec(name, (domain,), reference, is_ufunc=False)


SPECS = [
    # arithmetic
    binary("add"),
    binary("subtract"),
    binary("multiply"),
    binary("divide", y=NONZERO),
    binary("power", x=interval(0.1, 5), y=interval(-3, 3)),
    unary("negative"),
    unary("positive"),
    unary("reciprocal", NONZERO),
    # miscellaneous
    unary("square"),
    unary("sqrt", POSITIVE),
    unary("cbrt", NONZERO),
    unary("absolute", NONZERO),
    binary("maximum", QUARTERS, THREE_QUARTERS),
    binary("minimum", QUARTERS, THREE_QUARTERS),
    # exponents and logarithms
    unary("exp", MODERATE),
    unary("expm1", MODERATE),
    unary("exp2", MODERATE),
    unary("log", POSITIVE),
    unary("log2", POSITIVE),
    unary("log10", POSITIVE),
    unary("log1p", interval(-0.9, 10)),
    binary("logaddexp"),
    binary("logaddexp2"),
    # trigonometric; arctan2(y, x) with |y| >= 0.1: away from the origin and from the cut along x < 0
    unary("sin"),
    unary("cos"),
    unary("tan", COS_NONZERO),
    unary("arcsin", INSIDE_UNIT),
    unary("arccos", INSIDE_UNIT),
    unary("arctan"),
    binary("arctan2", NONZERO, ANY),
    # hyperbolic
    unary("sinh", MODERATE),
    unary("cosh", MODERATE),
    unary("tanh", MODERATE),
    unary("arcsinh"),
    unary("arccosh", interval(1.1, 10)),
    unary("arctanh", INSIDE_UNIT),
    # the plain (non-ufunc) functions
    plain("cot", lambda x: np.cos(x) / np.sin(x), SIN_NONZERO),
    plain("csc", lambda x: 1 / np.sin(x), SIN_NONZERO),
    plain("sec", lambda x: 1 / np.cos(x), COS_NONZERO),
    plain("arccot", lambda x: np.arctan(1 / x), NONZERO),
    plain("arccsc", lambda x: np.arcsin(1 / x), OUTSIDE_UNIT),
    plain("arcsec", lambda x: np.arccos(1 / x), OUTSIDE_UNIT),
    plain("coth", lambda x: np.cosh(x) / np.sinh(x), off_zero(0.2, 4)),
    plain("csch", lambda x: 1 / np.sinh(x), off_zero(0.2, 4)),
    plain("sech", lambda x: 1 / np.cosh(x), MODERATE),
    plain("arccoth", lambda x: np.arctanh(1 / x), OUTSIDE_UNIT),
    plain("arccsch", lambda x: np.arcsinh(1 / x), NONZERO),
    plain("sinc", np.sinc, MODERATE),
]
SPEC = {spec.name: spec for spec in SPECS}
UFUNC_SPECS = [spec for spec in SPECS if spec.is_ufunc]
PLAIN_SPECS = [spec for spec in SPECS if not spec.is_ufunc]

# Every Primitive whose gradient this file checks numerically (read by test_registry.py).
COVERED_PRIMITIVES = {spec.op for spec in SPECS} | {"MatMul"}


def test_covered_primitives_exist():
    assert set(PRIMITIVES) >= COVERED_PRIMITIVES
    assert len(COVERED_PRIMITIVES) == len(SPECS) + 1


# ------------------------------------------------------------------------------------------------ helpers
def check_forward(result, expected, exact: bool = True) -> None:
    """``result`` is a Tensor holding NumPy's ``expected`` (bit for bit when ``exact``), with its dtype."""
    assert isinstance(result, mg.Tensor), f"expected a Tensor, got {type(result).__name__}"
    expected = np.asarray(expected)
    assert result.dtype == expected.dtype
    assert result.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(result.data, expected)
    else:
        np.testing.assert_allclose(result.data, expected, rtol=1e-12, atol=1e-12)


def draw_inputs(data, spec: Spec, shapes) -> list[np.ndarray]:
    return [
        data.draw(tensors(shape=shape, elements=domain), label=f"input {i}").data
        for i, (shape, domain) in enumerate(zip(shapes, spec.domains))
    ]


def draw_upstream(data, shape) -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, shape, elements=UPSTREAM), label="upstream grad")


def backprop(f: Callable, *arrays, grad=None, **kwargs) -> list[np.ndarray]:
    """The gradients of ``f`` at ``arrays`` (float64 tensors), computed by mygrad."""
    xs = [mg.tensor(a) for a in arrays]
    f(*xs, **kwargs).backward(grad)
    return [x.grad for x in xs]


# ------------------------------------------------------------------------------ the table: forward, grads
@pytest.mark.parametrize("spec", SPECS, ids=repr)
@given(data=st.data())
def test_elementwise_forward_and_gradients(spec: Spec, data):
    shapes = data.draw(broadcastable_shapes(spec.nin), label="shapes")
    arrays = draw_inputs(data, spec, shapes)
    expected = spec.numpy(*arrays)
    grad = draw_upstream(data, np.shape(expected))

    assert_gradients_match(spec.mygrad, *arrays)  # the default seed: ones
    for f in spec.callers():
        result = f(*(mg.tensor(a) for a in arrays))
        check_forward(result, expected, exact=spec.is_ufunc)
        assert type(result.creator).__name__ == spec.op
        assert not result.constant
        assert_gradients_match(f, *arrays, grad=grad)
    for i in range(spec.nin):  # one input constant at a time
        out = assert_gradients_match(spec.mygrad, *arrays, grad=grad, constant=(i,))
        assert out.constant is (spec.nin == 1)


# f(x, x): both rules accumulate into one gradient. maximum(x, x) and minimum(x, x) tie everywhere (tested
# with the ties); divide and arctan2 need x away from 0.
SAME_INPUT_SPECS = [spec for spec in SPECS if spec.nin == 2 and spec.name not in ("maximum", "minimum")]
SAME_INPUT_DOMAINS = {"divide": NONZERO, "arctan2": NONZERO}


@pytest.mark.parametrize("spec", SAME_INPUT_SPECS, ids=repr)
@given(data=st.data())
def test_binary_function_of_one_tensor_twice(spec: Spec, data):
    domain = SAME_INPUT_DOMAINS.get(spec.name, spec.domains[0])
    x = data.draw(tensors(shape=array_shapes(max_side=3), elements=domain), label="x").data
    for f in spec.callers():
        out = assert_gradients_match(lambda t, f=f: f(t, t), x, grad=draw_upstream(data, x.shape))
        check_forward(out, spec.numpy(x, x))


def test_gradient_check_of_a_small_derivative_beside_large_outputs():
    # Found by the test above as power(x, x) at x = [[1, 5, 5, 5], [5, 5, 5, 5]]: mygrad's gradient was exact,
    # but numerical_gradient differenced the whole weighted sum of the output (about 1e6 here), whose
    # rounding error, divided by 2 * eps, exceeded atol = 1e-7. It now differences elementwise first.
    x = np.array([1e-3, 1e3])
    assert backprop(mg.square, x)[0].tolist() == [2e-3, 2e3]
    assert_gradients_match(mg.square, x)


# ------------------------------------------------------------------------------------------------- matmul
MATMUL_CALLERS = [mg.matmul, np.matmul, operator.matmul]
MATMUL_SHAPES = [
    ((3,), (3,)),
    ((0,), (0,)),
    ((3,), (3, 4)),
    ((0,), (0, 2)),
    ((3, 4), (4,)),
    ((2, 3), (3, 4)),
    ((2, 0), (0, 3)),
    ((0, 3), (3, 2)),
    ((2, 3), (3, 0)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((3,), (2, 3, 4)),
    ((2, 3, 4), (4,)),
    ((1, 2, 3), (4, 3, 2)),
    ((0, 2, 3), (3, 2)),
    ((2, 3, 0), (1, 0, 4)),
]


def check_matmul(x: np.ndarray, y: np.ndarray, grad: np.ndarray) -> None:
    expected = np.matmul(x, y)
    assert_gradients_match(mg.matmul, x, y)  # the default seed: ones
    for f in MATMUL_CALLERS:
        result = f(mg.tensor(x), mg.tensor(y))
        check_forward(result, expected)
        assert type(result.creator).__name__ == "MatMul"
        assert_gradients_match(f, x, y, grad=grad)
    for i in range(2):
        assert_gradients_match(mg.matmul, x, y, grad=grad, constant=(i,))


@pytest.mark.parametrize(("x_shape", "y_shape"), MATMUL_SHAPES, ids=str)
def test_matmul_forms(x_shape, y_shape):
    rng = np.random.default_rng(len(x_shape) * 10 + len(y_shape))
    x, y = rng.uniform(-3, 3, x_shape), rng.uniform(-3, 3, y_shape)
    grad = rng.uniform(-2, 2, np.matmul(x, y).shape)
    check_matmul(x, y, grad)


@given(data=st.data())
def test_matmul_random_forms(data):
    batch_x, batch_y = data.draw(broadcastable_shapes(2, max_dims=2, max_side=3), label="batch shapes")
    n, k, m = data.draw(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)), label="n, k, m")
    x_is_vector, y_is_vector = data.draw(st.tuples(st.booleans(), st.booleans()), label="vectors")
    x_shape = (k,) if x_is_vector else (*batch_x, n, k)
    y_shape = (k,) if y_is_vector else (*batch_y, k, m)
    x = data.draw(tensors(shape=x_shape, elements=interval(-3, 3)), label="x").data
    y = data.draw(tensors(shape=y_shape, elements=interval(-3, 3)), label="y").data
    check_matmul(x, y, draw_upstream(data, np.matmul(x, y).shape))


def test_matmul_of_scalars_raises_like_numpy():
    with pytest.raises(ValueError):
        mg.matmul(mg.tensor(2.0), mg.tensor(3.0))


# ----------------------------------------------------------------------------- non-differentiable points
@pytest.mark.parametrize("absolute", [mg.absolute, mg.abs, abs, np.absolute, np.abs], ids=str)
def test_absolute_gradient_at_zero_is_zero(absolute):
    x = mg.tensor([-2.0, 0.0, 3.0])
    absolute(x).backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("absolute", [mg.absolute, mg.abs])
def test_absolute_gradient_at_zero_is_nan_without_nan_to_num(absolute):
    x = mg.tensor([-2.0, 0.0, 3.0])
    out = absolute(x, nan_to_num=False)
    np.testing.assert_array_equal(out.data, [2.0, 0.0, 3.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [-1.0, np.nan, 1.0])


def test_absolute_without_nan_to_num_is_nan_at_zero_to_every_order_where_the_gradient_reaches():
    # the derivatives of |x| at 0, undefined, are NaN at every order; where no gradient reaches that element (the
    # derivative of |x|**3 at 0 is 0 * d|x|/dx) it is 0, and the other elements' derivatives stay exact
    x = np.array([0.0, 1.5])
    cubed = mg.grad(lambda t: (mg.absolute(t, nan_to_num=False) ** 3).sum())(x)
    np.testing.assert_array_equal(cubed.data, [0.0, 6.75])
    t = mg.tensor(x)
    (mg.absolute(t, nan_to_num=False) ** 3).sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 6.75])
    np.testing.assert_array_equal(
        mg.hessian(lambda t: (mg.absolute(t, nan_to_num=False) ** 3).sum())(x).data, [[0.0, 0.0], [0.0, 9.0]]
    )
    hessian = mg.hessian(lambda t: (mg.absolute(t, nan_to_num=False) * t).sum())(x).data
    np.testing.assert_array_equal(hessian, [[np.nan, 0.0], [0.0, 2.0]])  # 2 sign(x) on the diagonal
    first = mg.grad(lambda t: mg.absolute(t, nan_to_num=False).sum())
    second = mg.grad(lambda t: first(t).sum())
    np.testing.assert_array_equal(mg.grad(lambda t: second(t).sum())(x).data, [np.nan, 0.0])


@pytest.mark.parametrize(
    ("func", "x_grad", "y_grad"),
    [(mg.maximum, [[0.0, 0.0], [1.0, 1.0]], 1.0), (mg.minimum, [[1.0, 0.0], [0.0, 0.0]], 2.0)],
    ids=["maximum", "minimum"],
)
def test_maximum_minimum_ties_give_neither_input_a_gradient(func, x_grad, y_grad):
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = mg.tensor(2.0)  # ties with x[0, 1]
    func(x, y).backward()
    np.testing.assert_array_equal(x.grad, x_grad)
    np.testing.assert_array_equal(y.grad, y_grad)

    a, b = mg.tensor([1.0, 5.0]), mg.tensor([1.0, 5.0])  # all ties
    func(a, b).backward()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.0, 0.0])


CLIP_X = [-2.0, -1.0, 0.0, 0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    ("a_min", "a_max", "expected_grad"),
    [
        (-1.0, 1.0, [0, 0, 1, 1, 0, 0]),
        (None, 1.0, [1, 1, 1, 1, 0, 0]),
        (-1.0, None, [0, 0, 1, 1, 1, 1]),
        (None, None, [1, 1, 1, 1, 1, 1]),  # NumPy 2: nothing to clip (MyGrad 2 too)
    ],
    ids=["both", "no-min", "no-max", "neither"],
)
@pytest.mark.parametrize(
    "clip",
    [mg.clip, np.clip, lambda x, lo, hi: np.clip(x, min=lo, max=hi), lambda x, lo, hi: x.clip(lo, hi)],
    ids=["mg.clip", "np.clip", "np.clip(min=, max=)", "method"],
)
def test_clip_gradient_is_zero_at_and_beyond_the_bounds(clip, a_min, a_max, expected_grad):
    x = mg.tensor(CLIP_X)
    out = clip(x, a_min, a_max)
    check_forward(out, np.clip(np.array(CLIP_X), a_min, a_max))
    assert out is not x and not np.shares_memory(out.data, x.data)  # a new array, as NumPy's
    out.backward()
    np.testing.assert_array_equal(x.grad, np.array(expected_grad, dtype=float))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.float32])
def test_clip_without_bounds_copies_as_numpy(dtype):
    values = np.array([True, False]).astype(dtype)
    for call in (lambda a: np.clip(a, None, None), lambda a: np.clip(a), lambda a: np.clip(a, min=None)):
        try:
            expected = call(values)
        except TypeError as exc:  # booleans: NumPy's copy is `positive`, which has no boolean loop
            with pytest.raises(type(exc)):
                call(mg.tensor(values))
            continue
        check_forward(call(mg.tensor(values)), expected)


@given(data=st.data())
def test_clip_gradients_with_tensor_bounds(data):
    # x on n + 1/4 and the bounds on n + 3/4: no value sits on a bound, so clip is differentiable everywhere
    shapes = data.draw(broadcastable_shapes(3), label="shapes")
    x, lo, hi = (
        data.draw(tensors(shape=shape, elements=grid), label=label).data
        for shape, grid, label in zip(shapes, (QUARTERS, LOWER_BOUNDS, UPPER_BOUNDS), ("x", "lo", "hi"))
    )
    check_forward(mg.clip(mg.tensor(x), lo, hi), np.clip(x, lo, hi))
    assert_gradients_match(mg.clip, x, lo, hi, grad=draw_upstream(data, np.broadcast_shapes(*shapes)))


@pytest.mark.parametrize(("exponent", "op"), [(2, "Square"), (2.0, "Square"), (1, "Positive"), (3, "Power")])
def test_pow_special_cases(exponent, op):
    values = np.array([-1.5, 0.5, 2.0])
    out = assert_gradients_match(lambda x: x**exponent, values)
    check_forward(out, values**exponent)
    x = mg.tensor(values)
    assert type((x**exponent).creator).__name__ == op


@pytest.mark.parametrize(
    "exponent",
    [0.5, -1, -1.0, 2, 1.0, 3.0, np.float64(0.5), np.array(0.5), np.float32(-1), np.int8(2)],
    ids=repr,
)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_pow_operator_gives_the_array_operators_values_to_the_last_bit(dtype, exponent):
    # NumPy's `**` computes x**0.5 as sqrt and x**-1 as reciprocal on some versions (differing from np.power)
    values = np.random.default_rng(0).uniform(0.1, 3.0, 1000).astype(dtype)
    out = mg.tensor(values) ** exponent
    check_forward(out, values**exponent)
    in_place, x = values.copy(), mg.tensor(values)
    in_place **= exponent
    x **= exponent
    check_forward(x, in_place)
    if dtype is np.float64:
        assert_gradients_match(lambda t: t**exponent, values[:5])


POW_DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.float16, np.float32, np.float64]
POW_EXPONENTS = [0, 1, 2, 3, -1, 0.0, 1.0, 2.0, 0.5, -2.0, np.int8(1), np.float32(2.0)]


@pytest.mark.parametrize("exponent", POW_EXPONENTS, ids=repr)
@pytest.mark.parametrize("dtype", POW_DTYPES, ids=lambda d: np.dtype(d).name)
def test_pow_of_a_tensor_gives_numpys_values_and_dtype(dtype, exponent):
    # `t ** 1` of a boolean tensor is NumPy's int64 array of ones and zeros (positive has no boolean loop)
    values = np.array([True, False, True]).astype(dtype)
    with np.errstate(divide="ignore"):
        try:
            expected = values**exponent
        except Exception as exc:  # e.g. integers to negative integer powers
            with pytest.raises(type(exc)):
                mg.tensor(values) ** exponent
            return
        out = mg.tensor(values) ** exponent
    check_forward(out, expected)


@pytest.mark.parametrize("dtype", POW_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("power", "op"), [(1, "Positive"), (2, "Square")])
def test_pow_by_one_or_two_records_positive_or_square_for_any_exponent_type(power, op, dtype):
    # MyGrad 2 records the cheaper op for an exponent equal to 1 or 2 given as a number or a 0-d array; the result
    # is still NumPy's power, in its dtype (an integer tensor to a float exponent is promoted to float)
    values = np.array([True, False, True]).astype(dtype) * np.array(3, dtype)
    exponents = [power, float(power), np.array(power), np.array(float(power)), np.int8(power), np.float32(power)]  # fmt: skip
    for exponent in exponents + ([True] if power == 1 else []):
        out = mg.tensor(values) ** exponent
        check_forward(out, values**exponent)
        assert type(out.creator).__name__ == op, repr(exponent)
        in_place = values.copy()
        try:
            in_place **= exponent
        except TypeError:  # a result NumPy cannot cast back (a boolean array to an integer power)
            with pytest.raises(TypeError):
                x = mg.tensor(values)
                x **= exponent
            continue
        x = mg.tensor(values)
        x **= exponent
        check_forward(x, in_place)
    if dtype in (np.float32, np.float64):
        for exponent in exponents:
            assert_gradients_match(lambda x, p=exponent: x**p, values.astype(np.float64))
    # an exponent that is a tensor or an array of one element is differentiated as the exponent it is
    assert type((mg.tensor(values) ** mg.tensor(float(power))).creator).__name__ == "Power"
    assert type((mg.tensor(values) ** np.array([power])).creator).__name__ == "Power"


@pytest.mark.parametrize("x", [5e-324, -5e-324, 2.2250738585072014e-308, 0.0, -0.0, 1e-300])
def test_the_derivative_of_x_to_the_zero_is_zero_at_tiny_x(x):
    # d(x**0)/dx = 0 * x**-1: 0 where x**-1 overflows (a subnormal x) as well as at x == 0, never NaN
    t = mg.tensor(x)
    with np.errstate(divide="ignore", over="ignore"):
        (t**0).backward()
    assert t.grad == 0
    y = mg.tensor(0.0, constant=True)
    t = mg.tensor(x)
    with np.errstate(divide="ignore", over="ignore"):
        (t**y).backward()
        assert t.grad == 0
        assert mg.grad(mg.grad(lambda v: v**0))(x) == 0  # and to higher orders


def test_the_mixed_derivative_of_x_to_the_y_at_y_zero_is_one_over_x():
    # the special case of y == 0 leaves d/dy d/dx x**y = 1/x alone where it is finite
    hessian = mg.hessian(lambda v: v[0] ** v[1])(np.array([2.0, 0.0]))
    np.testing.assert_allclose(hessian.data, [[0.0, 0.5], [0.5, np.log(2.0) ** 2]], rtol=1e-14, atol=0)


def test_sqrt_gradient_at_zero_is_inf():
    x = mg.tensor([0.0, 4.0])
    with np.errstate(divide="ignore"):
        mg.sqrt(x).backward()
    np.testing.assert_array_equal(x.grad, [np.inf, 0.25])


def test_sinc_gradient_at_zero_is_zero():
    x = mg.tensor([0.0, 0.5])
    mg.sinc(x).backward()
    np.testing.assert_allclose(x.grad, [0.0, -4 / np.pi], rtol=1e-12)
    assert x.grad[0] == 0


def test_power_exponent_gradient_at_zero_base_is_zero():
    x, y = mg.tensor([0.0, 0.0, 0.0, 2.0]), mg.tensor([2.0, 3.0, 0.5, 0.5])
    with np.errstate(divide="ignore"):
        (x**y).backward()
    np.testing.assert_array_equal(y.grad[:3], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(y.grad[3], np.sqrt(2) * np.log(2), rtol=1e-12)
    np.testing.assert_array_equal(x.grad[:3], [0.0, 0.0, np.inf])


# ----------------------------------------------------------------------------------------- ufunc keywords
WHERE_SPECS = [SPEC[name] for name in ("multiply", "divide", "power", "arctan2", "exp", "sqrt")]


@pytest.mark.parametrize("spec", WHERE_SPECS, ids=repr)
@given(data=st.data())
def test_where_masks_the_gradient(spec: Spec, data):
    shapes = data.draw(broadcastable_shapes(spec.nin, max_side=3), label="shapes")
    arrays = draw_inputs(data, spec, shapes)
    out_shape = np.broadcast_shapes(*shapes)
    mask = data.draw(hnp.arrays(np.bool_, out_shape), label="where")
    grad = draw_upstream(data, out_shape)

    # with a zeroed `out`, the masked elements are constant zeros: an ordinary function to differentiate
    for f in spec.callers():

        def masked(*xs, f=f):
            return f(*xs, where=mask, out=np.zeros(out_shape))

        with np.errstate(divide="ignore", invalid="ignore"):  # the rules see the zeros (e.g. sqrt's 1 / out)
            out = assert_gradients_match(masked, *arrays, grad=grad)
        check_forward(out, np.where(mask, spec.numpy(*arrays), 0.0))

    # without `out` the masked elements are garbage (NumPy's semantics), but their gradient is still zero
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # the rules also see the garbage
        warnings.simplefilter("ignore", UserWarning)  # NumPy's "'where' used without 'out'"
        analytic = backprop(spec.mygrad, *arrays, grad=grad, where=mask)
    expected = numerical_gradient(lambda *xs: np.where(mask, spec.numpy(*xs), 0.0), *arrays, grad=grad)
    for a, e in zip(analytic, expected):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-7)


def test_where_mask_that_broadcasts():
    x, y = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), mg.tensor([10.0, 20.0, 30.0])
    out = mg.multiply(x, y, where=[True, False, True], out=np.zeros((2, 3)))
    np.testing.assert_array_equal(out.data, [[10.0, 0.0, 90.0], [40.0, 0.0, 180.0]])
    out.backward()
    np.testing.assert_array_equal(x.grad, [[10.0, 0.0, 30.0], [10.0, 0.0, 30.0]])
    np.testing.assert_array_equal(y.grad, [5.0, 0.0, 9.0])


@pytest.mark.parametrize("multiply", [mg.multiply, np.multiply], ids=["mg", "np"])
@pytest.mark.parametrize(("in_dtype", "out_dtype"), [(np.float64, np.float32), (np.float32, np.float64)])
def test_dtype_keyword_sets_the_result_dtype_but_not_the_gradients(multiply, in_dtype, out_dtype):
    xs, ys = np.array([1.5, -2.0, 3.25], dtype=in_dtype), np.array([0.5, 4.0, -1.25], dtype=in_dtype)
    x, y = mg.tensor(xs), mg.tensor(ys)
    out = multiply(x, y, dtype=out_dtype)
    check_forward(out, np.multiply(xs, ys, dtype=out_dtype))
    out.backward()
    assert x.grad.dtype == in_dtype and y.grad.dtype == in_dtype
    np.testing.assert_array_equal(x.grad, ys)  # these values are exact in every float dtype
    np.testing.assert_array_equal(y.grad, xs)


def test_dtype_keyword_on_a_unary_ufunc():
    xs = np.array([-1.0, 0.5, 2.0])
    x = mg.tensor(xs)
    out = mg.exp(x, dtype=np.float32)
    check_forward(out, np.exp(xs, dtype=np.float32))
    out.backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, np.exp(xs), rtol=1e-6)  # d exp = exp, from a float32 result


def exp_of_x(x, y):
    return np.exp(x)


# name: (call(x, y, buffer), what NumPy computes); the exp calls ignore y
OUT_CALLS = {
    "mg.exp(x, out=)": (lambda x, y, buf: mg.exp(x, out=buf), exp_of_x),
    "np.exp(x, out=)": (lambda x, y, buf: np.exp(x, out=buf), exp_of_x),
    "mg.exp(x, buf)": (lambda x, y, buf: mg.exp(x, buf), exp_of_x),
    "np.exp(x, buf)": (lambda x, y, buf: np.exp(x, buf), exp_of_x),
    "mg.add(x, y, out=)": (lambda x, y, buf: mg.add(x, y, out=buf), np.add),
    "np.add(x, y, out=)": (lambda x, y, buf: np.add(x, y, out=buf), np.add),
    "mg.add(x, y, buf)": (lambda x, y, buf: mg.add(x, y, buf), np.add),
    "np.add(x, y, buf)": (lambda x, y, buf: np.add(x, y, buf), np.add),
    "np.add(x, y, out=(buf,))": (lambda x, y, buf: np.add(x, y, out=(buf,)), np.add),
    "mg.multiply(x, y[:1], out=)": (lambda x, y, buf: mg.multiply(x, y[:1], out=buf), lambda x, y: x * y[:1]),
}


@pytest.mark.parametrize(("call", "reference"), OUT_CALLS.values(), ids=OUT_CALLS.keys())
def test_out_ndarray_is_wrapped_by_the_result(call, reference):
    xs, ys = np.array([0.5, -1.0, 2.0]), np.array([3.0, 1.0, -2.0])
    buf = np.full(3, np.nan)
    result = call(mg.tensor(xs), mg.tensor(ys), buf)
    assert isinstance(result, mg.Tensor)
    assert result.data is buf
    np.testing.assert_array_equal(buf, reference(xs, ys))
    assert_gradients_match(
        lambda x, y: call(x, y, np.empty(3)),
        xs,
        ys,
        grad=np.array([1.0, -2.0, 0.5]),
        constant=(1,) if reference is exp_of_x else (),
    )


def test_out_aliasing_an_input_is_refused_or_differentiated_correctly():
    # NumPy allows writing the result over an input's array. MyGrad 2.5 refuses (its inputs are read-only
    # while in a graph: "output array is read-only"); otherwise the rules must not read the overwritten input.
    values = np.array([0.5, 1.0, 2.0])
    x = mg.tensor(values)
    try:
        out = mg.sin(x, out=x.data)
    except ValueError:
        return
    out.backward()
    np.testing.assert_allclose(x.grad, np.cos(values), rtol=1e-12)


# NumPy's remaining ufunc keywords: MyGrad 2.5 refuses them at the call (TypeError); if mygrad accepts one, it
# must do what NumPy does with it, and the result must still be differentiable.
OTHER_UFUNC_KEYWORDS = {
    "np.exp(casting=)": lambda t: np.exp(t, casting="same_kind"),
    "mg.exp(casting=)": lambda t: mg.exp(t, casting="same_kind"),
    "np.add(order=)": lambda t: np.add(t, t, order="C"),
    "np.multiply(subok=)": lambda t: np.multiply(t, 3.0, subok=True),
    "np.sqrt(casting=unsafe)": lambda t: np.sqrt(t, casting="unsafe"),
}


@pytest.mark.parametrize("call", OTHER_UFUNC_KEYWORDS.values(), ids=OTHER_UFUNC_KEYWORDS.keys())
def test_other_ufunc_keywords_are_refused_or_honoured(call):
    values = np.array([1.0, 2.0, 4.0])
    try:
        out = call(mg.tensor(values))
    except TypeError:
        return
    check_forward(out, np.asarray(call(values)))
    assert_gradients_match(call, values)


# ---------------------------------------------------------------------------------- NEP 50 dtype promotion
NEP50_CASES = [
    # (input dtype, operation, expected result dtype)
    (np.float32, lambda t: t * 2.0, np.float32),
    (np.float32, lambda t: 2.0 * t, np.float32),
    (np.float32, lambda t: t / 3, np.float32),
    (np.float32, lambda t: t - 1, np.float32),
    (np.float32, lambda t: t**3, np.float32),
    (np.float32, lambda t: 2.0**t, np.float32),
    (np.float32, lambda t: np.multiply(t, 2.0), np.float32),
    (np.float32, lambda t: t + np.float32(2), np.float32),
    (np.float32, lambda t: t * np.float64(2), np.float64),
    (np.float32, lambda t: t * np.array(2.0), np.float64),
    (np.float16, lambda t: t + 1, np.float16),
    (np.float16, lambda t: 1 + t, np.float16),
    (np.float16, lambda t: t * 0.5, np.float16),
    (np.int8, lambda t: t * 2, np.int8),
    (np.int8, lambda t: t + 1, np.int8),
    (np.int8, lambda t: t * 2.0, np.float64),
]


@pytest.mark.parametrize(("dtype", "op", "expected"), NEP50_CASES)
def test_python_scalars_are_weak(dtype, op, expected):
    values = np.array([1.0, 2.0, 3.0], dtype=dtype)
    assert op(values).dtype == expected  # plain NumPy
    out = op(mg.tensor(values))
    check_forward(out, op(values))
    assert out.constant is (np.dtype(dtype).kind != "f")


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_mygrad_ufuncs_keep_python_scalars_weak(dtype):
    x = mg.tensor(np.array([1.0, 2.0], dtype=dtype))
    for result in (mg.multiply(x, 2.0), mg.add(1, x), mg.power(x, 3), mg.maximum(x, 1.5), mg.arctan2(x, 2.0)):
        assert result.dtype == dtype


LOW_PRECISION_FUNCS = {
    "exp": mg.exp,
    "sin": np.sin,
    "x * 2.0": lambda x: x * 2.0,
    "x ** 2": lambda x: x**2,
    "x ** 3": lambda x: x**3,
    "x / 3": lambda x: x / 3,
    "x * float64": lambda x: x * mg.tensor([1.0, -2.0, 0.5]),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize("func", LOW_PRECISION_FUNCS.values(), ids=LOW_PRECISION_FUNCS.keys())
def test_gradients_of_low_precision_inputs_keep_their_dtype(dtype, func):
    values = np.array([0.5, -1.25, 2.0])
    x = mg.tensor(values.astype(dtype))
    func(x).backward()
    assert type(x.grad) is np.ndarray and x.grad.dtype == dtype
    (expected,) = backprop(func, values.astype(dtype).astype(np.float64))
    np.testing.assert_allclose(x.grad, expected, rtol=np.finfo(dtype).eps * 8)


# ------------------------------------------------------------------------------------------------ operators
BINARY_OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
OPERANDS = {"float": 1.5, "int": 2, "list": [0.6, 1.2, 2.2], "ndarray": np.array([0.6, 1.2, 2.2])}
TENSOR_VALUES = np.array([[0.5, 1.5, 2.5], [0.7, 1.1, 1.9]])  # positive: a base and a divisor both


@pytest.mark.parametrize("side", ["tensor-left", "tensor-right"])
@pytest.mark.parametrize("other", OPERANDS.values(), ids=OPERANDS.keys())
@pytest.mark.parametrize("op", BINARY_OPERATORS.values(), ids=BINARY_OPERATORS.keys())
def test_binary_operators_with_non_tensors(op, other, side):
    def f(t):
        return op(t, other) if side == "tensor-left" else op(other, t)

    out = assert_gradients_match(f, TENSOR_VALUES, grad=np.arange(6.0).reshape(2, 3))
    check_forward(out, f(TENSOR_VALUES))


MATMUL_OPERANDS = {
    "list-vector": [1.0, -2.0, 0.5],
    "ndarray-vector": np.array([1.0, -2.0, 0.5]),
    "ndarray-matrix": np.arange(6.0).reshape(3, 2),
    "list-matrix": [[1.0, 0.0], [2.0, -1.0], [0.5, 3.0]],
}


@pytest.mark.parametrize("other", MATMUL_OPERANDS.values(), ids=MATMUL_OPERANDS.keys())
def test_matmul_operator_with_non_tensors(other):
    left = np.arange(6.0).reshape(2, 3) - 2  # (2, 3) @ other
    out = assert_gradients_match(lambda t: t @ other, left)
    check_forward(out, left @ np.asarray(other))
    right = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0], [2.0, 1.0, 1.0]])  # other.T @ (3, 3)
    other_t = np.asarray(other).T
    other_t = other_t.tolist() if isinstance(other, list) else other_t
    out = assert_gradients_match(lambda t: other_t @ t, right)
    check_forward(out, np.asarray(other_t) @ right)


@pytest.mark.parametrize(
    ("op", "name"), [(operator.neg, "Negative"), (operator.pos, "Positive"), (abs, "Abs")]
)
def test_unary_operators(op, name):
    values = np.array([-1.5, 0.25, 3.0])
    out = op(mg.tensor(values))
    check_forward(out, op(values))
    assert type(out.creator).__name__ == name
    assert_gradients_match(op, values, grad=np.array([1.0, -2.0, 0.5]))


def test_ndarray_on_the_left_gives_a_tensor():
    t = mg.tensor([1.0, 2.0])
    for result in (np.ones(2) + t, np.ones(2) * t, np.ones(2) - t, np.ones(2) / t, np.ones(2) ** t):
        assert isinstance(result, mg.Tensor)
        assert not result.constant


FLOOR_DIVISIONS = {
    "tensor // int": lambda t: t // 2,
    "int // tensor": lambda t: 7 // t,
    "ndarray // tensor": lambda t: np.array([7.0, 9.0]) // t,
    "tensor // tensor": lambda t: t // t,
}


@pytest.mark.parametrize("floordiv", FLOOR_DIVISIONS.values(), ids=FLOOR_DIVISIONS.keys())
def test_floor_division(floordiv):
    values = np.array([3.0, 4.5])
    with pytest.raises(ValueError, match="cannot involve non-constant"):
        floordiv(mg.tensor(values))
    for data in (values, values.astype(np.int64)):
        result = floordiv(mg.tensor(data, constant=True))
        assert type(result) is np.ndarray
        np.testing.assert_array_equal(result, floordiv(data))
        assert result.dtype == floordiv(data).dtype


COMPARISONS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]
COMPARANDS = {
    "float": 2.0,
    "list": [1.0, 2.0, 5.0],
    "ndarray": np.array([1.0, 2.0, 5.0]),
    "tensor": mg.tensor([1.0, 2.0, 5.0]),
}


@pytest.mark.parametrize("other", COMPARANDS.values(), ids=COMPARANDS.keys())
@pytest.mark.parametrize("op", COMPARISONS, ids=lambda op: op.__name__)
def test_comparisons_return_boolean_ndarrays(op, other):
    values = np.array([1.0, 3.0, 2.0])
    plain_other = np.asarray(other)
    cases = [
        (op(mg.tensor(values), other), op(values, plain_other)),
        (op(other, mg.tensor(values)), op(plain_other, values)),  # reflected
    ]
    for result, expected in cases:
        assert type(result) is np.ndarray and result.dtype == np.bool_
        np.testing.assert_array_equal(result, expected)


# ------------------------------------------------------------------------- NumPy ufuncs mygrad refuses
CONSTANT_ONLY = [
    np.floor_divide, np.remainder, np.mod, np.fmod, np.divmod, np.rint, np.sign, np.floor, np.ceil, np.trunc,
]  # fmt: skip


def _args(ufunc: np.ufunc, first, second) -> tuple:
    return (first, second)[: ufunc.nin]


@pytest.mark.parametrize("ufunc", CONSTANT_ONLY, ids=lambda u: u.__name__)
def test_constant_only_ufuncs(ufunc):
    xs, ys = np.array([-2.5, 1.5, 7.0]), np.array([2.0, -1.0, 3.0])
    with pytest.raises(ValueError, match="cannot involve non-constant"):
        ufunc(*_args(ufunc, mg.tensor(xs), ys))
    if ufunc.nin == 2:
        with pytest.raises(ValueError, match="cannot involve non-constant"):
            ufunc(mg.tensor(xs, constant=True), mg.tensor(ys))
    for dtype in (np.float64, np.int64):
        x, y = xs.astype(dtype), ys.astype(dtype)
        results = ufunc(*_args(ufunc, mg.tensor(x, constant=True), mg.tensor(y, constant=True)))
        expected = ufunc(*_args(ufunc, x, y))
        if ufunc.nout == 1:
            results, expected = (results,), (expected,)
        for result, e in zip(results, expected, strict=True):
            assert type(result) is np.ndarray and result.dtype == e.dtype
            np.testing.assert_array_equal(result, e)


@pytest.mark.parametrize("ufunc", CONSTANT_ONLY + [np.isnan, np.signbit, np.less], ids=lambda u: u.__name__)
def test_numpy_ufuncs_without_a_gradient_refuse_to_write_into_a_non_constant_tensor(ufunc):
    # `np.ceil(np.array(1.5), out=t)` would change t behind its graph's back: the constant-only error
    inputs = _args(ufunc, np.array([-2.5, 1.5]), np.array([2.0, -1.0]))
    for out in (mg.tensor([0.0, 0.0]), (mg.tensor([0.0, 0.0]),)):
        if ufunc.nout == 2:
            out = (mg.tensor([0.0, 0.0]), mg.tensor([0.0, 0.0], constant=True))
        with pytest.raises(ValueError, match="cannot involve non-constant"):
            ufunc(*inputs, out=out)
        for t in out if isinstance(out, tuple) else (out,):
            np.testing.assert_array_equal(t.data, [0.0, 0.0])  # left as it was
    # a constant tensor takes the result, as an array would
    outs = tuple(mg.tensor([0.0, 0.0], constant=True) for _ in range(ufunc.nout))
    expected = ufunc(*inputs)
    ufunc(*inputs, out=outs if ufunc.nout == 2 else outs[0])
    for t, e in zip(outs, expected if ufunc.nout == 2 else (expected,)):
        np.testing.assert_array_equal(t.data, e)


REMAINDERS = {  # name: (the call, NumPy's on arrays)
    "tensor % int": (lambda t: t % 2, lambda a: a % 2),
    "int % tensor": (lambda t: 7 % t, lambda a: 7 % a),
    "ndarray % tensor": (lambda t: np.array([7.0, 9.0]) % t, lambda a: np.array([7.0, 9.0]) % a),
    "tensor % tensor": (lambda t: t % t, lambda a: a % a),
    "divmod(tensor, int)": (lambda t: divmod(t, 2), lambda a: divmod(a, 2)),
    "divmod(int, tensor)": (lambda t: divmod(7, t), lambda a: divmod(7, a)),
    "divmod(ndarray, tensor)": (
        lambda t: divmod(np.array([7.0, 9.0]), t),
        lambda a: divmod(np.array([7.0, 9.0]), a),
    ),
}


@pytest.mark.parametrize(("remainder", "numpy_remainder"), REMAINDERS.values(), ids=REMAINDERS.keys())
def test_remainder_operators_behave_as_numpys_remainder_and_divmod(remainder, numpy_remainder):
    # `%` and divmod() are np.remainder and np.divmod: constant tensors only, NumPy's arrays as results
    values = np.array([3.0, 4.5])
    with pytest.raises(ValueError, match="cannot involve non-constant"):
        remainder(mg.tensor(values))
    for data in (values, values.astype(np.int64)):
        result, expected = remainder(mg.tensor(data, constant=True)), numpy_remainder(data)
        for got, want in zip(*(r if isinstance(r, tuple) else (r,) for r in (result, expected)), strict=True):
            assert type(got) is np.ndarray
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


BOOLEAN_UFUNCS = [
    np.isnan, np.isfinite, np.isinf, np.signbit, np.logical_not, np.logical_and, np.logical_or, np.logical_xor,
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
]  # fmt: skip


@pytest.mark.parametrize("ufunc", BOOLEAN_UFUNCS, ids=lambda u: u.__name__)
def test_boolean_ufuncs_return_ndarrays(ufunc):
    xs, ys = np.array([0.0, -1.0, np.inf, np.nan, 2.0]), np.array([0.0, 1.0, np.inf, 1.0, 1.0])
    result = ufunc(*_args(ufunc, mg.tensor(xs), mg.tensor(ys)))
    expected = ufunc(*_args(ufunc, xs, ys))
    assert type(result) is np.ndarray and result.dtype == np.bool_
    np.testing.assert_array_equal(result, expected)


# Not np.fabs, np.hypot, np.deg2rad ...: API.md 5.3 plans to make those differentiable.
UNREGISTERED = {
    "heaviside": lambda t: np.heaviside(t, 0.5),
    "copysign": lambda t: np.copysign(t, -1.0),
    "nextafter": lambda t: np.nextafter(t, 0.0),
    "spacing": np.spacing,
    "ldexp": lambda t: np.ldexp(t, 2),
}


@pytest.mark.parametrize("call", UNREGISTERED.values(), ids=UNREGISTERED.keys())
def test_unregistered_ufuncs_raise_type_error(call):
    with pytest.raises(TypeError):
        call(mg.tensor([1.0, -2.0]))


UFUNC_METHODS = {
    "np.add.reduce": lambda t: np.add.reduce(t),
    "np.add.accumulate": lambda t: np.add.accumulate(t),
    "np.multiply.outer": lambda t: np.multiply.outer(t, t),
    "np.add.reduceat": lambda t: np.add.reduceat(t, [0, 1]),
    "mg.add.reduce": lambda t: mg.add.reduce(t),
    "mg.multiply.outer": lambda t: mg.multiply.outer(t, t),
    "mg.add.at": lambda t: mg.add.at(t, [0], 1.0),
}


@pytest.mark.parametrize("call", UFUNC_METHODS.values(), ids=UFUNC_METHODS.keys())
def test_ufunc_methods_are_not_implemented(call):
    with pytest.raises(NotImplementedError):
        call(mg.tensor([1.0, 2.0, 3.0]))


def test_numpy_ufunc_at_raises_type_error():
    with pytest.raises(TypeError):
        np.add.at(mg.tensor([1.0, 2.0, 3.0]), [0], 1.0)


# ------------------------------------------------------------------------------ the plain functions
@pytest.mark.parametrize("spec", PLAIN_SPECS, ids=repr)
def test_plain_functions_are_not_ufuncs_and_take_constant(spec: Spec):
    f = spec.mygrad
    assert not isinstance(f, mg.ufunc) and not (isinstance(f, type) and issubclass(f, mg.ufunc))
    values = np.array([1.25, -1.5])  # in every plain function's domain

    x = mg.tensor(values)
    out = f(x, constant=True)
    check_forward(out, spec.numpy(values), exact=False)
    assert out.constant
    out.backward()
    assert x.grad is None

    assert f(mg.tensor(values, constant=True)).constant
    assert f(values.tolist()).constant
    assert not f(mg.tensor(values, constant=True), constant=False).constant
    with pytest.raises(TypeError):
        f(x, out=np.empty(2))


@pytest.mark.parametrize("spec", UFUNC_SPECS, ids=repr)
def test_ufuncs_are_mygrad_ufuncs_and_take_constant(spec: Spec):
    f = spec.mygrad
    assert issubclass(f, mg.ufunc)
    assert repr(f) == f"<mygrad-ufunc '{f.__name__}'>"
    assert f.__name__ == {"divide": "true_divide"}.get(spec.name, spec.name)  # (MyGrad 2's name of divide)
    x = mg.tensor([0.25, 0.5])
    with np.errstate(invalid="ignore"):  # arccosh: out of its domain, which does not matter here
        out = f(*[x] * spec.nin, constant=True)
    assert out.constant
    out.backward()
    assert x.grad is None
