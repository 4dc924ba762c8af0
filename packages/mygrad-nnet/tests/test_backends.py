"""mygrad.nnet over another library's arrays (Dask's): activations and losses keep the data in its library,
compute nothing before they are asked to, and give NumPy's values and gradients.

Run by ``nox -s tests_backends`` (which installs Dask); skipped where Dask is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import mygrad as mg
from mygrad import nnet

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

SCORES = np.random.default_rng(0).random((6, 4)) - 0.5
WEIGHTS = np.random.default_rng(1).random((6, 4))  # a weighted sum: softmax's plain sum has no gradient
LABELS = np.array([0, 1, 2, 3, 0, 1])

FUNCTIONS = {
    "relu": nnet.relu,
    "leaky_relu": lambda x: nnet.leaky_relu(x, 0.1),
    "elu": lambda x: nnet.elu(x, 0.1),
    "selu": nnet.selu,
    "sigmoid": nnet.sigmoid,
    "hard_tanh": nnet.hard_tanh,
    "softmax": nnet.softmax,
    "logsoftmax": nnet.logsoftmax,
    "softmax_crossentropy": lambda x: nnet.softmax_crossentropy(x, LABELS),
    "softmax_focal_loss": lambda x: nnet.softmax_focal_loss(x, LABELS),
    "negative_log_likelihood": lambda x: nnet.negative_log_likelihood(nnet.logsoftmax(x), LABELS),
    "multiclass_hinge": lambda x: nnet.multiclass_hinge(x, LABELS, hinge=0.3),
}


class NoCompute:
    """A Dask scheduler that fails: within ``dask.config.set(scheduler=NoCompute())`` nothing computes."""

    def __call__(self, *args, **kwargs):
        raise AssertionError("a Dask graph was computed")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_activations_and_losses_over_dask(name):
    f = FUNCTIONS[name]
    x = mg.tensor(da.from_array(SCORES, chunks=(4, 3)))  # uneven chunks along both axes
    with dask.config.set(scheduler=NoCompute()):
        out = f(x)
        (out * WEIGHTS if out.ndim == 2 else out).sum().backward()
    assert isinstance(out.data, da.Array) and isinstance(x.grad, da.Array)
    reference = mg.tensor(SCORES)
    expected = f(reference)
    (expected * WEIGHTS if expected.ndim == 2 else expected).sum().backward()
    np.testing.assert_allclose(out.data.compute(), expected.data, rtol=1e-12)
    np.testing.assert_allclose(x.grad.compute(), reference.grad, rtol=1e-12, atol=1e-15)
