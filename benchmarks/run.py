"""Time mygrad against the NumPy floor, workload by workload, and write the results as JSON.

Usage (from the repository root, with the mygrad to measure installed in the running interpreter)::

    python benchmarks/run.py --label mygrad            # the full sizes
    python benchmarks/run.py --label mygrad --quick    # smaller sizes, fewer repeats: a smoke run
    python benchmarks/run.py --guard off --label guard-off      # the mygrad side with the memory guard off
    python benchmarks/run.py --only million-chain --repeats 3  # a workload that is not in the table
    python benchmarks/run.py --instructions --quick    # instructions per step and per operation (Callgrind)

``nox -s bench`` runs it against this repository's packages and ``nox -s bench_reference`` against MyGrad 2.5.0
from PyPI; ``benchmarks/compare.py`` puts two result files side by side.

For each workload (see ``workloads/``): the gradients of the mygrad version are checked against the floor's
(hand-written NumPy forward + backward); then the two are timed in alternation, ``--repeats`` samples each, every
sample long enough (``--min-time``) to average out timer noise, on two clocks: the process's CPU time (the
default basis of the ratios: with BLAS on one thread it is the work done, and other processes competing for the
cores do not inflate it) and wall time (``--clock wall``). The report gives the median time per iteration
of each, and "x floor": the median of the ratios of neighbouring samples (so that slow drifts of the machine's
speed cancel out), with their quartiles. Peak memory is measured with tracemalloc (which sees NumPy's buffers as
well as Python objects) over one more step of each, untimed. BLAS is pinned to one thread before NumPy is
imported, so that ratios do not depend on how many cores are idle.

``--instructions`` counts machine instructions instead of timing (``instructions.py``): by default on the
per-operation chains, op-overhead and deep-graph, whose counts per operation track the engine's bookkeeping.
"""

from __future__ import annotations

import os

# Before NumPy (and its BLAS) is loaded: one thread, whatever the environment says.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
for _variable in THREAD_VARIABLES:
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import instructions  # noqa: E402
import numpy as np  # noqa: E402
from workloads import NotAvailable, Workload, all_workloads, set_memory_guard  # noqa: E402

import mygrad  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PER_OPERATION = ("op-overhead", "deep-graph")  # what --instructions counts unless --only says otherwise


# ---------------------------------------------------------------------------------------------- environment


def _blas_threads() -> dict[str, Any]:
    """What BLAS runs on, and proof of the pinning where threadpoolctl is installed."""
    info: dict[str, Any] = {"pinned_to": 1, "env": {v: os.environ.get(v) for v in THREAD_VARIABLES}}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["numpy_blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older NumPy: show_config has no dicts mode
        info["numpy_blas"] = "unknown"
    try:
        import threadpoolctl
    except ImportError:
        info["threadpoolctl"] = "not installed: pinning by environment variables only"
    else:
        threadpoolctl.threadpool_limits(1)
        info["threadpoolctl"] = [
            {k: pool.get(k) for k in ("internal_api", "version", "num_threads")}
            for pool in threadpoolctl.threadpool_info()
        ]
    return info


def _cpu() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "model": model,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "machine": platform.machine(),
    }


def environment() -> dict[str, Any]:
    return {
        "mygrad_version": getattr(mygrad, "__version__", "unknown"),
        "mygrad_location": str(Path(mygrad.__file__).parent),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": _cpu(),
        "blas_threads": _blas_threads(),
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


# --------------------------------------------------------------------------------------------- measurement


def check_gradients(workload: Workload, floor_grads: dict, mygrad_grads: dict) -> tuple[bool, str, float]:
    """Do mygrad's gradients match the floor's? Returns (ok, message, worst relative error)."""
    if set(floor_grads) != set(mygrad_grads):
        return False, f"gradients for {sorted(mygrad_grads)}, expected {sorted(floor_grads)}", math.inf
    worst = 0.0
    for name, expected in floor_grads.items():
        got = mygrad_grads[name]
        if got is None:
            return False, f"no gradient for {name}", math.inf
        got, expected = np.asarray(got), np.asarray(expected)
        if got.shape != expected.shape:
            return False, f"gradient of {name} has shape {got.shape}, expected {expected.shape}", math.inf
        scale = float(np.max(np.abs(expected), initial=0.0)) or 1.0
        error = float(np.max(np.abs(got - expected), initial=0.0)) / scale
        if not error <= workload.rtol:  # also catches NaN
            return False, f"gradient of {name} is off by {error:.3g} (relative to its largest entry)", error
        worst = max(worst, error)
    return True, "ok", worst


CLOCKS = {
    "cpu": time.process_time,
    "wall": time.perf_counter,
}


def _iterations_per_sample(step, min_time: float) -> int:
    start = time.perf_counter()
    step()
    elapsed = time.perf_counter() - start
    return max(1, math.ceil(min_time / max(elapsed, 1e-9)))


def _sample(step, iterations: int) -> dict[str, float]:
    """Seconds per iteration on both clocks."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        step()
    return {
        "wall": (time.perf_counter() - wall) / iterations,
        "cpu": (time.process_time() - cpu) / iterations,
    }


def _ratio_stats(mygrad_times: list[float], floor_times: list[float]) -> dict[str, Any]:
    # Each mygrad sample over the floor sample beside it.
    paired = [m / f for m, f in zip(mygrad_times, floor_times)]
    q1, median, q3 = statistics.quantiles(paired, n=4, method="inclusive") if len(paired) > 1 else paired * 3
    return {"ratio": median, "ratio_quartiles": [q1, q3]}


def time_interleaved(floor_step, mygrad_step, repeats: int, min_time: float, clock: str) -> dict[str, Any]:
    """Alternate floor and mygrad samples (which goes first alternates too); seconds per iteration."""
    n_floor = _iterations_per_sample(floor_step, min_time)
    n_mygrad = _iterations_per_sample(mygrad_step, min_time)
    floor_samples, mygrad_samples = [], []
    gc.collect()
    for r in range(repeats):
        if r % 2 == 0:
            floor_samples.append(_sample(floor_step, n_floor))
            mygrad_samples.append(_sample(mygrad_step, n_mygrad))
        else:
            mygrad_samples.append(_sample(mygrad_step, n_mygrad))
            floor_samples.append(_sample(floor_step, n_floor))
    result: dict[str, Any] = {
        "floor": {"iterations_per_sample": n_floor},
        "mygrad": {"iterations_per_sample": n_mygrad},
    }
    for side, samples in (("floor", floor_samples), ("mygrad", mygrad_samples)):
        for name in CLOCKS:
            times = [s[name] for s in samples]
            result[side][f"{name}_samples_s"] = times
            result[side][f"{name}_median_s"] = statistics.median(times)
        result[side]["median_s"] = result[side][f"{clock}_median_s"]
    for name in CLOCKS:
        stats = _ratio_stats(result["mygrad"][f"{name}_samples_s"], result["floor"][f"{name}_samples_s"])
        result[f"{name}_ratio"] = stats
        if name == clock:
            result.update(stats)
    return result


def peak_memory(factory, make_arrays) -> int:
    """Bytes allocated at the peak of one step beyond what was allocated before it (inputs set up untraced)."""
    step = factory(make_arrays())
    gc.collect()
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run_workload(workload: Workload, repeats: int, min_time: float, clock: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "name": workload.name,
        "what": workload.what,
        "target": workload.target,
        "mem_target": workload.mem_target,
    }
    try:
        floor_step = workload.floor(workload.make_arrays())
        try:
            mygrad_step = workload.mygrad(workload.make_arrays())
            mygrad_grads = mygrad_step()
        except NotAvailable as e:
            return {**result, "status": "n/a", "reason": str(e)}
        floor_grads = floor_step()
        ok, message, error = check_gradients(workload, floor_grads, mygrad_grads)
        result["grad_check"] = {
            "ok": ok,
            "message": message,
            "max_relative_error": error if math.isfinite(error) else None,
            "rtol": workload.rtol,
        }
        if not ok:
            return {**result, "status": "grad-mismatch", "reason": message}
        result.update(time_interleaved(floor_step, mygrad_step, repeats, min_time, clock))
        del floor_step, mygrad_step, floor_grads, mygrad_grads
        floor_peak = peak_memory(workload.floor, workload.make_arrays)
        mygrad_peak = peak_memory(workload.mygrad, workload.make_arrays)
        result["floor"]["peak_bytes"] = floor_peak
        result["mygrad"]["peak_bytes"] = mygrad_peak
        # a ratio to a floor that holds next to nothing (deep-graph's scalars) says nothing: the peak itself does
        result["mem_ratio"] = mygrad_peak / floor_peak if floor_peak >= 4096 else None
        return {**result, "status": "ok"}
    except Exception as e:
        return {
            **result,
            "status": "error",
            "reason": f"{type(e).__name__}: {e}",
            "traceback": traceback.format_exc(),
        }


def default_settings(quick: bool) -> tuple[int, float]:
    """Samples per side and seconds per sample, unless given: fewer and shorter for a ``--quick`` run."""
    return (5, 0.01) if quick else (21, 0.1)


def print_variants(workloads: list[Workload], quick: bool, title: str) -> None:
    """Time workloads whose mygrad side is a variant (another engine, the operations without one) against
    their floors, as ``main`` times the suite, and print the table under ``title``."""
    repeats, min_time = default_settings(quick)
    print(title)
    print(format_table([run_workload(w, repeats, min_time, "cpu") for w in workloads]))


# ------------------------------------------------------------------------------------------------- report


def format_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_bytes(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def format_table(results: list[dict[str, Any]]) -> str:
    header = ["workload", "size", "mygrad/iter", "floor/iter", "x floor [quartiles]", "target", "peak mem",
              "mem x floor"]  # fmt: skip
    rows = [header]
    for r in results:
        target = f"<= {r['target']:g}" if r["target"] is not None else ""
        if r["status"] != "ok":
            rows.append([r["name"], r["what"], r["status"], "", r.get("reason", "")[:60], target, "", ""])
            continue
        q1, q3 = r["ratio_quartiles"]
        mem = f"{r['mem_ratio']:.2f}" if r["mem_ratio"] is not None else ""
        if r["mem_target"] is not None:
            mem += f" (<= {r['mem_target']:g})"
        rows.append([
            r["name"],
            r["what"],
            format_time(r["mygrad"]["median_s"]),
            format_time(r["floor"]["median_s"]),
            f"{r['ratio']:.2f} [{q1:.2f}-{q3:.2f}]",
            target,
            format_bytes(r["mygrad"]["peak_bytes"]),
            mem,
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def describe(env: dict[str, Any], label: str, settings: dict[str, Any]) -> str:
    threads = env["blas_threads"]
    return (
        f"{label}: mygrad {env['mygrad_version']} ({env['mygrad_location']})\n"
        f"numpy {env['numpy_version']}, Python {env['python_version']}, {env['cpu']['model']} "
        f"({env['cpu']['usable_cpus']} usable CPUs), BLAS {threads['numpy_blas']} pinned to 1 thread\n"
        f"{'quick run, ' if settings['quick'] else ''}"
        f"{'memory guard ' + settings['guard'] + ', ' if settings['guard'] else ''}"
        f"{settings['repeats']} interleaved samples of >= "
        f"{settings['min_time_s']:g} s per side, {settings['clock']} time; medians; peak memory from tracemalloc "
        "over one step"
    )


# --------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", help="names the results file (default: mygrad-<version>)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer, shorter samples")
    parser.add_argument("--only", help="comma-separated workload names (or parts of names) to run")
    parser.add_argument("--repeats", type=int, help="samples per side (default 21, or 5 with --quick)")
    parser.add_argument(
        "--min-time", type=float, help="seconds per sample (default 0.1, or 0.01 with --quick)"
    )
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="cpu", help="what the ratios use (both are recorded)"
    )
    parser.add_argument("--output", type=Path, help="the JSON file (default: results/<label>[-quick].json)")
    parser.add_argument(
        "--guard",
        choices=["on", "off"],
        help="the memory guard on the mygrad side (default: mygrad's default)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per step under Callgrind (valgrind) instead of timing; "
        f"{' and '.join(PER_OPERATION)} unless --only; --repeats steps (default 4)",
    )
    args = parser.parse_args(argv)
    if args.guard:
        set_memory_guard(args.guard == "on")

    workloads = all_workloads(args.quick)
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        workloads = [w for w in workloads if any(part in w.name for part in wanted)]
        if not workloads:
            parser.error(f"no workload matches --only {args.only!r}")
    elif args.instructions:
        workloads = [w for w in workloads if w.name in PER_OPERATION]
    else:
        workloads = [w for w in workloads if not w.on_request]

    if args.instructions:
        steps = args.repeats or 4
        print(
            f"mygrad {getattr(mygrad, '__version__', 'unknown')} ({Path(mygrad.__file__).parent}): instructions "
            f"per step under Callgrind, the mean of {steps} steps after a first"
            + (f", memory guard {args.guard}" if args.guard else ""),
            flush=True,
        )
        print(instructions.format_table(instructions.count(workloads, steps, args.quick, args.guard)))
        return 0

    label = args.label or f"mygrad-{getattr(mygrad, '__version__', 'unknown')}"
    default_repeats, default_min_time = default_settings(args.quick)
    repeats = args.repeats or default_repeats
    min_time = args.min_time if args.min_time is not None else default_min_time
    output = args.output or RESULTS_DIR / f"{label}{'-quick' if args.quick else ''}.json"
    settings = {
        "quick": args.quick,
        "repeats": repeats,
        "min_time_s": min_time,
        "clock": args.clock,
        "only": args.only,
        "guard": args.guard,
    }

    env = environment()
    print(describe(env, label, settings), flush=True)
    results = []
    for workload in workloads:
        print(f"  {workload.name} ...", end=" ", flush=True)
        start = time.perf_counter()
        result = run_workload(workload, repeats, min_time, args.clock)
        results.append(result)
        summary = f"{result['ratio']:.2f}x floor" if result["status"] == "ok" else result["status"]
        print(f"{summary} ({time.perf_counter() - start:.1f} s)", flush=True)

    output.parent.mkdir(parents=True, exist_ok=True)
    report = {"label": label, "settings": settings, "environment": env, "workloads": results}
    output.write_text(json.dumps(report, indent=1) + "\n")
    print()
    print(format_table(results))
    print(f"\nwritten: {output}")

    failed = [r for r in results if r["status"] in ("grad-mismatch", "error")]
    for r in failed:
        print(f"\n{r['name']}: {r['status']}: {r['reason']}", file=sys.stderr)
        if "traceback" in r:
            print(r["traceback"], file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
