"""
Drawing a computational graph
=============================

:func:`mygrad.computational_graph.build_graph` (from the ``mygrad-viz`` distribution) draws the graph that
mygrad recorded behind a tensor, with Graphviz: tensors as white nodes, operations as coloured ones. Here,
the squared error of a linear model on a batch of three examples.
"""

import io

import matplotlib.pyplot as plt
import numpy as np

import mygrad as mg
from mygrad.computational_graph import build_graph

# three examples of two features (an array: a constant), their targets, and the parameters
x = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]])
target = np.array([1.0, 0.0, 1.0])
w = mg.tensor([0.1, -0.2])
b = mg.tensor(0.0)

z = x @ w + b
loss = mg.mean((z - target) ** 2)

# %%
# ``names`` labels the tensors with their variable names; ``dims=True`` adds their shapes. In a notebook the
# returned diagram shows itself; here it is drawn to a PNG and shown with matplotlib.
names = {"x": x, "target": target, "w": w, "b": b, "z": z, "loss": loss}
graph = build_graph(loss, names=names, dims=True)
graph.graph_attr["dpi"] = "120"  # a Graphviz attribute: the resolution of the PNG
picture = plt.imread(io.BytesIO(graph.pipe(format="png")))
fig, ax = plt.subplots(figsize=(6, 8))
ax.imshow(picture)
ax.set_axis_off()
fig.tight_layout()

# %%
# Backpropagation gives the gradient of the loss with respect to each parameter, then clears the graph:
# draw before calling ``backward``.
loss.backward()
print("dloss/dw =", w.grad)
print("dloss/db =", b.grad)
