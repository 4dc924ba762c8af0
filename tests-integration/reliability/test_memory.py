"""Reliability, family 4: memory. Graphs are freed when dropped, their memory locks go with them, and training
does not grow the process's memory.

* A graph using a broad mix of operations (arithmetic with broadcasting, ufuncs, reductions, matmul and einsum,
  views, advanced indexing, every kind of in-place operation, nnet layers and losses) leaves no tensor and no
  operation alive once backpropagated (or cleared, or not) and dropped: checked by weak references to every
  object of the graph and by a census of the live Tensor and Operation objects, with the cycle collector off,
  so that everything must be freed by reference counting alone.
* The memory guard's lock tables (``mygrad._core.guard``) are back to what they were, and the leaves' arrays
  are writeable again.
* Every kind of in-place operation leaves no reference cycle: a tensor changed in place is freed as soon as
  it is dropped.
* 1,000 steps of training a small MLP (``mygrad.nnet`` layers and loss, SGD updates under ``no_autodiff`` or
  through ``.data``) grow the memory traced by ``tracemalloc`` by less than 64 KiB after a warm-up (the cycle
  collector off). The growth is printed (``pytest -s``); the long variant runs 10,000 steps.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Callable

import numpy as np
import pytest

import mygrad as mg
import mygrad.nnet as nn
from mygrad._core import guard
from mygrad.operation_base import Operation
from mygrad.testing import no_cycle_collector

GROWTH_LIMIT = 64 * 1024  # bytes


# ------------------------------------------------------------------------------------------------ helpers
def lock_tables() -> tuple[dict, dict, list]:
    """Copies of the memory guard's tables: lock counts, views waiting for their base, deferred releases."""
    counts, _, waiting, deferred, _ = guard.snapshot()
    return counts, waiting, deferred


def census() -> dict[str, int]:
    """How many Tensor and Operation objects are alive (both are tracked by the garbage collector)."""
    counts = {"tensors": 0, "operations": 0}
    for obj in gc.get_objects():
        if isinstance(obj, mg.Tensor):
            counts["tensors"] += 1
        elif isinstance(obj, Operation):
            counts["operations"] += 1
    return counts


def graph_objects(*terminals: mg.Tensor) -> list:
    """Every tensor and operation that the terminals' graphs hold: creators, their variables, the stand-ins of
    tensors changed in place and the tensors that views view."""
    seen: dict[int, object] = {}
    stack = list(terminals)
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen:
            continue
        seen[id(obj)] = obj
        if isinstance(obj, Operation):
            stack.extend(obj.variables)
            continue
        stack.append(obj.creator)
        stack.append(obj.base)
        stack.extend(stand_in for _, stand_in in getattr(obj, "_history", None) or ())
    return list(seen.values())


def describe(obj: object) -> str:
    """A short description of a graph object, for failure messages."""
    if isinstance(obj, mg.Tensor):
        creator = type(obj.creator).__name__ if obj.creator is not None else "no creator"
        return f"Tensor(shape={obj.shape}, {creator})"
    return type(obj).__name__


def mixed_graph(x: mg.Tensor, w: mg.Tensor, images: mg.Tensor, filters: mg.Tensor, labels: np.ndarray):
    """A scalar loss from ``x`` (4, 3), ``w`` (3, 5), ``images`` (2, 1, 6, 6), ``filters`` (2, 1, 3, 3) and
    integer ``labels`` (4,), through a broad mix of operations; also returns one intermediate of each kind."""
    h = x @ w  # (4, 5)
    h = h * 2.0 + mg.exp(-h) / 3.0 - mg.log1p(mg.abs(h))  # broadcasting with Python scalars, ufuncs
    h = mg.tanh(h) ** 2
    window = h[1:3]  # a view (basic indexing)
    h2 = h * 1.0
    h2[0] = window.sum(axis=0)  # item assignment on a non-leaf
    h2 += mg.sqrt(mg.abs(h2) + 1.0)  # augmented assignment
    flipped = h2.T  # a view of h2 ...
    flipped[:, 0] = 0.5  # ... written through (h2 changes)
    mg.multiply(h2, 0.5, out=h2)  # out=
    flat = h2.reshape(20)  # a view
    flat.shape = (2, 10)  # reshaped in place
    picked = h2[[0, 2, 3]]  # advanced indexing: a copy
    joined = mg.stack([mg.concatenate([picked, h2[:1]], axis=0), h2 * 0.5])  # (2, 4, 5)
    contracted = mg.einsum("ijk,jk->i", joined, h2)
    stats = (
        mg.maximum(h2, 0.1).max(axis=1).sum()
        + mg.where(h2 > 0.2, h2, 0.0).mean()
        + mg.clip(h2, 0.1, 0.4).std()
    )
    features = nn.relu(nn.max_pool(nn.conv_nd(images, filters, stride=1), (2, 2), 2))  # (2, 2, 2, 2)
    normed = nn.batchnorm(features, eps=1e-5)
    logits = h2[:, :3] + flat.sum()  # (4, 3)
    loss = (
        contracted.sum()
        + stats
        + (normed * features).mean()
        + nn.softmax_crossentropy(logits, labels)
        + nn.softmax(h2).var()
        + mg.logsumexp(h2, axis=1).prod()
    )
    return loss, [h, window, h2, flipped, flat, picked, joined, contracted, stats, features, normed, logits]


@pytest.fixture
def leaves() -> dict:
    rng = np.random.default_rng(0)
    return {
        "x": mg.tensor(rng.normal(size=(4, 3))),
        "w": mg.tensor(rng.normal(size=(3, 5))),
        "images": mg.tensor(rng.normal(size=(2, 1, 6, 6))),
        "filters": mg.tensor(rng.normal(size=(2, 1, 3, 3))),
        "labels": np.array([0, 2, 1, 2]),
    }


# ----------------------------------------------------------------------- graphs are freed when dropped
def backward(loss: mg.Tensor, leaves: dict) -> None:
    loss.backward()
    for name in ("x", "w", "images", "filters"):
        assert leaves[name].grad is not None


def backward_twice_recorded(loss: mg.Tensor, leaves: dict) -> None:
    """The recorded backward pass (create_graph=True) keeps the graph: the recorded gradients refer to it,
    and each tensor of the graph to its own recorded gradient. ``null_grad`` on the leaves lets go of theirs;
    the intermediates and their recorded gradients refer to one another, a cycle that the cycle collector
    frees (PyTorch documents the same cycle between a parameter and its gradient after create_graph=True)."""
    loss.backward(create_graph=True)
    grad_w = leaves["w"].grad_tensor
    assert grad_w is not None
    (grad_w**2).sum().backward()  # a second-order derivative
    del grad_w
    for name in ("x", "w", "images", "filters"):
        leaves[name].null_grad()


SCENARIOS: dict[str, Callable[[mg.Tensor, dict], None]] = {
    "backward": backward,
    "clear_graph": lambda loss, leaves: loss.clear_graph(),
    "dropped without backward": lambda loss, leaves: None,
    "backward(create_graph=True)": backward_twice_recorded,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_tensor_operation_or_lock_outlives_a_dropped_graph(scenario: str, leaves: dict) -> None:
    with no_cycle_collector():
        tables_before = lock_tables()
        census_before = census()
        loss, intermediates = mixed_graph(**leaves)
        kept = {id(v) for v in leaves.values()}  # the user's leaves: they stay
        objects = [obj for obj in graph_objects(loss, *intermediates) if id(obj) not in kept]
        refs = [weakref.ref(obj) for obj in objects]
        n_tensors = sum(isinstance(obj, mg.Tensor) for obj in objects)
        n_ops = sum(isinstance(obj, Operation) for obj in objects)
        assert n_ops >= 60 and n_tensors >= 60, (n_ops, n_tensors)  # the graph is as broad as intended
        assert any(getattr(t, "_history", None) for t in objects if isinstance(t, mg.Tensor))  # in-place ops
        assert lock_tables()[0] != tables_before[0]  # the guard holds the graph's arrays
        assert not leaves["x"].data.flags.writeable

        SCENARIOS[scenario](loss, leaves)
        del loss, intermediates, objects
        if scenario == "backward(create_graph=True)":
            gc.collect()  # see backward_twice_recorded
        alive = [describe(ref()) for ref in refs if ref() is not None]
        assert not alive, f"{len(alive)} objects of the graph are still alive: {alive[:10]}"
        assert census() == census_before
        assert lock_tables() == tables_before, "memory locks were left behind"
        for name in ("x", "w", "images", "filters"):
            assert leaves[name].data.flags.writeable


def test_the_leaves_gradients_hold_no_graph(leaves: dict) -> None:
    """After a plain backward pass, the gradients are arrays: keeping them (and the leaves) keeps nothing else."""
    with no_cycle_collector():
        census_before = census()
        loss, _ = mixed_graph(**leaves)
        loss.backward()
        del loss, _
        assert census() == census_before
        grads = {name: leaves[name].grad for name in ("x", "w", "images", "filters")}
        assert all(type(g) is np.ndarray for g in grads.values())


def test_a_graph_under_mem_guard_off_is_freed_and_leaves_no_locks(leaves: dict) -> None:
    with no_cycle_collector(), mg.mem_guard_off:
        tables_before = lock_tables()
        census_before = census()
        loss, intermediates = mixed_graph(**leaves)
        assert lock_tables() == tables_before  # nothing locked at all
        kept = {id(v) for v in leaves.values()}
        refs = [weakref.ref(obj) for obj in graph_objects(loss, *intermediates) if id(obj) not in kept]
        loss.backward()
        del loss, intermediates
        alive = [describe(ref()) for ref in refs if ref() is not None]
        assert not alive, f"{len(alive)} objects of the graph are still alive: {alive[:10]}"
        assert census() == census_before
        assert lock_tables() == tables_before


def _through_a_view(y: mg.Tensor) -> None:
    every_other = y[::2]
    every_other *= 2.0


def _several(y: mg.Tensor) -> None:
    y += 1.0
    y[0] = y[1] * y[2]
    y *= y
    y.shape = (2, 2)


IN_PLACE: dict[str, Callable[[mg.Tensor], None]] = {
    "augmented assignment reading itself": lambda y: y.__iadd__(y[0] * 2.0),
    "item assignment": lambda y: y.__setitem__(slice(1, None), y[:-1] * 3.0),
    "write through a view": _through_a_view,
    "out=": lambda y: mg.multiply(y, y, out=y),
    "fill": lambda y: y.fill(0.5),
    "shape set in place": lambda y: setattr(y, "shape", (2, 2)),
    "several in a row": _several,
}


@pytest.mark.parametrize("change", IN_PLACE)
def test_a_tensor_changed_in_place_is_freed_by_reference_counting(change: str) -> None:
    """An in-place operation leaves no reference cycle (the tensor's new state reading the tensor itself):
    dropping it frees its graph and releases its locks at once, without the cycle collector."""
    x = mg.tensor([1.0, 2.0, 3.0, 4.0])
    with no_cycle_collector():
        tables_before = lock_tables()
        census_before = census()
        y = x * 1.0
        IN_PLACE[change](y)
        assert y.creator is not None and not x.data.flags.writeable
        refs = [weakref.ref(obj) for obj in graph_objects(y) if obj is not x]
        del y
        alive = [describe(ref()) for ref in refs if ref() is not None]
        assert not alive, f"{len(alive)} objects of the graph are still alive: {alive[:10]}"
        assert census() == census_before
        assert lock_tables() == tables_before
        assert x.data.flags.writeable


# ------------------------------------------------------------------------- training does not grow memory
class MLP:
    """A two-layer perceptron trained by SGD on a fixed data set, one minibatch (a view of the data) a step."""

    def __init__(self, update: str) -> None:
        rng = np.random.default_rng(1)
        self.data = mg.tensor(rng.normal(size=(256, 8)), constant=True)
        self.labels = (self.data.data[:, :4] @ rng.normal(size=(4, 4))).argmax(axis=1)  # learnable classes
        self.params = [
            mg.tensor(nn.he_normal(8, 32).data),
            mg.zeros(32, dtype=np.float64),
            mg.tensor(nn.glorot_uniform(32, 4).data),
            mg.zeros(4, dtype=np.float64),
        ]
        self.update = update
        self.lr = 0.1

    def step(self, i: int) -> float:
        w1, b1, w2, b2 = self.params
        start = (32 * i) % 256
        batch = self.data[start : start + 32]  # a view
        hidden = nn.relu(batch @ w1 + b1)
        loss = nn.softmax_crossentropy(hidden @ w2 + b2, self.labels[start : start + 32])
        loss.backward()
        if self.update == "no_autodiff":
            with mg.no_autodiff:
                for p in self.params:
                    p -= self.lr * p.grad  # in place, untracked
        else:
            for p in self.params:
                p.data -= self.lr * p.grad
        return loss.item()


def traced_growth(model: MLP, steps: int, warm_up: int = 100) -> tuple[int, np.ndarray]:
    """Bytes gained by tracemalloc's traced memory over ``steps`` steps after ``warm_up`` steps, with the
    cycle collector off; and the losses."""
    losses = np.empty(warm_up + steps)  # allocated before measuring
    was_tracing = tracemalloc.is_tracing()
    with no_cycle_collector():
        if not was_tracing:
            tracemalloc.start()
        try:
            for i in range(warm_up):
                losses[i] = model.step(i)
            before = tracemalloc.get_traced_memory()[0]
            for i in range(warm_up, warm_up + steps):
                losses[i] = model.step(i)
            after = tracemalloc.get_traced_memory()[0]
        finally:
            if not was_tracing:
                tracemalloc.stop()
    return after - before, losses


@pytest.mark.parametrize("steps", [1_000, pytest.param(10_000, marks=pytest.mark.long)])
@pytest.mark.parametrize("update", ["no_autodiff", "data"])
def test_training_does_not_grow_traced_memory(update: str, steps: int) -> None:
    tables_before = lock_tables()
    model = MLP(update)
    growth, losses = traced_growth(model, steps)
    print(
        f"\n[reliability: memory] {steps:,} training steps (SGD through {update}) after 100 of warm-up: traced "
        f"memory grew by {growth:,} bytes; loss {losses[:10].mean():.3f} -> {losses[-10:].mean():.3f}"
    )
    assert losses[-10:].mean() < 0.7 * losses[:10].mean(), "the model did not train"
    assert growth < GROWTH_LIMIT, f"traced memory grew by {growth:,} bytes over {steps:,} steps"
    assert lock_tables() == tables_before
    assert all(p.data.flags.writeable for p in model.params)
