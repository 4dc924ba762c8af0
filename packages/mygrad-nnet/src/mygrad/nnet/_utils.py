"""Argument checks and array helpers shared by mygrad.nnet's modules (private).

Each check raises at the call, with an error naming the argument at fault, before any operation runs.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

from mygrad import Tensor

__all__ = ["as_float", "data", "real_scalar"]


def data(x: Any) -> Any:
    """The array behind ``x`` (a Tensor's ``.data``); anything else is returned as it is.

    Gradient rules read non-differentiable facts (signs, masks, labels) through it.
    """
    return x.data if isinstance(x, Tensor) else x


def as_float(x: Any) -> np.ndarray:
    """``x`` itself if it holds floats, else ``x`` cast as NumPy's ufuncs would cast it (``np.exp(int8)``
    is float16, ``np.exp(int64)`` is float64)."""
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return x
    return x.astype(np.result_type(x.dtype, np.float16))


def real_scalar(value: Any, name: str) -> Real:
    """``value`` as a real Python number, so that it stays "weak" in NumPy's type promotion: a
    hyperparameter never changes the dtype of a result (float32 inputs give float32 outputs).

    Python numbers are returned unchanged; a NumPy scalar, or a size-1 array or Tensor, gives its item.
    Anything else raises: TypeError for a non-real value, ValueError for an array of another size.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Real):
        return value
    if isinstance(value, (np.ndarray, Tensor)):
        if value.size != 1:
            raise ValueError(f"`{name}` must be a real-valued scalar, got an array of shape {value.shape}")
        value = value.item()
        if isinstance(value, Real):
            return value
    raise TypeError(f"`{name}` must be a real-valued scalar, got {value!r} (type {type(value).__name__})")
