"""Gradient steps over a dataset larger than memory: mygrad tensors over Dask arrays.

Two models, each trained by full-batch gradient steps with a NumPy parameter vector ``w`` of 8 weights:

* least squares: ``mean((X @ w - y) ** 2)`` with ``y = X @ w_true + 1``;
* logistic regression: ``mean(logaddexp(0, -s * (X @ w)))`` with labels ``s = sign(X @ w_true - 2)``.

``X`` is ``--rows`` x 8 float64 drawn lazily by ``dask.array.random`` in chunks of ``--chunk`` rows (the
default, 200 million rows, is 12.8 GB): it is never held in memory, each step generates it again chunk by chunk.
A step is the issue's loop body: forward, ``backward()``, one ``dask.compute`` of the loss and the gradient
(one pass over the data for both), and the update. Configurations, each run in a process of its own:

* ``numpy``: the same mygrad code over NumPy arrays in memory, on ``--numpy-rows`` rows (a size that fits);
* ``threads``: Dask's threaded scheduler in this process (2 threads);
* ``workers1``, ``workers2``: a ``dask.distributed.LocalCluster`` on loopback with 1 worker of 2 threads, or 2
  workers of 1 thread (processes).

Reported per configuration and model: seconds per step (median of ``--steps``), millions of rows per second,
and the peak resident memory (``ru_maxrss``) of the process and of each worker. The run fails if a peak exceeds
``--budget-gb`` (1 by default): a dataset of 12.8 GB is then 12.8 times the memory each process may use.

    python benchmarks/out_of_core.py                    # everything (about 15 minutes on 2 cores)
    python benchmarks/out_of_core.py --rows 20_000_000  # quicker (1.28 GB)

Results go to ``benchmarks/results/out-of-core.json`` and are printed as a table (docs/performance.rst).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Dask runs one task per core: BLAS inside a task keeps to one thread (set before NumPy is imported)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

CONFIGS = ("numpy", "threads", "workers1", "workers2")
MODELS = ("least-squares", "logistic")
RESULTS = Path(__file__).resolve().parent / "results" / "out-of-core.json"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def model_data(rows: int, chunk: int, model: str, lazy: bool):
    """``X`` and the targets of ``model``, lazily (Dask) or in memory (NumPy, computed from the same recipe)."""
    import dask
    import dask.array as da
    import numpy as np

    X = da.random.default_rng(0).random((rows, 8), chunks=(chunk, 8)) - 0.5
    w_true = np.linspace(-1.0, 1.0, 8)
    target = X @ w_true + 1.0 if model == "least-squares" else da.sign(X @ w_true - 0.02)
    if lazy:
        return X, target
    return dask.compute(X, target, scheduler="threads")


def loss_of(model: str, X, target, w):
    import numpy as np

    scores = X @ w
    if model == "least-squares":
        return np.mean((scores - target) ** 2)
    return np.mean(np.logaddexp(0.0, -target * scores))


def run_config(config: str, rows: int, chunk: int, steps: int) -> dict:
    """Train each model for ``steps`` steps in this process; times, losses and peak memory."""
    import dask
    import numpy as np

    import mygrad as mg

    client = cluster = None
    if config.startswith("workers"):
        from distributed import Client, LocalCluster

        workers = int(config[len("workers") :])
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=2 // workers,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            memory_limit="2GiB",  # the workers' own spilling never starts: the peaks are measured below
        )
        client = Client(cluster)
    else:
        dask.config.set(scheduler="threads", num_workers=2)
    results = {}
    try:
        for model in MODELS:
            X, target = model_data(rows, chunk, model, lazy=config != "numpy")
            w = mg.tensor(np.zeros(8))
            times, losses = [], []
            for _step in range(steps):
                start = time.perf_counter()
                loss = loss_of(model, X, target, w)
                loss.backward()
                value, grad = dask.compute(loss.data, w.grad)  # one pass over the data for both
                with mg.no_autodiff:
                    w -= 0.5 * grad
                times.append(time.perf_counter() - start)
                losses.append(float(value))
            results[model] = {"seconds_per_step": times, "losses": losses, "w": w.data.tolist()}
            del X, target
        workers_peak = []
        if client is not None:
            workers_peak = list(
                client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024).values()
            )
        return {"models": results, "peak_rss_mb": peak_rss_mb(), "workers_peak_rss_mb": workers_peak}
    finally:
        if client is not None:
            client.close()
            cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000_000, help="rows of the lazy dataset")
    parser.add_argument("--chunk", type=int, default=1_000_000, help="rows per chunk")
    parser.add_argument("--numpy-rows", type=int, default=5_000_000, help="rows of the in-memory NumPy run")
    parser.add_argument("--steps", type=int, default=2, help="gradient steps per model")
    parser.add_argument("--budget-gb", type=float, default=1.0, help="the peak resident memory allowed")
    parser.add_argument("--only", default=",".join(CONFIGS), help="configurations, comma-separated")
    parser.add_argument("--config", help=argparse.SUPPRESS)  # run one configuration (in a subprocess)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    if args.config:
        rows = args.numpy_rows if args.config == "numpy" else args.rows
        print(json.dumps(run_config(args.config, rows, args.chunk, args.steps)))
        return

    report = {
        "rows": args.rows,
        "numpy_rows": args.numpy_rows,
        "chunk": args.chunk,
        "dataset_gb": args.rows * 8 * 8 / 1e9,
        "budget_gb": args.budget_gb,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "configs": {},
    }
    over_budget = []
    for config in args.only.split(","):
        command = [sys.executable, __file__, "--config", config, "--rows", str(args.rows)]
        command += [
            "--chunk",
            str(args.chunk),
            "--numpy-rows",
            str(args.numpy_rows),
            "--steps",
            str(args.steps),
        ]
        print(f"running {config} ...", file=sys.stderr, flush=True)
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        report["configs"][config] = result
        peaks = [result["peak_rss_mb"], *result["workers_peak_rss_mb"]]
        if config != "numpy" and max(peaks) > args.budget_gb * 1024:
            over_budget.append(f"{config}: peak {max(peaks):.0f} MB")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    if over_budget:
        sys.exit("over the memory budget: " + "; ".join(over_budget))


def table(report: dict) -> str:
    lines = [
        f"dataset: {report['rows']:,} x 8 float64 = {report['dataset_gb']:.1f} GB (NumPy: "
        f"{report['numpy_rows']:,} rows in memory); budget {report['budget_gb']} GB per process",
        f"{'config':<10} {'model':<14} {'s/step':>8} {'Mrows/s':>8} {'peak MB (process; workers)':>28}",
    ]
    for config, result in report["configs"].items():
        rows = report["numpy_rows"] if config == "numpy" else report["rows"]
        workers = ", ".join(f"{p:.0f}" for p in result["workers_peak_rss_mb"])
        peaks = f"{result['peak_rss_mb']:.0f}" + (f"; {workers}" if workers else "")
        for model, m in result["models"].items():
            seconds = statistics.median(m["seconds_per_step"])
            lines.append(f"{config:<10} {model:<14} {seconds:>8.2f} {rows / seconds / 1e6:>8.1f} {peaks:>28}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
