"""The one place where a gradient is brought to the shape of its variable.

Rules return the gradient of the broadcast result; the engine sums it over the axes that broadcasting added
or stretched. A rule may also return a smaller array (a reduction's gradient before it is spread out): that is
broadcast up. Written with NumPy calls that dispatch on Tensors, so it also runs on recorded gradients.
"""

from __future__ import annotations

import numpy as np

__all__ = ["reduce_to_shape"]


def reduce_to_shape(grad, shape: tuple[int, ...]):
    """Return ``grad`` summed over broadcast axes (or broadcast up) so that its shape is ``shape``."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = np.sum(grad, axis=tuple(range(extra)))
    offset = len(shape) - grad.ndim  # > 0 when the rule returned fewer axes: aligned from the right
    stretched = tuple(i for i, g in enumerate(grad.shape) if g != 1 and shape[offset + i] == 1)
    if stretched:
        grad = np.sum(grad, axis=stretched, keepdims=True)
    if grad.shape != shape:
        grad = np.broadcast_to(grad, shape)
        if type(grad) is np.ndarray:  # a read-only view: give the variable an array of its own
            grad = grad.copy()
    return grad
