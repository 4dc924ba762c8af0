"""
Logistic regression over a Dask array
=====================================

The same mygrad code that trains on NumPy arrays trains on a `Dask <https://docs.dask.org>`_ array: data
drawn chunk by chunk, never held in memory as a whole (:doc:`/beyond`). Here a logistic regression with
8 weights learns from 200,000 labelled points, in 4 chunks; with more rows (and a ``dask.distributed``
cluster) the code stays the same.
"""

import dask
import dask.array as da
import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg

rows, features = 200_000, 8
X = da.random.default_rng(0).normal(size=(rows, features), chunks=(50_000, features))
w_true = np.linspace(-2.0, 2.0, features)
labels = da.sign(
    X @ w_true + 0.5 * da.random.default_rng(1).normal(size=rows, chunks=50_000)
)  # +1 / -1

# %%
# The parameters are a NumPy tensor; the data are Dask arrays. Each step builds the loss and its gradient
# as plans, then computes both in one pass over the chunks (``dask.compute`` shares what they have in
# common), and updates the weights with the computed gradient.
w = mg.tensor(np.zeros(features))
losses = []
for _step in range(12):
    loss = np.mean(
        np.logaddexp(0.0, -labels * (X @ w))
    )  # the logistic loss: a lazy Tensor
    loss.backward()  # w.grad: a lazy Dask array
    value, grad = dask.compute(loss.data, w.grad)
    with mg.no_autodiff:
        w -= 2.0 * grad
    losses.append(value)

print(type(loss.data).__name__, type(grad).__name__)
print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}")
print("learned direction:", np.round(w.data / np.linalg.norm(w.data), 2))
print("true direction:   ", np.round(w_true / np.linalg.norm(w_true), 2))

# %%
# The loss along the way.
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(losses, marker="o")
ax.set_xlabel("step")
ax.set_ylabel("mean logistic loss")
ax.set_title("Gradient descent over 4 Dask chunks")
fig.tight_layout()
plt.show()
