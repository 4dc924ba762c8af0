"""mlp-step: one training step's forward and backward pass of a 784 -> 512 -> 10 MLP, float64 and float32.

``softmax_crossentropy(relu(x @ W1 + b1) @ W2 + b2, labels)`` (mean over the batch of 256), gradients to the
four parameters; the batch ``x`` is a plain array. The parameter update is left out: it is the same NumPy
arithmetic either way.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, nnet_function, rng

N_IN, N_HIDDEN, N_OUT = 784, 512, 10


def _arrays(batch: int, dtype: type) -> Arrays:
    r = rng(3)
    return {
        "x": r.standard_normal((batch, N_IN)).astype(dtype),
        "labels": r.integers(0, N_OUT, size=batch),
        "W1": (r.standard_normal((N_IN, N_HIDDEN)) * np.sqrt(2 / N_IN)).astype(dtype),
        "b1": (0.1 * r.standard_normal(N_HIDDEN)).astype(dtype),
        "W2": (r.standard_normal((N_HIDDEN, N_OUT)) * np.sqrt(1 / N_HIDDEN)).astype(dtype),
        "b2": (0.1 * r.standard_normal(N_OUT)).astype(dtype),
    }


def _mygrad(arrays: Arrays) -> Step:
    relu = nnet_function("relu")
    softmax_crossentropy = nnet_function("softmax_crossentropy")
    x, labels = arrays["x"], arrays["labels"]
    W1, b1, W2, b2 = (mg.tensor(arrays[k]) for k in ("W1", "b1", "W2", "b2"))

    def step() -> Arrays:
        scores = relu(x @ W1 + b1) @ W2 + b2
        softmax_crossentropy(scores, labels).backward()
        return grads_of(W1=W1, b1=b1, W2=W2, b2=b2)

    return step


def _floor(arrays: Arrays) -> Step:
    x, labels = arrays["x"], arrays["labels"]
    W1, b1, W2, b2 = (arrays[k] for k in ("W1", "b1", "W2", "b2"))
    rows = np.arange(len(x))

    def step() -> Arrays:
        pre = x @ W1 + b1
        hidden = np.maximum(pre, 0)
        scores = hidden @ W2 + b2
        shifted = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        _loss = -(shifted[rows, labels] - np.log(total[:, 0])).mean()
        g_scores = exp / total  # softmax - one_hot(labels), over the batch size
        g_scores[rows, labels] -= 1
        g_scores /= len(x)
        g_hidden = g_scores @ W2.T
        g_hidden *= pre > 0  # through relu (a multiply: much faster than a masked assignment)
        return {
            "W1": x.T @ g_hidden,
            "b1": g_hidden.sum(axis=0),
            "W2": hidden.T @ g_scores,
            "b2": g_scores.sum(axis=0),
        }

    return step


def workloads(quick: bool) -> list[Workload]:
    batch = 64 if quick else 256
    return [
        Workload(
            name=f"mlp-step[{np.dtype(dtype).name}]",
            what=f"784-512-10 MLP, batch {batch}, relu, softmax-CE",
            target=1.05,
            make_arrays=lambda dtype=dtype: _arrays(batch, dtype),
            floor=_floor,
            mygrad=_mygrad,
            rtol=rtol,
        )
        for dtype, rtol in ((np.float64, 1e-7), (np.float32, 1e-4))
    ]
