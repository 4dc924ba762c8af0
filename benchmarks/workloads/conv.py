"""conv2d: ``conv_nd`` forward and backward, batch 32, 16 -> 32 channels, 32x32 images, 3x3 filters, stride 1.

The upstream gradient is a fixed random array (``out.backward(grad)``); gradients go to the images and the
filters. The floor is the sliding-window formulation: the forward pass and the filters' gradient are
``tensordot`` contractions over a strided window view, the images' gradient adds one matrix product per filter
offset (9) into the matching shifted slice (the fastest of the NumPy formulations tried, ahead of a full
correlation over a padded window view).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, nnet_function, rng

KERNEL = 3


def _arrays(batch: int, c_in: int, c_out: int, size: int) -> Arrays:
    r = rng(4)
    out_size = size - KERNEL + 1
    return {
        "x": r.standard_normal((batch, c_in, size, size)),
        "w": r.standard_normal((c_out, c_in, KERNEL, KERNEL)) / np.sqrt(c_in * KERNEL * KERNEL),
        "grad": r.standard_normal((batch, c_out, out_size, out_size)),
    }


def _mygrad(arrays: Arrays) -> Step:
    conv_nd = nnet_function("conv_nd")
    x, w = mg.tensor(arrays["x"]), mg.tensor(arrays["w"])
    grad = arrays["grad"]

    def step() -> Arrays:
        conv_nd(x, w, stride=1).backward(grad)
        return grads_of(x=x, w=w)

    return step


def _floor(arrays: Arrays) -> Step:
    x, w, grad = arrays["x"], arrays["w"], arrays["grad"]

    def step() -> Arrays:
        k = w.shape[-1]
        windows = sliding_window_view(x, (k, k), axis=(2, 3))  # (N, C, H', W', k, k), no copy
        out = np.tensordot(windows, w, axes=((1, 4, 5), (1, 2, 3))).transpose(0, 3, 1, 2)  # (N, F, H', W')
        h, wd = out.shape[2:]
        g_w = np.tensordot(grad, windows, axes=((0, 2, 3), (0, 2, 3)))  # (F, C, k, k)
        g_x = np.zeros_like(x)
        g_last = grad.transpose(0, 2, 3, 1)  # (N, H', W', F)
        for i in range(k):
            for j in range(k):
                g_x[:, :, i : i + h, j : j + wd] += (g_last @ w[:, :, i, j]).transpose(0, 3, 1, 2)
        return {"x": g_x, "w": g_w}

    return step


def workloads(quick: bool) -> list[Workload]:
    batch = 4 if quick else 32
    return [
        Workload(
            name="conv2d",
            what=f"({batch},16,32,32) * (32,16,3,3), stride 1",
            target=1.0,
            make_arrays=lambda: _arrays(batch, 16, 32, 32),
            floor=_floor,
            mygrad=_mygrad,
        )
    ]
