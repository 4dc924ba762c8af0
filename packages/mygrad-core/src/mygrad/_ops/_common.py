"""Small helpers shared by the op declarations."""

from __future__ import annotations

from typing import Any

from mygrad._core.tensor import Tensor

__all__ = ["data"]


def data(x: Any) -> Any:
    """The array behind ``x``: rules use it for the non-differentiable facts (signs, masks, argmax)."""
    return x.data if isinstance(x, Tensor) else x
