"""Linear algebra: ``matmul`` (the ``@`` operator) in its vector, matrix and batched forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.registry import defufunc, operators


def _matmul_x(g: Any, out: Any, x: Any, y: Any) -> Any:
    if y.ndim == 1:
        return g * y if x.ndim == 1 else np.expand_dims(g, -1) * y
    if x.ndim == 1:  # batched (n,) @ (..., n, m): the engine sums the batch axes away
        return np.matmul(y, np.expand_dims(g, -1))[..., 0]
    return np.matmul(g, np.swapaxes(y, -1, -2))


def _matmul_y(g: Any, out: Any, x: Any, y: Any) -> Any:
    if x.ndim == 1:
        return g * x if y.ndim == 1 else np.expand_dims(x, -1) * np.expand_dims(g, -2)
    if y.ndim == 1:
        return np.matmul(np.swapaxes(x, -1, -2), np.expand_dims(g, -1))[..., 0]
    return np.matmul(np.swapaxes(x, -1, -2), g)


matmul = defufunc(
    np.matmul,
    _matmul_x,
    _matmul_y,
    doc="matmul(x, y, out=None, *, dtype=None, constant=None)\n\n"
    "The matrix product of two tensors, with NumPy's rules for vectors and stacks of matrices.",
)
operators(matmul, "__matmul__", "__rmatmul__")
