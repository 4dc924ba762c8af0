"""Initializers: new leaf Tensors of a given shape, filled by a rule or drawn from a distribution.

The shape is given as integers, ``f(2, 3)``, or as one tuple, ``f((2, 3))``. The random ones take an
optional ``rng`` (a :class:`numpy.random.Generator`); by default they draw from NumPy's global random state.
``identity`` is :func:`mygrad.identity` itself.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor, identity
from mygrad.nnet._docs import shared_docstring
from mygrad.nnet._utils import real_array, shaped_like
from mygrad.typing import ArrayLike, DTypeLikeReals, Real

__all__ = [
    "constant",
    "dirac",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "normal",
    "uniform",
]

# MyGrad 2's submodules (``mygrad.nnet.initializers.he_normal``, ...) are served by mygrad's import aliases:
# the import system looks for a module's submodules only if it has a ``__path__``.
__path__: list[str] = []

Shape = tuple[int, ...]


# ------------------------------------------------------------------------------------- shared helpers
def _parse_shape(shape: tuple[Any, ...]) -> Shape:
    """``shape`` given as unpacked ints, ``f(2, 3)``, or as one sequence, ``f((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        dims = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(
            f"`shape` must be given as integers, e.g. f(2, 3), or as one tuple of integers, e.g. f((2, 3)); "
            f"got {shape!r}"
        ) from None
    if any(n < 0 for n in dims):
        raise ValueError(f"negative dimensions are not allowed, got shape {dims}")
    return dims


def _at_least_2d(shape: Shape, name: str) -> None:
    if len(shape) < 2:
        raise ValueError(f"{name} initialization requires a shape of at least two dimensions, got {shape}")


def _float_dtype(dtype: Any, name: str) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"{name} initialization requires a floating-point dtype, got {dtype}")
    return dtype


def _param(value: Any, name: str, shape: Shape) -> np.ndarray:
    """A distribution parameter: finite real numbers that broadcast to ``shape`` (a Tensor's are read, not
    differentiated); TypeError or ValueError naming it otherwise."""
    array = real_array(value, name)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"`{name}` must be finite, got {value!r}")
    return shaped_like(array, shape, name, "the result")


def _draw(distribution: str, shape: Shape, rng: Any, dtype: np.dtype, **params: Any) -> np.ndarray:
    """Samples of ``distribution`` ("uniform" or "normal") from ``rng`` (NumPy's global state if None)."""
    if rng is None:
        source: Any = np.random
    elif isinstance(rng, (np.random.Generator, np.random.RandomState)):
        source = rng
    else:
        raise TypeError(f"`rng` must be a numpy.random.Generator (or None), got {type(rng).__name__}")
    return np.asarray(getattr(source, distribution)(size=shape, **params), dtype=dtype)


def _leaf(values: np.ndarray, constant: bool | None) -> Tensor:
    """A new leaf Tensor that owns ``values``."""
    return mg.tensor(values, constant=constant, copy=False)


# ------------------------------------------------------------------------------------ fixed contents
@shared_docstring
def constant(
    *shape: int | tuple[int, ...],
    value: Any = 0.0,
    dtype: DTypeLikeReals | None = None,
    constant: bool | None = None,
) -> Tensor:
    """A Tensor of ``shape`` filled with ``value``: :func:`mygrad.full` with the shape unpacked.

    Parameters
    ----------
    $shape
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
    return mg.full(_parse_shape(shape), value, dtype, constant=constant)


@shared_docstring
def dirac(
    *shape: int | tuple[int, ...], dtype: DTypeLikeReals = np.float32, constant: bool | None = None
) -> Tensor:
    """A Tensor of zeros with a single one at the center of each "diagonal" filter.

    ``out[i, i, k1 // 2, ..., kn // 2] = 1`` for ``i < min(shape[0], shape[1])``, where
    ``shape = (F, C, k1, ..., kn)``. A convolution with this filter bank copies (the first ``min(F, C)``
    channels of) its input; for a 2-D shape the result is the identity matrix, cut to ``shape``.

    Parameters
    ----------
    $shape
        At least 2-D.
    dtype : data-type, optional (default float32)
        The dtype (integer dtypes are allowed too).
    constant : bool, optional
        If True, the result is a constant. By default it is one only for a non-float dtype.

    Returns
    -------
    $new_leaf

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
    dims = _parse_shape(shape)
    _at_least_2d(dims, "Dirac")
    values = np.zeros(dims, dtype=dtype)
    if math.prod(dims):
        diagonal = np.arange(min(dims[:2]))
        values[(diagonal, diagonal, *(n // 2 for n in dims[2:]))] = 1
    return _leaf(values, constant)


# ---------------------------------------------------------------------------------- distributions
@shared_docstring
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
    $shape
    lower_bound, upper_bound : array_like, optional (default 0, 1)
        The bounds of the interval (arrays broadcast against ``shape``; Tensors are read, not
        differentiated).
    $initializer_options

    Returns
    -------
    $new_leaf

    Raises
    ------
    ValueError
        If ``lower_bound >= upper_bound``, a bound is not finite or does not broadcast to the shape, ``dtype``
        is not a floating-point type or a dimension is negative.
    TypeError
        If the shape holds something other than integers, or a bound something other than real numbers.

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
    dims = _parse_shape(shape)
    dtype = _float_dtype(dtype, "Uniform")
    low, high = _param(lower_bound, "lower_bound", dims), _param(upper_bound, "upper_bound", dims)
    if np.any(low >= high):  # an empty interval, as in MyGrad 2 (NumPy would return the bound)
        raise ValueError(
            f"the uniform distribution's lower bound ({low!r}) must be less than its upper bound ({high!r})"
        )
    return _leaf(_draw("uniform", dims, rng, dtype, low=low, high=high), constant)


@shared_docstring
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
    $shape
    mean : array_like, optional (default 0)
        The mean (arrays broadcast against ``shape``; Tensors are read, not differentiated).
    std : array_like, optional (default 1)
        The non-negative standard deviation.
    $initializer_options

    Returns
    -------
    $new_leaf

    Raises
    ------
    ValueError
        If ``std < 0``, ``mean`` or ``std`` is not finite or does not broadcast to the shape, ``dtype`` is not
        a floating-point type or a dimension is negative.
    TypeError
        If the shape holds something other than integers, or ``mean`` or ``std`` something other than real
        numbers.

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
    dims = _parse_shape(shape)
    dtype = _float_dtype(dtype, "Normal")
    loc, scale = _param(mean, "mean", dims), _param(std, "std", dims)
    if np.any(scale < 0):
        raise ValueError(f"the standard deviation must be non-negative, got {scale!r}")
    return _leaf(_draw("normal", dims, rng, dtype, loc=loc, scale=scale), constant)


# ----------------------------------------------------------------------------- fan-scaled weights
def _fan_scaled(
    name: str,
    distribution: str,
    spread: float,
    fans: str,
    shape: tuple[Any, ...],
    gain: Any,
    dtype: Any,
    constant: bool | None,
    rng: Any,
) -> Tensor:
    """A weight of at least 2 dimensions drawn from ``distribution``, "uniform" on ``[-s, s]`` or "normal" with
    standard deviation ``s``, where ``s = gain * sqrt(spread / fan)`` and ``fan`` is ``fan_in + fan_out``
    (``fans="in + out"``: Glorot) or ``fan_in`` (``fans="in"``: He)."""
    dims = _parse_shape(shape)
    _at_least_2d(dims, name)
    dtype = _float_dtype(dtype, name)
    gain = _param(gain, "gain", dims)
    if np.any(gain < 0):
        raise ValueError(f"`gain` must be non-negative, got {gain!r}")
    if math.prod(dims) == 0:
        return _leaf(np.empty(dims, dtype=dtype), constant)
    receptive = math.prod(dims[2:])
    fan_in, fan_out = dims[1] * receptive, dims[0] * receptive
    s = gain * np.sqrt(spread / (fan_in + fan_out if fans == "in + out" else fan_in))
    params = {"low": -s, "high": s} if distribution == "uniform" else {"loc": 0.0, "scale": s}
    return _leaf(_draw(distribution, dims, rng, dtype, **params), constant)


@shared_docstring
def glorot_uniform(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the Glorot (Xavier) uniform distribution, ``U(-bound, bound)``.

    $fan_scaled
    ``bound = gain * sqrt(6 / (fan_in + fan_out))``.

    Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural networks" (2010).

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import glorot_uniform
    >>> w = glorot_uniform(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> bound = np.sqrt(6 / (300 + 400))
    >>> bool(np.abs(w.data).max() <= bound)
    True
    """
    return _fan_scaled("Glorot uniform", "uniform", 6, "in + out", shape, gain, dtype, constant, rng)


@shared_docstring
def glorot_normal(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the Glorot (Xavier) normal distribution, ``N(0, std**2)``.

    $fan_scaled
    ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural networks" (2010).
    The fans count the whole receptive field, as :func:`glorot_uniform`'s do (MyGrad 2 used only its last
    axis here).

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import glorot_normal
    >>> w = glorot_normal(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> print(round(float(w.data.std() / np.sqrt(2 / (300 + 400))), 1))
    1.0
    """
    return _fan_scaled("Glorot normal", "normal", 2, "in + out", shape, gain, dtype, constant, rng)


@shared_docstring
def he_uniform(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the He (Kaiming) uniform distribution, ``U(-bound, bound)``.

    $fan_scaled
    ``bound = gain * sqrt(6 / fan_in)`` (``fan_out`` is not used).

    He et al., "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
    Classification" (2015), who give the bound ``sqrt(6 / ((1 + a**2) * fan_in))`` for a rectifier of
    negative slope ``a``: use ``gain = 1 / sqrt(1 + a**2)``. (MyGrad 2 computed another bound than
    the one it documented.)

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import he_uniform
    >>> w = he_uniform(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> bool(np.abs(w.data).max() <= np.sqrt(6 / 300))
    True
    """
    return _fan_scaled("He uniform", "uniform", 6, "in", shape, gain, dtype, constant, rng)


@shared_docstring
def he_normal(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the He (Kaiming) normal distribution, ``N(0, std**2)``.

    $fan_scaled
    ``std = gain / sqrt(fan_in)`` (``fan_out`` is not used).

    He et al., "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
    Classification" (2015), who give the standard deviation ``sqrt(2 / ((1 + a**2) * fan_in))`` for a
    rectifier of negative slope ``a``: use ``gain = sqrt(2 / (1 + a**2))``.

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import he_normal
    >>> w = he_normal(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> print(round(float(w.data.std() * np.sqrt(300)), 1))
    1.0
    """
    return _fan_scaled("He normal", "normal", 1, "in", shape, gain, dtype, constant, rng)
