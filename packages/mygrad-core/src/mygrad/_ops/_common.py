"""Small helpers shared by the op declarations."""

from __future__ import annotations

from typing import Any, Literal

from mygrad._core.operation import apply
from mygrad._core.tensor import Tensor

__all__ = ["Casting", "call", "data"]

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
