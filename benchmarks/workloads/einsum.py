"""einsum: ``mg.einsum`` forward and backward on a three-operand chain and on a batched matrix product.

``ij,jk,kl->il`` with (128, 256), (256, 256), (256, 64) and ``bij,bjk->bik`` with (32, 64, 128), (32, 128, 64),
both called with ``optimize=True`` (what a user who cares about speed writes; without it NumPy contracts three
operands in one unblocked loop). The upstream gradient is a fixed random array. The floor is the same
contraction written with ``@`` and its hand-derived transposed products.
"""

from __future__ import annotations

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, rng


def _chain_arrays(i: int, j: int, k: int, l: int) -> Arrays:  # noqa: E741
    r = rng(7)
    return {
        "A": r.standard_normal((i, j)),
        "B": r.standard_normal((j, k)),
        "C": r.standard_normal((k, l)),
        "grad": r.standard_normal((i, l)),
    }


def _batched_arrays(b: int, i: int, j: int, k: int) -> Arrays:
    r = rng(8)
    return {
        "A": r.standard_normal((b, i, j)),
        "B": r.standard_normal((b, j, k)),
        "grad": r.standard_normal((b, i, k)),
    }


def _mygrad(subscripts: str, names: str):
    def factory(arrays: Arrays) -> Step:
        tensors = {n: mg.tensor(arrays[n]) for n in names}
        operands = list(tensors.values())
        grad = arrays["grad"]

        def step() -> Arrays:
            mg.einsum(subscripts, *operands, optimize=True).backward(grad)
            return grads_of(**tensors)

        return step

    return factory


def _chain_floor(arrays: Arrays) -> Step:
    A, B, C, grad = arrays["A"], arrays["B"], arrays["C"], arrays["grad"]

    def step() -> Arrays:
        AB = A @ B
        _out = AB @ C
        g_AB = grad @ C.T
        return {"A": g_AB @ B.T, "B": A.T @ g_AB, "C": AB.T @ grad}

    return step


def _batched_floor(arrays: Arrays) -> Step:
    A, B, grad = arrays["A"], arrays["B"], arrays["grad"]

    def step() -> Arrays:
        _out = A @ B
        return {"A": grad @ B.swapaxes(1, 2), "B": A.swapaxes(1, 2) @ grad}

    return step


def workloads(quick: bool) -> list[Workload]:
    chain = (64, 128, 128, 32) if quick else (128, 256, 256, 64)
    batched = (8, 64, 128, 64) if quick else (32, 64, 128, 64)
    i, j, k, l = chain  # noqa: E741
    b, m, n, p = batched
    return [
        Workload(
            name="einsum-chain",
            what=f"ij,jk,kl->il ({i}x{j}, {j}x{k}, {k}x{l})",
            target=1.1,
            make_arrays=lambda: _chain_arrays(*chain),
            floor=_chain_floor,
            mygrad=_mygrad("ij,jk,kl->il", "ABC"),
        ),
        Workload(
            name="einsum-batched",
            what=f"bij,bjk->bik ({b}x{m}x{n}, {b}x{n}x{p})",
            target=1.1,
            make_arrays=lambda: _batched_arrays(*batched),
            floor=_batched_floor,
            mygrad=_mygrad("bij,bjk->bik", "AB"),
        ),
    ]
