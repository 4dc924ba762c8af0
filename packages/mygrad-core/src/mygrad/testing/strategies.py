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
    """Shapes with 0-d and size-0 included by default.

    Parameters
    ----------
    min_dims, max_dims : int, default 0 and 3
        The bounds of the number of dimensions.
    min_side, max_side : int, default 0 and 4
        The bounds of each dimension's length.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of tuples of ints.

    Examples
    --------
    >>> from hypothesis import given
    >>> from mygrad.testing.strategies import array_shapes
    >>> @given(shape=array_shapes(min_dims=1, max_dims=2, min_side=1))
    ... def test_shapes(shape):
    ...     assert 1 <= len(shape) <= 2 and all(1 <= n <= 4 for n in shape)
    >>> test_shapes()
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(
    num_shapes: int, min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 4
) -> st.SearchStrategy:
    """``num_shapes`` shapes that broadcast together (a tuple of shapes).

    Parameters
    ----------
    num_shapes : int
        How many shapes to draw together.
    min_dims, max_dims : int, default 0 and 3
        The bounds of each shape's number of dimensions.
    min_side, max_side : int, default 0 and 4
        The bounds of each dimension's length.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of tuples of ``num_shapes`` shapes.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import given
    >>> from mygrad.testing.strategies import broadcastable_shapes
    >>> @given(shapes=broadcastable_shapes(2))
    ... def test_broadcast(shapes):
    ...     a, b = (np.zeros(shape) for shape in shapes)
    ...     assert (a + b).shape == np.broadcast_shapes(*shapes)
    >>> test_broadcast()
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda result: result.input_shapes)


def finite_floats(
    low: float = -10.0, high: float = 10.0, exclude: tuple[float, ...] = ()
) -> st.SearchStrategy:
    """Finite float64 values in ``[low, high]``, optionally avoiding some points.

    Parameters
    ----------
    low, high : float, default -10.0 and 10.0
        The bounds, included.
    exclude : tuple of float, default ()
        Points to stay more than 1e-3 away from (e.g. the kinks or poles of a function).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of floats.

    Examples
    --------
    >>> from hypothesis import given
    >>> from mygrad.testing.strategies import finite_floats
    >>> @given(x=finite_floats(-1.0, 1.0, exclude=(0.0,)))
    ... def test_away_from_zero(x):
    ...     assert -1.0 <= x <= 1.0 and abs(x) > 1e-3
    >>> test_away_from_zero()
    """
    floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return floats.filter(lambda v: all(abs(v - e) > 1e-3 for e in exclude)) if exclude else floats


def tensors(
    dtype: Any = np.float64,
    shape: Any = None,
    elements: st.SearchStrategy | None = None,
    constant: bool | None = None,
) -> st.SearchStrategy:
    """Tensors of ``dtype`` with shapes from ``shape`` (a shape or a strategy; any small shape by default).

    Parameters
    ----------
    dtype : data-type, default numpy.float64
        The tensors' dtype.
    shape : tuple of ints or hypothesis.strategies.SearchStrategy, optional
        A shape, or a strategy of shapes; :func:`array_shapes` by default.
    elements : hypothesis.strategies.SearchStrategy, optional
        The elements; by default :func:`finite_floats` for floating dtypes (Hypothesis's choice otherwise).
    constant : bool, optional
        The tensors' constant flag (by default, the usual one for ``dtype``).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of Tensors.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import given
    >>> from mygrad.testing.strategies import finite_floats, tensors
    >>> @given(x=tensors(shape=(2, 3), elements=finite_floats(-1.0, 1.0)))
    ... def test_square_gradient(x):
    ...     (x**2).sum().backward()
    ...     assert np.allclose(x.grad, 2 * x.data)
    >>> test_square_gradient()
    """
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
