"""Benchmark the GRU forward + backward pass: mygrad against hand-written NumPy (and MyGrad 2.5.0).

Workload: T=30 steps, batch N=32, C=64 input features, D=128 hidden units; every input (X and the nine
weights) receives a gradient, from an upstream gradient on the whole output. BLAS is pinned to one thread.
Each round runs every contender once, in turn, and the medians over the rounds are compared.

Run from the repository root::

    python packages/mygrad-nnet/bench/bench_gru.py [--rounds 60] [--ref-python /tmp/ref/bin/python]

The MyGrad 2.5.0 column needs another interpreter with ``mygrad==2.5.0`` and numba installed; it is skipped
when that interpreter is missing or fails.
"""

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

T, N, C, D = 30, 32, 64, 128
SEED = 0


def make_inputs(seed: int = SEED) -> tuple[list[np.ndarray], np.ndarray]:
    """X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh (float64) and the upstream gradient of the (T+1, N, D) output."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(T, N, C))
    weights = []
    for _ in range(3):
        weights += [
            rng.normal(scale=1 / np.sqrt(C), size=(C, D)),
            rng.normal(scale=1 / np.sqrt(D), size=(D, D)),
            rng.normal(scale=0.1, size=D),
        ]
    G = rng.normal(size=(T + 1, N, D))
    return [X, *weights], G


# --------------------------------------------------------------------------------- hand-written NumPy


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def numpy_gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, G):
    """The GRU forward pass and its backpropagation through time, written directly in NumPy.

    Returns the states (T+1, N, D) and the gradients of sum(G * states) for X and the nine weights.
    """
    T, N, C = X.shape
    D = Uz.shape[1]
    X2 = X.reshape(T * N, C)
    x_z = (X2 @ Uz).reshape(T, N, D) + bz
    x_r = (X2 @ Ur).reshape(T, N, D) + br
    x_h = (X2 @ Uh).reshape(T, N, D) + bh

    S = np.zeros((T + 1, N, D))
    Z = np.empty((T, N, D))
    R = np.empty((T, N, D))
    H = np.empty((T, N, D))
    for t in range(T):
        s = S[t]
        z = _sigmoid(x_z[t] + s @ Wz)
        r = _sigmoid(x_r[t] + s @ Wr)
        h = np.tanh(x_h[t] + (r * s) @ Wh)
        Z[t], R[t], H[t] = z, r, h
        S[t + 1] = (1 - z) * h + z * s

    dz_all = np.empty((T, N, D))
    dr_all = np.empty((T, N, D))
    dh_all = np.empty((T, N, D))
    ds = G[T].copy()
    for t in range(T - 1, -1, -1):
        s, z, r, h = S[t], Z[t], R[t], H[t]
        d_ah = ds * (1 - z) * (1 - h * h)
        d_az = ds * (s - h) * z * (1 - z)
        d_rs = d_ah @ Wh.T
        d_ar = d_rs * s * r * (1 - r)
        dz_all[t], dr_all[t], dh_all[t] = d_az, d_ar, d_ah
        ds = ds * z + d_rs * r + d_az @ Wz.T + d_ar @ Wr.T + G[t]

    dz2, dr2, dh2 = (a.reshape(T * N, D) for a in (dz_all, dr_all, dh_all))
    S2 = S[:-1].reshape(T * N, D)
    RS2 = (R * S[:-1]).reshape(T * N, D)
    dX = (dz2 @ Uz.T + dr2 @ Ur.T + dh2 @ Uh.T).reshape(T, N, C)
    grads = [
        dX,
        X2.T @ dz2,
        S2.T @ dz2,
        dz2.sum(axis=0),
        X2.T @ dr2,
        S2.T @ dr2,
        dr2.sum(axis=0),
        X2.T @ dh2,
        RS2.T @ dh2,
        dh2.sum(axis=0),
    ]
    return S, grads


# --------------------------------------------------------------------------------- MyGrad 2.5.0 (child)

_REFERENCE_CHILD = r"""
import sys, time
import numpy as np
import mygrad as mg
from mygrad.nnet.layers import gru

arrays = [np.load(sys.argv[1] + f"/{i}.npy") for i in range(11)]
G = arrays.pop()
tensors = [mg.tensor(a) for a in arrays]

clock = time.perf_counter if sys.argv[2] == "wall" else time.process_time

def once():
    upstream = G.copy()  # MyGrad 2.5.0 writes into the gradient passed to backward
    start = clock()
    out = gru(*tensors)
    out.backward(upstream)
    return clock() - start, out, tensors

for _ in range(3):  # numba compiles on first use
    _, out, ts = once()
np.save(sys.argv[1] + "/ref_out.npy", out.data)
np.save(sys.argv[1] + "/ref_dWz.npy", ts[2].grad)
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    elapsed, _, _ = once()
    print(elapsed, flush=True)
"""


class Reference:
    """MyGrad 2.5.0 in another interpreter, driven one timed run at a time over a pipe."""

    def __init__(
        self, python: str, arrays: list[np.ndarray], G: np.ndarray, workdir: str, clock: str
    ) -> None:
        for i, a in enumerate([*arrays, G]):
            np.save(os.path.join(workdir, f"{i}.npy"), a)
        self.workdir = workdir
        self.proc = subprocess.Popen(
            [python, "-c", _REFERENCE_CHILD, workdir, clock],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.proc.kill()
            raise RuntimeError(f"the reference interpreter did not start: {self.proc.stderr.read()[-2000:]}")

    def result(self, name: str) -> np.ndarray:
        return np.load(os.path.join(self.workdir, f"ref_{name}.npy"))

    def run(self) -> float:
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()  # the child's loop ends at end of input
        self.proc.wait(timeout=60)


# --------------------------------------------------------------------------------- driver


def measure(contenders: dict, rounds: int, warmup: int) -> dict[str, list[float]]:
    """Run every contender once per round, in turn; each returns its time (or a tuple led by it)."""

    def timed(fn) -> float:
        result = fn()
        return result if isinstance(result, float) else result[0]

    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(warmup):
        for fn in contenders.values():
            timed(fn)
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(timed(fn))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--ref-python",
        default="/tmp/ref/bin/python",
        help="an interpreter with MyGrad 2.5.0 and numba ('' to skip that column)",
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter; cpu: time.process_time (steadier on a loaded machine)",
    )
    args = parser.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.process_time

    import mygrad as mg
    from mygrad.nnet.layers.gru import gru

    arrays, G = make_inputs()
    tensors = [mg.tensor(a) for a in arrays]

    def run_mygrad() -> tuple[float, np.ndarray, list]:
        start = clock()
        out = gru(*tensors)
        out.backward(G)
        return clock() - start, out.data, [t.grad for t in tensors]

    def run_numpy() -> tuple[float, np.ndarray, list]:
        start = clock()
        S, grads = numpy_gru(*arrays, G)
        return clock() - start, S, grads

    # the contenders compute the same thing
    _, S_mg, g_mg = run_mygrad()
    _, S_np, g_np = run_numpy()
    np.testing.assert_allclose(S_mg, S_np, rtol=1e-10, atol=1e-12)
    for a, b in zip(g_mg, g_np):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)

    contenders = {"hand-written NumPy": run_numpy, "mygrad": run_mygrad}
    with tempfile.TemporaryDirectory(prefix="bench_gru_") as workdir:
        reference = None
        if args.ref_python and os.path.exists(args.ref_python):
            try:
                reference = Reference(args.ref_python, arrays, G, workdir, args.clock)
                np.testing.assert_allclose(reference.result("out"), S_np, rtol=1e-10, atol=1e-12)
                np.testing.assert_allclose(reference.result("dWz"), g_np[2], rtol=1e-8, atol=1e-10)
                contenders["MyGrad 2.5.0"] = reference.run
            except (RuntimeError, OSError, AssertionError) as error:
                print(f"MyGrad 2.5.0 skipped: {error}", file=sys.stderr)
        try:
            times = measure(contenders, args.rounds, args.warmup)
        finally:
            if reference is not None:
                reference.close()

    medians = {name: statistics.median(ts) for name, ts in times.items()}
    print(
        f"GRU forward+backward, T={T} N={N} C={C} D={D}, float64, 1 BLAS thread, "
        f"{args.rounds} interleaved rounds, {args.clock} clock"
    )
    for name, median in medians.items():
        print(f"  {name:<20} median {1e3 * median:8.3f} ms")
    baseline = medians["hand-written NumPy"]
    print(f"  ratio mygrad / hand-written NumPy: {medians['mygrad'] / baseline:.3f}")
    if "MyGrad 2.5.0" in medians:
        print(f"  ratio mygrad / MyGrad 2.5.0:       {medians['mygrad'] / medians['MyGrad 2.5.0']:.3f}")


if __name__ == "__main__":
    main()
