"""op-overhead and elementwise-large: one chain of elementwise operations, on 10 elements and on 10^6.

The chain repeats a cycle of five operations, ``y = exp(sin(y * a + b)) / c`` (mul, add, sin, exp, divide),
with ``a``, ``b``, ``c`` parameters of the same shape as ``y``; the loss is ``sum(y)``. Gradients go to the input
``x`` and to ``a``, ``b``, ``c``. Values stay bounded: ``exp(sin(.))`` lies in [1/e, e] and ``c`` in [1.5, 2.5].

On 10 elements the time is almost all per-operation overhead (graph bookkeeping); on 10^6 it is almost all
NumPy's arithmetic, and the peak memory shows how many intermediates and gradients are alive at once.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, rng

OPS_PER_CYCLE = 5


def _arrays(size: int) -> Arrays:
    r = rng(1)
    return {
        "x": r.uniform(-1.0, 1.0, size),
        "a": r.uniform(0.5, 1.5, size),
        "b": r.uniform(-1.0, 1.0, size),
        "c": r.uniform(1.5, 2.5, size),
    }


def _mygrad(arrays: Arrays, cycles: int) -> Step:
    x, a, b, c = (mg.tensor(arrays[k]) for k in "xabc")

    def step() -> Arrays:
        y = x
        for _ in range(cycles):
            y = mg.exp(mg.sin(y * a + b)) / c
        y.sum().backward()
        return grads_of(x=x, a=a, b=b, c=c)

    return step


def _floor(arrays: Arrays, cycles: int) -> Step:
    x, a, b, c = (arrays[k] for k in "xabc")

    def step() -> Arrays:
        saved = []
        y = x
        for _ in range(cycles):
            p = y * a + b
            e = np.exp(np.sin(p))
            saved.append((y, p, e))
            y = e / c
        _loss = y.sum()
        g = np.ones_like(y)  # d loss / d y
        ga, gb, gc = np.zeros_like(a), np.zeros_like(b), np.zeros_like(c)
        for y_in, p, e in reversed(saved):
            ge = g / c  # through y = e / c
            gc -= ge * e / c
            gp = ge * e * np.cos(p)  # through exp, then sin
            gb += gp
            ga += gp * y_in
            g = gp * a
        return {"x": g, "a": ga, "b": gb, "c": gc}

    return step


def _workload(name: str, size: int, n_ops: int, target: float, mem_target: float | None) -> Workload:
    cycles = n_ops // OPS_PER_CYCLE
    return Workload(
        name=name,
        what=f"{cycles * OPS_PER_CYCLE} ops (mul,add,sin,exp,div) on ({size:,},)",
        target=target,
        mem_target=mem_target,
        make_arrays=lambda: _arrays(size),
        floor=lambda arrays: _floor(arrays, cycles),
        mygrad=lambda arrays: _mygrad(arrays, cycles),
        ops_per_step=cycles * OPS_PER_CYCLE,
    )


def workloads(quick: bool) -> list[Workload]:
    return [
        _workload("op-overhead", 10, 200, target=4.0, mem_target=None),
        _workload("elementwise-large", 10**5 if quick else 10**6, 20, target=1.1, mem_target=1.5),
    ]
