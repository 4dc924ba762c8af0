"""Reliability, family 8: serialization.

``pickle`` (every protocol), ``copy.copy``, ``Tensor.copy``, ``copy.deepcopy`` and ``mg.save``/``mg.load``
round-trip tensors of every kind: leaves with and without a gradient, results in a live graph (with a
gradient from ``backward(create_graph=True)`` too), views and views of views (whose gradient is a view of
their base's), tensors changed in place, constants, integers, booleans, 0-d, size-0, float16/32/64 and
non-contiguous data. Nothing is lost: the data, dtype, shape, constant flag and gradient come back, and the
copy shares no memory with the original, which is left exactly as it was (data, gradient, graph, locks).

What each round trip keeps of the graph is documented (API.md 2.13, docs/tensors.rst): pickling, saving and
``copy.copy``/``Tensor.copy`` give a new leaf (no creator, no base); ``copy.deepcopy`` copies the graph
behind the tensor too: the copy backpropagates into copies of the original leaves, giving them the
gradients the originals get, and a view's deep copy is a view of its base's copy. Where a round trip cannot
be done, the error is clear and leaves nothing behind.
"""

from __future__ import annotations

import copy
import gc
import io
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._core import guard
from mygrad.operation_base import Operation
from mygrad.testing import no_cycle_collector


# ----------------------------------------------------------------------------------------- the originals
def leaf_with_grad() -> dict[str, mg.Tensor]:
    x = mg.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, 4.0]])
    (x * x).sum().backward()
    return {"t": x}


def result_in_a_live_graph() -> dict[str, mg.Tensor]:
    x = mg.tensor([1.0, 2.0, 3.0])
    return {"t": mg.exp(x) * x, "x": x}


def result_with_a_recorded_gradient() -> dict[str, mg.Tensor]:
    x = mg.tensor([1.0, 2.0])
    y = x * x * x
    y.backward(create_graph=True)  # the graph is kept, and every tensor of it has a gradient
    return {"t": y, "x": x}


def view_of_a_leaf() -> dict[str, mg.Tensor]:
    x = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = x[:, 1:]
    (x * x).sum().backward()  # v is not in this graph: its gradient is the view of x's
    return {"t": v, "x": x}


def view_of_a_view() -> dict[str, mg.Tensor]:
    x = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = x.T[1]
    (v * 3).sum().backward()
    return {"t": v, "x": x}


def changed_in_place() -> dict[str, mg.Tensor]:
    x = mg.tensor([1.0, 2.0, 3.0])
    u = x * x  # reads x's old values
    x[0] = 10.0
    return {"t": (u + x).sum(), "x": x, "u": u}


def make(data: Any, **kwargs: Any) -> Callable[[], dict[str, mg.Tensor]]:
    return lambda: {"t": mg.tensor(data, **kwargs)}


def with_seed_gradient(data: Any, dtype: Any) -> Callable[[], dict[str, mg.Tensor]]:
    def build() -> dict[str, mg.Tensor]:
        t = mg.tensor(data, dtype=dtype)
        t.backward(np.arange(t.size, dtype=t.dtype).reshape(t.shape))  # its gradient is the seed
        return {"t": t}

    return build


def fortran_order() -> dict[str, mg.Tensor]:
    t = mg.astensor(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    t.backward(np.full((2, 3), 0.5))
    return {"t": t}


ORIGINALS: dict[str, Callable[[], dict[str, mg.Tensor]]] = {
    "leaf with a gradient": leaf_with_grad,
    "leaf without a gradient": make([1.0, 2.0]),
    "result in a live graph": result_in_a_live_graph,
    "result with a recorded gradient": result_with_a_recorded_gradient,
    "view": view_of_a_leaf,
    "view of a view": view_of_a_view,
    "changed in place": changed_in_place,
    "float constant": make([[1.0, 2.0]], constant=True),
    "integers": make([1, 2, 3]),
    "booleans": make([True, False]),
    "0-d": with_seed_gradient(3.5, np.float64),
    "size-0": with_seed_gradient(np.zeros((0, 3)), np.float64),
    "float16": with_seed_gradient([1.5, -2.0], np.float16),
    "float32": with_seed_gradient([[1.5], [-2.0]], np.float32),
    "non-contiguous (Fortran order)": fortran_order,
}


# ------------------------------------------------------------------------------------------ round trips
def pickled(protocol: int) -> Callable[[mg.Tensor], mg.Tensor]:
    return lambda t: pickle.loads(pickle.dumps(t, protocol=protocol))


def saved_to_buffer(t: mg.Tensor) -> mg.Tensor:
    buffer = io.BytesIO()
    mg.save(buffer, t)
    buffer.seek(0)
    return mg.load(buffer)


def saved_to_path(tmp_path: Path) -> Callable[[mg.Tensor], mg.Tensor]:
    def round_trip(t: mg.Tensor) -> mg.Tensor:
        mg.save(tmp_path / "tensor", t)  # NumPy appends .npz
        return mg.load(tmp_path / "tensor.npz")

    return round_trip


# the round trips that give a new leaf (no graph); name: round trip
LEAF_ROUND_TRIPS: dict[str, Callable[..., Any]] = {
    **{f"pickle protocol {p}": pickled(p) for p in range(pickle.HIGHEST_PROTOCOL + 1)},
    "copy.copy": copy.copy,
    "Tensor.copy": lambda t: t.copy(),
    "mg.save/mg.load (file object)": saved_to_buffer,
}


# -------------------------------------------------------------------------------------------- checking
def lock_table() -> tuple:
    """The memory guard's bookkeeping (mygrad/_core/guard.py)."""
    return guard.snapshot()[:4]


def state_of(t: mg.Tensor) -> tuple:
    grad = t.grad
    return (
        t.data,
        t.data.copy(),
        t.data.flags.writeable,
        None if grad is None else grad.copy(),
        t.constant,
        t.creator,
        t.base,
    )


def assert_state(t: mg.Tensor, before: tuple) -> None:
    """``t`` is exactly as it was."""
    assert t.data is before[0]
    np.testing.assert_array_equal(t.data, before[1])
    assert t.data.flags.writeable == before[2]
    if before[3] is None:
        assert t.grad is None
    else:
        np.testing.assert_array_equal(t.grad, before[3])
    assert t.constant is before[4] and t.creator is before[5] and t.base is before[6]


def assert_same_contents(new: mg.Tensor, original: mg.Tensor) -> None:
    """Data, dtype, shape, constant flag and gradient are the original's, in memory of their own."""
    assert isinstance(new, mg.Tensor) and new is not original
    assert new.dtype == original.dtype and new.shape == original.shape
    np.testing.assert_array_equal(new.data, original.data)
    assert new.constant is original.constant
    assert not np.shares_memory(new.data, original.data)
    if original.grad is None:
        assert new.grad is None
    else:
        assert type(new.grad) is np.ndarray
        assert new.grad.dtype == original.grad.dtype and new.grad.shape == original.grad.shape
        np.testing.assert_array_equal(new.grad, original.grad)
        assert not np.shares_memory(new.grad, original.grad)


@pytest.fixture
def gc_off() -> Iterator[None]:
    with no_cycle_collector():
        yield


# --------------------------------------------------------------------------------- leaf-making round trips
@pytest.mark.parametrize("trip", LEAF_ROUND_TRIPS)
@pytest.mark.parametrize("kind", ORIGINALS)
def test_a_round_trip_to_a_new_leaf(kind: str, trip: str, gc_off: None) -> None:
    tensors = ORIGINALS[kind]()
    original = tensors["t"]
    states = {name: state_of(t) for name, t in tensors.items()}
    locks = lock_table()
    new = LEAF_ROUND_TRIPS[trip](original)
    assert_same_contents(new, original)
    assert new.creator is None and new.base is None  # documented: the graph is not kept
    assert new.data.flags.writeable  # the new leaf is in no graph: nothing locks it
    for name, t in tensors.items():  # the original and its graph are untouched
        assert_state(t, states[name])
    assert lock_table() == locks
    if not new.constant:  # the new leaf is differentiable on its own
        (new * 2).sum().backward()
        np.testing.assert_array_equal(new.grad, np.full(new.shape, 2, dtype=new.dtype))


@pytest.mark.parametrize("kind", ORIGINALS)
def test_save_and_load_through_a_path(kind: str, tmp_path: Path) -> None:
    original = ORIGINALS[kind]()["t"]
    new = saved_to_path(tmp_path)(original)
    assert_same_contents(new, original)
    assert new.creator is None and new.base is None


# ----------------------------------------------------------------------------------------------- deepcopy
def leaves_of(t: mg.Tensor) -> list[mg.Tensor]:
    """The non-constant tensors without a creator that ``t``'s graph reaches (through public attributes)."""
    found, stack, seen = [], [t], set()
    while stack:
        u = stack.pop()
        if id(u) in seen:
            continue
        seen.add(id(u))
        if u.creator is None:
            if not u.constant:
                found.append(u)
        else:
            stack.extend(u.creator.variables)
    return found


def assert_graph_copied(new: mg.Tensor, original: mg.Tensor) -> None:
    """``new``'s creator and base are copies of ``original``'s."""
    if original.creator is None:
        assert new.creator is None
    else:  # the same operations, on copies of the same inputs
        assert type(new.creator) is type(original.creator) and new.creator is not original.creator
        for a, b in zip(new.creator.variables, original.creator.variables):
            assert a is not b
            np.testing.assert_array_equal(a.data, b.data)
            assert not np.shares_memory(a.data, b.data)
    if original.base is None:
        assert new.base is None
    else:  # a view of its base's copy, and so is its gradient
        assert new.base is not original.base
        np.testing.assert_array_equal(new.base.data, original.base.data)
        assert np.shares_memory(new.data, new.base.data)
        if new.grad is not None:
            assert np.shares_memory(new.grad, new.base.grad)


@pytest.mark.parametrize("kind", ORIGINALS)
def test_deepcopy_copies_the_tensor_and_its_graph(kind: str, gc_off: None) -> None:
    tensors = ORIGINALS[kind]()
    original = tensors["t"]
    states = {name: state_of(t) for name, t in tensors.items()}
    locks = lock_table()
    new = copy.deepcopy(original)
    assert_same_contents(new, original)
    for name, t in tensors.items():
        assert_state(t, states[name])
    assert_graph_copied(new, original)
    # a copied graph locks its copies as the original graph locks the originals, until it is freed
    assert new.data.flags.writeable == original.data.flags.writeable
    del new
    if kind == "result with a recorded gradient":
        gc.collect()  # a recorded gradient and the graph it was computed from refer to each other
    assert lock_table() == locks


@pytest.mark.parametrize("kind", [k for k in ORIGINALS if ORIGINALS[k]()["t"].creator is not None])
def test_a_deep_copy_backpropagates_like_the_original(kind: str, gc_off: None) -> None:
    tensors = ORIGINALS[kind]()
    original = tensors["t"]
    names = list(tensors)
    copies = copy.deepcopy([tensors[name] for name in names])  # one memo: the copies share one graph
    copied = dict(zip(names, copies))
    new_leaves = leaves_of(copied["t"])
    assert new_leaves and not {id(u) for u in new_leaves} & {id(u) for u in leaves_of(original)}
    copied["t"].backward()
    new_grads = {name: None if t.grad is None else t.grad.copy() for name, t in copied.items()}
    assert tensors["t"].creator is not None  # backpropagating the copy did not touch the original graph
    original.backward()
    for name, t in tensors.items():
        if t.grad is None:
            assert new_grads[name] is None, name
        else:
            np.testing.assert_array_equal(new_grads[name], t.grad, err_msg=name)


def test_deepcopy_keeps_a_recorded_gradient_differentiable(gc_off: None) -> None:
    tensors = result_with_a_recorded_gradient()
    x2 = copy.deepcopy(tensors["x"])  # a leaf: copied alone, with its gradient as a Tensor
    np.testing.assert_array_equal(x2.grad, [3.0, 12.0])
    y2, x3 = copy.deepcopy([tensors["t"], tensors["x"]])
    assert x3.grad_tensor is not None and x3.grad_tensor is not tensors["x"].grad_tensor
    x3.grad_tensor.sum().backward()  # d/dx sum(3 x**2) = 6 x, through the copied graph
    np.testing.assert_array_equal(x3.grad, [6.0, 12.0])
    np.testing.assert_array_equal(tensors["x"].grad, [3.0, 12.0])  # the original is untouched


@pytest.mark.parametrize("n", [10_000, pytest.param(200_000, marks=pytest.mark.long)])
def test_deepcopy_of_a_deep_graph_needs_no_recursion(n: int, gc_off: None) -> None:
    """An n-operation chain, pickled, deep-copied and backpropagated at a recursion limit of 120."""
    x = mg.tensor(1.0)
    y = x
    for _ in range(n):
        y = y * 1.00001
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)
    try:
        y2 = copy.deepcopy(y)
        restored = pickle.loads(pickle.dumps(y))
    finally:
        sys.setrecursionlimit(limit)
    leaf, depth = y2, 0
    while leaf.creator is not None:  # the copied chain, down to the copy of x
        leaf, depth = leaf.creator.variables[0], depth + 1
    assert depth == n and leaf is not x and leaf.item() == 1.0
    sys.setrecursionlimit(120)
    try:
        y2.backward()
    finally:
        sys.setrecursionlimit(limit)
    np.testing.assert_allclose(leaf.grad, 1.00001**n)
    np.testing.assert_allclose(restored.item(), y.item())
    assert y.creator is not None and x.grad is None  # the original chain is still live, untouched


class HoldsALock(Operation):
    """A user's operation that keeps an object which cannot be copied."""

    def __call__(self, x: mg.Tensor) -> np.ndarray:
        self.variables = (x,)
        self.lock = threading.Lock()
        return 2 * x.data

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        return 2 * grad


def test_deepcopy_of_a_graph_that_cannot_be_copied_is_a_clear_error(gc_off: None) -> None:
    x = mg.tensor([1.0, 2.0])
    y = mg.execute_op(HoldsALock, x * 3)
    locks = lock_table()
    with pytest.raises(TypeError, match="cannot pickle '_thread.lock' object"):
        copy.deepcopy(y)
    assert lock_table() == locks  # the partial copy is gone, and its locks with it
    assert sum(type(o) is HoldsALock for o in gc.get_objects()) == 1  # the original's only
    restored = pickle.loads(pickle.dumps(y))  # pickling never touches the graph: it works
    np.testing.assert_array_equal(restored.data, [6.0, 12.0])
    y.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 6.0])


# ----------------------------------------------------------------------------------------- more cases
def test_tensors_pickled_together_are_restored_apart() -> None:
    """A view and its base pickled in one go come back as two leaves, each with its values and gradient."""
    x = mg.tensor([1.0, 2.0, 3.0])
    v = x[1:]
    (x * x).sum().backward()
    x2, v2 = pickle.loads(pickle.dumps([x, v]))
    assert v2.base is None and not np.shares_memory(x2.data, v2.data)
    np.testing.assert_array_equal(v2.data, [2.0, 3.0])
    np.testing.assert_array_equal(v2.grad, [4.0, 6.0])
    np.testing.assert_array_equal(x2.grad, [2.0, 4.0, 6.0])


def test_complex_data_held_under_no_autodiff() -> None:
    """Complex tensors exist only under no_autodiff (API.md 2.1): pickle and deepcopy keep them, loading or
    copying one into a tracked tensor is refused with the dtype named."""
    with mg.no_autodiff:
        z = mg.tensor([1 + 2j, 3.0])
    assert pickle.loads(pickle.dumps(z)).dtype == np.complex128
    assert copy.deepcopy(z).dtype == np.complex128
    buffer = io.BytesIO()
    mg.save(buffer, z)
    buffer.seek(0)
    with pytest.raises(TypeError, match="got dtype complex128"):
        mg.load(buffer)
    with pytest.raises(TypeError, match="got dtype complex128"):
        z.copy()
    buffer.seek(0)
    with mg.no_autodiff:
        np.testing.assert_array_equal(mg.load(buffer).data, z.data)


def test_a_save_that_another_mygrad_wrote() -> None:
    """A MyGrad 2.x save holds 'data' and 'grad' only: the constant flag is inferred from the dtype."""
    buffer = io.BytesIO()
    np.savez(buffer, data=np.array([1.0, 2.0]), grad=np.array([0.5, -1.0]))
    buffer.seek(0)
    t = mg.load(buffer)
    assert not t.constant and t.creator is None
    np.testing.assert_array_equal(t.grad, [0.5, -1.0])


@given(
    array=hnp.arrays(
        dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.bool_]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    ),
    constant=st.booleans(),
    with_grad=st.booleans(),
)
def test_drawn_tensors_round_trip(array: np.ndarray, constant: bool, with_grad: bool) -> None:
    t = mg.tensor(array, constant=constant or array.dtype.kind != "f")
    if with_grad and not t.constant:
        t.backward(np.full(t.shape, 0.25, dtype=t.dtype))
    for trip in (pickled(pickle.HIGHEST_PROTOCOL), copy.copy, copy.deepcopy, saved_to_buffer):
        new = trip(t)
        assert_same_contents(new, t)
        assert new.creator is None
