"""
A convolutional network on pictures of shapes
=============================================

The demo's network (``nox -s demo``), smaller and trained briefly: two convolutions with
:func:`mygrad.nnet.conv_nd`, each followed by :func:`mygrad.nnet.relu` and :func:`mygrad.nnet.max_pool`, then
a dense layer, learn to tell circles, squares, crosses and triangles apart in 16x16 pictures that the demo
draws (``demo/shapes.py`` in the repository).
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg
from mygrad.nnet import (
    conv_nd,
    glorot_uniform,
    he_normal,
    max_pool,
    relu,
    softmax_crossentropy,
)

# The demo's picture generator, demo/shapes.py (the gallery runs this in docs/examples).
sys.path.insert(0, str(Path("../../demo").resolve()))
from shapes import CLASSES, make_shapes  # noqa: E402

images, labels = make_shapes(2800, size=16, seed=0)
train_x, test_x = images[:2400], images[2400:]
train_y, test_y = labels[:2400], labels[2400:]

# %%
# The network: its parameters are tensors, and calling it builds the graph of one forward pass.
rng = np.random.default_rng(0)
w1, b1 = he_normal(8, 1, 3, 3, rng=rng), mg.zeros((1, 8, 1, 1), dtype=np.float32)
w2, b2 = he_normal(16, 8, 3, 3, rng=rng), mg.zeros((1, 16, 1, 1), dtype=np.float32)
w3, b3 = (
    glorot_uniform(16 * 4 * 4, len(CLASSES), rng=rng),
    mg.zeros(len(CLASSES), dtype=np.float32),
)
parameters = [w1, b1, w2, b2, w3, b3]


def network(x):
    h = max_pool(relu(conv_nd(x, w1, stride=1, padding=1) + b1), (2, 2), 2)  # 8 x 8 x 8
    h = max_pool(
        relu(conv_nd(h, w2, stride=1, padding=1) + b2), (2, 2), 2
    )  # 16 x 4 x 4
    return h.reshape(len(h), -1) @ w3 + b3


def accuracy(x, y):
    with mg.no_autodiff:  # no graph is recorded
        return np.mean(np.argmax(network(x).data, axis=1) == y)


# %%
# Minibatch gradient descent, a few passes over the pictures.
losses = []
for epoch in range(8):
    order = rng.permutation(len(train_x))
    for first in range(0, len(order), 32):
        batch = order[first : first + 32]
        loss = softmax_crossentropy(network(train_x[batch]), train_y[batch])
        loss.backward()
        for param in parameters:
            param.data -= 0.1 * param.grad
        losses.append(loss.item())
    print(f"epoch {epoch + 1}: test accuracy {accuracy(test_x, test_y):.1%}")

# %%
# The loss per minibatch, and some test pictures with the network's guesses (in red where wrong).
with mg.no_autodiff:
    guesses = np.argmax(network(test_x[:12]).data, axis=1)
fig = plt.figure(figsize=(10, 3.6))
curve = fig.add_subplot(1, 2, 1)
curve.plot(losses, lw=0.8)
curve.set(
    xlabel="minibatch", ylabel="cross-entropy loss", title="Training loss", yscale="log"
)
for i in range(12):
    ax = fig.add_subplot(3, 8, 8 * (i // 4) + 5 + i % 4)
    ax.imshow(test_x[i, 0], cmap="gray")
    ax.set_title(
        CLASSES[guesses[i]],
        fontsize=8,
        color="green" if guesses[i] == test_y[i] else "red",
    )
    ax.set_axis_off()
fig.tight_layout()
