"""Small helpers shared by the op declarations."""

from __future__ import annotations

from typing import Any

from mygrad._core.operation import Primitive, apply
from mygrad._core.tensor import Tensor

__all__ = ["apply_unary", "data"]


def data(x: Any) -> Any:
    """The array behind ``x``: rules use it for the non-differentiable facts (signs, masks, argmax)."""
    return x.data if isinstance(x, Tensor) else x


def apply_unary(op: type[Primitive], a: Any, constant: bool | None, **kwargs: Any) -> Tensor:
    return apply(op, (a,), kwargs, constant)
