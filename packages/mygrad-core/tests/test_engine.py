"""The backprop engine: gradients, seeds, clearing of grads and graphs, memory, no_autodiff, threads, NumPy
dispatch and failures that must leave everything as it was.

Contract: API.md 2.1-2.3, 2.6, 2.7, 2.14 and ARCHITECTURE.md 2 (iterative backprop, weak forward references,
thread-local state), with our deliberate design decisions: a non-scalar terminal is seeded with ones; backprop
through a cleared graph raises InvalidBackprop; a rule that raises leaves no partial gradients.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import weakref

import numpy as np
import pytest

import mygrad as mg
from mygrad.errors import InvalidBackprop
from mygrad.operation_base import Operation
from mygrad.testing import no_cycle_collector


# ------------------------------------------------------------------------------------------------ helpers
def tracking() -> bool:
    """Whether the calling thread records graphs right now."""
    return (mg.tensor(1.0) * 1.0).creator is not None


def outcome(func, *args):
    """What calling ``func(*args)`` does: ``("ok", value)`` or ``(exception type, None)``."""
    try:
        return ("ok", func(*args))
    except Exception as e:  # comparing behaviours, whatever they are
        return (type(e), None)


def graph_tensors(terminal: mg.Tensor) -> list[mg.Tensor]:
    """Every tensor up-graph of ``terminal`` (itself included), walking the public ``creator.variables``."""
    seen = {id(terminal): terminal}
    stack = [terminal]
    while stack:
        op = stack.pop().creator
        if op is None:
            continue
        for var in op.variables:
            if id(var) not in seen:
                seen[id(var)] = var
                stack.append(var)
    return list(seen.values())


def assert_gradient(tensor: mg.Tensor, expected) -> None:
    """``tensor.grad`` is an ndarray (never a NumPy scalar) of the tensor's dtype and shape, equal to ``expected``."""
    grad = tensor.grad
    assert type(grad) is np.ndarray, f"gradient is a {type(grad).__name__}"
    assert grad.dtype == tensor.dtype
    assert grad.shape == tensor.shape
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


@pytest.fixture
def default_recursion_limit():
    """Run at CPython's default recursion limit (1000), whatever the test session set."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


@pytest.fixture(name="no_cycle_collector")
def _no_cycle_collector():
    """Whatever is freed is freed by reference counting alone (and building big graphs does not trigger
    collections over them)."""
    with no_cycle_collector():
        yield


# ------------------------------------------------------------------------ gradients of small graphs
X = np.array([1.0, -2.0, 0.5])
Y = np.array([3.0, 0.25, -1.0])


def diamond(x, y):
    a = x * 2
    return (a + 1) * (a * 3)  # 12 x**2 + 6 x


def shared_sum(x, y):
    a = x + y
    return a * a + a * y  # d/dx = 2a + y, d/dy = 2a + y + a


def reused_many_times(x, y):
    out = x
    for _ in range(4):
        out = out * x  # x**5
    return out + y * y * y


GRAPHS = [
    pytest.param(lambda x, y: x * x, lambda x, y: (2 * x, None), id="x*x"),
    pytest.param(lambda x, y: x * x * x, lambda x, y: (3 * x**2, None), id="x*x*x"),
    pytest.param(lambda x, y: x + x + y, lambda x, y: (2 + 0 * x, 1 + 0 * y), id="x+x+y"),
    pytest.param(lambda x, y: x * y - y / x, lambda x, y: (y + y / x**2, x - 1 / x), id="mixed"),
    pytest.param(diamond, lambda x, y: (24 * x + 6, None), id="diamond"),
    pytest.param(shared_sum, lambda x, y: (2 * (x + y) + y, 3 * (x + y) + y), id="shared-subexpression"),
    pytest.param(reused_many_times, lambda x, y: (5 * x**4, 3 * y**2), id="reused-many-times"),
    pytest.param(
        lambda x, y: mg.sum(x * y) * mg.sum(x),
        lambda x, y: (y * np.sum(x) + np.sum(x * y), x * np.sum(x)),
        id="reductions",
    ),
]


@pytest.mark.parametrize(("f", "grads"), GRAPHS)
def test_gradients_of_small_graphs(f, grads):
    x, y = mg.tensor(X), mg.tensor(Y)
    out = f(x, y)
    out.backward()
    expected_x, expected_y = grads(X, Y)  # None: y takes no part in the graph
    assert_gradient(x, expected_x)
    if expected_y is None:
        assert y.grad is None
    else:
        assert_gradient(y, expected_y)


def test_the_same_tensor_on_both_sides_of_an_op_0d():
    x = mg.tensor(3.0)
    (x * x).backward()
    assert_gradient(x, 6.0)
    assert x.grad.ndim == 0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
@pytest.mark.parametrize(
    "f",
    [
        lambda x: x * x,
        lambda x: mg.sum(x * 2),
        lambda x: mg.mean(mg.exp(x)),
        lambda x: mg.max(x) + mg.min(x),
        lambda x: x + np.ones((4, *x.shape)),  # broadcast up: summed back to x's shape
        lambda x: mg.square(x).sum(keepdims=True),
    ],
    ids=["x*x", "sum", "mean-exp", "max+min", "broadcast", "keepdims"],
)
def test_gradients_are_ndarrays_of_the_variables_dtype_and_shape(dtype, shape, f):
    x = mg.tensor(np.linspace(0.1, 0.9, int(np.prod(shape))).reshape(shape), dtype=dtype)
    a = x * 1
    out = f(a)
    out.backward()
    for t in (x, a, out):
        assert type(t.grad) is np.ndarray, f"gradient is a {type(t.grad).__name__}"
        assert t.grad.dtype == t.dtype
        assert t.grad.shape == t.shape


def test_gradients_are_cast_to_the_variables_dtype():
    x = mg.tensor([1.0, 2.0], dtype=np.float32)
    y = x * np.array([3.0, 4.0])  # float64 result
    assert y.dtype == np.float64
    y.backward()
    assert_gradient(x, [3.0, 4.0])


def test_broadcast_gradients_are_summed_to_each_inputs_shape():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = mg.tensor([[1.0], [2.0]])
    (x * y).backward()
    assert_gradient(x, [3.0, 3.0, 3.0])
    assert_gradient(y, [[6.0], [6.0]])


# ------------------------------------------------------------------------------------- the seed gradient
def test_a_scalar_terminal_is_seeded_with_one():
    x = mg.tensor(2.0)
    y = x**2
    y.backward()
    assert_gradient(y, 1.0)
    assert_gradient(x, 4.0)


def test_a_non_scalar_terminal_is_seeded_with_ones():
    x = mg.tensor(np.arange(6.0).reshape(2, 3))
    y = x * x
    y.backward()
    assert_gradient(y, np.ones((2, 3)))
    assert_gradient(x, 2 * x.data)
    # the same as backpropagating its sum
    x2 = mg.tensor(np.arange(6.0).reshape(2, 3))
    (x2 * x2).sum().backward()
    np.testing.assert_array_equal(x2.grad, x.grad)


def test_backward_of_a_leaf():
    x = mg.tensor([1.0, 2.0])
    x.backward()
    assert_gradient(x, [1.0, 1.0])
    x.backward(np.array([3.0, 4.0]))
    assert_gradient(x, [3.0, 4.0])


@pytest.mark.parametrize(
    "grad",
    [
        np.array(2.0),
        2.0,
        np.array([1.0, 2.0, 3.0]),
        np.array([[1.0, 2.0, 3.0]]),
        np.arange(6.0).reshape(2, 3),
    ],
    ids=["0-d", "python-float", "row", "1xN", "full"],
)
def test_backward_accepts_a_gradient_that_broadcasts_to_the_tensor(grad):
    x = mg.tensor(np.ones((2, 3)))
    y = x * 5
    y.backward(grad)
    expected = np.broadcast_to(grad, (2, 3))
    assert_gradient(y, expected)
    assert_gradient(x, 5 * expected)


def test_backward_leaves_the_given_gradient_unmodified():
    x = mg.tensor([1.0, 2.0])
    y = x * x
    seed = np.array([1.0, -1.0])
    y.backward(seed)
    np.testing.assert_array_equal(seed, [1.0, -1.0])
    assert_gradient(x, [2.0, -4.0])


def test_backward_accepts_a_tensor_as_the_gradient():
    x = mg.tensor([1.0, 2.0])
    (x * 2).backward(mg.tensor([3.0, 4.0]))
    assert_gradient(x, [6.0, 8.0])


def test_backward_grad_is_cast_to_the_tensors_dtype():
    x = mg.tensor([1.0, 2.0], dtype=np.float32)
    y = x * 2
    y.backward(np.array([1.0, 1.0], dtype=np.float64))
    assert_gradient(y, [1.0, 1.0])
    assert_gradient(x, [2.0, 2.0])


def test_backward_grad_is_not_copied_and_never_written_into():
    # as in MyGrad 2, the array passed is the terminal's `.grad` (a copy of a large gradient costs a pass over
    # memory); the engine adds the gradients that meet at `x` into an array of its own
    x = mg.tensor([1.0, 2.0])
    y = (x + 0) + (x + 0) + x
    seed = np.array([3.0, 4.0])
    y.backward(seed)
    assert y.grad is seed
    assert_gradient(x, [9.0, 12.0])
    np.testing.assert_array_equal(seed, [3.0, 4.0])


@pytest.mark.parametrize(
    "bad_shape",
    [(3, 2), (2,), (2, 2, 3), (1, 2, 3), (4, 1)],
    ids=["transposed", "wrong-row", "extra-axis", "broadcasts-only-the-other-way", "incompatible"],
)
def test_backward_refuses_a_gradient_of_the_wrong_shape_and_changes_nothing(bad_shape):
    x = mg.tensor(np.ones((2, 3)))
    a = x * 2
    y = a + 1
    with pytest.raises(ValueError) as info:
        y.backward(np.ones(bad_shape))
    message = str(info.value)
    assert str(bad_shape) in message and str((2, 3)) in message
    for t in (x, a, y):
        assert t.grad is None
    assert y.creator is not None and a.creator is not None
    y.backward()  # the graph is intact
    assert_gradient(x, 2 * np.ones((2, 3)))


# ------------------------------------------------------------------------------ clearing of gradients
def test_an_op_involving_a_tensor_clears_its_gradient():
    w = mg.tensor([1.0, 2.0])
    (w * w).backward()
    assert w.grad is not None
    _ = w + 1
    assert w.grad is None


def test_gradients_do_not_accumulate_across_backward_passes():
    w = mg.tensor(3.0)
    for expected in (6.0, 6.0, 6.0):
        loss = w**2  # a new op: clears the previous gradient, so no zeroing is needed
        loss.backward()
        assert_gradient(w, expected)


def test_ops_under_no_autodiff_do_not_clear_gradients():
    w = mg.tensor([1.0, 2.0])
    (w * w).backward()
    with mg.no_autodiff:
        _ = w * 10
        _ = mg.sum(w)
    assert_gradient(w, [2.0, 4.0])


def test_intermediate_tensors_keep_their_gradients():
    x = mg.tensor([1.0, 2.0])
    a = x * 3
    b = a * a
    f = b.sum()
    f.backward()
    assert_gradient(f, 1.0)
    assert_gradient(b, [1.0, 1.0])
    assert_gradient(a, 2 * a.data)
    assert_gradient(x, 6 * a.data)


# ------------------------------------------------------------------------------------ clearing the graph
def graph_with_a_constant_branch():
    x = mg.tensor([1.0, 2.0])
    c = mg.tensor([3.0, 4.0], constant=True) * 2  # a constant intermediate, with a creator
    a = x * c
    f = (a + x).sum()
    return x, c, a, f


def test_the_graph_is_cleared_after_backward():
    x, c, a, f = graph_with_a_constant_branch()
    tensors = graph_tensors(f)
    assert any(t.creator is not None for t in tensors)
    f.backward()
    for t in tensors:
        assert t.creator is None, f"{t!r} still has its creator"
    assert_gradient(x, c.data + 1)


def test_backward_releases_the_graph(no_cycle_collector):
    x = mg.tensor([1.0, 2.0])
    a = x * 2
    f = (a * a).sum()
    a_ref = weakref.ref(a)
    op_ref = weakref.ref(a.creator)
    del a
    assert a_ref() is not None  # f's graph holds it
    f.backward()
    assert op_ref() is None
    assert a_ref() is None
    assert_gradient(x, 8 * x.data)


def test_clear_graph():
    x, c, a, f = graph_with_a_constant_branch()
    tensors = graph_tensors(f)
    f.clear_graph()
    assert all(t.creator is None for t in tensors)
    assert x.grad is None


def test_clear_graph_of_an_intermediate_clears_only_what_is_behind_it():
    x = mg.tensor(2.0)
    a = x * 2
    b = a * 3
    f = b + 1
    b.clear_graph()
    assert a.creator is None and b.creator is None
    assert f.creator is not None


# --------------------------------------------------------------------------------------- InvalidBackprop
def backward_twice():
    x = mg.tensor(2.0)
    b = x * 2
    b.backward()
    b.backward()


def two_outputs_sharing_an_intermediate():
    x = mg.tensor(2.0)
    a = x * 2
    b = a + 1
    c = a + 2
    b.backward()
    c.backward()


def backward_after_clear_graph():
    x = mg.tensor(2.0)
    b = (x * 2) * 3
    b.clear_graph()
    b.backward()


def backward_past_a_cleared_intermediate():
    x = mg.tensor(2.0)
    a = x * 2
    f = a * 3
    a.clear_graph()
    f.backward()


@pytest.mark.parametrize(
    "scenario",
    [
        backward_twice,
        two_outputs_sharing_an_intermediate,
        backward_after_clear_graph,
        backward_past_a_cleared_intermediate,
    ],
)
def test_backprop_through_a_cleared_graph_raises(scenario):
    with pytest.raises(InvalidBackprop, match="cleared"):
        scenario()


def test_a_leaf_shared_by_two_independent_graphs_is_fine():
    x = mg.tensor(5.0)
    d = x * 3
    b = x * 2
    b.backward()
    assert_gradient(x, 2.0)
    d.backward()
    assert_gradient(x, 3.0)


def test_a_cleared_result_can_start_a_new_graph_as_a_leaf():
    x = mg.tensor(2.0)
    a = x * 2
    a.backward()
    g = a * 3  # recorded after a's graph was cleared: a is now a leaf
    g.backward()
    assert_gradient(a, 3.0)
    assert_gradient(x, 2.0)  # untouched by the second pass


def test_backward_of_a_constant_clears_its_graph_and_sets_no_gradient():
    x = mg.tensor([1.0, 2.0])
    a = x * 2
    y = mg.add(a, 1.0, constant=True)
    y.backward()
    assert y.creator is None and a.creator is None
    assert x.grad is None and a.grad is None and y.grad is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: mg.tensor([1, 2]),
        lambda: mg.tensor([True]),
        lambda: mg.tensor([1, 2]) * 2,
        lambda: mg.tensor(2.0, constant=True),
    ],
    ids=["integer", "boolean", "integer result", "float constant"],
)
def test_backward_of_an_integer_or_constant_tensor_does_nothing_but_clear_its_graph(make):
    t = make()
    t.backward()
    assert t.grad is None and t.creator is None


def test_invalid_backprop_is_a_mygrad_exception():
    assert issubclass(InvalidBackprop, mg.errors.MyGradException)


# --------------------------------------------------------------------------- a rule that raises midway
class FailingOnce(Operation):
    """f(x, y) = x * y, whose gradient for ``y`` raises on the first backward pass only."""

    failures_left = 0

    def __call__(self, x, y):
        self.variables = (x, y)
        return x.data * y.data

    def backward_var(self, grad, index, **kwargs):
        x, y = self.variables
        if index == 1 and FailingOnce.failures_left:
            FailingOnce.failures_left -= 1
            raise RuntimeError("rule failed")
        return grad * (y.data if index == 0 else x.data)


def test_a_rule_that_raises_leaves_no_partial_gradients_and_the_graph_intact():
    FailingOnce.failures_left = 1
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    a = x + 1  # receives its gradient only if the failing op's rules finish
    prod = mg.execute_op(FailingOnce, a, y)
    f = (prod + x).sum()
    with pytest.raises(RuntimeError, match="rule failed"):
        f.backward()
    for t in (x, y, a, prod, f):
        assert t.grad is None, f"{t!r} kept a partial gradient"
    assert all(t.creator is not None for t in (a, prod, f))
    f.backward()  # retried: now the rule succeeds
    assert_gradient(x, y.data + 1)
    assert_gradient(y, a.data)


# ---------------------------------------------------------------------------------- a very deep graph
def test_a_million_op_chain_backprops_at_the_default_recursion_limit(
    default_recursion_limit, no_cycle_collector
):
    assert sys.getrecursionlimit() == 1000
    x = mg.tensor(2.0)
    y = x
    for _ in range(500_000):
        y = y + 1.0
        y = y * 1.0
    assert y.item() == 500_002.0
    y.backward()
    assert_gradient(x, 1.0)
    assert y.creator is None


def test_a_deep_chain_with_a_non_trivial_gradient(default_recursion_limit, no_cycle_collector):
    x = mg.tensor(1.0)
    y = x
    for i in range(50_000):
        y = y * 1.0 if i % 2 else y + x  # y = x * (number of additions + 1)
    y.backward()
    assert_gradient(x, 25_001.0)


def test_dropping_a_deep_graph_without_backward(default_recursion_limit, no_cycle_collector):
    x = mg.tensor(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y_ref = weakref.ref(y)
    del y
    assert y_ref() is None
    assert tracking()
    (x * 2).backward()  # the leaf at the bottom is still usable
    assert_gradient(x, 2.0)


def test_clear_graph_of_a_deep_graph(default_recursion_limit, no_cycle_collector):
    x = mg.tensor(1.0)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.clear_graph()
    assert y.creator is None


# ---------------------------------------------------------------------------- memory: weak forward refs
def test_dropping_the_last_reference_to_a_result_frees_its_graph(no_cycle_collector):
    x = mg.tensor([1.0, 2.0])
    a = x * 2
    b = a + 1
    a_ref, a_op_ref, b_op_ref = weakref.ref(a), weakref.ref(a.creator), weakref.ref(b.creator)
    del a
    assert a_ref() is not None  # b's op still holds it
    del b
    assert a_ref() is None
    assert a_op_ref() is None
    assert b_op_ref() is None
    (x * 3).backward()  # the leaf is still usable
    assert_gradient(x, [3.0, 3.0])


def test_inputs_hold_no_strong_reference_to_their_consumers(no_cycle_collector):
    x = mg.tensor([1.0, 2.0])
    refs = [weakref.ref(x * i) for i in range(5)]
    assert all(r() is None for r in refs)


# ----------------------------------------------------------------------------------------- no_autodiff
def test_no_autodiff_as_a_context_manager():
    x = mg.tensor([1.0, 2.0])
    with mg.no_autodiff:
        assert not tracking()
        y = x * 2
    assert tracking()
    assert y.creator is None
    assert y.constant is False
    np.testing.assert_array_equal(y.data, [2.0, 4.0])


def test_no_autodiff_as_a_decorator():
    @mg.no_autodiff
    def double(t):
        """Double it."""
        assert not tracking()
        return t * 2

    assert double.__name__ == "double"
    assert double.__doc__ == "Double it."
    y = double(mg.tensor([1.0, 2.0]))
    assert isinstance(y, mg.Tensor)
    assert y.creator is None
    assert tracking()


def test_no_autodiff_with_to_numpy():
    def f(t):
        return t * 2, t + 1

    x = mg.tensor([1.0, 2.0])
    single = mg.no_autodiff(lambda t: t * 2, to_numpy=True)(x)
    assert type(single) is np.ndarray
    np.testing.assert_array_equal(single, [2.0, 4.0])
    pair = mg.no_autodiff(f, to_numpy=True)(x)
    assert isinstance(pair, tuple) and all(type(p) is np.ndarray for p in pair)
    assert isinstance(mg.no_autodiff(f)(x)[0], mg.Tensor)


def test_no_autodiff_nests():
    with mg.no_autodiff:
        with mg.no_autodiff:
            assert not tracking()
        assert not tracking()
        with mg.no_autodiff:
            pass
        assert not tracking()
    assert tracking()


def test_no_autodiff_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError), mg.no_autodiff:
        1 / 0  # noqa: B018
    assert tracking()

    @mg.no_autodiff
    def fails():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fails()
    assert tracking()

    with mg.no_autodiff:
        with pytest.raises(ZeroDivisionError), mg.no_autodiff:
            1 / 0  # noqa: B018
        assert not tracking()
    assert tracking()


def test_backward_is_a_no_op_under_no_autodiff():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with mg.no_autodiff:
        y.backward()
    assert x.grad is None and y.grad is None
    assert y.creator is not None
    y.backward()
    assert_gradient(x, [2.0, 2.0])


# ------------------------------------------------------------------------------------ thread-locality
def test_no_autodiff_is_thread_local():
    iterations = 300
    barrier = threading.Barrier(2, timeout=30)
    errors: list[str] = []
    x = mg.tensor([1.0, 2.0])

    def untracked():
        for i in range(iterations):
            with mg.no_autodiff:
                barrier.wait()  # the other thread now builds and backprops while this one is inside
                y = (x * 2 + 1).sum()
                if y.creator is not None:
                    errors.append(f"untracked iteration {i}: a creator was recorded")
                barrier.wait()

    def tracked():
        for i in range(iterations):
            barrier.wait()
            w = mg.tensor(float(i))
            f = w * w + w
            if f.creator is None:
                errors.append(f"tracked iteration {i}: no creator")
            f.backward()
            if w.grad is None or w.grad != 2 * i + 1:
                errors.append(f"tracked iteration {i}: gradient {w.grad!r}")
            barrier.wait()

    def run(target):
        try:
            target()
        except Exception as e:  # reported below, with the other errors
            errors.append(f"{target.__name__}: {e!r}")
            barrier.abort()

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often
    try:
        threads = [threading.Thread(target=run, args=(f,)) for f in (untracked, tracked)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(old_interval)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert tracking()


def test_a_new_thread_starts_tracking_even_if_another_thread_is_inside_no_autodiff():
    seen = []
    with mg.no_autodiff:
        t = threading.Thread(target=lambda: seen.append(tracking()))
        t.start()
        t.join()
    assert seen == [True]


# ----------------------------------------------------------------------------- NumPy's functions
CONSTANT_ONLY = [
    (np.floor_divide, 2),
    (np.remainder, 2),
    (np.mod, 2),
    (np.fmod, 2),
    (np.divmod, 2),
    (np.rint, 1),
    (np.sign, 1),
    (np.floor, 1),
    (np.ceil, 1),
    (np.trunc, 1),
]


@pytest.mark.parametrize(("ufunc", "nin"), CONSTANT_ONLY, ids=[u.__name__ for u, _ in CONSTANT_ONLY])
def test_constant_only_ufuncs_refuse_differentiable_tensors(ufunc, nin):
    x = mg.tensor([1.5, -2.5])
    args = (x, 2.0)[:nin]
    with pytest.raises(ValueError, match="cannot involve non-constant mygrad tensors"):
        ufunc(*args)


@pytest.mark.parametrize(("ufunc", "nin"), CONSTANT_ONLY, ids=[u.__name__ for u, _ in CONSTANT_ONLY])
def test_constant_only_ufuncs_run_on_constants(ufunc, nin):
    x = mg.tensor([1.5, -2.5], constant=True)
    result = ufunc(*(x, 2.0)[:nin])
    expected = ufunc(*(x.data, 2.0)[:nin])
    if ufunc is not np.divmod:  # the one with two outputs
        result, expected = (result,), (expected,)
    assert len(result) == len(expected)
    for got, want in zip(result, expected):
        assert type(got) is np.ndarray
        np.testing.assert_array_equal(got, want)


def test_floor_division_operator_refuses_a_differentiable_tensor():
    with pytest.raises(ValueError, match="non-constant"):
        mg.tensor([3.0]) // 2
    np.testing.assert_array_equal(mg.tensor([7, 8]) // 2, [3, 4])


@pytest.mark.parametrize(
    "call",
    [
        lambda t: np.median(t),
        lambda t: np.percentile(t, 50),
        lambda t: np.cov(t),
        lambda t: np.convolve(t, t),
        lambda t: np.unique(t),
        lambda t: np.argsort(t),
    ],
    ids=["median", "percentile", "cov", "convolve", "unique", "argsort"],
)
def test_numpy_functions_without_an_implementation_raise_type_error(call):
    with pytest.raises(TypeError, match="no implementation found"):
        call(mg.tensor([1.0, 2.0, 3.0]))


NO_DIFF = [
    ("allclose", lambda f, t, i: f(t, t)),
    ("isclose", lambda f, t, i: f(t, t)),
    ("shares_memory", lambda f, t, i: f(t, t)),
    ("may_share_memory", lambda f, t, i: f(t, t)),
    ("shape", lambda f, t, i: f(t)),
    ("result_type", lambda f, t, i: f(t, i)),
    ("can_cast", lambda f, t, i: f(t, np.float32)),
    ("min_scalar_type", lambda f, t, i: f(i)),
    ("bincount", lambda f, t, i: f(i)),
]


@pytest.mark.parametrize(("name", "call"), NO_DIFF, ids=[n for n, _ in NO_DIFF])
def test_non_differentiable_numpy_functions_give_numpys_results(name, call):
    func = getattr(np, name)
    assert getattr(mg, name) is func
    t = mg.tensor([1.0, 2.0, 3.0])
    i = mg.tensor([1, 0, 3])
    result = call(func, t, i)
    expected = call(func, t.data, i.data)
    assert not isinstance(result, mg.Tensor)
    assert type(result) is type(expected)
    np.testing.assert_array_equal(result, expected)


def test_copyto_copies_a_tensors_data_into_an_array():
    assert mg.copyto is np.copyto
    dst = np.zeros(3)
    np.copyto(dst, mg.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(dst, [1.0, 2.0, 3.0])


def test_asarray_gives_the_tensors_own_data():
    t = mg.tensor([1.0, 2.0])
    assert np.asarray(t) is t.data
    assert mg.asarray(t) is t.data
    a = np.array(t)
    assert type(a) is np.ndarray and not np.shares_memory(a, t.data)
    np.testing.assert_array_equal(a, t.data)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"copy": False},
        {"copy": True},
        {"dtype": np.float64, "copy": False},
        {"dtype": np.float32},
        {"dtype": np.float32, "copy": False},
    ],
    ids=["default", "no-copy", "copy", "same-dtype-no-copy", "cast", "cast-no-copy"],
)
@pytest.mark.parametrize("convert", [np.asarray, np.array], ids=["asarray", "array"])
def test_array_conversion_copies_exactly_when_an_ndarray_would(convert, kwargs):
    """``__array__(dtype, copy)`` follows NumPy 2's protocol: ``copy=False`` raises if a copy is needed."""
    t = mg.tensor([1.0, 2.0])

    def conversion(obj):
        result = convert(obj, **kwargs)
        return type(result), result.dtype, np.shares_memory(result, t.data)

    got = outcome(conversion, t)
    want = outcome(conversion, t.data)
    assert got[0] == want[0]
    if got[0] == "ok":
        assert got[1] == want[1]


# ------------------------------------------------------------------ failures leave everything unchanged
BAD_CALLS = [
    pytest.param(lambda leaf, mid: mg.add(leaf, "text"), TypeError, id="str-operand"),
    pytest.param(
        lambda leaf, mid: mid * np.array([None, None], dtype=object), TypeError, id="object-operand"
    ),
    pytest.param(lambda leaf, mid: mg.multiply(leaf, 1j), TypeError, id="complex-operand"),
    pytest.param(lambda leaf, mid: mg.sum(leaf, axis=5), np.exceptions.AxisError, id="bad-axis"),
    pytest.param(lambda leaf, mid: mg.mean(mid, axis=-3), np.exceptions.AxisError, id="bad-negative-axis"),
    pytest.param(lambda leaf, mid: mg.add(leaf, mg.tensor([1.0, 2.0, 3.0])), ValueError, id="shape-mismatch"),
    pytest.param(lambda leaf, mid: mid.reshape(4), ValueError, id="bad-reshape"),
    pytest.param(lambda leaf, mid: mg.matmul(leaf, mid), ValueError, id="matmul-mismatch"),
]


@pytest.mark.parametrize(("call", "error"), BAD_CALLS)
def test_a_failing_call_leaves_its_inputs_unchanged(call, error):
    leaf = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    (leaf * 3).backward()  # the leaf has a gradient
    w = mg.tensor([[1.0], [2.0], [3.0]])
    mid = w * 2  # an intermediate with a live creator
    snapshot = [(t, t.data, t.data.copy(), t.grad, t.creator) for t in (leaf, w, mid)]
    with pytest.raises(error):
        call(leaf, mid)
    for t, data, values, grad, creator in snapshot:
        assert t.data is data
        np.testing.assert_array_equal(t.data, values)
        assert t.grad is grad
        assert t.creator is creator
    mid.backward()  # the graph still works
    assert_gradient(w, [[2.0], [2.0], [2.0]])


def test_the_axis_error_is_a_value_error_and_an_index_error():
    with pytest.raises(ValueError):
        mg.sum(mg.tensor([1.0]), axis=5)
    with pytest.raises(IndexError):
        mg.sum(mg.tensor([1.0]), axis=5)


def test_held_intermediates_keep_their_gradients():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = mg.exp(y)
    (z * 3).sum().backward()
    assert np.allclose(z.grad, [3.0, 3.0])
    assert np.allclose(y.grad, 3 * np.exp(y.data))
    assert np.allclose(x.grad, 6 * np.exp(y.data))


def test_an_intermediate_reachable_only_through_an_operation_keeps_its_gradient():
    # every tensor of the graph keeps its gradient, however the user reaches it: here through the creator of
    # a result that is gone (whether a gradient is still reachable is not the engine's to guess)
    x = mg.tensor([1.0, 2.0])
    product = mg.exp(x * 2) * 3
    creator = product.creator  # Multiply(exp(x * 2), 3)
    total = product.sum()
    del product
    total.backward()
    assert np.allclose(creator.variables[0].grad, [3.0, 3.0])
    assert np.allclose(x.grad, 6 * np.exp(2 * x.data))


def test_intermediates_held_only_through_a_container_keep_their_gradients():
    x = mg.tensor([1.0, 2.0])
    pair = (x * 1, x * 2)  # the tuple mg.stack reads: the operation may keep this very tuple
    mg.stack(pair).backward()
    assert [t.grad.tolist() for t in pair] == [[1.0, 1.0], [1.0, 1.0]]
    rows = [x * 3, x * 4]
    mg.concatenate(rows).backward()
    assert [t.grad.tolist() for t in rows] == [[1.0, 1.0], [1.0, 1.0]]


def test_a_tensor_held_elsewhere_keeps_its_gradient():
    x = mg.tensor([1.0, 2.0])
    hidden = [mg.sin(x)]  # held by a container, not a variable of this frame
    (hidden[0] ** 2).sum().backward()
    assert np.allclose(hidden[0].grad, 2 * np.sin(x.data))


# --------------------------------------------------------------------------------- gradients own their memory
def test_gradients_of_different_tensors_never_share_memory():
    w1, w2 = mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])
    ((w1 + w2) * 3.0).sum().backward()  # the addition hands both inputs the same gradient
    assert not np.shares_memory(w1.grad, w2.grad)
    w1.grad[...] = 0
    assert w2.grad.tolist() == [3.0, 3.0]


@pytest.mark.parametrize(
    "f",
    [
        lambda x: x.reshape(2, 2),
        lambda x: x.reshape(2, 2).T,
        lambda x: +x.reshape(2, 2),
        lambda x: x[None].reshape(2, 2),
    ],
    ids=["reshape", "transposed reshape", "positive", "expanded"],
)
def test_a_gradient_never_shares_memory_with_the_array_passed_to_backward(f):
    x = mg.tensor([1.0, 2.0, 3.0, 4.0])
    g = np.arange(4.0).reshape(2, 2)
    f(x).backward(g)
    before = x.grad.copy()
    g[...] = 7.0
    assert np.array_equal(x.grad, before)


def test_intermediate_gradients_and_their_inputs_gradients_are_independent():
    # (a view's gradient is the view of its base's, by design: y's and x's share memory as their data do)
    x = mg.tensor([1.0, 2.0])
    y = x.reshape(2, 1)
    z = +y.T
    z.backward(np.array([[1.0, 2.0]]))
    for a, b in [(x, z), (y, z), (y.T, z)]:
        assert not np.shares_memory(a.grad, b.grad)


# --------------------------------------------------------------------------------- the Operation protocol
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda x: mg.exp(x), lambda x: np.exp(x)),
        (lambda x: x * x, lambda x: 2 * x),
        (lambda x: mg.sqrt(x), lambda x: 0.5 / np.sqrt(x)),
        (lambda x: x.sum(), lambda x: np.ones_like(x)),
        (lambda x: x[::-1], lambda x: np.ones_like(x)),
    ],
    ids=["exp", "square", "sqrt", "sum", "getitem"],
)
def test_mygrads_own_operations_honour_the_public_backward_protocol(make, expected):
    x = mg.tensor([1.0, 2.0])
    op = make(x).creator
    op.backward(np.ones(np.shape(make(x).data)))  # as a user (or MyGrad 2's engine) calls it
    np.testing.assert_allclose(x.grad, expected(x.data))


def test_a_users_backward_override_runs_in_first_order_and_recorded_passes():
    calls = []

    class Twice(Operation):
        def __call__(self, x):
            self.variables = (x,)
            return 2 * x.data

        def backward_var(self, grad, index, **kwargs):
            return 2 * grad

        def backward(self, grad, **kwargs):
            calls.append(type(grad).__name__)
            super().backward(grad, **kwargs)

    x = mg.tensor(3.0)
    mg.execute_op(Twice, x).backward()
    mg.grad(lambda t: mg.execute_op(Twice, t))(3.0)
    assert calls == ["ndarray", "Tensor"]


# ------------------------------------------------------------------------- switches: context variables
SWITCHES = {"no_autodiff": mg.no_autodiff, "mem_guard_off": mg.mem_guard_off, "mem_guard_on": mg.mem_guard_on}


def recording_and_guard() -> tuple:
    x = mg.tensor(2.0)
    (x * 3).backward()
    return x.grad is not None, mg.mem_guard_active()


def test_switches_held_across_awaits_by_two_tasks_leave_nothing_behind():
    async def hold(switch, started, release):
        with switch:
            started.set()
            await release.wait()

    async def main(first, second):
        started = [asyncio.Event(), asyncio.Event()]
        release = [asyncio.Event(), asyncio.Event()]
        tasks = [asyncio.create_task(hold(s, e, r)) for s, e, r in zip((first, second), started, release)]
        for event in started:
            await event.wait()
        assert recording_and_guard() == (True, True)  # this task is in neither block
        release[0].set()  # the first task leaves first: out of order with respect to how they entered
        await tasks[0]
        release[1].set()
        await tasks[1]

    for first, second in [
        ("no_autodiff", "mem_guard_off"),
        ("no_autodiff", "no_autodiff"),
        ("mem_guard_off", "mem_guard_on"),
    ]:
        asyncio.run(main(SWITCHES[first], SWITCHES[second]))
        assert recording_and_guard() == (True, True), (first, second)


def test_a_generator_left_inside_a_switch_and_closed_inside_another_restores_both():
    def gen():
        with mg.no_autodiff:
            yield 1
            yield 2

    g = gen()
    next(g)
    with mg.mem_guard_on:
        g.close()
    assert recording_and_guard() == (True, True)
    g = gen()
    next(g)
    with mg.mem_guard_off:
        del g
    assert recording_and_guard() == (True, True)


def test_turning_the_guard_off_leaves_running_threads_as_they_were():
    seen = []
    started, turned = threading.Event(), threading.Event()

    def worker():
        seen.append(mg.mem_guard_active())
        started.set()
        turned.wait()
        seen.append(mg.mem_guard_active())

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    mg.turn_memory_guarding_off()
    try:
        turned.set()
        thread.join()
        later = []
        newcomer = threading.Thread(target=lambda: later.append(mg.mem_guard_active()))
        newcomer.start()
        newcomer.join()
        assert seen == [True, True] and later == [False] and not mg.mem_guard_active()
    finally:
        mg.turn_memory_guarding_on()
    assert mg.mem_guard_active()


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_decorated_generators_run_every_step_under_the_switch(name):
    switch = SWITCHES[name]

    @switch
    def steps(x):
        yield x * 2, mg.mem_guard_active()
        yield x * 3, mg.mem_guard_active()

    expected_guard = {"no_autodiff": True, "mem_guard_off": False, "mem_guard_on": True}[name]
    x = mg.tensor([1.0, 2.0])
    for y, guard in steps(x):
        assert (y.creator is None) == (name == "no_autodiff")
        assert guard is expected_guard
        assert recording_and_guard() == (True, True)  # between the steps, the caller's own switches


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_decorated_coroutines_and_async_generators_run_under_the_switch(name):
    switch = SWITCHES[name]
    expected_guard = {"no_autodiff": True, "mem_guard_off": False, "mem_guard_on": True}[name]

    @switch
    async def twice(x):
        await asyncio.sleep(0)
        return x * 2, mg.mem_guard_active()

    @switch
    async def steps(x):
        yield x * 2, mg.mem_guard_active()
        await asyncio.sleep(0)
        yield x * 3, mg.mem_guard_active()

    async def main():
        x = mg.tensor([1.0, 2.0])
        results = [await twice(x)] + [step async for step in steps(x)]
        for y, guard in results:
            assert (y.creator is None) == (name == "no_autodiff")
            assert guard is expected_guard
        assert recording_and_guard() == (True, True)

    asyncio.run(main())


@pytest.mark.parametrize("name", sorted(SWITCHES))
@pytest.mark.parametrize("bad", [5, "f", None], ids=repr)
def test_a_switch_refuses_to_decorate_what_is_not_callable_at_once(name, bad):
    with pytest.raises(TypeError, match=f"mygrad.{name} decorates a function"):
        SWITCHES[name](bad)
