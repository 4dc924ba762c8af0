"""batchnorm: forward results against a per-channel loop, gradients for x, gamma and beta against central
differences (hypothesis-drawn shapes, eps, with and without gamma/beta), edge shapes, dtypes and errors."""

from __future__ import annotations

import doctest
import importlib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad.nnet.layers.batchnorm import batchnorm
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import finite_floats


def ref_batchnorm(x, gamma=None, beta=None, eps=1e-5):
    """One channel at a time: mean and biased variance over every axis but 1."""
    x = np.asarray(x, dtype=np.float64)
    y = np.empty_like(x)
    for c in range(x.shape[1]):
        values = x[:, c]
        mean = values.sum() / values.size
        var = ((values - mean) ** 2).sum() / values.size
        y[:, c] = (values - mean) / np.sqrt(var + eps)
        if gamma is not None:
            y[:, c] *= gamma[c]
        if beta is not None:
            y[:, c] += beta[c]
    return y


@st.composite
def batches(draw, epsilons=(1e-5, 1e-3, 0.1, 1.0), bound=10.0):
    """x of shape (N, C, ...) with 2 to 4 dimensions, per-channel gamma and beta, eps and an upstream grad."""
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3), label="shape")
    values = finite_floats(-bound, bound)
    x = draw(hnp.arrays(np.float64, shape, elements=values), label="x")
    gamma = draw(hnp.arrays(np.float64, (shape[1],), elements=finite_floats(-2.0, 2.0)), label="gamma")
    beta = draw(hnp.arrays(np.float64, (shape[1],), elements=finite_floats(-3.0, 3.0)), label="beta")
    eps = draw(st.sampled_from(epsilons), label="eps")
    g = draw(hnp.arrays(np.float64, shape, elements=finite_floats(-2.0, 2.0)), label="grad")
    return x, gamma, beta, eps, g


@given(case=batches())
def test_forward_matches_loop_reference(case):
    x, gamma, beta, eps, _ = case
    np.testing.assert_allclose(batchnorm(x, eps=eps).data, ref_batchnorm(x, eps=eps), rtol=1e-9, atol=1e-9)
    out = batchnorm(x, gamma=gamma, beta=beta, eps=eps)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, ref_batchnorm(x, gamma, beta, eps), rtol=1e-9, atol=1e-9)


# A channel whose values (nearly) coincide has a variance far below eps: the normalization then magnifies
# the rounding of x (relative to |x|) by gamma / sqrt(eps), and central differences see that noise, summed
# over the channel, divided by the step. With |x| <= 1, |gamma| <= 2 and eps >= 0.1 it stays five times below
# the checker's absolute tolerance on any drawn batch; small eps is checked on well-spread batches below.
WELL_CONDITIONED = batches(epsilons=(0.1, 1.0), bound=1.0)


@given(case=WELL_CONDITIONED)
def test_gradients_with_gamma_and_beta(case):
    x, gamma, beta, eps, g = case
    assert_gradients_match(lambda a, b, c: batchnorm(a, gamma=b, beta=c, eps=eps), x, gamma, beta, grad=g)


@given(case=WELL_CONDITIONED, which=st.sampled_from(["none", "gamma", "beta"]))
def test_gradients_with_optional_parameters(case, which):
    x, gamma, beta, eps, g = case
    if which == "none":
        assert_gradients_match(lambda a: batchnorm(a, eps=eps), x, grad=g)
    elif which == "gamma":
        assert_gradients_match(lambda a, b: batchnorm(a, gamma=b, eps=eps), x, gamma, grad=g)
    else:
        assert_gradients_match(lambda a, c: batchnorm(a, beta=c, eps=eps), x, beta, grad=g)


@given(case=WELL_CONDITIONED, constant=st.sampled_from([(0,), (1,), (2,), (0, 1), (0, 2), (1, 2)]))
def test_gradients_with_constant_inputs(case, constant):
    x, gamma, beta, eps, g = case
    assert_gradients_match(
        lambda a, b, c: batchnorm(a, gamma=b, beta=c, eps=eps), x, gamma, beta, grad=g, constant=constant
    )


@pytest.mark.parametrize("eps", [1e-5, 1e-3])
@pytest.mark.parametrize("shape", [(8, 3), (4, 2, 5), (3, 2, 3, 3)])
def test_gradients_with_small_eps_on_spread_batches(eps, shape):
    gen = np.random.default_rng(sum(shape))
    x = gen.normal(1.0, 3.0, size=shape)
    gamma, beta = gen.normal(size=shape[1]), gen.normal(size=shape[1])
    g = gen.normal(size=shape)
    assert_gradients_match(lambda a, b, c: batchnorm(a, gamma=b, beta=c, eps=eps), x, gamma, beta, grad=g)


def test_gradient_for_a_constant_channel_and_small_eps():
    # the sum of a normalized channel is 0 whatever x is: its gradient is exactly 0
    x = mg.tensor([[3.0, 1.0], [3.0, 2.0], [3.0, 4.0]])
    batchnorm(x, eps=1e-5).backward()
    np.testing.assert_allclose(x.grad, 0.0, atol=1e-15)
    # and with another upstream gradient it is (g - mean(g)) / sqrt(eps) in that channel
    x = mg.tensor([[3.0], [3.0], [3.0]])
    batchnorm(x, eps=1e-4).backward(np.array([[1.0], [2.0], [6.0]]))
    np.testing.assert_allclose(x.grad, [[-200.0], [-100.0], [300.0]])


def test_normalized_statistics():
    x = np.random.default_rng(0).normal(3.0, 5.0, size=(16, 4, 5, 5))
    y = batchnorm(x, eps=1e-8).data
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-6)
    y = batchnorm(x, gamma=[1.0, 2.0, 3.0, 4.0], beta=[0.0, -1.0, 1.0, 5.0], eps=1e-8).data
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), [0.0, -1.0, 1.0, 5.0], atol=1e-12)
    np.testing.assert_allclose(y.std(axis=(0, 2, 3)), [1.0, 2.0, 3.0, 4.0], rtol=1e-6)


def test_variance_is_biased_and_eps_is_added():
    x = np.array([[1.0], [3.0]])  # one channel: mean 2, biased variance 1
    np.testing.assert_allclose(batchnorm(x, eps=3.0).data, [[-0.5], [0.5]])


def test_gradients_by_hand():
    x = mg.tensor([[1.0, 10.0], [3.0, 30.0]])
    gamma = mg.tensor([1.0, 2.0])
    beta = mg.tensor([0.0, 5.0])
    y = batchnorm(x, gamma=gamma, beta=beta, eps=0.0)
    np.testing.assert_allclose(y.data, [[-1.0, 3.0], [1.0, 7.0]])
    y.backward(np.array([[1.0, 1.0], [2.0, 2.0]]))
    np.testing.assert_allclose(beta.grad, [3.0, 3.0])
    np.testing.assert_allclose(gamma.grad, [1.0, 1.0])  # -1 * 1 + 1 * 2
    # the normalized output is invariant to shifting a channel: the x gradient sums to 0 per channel
    np.testing.assert_allclose(x.grad.sum(axis=0), [0.0, 0.0], atol=1e-12)


# ------------------------------------------------------------------------------------------ edge shapes
def test_one_and_zero_dimensional_inputs_normalize_over_everything():
    np.testing.assert_allclose(batchnorm(np.array([1.0, 3.0]), eps=0.0).data, [-1.0, 1.0])
    np.testing.assert_allclose(
        batchnorm(np.array([1.0, 3.0]), gamma=np.array([2.0]), beta=np.array([1.0]), eps=0.0).data,
        [-1.0, 3.0],
    )
    assert batchnorm(np.array(5.0), eps=1e-5).item() == 0.0
    assert_gradients_match(
        lambda a, b, c: batchnorm(a, gamma=b, beta=c, eps=0.01), np.array([1.0, -2.0, 0.5]), [1.5], [0.5]
    )


def test_single_sample_per_channel():
    # one value per channel: zero variance, the output is beta and the x gradient is 0
    x = mg.tensor([[1.0, 2.0]])
    y = batchnorm(x, beta=[3.0, 4.0], eps=1e-5)
    np.testing.assert_allclose(y.data, [[3.0, 4.0]])
    y.backward()
    np.testing.assert_allclose(x.grad, [[0.0, 0.0]])


@pytest.mark.parametrize("shape", [(0, 3), (0, 3, 2), (4, 0), (2, 3, 0)])
def test_empty_batches(shape):
    x = mg.tensor(np.zeros(shape))
    gamma, beta = mg.tensor(np.ones(shape[1])), mg.tensor(np.zeros(shape[1]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = batchnorm(x, gamma=gamma, beta=beta, eps=1e-5)
        y.backward()
    assert y.shape == shape
    assert x.grad.shape == shape
    np.testing.assert_array_equal(gamma.grad, np.zeros(shape[1]))
    np.testing.assert_array_equal(beta.grad, np.zeros(shape[1]))


def test_parameters_of_size_c_in_another_shape_keep_their_shape():
    x = mg.tensor(np.arange(12.0).reshape(3, 2, 2))
    gamma = mg.tensor([[1.0, 2.0]])
    y = batchnorm(x, gamma=gamma, eps=1e-5)
    np.testing.assert_allclose(y.data, ref_batchnorm(x.data, [1.0, 2.0], eps=1e-5))
    y.backward(np.arange(12.0).reshape(3, 2, 2))
    assert gamma.grad.shape == (1, 2)


# ------------------------------------------------------------------------------------------------ errors
def test_parameter_shapes_are_checked():
    x = np.ones((3, 2, 2))
    with pytest.raises(
        ValueError, match=r"`gamma` must hold one value per channel.*\(2,\).*got shape \(3,\)"
    ):
        batchnorm(x, gamma=np.ones(3), eps=1e-5)
    with pytest.raises(ValueError, match=r"`beta`.*got shape \(\)"):
        batchnorm(x, beta=2.0, eps=1e-5)
    with pytest.raises(ValueError, match=r"`gamma`.*\(1,\).*got shape \(2,\)"):
        batchnorm(np.ones(4), gamma=np.ones(2), eps=1e-5)


def test_eps_is_a_required_real_keyword():
    with pytest.raises(TypeError, match="eps"):
        batchnorm(np.ones((2, 2)))
    with pytest.raises(TypeError, match="eps"):
        batchnorm(np.ones((2, 2)), eps="small")
    with pytest.raises(TypeError):
        batchnorm(np.ones((2, 2)), None, None, 1e-5)  # gamma, beta, eps are keyword-only


# ------------------------------------------------------------------------------------------------ dtypes
def test_dtypes():
    x32 = mg.tensor(np.arange(8.0).reshape(4, 2), dtype=np.float32)
    out = batchnorm(x32, eps=1e-5)
    assert out.dtype == np.float32
    out.backward()
    assert x32.grad.dtype == np.float32
    assert batchnorm(x32, gamma=np.ones(2, np.float32), eps=1e-5).dtype == np.float32
    assert batchnorm(x32, gamma=np.ones(2), eps=1e-5).dtype == np.float64  # NumPy promotion
    out = batchnorm(np.arange(8).reshape(4, 2), eps=1e-5)
    assert out.dtype == np.float64 and out.constant


def test_constant_flags():
    x = np.ones((2, 2))
    assert batchnorm(x, eps=1e-5).constant
    assert not batchnorm(mg.tensor(x), eps=1e-5).constant
    assert not batchnorm(x, gamma=mg.tensor([1.0, 1.0]), eps=1e-5).constant
    assert batchnorm(mg.tensor(x), eps=1e-5, constant=True).constant
    assert not batchnorm(x, eps=1e-5, constant=False).constant


def test_input_is_not_modified_and_inputs_may_be_lists():
    x = np.arange(6.0).reshape(3, 2)
    copy = x.copy()
    y = batchnorm(x.tolist(), gamma=[1.0, 1.0], beta=[0.0, 0.0], eps=1e-5)
    np.testing.assert_allclose(y.data, ref_batchnorm(copy, eps=1e-5))
    np.testing.assert_array_equal(x, copy)


def test_docstring_examples():
    name = "mygrad.nnet.layers.batchnorm"
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.attempted and results.failed == 0


@pytest.mark.parametrize("name", ["gamma", "beta"])
@pytest.mark.parametrize("value", [["a", "b"], [None, 1.0], [1j, 2j]], ids=repr)
def test_batchnorm_parameters_that_are_not_real_are_refused_by_name(name, value):
    with pytest.raises(TypeError, match=f"`{name}`"):
        batchnorm(np.ones((3, 2)), eps=1e-5, **{name: value})


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int64])
def test_batchnorm_of_integers_and_booleans_is_float64(dtype):
    x = np.array([[1, 0], [0, 1], [1, 1]], dtype=dtype)
    out = batchnorm(x, eps=1e-5)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, batchnorm(x.astype(np.float64), eps=1e-5).data)
