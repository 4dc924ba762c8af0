"""The table of differentiable operations, one module per family. Importing it registers them all."""

from mygrad._ops import elementwise, linalg, reductions, shape  # noqa: F401
