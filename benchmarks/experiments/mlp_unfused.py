"""mlp-step's gap, split in two: mygrad's operations run without the engine, against the floor.

An experiment, not part of the benchmark suite: it calls private functions of mygrad (the operations' forward
functions and gradient rules), so it runs only against this repository's mygrad, and only as long as those
private names stay where it imports them from.

The floor is hand-fused: NumPy adds ``b1`` into the temporary ``x @ W1`` in place, the relu gradient is
masked in place, the softmax is shared by the loss and its gradient. A graph of separate operations cannot
do that. This script calls the forward functions and gradient rules that mygrad's operations run (matmul,
add, relu, softmax cross-entropy), in the order mygrad's backward pass runs them, with no graph, no Tensor
and no memory guard, and times that against the floor as ``run.py`` times every workload. Its ratio is what
the operations cost as written; mygrad's ratio over it is the engine's share::

    python benchmarks/experiments/mlp_unfused.py    # in an environment where run.py works (nox -s bench's)
    python benchmarks/experiments/mlp_unfused.py --quick

The gradients are checked against the floor's before timing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the harness: benchmarks/
# isort: off
from run import print_variants  # noqa: E402  (first: it pins BLAS to one thread before NumPy is loaded)

# isort: on
import numpy as np  # noqa: E402
from workloads import Workload, mlp  # noqa: E402
from workloads._common import Arrays, Step  # noqa: E402

from mygrad._core.gradients import fit_to_shape as reduce_to_shape  # noqa: E402
from mygrad._ops.linalg import _matmul_x, _matmul_y  # noqa: E402
from mygrad.nnet.activations import _relu, _relu_grad  # noqa: E402
from mygrad.nnet.losses import _softmax_crossentropy, _softmax_crossentropy_grad  # noqa: E402


def _unfused(arrays: Arrays) -> Step:
    x, labels = arrays["x"], arrays["labels"]
    W1, b1, W2, b2 = (arrays[k] for k in ("W1", "b1", "W2", "b2"))

    def step() -> Arrays:
        z1 = x @ W1
        a1 = z1 + b1
        h = _relu(a1)
        z2 = h @ W2
        s = z2 + b2
        loss = _softmax_crossentropy(s, labels=labels)
        g_s = _softmax_crossentropy_grad(np.ones_like(loss), loss, s, labels=labels)
        g_b2 = reduce_to_shape(g_s, b2.shape)  # the additions pass their gradient on, summed to b's shape
        g_W2 = _matmul_y(g_s, z2, h, W2)
        g_h = _matmul_x(g_s, z2, h, W2)
        g_a1 = _relu_grad(g_h, h, a1)
        g_b1 = reduce_to_shape(g_a1, b1.shape)
        g_W1 = _matmul_y(g_a1, z1, x, W1)
        return {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    unfused = [Workload(**{**vars(w), "mygrad": _unfused}) for w in mlp.workloads(quick)]
    print_variants(unfused, quick, "mygrad's operations without the engine in the mygrad column:")


if __name__ == "__main__":
    main()
