"""Draw the graph diagrams that the pages show, with ``mygrad.computational_graph.build_graph``.

``docs/conf.py`` runs :func:`render_all` at the start of every build, so the pictures always come from the
current code; they are written to ``docs/_generated/`` (not committed). By hand::

    python docs/scripts/render_diagrams.py docs/_generated

Each ``draw_*`` function repeats the computation of a page's example and returns its diagram.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import mygrad as mg
from mygrad.computational_graph import build_graph, snapshot_graph


def draw_tutorial_network():
    """The network at the end of the tutorial (tutorial.rst)."""
    from mygrad.nnet.activations import relu
    from mygrad.nnet.layers import conv_nd, max_pool
    from mygrad.nnet.losses import softmax_crossentropy

    rng = np.random.default_rng(0)
    images = rng.normal(size=(2, 1, 6, 6))
    labels = np.array([0, 1])
    filters = mg.tensor(rng.normal(size=(4, 1, 3, 3)))
    weights = mg.tensor(rng.normal(size=(16, 2)))
    h = relu(conv_nd(images, filters, stride=1))
    h = max_pool(h, (2, 2), stride=2)
    scores = h.reshape(len(images), 16) @ weights
    loss = softmax_crossentropy(scores, labels)
    names = {"images": images, "filters": filters, "weights": weights, "scores": scores, "loss": loss}
    return build_graph(loss, names=names)


def draw_viz_names():
    """The first example of viz.rst: labels from ``names=locals()``."""
    x = mg.tensor(2.0)
    y = mg.tensor(3.0)
    f = x * y
    g = f + x - 2
    return build_graph(g, names={"x": x, "y": y, "f": f, "g": g})


def draw_viz_details():
    """viz.rst: shapes, dtypes and statistics in the labels."""
    w = mg.tensor([[1.0, -2.0], [0.5, 3.0]])
    b = mg.tensor([0.1, -0.1], dtype=np.float32)
    x = np.array([1.0, 2.0])
    out = np.tanh(w @ x + b)
    return build_graph(
        out, names={"w": w, "b": b, "x": x, "out": out}, dims=True, dtypes=True, sum_stats=True
    )


def draw_viz_grads():
    """viz.rst: a snapshot taken before ``backward()``, drawn with the gradients."""
    x = mg.tensor([1.0, 2.0, 3.0])
    y = np.exp(x)
    loss = (y * x).sum()
    kept = snapshot_graph(loss)
    loss.backward()
    return build_graph(kept, names={"x": x, "y": y, "loss": loss}, grads=True)


def draw_viz_elided():
    """viz.rst: a long chain of operations, drawn with ``max_nodes``."""
    x = mg.tensor(0.5)
    h = x
    for _ in range(40):
        h = np.sin(h) * 2
    return build_graph(h, names={"x": x, "h": h}, max_nodes=12)


def draw_viz_left_to_right():
    """viz.rst: the first example, laid out from left to right."""
    x = mg.tensor(2.0)
    y = mg.tensor(3.0)
    f = x * y
    g = f + x - 2
    return build_graph(g, names={"x": x, "y": y, "f": f, "g": g}, rankdir="LR")


DIAGRAMS = {
    "tutorial_network": draw_tutorial_network,
    "viz_names": draw_viz_names,
    "viz_details": draw_viz_details,
    "viz_grads": draw_viz_grads,
    "viz_left_to_right": draw_viz_left_to_right,
    "viz_elided": draw_viz_elided,
}


def render_all(out_dir: Path) -> None:
    """Write ``<name>.svg`` for every diagram into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, draw in DIAGRAMS.items():
        (out_dir / f"{name}.svg").write_bytes(draw().pipe(format="svg"))


if __name__ == "__main__":
    render_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "_generated")
