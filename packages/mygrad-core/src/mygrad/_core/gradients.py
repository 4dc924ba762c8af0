"""The one path from a rule's output to a variable's gradient.

A rule returns the gradient of its operation's output (masked by ``where``, broadcast like the output) or a
``Scatter``; ``accumulate`` brings it to the variable's shape and dtype and adds it to what the variable has.
It is written with NumPy calls that also run on Tensors, so the recorded backward pass (higher-order
derivatives), whose gradients are Tensors, goes through it too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["IGNORED", "Scatter", "accumulate", "fit_to_shape"]

IGNORED: Any = type("Ignored", (), {"__repr__": lambda self: "IGNORED", "__slots__": ()})()
"""In place of a tensor's gradient: a backward pass that does not need it (no path to what it differentiates
with respect to goes through the tensor) computes none for it."""


class Scatter:
    """A gradient that is ``values`` at ``index`` and zero elsewhere (an indexing op's), for the variable's shape.

    ``accumulate`` adds it into the variable's gradient in place, so backprop through ``x[i]`` costs the size
    of the selection, not of ``x``: iterating over a tensor stays linear.
    """

    __slots__ = ("index", "values", "basic")

    def __init__(self, index: Any, values: Any, basic: bool) -> None:
        self.index = index
        self.values = values
        self.basic = basic  # no advanced indices: no position repeats, so `+=` through the index is exact


def fit_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """``grad`` summed over the axes that broadcasting added or stretched, or broadcast up (a reduction's rule
    may return the smaller array), so that its shape is ``shape``."""
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


def accumulate(var: Any, grad: Any, where: Any = True, incoming: Any = None) -> None:
    """Add ``grad`` (the gradient of an operation's broadcast output, masked where ``where`` is False) to
    ``var``'s gradient, as an array of ``var``'s shape and dtype (a Tensor in the recorded pass).

    ``incoming`` is the gradient of the operation's output, which ``grad`` may be (a pass-through rule) or view:
    the variable's gradient is then a copy, as is any view, so that every tensor's gradient is its own."""
    old = var._grad
    if old is IGNORED:
        return
    if type(grad) is Scatter:
        _scatter_into(var, grad)
        return
    if where is not True:
        grad = np.where(where, grad, 0)
    data = var.data
    if grad.shape != data.shape:
        grad = fit_to_shape(grad, data.shape)
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
    if old is None:
        owns = False  # a rule's result: the engine never writes into what it did not make
        if type(grad) is np.ndarray:
            if grad is incoming or grad.base is not None:  # shared with the output's gradient, or a view
                grad = grad.copy()
                owns = True
        elif isinstance(grad, np.generic):  # (arithmetic on 0-d arrays gives NumPy scalars)
            grad = np.asarray(grad)
        var._grad = grad
        var._owns_grad = owns
    elif var._owns_grad and type(grad) is np.ndarray and old.ndim:
        old += grad  # into the array this pass made (NumPy's in-place 0-d addition is the slower one)
    else:
        total = old + grad
        if isinstance(
            total, np.generic
        ):  # arithmetic on 0-d arrays gives NumPy scalars; gradients are arrays
            total = np.asarray(total)
        var._grad = total
        var._owns_grad = type(total) is np.ndarray  # a fresh array, which further gradients may be added into


def _scatter_into(var: Any, scatter: Scatter) -> None:
    buffer = var._grad
    if buffer is None:
        buffer = np.zeros(var.data.shape, dtype=var.data.dtype)
    elif not var._owns_grad:
        buffer = buffer.copy()  # it may be shared with another tensor's gradient: never write into it
    values = scatter.values
    if values.dtype != buffer.dtype:
        values = values.astype(buffer.dtype)
    if scatter.basic:
        buffer[scatter.index] += values
    else:
        np.add.at(buffer, scatter.index, values)  # repeated indices accumulate
    var._grad = buffer
    var._owns_grad = True
