"""Initializers: shapes and dtypes, the documented formulas checked by the statistics of large draws, the
``rng`` argument (and NumPy's global state by default), leaf tensors, and clear errors for bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
import mygrad.nnet.initializers as initializers
from mygrad import Tensor
from mygrad.nnet.initializers import (
    constant,
    dirac,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    identity,
    normal,
    uniform,
)

RANDOM = [uniform, normal, glorot_uniform, glorot_normal, he_uniform, he_normal]
AT_LEAST_2D = [glorot_uniform, glorot_normal, he_uniform, he_normal, dirac]
SHAPED = [*RANDOM, dirac, constant]


def fans(shape):
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def expected_spread(func, shape, gain=1.0):
    """(kind, bound or std) documented for ``func`` at ``shape``."""
    fan_in, fan_out = fans(shape)
    return {
        glorot_uniform: ("uniform", gain * math.sqrt(6 / (fan_in + fan_out))),
        glorot_normal: ("normal", gain * math.sqrt(2 / (fan_in + fan_out))),
        he_uniform: ("uniform", gain * math.sqrt(6 / fan_in)),
        he_normal: ("normal", gain / math.sqrt(fan_in)),
    }[func]


def rng(seed=0):
    return np.random.default_rng(seed)


# ------------------------------------------------------------------------------------------ shapes, dtypes
@pytest.mark.parametrize("func", SHAPED)
def test_shape_spellings(func):
    for args in [(2, 3), ((2, 3),), ([2, 3],), (np.int64(2), 3), (4, 3, 2, 2)]:
        out = func(*args)
        assert isinstance(out, Tensor)
        expected = tuple(args[0]) if len(args) == 1 else tuple(int(a) for a in args)
        assert out.shape == expected
        assert out.creator is None  # a leaf


@pytest.mark.parametrize("func", SHAPED)
def test_bad_shapes(func):
    with pytest.raises(TypeError, match="shape"):
        func(2.0, 3)
    with pytest.raises(TypeError, match="shape"):
        func((2, 3), 4)
    with pytest.raises(ValueError, match="negative dimensions"):
        func(-1, 3)


@pytest.mark.parametrize("func", AT_LEAST_2D)
@pytest.mark.parametrize("shape", [(), (3,)])
def test_at_least_two_dimensions(func, shape):
    with pytest.raises(ValueError, match="at least two dimensions"):
        func(*shape)


@pytest.mark.parametrize("func", [uniform, normal, constant])
def test_any_number_of_dimensions(func):
    assert func().shape == ()
    assert func(5).shape == (5,)
    assert func((2, 1, 1, 3)).shape == (2, 1, 1, 3)


@pytest.mark.parametrize("func", SHAPED)
@pytest.mark.parametrize("shape", [(0, 3), (0, 0), (2, 3, 0)])
def test_empty_shapes(func, shape):
    assert func(*shape).shape == shape


@pytest.mark.parametrize("func", [*RANDOM, dirac])
def test_default_dtype_is_float32_and_others_are_honoured(func):
    assert func(3, 4).dtype == np.float32
    assert func(3, 4, dtype=np.float64).dtype == np.float64
    assert func(3, 4, dtype="float16").dtype == np.float16


@pytest.mark.parametrize("func", RANDOM)
@pytest.mark.parametrize("dtype", [int, np.int8, bool])
def test_random_initializers_require_a_float_dtype(func, dtype):
    with pytest.raises(ValueError, match="floating-point dtype"):
        func(3, 4, dtype=dtype)


@pytest.mark.parametrize("func", [*RANDOM, dirac])
def test_constant_flag(func):
    assert func(2, 3).constant is False
    assert func(2, 3, constant=True).constant is True


def test_dirac_with_integer_dtype_is_a_constant():
    out = dirac(2, 2, dtype=int)
    assert out.dtype == np.int64 and out.constant
    np.testing.assert_array_equal(out.data, np.eye(2))


# -------------------------------------------------------------------------------------- constant, identity
def test_constant():
    np.testing.assert_array_equal(constant(2, 3).data, np.zeros((2, 3)))
    assert constant(2, 3).dtype == np.float64 and not constant(2, 3).constant
    out = constant(2, 2, value=3)
    assert out.dtype == np.int64 and out.constant  # like mygrad.full
    np.testing.assert_array_equal(out.data, 3)
    out = constant((2,), value=3, dtype=np.float32)
    assert out.dtype == np.float32 and not out.constant
    assert constant(value=7.5).item() == 7.5
    assert constant(2, value=1.0, constant=True).constant


def test_identity_is_mygrad_identity():
    assert identity is mg.identity
    np.testing.assert_array_equal(identity(3).data, np.eye(3))


def test_all_names_exported():
    names = "constant dirac glorot_normal glorot_uniform he_normal he_uniform identity normal uniform"
    assert sorted(initializers.__all__) == names.split()


# ------------------------------------------------------------------------------------------------- dirac
def test_dirac_2d_is_a_cut_identity():
    np.testing.assert_array_equal(dirac(2, 3).data, np.eye(2, 3))
    np.testing.assert_array_equal(dirac(3, 2).data, np.eye(3, 2))


@given(shape=hnp.array_shapes(min_dims=2, max_dims=5, min_side=1, max_side=4))
def test_dirac_places_ones_at_the_window_centers(shape):
    out = dirac(*shape).data
    expected = np.zeros(shape)
    for i in range(min(shape[:2])):
        expected[(i, i, *(k // 2 for k in shape[2:]))] = 1
    np.testing.assert_array_equal(out, expected)
    assert out.sum() == min(shape[:2])


def test_dirac_filter_bank_passes_the_input_through():
    # cross-correlating with dirac(C, C, k, k) over every valid window copies the (cropped) input
    x = rng().normal(size=(3, 6, 6))
    w = dirac(3, 3, 3, 3, dtype=np.float64).data
    out = np.zeros((3, 4, 4))
    for f in range(3):
        for i in range(4):
            for j in range(4):
                out[f, i, j] = np.sum(w[f] * x[:, i : i + 3, j : j + 3])
    np.testing.assert_allclose(out, x[:, 1:5, 1:5])


# ---------------------------------------------------------------------------------- uniform and normal
def test_uniform_statistics():
    w = uniform(1000, 500, lower_bound=-2.0, upper_bound=3.0, dtype=np.float64, rng=rng()).data
    assert w.min() >= -2.0 and w.max() < 3.0
    assert w.min() < -1.99 and w.max() > 2.99
    assert abs(w.mean() - 0.5) < 0.02
    assert abs(w.std() - 5 / math.sqrt(12)) < 0.01
    counts, _ = np.histogram(w, bins=10, range=(-2, 3))
    np.testing.assert_allclose(counts / w.size, 0.1, atol=0.005)


def test_normal_statistics():
    w = normal(1000, 500, mean=-1.5, std=2.0, dtype=np.float64, rng=rng()).data
    assert abs(w.mean() + 1.5) < 0.02
    assert abs(w.std() - 2.0) < 0.02
    assert abs(np.mean(np.abs(w + 1.5) < 2.0) - 0.6827) < 0.005  # one standard deviation


def test_default_bounds_and_moments():
    w = uniform(500, 400, rng=rng()).data
    assert w.min() >= 0 and w.max() < 1 and abs(w.mean() - 0.5) < 0.01
    w = normal(500, 400, rng=rng()).data
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02


def test_distribution_parameters():
    with pytest.raises(ValueError, match="lower bound"):
        uniform(2, 2, lower_bound=1, upper_bound=0)
    with pytest.raises(ValueError, match="standard deviation must be non-negative"):
        normal(2, 2, std=-1)
    # degenerate but valid
    np.testing.assert_array_equal(normal(2, 2, mean=3, std=0).data, 3)
    # tensors and arrays (broadcast against the shape) are accepted
    w = uniform(2, 2, lower_bound=mg.tensor(1.0), upper_bound=mg.tensor(2.0)).data
    assert np.all((w >= 1) & (w < 2))
    w = normal(1000, 2, mean=np.array([-10.0, 10.0]), std=np.array([0.0, 1.0]), rng=rng()).data
    np.testing.assert_array_equal(w[:, 0], -10.0)
    assert abs(w[:, 1].mean() - 10) < 0.2
    with pytest.raises(ValueError, match="lower bound"):
        uniform(2, 2, lower_bound=np.array([0.0, 3.0]), upper_bound=2.0)


# --------------------------------------------------------------------------------------- glorot and he
FAN_SHAPES = [(400, 300), (300, 400), (64, 32, 3, 3), (32, 16, 5), (8, 16, 3, 3, 3)]


@pytest.mark.parametrize("func", [glorot_uniform, glorot_normal, he_uniform, he_normal])
@pytest.mark.parametrize("shape", FAN_SHAPES)
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_fan_based_statistics(func, shape, gain):
    w = func(*shape, gain=gain, dtype=np.float64, rng=rng()).data
    kind, spread = expected_spread(func, shape, gain)
    n = w.size
    assert abs(w.mean()) < 6 * spread / math.sqrt(n)
    if kind == "uniform":
        assert np.abs(w).max() <= spread
        assert np.abs(w).max() > 0.99 * spread
        std = spread / math.sqrt(3)
    else:
        std = spread
    assert abs(w.std() / std - 1) < 6 / math.sqrt(2 * n) + 0.01


def test_documented_formulas_in_numbers():
    # he_uniform's bound is gain * sqrt(6 / fan_in): (2, 3) -> sqrt(2)
    w = he_uniform(200, 3, dtype=np.float64, rng=rng()).data
    assert np.abs(w).max() <= math.sqrt(2) and np.abs(w).max() > 0.99 * math.sqrt(2)
    # glorot_normal's fans count the whole receptive field, as glorot_uniform's do
    w = glorot_normal(100, 50, 3, 3, dtype=np.float64, rng=rng()).data
    assert abs(w.std() - math.sqrt(2 / (450 + 900))) < 0.001


@given(
    func=st.sampled_from([glorot_uniform, he_uniform]),
    shape=hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=5),
    gain=st.floats(0.0, 3.0),
)
def test_uniform_bounds_for_any_shape(func, shape, gain):
    w = func(*shape, gain=gain, dtype=np.float64).data
    assert w.shape == shape
    _, bound = expected_spread(func, shape, gain)
    assert np.all(np.abs(w) <= bound)


@pytest.mark.parametrize("func", [glorot_uniform, glorot_normal, he_uniform, he_normal])
def test_gain(func):
    with pytest.raises(ValueError, match="gain"):
        func(3, 4, gain=-1.0)
    np.testing.assert_array_equal(func(3, 4, gain=0.0).data, 0)
    a = func(3, 4, gain=mg.tensor(2.0), rng=rng(5)).data
    b = func(3, 4, gain=1.0, rng=rng(5)).data
    np.testing.assert_allclose(a, 2 * b, rtol=1e-6)


@pytest.mark.parametrize(
    "low, high",
    [
        (1, 0),
        (np.array([0.0, 2.0]), np.array([1.0, 1.0])),
        (mg.tensor(3.0), 2),
        (0, 0),  # an empty interval, as in MyGrad 2
        (-1.5, -1.5),
        (np.array([0.0, 1.0]), np.array([1.0, 1.0])),
    ],
    ids=str,
)
def test_uniform_refuses_a_lower_bound_not_below_the_upper_bound(low, high):
    with pytest.raises(ValueError, match="lower bound .* must be less than its upper bound"):
        uniform(2, 2, lower_bound=low, upper_bound=high)


# the distribution parameters: finite real numbers, or arrays of them that broadcast to the shape
PARAMETERS = [
    (glorot_uniform, "gain"),
    (glorot_normal, "gain"),
    (he_uniform, "gain"),
    (he_normal, "gain"),
    (uniform, "lower_bound"),
    (uniform, "upper_bound"),
    (normal, "mean"),
    (normal, "std"),
]


@pytest.mark.parametrize("func, name", PARAMETERS)
@pytest.mark.parametrize("value", ["x", None, 1j, [1.0, "a"], pytest.param(object(), id="object")], ids=repr)
def test_distribution_parameters_that_are_not_real_numbers_are_refused_by_name(func, name, value):
    with pytest.raises(TypeError, match=f"`{name}`"):
        func(3, 2, **{name: value})


@pytest.mark.parametrize("func, name", PARAMETERS)
@pytest.mark.parametrize("value", [np.nan, np.inf, [1.0, np.nan]], ids=repr)
def test_distribution_parameters_that_are_not_finite_are_refused_by_name(func, name, value):
    with pytest.raises(ValueError, match=f"`{name}`"):
        func(3, 2, **{name: value})


@pytest.mark.parametrize("func, name", PARAMETERS)
def test_distribution_parameters_must_broadcast_to_the_shape(func, name):
    with pytest.raises(ValueError, match=f"`{name}`.*\\(3,\\).*\\(3, 2\\)"):
        func(3, 2, **{name: np.full(3, 0.5)})
    assert func(3, 2, **{name: np.full(2, 2.0 if name == "upper_bound" else 0.5)}).shape == (3, 2)


# ------------------------------------------------------------------------------------------------- rng
@pytest.mark.parametrize("func", RANDOM)
def test_rng_reproducibility(func):
    a = func(20, 30, rng=rng(1)).data
    b = func(20, 30, rng=rng(1)).data
    c = func(20, 30, rng=rng(2)).data
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # a generator advances: two draws from one generator differ
    g = rng(1)
    assert not np.array_equal(func(20, 30, rng=g).data, func(20, 30, rng=g).data)
    # the legacy RandomState works as well
    np.testing.assert_array_equal(
        func(4, 5, rng=np.random.RandomState(0)).data, func(4, 5, rng=np.random.RandomState(0)).data
    )


@pytest.mark.parametrize("func", RANDOM)
def test_default_source_is_numpys_global_state(func):
    state = np.random.get_state()
    try:
        np.random.seed(123)
        a = func(10, 10).data
        np.random.seed(123)
        b = func(10, 10).data
        np.testing.assert_array_equal(a, b)
    finally:
        np.random.set_state(state)


def test_default_source_draws_like_numpy_random():
    state = np.random.get_state()
    try:
        np.random.seed(7)
        a = uniform(3, 4, lower_bound=-1, upper_bound=2).data
        np.random.seed(7)
        np.testing.assert_array_equal(a, np.random.uniform(-1, 2, size=(3, 4)).astype(np.float32))
    finally:
        np.random.set_state(state)


@pytest.mark.parametrize("func", RANDOM)
def test_rng_must_be_a_generator(func):
    with pytest.raises(TypeError, match="rng"):
        func(2, 3, rng=0)


def test_leaves_are_independent_and_trainable():
    w = glorot_uniform(3, 2, rng=rng())
    assert w.creator is None and not w.constant
    (w * 2).sum().backward()
    np.testing.assert_array_equal(w.grad, np.full((3, 2), 2.0, dtype=np.float32))
    assert not np.shares_memory(w.data, glorot_uniform(3, 2, rng=rng()).data)
