"""The Tensor (this module path is kept for code written for MyGrad 2)."""

from mygrad._core.tensor import Tensor
from mygrad._ops.registry import implements_numpy_override

__all__ = ["Tensor", "implements_numpy_override"]
