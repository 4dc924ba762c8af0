"""The Tensor (this module path is kept for code written for MyGrad 2)."""

from mygrad._core.registry import implements_numpy_override
from mygrad._core.tensor import Tensor

__all__ = ["Tensor", "implements_numpy_override"]
