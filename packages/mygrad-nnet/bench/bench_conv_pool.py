"""Time conv2d and 2x2 max-pool forward+backward in mygrad against hand-written NumPy.

Workloads (issue 5):

* conv2d: x (32, 16, 32, 32), filters (32, 16, 3, 3), stride 1, padding 1 (``--padding`` changes it), an
  upstream gradient on the whole (32, 32, 32, 32) output; gradients of x and of the filters.
* max-pool: x (32, 32, 32, 32), pool 2x2, stride 2; the gradient of x.

mygrad is set against hand-written NumPy versions of the same forward+backward computation:

* conv2d, as issue 5 describes it (sliding windows + ``tensordot``), with the input gradient either as a
  correlation with the flipped filters or as a scatter of ``g . w``; and as batched matrix products on one
  im2col copy of the windows (``matmul``).
* max-pool, as issue 5 describes it (a reshape into 2x2 blocks, ``argmax``, a scatter of the upstream gradient:
  by ``take/put_along_axis`` or by a one-hot); and with one strided slice per position in the window (a running
  ``np.maximum``, then the first element equal to each window's maximum takes its gradient).

Two ratios are printed for each workload: against the fastest version of the issue's kind ("the issue's floor")
and against the fastest hand-written version of all ("the floor"). Before timing, mygrad's output and gradients
are checked against the hand-written ones. Timing interleaves the contenders round by round (the order rotates)
and compares medians of wall-clock time, with the CPU time of this process beside it (the steadier figure on a
busy machine). BLAS is pinned to one thread.

Run from the repository root::

    python packages/mygrad-nnet/bench/bench_conv_pool.py            # the issue's sizes, 15 rounds
    python packages/mygrad-nnet/bench/bench_conv_pool.py --quick    # small sizes, a few seconds
    python packages/mygrad-nnet/bench/bench_conv_pool.py --profile  # also cProfile mygrad's passes
    python packages/mygrad-nnet/bench/bench_conv_pool.py --ref-python /path/to/python  # + MyGrad 2.5.0

Targets (issue 5): conv2d at most 1.0x the hand-written NumPy, max-pool at most 1.5x.
"""

import os

# Before NumPy is imported: one BLAS thread, so that the ratios do not depend on the core count.
PINNED = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)
for _name in PINNED:
    os.environ[_name] = "1"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view as np_windows  # noqa: E402

import mygrad as mg  # noqa: E402
from mygrad.nnet.layers import conv_nd, max_pool  # noqa: E402

TARGETS = {"conv2d": 1.0, "max_pool": 1.5}


# ------------------------------------------------------------------------------------------- hand-written NumPy
def conv2d_flipped(x: np.ndarray, w: np.ndarray, g: np.ndarray, pad: int) -> tuple[np.ndarray, ...]:
    """Stride-1 conv2d forward+backward; the input gradient as a correlation with the flipped filters."""
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    windows = np_windows(xp, (kh, kw), axis=(2, 3))  # (N, C, H', W', kh, kw), a view
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)  # (N, F, H', W')
    dw = np.tensordot(g, windows, axes=([0, 2, 3], [0, 2, 3]))  # (F, C, kh, kw)
    # dx[c, i, j] = sum over f, a, b of g[f, i + p - a, j + p - b] * w[f, c, a, b]: pad g by k - 1 - p
    qh, qw = kh - 1 - pad, kw - 1 - pad
    gp = np.pad(g, ((0, 0), (0, 0), (qh, qh), (qw, qw))) if qh or qw else g
    g_windows = np_windows(gp, (kh, kw), axis=(2, 3))  # (N, F, H, W, kh, kw)
    dx = np.tensordot(g_windows, w[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3])).transpose(0, 3, 1, 2)
    return out, dx, dw


def conv2d_scatter(x: np.ndarray, w: np.ndarray, g: np.ndarray, pad: int) -> tuple[np.ndarray, ...]:
    """Stride-1 conv2d forward+backward; the input gradient as one strided add of ``g . w`` per filter tap."""
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    windows = np_windows(xp, (kh, kw), axis=(2, 3))
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    dw = np.tensordot(g, windows, axes=([0, 2, 3], [0, 2, 3]))
    spread = np.tensordot(g, w, axes=([1], [0]))  # (N, H', W', C, kh, kw)
    spread = spread.transpose(0, 3, 1, 2, 4, 5)  # (N, C, H', W', kh, kw)
    dxp = np.zeros(xp.shape, dtype=spread.dtype)
    oh, ow = g.shape[2:]
    for a in range(kh):
        for b in range(kw):
            dxp[:, :, a : a + oh, b : b + ow] += spread[..., a, b]
    dx = dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]]
    return out, dx, dw


def max_pool_take(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, ...]:
    """2x2/2 max-pool forward+backward: blocks copied once, argmax, value taken, gradient put back."""
    n, c, h, w = x.shape
    blocks = (
        x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
    )
    first = blocks.argmax(axis=-1)[..., None]  # ties: the first in row-major order
    out = np.take_along_axis(blocks, first, axis=-1)[..., 0]
    d_blocks = np.zeros_like(blocks)
    np.put_along_axis(d_blocks, first, g[..., None], axis=-1)
    dx = d_blocks.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)
    return out, dx


def max_pool_onehot(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, ...]:
    """2x2/2 max-pool forward+backward: max over a reshaped view; the gradient through a one-hot of argmax."""
    n, c, h, w = x.shape
    view = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = view.max(axis=(3, 5))
    first = view.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4).argmax(axis=-1)
    onehot = first[..., None] == np.arange(4)  # (n, c, h/2, w/2, 4)
    d_blocks = onehot * g[..., None]
    dx = d_blocks.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)
    return out, dx


def conv2d_im2col(x: np.ndarray, w: np.ndarray, g: np.ndarray, pad: int) -> tuple[np.ndarray, ...]:
    """Stride-1 conv2d forward+backward as batched matrix products on one (N, C*kh*kw, H'*W') copy of the
    windows; the input gradient scattered back with one add per filter tap."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh, ow = g.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    windows = np_windows(xp, (kh, kw), axis=(2, 3))  # (N, C, H', W', kh, kw)
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)  # the one copy
    w2 = w.reshape(f, c * kh * kw)
    out = (w2 @ cols).reshape(n, f, oh, ow)  # C-contiguous as it comes
    g3 = g.reshape(n, f, oh * ow)
    dw = (g3 @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    d_cols = (w2.T @ g3).reshape(n, c, kh, kw, oh, ow)
    dxp = np.zeros(xp.shape, dtype=d_cols.dtype)
    for a in range(kh):
        for b in range(kw):
            dxp[:, :, a : a + oh, b : b + ow] += d_cols[:, :, a, b]
    dx = dxp[:, :, pad : pad + h, pad : pad + wd]
    return out, dx, dw


def max_pool_offsets(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, ...]:
    """2x2/2 max-pool forward+backward with one strided slice per position in the window: a running maximum,
    then, in row-major order, each window's first element equal to it takes the upstream gradient."""
    offsets = [(0, 0), (0, 1), (1, 0), (1, 1)]
    out = x[..., 0::2, 0::2].copy()
    for a, b in offsets[1:]:
        np.maximum(out, x[..., a::2, b::2], out=out)
    dx = np.empty_like(x)
    taken = np.zeros(out.shape, dtype=bool)
    for a, b in offsets:
        hit = x[..., a::2, b::2] == out
        hit &= ~taken
        taken |= hit
        np.multiply(hit, g, out=dx[..., a::2, b::2])
    return out, dx


# ------------------------------------------------------------------------------------------- mygrad
def mygrad_conv2d(x: np.ndarray, w: np.ndarray, g: np.ndarray, pad: int) -> tuple[np.ndarray, ...]:
    xt, wt = mg.Tensor(x, copy=False), mg.Tensor(w, copy=False)
    out = conv_nd(xt, wt, stride=1, padding=pad)
    out.backward(g)
    return out.data, xt.grad, wt.grad


def mygrad_max_pool(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, ...]:
    xt = mg.Tensor(x, copy=False)
    out = max_pool(xt, (2, 2), 2)
    out.backward(g)
    return out.data, xt.grad


# ------------------------------------------------------------------------------------------- harness
def check_same(name: str, got: tuple, want: tuple, exact: bool) -> None:
    for label, a, b in zip(("output", "grad 0", "grad 1"), got, want):
        a = np.asarray(a)
        assert a.shape == b.shape, f"{name}: {label} has shape {a.shape}, expected {b.shape}"
        assert a.dtype == b.dtype, f"{name}: {label} has dtype {a.dtype}, expected {b.dtype}"
        if exact:
            np.testing.assert_array_equal(a, b, err_msg=f"{name}: {label}")
        else:
            tol = 1e-4 if a.dtype == np.float32 else 1e-10
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max(), err_msg=f"{name}: {label}")


def time_rounds(
    contenders: dict[str, Callable[[], object]], rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Wall-clock and CPU seconds per call of each contender; every round calls each once, from a rotating
    start. The CPU time (this process only) is the steadier of the two on a shared machine."""
    names = list(contenders)
    for name in names:  # warm-up: allocator, caches, first-call costs
        contenders[name]()
    times: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            wall, cpu = time.perf_counter(), time.process_time()
            contenders[name]()
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
    return times


def report(
    workload: str, times: dict[str, dict[str, list[float]]], issue_floors: list[str], other_floors: list[str]
) -> dict[str, float]:
    """A table of medians (ms) and of ratios to the floor, the fastest hand-written version by wall-clock median.

    Two floors are given: the fastest of all the hand-written versions, and the fastest of those written the
    way issue 5 describes (sliding windows + tensordot for conv; reshape + argmax for max-pool)."""
    wall = {name: statistics.median(t["wall"]) for name, t in times.items()}
    cpu = {name: statistics.median(t["cpu"]) for name, t in times.items()}
    floor = min(issue_floors + other_floors, key=wall.__getitem__)
    issue_floor = min(issue_floors, key=wall.__getitem__)
    print(f"  {'contender':<26}{'wall ms':>9}{'min ms':>9}{'cpu ms':>9}{'wall/floor':>12}{'cpu/floor':>11}")
    for name, t in times.items():
        mark = "  <- floor" if name == floor else "  <- issue's floor" if name == issue_floor else ""
        print(
            f"  {name:<26}{wall[name] * 1e3:>9.2f}{min(t['wall']) * 1e3:>9.2f}{cpu[name] * 1e3:>9.2f}"
            f"{wall[name] / wall[floor]:>11.2f}x{cpu[name] / cpu[floor]:>10.2f}x{mark}"
        )
    ratios = {}
    for label, name in (("best", floor), ("issue", issue_floor)):
        ratios[label] = wall["mygrad"] / wall[name]
        verdict = "meets" if ratios[label] <= TARGETS[workload] else "MISSES"
        print(
            f"  mygrad / {name} = {ratios[label]:.2f}x by wall-clock median, "
            f"{cpu['mygrad'] / cpu[name]:.2f}x by CPU time ({verdict} the {TARGETS[workload]:.1f}x target)"
        )
    return ratios


def profile(label: str, call: Callable[[], object], reps: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(reps):
        call()
    profiler.disable()
    print(f"\n--- cProfile of mygrad {label}, {reps} calls, by own time ---")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and 5 rounds (a smoke test)")
    parser.add_argument("--rounds", type=int, default=None, help="timing rounds (default 15, 5 with --quick)")
    parser.add_argument(
        "--padding", type=int, default=1, choices=(0, 1, 2), help="conv2d padding (default 1)"
    )
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--profile", action="store_true", help="cProfile mygrad's forward+backward passes")
    parser.add_argument(
        "--ref-python", help="also run this script under another interpreter (e.g. MyGrad 2.5.0)"
    )
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 15)
    dtype = np.dtype(args.dtype)

    print(f"mygrad {mg.__version__} from {os.path.dirname(mg.__file__)}")
    print(
        f"NumPy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print("BLAS pinned to one thread: " + ", ".join(f"{name}={os.environ[name]}" for name in PINNED))
    print(f"dtype {dtype}, {rounds} interleaved rounds, medians compared")

    rng = np.random.default_rng(0)
    if args.quick:
        n, c, f, side, pool_shape = 4, 4, 8, 16, (4, 8, 16, 16)
    else:
        n, c, f, side, pool_shape = 32, 16, 32, 32, (32, 32, 32, 32)
    pad = args.padding
    ratios = {}

    # conv2d ----------------------------------------------------------------------------------
    x = rng.standard_normal((n, c, side, side)).astype(dtype)
    w = rng.standard_normal((f, c, 3, 3)).astype(dtype)
    out_side = side + 2 * pad - 2
    g = rng.standard_normal((n, f, out_side, out_side)).astype(dtype)
    print(f"\nconv2d: x {x.shape}, filters {w.shape}, stride 1, padding {pad} -> {g.shape}; forward+backward")
    want = conv2d_flipped(x, w, g, pad)
    check_same("hand-written scatter", conv2d_scatter(x, w, g, pad), want, exact=False)
    check_same("hand-written im2col", conv2d_im2col(x, w, g, pad), want, exact=False)
    check_same("mygrad conv_nd", mygrad_conv2d(x, w, g, pad), want, exact=False)
    print("  checked: mygrad's output and both gradients equal the hand-written ones")
    conv_contenders = {
        "mygrad": lambda: mygrad_conv2d(x, w, g, pad),
        "numpy flipped-filter dx": lambda: conv2d_flipped(x, w, g, pad),
        "numpy scatter dx": lambda: conv2d_scatter(x, w, g, pad),
        "numpy im2col matmul": lambda: conv2d_im2col(x, w, g, pad),
    }
    times = time_rounds(conv_contenders, rounds)
    ratios["conv2d"] = report(
        "conv2d", times, ["numpy flipped-filter dx", "numpy scatter dx"], ["numpy im2col matmul"]
    )

    # max-pool --------------------------------------------------------------------------------
    xp = rng.standard_normal(pool_shape).astype(dtype)
    gp = rng.standard_normal((*pool_shape[:2], pool_shape[2] // 2, pool_shape[3] // 2)).astype(dtype)
    print(f"\nmax_pool: x {xp.shape}, pool (2, 2), stride 2 -> {gp.shape}; forward+backward")
    want = max_pool_take(xp, gp)
    check_same("hand-written one-hot", max_pool_onehot(xp, gp), want, exact=True)
    check_same("hand-written offsets", max_pool_offsets(xp, gp), want, exact=True)
    check_same("mygrad max_pool", mygrad_max_pool(xp, gp), want, exact=True)
    print("  checked: mygrad's output and gradient equal the hand-written ones exactly")
    pool_contenders = {
        "mygrad": lambda: mygrad_max_pool(xp, gp),
        "numpy take/put": lambda: max_pool_take(xp, gp),
        "numpy one-hot": lambda: max_pool_onehot(xp, gp),
        "numpy strided offsets": lambda: max_pool_offsets(xp, gp),
    }
    times = time_rounds(pool_contenders, rounds)
    ratios["max_pool"] = report(
        "max_pool", times, ["numpy take/put", "numpy one-hot"], ["numpy strided offsets"]
    )

    if args.profile:
        profile("conv2d forward+backward", conv_contenders["mygrad"], 5 if args.quick else 20)
        profile("max_pool forward+backward", pool_contenders["mygrad"], 5 if args.quick else 20)

    print("\nsummary (mygrad / hand-written NumPy, wall-clock medians):")
    for name, r in ratios.items():
        print(
            f"  {name}: {r['issue']:.2f}x the issue's floor, {r['best']:.2f}x the fastest hand-written version "
            f"(target <= {TARGETS[name]:.1f}x)"
        )

    if args.ref_python:
        command = [args.ref_python, os.path.abspath(__file__), "--rounds", str(rounds), "--padding", str(pad)]
        command += ["--dtype", args.dtype] + (["--quick"] if args.quick else [])
        print(f"\n=== the same under {args.ref_python} ===", flush=True)
        # run from this file's folder, so that the other interpreter does not import this checkout's mygrad
        result = subprocess.run(command, cwd=os.path.dirname(os.path.abspath(__file__)), check=False)
        if result.returncode:
            print(f"(the run under {args.ref_python} failed with exit code {result.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
