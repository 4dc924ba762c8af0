"""Reliability, family 5: threads. Graph recording and the memory guard are per-thread switches, and threads
that use them at the same time never disturb one another.

8 threads run 150 iterations each (a barrier starts them together and re-aligns them every 10 iterations;
the interpreter switches threads every 10 microseconds), rotating through three kinds of work:

* a plain graph (views, an in-place assignment, broadcasting) whose gradients have a closed form: on
  integer-valued inputs every value is exact, so the gradients are compared exactly; the inputs are locked
  while the graph lives and writeable again after ``backward``;
* the same computation under ``with mg.no_autodiff:``: no graph, nothing locked, the inputs' gradients left
  alone, ``backward`` a no-op;
* the same graph under ``with mg.mem_guard_off:``: nothing locked, the same exact gradients.

Counted: wrong gradients, missing gradients, exceptions, and every other departure from the above (a switch
seen in the wrong state, a lock left behind). All must be 0; afterwards the guard's lock tables are as they
were, and the switches are at their defaults in every worker thread and in the main thread. The counts are
printed (``pytest -s``); the long variant repeats the whole run 20 times.
"""

from __future__ import annotations

import collections
import contextlib
import sys
import threading
import traceback

import numpy as np
import pytest

import mygrad as mg
from mygrad._core import guard, state

N_THREADS = 8
ITERATIONS = 150
REALIGN_EVERY = 10
KINDS = ("plain", "no_autodiff", "mem_guard_off")


def lock_tables() -> tuple:
    """The memory guard's tables: lock counts, views' bases, views waiting for their base, deferred releases."""
    return guard.snapshot()[:4]


def switches() -> tuple:
    """This thread's switches: graph recording, memory guard, and how many switch blocks it is inside."""
    tracking, _, open_entries, _ = state.snapshot()
    return tracking, mg.mem_guard_active(), sum(open_entries)


DEFAULTS = (True, True, 0)


def compute(x: mg.Tensor, y: mg.Tensor) -> mg.Tensor:
    """``f = sum(3 b) + sum(x[1:])`` with ``b = x * y + x**2`` whose first element is then set to 0."""
    b = x * y + x**2
    b[0] = 0.0  # in place, on a non-leaf
    return (b * 3.0).sum() + x[1:].sum()  # x[1:] is a view


def expected_gradients(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """df/dx and df/dy of ``compute``, in closed form."""
    kept = np.ones_like(x)
    kept[0] = 0.0
    dx = 3.0 * (y + 2.0 * x) * kept
    dx[1:] += 1.0
    return dx, 3.0 * x * kept


def worker(seed: int, barrier: threading.Barrier, tallies: dict, problems: list) -> None:
    """One thread's iterations; every departure is counted in ``tallies`` and described in ``problems``."""
    rng = np.random.default_rng(seed)
    tally = collections.Counter()

    def problem(kind: str, what: str) -> None:
        tally[kind] += 1
        if len(problems) < 20:
            problems.append(f"thread {seed}: {what}")

    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        problem("exceptions", "broken barrier at the start")
    for i in range(ITERATIONS):
        kind = KINDS[(seed + i) % len(KINDS)]
        tally[kind] += 1
        # integer-valued floats: every product and sum below is exact, so the gradients are compared exactly
        x_data = rng.integers(-8, 9, size=6).astype(np.float64)
        y_data = rng.integers(-8, 9, size=6).astype(np.float64)
        dx, dy = expected_gradients(x_data, y_data)
        x, y = mg.tensor(x_data), mg.tensor(y_data)
        try:
            if kind == "no_autodiff":
                (x * 2.0).sum().backward()  # gives x a gradient, which the untracked work must leave alone
                with mg.no_autodiff:
                    if switches()[:2] != (False, True):
                        problem("other", f"switches {switches()} inside no_autodiff")
                    f = compute(x, y)
                    f.backward()  # a no-op
                    if f.creator is not None:
                        problem("other", "a graph was recorded under no_autodiff")
                    if not (x.data.flags.writeable and y.data.flags.writeable):
                        problem("other", "arrays were locked under no_autodiff")
                if f.item() != compute_value(x_data, y_data):
                    problem("wrong", f"no_autodiff value {f.item()}")
                if x.grad is None or not np.array_equal(x.grad, np.full(6, 2.0)) or y.grad is not None:
                    problem("wrong", "no_autodiff work changed the inputs' gradients")
            else:
                guard = contextlib.nullcontext() if kind == "plain" else mg.mem_guard_off
                with guard:
                    if switches()[:2] != (True, kind == "plain"):
                        problem("other", f"switches {switches()} in {kind} work")
                    f = compute(x, y)
                    locked = not x.data.flags.writeable
                    if locked != (kind == "plain"):
                        problem("other", f"{kind}: x locked={locked} while its graph lives")
                    if f.creator is None:
                        problem("other", f"{kind}: no graph was recorded")
                    f.backward()
                if f.item() != compute_value(x_data, y_data):
                    problem("wrong", f"{kind} value {f.item()}")
                for name, tensor, expected in (("x", x, dx), ("y", y, dy)):
                    if tensor.grad is None:
                        problem("missing", f"{kind}: {name}.grad is None")
                    elif not np.array_equal(tensor.grad, expected):
                        problem("wrong", f"{kind}: {name}.grad = {tensor.grad}, expected {expected}")
                if not (x.data.flags.writeable and y.data.flags.writeable):
                    problem("other", f"{kind}: a lock outlived backward")
        except Exception:  # counted, and described for the failure message
            problem("exceptions", traceback.format_exc(limit=4))
        if switches() != DEFAULTS:
            problem("other", f"switches {switches()} between iterations")
        if (i + 1) % REALIGN_EVERY == 0:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                problem("exceptions", "broken barrier")
    tally["final switches"] = int(switches() != DEFAULTS)
    tallies[seed] = tally


def compute_value(x: np.ndarray, y: np.ndarray) -> float:
    b = x * y + x**2
    b[0] = 0.0
    return float((b * 3.0).sum() + x[1:].sum())


def run_threads(seed: int = 0) -> collections.Counter:
    """One run of N_THREADS x ITERATIONS; returns the summed tallies (problems raise)."""
    barrier = threading.Barrier(N_THREADS, timeout=60)
    tallies: dict = {}
    problems: list = []
    threads = [
        threading.Thread(target=worker, args=(seed * N_THREADS + k, barrier, tallies, problems), daemon=True)
        for k in range(N_THREADS)
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often: also inside the engine's critical sections
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        sys.setswitchinterval(interval)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert len(tallies) == N_THREADS, "a thread died"
    total = sum(tallies.values(), collections.Counter())
    assert sum(total[kind] for kind in KINDS) == N_THREADS * ITERATIONS
    bad = {key: total[key] for key in ("wrong", "missing", "exceptions", "other", "final switches")}
    assert not any(bad.values()), f"{bad}; first problems: {problems[:5]}"
    return total


def report(total: collections.Counter, runs: int) -> None:
    kinds = ", ".join(f"{total[kind]} {kind}" for kind in KINDS)
    print(
        f"\n[reliability: threads] {runs} run(s) of {N_THREADS} threads x {ITERATIONS} iterations ({kinds}): "
        f"{2 * (total['plain'] + total['mem_guard_off'])} gradients checked exactly; wrong {total['wrong']}, "
        f"missing {total['missing']}, exceptions {total['exceptions']}, other {total['other']}"
    )


@pytest.mark.parametrize("runs", [1, pytest.param(20, marks=pytest.mark.long)])
def test_threads_mixing_plain_graphs_no_autodiff_and_mem_guard_off(runs: int) -> None:
    assert switches() == DEFAULTS
    tables_before = lock_tables()
    total: collections.Counter = collections.Counter()
    for run in range(runs):
        total += run_threads(seed=run)
        assert lock_tables() == tables_before, f"memory locks were left behind after run {run}"
        assert switches() == DEFAULTS, "the main thread's switches changed"
    report(total, runs)


def test_a_thread_inside_a_switch_block_changes_no_other_thread() -> None:
    """While one thread sits inside ``no_autodiff`` and ``mem_guard_off``, the others (and the main thread)
    record guarded graphs; then the roles are swapped."""
    barrier = threading.Barrier(2, timeout=60)
    seen: dict = {}

    def inside() -> None:
        with mg.no_autodiff, mg.mem_guard_off:
            barrier.wait()  # the other thread works now
            seen["inside"] = switches()
            barrier.wait()
        seen["inside after"] = switches()

    def outside() -> None:
        barrier.wait()
        x = mg.tensor([1.0, 2.0])
        f = (x * x).sum()
        seen["outside"] = (switches(), f.creator is not None, x.data.flags.writeable)
        f.backward()
        seen["outside grad"] = x.grad.tolist()
        barrier.wait()

    threads = [threading.Thread(target=inside), threading.Thread(target=outside)]
    for t in threads:
        t.start()
    main_view = switches()
    for t in threads:
        t.join(timeout=60)
    assert seen == {
        "inside": (False, False, 2),
        "inside after": DEFAULTS,
        "outside": (DEFAULTS, True, False),
        "outside grad": [2.0, 4.0],
    }
    assert main_view == DEFAULTS and switches() == DEFAULTS
