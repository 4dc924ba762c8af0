"""Shape parsing, fan computation and random draws shared by the initializers (private)."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor

__all__ = [
    "as_param",
    "at_least_2d",
    "check_gain",
    "draw",
    "fan_scaled",
    "fans",
    "float_dtype",
    "leaf",
    "parse_shape",
]


def parse_shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
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


def at_least_2d(shape: tuple[int, ...], name: str) -> None:
    if len(shape) < 2:
        raise ValueError(f"{name} initialization requires a shape of at least two dimensions, got {shape}")


def float_dtype(dtype: Any, name: str) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"{name} initialization requires a floating-point dtype, got {dtype}")
    return dtype


def as_param(value: Any) -> Any:
    """A distribution parameter: a Tensor's data (never differentiated), anything else as it is."""
    return value.data if isinstance(value, Tensor) else value


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape`` (out, in, *receptive field)."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def check_gain(gain: Any) -> Any:
    gain = as_param(gain)
    if np.any(np.asarray(gain) < 0):
        raise ValueError(f"`gain` must be non-negative, got {gain!r}")
    return gain


def draw(distribution: str, shape: tuple[int, ...], rng: Any, dtype: np.dtype, **params: Any) -> np.ndarray:
    """Samples of ``distribution`` ("uniform" or "normal") from ``rng`` (NumPy's global state if None)."""
    if rng is None:
        source: Any = np.random
    elif isinstance(rng, (np.random.Generator, np.random.RandomState)):
        source = rng
    else:
        raise TypeError(f"`rng` must be a numpy.random.Generator (or None), got {type(rng).__name__}")
    return np.asarray(getattr(source, distribution)(size=shape, **params), dtype=dtype)


def leaf(values: np.ndarray, constant: bool | None) -> Tensor:
    """A new leaf Tensor that owns ``values``."""
    return mg.tensor(values, constant=constant, copy=False)


def fan_scaled(
    name: str,
    distribution: str,
    scale: Any,
    shape: tuple[Any, ...],
    gain: Any,
    dtype: Any,
    constant: bool | None,
    rng: Any,
) -> Tensor:
    """A weight of at least 2 dimensions drawn from ``distribution``, "uniform" on ``[-s, s]`` or "normal" with
    standard deviation ``s``, where ``s = gain * scale(fan_in, fan_out)`` (the Glorot and He initializers)."""
    dims = parse_shape(shape)
    at_least_2d(dims, name)
    dtype = float_dtype(dtype, name)
    gain = check_gain(gain)
    if math.prod(dims) == 0:
        return leaf(np.empty(dims, dtype=dtype), constant)
    s = gain * scale(*fans(dims))
    params = {"low": -s, "high": s} if distribution == "uniform" else {"loc": 0.0, "scale": s}
    return leaf(draw(distribution, dims, rng, dtype, **params), constant)
