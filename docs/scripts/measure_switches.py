"""Time many small operations with the memory guard on, with it off, and under ``no_autodiff``.

The numbers quoted in ``docs/memory.rst`` come from this script::

    python docs/scripts/measure_switches.py

Two workloads, each a loop over tiny tensors (shape ``(4,)``) where the per-operation overhead of
mygrad dominates the arithmetic:

* forward: ``loss = ((x * w + b) ** 2).sum()``: four recorded operations per step;
* forward+backward: the same, then ``loss.backward()``.

Each is timed with the guard on (mygrad's default), inside ``mg.mem_guard_off`` and inside
``mg.no_autodiff`` (forward only: there is nothing to backpropagate); the forward arithmetic on plain NumPy
arrays is the floor. Every case keeps the best of many short runs, the cases taking turns. The script
prints a reST table of the time per step and of the speed-up over the default.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import time
from collections.abc import Callable

import numpy as np

import mygrad as mg


def _forward(x, w, b) -> None:
    ((x * w + b) ** 2).sum()


def _forward_backward(x, w, b) -> None:
    ((x * w + b) ** 2).sum().backward()


def _time(step: Callable[[], None], steps: int) -> float:
    """The time of ``steps`` calls of ``step``, per call, in microseconds."""
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps * 1e6


def measure(steps: int, repeats: int) -> dict[tuple[str, str], float]:
    """The best time per step of each (workload, mode). The cases take turns, one run each per round, so
    that a machine busy with something else slows them all alike rather than some more than others."""
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(4) for _ in range(3)]
    tensors = [mg.tensor(a) for a in arrays]
    modes = {
        "guard on (default)": contextlib.nullcontext,
        "mem_guard_off": lambda: mg.mem_guard_off,
        "no_autodiff": lambda: mg.no_autodiff,
    }
    cases = {}
    for work_name, work in (("forward", _forward), ("forward+backward", _forward_backward)):
        for mode_name, mode in modes.items():
            if work is _forward_backward and mode_name == "no_autodiff":
                continue  # nothing to backpropagate
            cases[work_name, mode_name] = (mode, lambda w=work: w(*tensors))
    cases["forward", "NumPy arrays (floor)"] = (contextlib.nullcontext, lambda: _forward(*arrays))

    best = dict.fromkeys(cases, float("inf"))
    for _ in range(repeats):
        for key, (mode, step) in cases.items():
            with mode():
                best[key] = min(best[key], _time(step, steps))
    return best


def _machine() -> str:
    # (the benchmark suite's report names the CPU model too: benchmarks/run.py)
    return (
        f"{platform.machine()}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, NumPy {np.__version__}, mygrad {mg.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2_000, help="steps per timed run")
    parser.add_argument("--repeats", type=int, default=25, help="timed runs per case (the best is kept)")
    args = parser.parse_args()

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = measure(args.steps, args.repeats)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Machine: {_machine()}")
    print(f"Date: {time.strftime('%Y-%m-%d')}; {args.steps} steps, best of {args.repeats} runs")
    print(f"Load average (1 min) before and after: {load_before:.2f}, {load_after:.2f}\n")
    rows = []
    for (work, mode), micros in results.items():
        base = results[work, "guard on (default)"]
        rows.append((work, mode, f"{micros:.1f}", f"{base / micros:.2f}x"))
    header = ("workload", "mode", "µs per step", "speed-up")
    widths = [max(len(r[i]) for r in (*rows, header)) for i in range(4)]
    rule = "  ".join("=" * w for w in widths)
    print(rule)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print(rule)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    print(rule)


if __name__ == "__main__":
    main()
