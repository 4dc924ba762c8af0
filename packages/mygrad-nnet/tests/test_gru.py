"""Tests of `mygrad.nnet.layers.gru.gru` against step-by-step NumPy references written here."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.nnet.layers.gru import gru
from mygrad.testing import assert_gradients_match, numerical_gradient

# ------------------------------------------------------------------------------------------------ references


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def reference_masks(source, dropout, N, D):
    """The dropout masks in the order `gru` documents: inputs (z, r, h), then weights (z, r, h)."""
    keep = 1 - dropout
    inputs = (source.random((3, N, D)) < keep) / keep
    weights = (source.random((3, D, D)) < keep) / keep
    return inputs, weights


def reference_steps(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s, masks=None):
    """Run the GRU one step at a time from the state `s`; return every state, `s` first."""
    if masks is not None:
        (mxz, mxr, mxh), (mwz, mwr, mwh) = masks
        Wz, Wr, Wh = Wz * mwz, Wr * mwr, Wh * mwh
    states = [s]
    for x in X:
        xz, xr, xh = x @ Uz, x @ Ur, x @ Uh
        if masks is not None:
            xz, xr, xh = xz * mxz, xr * mxr, xh * mxh
        z = sigmoid(xz + s @ Wz + bz)
        r = sigmoid(xr + s @ Wr + br)
        h = np.tanh(xh + (r * s) @ Wh + bh)
        s = (1 - z) * h + z * s
        states.append(s)
    return np.stack(states)


def reference_gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s0=None, masks=None):
    N, D = X.shape[1], Uz.shape[1]
    s0 = np.zeros((N, D)) if s0 is None else np.asarray(s0)
    return reference_steps(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s0, masks)


def truncated_reference_grads(arrays, G, bp_lim, masks=None):
    """Gradients of sum(G * S) when the gradient at S[t] may reach S[t - bp_lim] but no earlier state.

    Built term by term: for each t, S[t] is recomputed from the state the truncation stops at, taken as a
    fixed array (or from s0, a variable, when t <= bp_lim), and differentiated numerically.
    """
    X = arrays[0]
    states = reference_gru(*arrays, masks=masks)
    totals = [np.zeros_like(a) for a in arrays]
    totals[10] += G[0]
    for t in range(1, len(X) + 1):
        start = max(t - bp_lim - 1, 0)
        fixed_start = states[start] if t > bp_lim else None

        def window(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s0, start=start, stop=t, fixed_start=fixed_start):
            s = s0 if fixed_start is None else fixed_start
            return reference_steps(X[start:stop], Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s, masks)[-1]

        for total, part in zip(totals, numerical_gradient(window, *arrays, grad=G[t])):
            total += part
    return totals


# ------------------------------------------------------------------------------------------------ strategies


def make_arrays(rng, T, N, C, D, scale=0.8):
    shapes = [(T, N, C)] + [(C, D), (D, D), (D,)] * 3 + [(N, D)]
    return [rng.normal(scale=scale, size=shape) for shape in shapes]


@st.composite
def gru_cases(draw, max_T=4, max_dim=3):
    T = draw(st.integers(1, max_T))
    N, C, D = (draw(st.integers(1, max_dim)) for _ in range(3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    arrays = make_arrays(rng, T, N, C, D)
    G = rng.normal(size=(T + 1, N, D))
    return arrays, G, seed


dropouts = st.sampled_from([0.0, 0.35])


def call(*tensors, **kwargs):
    """`gru` on the 11 operands (s0 last)."""
    return gru(*tensors[:10], s0=tensors[10], **kwargs)


# ------------------------------------------------------------------------------------------------ forward


@given(case=gru_cases(max_T=6, max_dim=5), with_s0=st.booleans(), dropout=dropouts)
def test_forward_matches_step_by_step_reference(case, with_s0, dropout):
    arrays, _, seed = case
    *weights, s0 = arrays
    X = weights[0]
    N, D = X.shape[1], weights[1].shape[1]
    masks = reference_masks(np.random.default_rng(seed), dropout, N, D) if dropout else None
    expected = reference_gru(*weights, s0=s0 if with_s0 else None, masks=masks)
    out = gru(*weights, s0=s0 if with_s0 else None, dropout=dropout, rng=np.random.default_rng(seed))
    assert isinstance(out, mg.Tensor)
    assert out.shape == (len(X) + 1, N, D)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    if not with_s0:
        assert np.all(out.data[0] == 0)


def test_zero_length_sequence_returns_s0():
    rng = np.random.default_rng(0)
    arrays = make_arrays(rng, 0, 2, 3, 4)
    tensors = [mg.tensor(a) for a in arrays]
    out = call(*tensors)
    assert out.shape == (1, 2, 4)
    np.testing.assert_array_equal(out.data[0], arrays[10])
    G = rng.normal(size=out.shape)
    out.backward(G)
    np.testing.assert_array_equal(tensors[10].grad, G[0])
    assert tensors[0].grad.shape == (0, 2, 3)
    for t in tensors[1:10]:
        np.testing.assert_array_equal(t.grad, np.zeros(t.shape))

    out = gru(*tensors[:10])  # no s0: zeros
    np.testing.assert_array_equal(out.data, np.zeros((1, 2, 4)))
    out.backward()
    for t in tensors[1:10]:
        np.testing.assert_array_equal(t.grad, np.zeros(t.shape))


# ------------------------------------------------------------------------------------------------ dropout


def test_dropout_uses_global_random_state_without_rng():
    rng = np.random.default_rng(1)
    weights = make_arrays(rng, 4, 3, 2, 5)[:10]
    np.random.seed(123)
    out = gru(*weights, dropout=0.5)
    np.random.seed(123)
    masks = reference_masks(np.random, 0.5, 3, 5)
    np.testing.assert_allclose(out.data, reference_gru(*weights, masks=masks), rtol=1e-10, atol=1e-12)


def test_dropout_draws_new_masks_every_call():
    rng = np.random.default_rng(2)
    weights = make_arrays(rng, 4, 3, 2, 5)[:10]
    source = np.random.default_rng(7)
    first, second = (gru(*weights, dropout=0.5, rng=source).data for _ in range(2))
    assert not np.allclose(first, second)


def test_no_dropout_draws_nothing():
    rng = np.random.default_rng(3)
    weights = make_arrays(rng, 3, 2, 2, 3)[:10]
    source = np.random.default_rng(0)
    before = source.bit_generator.state
    global_before = np.random.get_state()
    gru(*weights, rng=source)
    gru(*weights)
    assert source.bit_generator.state == before
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(global_before, after))


def test_dropout_masks_are_shared_across_time_and_scaled():
    # With identity-like inputs every kept unit of the input projection is scaled by 1 / keep, the same
    # units at every step: compare against the reference fed the masks directly.
    rng = np.random.default_rng(4)
    weights = make_arrays(rng, 5, 4, 3, 6)[:10]
    masks = reference_masks(np.random.default_rng(11), 0.6, 4, 6)
    assert set(np.unique(masks[0])) <= {0.0, 1 / 0.4}
    out = gru(*weights, dropout=0.6, rng=np.random.default_rng(11))
    np.testing.assert_allclose(out.data, reference_gru(*weights, masks=masks), rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------------------------------ gradients


@given(case=gru_cases(), dropout=dropouts, with_s0=st.booleans())
def test_gradients_match_numerical(case, dropout, with_s0):
    arrays, G, seed = case

    def f(*tensors):
        s0 = tensors[10] if with_s0 else None
        return gru(*tensors[:10], s0=s0, dropout=dropout, rng=np.random.default_rng(seed))

    out = assert_gradients_match(f, *(arrays if with_s0 else arrays[:10]), grad=G)
    assert out.shape == G.shape


@given(case=gru_cases(), dropout=dropouts, with_s0=st.booleans(), data=st.data())
def test_truncated_bptt_matches_explicit_reference(case, dropout, with_s0, data):
    arrays, G, seed = case
    T, N, _ = arrays[0].shape
    D = arrays[1].shape[1]
    bp_lim = data.draw(st.integers(0, T - 1), label="bp_lim")
    if not with_s0:
        arrays[10] = np.zeros((N, D))  # what gru starts from without s0
    tensors = [mg.tensor(a) for a in arrays]
    s0 = tensors[10] if with_s0 else None
    out = gru(*tensors[:10], s0=s0, bp_lim=bp_lim, dropout=dropout, rng=np.random.default_rng(seed))
    out.backward(G)
    masks = reference_masks(np.random.default_rng(seed), dropout, N, D) if dropout else None
    expected = truncated_reference_grads(arrays, G, bp_lim, masks)
    for i, (t, e) in enumerate(zip(tensors[: 11 if with_s0 else 10], expected)):
        np.testing.assert_allclose(t.grad, e, rtol=1e-5, atol=1e-7, err_msg=f"gradient of input {i}")


def test_bp_lim_does_not_change_the_forward_pass():
    rng = np.random.default_rng(5)
    arrays = make_arrays(rng, 5, 2, 3, 4)
    full = call(*arrays).data
    for bp_lim in range(5):
        np.testing.assert_array_equal(call(*arrays, bp_lim=bp_lim).data, full)


def test_bp_lim_t_minus_1_is_full_bptt_except_for_s0():
    rng = np.random.default_rng(6)
    arrays = make_arrays(rng, 4, 2, 3, 3)
    G = rng.normal(size=(5, 2, 3))
    grads = {}
    for bp_lim in (None, 3):
        tensors = [mg.tensor(a) for a in arrays]
        call(*tensors, bp_lim=bp_lim).backward(G)
        grads[bp_lim] = [t.grad for t in tensors]
    for i in range(10):
        np.testing.assert_allclose(grads[3][i], grads[None][i], rtol=1e-12, atol=1e-14)
    assert not np.allclose(grads[3][10], grads[None][10])


def test_bp_lim_zero_gives_each_step_its_own_gradient_only():
    rng = np.random.default_rng(7)
    arrays = make_arrays(rng, 3, 2, 2, 3)
    G = np.zeros((4, 2, 3))
    G[3] = rng.normal(size=(2, 3))  # only the last state matters
    tensors = [mg.tensor(a) for a in arrays]
    call(*tensors, bp_lim=0).backward(G)
    np.testing.assert_array_equal(tensors[10].grad, np.zeros((2, 3)))  # s0 is 3 steps back
    np.testing.assert_array_equal(tensors[0].grad[:2], np.zeros((2, 2, 2)))  # only X[2] feeds S[3] directly
    assert np.any(tensors[0].grad[2] != 0)


# ------------------------------------------------------------------------------------------------ s0, constants


def test_s0_gets_a_gradient_only_when_a_variable():
    rng = np.random.default_rng(8)
    arrays = make_arrays(rng, 3, 2, 2, 3)
    assert_gradients_match(call, *arrays, constant=(10,))
    tensors = [mg.tensor(a) for a in arrays[:10]]
    s0 = mg.tensor(arrays[10], constant=True)
    gru(*tensors, s0=s0).backward()
    assert s0.grad is None
    assert tensors[2].grad is not None
    tensors = [mg.tensor(a) for a in arrays[:10]]
    gru(*tensors, s0=arrays[10]).backward()  # an ndarray is a constant
    assert all(t.grad is not None for t in tensors)


@given(case=gru_cases(max_T=3, max_dim=2), constant=st.sets(st.integers(0, 10), max_size=10))
def test_constant_operands_get_no_gradient(case, constant):
    arrays, G, _ = case
    assert_gradients_match(call, *arrays, grad=G, constant=tuple(sorted(constant)))


def test_constant_result():
    rng = np.random.default_rng(9)
    arrays = make_arrays(rng, 3, 2, 2, 3)
    assert gru(*arrays[:10]).constant  # every operand an ndarray
    tensors = [mg.tensor(a) for a in arrays]
    out = call(*tensors, constant=True)
    assert out.constant
    out.backward()
    assert all(t.grad is None for t in tensors)
    assert not call(*tensors).constant


def test_output_grad_keeps_the_output_shape():
    rng = np.random.default_rng(10)
    arrays = make_arrays(rng, 4, 3, 2, 5)
    tensors = [mg.tensor(a) for a in arrays]
    out = call(*tensors)
    G = rng.normal(size=out.shape)
    out.backward(G)
    assert out.grad.shape == (5, 3, 5)
    np.testing.assert_array_equal(out.grad, G)

    out = call(*tensors)
    (out**2).sum().backward()
    np.testing.assert_allclose(out.grad, 2 * out.data)


def test_works_inside_a_larger_graph():
    rng = np.random.default_rng(12)
    arrays = make_arrays(rng, 3, 2, 2, 3)

    def f(*tensors):
        X = tensors[0] * 2  # an intermediate tensor as the input
        states = call(X, *tensors[1:])
        return mg.tanh(states[1:]) * states[:-1]

    assert_gradients_match(f, *arrays)


# ------------------------------------------------------------------------------------------------ dtypes


def test_float32_operands_compute_in_float32():
    rng = np.random.default_rng(13)
    arrays = make_arrays(rng, 5, 3, 4, 6)
    G = rng.normal(size=(6, 3, 6))
    results = {}
    for dtype in (np.float32, np.float64):
        tensors = [mg.tensor(a.astype(dtype)) for a in arrays]
        out = call(*tensors, bp_lim=None)
        out.backward(G.astype(dtype))
        results[dtype] = out.data, [t.grad for t in tensors]
        assert out.dtype == dtype
        assert all(t.grad.dtype == dtype for t in tensors)
    np.testing.assert_allclose(results[np.float32][0], results[np.float64][0], rtol=1e-4, atol=1e-5)
    for g32, g64 in zip(results[np.float32][1], results[np.float64][1]):
        np.testing.assert_allclose(g32, g64, rtol=1e-3, atol=1e-4)


def test_dtype_is_the_result_type_of_all_operands():
    rng = np.random.default_rng(14)
    arrays = make_arrays(rng, 2, 2, 2, 3)
    f32 = [a.astype(np.float32) for a in arrays]
    assert gru(arrays[0].astype(np.float32), *arrays[1:10]).dtype == np.float64
    assert gru(*f32[:10], s0=arrays[10]).dtype == np.float64  # s0 counts too
    tensors = [mg.tensor(a) for a in f32[1:10]]
    X = mg.tensor(arrays[0])  # a float64 input into float32 weights
    out = gru(X, *tensors)
    assert out.dtype == np.float64
    out.backward()
    assert X.grad.dtype == np.float64 and all(t.grad.dtype == np.float32 for t in tensors)
    ints = (rng.integers(0, 2, size=(2, 2, 2)),) + tuple(
        np.ones(a.shape, dtype=np.int64) for a in arrays[1:10]
    )
    assert gru(*ints).dtype == np.float64


def test_dropout_in_float32():
    rng = np.random.default_rng(15)
    weights = [a.astype(np.float32) for a in make_arrays(rng, 4, 3, 2, 5)[:10]]
    out = gru(*weights, dropout=0.3, rng=np.random.default_rng(2))
    assert out.dtype == np.float32
    masks = reference_masks(np.random.default_rng(2), 0.3, 3, 5)
    expected = reference_gru(*(w.astype(np.float64) for w in weights), masks=masks)
    np.testing.assert_allclose(out.data, expected, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------------------------------------ bad input


def _good():
    return make_arrays(np.random.default_rng(0), 3, 2, 4, 5)


def _with(index, value):
    arrays = _good()
    arrays[index] = value
    return arrays


@pytest.mark.parametrize(
    ("arrays", "match"),
    [
        (_with(0, np.zeros((3, 4))), "`X` must have shape"),
        (_with(0, np.zeros((3, 2, 4, 1))), "`X` must have shape"),
        (_with(1, np.zeros(4)), "`Uz` must have shape"),
        (_with(1, np.zeros((3, 5))), r"`Uz` must have shape \(C, D\)"),
        (_with(4, np.zeros((4, 6))), "`Ur` must have shape"),
        (_with(7, np.zeros((5, 4))), "`Uh` must have shape"),
        (_with(2, np.zeros((5, 4))), "`Wz` must have shape"),
        (_with(5, np.zeros((5,))), "`Wr` must have shape"),
        (_with(8, np.zeros((6, 6))), "`Wh` must have shape"),
        (_with(3, np.zeros((5, 1))), "`bz` must have shape"),
        (_with(6, np.zeros(4)), "`br` must have shape"),
        (_with(9, np.zeros(())), "`bh` must have shape"),
        (_with(10, np.zeros((3, 5))), "`s0` must have shape"),
        (_with(10, np.zeros((1, 2, 5))), "`s0` must have shape"),
    ],
)
def test_shape_errors(arrays, match):
    with pytest.raises(ValueError, match=match):
        call(*arrays)


@pytest.mark.parametrize("dropout", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_out_of_range_raises_a_value_error_that_is_also_an_assertion_error(dropout):
    # MyGrad 2 asserted these: code written against it catches AssertionError
    with pytest.raises(ValueError, match="dropout") as error:
        call(*_good(), dropout=dropout)
    assert isinstance(error.value, AssertionError)


@pytest.mark.parametrize("bp_lim", [-1, 3, 10])
def test_bp_lim_out_of_range_raises_a_value_error_that_is_also_an_assertion_error(bp_lim):
    with pytest.raises(ValueError, match="bp_lim") as error:
        call(*_good(), bp_lim=bp_lim)
    assert isinstance(error.value, AssertionError)


@pytest.mark.parametrize("bp_lim", [1.0, True, "1", 1.5])
def test_bp_lim_that_is_not_an_integer_raises_a_type_error_that_is_also_an_assertion_error(bp_lim):
    with pytest.raises(TypeError, match="bp_lim") as error:
        call(*_good(), bp_lim=bp_lim)
    assert isinstance(error.value, AssertionError)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bp_lim": 1.0},
        {"bp_lim": True},
        {"bp_lim": "1"},
        {"dropout": "0.5"},
        {"dropout": None},
        {"dropout": 0.5, "rng": np.random.RandomState(0)},
        {"rng": 0},
    ],
)
def test_type_errors(kwargs):
    with pytest.raises(TypeError):
        call(*_good(), **kwargs)


def test_non_real_operands_are_rejected():
    with pytest.raises(TypeError, match="real numbers"):
        call(*_with(0, np.zeros((3, 2, 4), dtype=complex)))
    with pytest.raises(TypeError, match="real numbers"):
        call(*_with(3, np.array(["a"] * 5)))


def test_numpy_integer_bp_lim_is_accepted():
    arrays = _good()
    np.testing.assert_array_equal(call(*arrays, bp_lim=np.int64(2)).data, call(*arrays).data)
