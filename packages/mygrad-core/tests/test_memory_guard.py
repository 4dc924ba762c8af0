"""Memory guarding: while a graph may still read an array, NumPy refuses to write into it.

An operation recorded with the guard on makes read-only the arrays it keeps (its inputs' data, the arrays those
view, its output) until it is freed: by ``backward()``, ``clear_graph()`` or dropping its result. Arrays that
were read-only already stay so; an array held by two graphs is released when both are gone. The guard is a
per-thread switch (``mem_guard_off``/``mem_guard_on``, ``turn_memory_guarding_off/on``, the environment variable
``MYGRAD_MEM_GUARD`` at import) and is idle under ``no_autodiff``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable

import numpy as np
import pytest

import mygrad as mg


def writeable(array: np.ndarray) -> bool:
    return bool(array.flags.writeable)


def assert_locked(*arrays: np.ndarray) -> None:
    assert not any(writeable(a) for a in arrays), [writeable(a) for a in arrays]


def assert_writeable(*arrays: np.ndarray) -> None:
    assert all(writeable(a) for a in arrays), [writeable(a) for a in arrays]


@pytest.fixture(autouse=True)
def guard_restored():
    """Every test starts with the guard on, and leaves it on (process-wide defaults included)."""
    mg.turn_memory_guarding_on()
    yield
    mg.turn_memory_guarding_on()


# --------------------------------------------------------------------------------- what is locked, when
def graph_with_every_kind_of_array() -> tuple[mg.Tensor, list[np.ndarray]]:
    """A result and the arrays its graph reads: a tensor's data, a NumPy operand, the NumPy base (and view) of
    a tensor made with ``copy=False`` from a view, and the output itself."""
    x = mg.tensor([1.0, 2.0, 3.0])
    operand = np.array([4.0, 5.0, 6.0])
    owner = np.arange(6.0)
    viewing = mg.tensor(owner[::2], copy=False)
    result = (x * operand) + viewing
    return result, [x.data, operand, owner, viewing.data, result.data]


def release_by_backward(result: mg.Tensor) -> None:
    result.backward()


def release_by_clear_graph(result: mg.Tensor) -> None:
    result.clear_graph()


RELEASES = [release_by_backward, release_by_clear_graph]


@pytest.mark.parametrize("release", RELEASES, ids=lambda f: f.__name__)
def test_arrays_are_locked_while_the_graph_lives_and_released_after(release):
    result, arrays = graph_with_every_kind_of_array()
    assert_locked(*arrays)
    release(result)
    assert_writeable(*arrays)


def test_dropping_the_result_releases_its_arrays_at_once():
    result, arrays = graph_with_every_kind_of_array()
    assert_locked(*arrays)
    del result  # no garbage collection needed: nothing refers to the graph any more
    assert_writeable(*arrays)


def test_an_intermediate_result_stays_locked_while_a_later_result_needs_it():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = y * 3
    del y
    assert_locked(x.data, z.data)
    z.backward()
    assert_writeable(x.data, z.data)


# ------------------------------------------------------------------------------------------ write paths
WRITES: dict[str, Callable[[np.ndarray], object]] = {
    "a[0] = 1": lambda a: a.__setitem__(0, 1.0),
    "a[...] = 0": lambda a: a.__setitem__(Ellipsis, 0.0),
    "a += 1": lambda a: a.__iadd__(1.0),
    "np.add(a, 1, out=a)": lambda a: np.add(a, 1.0, out=a),
    "np.sin(a, out=a)": lambda a: np.sin(a, out=a),
    "a.fill(0)": lambda a: a.fill(0.0),
}


def numpys_error(write: Callable, array: np.ndarray) -> str:
    """The message of NumPy's own error for ``write`` into a read-only copy of ``array``."""
    read_only = array.copy()
    read_only.flags.writeable = False
    with pytest.raises(ValueError) as info:
        write(read_only)
    return str(info.value)


@pytest.mark.parametrize("name", WRITES)
def test_every_write_into_a_locked_array_raises_numpys_read_only_error(name):
    write = WRITES[name]
    x = mg.tensor([1.0, 2.0])
    operand = np.array([3.0, 4.0])
    y = x * operand
    for array in (x.data, operand, y.data):
        before = array.copy()
        with pytest.raises(ValueError, match="read-only") as info:
            write(array)
        assert str(info.value) == numpys_error(write, array)
        np.testing.assert_array_equal(array, before)


def test_a_mygrad_ufunc_cannot_write_into_a_locked_array():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with pytest.raises(ValueError, match="read-only"):
        mg.sin(x, out=x.data)
    with pytest.raises(ValueError, match="read-only"):
        np.sin(x, out=y.data)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    np.testing.assert_array_equal(y.data, [2.0, 4.0])


def test_the_data_becomes_writeable_again_for_the_seed_example_update():
    w = mg.tensor(10.0)
    for _ in range(3):
        loss = w**2
        loss.backward()
        w.data -= 0.3 * w.grad  # possible only because backward released the lock
    np.testing.assert_allclose(w.data, 10.0 * 0.4**3)


# -------------------------------------------------------------------------------------- failed backward
def test_a_failed_backward_keeps_the_graph_and_its_locks():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with pytest.raises(ValueError):
        y.backward(np.ones(5))  # a gradient of the wrong shape
    assert y.creator is not None
    assert_locked(x.data, y.data)
    y.backward()  # the graph is intact
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert_writeable(x.data, y.data)


def test_after_a_failed_backward_dropping_the_result_releases():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with pytest.raises(ValueError):
        y.backward(np.ones(5))
    assert_locked(x.data)
    del y
    assert_writeable(x.data)


# ------------------------------------------------------------------------------------ counting, sharing
def test_an_array_that_was_read_only_stays_read_only():
    operand = np.array([1.0, 2.0])
    operand.flags.writeable = False
    t = mg.tensor(np.array([3.0, 4.0]), copy=False)
    t.data.flags.writeable = False
    y = t * operand * mg.tensor(1.0)
    y.backward()
    assert_locked(operand, t.data)


@pytest.mark.parametrize("release", RELEASES, ids=lambda f: f.__name__)
def test_an_array_shared_by_two_graphs_stays_locked_until_both_are_gone(release):
    x = mg.tensor([1.0, 2.0])
    operand = np.array([3.0, 4.0])
    first = x * operand
    second = mg.tensor(5.0) * operand + x
    release(first)
    assert_locked(x.data, operand)
    release(second)
    assert_writeable(x.data, operand)


def test_one_graph_reading_an_array_twice_releases_it_once_gone():
    x = mg.tensor([1.0, 2.0])
    y = x * x + x
    y.backward()
    assert_writeable(x.data)


@pytest.mark.parametrize("release", RELEASES, ids=lambda f: f.__name__)
def test_an_operation_whose_result_is_its_input_array_releases_it_with_the_last_reader(release):
    from mygrad.operation_base import Operation

    class Identity(Operation):  # returns the input's own array: read and result are one array
        def __call__(self, x):
            self.variables = (x,)
            return x.data

        def backward_var(self, grad, index, **kwargs):
            return grad

    x = mg.tensor([1.0, 2.0])
    same = mg.execute_op(Identity, x)
    other = x * 2
    assert same.data is x.data
    release(same)
    assert_locked(x.data)  # `other` still reads it
    release(other)
    assert_writeable(x.data)


@pytest.mark.parametrize("view_first", [True, False], ids=["view released first", "base released first"])
def test_a_view_of_a_locked_array_is_released_only_with_its_base(view_first):
    owner = np.arange(6.0)
    view = owner[::2]
    on_owner = mg.tensor(1.0) * owner
    on_view = mg.tensor(1.0) * view  # locks the view and its base
    first, second = (on_view, on_owner) if view_first else (on_owner, on_view)
    first.clear_graph()
    assert_locked(owner, view)  # the base is still held; NumPy cannot make the view writeable
    second.clear_graph()
    assert_writeable(owner, view)
    view[0] = -1.0
    assert owner[0] == -1.0


def test_a_view_of_a_view_is_released_with_its_owner():
    owner = np.arange(8.0)
    view = owner[::2][1:]
    y = mg.tensor(1.0) * view
    assert_locked(owner, view)
    del y
    assert_writeable(owner, view)


# ------------------------------------------------------------------------------------ tracked in-place
IN_PLACE = {
    "t[0] = 5": lambda t: t.__setitem__(0, 5.0),
    "t[[0, 0]] = v": lambda t: t.__setitem__([0, 0], mg.tensor([5.0, 6.0])),
    "t += 1": lambda t: t.__iadd__(1.0),
    "t *= t": lambda t: t.__imul__(t),
    "np.multiply(t, 2, out=t)": lambda t: np.multiply(t, 2.0, out=t),
    "t[1:] -= 1 (through a view)": lambda t: t[1:].__isub__(1.0),
    "t.fill(0)": lambda t: t.fill(0.0),
}

# the same writes, on a NumPy array: what the tensor must hold afterwards
IN_PLACE_NUMPY = {
    "t[0] = 5": lambda a: a.__setitem__(0, 5.0),
    "t[[0, 0]] = v": lambda a: a.__setitem__([0, 0], [5.0, 6.0]),
    "t += 1": lambda a: a.__iadd__(1.0),
    "t *= t": lambda a: a.__imul__(a),
    "np.multiply(t, 2, out=t)": lambda a: np.multiply(a, 2.0, out=a),
    "t[1:] -= 1 (through a view)": lambda a: a[1:].__isub__(1.0),
    "t.fill(0)": lambda a: a.fill(0.0),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_tracked_in_place_operations_work_on_guarded_tensors(name):
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2
    later = y * 3  # keeps y's current array in a graph
    old = y.data
    assert_locked(old)
    expected = old.copy()
    IN_PLACE_NUMPY[name](expected)
    IN_PLACE[name](y)
    assert y.data is not old  # a new array: the locked one is never written
    np.testing.assert_array_equal(y.data, expected)
    np.testing.assert_array_equal(old, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(later.data, [6.0, 12.0, 18.0])
    assert_locked(old, y.data)  # the new value is the output of a live op
    y.backward()
    later.clear_graph()  # (its backward would find the shared part of the graph cleared)
    assert_writeable(x.data, old, y.data, later.data)


# ------------------------------------------------------------------------------------------- switches
def make_graph() -> tuple[mg.Tensor, mg.Tensor]:
    x = mg.tensor([1.0, 2.0])
    return x, x * 2


def guards() -> bool:
    """Whether an op recorded now locks its input (and mem_guard_active agrees)."""
    x, y = make_graph()
    assert mg.mem_guard_active() is (not writeable(x.data))
    return not writeable(x.data)


def test_mem_guard_off_and_on_as_nested_context_managers():
    assert guards()
    with mg.mem_guard_off:
        assert not guards()
        with mg.mem_guard_on:
            assert guards()
            with mg.mem_guard_off:
                assert not guards()
            assert guards()
        assert not guards()
    assert guards()


def test_mem_guard_switches_as_decorators():
    @mg.mem_guard_off
    def unguarded(inner: Callable[[], bool]) -> tuple[bool, bool]:
        return guards(), inner()

    @mg.mem_guard_on
    def guarded() -> bool:
        return guards()

    assert unguarded(guarded) == (False, True)
    assert unguarded.__name__ == "unguarded"  # functools.wraps
    assert guards()


@pytest.mark.parametrize("switch", [mg.mem_guard_off, mg.mem_guard_on], ids=repr)
def test_mem_guard_switches_are_restored_after_an_exception(switch):
    def boom():
        raise KeyError("boom")

    with mg.mem_guard_off:
        with pytest.raises(KeyError), switch:
            boom()
        assert not mg.mem_guard_active()
        with pytest.raises(KeyError):
            switch(boom)()
        assert not mg.mem_guard_active()
    assert mg.mem_guard_active()


def test_turn_memory_guarding_off_and_on():
    mg.turn_memory_guarding_off()
    assert not mg.mem_guard_active()
    assert not guards()
    with mg.mem_guard_on:
        assert guards()
    assert not guards()
    mg.turn_memory_guarding_on()
    assert mg.mem_guard_active()
    assert guards()


def test_locks_taken_with_the_guard_on_are_released_with_it_off():
    x, y = make_graph()
    with mg.mem_guard_off:
        y.backward()
    assert_writeable(x.data, y.data)


def test_an_unguarded_graph_is_left_writeable_and_backprops():
    with mg.mem_guard_off:
        x, y = make_graph()
        assert_writeable(x.data, y.data)
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert_writeable(x.data, y.data)


# -------------------------------------------------------------------------------------------- threads
def run_in_threads(*targets: Callable[[threading.Barrier], object]) -> list:
    """Run each target in its own thread, all sharing one barrier; return their results (re-raise errors)."""
    barrier = threading.Barrier(len(targets), timeout=10)
    results: list = [None] * len(targets)
    errors: list = []

    def run(i: int) -> None:
        try:
            results[i] = targets[i](barrier)
        except BaseException as e:  # noqa: BLE001  (handed to the main thread)
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def test_the_guard_is_per_thread():
    def unguarded(barrier: threading.Barrier) -> tuple[bool, bool]:
        with mg.mem_guard_off:
            barrier.wait()  # both threads are inside their own setting now
            result = guards(), mg.mem_guard_active()
            barrier.wait()  # ... and stay there until both have looked
        return result

    def guarded(barrier: threading.Barrier) -> tuple[bool, bool]:
        barrier.wait()
        result = guards(), mg.mem_guard_active()
        barrier.wait()
        return result

    assert run_in_threads(unguarded, guarded) == [(False, False), (True, True)]
    assert guards()


def test_dropping_a_result_releases_at_once_while_another_thread_records_graphs():
    stop = threading.Event()

    def busy() -> None:  # takes and releases the guard's locks all the time
        t = mg.tensor(np.ones(3))
        while not stop.is_set():
            (t * 2).sum()

    worker = threading.Thread(target=busy)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, also while the other one holds the guard's mutex
    worker.start()
    late = 0
    try:
        for _ in range(20_000):
            x = mg.tensor([1.0, 2.0])
            y = x * 2
            del y
            late += not writeable(x.data)
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(interval)
    assert late == 0, f"{late} of 20000 arrays were still read-only right after their graph was dropped"


def test_turning_the_guard_off_sets_the_default_of_new_threads():
    mg.turn_memory_guarding_off()
    assert run_in_threads(lambda barrier: guards()) == [False]
    mg.turn_memory_guarding_on()
    assert run_in_threads(lambda barrier: guards()) == [True]


def test_a_thread_inside_mem_guard_off_does_not_change_a_new_threads_default():
    def outer(barrier: threading.Barrier) -> bool:
        with mg.mem_guard_off:
            return run_in_threads(lambda b: guards())[0]

    assert run_in_threads(outer) == [True]


# -------------------------------------------------------------------------------------------- no_autodiff
def test_nothing_is_locked_under_no_autodiff():
    operand = np.array([1.0, 2.0])
    with mg.no_autodiff, mg.mem_guard_on:
        x = mg.tensor([3.0, 4.0])
        y = x * operand
        assert_writeable(x.data, operand, y.data)


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_operations_under_no_autodiff_write_into_the_same_array(name):
    with mg.no_autodiff:
        y = mg.tensor([2.0, 4.0, 6.0])
        data = y.data
        view = y[:2]
        expected = data.copy()
        IN_PLACE[name](y)
        assert y.data is data
        assert np.shares_memory(view.data, data)
    IN_PLACE_NUMPY[name](expected)
    np.testing.assert_array_equal(y.data, expected)
    np.testing.assert_array_equal(view.data, expected[:2])


def test_under_no_autodiff_an_in_place_write_into_a_locked_array_raises():
    x, y = make_graph()
    with mg.no_autodiff, pytest.raises(ValueError, match="read-only"):
        x += 1
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


# ------------------------------------------------------------------------------------ garbage collection
CYCLES = """
import gc
import mygrad as mg

x = mg.tensor([1.0])
gc.set_threshold(10)  # frequent collections, so that one lands inside an operation's locking
for _ in range(2000):
    y = x * 2
    cycle = [y]
    cycle.append(cycle)  # y's graph is freed by the cycle collector, whenever that runs
    del y, cycle
    z = x * 3
print("done")
"""


def test_graphs_freed_by_the_cycle_collector_during_an_operation_do_not_deadlock():
    # A graph in a reference cycle is freed by the collector, which runs at arbitrary allocations: also while
    # an operation holds the memory guard's mutex, and the freed operation's __del__ then releases its arrays,
    # which needs that mutex too. (Found as a hang of this suite; at the default thresholds it is rarer.)
    try:
        run = subprocess.run([sys.executable, "-c", CYCLES], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(
            "deadlock: an operation freed by the cycle collector inside memory locking never returned"
        )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "done"


# ------------------------------------------------------------------------------------ environment variable
PROBE = (
    "import mygrad as mg; x = mg.tensor([1.0]); y = x * 2; "
    "print(mg.mem_guard_active(), x.data.flags.writeable)"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "False True"),
        ("false", "False True"),
        ("False", "False True"),
        ("1", "True False"),
        (None, "True False"),
    ],
)
def test_the_environment_variable_sets_the_guard_at_import(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "MYGRAD_MEM_GUARD"}
    if value is not None:
        env["MYGRAD_MEM_GUARD"] = value
    run = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout.strip() == expected


@pytest.mark.parametrize(
    "write",
    [
        lambda x: x.__setitem__(..., 0.0),
        lambda x: x.__iadd__(1.0),
        lambda x: x[:1].__imul__(2.0),
        lambda x: mg.multiply(x, 2.0, out=x),
        lambda x: x.fill(3.0),
    ],
    ids=["x[...] = c", "x += c", "x[:1] *= c", "out=x", "fill"],
)
def test_an_array_made_read_only_by_its_owner_is_not_written_in_place(write):
    x = mg.tensor([1.0, 2.0])
    x.data.flags.writeable = False
    data = x.data
    with pytest.raises(ValueError, match="read-only"):
        write(x)
    assert x.data is data and x.data.tolist() == [1.0, 2.0] and x.creator is None


def test_an_array_read_only_because_a_graph_reads_it_is_still_written_in_place():
    x = mg.tensor([1.0, 2.0])
    y = x * 2  # locks x's data
    x[...] = 0.0
    assert x.data.tolist() == [0.0, 0.0] and y.data.tolist() == [2.0, 4.0]


def test_a_write_through_another_view_of_an_inputs_memory_is_not_caught():
    # the documented limit (docs/memory.rst, "What is protected, exactly"): NumPy cannot lock a view that
    # existed before the graph read its input, so a write through it goes unnoticed, as in MyGrad 2
    a = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    first = a[0]  # an earlier view of the memory the graph will read
    w = mg.tensor([1.0, 1.0, 1.0])
    f = (w * a[0]).sum()
    with pytest.raises(ValueError, match="read-only"):
        a[0, 0] = 5.0  # the array owning the memory the graph read is locked
    first[0] = 9.0  # accepted
    f.backward()
    assert w.grad.tolist() == [9.0, 1.0, 2.0]
