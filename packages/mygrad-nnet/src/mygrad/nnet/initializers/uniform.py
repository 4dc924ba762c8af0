"""Initialization from a uniform distribution."""

from __future__ import annotations

import numpy as np

from mygrad import Tensor
from mygrad.nnet.initializers._utils import as_param, draw, float_dtype, leaf, parse_shape
from mygrad.typing import ArrayLike, DTypeLikeReals

__all__ = ["uniform"]


def uniform(
    *shape: int | tuple[int, ...],
    lower_bound: ArrayLike = 0,
    upper_bound: ArrayLike = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor of samples drawn uniformly from ``[lower_bound, upper_bound)``.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape of the result: ``uniform(2, 3)`` or ``uniform((2, 3))``.
    lower_bound, upper_bound : array_like, optional (default 0, 1)
        The bounds of the interval (arrays broadcast against ``shape``; Tensors are read, not
        differentiated).
    dtype : data-type, optional (default float32)
        A floating-point dtype.
    constant : bool, optional
        If True, the result is a constant. By default it is not.
    rng : numpy.random.Generator, optional
        The source of randomness; by default NumPy's global random state (``numpy.random.seed``).

    Returns
    -------
    Tensor
        A new leaf tensor of the given shape and dtype.

    Raises
    ------
    ValueError
        If ``lower_bound > upper_bound``, ``dtype`` is not a floating-point type or a dimension is negative.
    TypeError
        If the shape holds something other than integers.

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import uniform
    >>> w = uniform(2, 3, lower_bound=-1, upper_bound=1, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((2, 3), dtype('float32'))
    >>> bool(((-1 <= w.data) & (w.data < 1)).all())
    True
    """
    dims = parse_shape(shape)
    dtype = float_dtype(dtype, "Uniform")
    low, high = as_param(lower_bound), as_param(upper_bound)
    if np.any(np.asarray(low) > np.asarray(high)):
        raise ValueError(
            f"the uniform distribution's lower bound ({low!r}) cannot be greater than its upper bound ({high!r})"
        )
    return leaf(draw("uniform", dims, rng, dtype, low=low, high=high), constant)
