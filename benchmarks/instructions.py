"""Machine instructions per step of the workloads, counted under Callgrind: the mode ``run.py --instructions``.

Unlike times, instruction counts do not depend on the machine's load, so they compare two versions of the
engine exactly, e.g. this checkout's and an older one's (a ``git worktree`` of an older commit)::

    python benchmarks/run.py --instructions --quick
    PYTHONPATH=OLD/packages/mygrad-core/src python benchmarks/run.py --instructions --quick

Each side of a workload (mygrad, floor) runs in two processes under ``valgrind --tool=callgrind``: one makes
the step and runs it once, the other runs it ``1 + steps`` times. The difference of their counts is ``steps``
steps, without the imports, the setup or the first step's one-time costs. Hash randomization is off in both,
so that a run counts the same every time. The processes run this file, with the workload's name and side.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from workloads import Workload, all_workloads, set_memory_guard

SIDES = ("mygrad", "floor")
_I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _count(workload: str, side: str, runs: int, quick: bool, guard: str | None) -> int:
    """Instructions of a process that makes ``side``'s step of ``workload`` and runs it ``runs`` times."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, __file__, workload, side, str(runs)]
    command += ["--quick"] * quick + (["--guard", guard] if guard else [])
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    found = _I_REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{workload} ({side}) under Callgrind failed:\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def count(workloads: list[Workload], steps: int, quick: bool, guard: str | None) -> list[dict[str, Any]]:
    """Instructions per step of each side of each workload, and per operation where a workload says how many
    operations a step records. The Callgrind processes run in parallel, one per usable CPU."""
    if shutil.which("valgrind") is None:
        sys.exit("run.py --instructions needs valgrind (Debian/Ubuntu: apt-get install valgrind)")
    jobs = [(w.name, side, runs) for w in workloads for side in SIDES for runs in (1, 1 + steps)]
    with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
        futures = {job: pool.submit(_count, *job, quick, guard) for job in jobs}
        counts = {job: future.result() for job, future in futures.items()}
    results = []
    for w in workloads:
        result: dict[str, Any] = {
            "name": w.name,
            "what": w.what,
            "steps": steps,
            "ops_per_step": w.ops_per_step,
        }
        for side in SIDES:
            per_step = (counts[w.name, side, 1 + steps] - counts[w.name, side, 1]) / steps
            result[side] = {"per_step": per_step}
            if w.ops_per_step:
                result[side]["per_op"] = per_step / w.ops_per_step
        result["ratio"] = result["mygrad"]["per_step"] / result["floor"]["per_step"]
        results.append(result)
    return results


def format_table(results: list[dict[str, Any]]) -> str:
    header = ["workload", "size", "mygrad instr/step", "floor instr/step", "x floor", "mygrad instr/op",
              "floor instr/op"]  # fmt: skip
    rows = [header]
    for r in results:
        per_op = [f"{r[side]['per_op']:,.0f}" if "per_op" in r[side] else "" for side in SIDES]
        rows.append([
            r["name"],
            r["what"],
            f"{r['mygrad']['per_step'] / 1e6:,.2f} M",
            f"{r['floor']['per_step'] / 1e6:,.2f} M",
            f"{r['ratio']:.2f}",
            *per_op,
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _run_under_callgrind(argv: list[str] | None = None) -> None:
    """The measured process: make one side's step of one workload and run it the given number of times."""
    parser = argparse.ArgumentParser(description="one side of one workload, for Callgrind to count")
    parser.add_argument("workload")
    parser.add_argument("side", choices=SIDES)
    parser.add_argument("runs", type=int)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--guard", choices=["on", "off"])
    args = parser.parse_args(argv)
    if args.guard:
        set_memory_guard(args.guard == "on")
    (workload,) = [w for w in all_workloads(args.quick) if w.name == args.workload]
    factory = workload.mygrad if args.side == "mygrad" else workload.floor
    step = factory(workload.make_arrays())
    for _ in range(args.runs):
        step()


if __name__ == "__main__":
    _run_under_callgrind()
