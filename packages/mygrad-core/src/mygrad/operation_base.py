"""The public API for writing differentiable operations.

Two ways, both run by :func:`mygrad.execute_op`:

* subclass :class:`Operation` (MyGrad 2's protocol: ``__call__`` and ``backward_var``), or
* declare a :class:`Primitive` with :func:`primitive`: a forward function and one gradient rule per input,
  ``rule(g, out, *arrays, **kwargs)``; this is how mygrad declares its own ops.

Examples
--------
>>> import numpy as np
>>> import mygrad as mg
>>> from mygrad.operation_base import primitive
>>> Cube = primitive("Cube", lambda x: x**3, lambda g, out, x: 3 * g * x**2)
>>> x = mg.tensor([1.0, 2.0])
>>> y = mg.execute_op(Cube, x)
>>> y.backward()
>>> x.grad
array([ 3., 12.])
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from mygrad._core.operation import Operation, Primitive
from mygrad._core.registry import primitive as _declare
from mygrad._core.tensor import Tensor

__all__ = ["BinaryUfunc", "Operation", "Primitive", "Sequential", "Ufunc", "UnaryUfunc", "primitive"]


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


def primitive(
    name: str, forward: Any, *rules: Any, rule_at: Any = None, view: bool = False, second_order: bool = True
) -> type[Primitive]:
    """Declare a differentiable operation from its forward function and one gradient rule per input.

    Parameters
    ----------
    name : str
        The operation's class name (shown in graph diagrams).
    forward : callable
        ``forward(*arrays, **kwargs) -> ndarray``, on the inputs' data.
    *rules : callable or None
        ``rule(g, out, *arrays, **kwargs)``: the gradient with respect to that input, given ``g``, the
        gradient with respect to the output, and ``out``, the output. None: the input gets no gradient. The
        engine sums over broadcast axes, casts to the input's dtype and accumulates.
    rule_at : callable, optional
        ``rule_at(index, g, out, *arrays, **kwargs)`` instead of ``rules``, for any number of inputs.
    view : bool, default False
        The result may be a view of the first input.
    second_order : bool, default True
        Whether the rules also work on Tensors (written with NumPy calls that mygrad implements), so that
        higher-order derivatives can pass through the operation. With False they refuse to, with a clear error.

    Returns
    -------
    type[Primitive]
        Run it with ``mygrad.execute_op(op, *inputs, op_kwargs=kwargs)``.
    """
    return _declare(
        name, forward, *rules, rule_at=rule_at, view=view, second_order=second_order, register=False
    )
