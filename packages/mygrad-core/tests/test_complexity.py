"""Every operation costs O(1) amortized in the size of the graph and of its history: checked by counting work.

The work of a step is the number of Python function calls it makes into mygrad's own code (profiled with
``sys.setprofile``, the cycle collector off so that nothing else runs in between). A loop's later steps must
cost what its earlier ones did: a step whose cost grows with the number of steps before it makes the loop
quadratic, however fast each step looks on a small example.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import mygrad as mg
from mygrad.testing import no_cycle_collector

SOURCE = str(Path(mg.__file__).parent)


def calls_per_step(step: Callable[[int], object], steps: int) -> list[int]:
    """The number of calls into mygrad's code that each of ``steps`` runs of ``step(i)`` makes."""
    counts = []
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call" and frame.f_code.co_filename.startswith(SOURCE):
            count += 1

    with no_cycle_collector(collect_first=False):
        for i in range(steps):
            count = 0
            sys.setprofile(profile)
            try:
                step(i)
            finally:
                sys.setprofile(None)
            counts.append(count)
    return counts


def assert_flat(counts: list[int]) -> None:
    """The last steps cost no more on average than the first ones (after a few steps of warm-up), give or take
    the occasional step that does amortized work (pruning a list of dead references, say)."""
    early, late = counts[5:25], counts[-20:]
    assert sum(late) <= 1.1 * sum(early), f"the work per step grows: {early} ... {late}"


def views_of_views(x: mg.Tensor) -> list[mg.Tensor]:
    v = x[:, 1:]
    return [v, v[1:], v[1:].T]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda x, views, i: x.__iadd__(1.0),
        lambda x, views, i: views[0].__iadd__(1.0),
        lambda x, views, i: views[1].__imul__(1.0),
        lambda x, views, i: (views[0].__iadd__(1.0), x.__imul__(1.0)),
        lambda x, views, i: x.__setitem__((0, i % 4), float(i)),
        lambda x, views, i: views[2].__setitem__(0, 2.0),
    ],
    ids=["x += c", "view += c", "view of view *= c", "view += c; x *= c", "x[i] = c", "view of view[0] = c"],
)
def test_repeated_in_place_operations_with_views_of_views_alive_cost_the_same_each(mutate):
    x = mg.tensor(np.ones((3, 4)))
    views = views_of_views(x)
    counts = calls_per_step(lambda i: mutate(x, views, i), 120)
    assert_flat(counts)
    assert all(v.base is x for v in views)
    (x * views[0][0, 0]).sum().backward()  # still one differentiable graph


def test_backprop_after_many_in_place_operations_is_linear_in_them():
    def run(n: int) -> int:
        x = mg.tensor(np.ones(4))
        y = x * 1
        reads = []
        for _ in range(n):
            reads.append(y * 2)  # a result computed before the next mutation
            y += 1.0
        loss = mg.add_sequence(*reads) + y.sum()
        return sum(calls_per_step(lambda i: loss.backward(), 1))

    small, large = run(50), run(200)
    assert large <= 4 * small * 1.05, (small, large)


def test_iterating_over_a_tensor_costs_the_same_per_row():
    x = mg.tensor(np.ones((200, 3)))
    rows = iter(x)
    counts = calls_per_step(lambda i: next(rows), 200)
    assert_flat(counts)
