"""
A GRU on a sequence task
========================

A gated recurrent unit (:func:`mygrad.nnet.gru`) reads a sequence of numbers one at a time and must say,
at the end, whether their sum is positive: its hidden state has to carry a running total through the
sequence. The whole sequence is one call, and backpropagation runs through time.
"""

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg
from mygrad.nnet import glorot_uniform, gru, softmax_crossentropy

rng = np.random.default_rng(0)
steps, hidden = 12, 16


def make_batch(n):
    """``n`` sequences of ``steps`` numbers, shaped (steps, n, 1), and their labels."""
    x = rng.normal(size=(steps, n, 1)).astype(np.float32)
    return x, (x.sum(axis=(0, 2)) > 0).astype(np.int64)


# %%
# The GRU's gates each take a weight for the input (``U``), one for the hidden state (``W``) and a bias;
# a dense layer reads the last state.
params = {}
for gate in "zrh":
    params[f"U{gate}"] = glorot_uniform(1, hidden, rng=rng)
    params[f"W{gate}"] = glorot_uniform(hidden, hidden, rng=rng)
    params[f"b{gate}"] = mg.zeros(hidden, dtype=np.float32)
readout_w, readout_b = glorot_uniform(hidden, 2, rng=rng), mg.zeros(2, dtype=np.float32)


def classify(x):
    states = gru(
        x, **params
    )  # (steps + 1, n, hidden): the initial state and one per step
    return states[-1] @ readout_w + readout_b


# %%
# Training on fresh random sequences at every step.
test_x, test_y = make_batch(1000)
losses = []
for step in range(600):
    x, y = make_batch(64)
    loss = softmax_crossentropy(classify(x), y)
    loss.backward()
    for param in [*params.values(), readout_w, readout_b]:
        param.data -= 0.5 * param.grad
    losses.append(loss.item())
    if step % 150 == 0 or step == 599:
        with mg.no_autodiff:
            accuracy = np.mean(np.argmax(classify(test_x).data, axis=1) == test_y)
        print(f"step {step:3d}: loss {loss.item():.3f}, test accuracy {accuracy:.1%}")

# %%
# The loss, and how the network's confidence follows the true sum on test sequences.
with mg.no_autodiff:
    scores = classify(test_x).data
confidence = np.exp(scores[:, 1]) / np.exp(scores).sum(axis=1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.plot(losses, lw=0.8)
left.set(xlabel="step", ylabel="cross-entropy loss", title="Training loss")
right.scatter(test_x.sum(axis=(0, 2)), confidence, s=5)
right.set(
    xlabel="sum of the sequence",
    ylabel="P(sum > 0)",
    title="The GRU's answer on test sequences",
)
fig.tight_layout()
