"""Reliability, family 7: faults.

A user's operation raises during its forward pass or its backward pass. It is declared both ways a user can:
an ``Operation`` subclass run by ``mg.execute_op`` and an operation made with ``primitive``. After each
fault:

* no memory-guard lock is held that was not held before (the lock table of ``mygrad/_core/guard.py`` is as
  it was, once the exception is dropped; the garbage collector is off, so no lock waits for a collection);
* no half-built graph: the inputs' data, gradients and creators are as they were, and no instance of the
  failing operation is alive;
* an unrelated graph that was live all along backpropagates, and the next computation is correct (its
  gradients are checked against closed forms).

A fault in the middle of backpropagation leaves the documented state (docs/developer.rst, "The graph"): every
gradient computed so far by that pass is dropped (a leaf's gradient from an earlier pass too), and the graph
is left intact and locked, so that the pass can be retried; dropping the result instead frees the graph and
its locks.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from test_serialization import assert_state, state_of  # a tensor exactly as it was

import mygrad as mg
from mygrad._core import guard, state
from mygrad.errors import InvalidGradient
from mygrad.operation_base import Operation, UnaryUfunc, primitive
from mygrad.testing import no_cycle_collector
from mygrad.ufuncs import ufunc_creator


# ------------------------------------------------------------------------------------- faulty operations
class Fault(RuntimeError):
    """The error a user's operation raises."""


class Interrupt(BaseException):
    """Not an Exception: like KeyboardInterrupt, it must not bypass the cleanup either."""


FAULTS = {"forward": None, "backward": None}  # the exception (class) each pass raises, None: no fault


def _maybe_fail(where: str) -> None:
    error = FAULTS[where]
    if error is not None:
        raise error(f"a fault in the {where} pass")


class SquareOp(Operation):
    """f(x) = x**2, a user's Operation subclass that raises when FAULTS says so."""

    def __call__(self, x: mg.Tensor) -> np.ndarray:
        self.variables = (x,)
        _maybe_fail("forward")
        return x.data * x.data

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        _maybe_fail("backward")
        return 2 * grad * self.variables[0].data


def _square_forward(x: np.ndarray) -> np.ndarray:
    _maybe_fail("forward")
    return x * x


def _square_rule(g: Any, out: Any, x: Any) -> Any:
    _maybe_fail("backward")
    return 2 * g * x


SquarePrimitive = primitive("SquarePrimitive", _square_forward, _square_rule)

KINDS = {"Operation subclass": SquareOp, "primitive": SquarePrimitive}


def square(kind: str, x: Any) -> mg.Tensor:
    return mg.execute_op(KINDS[kind], x)


@pytest.fixture(autouse=True)
def no_faults() -> Iterator[None]:
    FAULTS.update(forward=None, backward=None)
    yield
    FAULTS.update(forward=None, backward=None)


@pytest.fixture
def gc_off() -> Iterator[None]:
    """The garbage collector is off: whatever a fault leaves behind must be freed by reference counting."""
    with no_cycle_collector():
        yield


# ------------------------------------------------------------------------------------------------ helpers
def lock_table() -> tuple:
    """The memory guard's bookkeeping (mygrad/_core/guard.py): locks, views' bases, views waiting, queue."""
    return guard.snapshot()


def switches() -> tuple:
    return state.snapshot(), mg.mem_guard_active()


def alive(cls: type) -> int:
    """How many instances of ``cls`` exist (the GC tracks every instance of a class defined in Python)."""
    return sum(type(obj) is cls for obj in gc.get_objects())


class Bystander:
    """A graph that is live while the fault happens and has nothing to do with it: p * q, summed."""

    def __init__(self) -> None:
        self.p = mg.tensor([1.0, -2.0, 3.0])
        self.q = mg.tensor([4.0, 5.0, -6.0])
        self.out = (self.p * self.q).sum()

    def check(self) -> None:
        assert self.out.creator is not None  # still live
        self.out.backward()
        np.testing.assert_array_equal(self.p.grad, self.q.data)
        np.testing.assert_array_equal(self.q.grad, self.p.data)


def assert_next_computation_correct(kind: str) -> None:
    """With no fault: d/dx sum(3 x**2 + x) = 6x + 1, through the user's operation."""
    x = mg.tensor([0.5, -1.0, 2.0])
    y = square(kind, x)
    np.testing.assert_array_equal(y.data, x.data**2)
    (3 * y + x).sum().backward()
    np.testing.assert_allclose(x.grad, 6 * x.data + 1)


# ------------------------------------------------------------------------------------------ forward faults
@pytest.mark.parametrize("error", [Fault, Interrupt])
@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_in_forward(kind: str, error: type[BaseException], gc_off: None) -> None:
    bystander = Bystander()
    x = mg.tensor([1.0, 2.0, 3.0])
    (x * x).sum().backward()  # x has a gradient, and is read by no live graph: writeable
    before, locks, switched = state_of(x), lock_table(), switches()
    FAULTS["forward"] = error
    with pytest.raises(error, match="a fault in the forward pass"):
        square(kind, x)
    assert_state(x, before)
    assert lock_table() == locks
    assert switches() == switched
    assert alive(KINDS[kind]) == 0  # the failed operation is gone: nothing refers to it
    FAULTS["forward"] = None
    bystander.check()
    assert_next_computation_correct(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_in_forward_midway_through_an_expression(kind: str, gc_off: None) -> None:
    """``2 * x + f(x)``: the product was recorded (it locked x's data and, as any operation does, cleared x's
    gradient); when f fails, the product is unreferenced and freed: its lock goes with it."""
    x = mg.tensor([1.0, 2.0, 3.0])
    multiply = type((2 * x).creator)
    data, locks, products = x.data, lock_table(), alive(multiply)
    FAULTS["forward"] = Fault
    with pytest.raises(Fault):
        _ = 2 * x + square(kind, x)
    assert lock_table() == locks
    assert x.data is data and x.data.flags.writeable and x.creator is None
    assert alive(KINDS[kind]) == 0 and alive(multiply) == products
    FAULTS["forward"] = None
    assert_next_computation_correct(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_in_forward_while_the_inputs_are_in_a_live_graph(kind: str, gc_off: None) -> None:
    """The inputs' locks belong to the graph that holds them: the fault neither takes nor releases any."""
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2  # x is read by a live graph: locked
    before, locks = state_of(x), lock_table()
    FAULTS["forward"] = Fault
    with pytest.raises(Fault):
        square(kind, x)
    assert_state(x, before)
    assert not x.data.flags.writeable  # still locked by y's graph
    assert lock_table() == locks
    FAULTS["forward"] = None
    y.backward()  # the live graph is intact
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
    assert x.data.flags.writeable


class WritesIntoItsInput(Operation):
    """A buggy user operation: it writes into its input's data."""

    def __call__(self, x: mg.Tensor) -> np.ndarray:
        self.variables = (x,)
        x.data[...] = 0.0
        return x.data.copy()

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        return grad


def test_the_guard_stops_an_operation_writing_into_an_input_that_a_graph_reads(gc_off: None) -> None:
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * x  # the graph needs x's values for its backward pass
    locks = lock_table()
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        mg.execute_op(WritesIntoItsInput, x)
    np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])
    assert lock_table() == locks and alive(WritesIntoItsInput) == 0
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])  # computed from the values x had


@pytest.mark.parametrize(
    ("result", "error", "match"),
    [
        (["a", "b"], TypeError, r"got dtype <U1"),
        (None, TypeError, r"got dtype object"),
        (np.array([1 + 1j]), TypeError, r"got dtype complex128"),
    ],
    ids=["strings", "None", "complex"],
)
def test_a_forward_that_returns_no_usable_array(result: Any, error: type, match: str, gc_off: None) -> None:
    class ReturnsGarbage(Operation):
        def __call__(self, x: mg.Tensor) -> Any:
            self.variables = (x,)
            return result

        def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
            return grad

    x = mg.tensor([1.0, 2.0])
    y = x * 3
    before, locks = state_of(x), lock_table()
    with pytest.raises(error, match=match):
        mg.execute_op(ReturnsGarbage, x)
    assert_state(x, before)
    assert lock_table() == locks and alive(ReturnsGarbage) == 0
    y.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


# -------------------------------------------------------------------------------- faults inside switches
@pytest.mark.parametrize(
    "contexts",
    [
        [mg.no_autodiff],
        [mg.mem_guard_off],
        [mg.mem_guard_on],
        [mg.mem_guard_off, mg.no_autodiff],
        [mg.no_autodiff, mg.mem_guard_off, mg.mem_guard_on],
    ],
    ids=lambda cs: "+".join(repr(c) for c in cs),
)
@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_inside_switches_restores_them(kind: str, contexts: list, gc_off: None) -> None:
    switched, locks = switches(), lock_table()
    FAULTS["forward"] = Fault

    def run(depth: int = 0) -> None:
        if depth == len(contexts):
            square(kind, mg.tensor([1.0, 2.0]))
            return
        with contexts[depth]:
            run(depth + 1)

    with pytest.raises(Fault):
        run()
    assert switches() == switched and lock_table() == locks
    decorated = contexts[0](lambda: square(kind, mg.tensor([1.0, 2.0])))  # as a decorator too
    with pytest.raises(Fault):
        decorated()
    assert switches() == switched and lock_table() == locks
    FAULTS["forward"] = None
    assert_next_computation_correct(kind)


# --------------------------------------------------------------------------------------- in-place faults
class FaultyUfunc(UnaryUfunc):
    numpy_ufunc = np.sin

    def __call__(self, x1: mg.Tensor, out: Any = None, *, where: Any = True, dtype: Any = None) -> np.ndarray:
        _maybe_fail("forward")
        return super().__call__(x1, out=out, where=where, dtype=dtype)

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        _maybe_fail("backward")
        return grad * np.cos(self.variables[index].data)


@ufunc_creator(FaultyUfunc)
def faulty_sin(
    x1: Any, out: Any = None, *, where: Any = True, dtype: Any = None, constant: Any = None
) -> Any:
    """sin, or a fault."""


@pytest.mark.parametrize("target", ["base", "view"])
def test_a_fault_in_an_operation_writing_into_a_tensor(target: str, gc_off: None) -> None:
    """``faulty_sin(x, out=t)`` fails: t, its base or views, and their graphs are as they were."""
    t = mg.tensor([0.0, 1.0, 2.0])
    v = t[1:]
    u = (v * 2).sum()  # a live graph through the view
    x = mg.tensor([0.5, 0.5])
    out = t if target == "base" else v
    states = {name: state_of(obj) for name, obj in {"t": t, "v": v, "x": x}.items()}
    locks = lock_table()
    FAULTS["forward"] = Fault
    with pytest.raises(Fault):
        faulty_sin(x if target == "view" else mg.tensor([0.5, 0.5, 0.5]), out=out)
    for name, obj in {"t": t, "v": v, "x": x}.items():
        assert_state(obj, states[name])
    assert v.base is t and np.shares_memory(v.data, t.data)
    assert lock_table() == locks and alive(FaultyUfunc) == 0
    u.backward()
    np.testing.assert_array_equal(t.grad, [0.0, 2.0, 2.0])
    FAULTS["forward"] = None  # and the same write without a fault works, differentiably
    v = t[1:]  # (u.backward() disconnected the old view from t: a view of t again)
    s = mg.tensor([0.5, 0.5])
    faulty_sin(s, out=v)
    np.testing.assert_allclose(t.data, [0.0, np.sin(0.5), np.sin(0.5)])
    t.sum().backward()
    np.testing.assert_allclose(s.grad, np.cos([0.5, 0.5]))


# ----------------------------------------------------------------------------------------- backward faults
def build(kind: str) -> dict[str, mg.Tensor]:
    """loss = sum(3 * f(x) + x), f the user's operation: x reaches the loss by two paths."""
    x = mg.tensor([0.5, -1.0, 2.0])
    y = square(kind, x)
    z = 3 * y + x
    return {"x": x, "y": y, "z": z, "loss": z.sum()}


@pytest.mark.parametrize("error", [Fault, Interrupt])
@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_in_backward_leaves_no_gradients_and_the_graph_intact(
    kind: str, error: type[BaseException], gc_off: None
) -> None:
    baseline = lock_table()
    bystander = Bystander()
    g = build(kind)
    x, loss = g["x"], g["loss"]
    x._grad = np.full(3, 7.0)  # a gradient from an earlier pass, say
    creators = {name: t.creator for name, t in g.items()}
    locks = lock_table()
    FAULTS["backward"] = error
    with pytest.raises(error, match="a fault in the backward pass"):
        loss.backward()
    # the documented state: no gradient anywhere in the graph, the graph intact and still locked
    for name, t in g.items():
        assert t.grad is None, name
        assert t.creator is creators[name], name
    assert lock_table() == locks and not x.data.flags.writeable
    bystander.check()
    # so the pass can be retried, and gives the right gradients
    FAULTS["backward"] = None
    loss.backward()
    np.testing.assert_allclose(x.grad, 6 * x.data + 1)
    np.testing.assert_array_equal(g["y"].grad, [3.0, 3.0, 3.0])
    assert all(t.creator is None for t in g.values())  # cleared by the successful pass
    del g, creators, loss, x, bystander
    assert lock_table() == baseline  # the bystander's graph and ours were backpropagated: all released
    assert alive(KINDS[kind]) == 0
    assert_next_computation_correct(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_dropping_a_graph_after_a_backward_fault_frees_it(kind: str, gc_off: None) -> None:
    locks = lock_table()
    g = build(kind)
    FAULTS["backward"] = Fault
    with pytest.raises(Fault):
        g["loss"].backward()
    x = g["x"]
    del g
    assert lock_table() == locks and x.data.flags.writeable
    assert alive(KINDS[kind]) == 0
    FAULTS["backward"] = None
    assert_next_computation_correct(kind)


class Stage(Operation):
    """f(x) = factor * x; its backward pass raises if ``fail`` is set, and records that it ran."""

    ran: list[str] = []

    def __call__(self, x: mg.Tensor, factor: float, name: str, fail: bool = False) -> np.ndarray:
        self.variables = (x,)
        self.factor, self.name, self.fail = factor, name, fail
        return factor * x.data

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        Stage.ran.append(self.name)
        if self.fail:
            raise Fault(f"the backward pass of {self.name} failed")
        return self.factor * grad


def stage(x: Any, factor: float, name: str, fail: bool = False) -> mg.Tensor:
    return mg.execute_op(Stage, x, op_kwargs={"factor": factor, "name": name, "fail": fail})


def test_a_fault_midway_through_backprop(gc_off: None) -> None:
    """x -> A -> B -> C -> loss, and a side branch x -> D -> loss. C's backward pass runs, then B's raises:
    A's never runs. Every gradient of the pass is dropped, those computed before the fault too."""
    Stage.ran.clear()
    x = mg.tensor([1.0, 2.0])
    a = stage(x, 2.0, "A")
    b = stage(a, 3.0, "B", fail=True)
    c = stage(b, 5.0, "C")
    d = stage(x, 7.0, "D")
    loss = (c + d).sum()
    tensors = {"x": x, "a": a, "b": b, "c": c, "d": d, "loss": loss}
    with pytest.raises(Fault, match="the backward pass of B failed"):
        loss.backward()
    assert "C" in Stage.ran and "B" in Stage.ran and "A" not in Stage.ran
    for name, t in tensors.items():
        assert t.grad is None, name
    assert all(t.creator is not None for name, t in tensors.items() if name != "x")
    # a fresh computation from the same leaf works: d/dx sum(30 x + 7 x) = 37
    fresh = (stage(stage(stage(x, 2.0, "A"), 3.0, "B"), 5.0, "C") + stage(x, 7.0, "D")).sum()
    fresh.backward()
    np.testing.assert_array_equal(x.grad, [37.0, 37.0])
    # the failed graph is still live, locked, and backpropagates once its fault is gone
    assert not a.data.flags.writeable
    b.creator.fail = False
    loss.backward()
    np.testing.assert_array_equal(x.grad, [37.0, 37.0])
    np.testing.assert_array_equal(a.grad, [15.0, 15.0])


def test_a_gradient_of_the_wrong_kind_is_a_fault_too(gc_off: None) -> None:
    """``backward_var`` returning something that is not an array: InvalidGradient, with the same cleanup."""

    class ReturnsText(Operation):
        def __call__(self, x: mg.Tensor) -> np.ndarray:
            self.variables = (x,)
            return 2 * x.data

        def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
            return "two"

    x = mg.tensor([1.0, 2.0])
    locks = lock_table()
    y = mg.execute_op(ReturnsText, x) + x
    with pytest.raises(InvalidGradient, match="ReturnsText.backward_var returned str"):
        y.backward()
    assert x.grad is None and y.grad is None and y.creator is not None
    del y
    assert lock_table() == locks and alive(ReturnsText) == 0


def test_a_fault_in_a_recorded_backward_pass(gc_off: None) -> None:
    """``backward(create_graph=True)`` runs a primitive's rules on Tensors: a fault there leaves the same
    state (no gradients, the graph intact), and the retried pass is differentiable."""
    g = build("primitive")
    FAULTS["backward"] = Fault
    with pytest.raises(Fault):
        g["loss"].backward(create_graph=True)
    assert all(t.grad is None for t in g.values())
    assert all(t.creator is not None for name, t in g.items() if name != "x")
    FAULTS["backward"] = None
    g["loss"].backward(create_graph=True)
    x = g["x"]
    np.testing.assert_allclose(x.grad, 6 * x.data + 1)
    x.grad_tensor.sum().backward()  # d/dx sum(6x + 1) = 6
    np.testing.assert_allclose(x.grad, [6.0, 6.0, 6.0])


def test_many_faults_leave_nothing_behind(gc_off: None) -> None:
    """200 alternating faults (forward, backward, both kinds) then one clean pass: no lock, no op left."""
    locks = lock_table()
    for i in range(200):
        kind = list(KINDS)[i % 2]
        where = "forward" if i % 4 < 2 else "backward"
        FAULTS[where] = Fault
        with pytest.raises(Fault):
            build(kind)["loss"].backward()
        FAULTS[where] = None
    assert lock_table() == locks
    assert alive(SquareOp) == 0 and alive(SquarePrimitive) == 0
    for kind in KINDS:
        assert_next_computation_correct(kind)
