"""Reverse-mode traversal of a graph: no recursion, so graphs of any depth work at any recursion limit.

The graph holds strong references backward only (tensor -> creator -> variables). Backprop collects the
tensors that lead to the terminal, counting how many edges consume each one, then hands gradients down in
an order where every tensor has received all of its gradient before it passes it on (Kahn's algorithm).
"""

from __future__ import annotations

import bisect
import itertools
import operator
from sys import getrefcount
from typing import Any

import numpy as np

from mygrad._core.memory import unlock
from mygrad.errors import InvalidBackprop

__all__ = ["backprop", "clear_graph", "clock"]

# Operations are stamped with a tick when recorded and tensors with one when their graph is cleared: an
# operation recorded before its input was cleared leads into a graph that is gone.
clock = itertools.count(1)


def _stale(tensor: Any) -> InvalidBackprop:
    return InvalidBackprop(
        f"Part of the computational graph containing this tensor, {tensor!r}, was cleared (by an earlier "
        "`backward()` or `clear_graph()`) before this backward pass, which cannot reach the tensors behind "
        "it. Recompute the result from its inputs, then backpropagate."
    )


def _seed(terminal: Any, grad: Any) -> np.ndarray:
    shape = terminal.data.shape
    if grad is None:
        return np.ones(shape, dtype=terminal.data.dtype)
    if not isinstance(grad, np.ndarray):
        grad = getattr(grad, "data", grad)  # a Tensor's array
    if np.iscomplexobj(grad):  # casting would drop the imaginary part (NumPy only warns)
        raise TypeError(f"`tensor.backward(grad)` was passed a complex gradient ({np.asarray(grad).dtype})")
    # not copied (as in MyGrad 2, `.grad` may be the array passed): the engine never writes into a gradient
    # it did not make
    grad = np.asarray(grad, dtype=terminal.data.dtype)
    if grad.shape != shape:
        try:
            ok = np.broadcast_shapes(grad.shape, shape) == shape
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(
                "`tensor.backward(grad)` was passed a gradient with an incompatible shape: "
                f"{grad.shape} does not broadcast to the tensor's shape {shape}"
            )
        grad = np.broadcast_to(grad, shape).copy()
    return grad


def backprop(terminal: Any, grad: Any = None) -> None:
    """Accumulate d(terminal)/d(tensor) into ``tensor._grad`` for every tensor of the graph, then clear it.

    Operations are stamped with increasing ticks as they are recorded, and an operation is recorded after
    the operations that made its inputs: handing gradients down in decreasing tick order, every tensor has
    received all of its gradient before its creator passes it on.
    """
    seed = _seed(terminal, grad)
    if terminal._creator is None and terminal._cleared:
        raise _stale(terminal)

    nodes = [terminal]  # every non-constant tensor of the graph
    order = []  # (tick of its creator, tensor) for the nodes that have a creator
    constants = []  # constant results: no gradient passes through them, but their graphs are cleared too
    reads = {id(terminal): 0}  # id(tensor) -> how many times the graph's operations read it
    stack = [terminal]
    while stack:
        tensor = stack.pop()
        op = tensor._creator
        if op is None:
            continue
        tick = op._tick
        order.append((tick, tensor))
        variables = op.variables
        for var in variables:
            if var._history is not None:  # mutated in place since op read it (`_variables`, inlined)
                variables = _variables(op)
                break
        for var in variables:
            if var._constant:
                if var._creator is not None:
                    constants.append(var)
                continue
            if var._cleared > tick:
                raise _stale(var)
            key = id(var)
            count = reads.get(key)
            if count is None:
                reads[key] = 1
                nodes.append(var)
                stack.append(var)
            else:
                reads[key] = count + 1
    order.sort(key=_first, reverse=True)

    for t in nodes:
        t._grad = None
    terminal._grad = seed
    terminal._owns_grad = False
    try:
        for _, tensor in order:
            g = tensor._grad
            if g is not None:
                tensor._creator._backward(g, tensor)
                del g
                # Its gradient has been passed on. Referenced by this graph alone (the operations that read it,
                # and this function), the tensor is out of everyone's reach: free its gradient now, so that the
                # peak memory of backprop holds a few gradients, not one per intermediate.
                if getrefcount(tensor) == _OWN_REFERENCES + reads[id(tensor)] and tensor is not terminal:
                    tensor._grad = None
    except BaseException:
        for t in nodes:  # no half-computed gradients; the graph stays, so backward can be retried
            t._grad = None
        raise
    _clear(nodes)
    for constant in constants:
        clear_graph(constant)


_first = operator.itemgetter(0)


def _own_references() -> int:
    """The references that ``backprop`` holds to the tensor its loop is at (``nodes``, ``order``, the loop
    variable, getrefcount's argument), as this interpreter counts them (3.14 borrows some on its stack)."""
    probe = object()
    _nodes, order = [probe], [(0, probe)]  # as backprop holds the tensor: in a list, and in a pair in a list
    del probe
    for _, tensor in order:
        return getrefcount(tensor)
    raise AssertionError("unreachable")


_OWN_REFERENCES = _own_references()


def resolve(var: Any, tick: int) -> Any:
    """The tensor that held ``var``'s value when the operation stamped ``tick`` read it: ``var`` itself, or the
    stand-in for its state before the first in-place operation after ``tick`` (see ``mygrad._core.inplace``)."""
    history = var._history
    i = bisect.bisect_right(history, tick, key=_first)  # the history is in the order of its ticks
    return var if i == len(history) else history[i][1]


def _variables(op: Any) -> tuple:
    """``op.variables``, each as it was when ``op`` read it (resolved for good, in the op itself)."""
    variables = op.variables
    for var in variables:
        if var._history is not None:
            tick = op._tick
            op.variables = variables = tuple(v if v._history is None else resolve(v, tick) for v in variables)
            break
    return variables


def _clear(tensors: list) -> None:
    tick = next(clock)
    held = []  # the operations' memory locks, released together (one acquisition of the guard's mutex)
    for t in tensors:
        t._history = None  # what read its old states is cleared, or finds the tensor cleared
        op = t._creator
        if op is not None:
            locked = op._locked
            if locked is not None:
                held += locked
                out = op._locked_out
                if out is not None:
                    held.append(out)
                op._locked = None
            t._creator = None
            t._cleared = tick
    if held:
        unlock(held)


def clear_graph(terminal: Any) -> None:
    """Disconnect every tensor up-graph of ``terminal`` (constants included) from its creator."""
    seen = {id(terminal)}
    tensors = [terminal]
    stack = [terminal]
    while stack:
        op = stack.pop()._creator
        if op is None:
            continue
        for var in _variables(op):
            if id(var) not in seen:
                seen.add(id(var))
                tensors.append(var)
                stack.append(var)
    _clear(tensors)
