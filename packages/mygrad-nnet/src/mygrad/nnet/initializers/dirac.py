"""Dirac-delta initialization: a filter bank that passes its input through."""

from __future__ import annotations

import math

import numpy as np

from mygrad import Tensor
from mygrad.nnet.initializers._utils import at_least_2d, leaf, parse_shape
from mygrad.typing import DTypeLikeReals

__all__ = ["dirac"]


def dirac(
    *shape: int | tuple[int, ...], dtype: DTypeLikeReals = np.float32, constant: bool | None = None
) -> Tensor:
    """A Tensor of zeros with a single one at the center of each "diagonal" filter.

    ``out[i, i, k1 // 2, ..., kn // 2] = 1`` for ``i < min(shape[0], shape[1])``, where
    ``shape = (F, C, k1, ..., kn)``. A convolution with this filter bank copies (the first ``min(F, C)``
    channels of) its input; for a 2-D shape the result is the identity matrix, cut to ``shape``.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape, at least 2-D: ``dirac(2, 3, 3)`` or ``dirac((2, 3, 3))``.
    dtype : data-type, optional (default float32)
        The dtype (integer dtypes are allowed too).
    constant : bool, optional
        If True, the result is a constant. By default it is one only for a non-float dtype.

    Returns
    -------
    Tensor
        A new leaf tensor of the given shape and dtype.

    Raises
    ------
    ValueError
        If the shape has fewer than two dimensions.

    Examples
    --------
    >>> from mygrad.nnet.initializers import dirac
    >>> dirac(2, 3)
    Tensor([[1., 0., 0.],
            [0., 1., 0.]], dtype=float32)
    >>> dirac(2, 2, 3)
    Tensor([[[0., 1., 0.],
             [0., 0., 0.]],
    <BLANKLINE>
            [[0., 0., 0.],
             [0., 1., 0.]]], dtype=float32)
    """
    dims = parse_shape(shape)
    at_least_2d(dims, "Dirac")
    values = np.zeros(dims, dtype=dtype)
    if math.prod(dims):
        diagonal = np.arange(min(dims[:2]))
        values[(diagonal, diagonal, *(n // 2 for n in dims[2:]))] = 1
    return leaf(values, constant)
