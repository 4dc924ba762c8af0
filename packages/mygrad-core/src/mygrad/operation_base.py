"""The public base classes for writing differentiable operations (see :class:`Operation`)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from mygrad._core.operation import Operation
from mygrad._core.tensor import Tensor

__all__ = ["BinaryUfunc", "Operation", "Sequential", "Ufunc", "UnaryUfunc"]


class Ufunc(Operation):
    """Base class of an operation that wraps the NumPy ufunc ``numpy_ufunc``."""

    numpy_ufunc: ClassVar[np.ufunc]

    def _run_ufunc(
        self, *tensors: Tensor, out: Any = None, where: Any = True, dtype: Any = None
    ) -> np.ndarray:
        self.variables = tensors
        if where is not True:
            self.where = where
        return self.numpy_ufunc(*(t.data for t in tensors), out=out, where=where, dtype=dtype)


class UnaryUfunc(Ufunc):
    """A ufunc of one input: implement ``backward_var``; ``__call__`` runs ``numpy_ufunc`` on the data."""

    def __call__(self, x1: Tensor, out: Any = None, *, where: Any = True, dtype: Any = None) -> np.ndarray:
        return self._run_ufunc(x1, out=out, where=where, dtype=dtype)


class BinaryUfunc(Ufunc):
    """A ufunc of two inputs: implement ``backward_var``; ``__call__`` runs ``numpy_ufunc`` on the data."""

    def __call__(
        self, x1: Tensor, x2: Tensor, out: Any = None, *, where: Any = True, dtype: Any = None
    ) -> np.ndarray:
        return self._run_ufunc(x1, x2, out=out, where=where, dtype=dtype)


class Sequential(Operation):
    """A reduction along axes, ``numpy_func(a, axis=..., keepdims=...)``: implement ``backward_var``.

    ``__call__`` stores ``axis``, ``keepdims`` and ``out_shape`` on the instance for the backward pass.
    """

    numpy_func: ClassVar[Any]

    def __call__(self, a: Tensor, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> np.ndarray:
        self.variables = (a,)
        self.axis = axis
        self.keepdims = keepdims
        out = type(self).numpy_func(a.data, axis=axis, keepdims=keepdims, **kwargs)
        self.out_shape = np.shape(out)
        return out
