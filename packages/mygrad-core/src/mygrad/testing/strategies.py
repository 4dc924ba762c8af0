"""Hypothesis strategies for tensors and shapes (requires hypothesis, which mygrad itself does not need)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mygrad._core.tensor import Tensor

__all__ = ["array_shapes", "broadcastable_shapes", "finite_floats", "tensors"]


def array_shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 4
) -> st.SearchStrategy:
    """Shapes with 0-d and size-0 included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(
    num_shapes: int, min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 4
) -> st.SearchStrategy:
    """``num_shapes`` shapes that broadcast together (a tuple of shapes)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda result: result.input_shapes)


def finite_floats(
    low: float = -10.0, high: float = 10.0, exclude: tuple[float, ...] = ()
) -> st.SearchStrategy:
    """Finite float64 values in ``[low, high]``, optionally avoiding some points."""
    floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return floats.filter(lambda v: all(abs(v - e) > 1e-3 for e in exclude)) if exclude else floats


def tensors(
    dtype: Any = np.float64,
    shape: Any = None,
    elements: st.SearchStrategy | None = None,
    constant: bool | None = None,
) -> st.SearchStrategy:
    """Tensors of ``dtype`` with shapes from ``shape`` (a shape or a strategy; any small shape by default)."""
    arrays = hnp.arrays(
        dtype=dtype,
        shape=array_shapes() if shape is None else shape,
        elements=elements
        if elements is not None
        else finite_floats()
        if np.dtype(dtype).kind == "f"
        else None,
    )
    return arrays.map(lambda a: Tensor(a, constant=constant))
