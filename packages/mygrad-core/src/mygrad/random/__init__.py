"""Random tensors drawn from NumPy's global (legacy) random state, as ``numpy.random`` draws them, or from a
``numpy.random.Generator`` passed as ``rng``.

Seed the global state with :func:`seed` (or ``numpy.random.seed``), or pass ``rng=mg.random.default_rng(0)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring

__all__ = ["default_rng", "rand", "randint", "randn", "random", "random_sample", "ranf", "sample", "seed"]

default_rng = np.random.default_rng


@shared_docstring
def rand(*shape: int, constant: bool | None = None, rng: np.random.Generator | None = None) -> Tensor:
    """Uniform samples from [0, 1) of the given shape (``rand(2, 3)``).

    Parameters
    ----------
    *shape : int
        The dimensions (none: a 0-d tensor).
    constant : bool, optional
        Whether the tensor is a constant (by default it is not: the samples are floats).
    rng : numpy.random.Generator, optional
        The generator to draw from; NumPy's global random state by default.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.rand(2, 3).shape
    (2, 3)
    >>> mg.random.rand(2, rng=mg.random.default_rng(0)).shape
    (2,)
    """
    data = np.random.rand(*shape) if rng is None else rng.random(shape)
    return Tensor(data, constant=constant, copy=False)


@shared_docstring
def randn(*shape: int, constant: bool | None = None, rng: np.random.Generator | None = None) -> Tensor:
    """Standard normal samples of the given shape (``randn(2, 3)``).

    Parameters
    ----------
    *shape : int
        The dimensions (none: a 0-d tensor).
    constant : bool, optional
        Whether the tensor is a constant (by default it is not: the samples are floats).
    rng : numpy.random.Generator, optional
        The generator to draw from; NumPy's global random state by default.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.random.randn(2, 3, rng=mg.random.default_rng(0))
    >>> x.shape, x.dtype, x.constant
    ((2, 3), dtype('float64'), False)
    """
    data = np.random.randn(*shape) if rng is None else rng.standard_normal(shape)
    return Tensor(data, constant=constant, copy=False)


@shared_docstring
def randint(
    low: int,
    high: int | None = None,
    shape: Any = None,
    dtype: Any = int,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Random integers from ``[low, high)`` (``[0, low)`` without ``high``); always a constant.

    Parameters
    ----------
    low : int
        The lowest value that may be drawn (or, without ``high``, one more than the highest).
    high : int, optional
        One more than the highest value that may be drawn.
    shape : int or tuple of ints, optional
        The shape of the result; a 0-d tensor by default.
    dtype : data-type, default int
        An integer type.
    rng : numpy.random.Generator, optional
        The generator to draw from; NumPy's global random state by default.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.random.randint(0, 5, (3,))
    >>> x.shape, x.constant
    ((3,), True)
    >>> bool(((0 <= x) & (x < 5)).all())
    True
    >>> mg.random.randint(2, shape=4, rng=mg.random.default_rng(0)).shape
    (4,)
    """
    if rng is None:
        return Tensor(np.random.randint(low, high, size=shape, dtype=dtype), copy=False)
    low, high = (0, low) if high is None else (low, high)
    return Tensor(rng.integers(low, high, size=shape, dtype=dtype), copy=False)


@shared_docstring
def random_sample(
    shape: Any = None, *, constant: bool | None = None, rng: np.random.Generator | None = None
) -> Tensor:
    """Uniform samples from [0, 1) of shape ``shape`` (a 0-d tensor by default).

    Parameters
    ----------
    shape : int or tuple of ints, optional
        The shape of the result; a 0-d tensor by default.
    constant : bool, optional
        Whether the tensor is a constant (by default it is not: the samples are floats).
    rng : numpy.random.Generator, optional
        The generator to draw from; NumPy's global random state by default.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.random_sample((2,)).shape
    (2,)
    >>> x = mg.random.random(rng=mg.random.default_rng(0))
    >>> x.shape, bool(0 <= x < 1)
    ((), True)
    """
    data = np.random.random_sample(shape) if rng is None else rng.random(shape)
    return Tensor(data, constant=constant, copy=False)


random = ranf = sample = random_sample


def seed(seed_number: int | None) -> None:
    """Seed NumPy's global random state (``numpy.random.seed``).

    Parameters
    ----------
    seed_number : int or None
        The seed; None seeds from the operating system's entropy.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.seed(0)
    >>> a = mg.random.rand(2)
    >>> mg.random.seed(0)
    >>> bool((a == mg.random.rand(2)).all())
    True
    """
    np.random.seed(seed_number)
