"""maxpool2d: ``max_pool`` with a 2x2 window and stride 2 on (32, 32, 32, 32), forward and backward.

The upstream gradient is a fixed random array. The floor takes the maximum over the four strided slices of the
input (one per window offset) and routes each window's gradient to its first maximum, the same tie rule as
mygrad's (the random inputs have no ties anyway).
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, nnet_function, rng

POOL = 2


def _arrays(shape: tuple[int, ...]) -> Arrays:
    r = rng(5)
    out_shape = shape[:2] + tuple(n // POOL for n in shape[2:])
    return {"x": r.standard_normal(shape), "grad": r.standard_normal(out_shape)}


def _mygrad(arrays: Arrays) -> Step:
    max_pool = nnet_function("max_pool")
    x, grad = mg.tensor(arrays["x"]), arrays["grad"]

    def step() -> Arrays:
        max_pool(x, (POOL, POOL), POOL).backward(grad)
        return grads_of(x=x)

    return step


def _floor(arrays: Arrays) -> Step:
    x, grad = arrays["x"], arrays["grad"]
    offsets = [(..., slice(i, None, POOL), slice(j, None, POOL)) for i in range(POOL) for j in range(POOL)]

    def step() -> Arrays:
        parts = [x[o] for o in offsets]
        out = parts[0]
        for part in parts[1:]:
            out = np.maximum(out, part)
        g_x = np.zeros_like(x)
        unclaimed = np.ones(out.shape, dtype=bool)
        for o, part in zip(offsets, parts):
            hit = (part == out) & unclaimed
            np.multiply(grad, hit, out=g_x[o])  # straight into the strided slice of the input's gradient
            unclaimed &= ~hit
        return {"x": g_x}

    return step


def workloads(quick: bool) -> list[Workload]:
    shape = (4, 32, 32, 32) if quick else (32, 32, 32, 32)
    return [
        Workload(
            name="maxpool2d",
            what=f"2x2 stride 2 on {shape}",
            target=1.5,
            make_arrays=lambda: _arrays(shape),
            floor=_floor,
            mygrad=_mygrad,
        )
    ]
