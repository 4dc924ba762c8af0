"""
A multilayer perceptron
=======================

A network with two hidden layers learns to tell apart the two arms of a spiral in the plane: a problem
that no linear classifier solves. The layers are matrix products, :func:`mygrad.nnet.relu` and
:func:`mygrad.nnet.softmax_crossentropy`; the weights start from :func:`mygrad.nnet.glorot_uniform`.
"""

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg
from mygrad.nnet import glorot_uniform, relu, softmax_crossentropy

rng = np.random.default_rng(0)
n = 200  # points per arm
t = np.sqrt(rng.uniform(0.05, 1, size=n)) * 3 * np.pi
arm = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / 10
points = np.concatenate([arm, -arm]) + rng.normal(0, 0.05, size=(2 * n, 2))
labels = np.repeat([0, 1], n)

# %%
# Three layers of weights, and the network as a function.
sizes = [2, 32, 32, 2]
weights = [glorot_uniform(m, k, rng=rng) for m, k in zip(sizes[:-1], sizes[1:])]
biases = [mg.zeros(k) for k in sizes[1:]]


def network(x):
    for w, b in zip(weights[:-1], biases[:-1]):
        x = relu(x @ w + b)
    return x @ weights[-1] + biases[-1]  # class scores


# %%
# Full-batch gradient descent.
for step in range(1500):
    loss = softmax_crossentropy(network(points), labels)
    loss.backward()
    for param in weights + biases:
        param.data -= 0.3 * param.grad
    if step % 300 == 0 or step == 1499:
        with mg.no_autodiff:
            accuracy = np.mean(np.argmax(network(points).data, axis=1) == labels)
        print(f"step {step:4d}: loss {loss.item():.4f}, accuracy {accuracy:.1%}")

# %%
# The decision regions the network learned.
xs, ys = np.meshgrid(np.linspace(-1.1, 1.1, 200), np.linspace(-1.1, 1.1, 200))
with mg.no_autodiff:
    scores = network(np.stack([xs.ravel(), ys.ravel()], axis=1)).data
fig, ax = plt.subplots(figsize=(5, 4.5))
ax.contourf(
    xs,
    ys,
    np.argmax(scores, axis=1).reshape(xs.shape),
    levels=1,
    colors=["#cfe0f3", "#f8d9c4"],
)
ax.scatter(*points[labels == 0].T, s=8, color="C0", label="arm 0")
ax.scatter(*points[labels == 1].T, s=8, color="C1", label="arm 1")
ax.set(title="Decision regions of the MLP", aspect="equal")
ax.legend(loc="lower right")
fig.tight_layout()
