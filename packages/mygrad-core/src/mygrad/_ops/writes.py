"""Results written into existing tensors and arrays: NumPy's ``out=``, and augmented assignment's target.

A result is computed out of place, as an ordinary recorded op, then handed to the engine's in-place mechanism
(``mygrad._core.inplace.mutate``), which keeps the target, its views and the graph consistent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.inplace import write_into
from mygrad._core.tensor import Tensor
from mygrad._ops._common import data

__all__ = ["write_out"]


def write_out(result: Any, out: Any, where: Any = True) -> Any:
    """NumPy's ``out=`` for a function computed out of place: a Tensor takes the result in place (differentiably,
    as a ufunc's ``out=``); an ndarray takes its values, under NumPy's rules (same shape, 'same_kind' casts).
    Where ``where`` is False, ``out`` keeps its values."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        (out,) = out
    if isinstance(out, Tensor):
        return write_into(out, result, where)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"return arrays must be of ArrayType, got {type(out).__name__}")
    values = data(result)
    if out.shape != np.shape(values):
        raise ValueError(f"output array has shape {out.shape}, but the result has shape {np.shape(values)}")
    np.copyto(out, values, casting="same_kind", where=data(where))
    if where is True:
        return result
    from mygrad._ops.rearranging import where as _where

    return _where(data(where), result, out.copy())  # what `out` now holds
