"""Activations: forward results against direct NumPy formulas, gradients against central differences.

Every activation runs on hypothesis-drawn float64 arrays of any small shape (0-d and size-0 included), with a
random upstream gradient; softmax/logsoftmax with every spelling of ``axis``, glu along every axis. The kinks
are checked against their documented conventions, large inputs against overflow, bad arguments against clear
errors, and dtypes against NumPy's promotion rules.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.exceptions import AxisError
from support import no_warnings

import mygrad as mg
import mygrad.nnet.activations as activations
from mygrad import Tensor
from mygrad.nnet.activations import (
    elu,
    glu,
    hard_tanh,
    leaky_relu,
    logsoftmax,
    relu,
    selu,
    sigmoid,
    soft_sign,
    softmax,
    tanh,
)
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import array_shapes, finite_floats

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# ------------------------------------------------------------------------------------ direct NumPy formulas
def np_sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))  # 1 / (1 + exp(-x)), overflow-free


def np_softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_logsoftmax(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def np_elu(x, alpha):
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def np_selu(x):
    return SELU_SCALE * np_elu(x, SELU_ALPHA)


def np_glu(x, axis):
    a, b = np.split(x, 2, axis=axis)
    return a * np_sigmoid(b)


# name -> (function, kwargs, NumPy formula, points to keep away from: kinks)
ELEMENTWISE = {
    "relu": (relu, {}, lambda x: np.maximum(x, 0), (0.0,)),
    "leaky_relu": (leaky_relu, {"slope": 0.1}, lambda x: np.where(x > 0, x, 0.1 * x), (0.0,)),
    "leaky_relu_steep": (leaky_relu, {"slope": -2.5}, lambda x: np.where(x > 0, x, -2.5 * x), (0.0,)),
    "sigmoid": (sigmoid, {}, np_sigmoid, ()),
    "tanh": (tanh, {}, np.tanh, ()),
    "elu": (elu, {"alpha": 1.5}, lambda x: np_elu(x, 1.5), (0.0,)),
    "elu_negative_alpha": (elu, {"alpha": -0.5}, lambda x: np_elu(x, -0.5), (0.0,)),
    "selu": (selu, {}, np_selu, (0.0,)),
    "soft_sign": (soft_sign, {}, lambda x: x / (1 + np.abs(x)), ()),
    "hard_tanh": (hard_tanh, {}, lambda x: np.clip(x, -1, 1), (-1.0, 1.0)),
    "hard_tanh_bounds": (
        hard_tanh,
        {"lower_bound": -2.5, "upper_bound": 0.5},
        lambda x: np.clip(x, -2.5, 0.5),
        (-2.5, 0.5),
    ),
}


def arrays(shape=None, low=-10.0, high=10.0, exclude=()):
    return hnp.arrays(
        np.float64, array_shapes() if shape is None else shape, elements=finite_floats(low, high, exclude)
    )


@st.composite
def array_and_grad(draw, shape=None, exclude=(), out_shape=None, low=-10.0, high=10.0):
    """An input array and an upstream gradient for the output (shaped like the input unless told)."""
    x = draw(arrays(shape, low, high, exclude))
    g_shape = x.shape if out_shape is None else out_shape(x.shape)
    return x, draw(hnp.arrays(np.float64, g_shape, elements=finite_floats(-2.0, 2.0)))


def axes(ndim: int) -> st.SearchStrategy:
    """Every spelling of ``axis``: None, an int (negative too), a tuple of distinct axes, ``()``."""
    options = [st.none(), hnp.valid_tuple_axes(ndim)]
    if ndim:
        options.append(st.integers(-ndim, ndim - 1))
    return st.one_of(options)


# ------------------------------------------------------------------------------------- elementwise: forward
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@given(data=st.data())
def test_elementwise_forward_matches_numpy(name, data):
    func, kwargs, reference, _ = ELEMENTWISE[name]
    x = data.draw(arrays(low=-50, high=50), label="x")
    out = func(x, **kwargs)
    assert isinstance(out, Tensor)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, reference(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@given(data=st.data())
def test_elementwise_gradients(name, data):
    func, kwargs, _, kinks = ELEMENTWISE[name]
    x, g = data.draw(array_and_grad(exclude=kinks), label="x, grad")
    assert_gradients_match(func, x, grad=g, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_input_not_a_tensor_gives_a_constant(name):
    func, kwargs, reference, _ = ELEMENTWISE[name]
    out = func([[-2.0, 0.5, 3.0]], **kwargs)
    assert out.constant
    np.testing.assert_allclose(out.data, reference(np.array([[-2.0, 0.5, 3.0]])))
    assert func(mg.tensor([-2.0, 0.5]), **kwargs).constant is False
    assert func(mg.tensor([-2.0, 0.5]), constant=True, **kwargs).constant is True
    assert func(np.array([-2.0, 0.5]), constant=False, **kwargs).constant is False


def test_tanh_is_mygrad_tanh():
    assert activations.tanh is mg.tanh


def test_all_names_exported():
    names = "elu glu hard_tanh leaky_relu logsoftmax relu selu sigmoid soft_sign softmax tanh"
    assert sorted(activations.__all__) == names.split()


# ------------------------------------------------------------------------------- non-differentiable points
def _grad_at(func, values, **kwargs):
    x = mg.tensor(values)
    func(x, **kwargs).backward()
    return x.grad


def test_kink_conventions():
    np.testing.assert_array_equal(_grad_at(relu, [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(_grad_at(leaky_relu, [-1.0, 0.0, 2.0], slope=0.25), [0.25, 0.0, 1.0])
    np.testing.assert_allclose(_grad_at(elu, [-1.0, 0.0, 2.0], alpha=2.0), [2 * np.exp(-1), 1.0, 1.0])
    np.testing.assert_allclose(
        _grad_at(selu, [-1.0, 0.0, 2.0]), [SELU_SCALE * SELU_ALPHA * np.exp(-1), SELU_SCALE, SELU_SCALE]
    )
    # hard_tanh: zero gradient at the bounds themselves (as for maximum/minimum ties)
    np.testing.assert_array_equal(_grad_at(hard_tanh, [-2.0, -1.0, 0.0, 1.0, 2.0]), [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(
        _grad_at(hard_tanh, [-3.0, -2.0, 0.0, 5.0, 6.0], lower_bound=-2, upper_bound=5), [0, 0, 1, 0, 0]
    )
    np.testing.assert_allclose(_grad_at(soft_sign, [0.0]), [1.0])
    np.testing.assert_allclose(_grad_at(sigmoid, [0.0]), [0.25])


def test_relu_of_negative_zero_and_nan():
    out = relu(np.array([-3.0, -0.0, np.nan]))
    assert not np.signbit(out.data[0])  # max(x, 0), not x * (x > 0): no -0.0 for negative inputs
    assert np.isnan(out.data[2])


def test_elu_at_zero_is_zero_and_continuous():
    out = elu(np.array([-1e-12, 0.0, 1e-12]), alpha=3.0)
    np.testing.assert_allclose(out.data, [-3e-12, 0.0, 1e-12], rtol=1e-9)


# ---------------------------------------------------------------------------------------- softmax family
@pytest.mark.parametrize(
    "func, reference, atol", [(softmax, np_softmax, 1e-15), (logsoftmax, np_logsoftmax, 1e-12)]
)
@given(data=st.data())
def test_softmax_family_forward_and_gradient(func, reference, atol, data):
    x, g = data.draw(array_and_grad(), label="x, grad")
    axis = data.draw(axes(x.ndim), label="axis")
    out = func(x, axis=axis)
    if x.size:
        np.testing.assert_allclose(out.data, reference(x, axis), rtol=1e-12, atol=atol)
    assert out.shape == x.shape
    assert_gradients_match(func, x, grad=g, kwargs={"axis": axis})


def test_softmax_default_axis_is_last():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(softmax(x).data, np_softmax(x, -1))
    np.testing.assert_allclose(logsoftmax(x).data, np_logsoftmax(x, -1))
    np.testing.assert_allclose(softmax(x, axis=0).data.sum(axis=0), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(softmax(x, axis=None).data.sum(), 1.0)
    np.testing.assert_allclose(softmax(x, axis=(0, 1)).data, softmax(x, axis=None).data)


def test_softmax_of_0d_and_empty():
    assert softmax(3.0).item() == 1.0
    assert logsoftmax(3.0).item() == 0.0
    assert softmax(np.zeros((3, 0))).shape == (3, 0)
    assert logsoftmax(np.zeros((0, 3))).shape == (0, 3)


def test_softmax_bad_axis():
    with pytest.raises(AxisError):
        softmax(np.ones(3), axis=1)
    with pytest.raises(ValueError, match="duplicate"):
        logsoftmax(np.ones((2, 2)), axis=(0, 0))


def test_softmax_is_stable_for_huge_inputs():
    x = mg.tensor([[1000.0, 1000.0, -1000.0], [5000.0, 0.0, -5000.0]])
    out = no_warnings(softmax, x)
    np.testing.assert_allclose(out.data, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    no_warnings(out.backward, np.array([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]]))
    np.testing.assert_allclose(x.grad, [[-0.25, 0.25, 0.0], [0.0, 0.0, 0.0]], atol=1e-300)


def test_logsoftmax_is_stable_for_huge_inputs():
    x = mg.tensor([1000.0, 0.0, -1000.0])
    out = no_warnings(logsoftmax, x)
    np.testing.assert_array_equal(out.data, [0.0, -1000.0, -2000.0])  # finite where softmax underflows
    no_warnings(out.backward)
    np.testing.assert_allclose(x.grad, [-2.0, 1.0, 1.0])


def test_sigmoid_is_stable_for_huge_inputs():
    x = mg.tensor([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    out = no_warnings(sigmoid, x)
    np.testing.assert_allclose(out.data, [0.0, np.exp(-40.0), 0.5, 1.0, 1.0], rtol=1e-12, atol=0)
    no_warnings(out.backward)
    assert np.all(np.isfinite(x.grad))


@pytest.mark.parametrize("func", [elu, selu])
def test_exponential_units_do_not_overflow(func):
    kwargs = {"alpha": 1.0} if func is elu else {}
    out = no_warnings(func, np.array([-1000.0, 1000.0]), **kwargs)
    assert np.all(np.isfinite(out.data))


def test_softmax_of_infinities_follows_numpy_arithmetic():
    with np.errstate(invalid="ignore"):
        assert np.all(np.isnan(softmax(np.array([-np.inf, -np.inf])).data))
        np.testing.assert_array_equal(logsoftmax(np.array([-np.inf, 0.0])).data, [-np.inf, 0.0])


# ------------------------------------------------------------------------------------------------------ glu
@st.composite
def glu_case(draw):
    shape = list(draw(array_shapes(min_dims=1, max_dims=3, max_side=3)))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    shape[axis] *= 2  # an even length to split
    x = draw(arrays(tuple(shape)))
    out_shape = list(shape)
    out_shape[axis] //= 2
    g = draw(hnp.arrays(np.float64, tuple(out_shape), elements=finite_floats(-2.0, 2.0)))
    return x, g, axis


@given(case=glu_case())
def test_glu_forward_and_gradient(case):
    x, g, axis = case
    out = glu(x, axis)
    assert out.shape == g.shape
    np.testing.assert_allclose(out.data, np_glu(x, axis), rtol=1e-12, atol=1e-300)
    assert_gradients_match(glu, x, grad=g, kwargs={"axis": axis})


def test_glu_default_axis_and_numpy_integer_axis():
    x = np.arange(8.0).reshape(2, 4)
    np.testing.assert_allclose(glu(x).data, np_glu(x, -1))
    np.testing.assert_allclose(glu(x, np.int64(0)).data, np_glu(x, 0))


def test_glu_odd_length_names_the_shape():
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        glu(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"axis 0.*\(5, 2\)"):
        glu(np.ones((5, 2)), axis=0)


@pytest.mark.parametrize("axis", [1.0, (1,), None, True, "1"])
def test_glu_axis_must_be_an_integer(axis):
    with pytest.raises(TypeError, match="axis"):
        glu(np.ones((2, 4)), axis)


def test_glu_axis_out_of_bounds():
    with pytest.raises(AxisError):
        glu(np.ones((2, 4)), 2)
    with pytest.raises(AxisError):
        glu(np.array(1.0))


# ------------------------------------------------------------------------------------ parameter validation
@pytest.mark.parametrize(
    "func, name",
    [(elu, "alpha"), (leaky_relu, "slope"), (hard_tanh, "lower_bound"), (hard_tanh, "upper_bound")],
)
def test_scalar_parameters(func, name):
    x = np.array([-2.0, 0.5, 2.0])

    def call(value):
        return func(x, **{name: value})

    with pytest.raises(TypeError, match=name):
        call("a")
    with pytest.raises(TypeError, match=name):
        call(None)
    with pytest.raises(TypeError, match=name):
        call(1j)
    with pytest.raises(ValueError, match=name):
        call(np.array([0.1, 0.2]))
    # size-1 arrays and tensors are read as scalars (and are not differentiated)
    expected = call(0.5).data
    np.testing.assert_array_equal(call(np.array(0.5)).data, expected)
    np.testing.assert_array_equal(call(np.array([0.5])).data, expected)
    param = mg.tensor(0.5)
    xt = mg.tensor(x)
    func(xt, **{name: param}).backward()
    assert param.grad is None
    assert xt.grad is not None


def test_elu_and_leaky_relu_accept_positional_parameters():
    np.testing.assert_allclose(elu(np.array([-1.0]), 2.0).data, [2 * (np.exp(-1) - 1)])
    np.testing.assert_allclose(leaky_relu(np.array([-1.0]), 0.3).data, [-0.3])


# -------------------------------------------------------------------------------------------------- dtypes
FLOAT_PRESERVING = [
    (relu, {}),
    (leaky_relu, {"slope": 0.1}),
    (sigmoid, {}),
    (softmax, {}),
    (logsoftmax, {}),
    (elu, {"alpha": 1.0}),
    (selu, {}),
    (soft_sign, {}),
    (hard_tanh, {}),
    (glu, {}),
]


@pytest.mark.parametrize("func, kwargs", FLOAT_PRESERVING)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_is_kept(func, kwargs, dtype):
    x = mg.tensor([[-1.5, 0.5, 2.0, -0.25]], dtype=dtype)
    out = func(x, **kwargs)
    assert out.dtype == dtype
    out.backward()
    assert x.grad.dtype == dtype


FLOAT_MAKING = [case for case in FLOAT_PRESERVING if case[0] not in (relu, hard_tanh)]


@pytest.mark.parametrize("func, kwargs", FLOAT_MAKING)
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.int64])
def test_integer_and_boolean_inputs_give_float64(func, kwargs, dtype):
    # as MyGrad 2's softmax and sigmoid did (not float16 for 8-bit integers, as NumPy's exp would)
    x = np.array([[1, 0, 1, 1]], dtype=dtype)
    out = func(x, **kwargs)
    assert out.dtype == np.float64 and out.constant
    np.testing.assert_array_equal(out.data, func(x.astype(np.float64), **kwargs).data)


@pytest.mark.parametrize(
    "func, name",
    [(elu, "alpha"), (leaky_relu, "slope"), (hard_tanh, "lower_bound"), (hard_tanh, "upper_bound")],
)
@pytest.mark.parametrize("value", [np.float64(0.5), np.array(0.5), mg.tensor(0.5), np.array([0.5])])
def test_parameters_never_change_the_dtype(func, name, value):
    x = mg.tensor([-1.0, 0.25, 2.0], dtype=np.float32)
    assert func(x, **{name: value}).dtype == np.float32


def test_piecewise_linear_functions_keep_integer_dtypes():
    x = np.array([-2, -1, 0, 1, 2])
    assert relu(x).dtype == np.int64
    np.testing.assert_array_equal(relu(x).data, [0, 0, 0, 1, 2])
    assert hard_tanh(x).dtype == np.int64
    np.testing.assert_array_equal(hard_tanh(x).data, [-1, -1, 0, 1, 1])
    assert relu(np.array([True, False])).dtype == np.bool_
    np.testing.assert_allclose(leaky_relu(x, 0.5).data, [-1.0, -0.5, 0, 1, 2])


def test_integer_tensor_cannot_be_made_non_constant():
    with pytest.raises(ValueError, match="constant"):
        relu(np.array([1, -1]), constant=False)


# ----------------------------------------------------------------------------------------- array-likes
ARRAY_LIKES = [2.5, -1, True, np.float32(2.5), np.int64(-3), [2.5, -1.0], (0.5, -2.0), [[1, -2], [3, 0]]]


@pytest.mark.parametrize("func, kwargs", FLOAT_PRESERVING)
@pytest.mark.parametrize("value", ARRAY_LIKES, ids=repr)
def test_activations_accept_python_scalars_and_sequences(func, kwargs, value):
    if func is glu and np.ndim(value) == 0:
        value = [value, value]  # glu splits in half: it needs an axis
    out = func(value, **kwargs)
    assert out.constant
    np.testing.assert_array_equal(out.data, func(np.asarray(value), **kwargs).data)
    if out.dtype.kind == "f":  # a non-constant result backpropagates, to nothing: no error
        func(value, constant=False, **kwargs).sum().backward()


@pytest.mark.parametrize("axis", [np.array(0), np.array(-1, dtype=np.int32), np.int16(1)], ids=repr)
def test_glu_accepts_a_0d_integer_array_as_its_axis(axis):
    x = np.arange(8.0).reshape(2, 4)
    np.testing.assert_array_equal(glu(x, axis).data, glu(x, int(axis)).data)


@pytest.mark.parametrize("axis", [np.array([0]), np.array(0.0), np.array(True), np.bool_(False)], ids=repr)
def test_glu_refuses_other_arrays_as_its_axis(axis):
    with pytest.raises(TypeError, match="`axis` must be an integer"):
        glu(np.ones((2, 4)), axis)


@given(
    bounds=st.tuples(finite_floats(-3, 3), finite_floats(-3, 3)).filter(lambda b: b[0] > b[1]),
    data=st.data(),
)
def test_hard_tanh_with_crossed_bounds_gives_the_lower_bound(bounds, data):
    # as MyGrad 2: maximum(minimum(x, upper_bound), lower_bound), a constant lower_bound; its gradient is 0
    # everywhere (ties give none, as for maximum and minimum), and so are the higher derivatives
    lower, upper = bounds
    x, g = data.draw(array_and_grad(low=-5, high=5), label="x, grad")
    out = hard_tanh(x, lower_bound=lower, upper_bound=upper)
    np.testing.assert_array_equal(out.data, np.maximum(np.minimum(x, upper), lower))
    assert_gradients_match(hard_tanh, x, grad=g, kwargs={"lower_bound": lower, "upper_bound": upper})
    t = mg.tensor(x)
    hard_tanh(t, lower_bound=lower, upper_bound=upper).backward(g)
    np.testing.assert_array_equal(t.grad, np.zeros_like(x))
    second = mg.grad(
        lambda v: mg.grad(lambda u: hard_tanh(u, lower_bound=lower, upper_bound=upper).sum())(v).sum()
    )
    np.testing.assert_array_equal(second(x).data, np.zeros_like(x))


def test_hard_tanh_at_crossed_bounds_by_hand():
    x = mg.tensor([-1.0, 0.0, 0.5, 1.0, 2.0])
    y = hard_tanh(x, lower_bound=1, upper_bound=0)
    np.testing.assert_array_equal(y.data, [1, 1, 1, 1, 1])
    y.backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 0, 0, 0])
    # equal bounds: every value is the bound, with no gradient either
    x = mg.tensor([-2.0, 0.5, 2.0])
    hard_tanh(x, lower_bound=0.5, upper_bound=0.5).backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 0])


# ---------------------------------------------------------------------------------------- graph behaviour
def test_activation_clears_then_sets_gradients():
    x = mg.tensor([-1.0, 2.0])
    sigmoid(x).backward()
    first = x.grad.copy()
    out = sigmoid(x)  # a new op involving x nulls its gradient
    assert x.grad is None
    out.backward()
    np.testing.assert_array_equal(x.grad, first)


def test_activations_compose_in_a_graph():
    x = mg.tensor([[0.5, -1.0, 2.0, 0.0]])
    out = logsoftmax(relu(x) + elu(x, 1.0) * sigmoid(x) + glu(x).sum())
    assert_gradients_match(
        lambda t: logsoftmax(relu(t) + elu(t, 1.0) * sigmoid(t) + glu(t).sum()),
        np.array([[0.5, -1.0, 2.0, 0.25]]),
    )
    assert out.shape == (1, 4)


def test_no_autodiff():
    with mg.no_autodiff:
        out = softmax(mg.tensor([1.0, 2.0]))
    assert out.creator is None
