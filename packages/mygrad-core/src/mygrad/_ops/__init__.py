"""The table of differentiable operations, one module per family. Importing it registers them all."""

from mygrad._ops import (  # noqa: F401
    elementwise,
    inplace,
    joining,
    linalg,
    rearranging,
    reductions,
    shape,
    statistics,
)
