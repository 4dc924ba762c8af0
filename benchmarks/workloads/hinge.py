"""hinge-indexing: the multiclass hinge loss of the seed document's "Advanced Example", on (100, 10) scores.

Advanced-index read of the correct class's score, broadcasting, a boolean-mask assignment and an advanced-index
assignment on an intermediate tensor, a sum; gradient to the scores.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, rng

N_SAMPLES, N_CLASSES = 100, 10


def _arrays() -> Arrays:
    r = rng(2)
    return {
        "scores": 10 * r.random((N_SAMPLES, N_CLASSES)),
        "labels": r.integers(0, N_CLASSES, size=N_SAMPLES),
    }


def _mygrad(arrays: Arrays) -> Step:
    scores = mg.tensor(arrays["scores"])
    labels = (np.arange(N_SAMPLES), arrays["labels"])

    def step() -> Arrays:
        correct = scores[labels]
        margins = scores - correct[:, np.newaxis] + 1.0
        margins[margins <= 0] = 0
        margins[labels] = 0
        loss = margins.sum() / scores.shape[0]
        loss.backward()
        return grads_of(scores=scores)

    return step


def _floor(arrays: Arrays) -> Step:
    scores = arrays["scores"]
    labels = (np.arange(N_SAMPLES), arrays["labels"])

    def step() -> Arrays:
        n = scores.shape[0]
        correct = scores[labels]
        margins = scores - correct[:, np.newaxis] + 1.0
        inside = margins <= 0
        margins[inside] = 0
        margins[labels] = 0
        _loss = margins.sum() / n
        g = np.full(scores.shape, 1.0 / n)  # d loss / d margins, then through both assignments
        g[inside] = 0
        g[labels] = 0
        # margins = scores - correct[:, None] + 1: the gradient to scores is g, plus -sum_j g[i, j] scattered
        # to the correct class of each row (one per row, so a plain indexed add suffices)
        g[labels] -= g.sum(axis=1)
        return {"scores": g}

    return step


def workloads(quick: bool) -> list[Workload]:
    return [
        Workload(
            name="hinge-indexing",
            what=f"seed hinge loss on ({N_SAMPLES}, {N_CLASSES})",
            target=5.0,
            make_arrays=_arrays,
            floor=_floor,
            mygrad=_mygrad,
        )
    ]
