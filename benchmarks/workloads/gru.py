"""gru: a GRU layer over a sequence, T=30, N=32, C=64, D=128, forward and backward through time.

``s = gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh)`` (``s`` of shape (T+1, N, D), ``s[0] = 0``) followed by
``s.backward(grad)`` with a fixed random upstream gradient; gradients go to the sequence and the nine weights.
The cell, as in MyGrad 2.5.0::

    z_t = sigmoid(X_t Uz + s_{t-1} Wz + bz)
    r_t = sigmoid(X_t Ur + s_{t-1} Wr + br)
    h_t = tanh(X_t Uh + (r_t * s_{t-1}) Wh + bh)
    s_t = (1 - z_t) * h_t + z_t * s_{t-1}

The floor projects the whole sequence onto the three gates with one matrix product, steps through time (one
product for z and r together, one for h), walks back through time, and finishes with one product per weight
block. MyGrad 2.5.0's ``gru`` needs numba; without it the reference column is "n/a".
"""

from __future__ import annotations

import numpy as np

import mygrad as mg
from workloads._common import Arrays, Step, Workload, grads_of, nnet_function, rng

WEIGHTS = ("Uz", "Wz", "bz", "Ur", "Wr", "br", "Uh", "Wh", "bh")


def _arrays(T: int, N: int, C: int, D: int) -> Arrays:
    r = rng(6)
    arrays = {"X": r.standard_normal((T, N, C))}
    for gate in "zrh":
        arrays["U" + gate] = r.standard_normal((C, D)) / np.sqrt(C)
        arrays["W" + gate] = r.standard_normal((D, D)) / np.sqrt(D)
        arrays["b" + gate] = 0.1 * r.standard_normal(D)
    arrays["grad"] = r.standard_normal((T + 1, N, D))
    return arrays


def _mygrad(arrays: Arrays) -> Step:
    gru = nnet_function("gru")
    tensors = {k: mg.tensor(arrays[k]) for k in ("X", *WEIGHTS)}
    operands = [tensors[k] for k in ("X", *WEIGHTS)]
    grad = arrays["grad"]

    def step() -> Arrays:
        gru(*operands).backward(grad)
        return grads_of(**tensors)

    return step


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def _floor(arrays: Arrays) -> Step:
    X, grad = arrays["X"], arrays["grad"]
    Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh = (arrays[k] for k in WEIGHTS)

    def step() -> Arrays:
        T, N, C = X.shape
        D = Wz.shape[0]
        U = np.concatenate([Uz, Ur, Uh], axis=1)  # (C, 3D): gate blocks z, r, h
        Wzr = np.concatenate([Wz, Wr], axis=1)  # (D, 2D)
        b = np.concatenate([bz, br, bh])
        X2 = X.reshape(T * N, C)
        proj = (X2 @ U + b).reshape(T, N, 3 * D)

        s = np.zeros((T + 1, N, D))
        z = np.empty((T, N, D))
        r = np.empty((T, N, D))
        h = np.empty((T, N, D))
        rs = np.empty((T, N, D))  # r_t * s_{t-1}, the input of Wh
        for t in range(T):
            zr = _sigmoid(proj[t, :, : 2 * D] + s[t] @ Wzr)
            z[t], r[t] = zr[:, :D], zr[:, D:]
            rs[t] = r[t] * s[t]
            h[t] = np.tanh(proj[t, :, 2 * D :] + rs[t] @ Wh)
            s[t + 1] = (1 - z[t]) * h[t] + z[t] * s[t]

        g_proj = np.empty((T, N, 3 * D))  # gradients of the gates' pre-activations
        g_s = grad[T].copy()
        for t in range(T - 1, -1, -1):
            g_h = g_s * (1 - z[t]) * (1 - h[t] ** 2)
            g_rs = g_h @ Wh.T
            g_z = g_s * (s[t] - h[t]) * z[t] * (1 - z[t])
            g_r = g_rs * s[t] * r[t] * (1 - r[t])
            g_proj[t, :, :D] = g_z
            g_proj[t, :, D : 2 * D] = g_r
            g_proj[t, :, 2 * D :] = g_h
            g_s = grad[t] + g_s * z[t] + g_rs * r[t] + g_proj[t, :, : 2 * D] @ Wzr.T

        g2 = g_proj.reshape(T * N, 3 * D)
        g_U = X2.T @ g2
        g_b = g2.sum(axis=0)
        g_Wzr = s[:-1].reshape(T * N, D).T @ g2[:, : 2 * D]
        g_Wh = rs.reshape(T * N, D).T @ g2[:, 2 * D :]
        return {
            "X": (g2 @ U.T).reshape(T, N, C),
            "Uz": g_U[:, :D],
            "Wz": g_Wzr[:, :D],
            "bz": g_b[:D],
            "Ur": g_U[:, D : 2 * D],
            "Wr": g_Wzr[:, D:],
            "br": g_b[D : 2 * D],
            "Uh": g_U[:, 2 * D :],
            "Wh": g_Wh,
            "bh": g_b[2 * D :],
        }

    return step


def workloads(quick: bool) -> list[Workload]:
    T, N, C, D = (10, 8, 64, 128) if quick else (30, 32, 64, 128)
    return [
        Workload(
            name="gru",
            what=f"T={T}, N={N}, C={C}, D={D}",
            target=1.2,
            make_arrays=lambda: _arrays(T, N, C, D),
            floor=_floor,
            mygrad=_mygrad,
        )
    ]
