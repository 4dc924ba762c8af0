"""Random tensors drawn from NumPy's global (legacy) random state, as ``numpy.random`` draws them, or from a
``numpy.random.Generator`` passed as ``rng``.

Seed the global state with :func:`seed` (or ``numpy.random.seed``), or pass ``rng=mg.random.default_rng(0)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.tensor import Tensor

__all__ = ["default_rng", "rand", "randint", "randn", "random", "random_sample", "ranf", "sample", "seed"]

default_rng = np.random.default_rng


def rand(*shape: int, constant: bool | None = None, rng: np.random.Generator | None = None) -> Tensor:
    """Uniform samples from [0, 1) of the given shape (``rand(2, 3)``).

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


def randn(*shape: int, constant: bool | None = None, rng: np.random.Generator | None = None) -> Tensor:
    """Standard normal samples of the given shape (``randn(2, 3)``).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.randn(4).shape
    (4,)
    """
    data = np.random.randn(*shape) if rng is None else rng.standard_normal(shape)
    return Tensor(data, constant=constant, copy=False)


def randint(
    low: int,
    high: int | None = None,
    shape: Any = None,
    dtype: Any = int,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Random integers from ``[low, high)`` (``[0, low)`` without ``high``); always a constant.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.random.randint(0, 5, (3,))
    >>> x.shape, x.constant
    ((3,), True)
    """
    if rng is None:
        return Tensor(np.random.randint(low, high, size=shape, dtype=dtype), copy=False)
    low, high = (0, low) if high is None else (low, high)
    return Tensor(rng.integers(low, high, size=shape, dtype=dtype), copy=False)


def random_sample(
    shape: Any = None, *, constant: bool | None = None, rng: np.random.Generator | None = None
) -> Tensor:
    """Uniform samples from [0, 1) of shape ``shape`` (a 0-d tensor by default).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.random.random_sample((2,)).shape
    (2,)
    """
    data = np.random.random_sample(shape) if rng is None else rng.random(shape)
    return Tensor(data, constant=constant, copy=False)


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
