"""Time a chain of 10**6 scalar additions, built and backpropagated at the default recursion limit.

Runs under whichever `mygrad` is importable (ours, or MyGrad 2.5.0 in its own environment):
``python benchmarks/million_chain.py [n]``.
"""

from __future__ import annotations

import sys
import time

import mygrad as mg


def main(n: int) -> None:
    sys.setrecursionlimit(1000)
    x = mg.tensor(1.0)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y + 1.0
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    assert float(x.grad) == 1.0 and float(y.data) == n + 1
    version = getattr(mg, "__version__", "?")
    print(f"mygrad {version}: {n}-op chain forward {built - start:.1f} s, backward {done - built:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10**6)
