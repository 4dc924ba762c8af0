"""The memory guard's cost on many small operations: 200 elementwise ops on 10 elements, forward and backward,
with the guard on and off (best of interleaved repeats): ``python benchmarks/guard_overhead.py``."""

from __future__ import annotations

import time

import numpy as np

import mygrad as mg


def step(x0: np.ndarray) -> None:
    y = x = mg.tensor(x0)
    for _ in range(40):
        y = mg.exp(mg.sin(y * 1.0001 + 0.5)) / 2.0
    mg.sum(y).backward()
    assert x.grad is not None


def best_time(x0: np.ndarray, repeats: int = 30) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step(x0)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    x0 = np.random.default_rng(0).random(10)
    on, off = [], []
    for _ in range(5):
        with mg.mem_guard_on:
            on.append(best_time(x0))
        with mg.mem_guard_off:
            off.append(best_time(x0))
    print(
        f"guard on {min(on) * 1e3:.2f} ms, off {min(off) * 1e3:.2f} ms per step: ratio {min(on) / min(off):.2f}"
    )


if __name__ == "__main__":
    main()
