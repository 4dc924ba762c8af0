"""Profile the mygrad side of one benchmark workload with cProfile: where does its time go?

Usage::

    python benchmarks/profile_workload.py maxpool2d [--quick] [--steps N] [--sort tottime] [--top 25]

Runs the workload's mygrad step once to warm up, then ``--steps`` times under cProfile, and prints the functions
with the most time (``tottime``: in the function itself; ``cumulative``: with what it calls) and their share of
the total. The floor's time per step is printed alongside for scale. BLAS is pinned to one thread, as in run.py.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from workloads import all_workloads  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workload", help="a workload name, e.g. op-overhead or mlp-step[float32]")
    parser.add_argument("--quick", action="store_true", help="the --quick sizes")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    by_name = {w.name: w for w in all_workloads(args.quick)}
    if args.workload not in by_name:
        parser.error(f"unknown workload {args.workload!r}; one of {', '.join(by_name)}")
    workload = by_name[args.workload]

    floor_step = workload.floor(workload.make_arrays())
    floor_step()
    start = time.process_time()
    for _ in range(args.steps):
        floor_step()
    floor_time = (time.process_time() - start) / args.steps

    step = workload.mygrad(workload.make_arrays())
    step()
    profiler = cProfile.Profile(time.process_time)  # CPU time, like run.py: other load does not count
    start = time.process_time()
    profiler.enable()
    for _ in range(args.steps):
        step()
    profiler.disable()
    mygrad_time = (time.process_time() - start) / args.steps

    print(f"{workload.name} ({workload.what}): {args.steps} steps")
    print(f"mygrad under cProfile: {mygrad_time * 1e3:.3g} ms/step; floor: {floor_time * 1e3:.3g} ms/step")
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"\nshare  {args.sort:>10}  ncalls/step  function")
    key = {"tottime": 2, "cumulative": 3}[args.sort]
    entries = sorted(stats.stats.items(), key=lambda item: item[1][key], reverse=True)[: args.top]
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in entries:
        seconds = tottime if args.sort == "tottime" else cumtime
        where = f"{_short(filename)}:{line}" if line else filename
        per_step = seconds * 1e3 / args.steps
        print(f"{seconds / total:5.1%}  {per_step:8.3f}ms  {ncalls / args.steps:11.1f}  {name}  {where}")
    return 0


def _short(filename: str) -> str:
    """The path from the package directory on (mygrad/..., numpy/...), or the file name."""
    parts = filename.replace("\\", "/").split("/")
    for anchor in ("mygrad", "numpy", "workloads"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return parts[-1]


if __name__ == "__main__":
    sys.exit(main())
