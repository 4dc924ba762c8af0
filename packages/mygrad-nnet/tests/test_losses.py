"""Losses: forward results against loop-based NumPy references, gradients against central differences.

Scores, labels, weights, margins and focusing parameters are drawn by hypothesis; the kinks of the hinge and
ranking losses are kept out of the difference step. Also checked: stability for huge logits, the focal loss's
derivative where ``p`` is 1 or 0 for every ``gamma``, input validation and dtypes.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import no_warnings

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.losses import (
    LogOverComplement,
    focal_loss,
    margin_ranking_loss,
    multiclass_hinge,
    negative_log_likelihood,
    softmax_crossentropy,
    softmax_focal_loss,
)
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import finite_floats


# ---------------------------------------------------------------------------- loop-based NumPy references
def ref_log_softmax_row(row):
    m = max(row)
    return [v - m - math.log(sum(math.exp(u - m) for u in row)) for v in row]


def ref_softmax_crossentropy(x, y):
    return -sum(ref_log_softmax_row(list(x[i]))[y[i]] for i in range(len(y))) / len(y)


def ref_negative_log_likelihood(x, y, weights=None):
    w = np.ones(x.shape[1]) if weights is None else weights
    return -sum(x[i, y[i]] * w[y[i]] for i in range(len(y))) / len(y)


def ref_multiclass_hinge(x, y, hinge=1.0):
    total = 0.0
    for i in range(len(y)):
        for j in range(x.shape[1]):
            if j != y[i]:
                total += max(0.0, x[i, j] - x[i, y[i]] + hinge)
    return total / len(y)


def ref_margin_ranking_loss(x1, x2, y, margin):
    y = np.broadcast_to(np.asarray(y, dtype=float).reshape(-1, *[1] * (x1.ndim - 1)), x1.shape)
    terms = [max(0.0, margin - y[i] * (x1[i] - x2[i])) for i in np.ndindex(x1.shape)]
    return sum(terms) / len(terms)


def ref_focal(p, y, alpha, gamma):
    return np.array([-alpha * (1 - p[i, y[i]]) ** gamma * math.log(p[i, y[i]]) for i in range(len(y))])


def ref_softmax_focal(x, y, alpha, gamma):
    p = np.array([np.exp(ref_log_softmax_row(list(row))) for row in x]).reshape(x.shape)
    return ref_focal(p, y, alpha, gamma)


# -------------------------------------------------------------------------------------------- strategies
@st.composite
def scores_and_labels(draw, low=-10.0, high=10.0, max_n=5, max_c=5):
    n = draw(st.integers(1, max_n), label="N")
    c = draw(st.integers(1, max_c), label="C")
    x = draw(hnp.arrays(np.float64, (n, c), elements=finite_floats(low, high)), label="x")
    y = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    return x, y


UPSTREAM = finite_floats(-2.0, 2.0)
GAMMAS = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0]), finite_floats(0.0, 3.0))
ALPHAS = finite_floats(0.1, 2.0)


# --------------------------------------------------------------------------------------- forward and grads
@given(case=scores_and_labels(), g=UPSTREAM)
def test_softmax_crossentropy(case, g):
    x, y = case
    out = softmax_crossentropy(x, y)
    assert out.shape == () and out.dtype == np.float64
    np.testing.assert_allclose(out.item(), ref_softmax_crossentropy(x, y), rtol=1e-10, atol=1e-12)
    assert_gradients_match(softmax_crossentropy, x, grad=g, kwargs={"y_true": y})


@given(case=scores_and_labels(), g=UPSTREAM, weighted=st.booleans(), data=st.data())
def test_negative_log_likelihood(case, g, weighted, data):
    x, y = case
    weights = (
        data.draw(hnp.arrays(np.float64, x.shape[1:], elements=finite_floats(0.0, 3.0))) if weighted else None
    )
    out = negative_log_likelihood(x, y, weights=weights)
    assert out.shape == ()
    np.testing.assert_allclose(out.item(), ref_negative_log_likelihood(x, y, weights), rtol=1e-10, atol=1e-12)
    assert_gradients_match(negative_log_likelihood, x, grad=g, kwargs={"y_true": y, "weights": weights})


@given(case=scores_and_labels(), g=UPSTREAM, hinge=st.sampled_from([1.0, 0.5, 0.0, 2.5]))
def test_multiclass_hinge(case, g, hinge):
    x, y = case
    margins = x - x[np.arange(len(y)), y][:, None] + hinge
    margins[np.arange(len(y)), y] = 10.0
    assume(np.all(np.abs(margins) > 1e-3))  # away from the kinks
    out = multiclass_hinge(x, y, hinge)
    np.testing.assert_allclose(out.item(), ref_multiclass_hinge(x, y, hinge), rtol=1e-10, atol=1e-12)
    assert_gradients_match(multiclass_hinge, x, grad=g, kwargs={"y_true": y, "hinge": hinge})


@st.composite
def ranking_case(draw):
    shape = draw(st.sampled_from([(1,), (2,), (5,), (3, 1), (2, 3), (4, 2)]), label="shape")
    x1 = draw(hnp.arrays(np.float64, shape, elements=finite_floats(-5, 5)), label="x1")
    x2 = draw(hnp.arrays(np.float64, shape, elements=finite_floats(-5, 5)), label="x2")
    signs = st.sampled_from([-1, 1])
    y = draw(st.one_of(signs, hnp.arrays(np.int64, shape[:1], elements=signs)), label="y")
    margin = draw(st.sampled_from([0.0, 0.5, 1.0, 3.0]), label="margin")
    return x1, x2, y, margin


@given(case=ranking_case(), g=UPSTREAM)
def test_margin_ranking_loss(case, g):
    x1, x2, y, margin = case
    y_b = np.asarray(y, dtype=float).reshape(-1, *[1] * (x1.ndim - 1))
    assume(np.all(np.abs(margin - y_b * (x1 - x2)) > 1e-3))  # away from the kink
    out = margin_ranking_loss(x1, x2, y, margin)
    assert out.shape == ()
    np.testing.assert_allclose(out.item(), ref_margin_ranking_loss(x1, x2, y, margin), rtol=1e-10, atol=1e-12)
    assert_gradients_match(margin_ranking_loss, x1, x2, grad=g, kwargs={"y": y, "margin": margin})


@given(case=scores_and_labels(low=0.01, high=0.99), alpha=ALPHAS, gamma=GAMMAS, data=st.data())
def test_focal_loss(case, alpha, gamma, data):
    p, y = case
    g = data.draw(hnp.arrays(np.float64, y.shape, elements=UPSTREAM), label="grad")
    out = focal_loss(p, y, alpha=alpha, gamma=gamma)
    assert out.shape == y.shape  # per sample: not reduced
    np.testing.assert_allclose(out.data, ref_focal(p, y, alpha, gamma), rtol=1e-10, atol=1e-12)
    assert_gradients_match(focal_loss, p, grad=g, kwargs={"targets": y, "alpha": alpha, "gamma": gamma})


@given(case=scores_and_labels(low=-5.0, high=5.0), alpha=ALPHAS, gamma=GAMMAS, data=st.data())
def test_softmax_focal_loss(case, alpha, gamma, data):
    x, y = case
    g = data.draw(hnp.arrays(np.float64, y.shape, elements=UPSTREAM), label="grad")
    out = softmax_focal_loss(x, y, alpha=alpha, gamma=gamma)
    assert out.shape == y.shape
    np.testing.assert_allclose(out.data, ref_softmax_focal(x, y, alpha, gamma), rtol=1e-9, atol=1e-12)
    assert_gradients_match(
        softmax_focal_loss, x, grad=g, kwargs={"targets": y, "alpha": alpha, "gamma": gamma}
    )


def ref_clipped_focal(p, y, alpha, gamma):
    # MyGrad 2's formula: 1 - p clipped to [0, 1], so a probability above 1 costs nothing (for gamma > 0)
    picked = p[np.arange(len(y)), y]
    return -alpha * np.clip(1 - picked, 0, 1) ** gamma * np.log(picked)


@given(
    case=scores_and_labels(low=0.01, high=50.0).filter(lambda c: np.all(np.abs(c[0] - 1) > 1e-3)),
    alpha=ALPHAS,
    gamma=GAMMAS,
    data=st.data(),
)
def test_focal_loss_of_a_probability_above_1_clips_1_minus_p_to_0(case, alpha, gamma, data):
    p, y = case
    g = data.draw(hnp.arrays(np.float64, y.shape, elements=UPSTREAM), label="grad")
    out = no_warnings(focal_loss, p, y, alpha=alpha, gamma=gamma)
    np.testing.assert_allclose(out.data, ref_clipped_focal(p, y, alpha, gamma), rtol=1e-10, atol=1e-12)
    assert_gradients_match(focal_loss, p, grad=g, kwargs={"targets": y, "alpha": alpha, "gamma": gamma})


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 1.5, 2.0, 3.7])
@pytest.mark.parametrize("p", [1.0 + 1e-12, 1.25, 2.0, 40.0])
def test_focal_loss_derivatives_of_every_order_above_p_1_are_those_of_the_clipped_loss(gamma, p):
    # gamma > 0: the loss is the constant 0 above p = 1 (-0., as in MyGrad 2); gamma = 0: it is -alpha log p
    alpha = 0.7
    loss = focal_loss(np.array([[p, 0.5]]), [0], alpha=alpha, gamma=gamma)
    assert loss.item() == (-alpha * math.log(p) if gamma == 0 else 0.0)
    derivatives = [lambda t: focal_of(t, alpha=alpha, gamma=gamma)]
    for _ in range(4):
        derivatives.append(mg.grad(derivatives[-1]))
    for order, derivative in enumerate(derivatives[1:], start=1):
        expected = -alpha * (-1) ** (order - 1) * math.factorial(order - 1) / p**order if gamma == 0 else 0.0
        assert no_warnings(derivative, p).item() == pytest.approx(expected, rel=1e-12, abs=0)
    h = mg.hessian(lambda q: focal_loss(q, [0, 1], alpha=alpha, gamma=gamma).sum())(
        np.array([[p, 0.5], [0.5, 0.25]])
    )
    assert np.isfinite(h.data).all()
    if gamma:
        np.testing.assert_array_equal(h.data.reshape(4, 4)[0], 0.0)


def test_softmax_focal_loss_with_gamma_0_is_the_per_sample_crossentropy():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]])
    y = np.array([2, 0])
    per_sample = softmax_focal_loss(x, y)
    np.testing.assert_allclose(per_sample.data.mean(), softmax_crossentropy(x, y).item())


def test_losses_compose_with_activations():
    from mygrad.nnet.activations import logsoftmax, softmax

    x = np.array([[0.3, -1.2, 2.0], [0.1, 0.0, -0.5]])
    y = np.array([1, 2])
    np.testing.assert_allclose(
        negative_log_likelihood(logsoftmax(x), y).item(), softmax_crossentropy(x, y).item()
    )
    np.testing.assert_allclose(
        focal_loss(softmax(x), y, alpha=0.5, gamma=1.5).data,
        softmax_focal_loss(x, y, alpha=0.5, gamma=1.5).data,
    )
    assert_gradients_match(
        lambda t: focal_loss(softmax(t), targets=y, gamma=2.0).sum() + multiclass_hinge(t, y), x
    )


# ------------------------------------------------------------------------------------------ kinks and ties
def test_multiclass_hinge_margin_exactly_zero_passes_no_gradient():
    x = mg.tensor([[1.0, 0.0, 1.0]])
    multiclass_hinge(x, np.array([0])).backward()  # class 1 sits exactly at the hinge: no gradient
    np.testing.assert_array_equal(x.grad, [[-1.0, 0.0, 1.0]])


def test_margin_ranking_loss_slack_exactly_zero_passes_no_gradient():
    x1, x2 = mg.tensor([1.0, 2.0]), mg.tensor([0.0, 0.0])
    margin_ranking_loss(x1, x2, 1, 1.0).backward()
    np.testing.assert_array_equal(x1.grad, [0.0, 0.0])
    np.testing.assert_array_equal(x2.grad, [0.0, 0.0])


# -------------------------------------------------------------------------------------------- stability
def test_softmax_crossentropy_is_stable_for_huge_logits():
    x = mg.tensor([[1e4, 0.0, -1e4], [1e4, 0.0, -1e4]])
    loss = no_warnings(softmax_crossentropy, x, [2, 0])
    assert loss.item() == pytest.approx(1e4)  # (2e4 + 0) / 2
    no_warnings(loss.backward)
    np.testing.assert_allclose(x.grad, [[0.5, 0.0, -0.5], [0.0, 0.0, 0.0]])


def test_softmax_focal_loss_is_stable_for_huge_logits():
    x = mg.tensor([[1000.0, 0.0, -1000.0]])
    loss = no_warnings(softmax_focal_loss, x, [2], gamma=2.0)
    np.testing.assert_allclose(loss.data, [2000.0])  # the softmax underflows to 0; its log does not
    no_warnings(loss.backward)
    np.testing.assert_allclose(x.grad, [[1.0, 0.0, -1.0]])


def _focal_grad(p_true, gamma, alpha=0.7):
    p = mg.tensor([[p_true, 1 - p_true]])
    loss = no_warnings(focal_loss, p, np.array([0]), alpha=alpha, gamma=gamma)
    no_warnings(loss.backward)
    return loss.item(), p.grad[0, 0]


def analytic_focal_grad(p, gamma, alpha=0.7):
    return alpha * (gamma * (1 - p) ** (gamma - 1) * math.log(p) - (1 - p) ** gamma / p)


@pytest.mark.parametrize("gamma", [0.0, 1e-12, 0.5, 1.0, 1.0 + 1e-12, 2.0, 3.5])
def test_focal_loss_derivative_special_points(gamma):
    # at p == 1 the loss is 0; the derivative is -alpha for gamma == 0 and its limit 0 for gamma > 0
    loss, grad = _focal_grad(1.0, gamma)
    assert loss == 0
    assert grad == (-0.7 if gamma == 0 else 0.0)
    # near p == 1 and in the middle: the closed form, finite, for every gamma (also 0 < gamma < 1)
    for p in (0.99999, 0.3):
        loss, grad = _focal_grad(p, gamma)
        assert loss == pytest.approx(-0.7 * (1 - p) ** gamma * math.log(p), rel=1e-9)
        assert grad == pytest.approx(analytic_focal_grad(p, gamma), rel=1e-9)
    # at p == 0 the loss is infinite (log 0), and so is the derivative; no warnings
    loss, grad = _focal_grad(0.0, gamma)
    assert loss == np.inf and grad == -np.inf


def test_focal_loss_is_continuous_in_gamma_near_0_and_1():
    for p in (0.2, 0.9):
        np.testing.assert_allclose(_focal_grad(p, 1e-12)[1], _focal_grad(p, 0.0)[1], rtol=1e-9)
        np.testing.assert_allclose(_focal_grad(p, 1 + 1e-12)[1], _focal_grad(p, 1.0)[1], rtol=1e-9)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_softmax_focal_loss_gradient_where_p_is_1(gamma):
    x = mg.tensor([[50.0, 0.0, -50.0]])  # p of the true class is 1 to float64 precision
    loss = no_warnings(softmax_focal_loss, x, [0], gamma=gamma)
    no_warnings(loss.backward)
    assert np.all(np.isfinite(x.grad))


# ---------------------------------------------------------- focal losses: derivatives of every order at p -> 1, 0
def focal_of(p_true, **kwargs):
    """The focal loss as a function of the true class's probability alone (a second class holds 1 - p)."""
    return focal_loss(mg.stack([p_true, 1 - p_true])[np.newaxis], [0], **kwargs).sum()


def focal_second_derivative(p, alpha, gamma):
    # d2/dp2 [-alpha (1-p)^gamma log p], q = 1 - p; exact but for rounding wherever q > 0 and p > 0
    q, log_p = 1 - p, math.log(p)
    terms = -gamma * (gamma - 1) * q ** (gamma - 2) * log_p if gamma not in (0, 1) else 0.0
    return alpha * (terms + 2 * gamma * q ** (gamma - 1) / p + q**gamma / p**2)


def focal_third_derivative(p, alpha, gamma):
    q, log_p = 1 - p, math.log(p)
    g = gamma
    terms = g * (g - 1) * (g - 2) * q ** (g - 3) * log_p if g not in (0, 1, 2) else 0.0
    terms -= 3 * g * (g - 1) * q ** (g - 2) / p if g not in (0, 1) else 0.0
    return alpha * (terms - 3 * g * q ** (g - 1) / p**2 - 2 * q**g / p**3)


@pytest.mark.parametrize("order", range(7))
def test_log_over_complement_at_1_and_where_its_two_methods_meet(order):
    # H(p) = -log(p) / (1 - p) = sum of q^n / (n + 1), q = 1 - p: its derivatives at p = 1 are
    # (-1)^m m! / (m + 1); the Taylor series (|q| <= 1/2) and the recursion (elsewhere) agree where they meet
    def h(p):
        return mg.execute_op(LogOverComplement, np.asarray(p, dtype=float), op_kwargs={"order": order}).data

    assert h(1.0) == (-1) ** order * math.factorial(order) / (order + 1)
    for edge in (0.5, 1.5):
        np.testing.assert_allclose(h(np.nextafter(edge, 1)), h(np.nextafter(edge, -1)), rtol=1e-13)
    np.testing.assert_array_equal(h([0.0]), [(-1) ** order * np.inf])


@given(data=st.data())
def test_log_over_complement_gradients(data):
    order = data.draw(st.integers(0, 4), label="order")
    p = data.draw(
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=0), elements=finite_floats(0.05, 3)), label="p"
    )
    assert_gradients_match(lambda t: mg.execute_op(LogOverComplement, t, op_kwargs={"order": order}), p)


@pytest.mark.parametrize(
    "gamma, expected", [(0.0, 0.7), (0.5, np.inf), (1.0, 1.4), (1.5, 0.0), (2.0, 0.0), (3.7, 0.0)]
)
def test_focal_loss_second_derivative_at_p_equal_1_is_its_limit(gamma, expected):
    # -alpha (1-p)^gamma log p = alpha q^(gamma+1) (1 + q/2 + ...), q = 1 - p: the second derivative tends to
    # alpha at gamma = 0, 2 alpha at gamma = 1, 0 for gamma > 1, and is infinite for 0 < gamma < 1
    with np.errstate(divide="ignore"):  # 0 ** (gamma - 1): the infinite limit for gamma < 1
        d2 = mg.grad(mg.grad(lambda t: focal_of(t, alpha=0.7, gamma=gamma)))(1.0).item()
    assert d2 == pytest.approx(expected, rel=1e-12, abs=0)
    if np.isfinite(expected):
        h = mg.hessian(lambda p: focal_loss(p, [0], alpha=0.7, gamma=gamma).sum())(np.array([[1.0, 0.0]]))
        np.testing.assert_allclose(h.data.reshape(2, 2), [[expected, 0.0], [0.0, 0.0]], rtol=1e-12, atol=0)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 1.5, 2.0, 3.7])
@pytest.mark.parametrize("scores", [[[40.0, 0.0]], [[1000.0, 0.0]], [[40.0, 0.0, 5.0]], [[3.0]]], ids=str)
def test_softmax_focal_loss_second_derivatives_where_p_is_1(gamma, scores):
    # p of the true class rounds to 1 (or is 1: one class); the loss is smooth in the scores, its Hessian ~0
    h = mg.hessian(lambda s: softmax_focal_loss(s, [0], gamma=gamma).sum())(np.array(scores)).data
    assert np.all(np.isfinite(h))
    np.testing.assert_allclose(h, 0.0, atol=1e-6)


def _near(side):
    """Probabilities near 0 or near 1: 10**-u from 1e-12 to 1e-2, or 1 minus that."""
    tiny = st.floats(2, 12).map(lambda u: 10.0**-u)
    return tiny if side == 0 else tiny.map(lambda t: 1 - t)


@pytest.mark.parametrize("side", [0, 1])
@given(alpha=ALPHAS, gamma=GAMMAS, data=st.data())
def test_focal_loss_second_and_third_derivatives_near_p_0_and_1(side, alpha, gamma, data):
    p = data.draw(_near(side), label="p")
    assume(0 < p < 1)
    d2 = mg.grad(mg.grad(lambda t: focal_of(t, alpha=alpha, gamma=gamma)))(p).item()
    np.testing.assert_allclose(d2, focal_second_derivative(p, alpha, gamma), rtol=1e-7)
    d3 = mg.grad(mg.grad(mg.grad(lambda t: focal_of(t, alpha=alpha, gamma=gamma))))(p).item()
    np.testing.assert_allclose(d3, focal_third_derivative(p, alpha, gamma), rtol=1e-6)


def softmax_focal_hessian(scores, label, alpha, gamma):
    """The Hessian of one sample's softmax focal loss in its scores, and f'(z). The loss is a function f of
    z = log p alone (p the true class's probability): f''(z) dz dz^T + f'(z) d2z, with f' = alpha q^(gamma-1)
    (gamma p z - q) and f'' = alpha gamma p q^(gamma-2) (z q + 2 q - (gamma-1) p z), q = 1 - p."""
    e = np.exp(scores - scores.max())
    softmax = e / e.sum()
    p, q = softmax[label], np.delete(softmax, label).sum()  # q as a sum: accurate as p -> 1
    z = np.log1p(-q) if q < 0.5 else np.log(p)
    dz = -softmax
    dz[label] = q  # 1 - p
    d2z = np.outer(softmax, softmax)
    d2z[np.diag_indices(len(scores))] = [-sj * np.delete(softmax, j).sum() for j, sj in enumerate(softmax)]
    f1 = -alpha if gamma == 0 else alpha * q ** (gamma - 1) * (gamma * p * z - q)
    f2 = alpha * gamma * p * q ** (gamma - 2) * (z * q + 2 * q - (gamma - 1) * p * z)
    return f2 * np.outer(dz, dz) + f1 * d2z, f1


def extreme_scores(data, side):
    """Scores whose true class is 15 to 60 above (p -> 1) or below (p -> 0) the others, and the labels."""
    n, c = data.draw(st.integers(1, 3), label="N"), data.draw(st.integers(2, 4), label="C")
    scores = data.draw(hnp.arrays(np.float64, (n, c), elements=finite_floats(-1.0, 1.0)), label="scores")
    gap = data.draw(hnp.arrays(np.float64, (n,), elements=finite_floats(15.0, 60.0)), label="gap")
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)), label="labels")
    scores[np.arange(n), labels] += gap if side else -gap
    return scores, labels


@pytest.mark.parametrize("side", [0, 1])
@given(alpha=ALPHAS, gamma=GAMMAS, data=st.data())
def test_softmax_focal_loss_hessian_where_p_nears_0_and_1(side, alpha, gamma, data):
    scores, labels = extreme_scores(data, side)
    n, c = scores.shape
    h = mg.hessian(lambda s: softmax_focal_loss(s, labels, alpha=alpha, gamma=gamma).sum())(scores).data
    h = h.reshape(n, c, n, c)
    for i in range(n):
        expected, slope = softmax_focal_hessian(scores[i], labels[i], alpha, gamma)
        # d2z is known to rounding only (1e-16), and is multiplied by f'(z) = slope
        np.testing.assert_allclose(h[i, :, i], expected, rtol=1e-9, atol=1e-14 * abs(slope))
        np.testing.assert_array_equal(np.delete(h[i], i, axis=1), 0)  # samples are independent


@pytest.mark.parametrize("side", [0, 1])
@given(alpha=ALPHAS, gamma=GAMMAS, gap=finite_floats(15.0, 60.0))
def test_softmax_focal_loss_third_derivative_where_p_nears_0_and_1(side, alpha, gamma, gap):
    # two classes: the loss is f(z) of z = log p, p the sigmoid of the difference d of the scores, so its third
    # derivative in d is f3 z1^3 + 3 f2 z1 z2 + f1 z3 (fk, zk: k-th derivatives), z1 = q, z2 = -p q,
    # z3 = p q (p - q)
    d = gap if side else -gap
    z, log_q = -np.logaddexp(0, -d), -np.logaddexp(0, d)
    p, q = np.exp(z), np.exp(log_q)
    f1 = -alpha if gamma == 0 else alpha * q ** (gamma - 1) * (gamma * p * z - q)
    b = z * q + 2 * q - (gamma - 1) * p * z
    f2 = alpha * gamma * p * q ** (gamma - 2) * b
    f3 = (
        alpha
        * gamma
        * p
        * q ** (gamma - 3)
        * ((q - (gamma - 2) * p) * b + q * (q - gamma * p * z - (gamma + 1) * p))
    )
    expected = f3 * q**3 - 3 * f2 * p * q**2 + f1 * p * q * (p - q)

    def loss(t):
        return softmax_focal_loss(mg.stack([t, 0 * t])[np.newaxis], [0], alpha=alpha, gamma=gamma).sum()

    third = mg.grad(mg.grad(mg.grad(loss)))(d).item()
    np.testing.assert_allclose(third, expected, rtol=1e-9, atol=1e-300)


# --------------------------------------------------------------------------------------------- validation
CLASS_SCORE_LOSSES = [
    (softmax_crossentropy, "x", "y_true"),
    (negative_log_likelihood, "x", "y_true"),
    (multiclass_hinge, "x", "y_true"),
    (focal_loss, "class_probs", "targets"),
    (softmax_focal_loss, "scores", "targets"),
]
SCORES = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
LABELS = np.array([2, 0])


@pytest.mark.parametrize("loss, x_name, y_name", CLASS_SCORE_LOSSES)
def test_class_score_validation(loss, x_name, y_name):
    with pytest.raises(ValueError, match=f"`{x_name}` must be a 2-dimensional.*got 1-dim"):
        loss(SCORES[0], LABELS)
    with pytest.raises(ValueError, match=f"`{x_name}` must be a 2-dimensional.*got 3-dim"):
        loss(SCORES[None], LABELS)
    with pytest.raises(TypeError, match=f"`{y_name}` must be an integer.*float64"):
        loss(SCORES, LABELS.astype(float))
    with pytest.raises(TypeError, match=f"`{y_name}` must be an integer.*bool"):
        loss(SCORES, np.array([True, False]))
    with pytest.raises(ValueError, match=rf"`{y_name}` must be a shape-\(N,\).*\(2, 1\)"):
        loss(SCORES, LABELS[:, None])
    with pytest.raises(ValueError, match=rf"`{y_name}` must be a shape-\(N,\).*\(1,\)"):
        loss(SCORES, LABELS[:1])
    with pytest.raises(IndexError):
        loss(SCORES, np.array([3, 0]))
    # labels as a list, a Tensor, another integer dtype; scores as a list
    expected = loss(SCORES, LABELS).data
    np.testing.assert_allclose(loss(SCORES, [2, 0]).data, expected)
    np.testing.assert_allclose(loss(SCORES, np.array([2, 0], dtype=np.uint8)).data, expected)
    np.testing.assert_allclose(loss(SCORES.tolist(), LABELS).data, expected)
    labels = mg.tensor(LABELS)
    x = mg.tensor(SCORES)
    loss(x, labels).sum().backward()
    assert labels.grad is None and x.grad is not None


def test_negative_log_likelihood_weights():
    with pytest.raises(ValueError, match=r"`weights` must be a shape-\(C,\).*\(3,\).*\(2,\)"):
        negative_log_likelihood(SCORES, LABELS, weights=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"`weights`.*\(1, 3\)"):
        negative_log_likelihood(SCORES, LABELS, weights=np.array([[1.0, 2.0, 3.0]]))
    w = mg.tensor([1.0, 2.0, 3.0])
    x = mg.tensor(SCORES)
    out = negative_log_likelihood(x, LABELS, weights=w)
    np.testing.assert_allclose(out.item(), -(0.5 * 3 + 0.6 * 1) / 2)
    out.backward()
    assert w.grad is None  # the weights are constants
    np.testing.assert_allclose(x.grad, [[0, 0, -1.5], [-0.5, 0, 0]])
    negative_log_likelihood(SCORES, LABELS, weights=[1, 2, 3])  # a list of ints is fine


@pytest.mark.parametrize("loss", [focal_loss, softmax_focal_loss])
def test_focal_parameters(loss):
    with pytest.raises(ValueError, match="`gamma` must be a non-negative"):
        loss(SCORES, LABELS, gamma=-1)
    with pytest.raises(ValueError, match="`gamma` must be a non-negative"):
        loss(SCORES, LABELS, gamma=np.nan)
    np.testing.assert_allclose(
        loss(SCORES, LABELS, gamma=np.array(2.0)).data, loss(SCORES, LABELS, gamma=2.0).data
    )
    # alpha: a scalar, or one weight per sample
    np.testing.assert_allclose(
        loss(SCORES, LABELS, alpha=np.array([1.0, 2.0])).data,
        loss(SCORES, LABELS).data * [1.0, 2.0],
    )
    np.testing.assert_allclose(loss(SCORES, LABELS, alpha=-1).data, -loss(SCORES, LABELS).data)
    # a 0-d alpha acts like a Python number: float32 scores keep float32
    scores32 = SCORES.astype(np.float32)
    assert loss(scores32, LABELS, alpha=mg.tensor(0.5), gamma=np.float64(2.0)).dtype == np.float32


@pytest.mark.parametrize("loss", [focal_loss, softmax_focal_loss])
@pytest.mark.parametrize("gamma", ["a", None, 1j, [], [1.0, 2.0]], ids=repr)
def test_focal_gamma_that_is_not_a_real_number_raises_a_type_error_that_is_also_a_value_error(loss, gamma):
    # MyGrad 2 raised ValueError: code written against it catches that
    with pytest.raises(TypeError, match="`gamma`") as error:
        loss(SCORES, LABELS, gamma=gamma)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("margin", ["a", None, 1j, [], [1.0, 2.0]], ids=repr)
def test_margin_that_is_not_a_real_number_raises_a_type_error_that_is_also_a_value_error(margin):
    with pytest.raises(TypeError, match="`margin`") as error:
        margin_ranking_loss(np.ones(2), np.zeros(2), 1, margin)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("loss", [focal_loss, softmax_focal_loss])
@pytest.mark.parametrize("alpha", ["a", None, 1j, [1.0, "b"]], ids=repr)
def test_focal_alpha_that_is_not_real_is_refused_by_name(loss, alpha):
    with pytest.raises(TypeError, match="`alpha`"):
        loss(SCORES, LABELS, alpha=alpha)


@pytest.mark.parametrize("loss", [focal_loss, softmax_focal_loss])
def test_focal_alpha_must_broadcast_to_the_samples(loss):
    with pytest.raises(ValueError, match=r"`alpha`.*\(3,\).*\(2,\)"):
        loss(SCORES, LABELS, alpha=np.ones(3))


@pytest.mark.parametrize("y", ["a", None, ["a", "b"], 1j], ids=repr)
def test_margin_ranking_y_that_is_not_real_is_refused_by_name(y):
    with pytest.raises(TypeError, match="`y`"):
        margin_ranking_loss(np.ones(2), np.zeros(2), y, 1.0)


@pytest.mark.parametrize("weights", [["a", "b", "c"], [None, 1, 2], "abc"], ids=repr)
def test_negative_log_likelihood_weights_that_are_not_real_raise_a_type_error_that_is_also_a_value_error(
    weights,
):
    # MyGrad 2 raised ValueError for a string ("abc" is not of shape (C,))
    with pytest.raises(TypeError, match="`weights`") as error:
        negative_log_likelihood(SCORES, LABELS, weights=weights)
    assert isinstance(error.value, ValueError)


def test_margin_ranking_loss_validation():
    x1, x2 = np.array([1.0, 2.0, 3.0]), np.array([2.0, 1.0, 3.0])
    with pytest.raises(ValueError, match=r"`x1` must have shape \(N,\) or \(N, D\), got shape \(3, 2, 1\)"):
        margin_ranking_loss(np.ones((3, 2, 1)), np.ones((3, 2, 1)), 1, 1.0)
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        margin_ranking_loss(np.array(1.0), np.array(0.0), 1, 1.0)
    with pytest.raises(ValueError, match="same shape"):
        margin_ranking_loss(x1, x2[:2], 1, 1.0)
    with pytest.raises(TypeError, match="`x1` must contain floats"):
        margin_ranking_loss(np.array([1, 2, 3]), x2, 1, 1.0)
    with pytest.raises(TypeError, match="`x2` must contain floats"):
        margin_ranking_loss(x1, np.array([1, 2, 3]), 1, 1.0)
    with pytest.raises(ValueError, match=r"`y` must be a scalar or a shape-\(N,\).*\(2,\)"):
        margin_ranking_loss(x1, x2, np.array([1, 1]), 1.0)
    with pytest.raises(ValueError, match=r"`y`.*\(3, 1\)"):
        margin_ranking_loss(x1, x2, np.ones((3, 1)), 1.0)
    with pytest.raises(ValueError, match="`margin` must be a non-negative"):
        margin_ranking_loss(x1, x2, 1, -0.5)
    # array-likes are fine; y may be a float array or a Tensor (never differentiated)
    expected = margin_ranking_loss(x1, x2, np.array([1, -1, 1]), 0.5).item()
    assert margin_ranking_loss(x1.tolist(), x2.tolist(), [1, -1, 1], 0.5).item() == expected
    assert margin_ranking_loss(x1, x2, np.array([1.0, -1.0, 1.0]), np.array(0.5)).item() == expected
    y = mg.tensor([1.0, -1.0, 1.0])
    a = mg.tensor(x1)
    margin_ranking_loss(a, x2, y, 0.5).backward()
    assert y.grad is None and a.grad is not None


def test_margin_ranking_loss_2d_broadcasts_y_per_row():
    x1, x2 = np.ones((3, 2)), np.zeros((3, 2))
    out = margin_ranking_loss(x1, x2, np.array([1, -1, 1]), 2.0)
    np.testing.assert_allclose(out.item(), (1 + 1 + 3 + 3 + 1 + 1) / 6)


# -------------------------------------------------------------------------------------------------- dtypes
ALL_CASES = [
    (softmax_crossentropy, (SCORES, LABELS), {}),
    (negative_log_likelihood, (SCORES, LABELS), {}),
    (multiclass_hinge, (SCORES, LABELS), {}),
    (focal_loss, (SCORES, LABELS), {"gamma": 2.0, "alpha": 0.25}),
    (softmax_focal_loss, (SCORES, LABELS), {"gamma": 2.0, "alpha": 0.25}),
    (margin_ranking_loss, (SCORES[0], SCORES[1], 1), {"margin": 0.5}),
]


@pytest.mark.parametrize("loss, args, kwargs", ALL_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_kept(loss, args, kwargs, dtype):
    inputs = [mg.tensor(a, dtype=dtype) if np.asarray(a).dtype.kind == "f" else a for a in args]
    out = loss(*inputs, **kwargs)
    assert out.dtype == dtype
    assert not out.constant
    out.sum().backward()
    for t in inputs:
        if isinstance(t, Tensor):
            assert t.grad.dtype == dtype
    assert loss(*args, **kwargs).constant  # arrays are constants: so is the loss


@pytest.mark.parametrize(
    "loss", [softmax_crossentropy, negative_log_likelihood, multiclass_hinge, focal_loss, softmax_focal_loss]
)
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int64])
def test_integer_and_boolean_scores_give_float64_losses(loss, dtype):
    scores = np.array([[1, 0], [0, 1]], dtype=dtype)
    out = loss(scores, np.array([0, 1]))
    assert out.dtype == np.float64 and out.constant
    np.testing.assert_array_equal(out.data, loss(scores.astype(np.float64), np.array([0, 1])).data)


@pytest.mark.parametrize("loss, args, kwargs", ALL_CASES)
def test_losses_accept_nested_sequences(loss, args, kwargs):
    as_lists = [np.asarray(a).tolist() for a in args]
    out = loss(*as_lists, **kwargs)
    assert out.constant
    np.testing.assert_array_equal(out.data, loss(*args, **kwargs).data)
    loss(*as_lists, constant=False, **kwargs).sum().backward()  # to nothing: no error


def test_empty_batches():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the mean of no samples
        assert np.isnan(softmax_crossentropy(np.zeros((0, 3)), np.zeros(0, dtype=int)).item())
    assert focal_loss(np.zeros((0, 3)), np.zeros(0, dtype=int)).shape == (0,)
    x = mg.tensor(np.zeros((0, 3)))
    softmax_focal_loss(x, np.zeros(0, dtype=int), gamma=2.0).sum().backward()
    assert x.grad.shape == (0, 3)


def test_constant_flag():
    x = mg.tensor(SCORES)
    assert softmax_crossentropy(x, LABELS, constant=True).constant
    assert not softmax_crossentropy(SCORES, LABELS, constant=False).constant
