"""
Linear regression by gradient descent
=====================================

Fit a line :math:`y = w x + b` to noisy points by minimizing the mean squared error
:math:`L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2` with plain gradient descent: mygrad computes
:math:`\\partial L / \\partial w` and :math:`\\partial L / \\partial b`, and the update is one line of NumPy.
"""

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg

rng = np.random.default_rng(0)
x = rng.uniform(-3, 3, size=50)
y = 1.5 * x - 0.5 + rng.normal(0, 0.7, size=50)  # the true line, plus noise

# %%
# The parameters are tensors; the data stay arrays (constants: no gradient is computed for them).
w = mg.tensor(0.0)
b = mg.tensor(0.0)
learning_rate = 0.1
losses = []
for _ in range(60):
    loss = mg.mean((w * x + b - y) ** 2)
    loss.backward()  # fills w.grad and b.grad
    w.data -= learning_rate * w.grad  # update the arrays in place: nothing is recorded
    b.data -= learning_rate * b.grad
    losses.append(loss.item())

print(f"w = {w.item():.3f}, b = {b.item():.3f}, final loss {losses[-1]:.3f}")

# %%
# The fitted line, and the loss along the way.
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.scatter(x, y, s=12, label="data")
grid = np.linspace(-3, 3, 2)
left.plot(
    grid,
    w.item() * grid + b.item(),
    color="C1",
    label=f"fit: {w.item():.2f} x {b.item():+.2f}",
)
left.set(xlabel="x", ylabel="y", title="Data and fitted line")
left.legend()
right.plot(losses)
right.set(xlabel="step", ylabel="mean squared error", title="Loss", yscale="log")
fig.tight_layout()
