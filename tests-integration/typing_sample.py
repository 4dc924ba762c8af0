# pyright: strict
"""Ordinary user code, as a type checker sees it: `nox -s lint` runs pyright over this file (strict: every
name known, every type inferred) and its `assert_type` lines state what the checker must infer.

It also runs (`test_installed.py` executes it against the installed wheels), so that it stays real code.
"""

from __future__ import annotations

import sys

import numpy as np

import mygrad as mg
import mygrad.nnet as nnet
from mygrad.computational_graph import build_graph
from mygrad.nnet.layers import conv_nd, max_pool
from mygrad.nnet.losses import softmax_crossentropy

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type

# ------------------------------------------------------------------------------------ tensors and math
x = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
w = mg.ones((3, 2), dtype="float64")
assert_type(x, mg.Tensor)
assert_type(mg.exp(x), mg.Tensor)  # a mygrad ufunc
assert_type(mg.add(x, 1.0, constant=True), mg.Tensor)
assert_type(mg.exp(x, where=[[True, False, True]] * 2, out=mg.zeros((2, 3)), dtype=np.float32), mg.Tensor)
assert_type(mg.cot(x), mg.Tensor)  # a plain function
assert_type(mg.sum(x, axis=0), mg.Tensor)
assert_type(mg.math.log1p(x), mg.Tensor)
assert_type(mg.linalg.norm(x), mg.Tensor)

# operators and methods
assert_type(x * x, mg.Tensor)
assert_type(2.0 * x - 1, mg.Tensor)
assert_type(-x / 3, mg.Tensor)
assert_type(x**2, mg.Tensor)
assert_type(x @ w, mg.Tensor)
assert_type(x.sum(), mg.Tensor)
assert_type(x.mean(axis=1, keepdims=True), mg.Tensor)
assert_type(x.reshape(3, 2).T, mg.Tensor)
assert_type(x[0, 1:], mg.Tensor)
assert_type(x.astype("float32"), mg.Tensor)
assert_type(x.grad, "np.ndarray | None")
assert_type(x.shape, "tuple[int, ...]")
for row in x:
    assert_type(row, mg.Tensor)

# NumPy's functions on tensors run mygrad's (NumPy's own annotations say ndarray: the value is a Tensor)
y = np.sum(x * np.exp(x))
assert isinstance(y, mg.Tensor)

# ---------------------------------------------------------------------------------- differentiation
loss = (x @ w).sum()
loss.backward()
gradient = x.grad
assert gradient is not None and gradient.shape == (2, 3)

with mg.no_autodiff:
    frozen = mg.exp(x)
assert_type(frozen, mg.Tensor)


def cube(t: mg.Tensor) -> mg.Tensor:
    return (t**3).sum()


d_cube = mg.grad(cube)
h_cube = mg.hessian(cube)
assert_type(d_cube(mg.tensor([1.0, 2.0])), "mg.Tensor")
print(h_cube(mg.tensor([1.0, 2.0])))

# --------------------------------------------------------------------------------------------- nnet
images = mg.tensor(np.random.default_rng(0).normal(size=(2, 1, 6, 6)))
filters = nnet.initializers.glorot_uniform(3, 1, 3, 3)
assert_type(nnet.relu(images), mg.Tensor)
assert_type(mg.nnet.activations.sigmoid(images), mg.Tensor)
features = max_pool(nnet.relu(conv_nd(images, filters, stride=1)), pool=(2, 2), stride=2)
assert_type(features, mg.Tensor)
scores = features.reshape(2, -1)[:, :3]
labels = np.array([0, 2])
batch_loss = softmax_crossentropy(scores, labels)
assert_type(batch_loss, mg.Tensor)
batch_loss.backward()

# ------------------------------------------------------------------------------------------------- viz
graph = build_graph(mg.exp(mg.tensor(1.0)) * 2, names={"x": x})
assert graph is not None and "Exp" in graph.source
