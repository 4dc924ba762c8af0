"""Initialization from a normal distribution."""

from __future__ import annotations

import numpy as np

from mygrad import Tensor
from mygrad.nnet.initializers._utils import as_param, draw, float_dtype, leaf, parse_shape
from mygrad.typing import ArrayLike, DTypeLikeReals

__all__ = ["normal"]


def normal(
    *shape: int | tuple[int, ...],
    mean: ArrayLike = 0,
    std: ArrayLike = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor of samples drawn from the normal distribution ``N(mean, std**2)``.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape of the result: ``normal(2, 3)`` or ``normal((2, 3))``.
    mean : array_like, optional (default 0)
        The mean (arrays broadcast against ``shape``; Tensors are read, not differentiated).
    std : array_like, optional (default 1)
        The non-negative standard deviation.
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
        If ``std < 0``, ``dtype`` is not a floating-point type or a dimension is negative.
    TypeError
        If the shape holds something other than integers.

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import normal
    >>> w = normal(1000, 100, mean=1.0, std=0.5, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((1000, 100), dtype('float32'))
    >>> print(round(float(w.data.mean()), 2), round(float(w.data.std()), 2))
    1.0 0.5
    """
    dims = parse_shape(shape)
    dtype = float_dtype(dtype, "Normal")
    loc, scale = as_param(mean), as_param(std)
    if np.any(np.asarray(scale) < 0):
        raise ValueError(f"the standard deviation must be non-negative, got {scale!r}")
    return leaf(draw("normal", dims, rng, dtype, loc=loc, scale=scale), constant)
