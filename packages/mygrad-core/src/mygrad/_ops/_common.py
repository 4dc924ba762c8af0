"""Small helpers shared by the op declarations."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from mygrad._core.arrays import is_foreign
from mygrad._core.operation import apply, declare
from mygrad._core.tensor import Tensor

__all__ = ["Casting", "call", "data", "undefined"]

# NumPy's casting rules, as its own annotations spell them
Casting = Literal["no", "equiv", "safe", "same_kind", "unsafe"]


def data(x: Any) -> Any:
    """The array behind ``x``: rules use it for the non-differentiable facts (signs, masks, argmax)."""
    return x.data if isinstance(x, Tensor) else x


def call(op: Any, *args: Any, **kwargs: Any) -> Any:
    """``op`` on arrays, or recorded (differentiable again) when an argument is a Tensor: how a rule runs an
    internal op whose own rule gives the next derivative."""
    if any(isinstance(a, Tensor) for a in args):
        return apply(op, args, kwargs)
    return op.forward(*args, **kwargs)


# The gradient `grad` with NaN where it does not exist, as a recorded op of `grad` and the variable `x` it is the
# gradient for (see `undefined`). Its derivatives are undefined where it is: in `grad` at those elements, and in
# `x` at the same elements (how an undefined derivative depends on x is unknown: at least through its own element).
Undefined = declare(
    "Undefined",
    lambda grad, x, *, at: np.where(at, np.nan, grad),
    lambda g, out, grad, x, *, at: undefined(np.where(at, 0, g), at, g, x),
    lambda g, out, grad, x, *, at: undefined(np.zeros_like(g), at, g, x),
)


def undefined(grad: Any, at: Any, g: Any, x: Any) -> Any:
    """``grad``, a rule's result for the cotangent ``g`` and the variable ``x``, with NaN where the derivative
    does not exist (``at``, of ``x``'s shape; for ``nan_to_num=False``), and so at every order of
    differentiation. Where ``g`` is 0 it stays 0 (not 0 * NaN): an element that does not reach the differentiated
    value has derivative 0 there, so that the other elements' derivatives stay exact to every order."""
    at = at & (data(g) != 0)
    # (another library's array: no test, which would compute it; np.where where nothing is undefined is grad)
    return call(Undefined, grad, x, at=at) if is_foreign(at) or np.any(at) else grad
