"""
Newton's method with the Hessian
================================

Newton's method steps to the minimum of the local quadratic model of a function,
:math:`x \\leftarrow x - H(x)^{-1} \\nabla f(x)`, using second derivatives. :func:`mygrad.grad` and
:func:`mygrad.hessian` give both from the same Python function. Here it minimizes Rosenbrock's function
:math:`f(x, y) = (1 - x)^2 + 100 (y - x^2)^2`, whose minimum at :math:`(1, 1)` lies in a long curved
valley that slows gradient descent down.
"""

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


gradient = mg.grad(rosenbrock)
hessian = mg.hessian(rosenbrock)

point = np.array([-1.2, 1.0])
path = [point]
for step in range(6):
    g = np.asarray(gradient(mg.tensor(point)))
    h = np.asarray(hessian(mg.tensor(point)))
    point = point - np.linalg.solve(h, g)  # the Newton step
    path.append(point)
    x, y = point
    print(f"step {step + 1}: (x, y) = ({x:.6f}, {y:.6f}), f = {rosenbrock(point):.1e}")

# %%
# The path of the iterates over the contours of the function.
path = np.array(path)
xs, ys = np.meshgrid(np.linspace(-1.6, 1.6, 300), np.linspace(-3.5, 2.0, 300))
fig, ax = plt.subplots(figsize=(6, 4.5))
ax.contour(
    xs,
    ys,
    rosenbrock(np.array([xs, ys])),
    levels=np.logspace(-1, 3, 14),
    cmap="viridis",
)
ax.plot(path[:, 0], path[:, 1], "o-", color="C3", label="Newton iterates")
ax.plot(1, 1, "k*", markersize=12, label="minimum (1, 1)")
ax.set(xlabel="x", ylabel="y", title="Newton's method on Rosenbrock's function")
ax.legend()
fig.tight_layout()
