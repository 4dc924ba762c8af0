"""Initialization with a constant value."""

from __future__ import annotations

from typing import Any

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.initializers._utils import parse_shape
from mygrad.typing import DTypeLikeReals

__all__ = ["constant"]


def constant(
    *shape: int | tuple[int, ...],
    value: Any = 0.0,
    dtype: DTypeLikeReals | None = None,
    constant: bool | None = None,
) -> Tensor:
    """A Tensor of ``shape`` filled with ``value``: :func:`mygrad.full` with the shape unpacked.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape: ``constant(2, 3)`` or ``constant((2, 3))``; none gives a 0-d tensor.
    value : Real, optional (default 0.0)
        The fill value.
    dtype : data-type, optional
        The dtype; by default that of ``value`` (float64 for a Python float, int64 for a Python int).
    constant : bool, optional
        If True, the result is a constant. By default it is one only for a non-float dtype.

    Returns
    -------
    Tensor
        A new leaf tensor.

    Examples
    --------
    >>> from mygrad.nnet.initializers import constant
    >>> constant(2, 3, value=0.5)
    Tensor([[0.5, 0.5, 0.5],
            [0.5, 0.5, 0.5]])
    >>> constant((2,), value=1, dtype="float32")
    Tensor([1., 1.], dtype=float32)
    """
    return mg.full(parse_shape(shape), value, dtype, constant=constant)
