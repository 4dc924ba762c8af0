"""The price of a Python object graph alone: op-overhead and deep-graph on the barest reverse-mode engine.

An experiment, not part of the benchmark suite: it swaps mygrad for an engine of its own in the mygrad column.

``Node`` below is what any autodiff library written in Python pays for at the least: a node object per
operation, its parents and gradient rules, a topological order for the backward pass, a Python call per rule.
It has none of mygrad's features: no memory guard, no constants, dtype checks, broadcasting, views, in-place
operations, higher-order rules, or graph clearing. Its ratio to the floor is a lower bound for the per-operation
workloads of a pure-Python design; mygrad's ratio over it is the price of those features::

    python benchmarks/experiments/bare_engine.py    # in an environment where run.py works (nox -s bench's)
    python benchmarks/experiments/bare_engine.py --quick

The gradients are checked against the floor's, and timed as ``run.py`` times every workload.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the harness: benchmarks/
# isort: off
from run import print_variants  # noqa: E402  (first: it pins BLAS to one thread before NumPy is loaded)

# isort: on
import numpy as np  # noqa: E402
from workloads import Workload, deep_graph, elementwise  # noqa: E402

_tick = itertools.count()


class Node:
    __slots__ = ("data", "grad", "parents", "rules", "tick")

    def __init__(self, data: np.ndarray, parents: tuple = (), rules: tuple = ()) -> None:
        self.data = data
        self.grad = None
        self.parents = parents
        self.rules = rules  # rule(g, out, *parents' data) per parent
        self.tick = next(_tick)


def _op(forward, *rules):
    def apply(*nodes: Node) -> Node:
        data = np.asarray(forward(*[n.data for n in nodes]))
        return Node(data, nodes, rules)

    return apply


add = _op(np.add, lambda g, out, x, y: g, lambda g, out, x, y: g)
mul = _op(np.multiply, lambda g, out, x, y: g * y, lambda g, out, x, y: g * x)
div = _op(np.divide, lambda g, out, x, y: g / y, lambda g, out, x, y: -g * out / y)
sin = _op(np.sin, lambda g, out, x: g * np.cos(x))
exp = _op(np.exp, lambda g, out, x: g * out)
total = _op(np.sum, lambda g, out, x: np.broadcast_to(g, x.shape))


def backward(root: Node) -> None:
    nodes, seen, stack = [], {id(root)}, [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    nodes.sort(key=lambda n: n.tick, reverse=True)  # parents were made before their children
    root.grad = np.ones_like(root.data)
    for node in nodes:
        g = node.grad
        if g is None or not node.parents:
            continue
        args = [p.data for p in node.parents]
        for parent, rule in zip(node.parents, node.rules):
            grad = rule(g, node.data, *args)
            parent.grad = grad if parent.grad is None else parent.grad + grad


def _deep(arrays: dict, n: int):
    x, w = Node(arrays["x"]), Node(arrays["w"])

    def step() -> dict:
        x.grad = w.grad = None
        y = x
        for _ in range(n):
            y = add(y, w)
        backward(y)
        return {"x": x.grad, "w": w.grad}

    return step


def _chain(arrays: dict, cycles: int):
    x, a, b, c = (Node(arrays[k]) for k in "xabc")

    def step() -> dict:
        for leaf in (x, a, b, c):
            leaf.grad = None
        y = x
        for _ in range(cycles):
            y = div(exp(sin(add(mul(y, a), b))), c)
        backward(total(y))
        return {k: np.asarray(leaf.grad) for k, leaf in zip("xabc", (x, a, b, c))}

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    chains = {w.name: w for w in deep_graph.workloads(quick) + elementwise.workloads(quick)}
    bare = [
        Workload(**{**vars(chains["op-overhead"]), "mygrad": lambda arrays: _chain(arrays, 40)}),
        Workload(
            **{
                **vars(chains["deep-graph"]),
                "mygrad": lambda arrays: _deep(arrays, 2_000 if quick else 10_000),
            }
        ),
    ]
    print_variants(
        bare, quick, "the bare engine of benchmarks/experiments/bare_engine.py in the mygrad column:"
    )


if __name__ == "__main__":
    main()
