"""Linear algebra (``mygrad.linalg``): differentiable versions of ``numpy.linalg`` functions."""

from mygrad._ops.linalg import det, inv, norm, slogdet, solve

__all__ = ["det", "inv", "norm", "slogdet", "solve"]
