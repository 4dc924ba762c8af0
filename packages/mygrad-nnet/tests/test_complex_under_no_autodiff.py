"""Under ``no_autodiff`` the activations, losses and layers compute with complex input too, as MyGrad 2's did.

The imaginary part is kept, never dropped: then the complex-step derivative, ``Im f(x + ih) / h`` for a tiny
``h``, is the derivative of ``f`` (MyGrad 2's own test suite computes its numerical derivatives so, through
``no_autodiff(softmax)`` for one). Integer and boolean inputs still give float64.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad.nnet import activations as act
from mygrad.nnet.layers import avg_pool, batchnorm, conv_nd, max_pool
from mygrad.nnet.losses import (
    focal_loss,
    multiclass_hinge,
    negative_log_likelihood,
    softmax_crossentropy,
    softmax_focal_loss,
)
from mygrad.testing.strategies import finite_floats

LABELS = np.array([0, 3])
FILTERS = np.array([[[0.5, -1.0, 0.25]], [[1.5, 0.0, -0.75]]])  # (F=2, C=1, W=3)

# name -> (function of x, shape of x, bounds of x's elements): x of shape (2, 4) unless told
CASES = {
    "relu": (act.relu, (2, 4), (-3, 3)),
    "leaky_relu": (lambda x: act.leaky_relu(x, 0.3), (2, 4), (-3, 3)),
    "elu": (lambda x: act.elu(x, 1.5), (2, 4), (-3, 3)),
    "selu": (act.selu, (2, 4), (-3, 3)),
    "sigmoid": (act.sigmoid, (2, 4), (-3, 3)),
    "tanh": (act.tanh, (2, 4), (-3, 3)),
    "hard_tanh": (act.hard_tanh, (2, 4), (-3, 3)),
    "glu": (act.glu, (2, 4), (-3, 3)),
    "softmax": (act.softmax, (2, 4), (-3, 3)),
    "logsoftmax": (lambda x: act.logsoftmax(x, axis=0), (2, 4), (-3, 3)),
    "softmax_crossentropy": (lambda x: softmax_crossentropy(x, LABELS), (2, 4), (-3, 3)),
    "negative_log_likelihood": (lambda x: negative_log_likelihood(x, LABELS), (2, 4), (-3, 3)),
    "multiclass_hinge": (lambda x: multiclass_hinge(x, LABELS, hinge=0.7), (2, 4), (-3, 3)),
    "focal_loss": (lambda x: focal_loss(x, LABELS, alpha=0.8, gamma=1.5), (2, 4), (0.01, 0.99)),
    "softmax_focal_loss": (lambda x: softmax_focal_loss(x, LABELS, alpha=0.8, gamma=1.5), (2, 4), (-3, 3)),
    "conv_nd": (lambda x: conv_nd(x, FILTERS, stride=1), (2, 1, 5), (-3, 3)),
    "max_pool": (lambda x: max_pool(x, (2,), 1), (2, 4), (-3, 3)),
    "avg_pool": (lambda x: avg_pool(x, (2,), 2), (2, 4), (-3, 3)),
    "batchnorm": (
        lambda x: batchnorm(x, gamma=np.array([1.5, -0.5]), beta=np.ones(2), eps=1e-3),
        (3, 2),
        (-3, 3),
    ),
}
KINKS = (0.0, -1.0, 1.0)  # of act.relu, act.elu, act.hard_tanh, ...: the complex step must not straddle one


def complex_step_gradient(func, x: np.ndarray, upstream: np.ndarray, h: float = 1e-30) -> np.ndarray:
    """The gradient of ``sum(upstream * func(x))`` by the complex step, one element of ``x`` at a time."""
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        stepped = x.astype(np.complex128)
        stepped[index] += 1j * h
        with mg.no_autodiff:
            out = func(stepped)
        assert out.dtype == np.complex128, "the imaginary part was dropped"
        grad[index] = np.sum(upstream * out.data.imag) / h
    return grad


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_complex_input_keeps_its_imaginary_part_so_the_complex_step_gives_the_gradient(name, data):
    func, shape, (low, high) = CASES[name]
    x = data.draw(
        hnp.arrays(np.float64, shape, elements=finite_floats(low, high, KINKS), unique=True), label="x"
    )
    if name == "multiclass_hinge":  # away from its kinks: a margin of exactly 0
        margins = x - x[np.arange(2), LABELS][:, np.newaxis] + 0.7
        assume(np.all(np.abs(margins) > 1e-6))
    t = mg.tensor(x)
    out = func(t)
    upstream = data.draw(hnp.arrays(np.float64, out.shape, elements=finite_floats(-2, 2)), label="upstream")
    out.backward(upstream)
    with mg.no_autodiff:
        complex_out = func(x.astype(np.complex128))
    np.testing.assert_allclose(complex_out.data.real, out.data, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(complex_step_gradient(func, x, upstream), t.grad, rtol=1e-9, atol=1e-12)


def test_soft_sign_keeps_complex_input_complex():
    # |x| is the modulus for complex x (as in NumPy), which has no complex-step derivative: only the dtype
    # and the real part are MyGrad 2's
    x = np.array([-2.0, 0.5, 3.0])
    with mg.no_autodiff:
        out = act.soft_sign(x + 1e-20j)
    assert out.dtype == np.complex128
    np.testing.assert_allclose(out.data.real, act.soft_sign(x).data)
