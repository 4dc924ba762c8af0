"""deep-graph: a chain of 10,000 scalar additions, then backward; million-chain: 10^6 of them, on request.

``y = x + w + w + ... + w`` with 0-d float64 tensors ``x`` and ``w``: every operation is as cheap as NumPy gets,
so the time is the graph's per-node cost, forward and backward, and the depth tests that backpropagation is not
recursive. The floor's backward pass visits every addition, as a hand-written reverse pass through the same
chain would (each addition hands its incoming gradient to both operands). million-chain is not in the suite's
table (a step takes seconds): ``run.py --only million-chain --repeats 3`` builds and backpropagates a graph of
a million operations at the default recursion limit.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of


def _arrays() -> Arrays:
    return {"x": np.array(0.5), "w": np.array(1e-3)}


def _mygrad(arrays: Arrays, n: int) -> Step:
    x, w = mg.tensor(arrays["x"]), mg.tensor(arrays["w"])

    def step() -> Arrays:
        y = x
        for _ in range(n):
            y = y + w
        y.backward()
        return grads_of(x=x, w=w)

    return step


def _floor(arrays: Arrays, n: int) -> Step:
    x, w = arrays["x"], arrays["w"]

    def step() -> Arrays:
        y = x
        for _ in range(n):
            y = y + w
        g = np.ones_like(x)  # d y / d y
        gw = np.zeros_like(w)
        for _ in range(n):  # back through each y_{i+1} = y_i + w: d y_i gets g, d w accumulates g
            gw = gw + g
        return {"x": g, "w": gw}

    return step


def _workload(name: str, n: int, target: float | None, on_request: bool = False) -> Workload:
    return Workload(
        name=name,
        what=f"{n:,} chained scalar additions",
        target=target,
        make_arrays=_arrays,
        floor=lambda arrays: _floor(arrays, n),
        mygrad=lambda arrays: _mygrad(arrays, n),
        ops_per_step=n,
        on_request=on_request,
    )


def workloads(quick: bool) -> list[Workload]:
    return [
        _workload("deep-graph", 2_000 if quick else 10_000, target=4.0),
        _workload("million-chain", 10**5 if quick else 10**6, target=None, on_request=True),
    ]
