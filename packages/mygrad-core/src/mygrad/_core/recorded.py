"""The recorded backward pass: gradients computed as Tensors, in a graph of their own.

The same rules as first-order backprop run here on Tensors instead of arrays (graph tracking on), so every
gradient is itself differentiable: that is all higher-order derivatives need. The forward graph is kept (the
gradient graph reads it); only the tensors on a path to ``inputs`` (all, by default) are visited.

An operation with a ``composite`` (the same function built from differentiable mygrad operations, for rules
written for arrays only) is differentiated through it instead: a nested pass over the composite's own graph,
which stops at the operation's inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.backprop import _stale, _variables
from mygrad._core.broadcast import reduce_to_shape
from mygrad._core.operation import Operation, Primitive, Scatter, scatter_add
from mygrad._core.state import state
from mygrad._core.tensor import Tensor

__all__ = ["recorded_gradients"]


def _graph_order(terminal: Tensor, stop: frozenset[int] = frozenset()) -> list[Tensor]:
    """The non-constant tensors of ``terminal``'s graph, each after every tensor that consumes it.

    The walk does not go past the tensors whose ids are in ``stop`` (they are listed, their creators are not
    followed)."""
    if terminal._creator is None and terminal._cleared:
        raise _stale(terminal)
    pending: dict[int, int] = {}
    stack = [terminal]
    while stack:
        tensor = stack.pop()
        op = tensor._creator
        if op is None or id(tensor) in stop:
            continue
        for var in _variables(op):
            if var._cleared > op._tick and not var._constant:
                raise _stale(var)
            if not var._constant:
                if id(var) not in pending:
                    pending[id(var)] = 0
                    stack.append(var)
                pending[id(var)] += 1
    order, ready = [], [terminal]
    while ready:
        tensor = ready.pop()
        order.append(tensor)
        if tensor._creator is not None and id(tensor) not in stop:
            for var in tensor._creator.variables:
                if not var._constant:
                    pending[id(var)] -= 1
                    if not pending[id(var)]:
                        ready.append(var)
    return order


def _on_paths_to(order: list[Tensor], inputs: list[Tensor]) -> set[int]:
    """The ids of the tensors in ``order`` from which some input can be reached (inputs included)."""
    relevant = {id(x) for x in inputs}
    for tensor in reversed(order):  # inputs' consumers after the inputs
        op = tensor._creator
        if op is not None and any(id(var) in relevant for var in op.variables):
            relevant.add(id(tensor))
    return relevant


def _op_gradients(op: Operation, g: Tensor, out: Tensor) -> list[tuple[Tensor, Any]]:
    """``(variable, its gradient)`` for the non-constant variables of ``op``, computed on Tensors."""
    name = type(op).__name__
    if getattr(op, "composite", None) is not None:
        return _composite_gradients(op, g)
    if isinstance(op, Primitive):
        if not type(op).second_order:
            raise NotImplementedError(
                f"the gradient of {name} is not differentiable yet: higher-order derivatives (create_graph=True, "
                "mygrad.grad of a gradient, ...) cannot pass through it"
            )
        variables = op.variables
        return [
            (var, rule(g, out, *variables, **op.kwargs))
            for var, rule in zip(variables, op._rules())
            if not var._constant and rule is not None
        ]
    grads = []
    for index, var in enumerate(op.variables):
        if var._constant:
            continue
        grad = op.backward_var(g, index)
        if not isinstance(grad, Tensor):
            raise TypeError(
                f"{name}.backward_var returned {type(grad).__name__}, not a Tensor: the operation {name} breaks "
                "the chain of higher-order derivatives. Compute its gradient from `grad` and `self.variables` "
                "with mygrad operations (so that it returns a Tensor) to support them."
            )
        grads.append((var, grad))
    return grads


def _composite_gradients(op: Operation, g: Tensor) -> list[tuple[Tensor, Tensor]]:
    """The gradients of ``op``'s non-constant variables as the recorded gradients of ``op.composite``: the same
    function, built on the variables from differentiable operations (graph tracking is on here).

    The walk stops at the variables, so only the composite's own graph is visited."""
    variables = op.variables
    wanted = list({id(var): var for var in variables if not var._constant}.values())  # each tensor once
    kwargs = op.kwargs if isinstance(op, Primitive) else {}
    result = op.composite(*variables, **kwargs)
    if not isinstance(result, Tensor) or result.shape != g.shape:
        raise TypeError(
            f"{type(op).__name__}.composite must return a Tensor of the operation's output shape {g.shape}, "
            f"got {type(result).__name__}{'' if not isinstance(result, Tensor) else f' of shape {result.shape}'}"
        )
    grads = recorded_gradients(result, g, wanted, stop=frozenset(id(var) for var in wanted))
    return [(var, grads[id(var)]) for var in wanted if id(var) in grads]


def _as_gradient(grad: Any, var: Tensor, where: Any) -> Tensor:
    """A rule's result as a Tensor of ``var``'s shape and dtype (the engine's work in graph form)."""
    if type(grad) is Scatter:
        grad = scatter_add(grad.values, grad.index, var.shape, grad.basic)
    if not isinstance(grad, Tensor):
        grad = Tensor(grad, constant=True, copy=False)
    if where is not True:
        grad = np.where(where, grad, 0)
    if grad.shape != var.shape:
        grad = reduce_to_shape(grad, var.shape)
    if grad.dtype != var.dtype:
        grad = grad.astype(var.dtype)
    return grad


def recorded_gradients(
    terminal: Tensor, seed: Tensor, inputs: list[Tensor] | None = None, stop: frozenset[int] = frozenset()
) -> dict[int, Tensor]:
    """d(terminal)/d(tensor), weighted by ``seed``, as differentiable Tensors keyed by ``id(tensor)``.

    ``stop``: ids of tensors whose creators are not followed (their gradients are the partial derivatives
    through the paths that end at them)."""
    order = _graph_order(terminal, stop)
    relevant = None if inputs is None else _on_paths_to(order, inputs)
    grads: dict[int, Tensor] = {id(terminal): seed}
    saved, state.tracking = state.tracking, True
    try:
        for tensor in order:
            op, g = tensor._creator, grads.get(id(tensor))
            if (
                op is None
                or g is None
                or id(tensor) in stop
                or (relevant is not None and id(tensor) not in relevant)
            ):
                continue
            for var, grad in _op_gradients(op, g, tensor):
                if relevant is not None and id(var) not in relevant:
                    continue
                grad = _as_gradient(grad, var, getattr(op, "where", True))
                old = grads.get(id(var))
                grads[id(var)] = grad if old is None else old + grad
    finally:
        state.tracking = saved
    return grads


def backward_recorded(terminal: Tensor, grad: Any = None) -> None:
    """``terminal.backward(grad, create_graph=True)``: every tensor's ``.grad`` as an array, and as a Tensor
    in ``.grad_tensor``; the graph is kept."""
    from mygrad._core.backprop import _seed

    # a copy of an array: the graph that reads the seed locks it
    seed = grad if isinstance(grad, Tensor) else Tensor(_seed(terminal, grad), constant=True)
    grads = recorded_gradients(terminal, seed)
    for tensor in _graph_order(terminal):
        tensor._grad = None
        grad_tensor = grads.get(id(tensor))
        if grad_tensor is not None:
            tensor._grad_tensor = grad_tensor
            tensor._grad = grad_tensor.data
