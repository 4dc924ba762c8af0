"""Per-operation cost in machine instructions, which, unlike times, do not depend on the machine's load.

Run one chain under Callgrind, and the same script doing nothing, and subtract::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/count_instructions.py deep
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/count_instructions.py none

(the ``I refs`` line of each). Chains: ``deep`` (2,000 chained 0-d additions and backward, 4 times: the
deep-graph workload), ``ops`` (40 cycles of mul, add, sin, exp, divide on 10 elements, sum and backward,
4 times: op-overhead), ``deep-floor`` and ``ops-floor`` (the same in plain NumPy with a hand-written backward
pass), ``none`` (imports only). ``--guard-off`` turns the memory guard off; ``--src DIR`` imports mygrad from
another source tree (e.g. a ``git worktree`` of an older commit), to compare versions: give the ``none`` run
the same ``--src``, since importing another version costs other instructions.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # BLAS threads spinning would add instructions at random
os.environ.setdefault("OMP_NUM_THREADS", "1")

N_DEEP = 2_000
CYCLES = 40
REPEATS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chain", choices=["deep", "ops", "deep-floor", "ops-floor", "none"])
    parser.add_argument("--guard-off", action="store_true")
    parser.add_argument("--src", help="import mygrad from this directory (a packages/mygrad-core/src)")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, args.src)

    import numpy as np

    import mygrad as mg

    x, w = mg.tensor(0.5), mg.tensor(1e-3)
    params = [mg.tensor(np.linspace(0.1, 1.0, 10)) for _ in range(4)]

    def deep() -> None:
        y = x
        for _ in range(N_DEEP):
            y = y + w
        y.backward()

    def deep_floor() -> None:
        y, step = x.data, w.data
        for _ in range(N_DEEP):
            y = y + step
        g, gw = np.ones_like(y), np.zeros_like(step)
        for _ in range(N_DEEP):
            gw = gw + g

    def ops() -> None:
        y, a, b, c = params
        for _ in range(CYCLES):
            y = mg.exp(mg.sin(y * a + b)) / c
        y.sum().backward()

    def ops_floor() -> None:
        y, a, b, c = (p.data for p in params)
        saved = []
        for _ in range(CYCLES):
            p = y * a + b
            e = np.exp(np.sin(p))
            saved.append((y, p, e))
            y = e / c
        g = np.ones_like(y)
        ga, gb, gc = np.zeros_like(a), np.zeros_like(b), np.zeros_like(c)
        for y_in, p, e in reversed(saved):
            ge = g / c
            gc -= ge * e / c
            gp = ge * e * np.cos(p)
            gb += gp
            ga += gp * y_in
            g = gp * a

    chains = {
        "deep": deep,
        "deep-floor": deep_floor,
        "ops": ops,
        "ops-floor": ops_floor,
        "none": lambda: None,
    }
    run = chains[args.chain]
    if args.guard_off:
        mg.turn_memory_guarding_off()
    for _ in range(REPEATS):
        run()


if __name__ == "__main__":
    main()
