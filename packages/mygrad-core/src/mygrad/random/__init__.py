"""Random tensors drawn from NumPy's global (legacy) random state, as ``numpy.random`` draws them.

Seed it with :func:`seed` (or ``numpy.random.seed``) for reproducible draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.tensor import Tensor

__all__ = ["rand", "randint", "randn", "random", "random_sample", "ranf", "sample", "seed"]


def rand(*shape: int, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1) of the given shape (``rand(2, 3)``).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.rand(2, 3).shape
    (2, 3)
    """
    return Tensor(np.random.rand(*shape), constant=constant, copy=False)


def randn(*shape: int, constant: bool | None = None) -> Tensor:
    """Standard normal samples of the given shape (``randn(2, 3)``).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.randn(4).shape
    (4,)
    """
    return Tensor(np.random.randn(*shape), constant=constant, copy=False)


def randint(low: int, high: int | None = None, shape: Any = None, dtype: Any = int) -> Tensor:
    """Random integers from ``[low, high)`` (``[0, low)`` without ``high``); always a constant.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.random.randint(0, 5, (3,))
    >>> x.shape, x.constant
    ((3,), True)
    """
    return Tensor(np.random.randint(low, high, size=shape, dtype=dtype), copy=False)


def random_sample(shape: Any = None, *, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1) of shape ``shape`` (a 0-d tensor by default).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.random_sample((2,)).shape
    (2,)
    """
    return Tensor(np.random.random_sample(shape), constant=constant, copy=False)


random = ranf = sample = random_sample


def seed(seed_number: int | None) -> None:
    """Seed NumPy's global random state (``numpy.random.seed``).

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
