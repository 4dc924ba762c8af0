"""The backward pass: one loop for first-order gradients (arrays) and recorded ones (Tensors, differentiable).

The graph holds strong references backward only (tensor -> creator -> variables). ``collect`` walks it from the
terminal, without recursion (graphs of any depth work at any recursion limit); operations are stamped with
increasing ticks as they are recorded, after the operations that made their inputs, so handing gradients down
in decreasing tick order gives every tensor all of its gradient before its creator passes it on.

Each tensor's gradient accumulates in its ``_grad`` (``mygrad._core.gradients.accumulate``). First-order
backprop runs the rules on arrays, then clears the graph. The recorded pass runs the same rules, with graph
recording on, on Tensors: its gradients are differentiable, which is all higher-order derivatives need; it
keeps the graph. The function transforms (``mygrad.grad`` ...) run the recorded pass and give every tensor
its old gradient back afterwards.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from typing import Any

import numpy as np

from mygrad._core.gradients import IGNORED
from mygrad._core.guard import unlock
from mygrad._core.state import recording
from mygrad._core.views import view_grad
from mygrad.errors import InvalidBackprop

__all__ = ["backprop", "clear_graph", "clock", "collect", "gradients", "resolve"]

# Operations are stamped with a tick when recorded and tensors with one when their graph is cleared: an
# operation recorded before its input was cleared leads into a graph that is gone.
clock = itertools.count(1)

_tick_of = operator.itemgetter(0)


def _stale(tensor: Any) -> InvalidBackprop:
    return InvalidBackprop(
        f"Part of the computational graph containing this tensor, {tensor!r}, was cleared (by an earlier "
        "`backward()` or `clear_graph()`) before this backward pass, which cannot reach the tensors behind "
        "it. Recompute the result from its inputs, then backpropagate."
    )


def resolve(var: Any, tick: int) -> Any:
    """The tensor that held ``var``'s value when the operation stamped ``tick`` read it: ``var`` itself, or the
    stand-in for its state before the first in-place operation after ``tick`` (see ``mygrad._core.inplace``)."""
    history = var._history
    i = bisect.bisect_right(history, tick, key=_tick_of)  # the history is in the order of its ticks
    return var if i == len(history) else history[i][1]


def variables(op: Any) -> tuple:
    """``op``'s inputs, each as it was when ``op`` read it (resolved for good, in the op itself)."""
    variables = op._variables
    for var in variables:
        if var._history is not None:
            tick = op._tick
            op._variables = variables = tuple(
                v if v._history is None else resolve(v, tick) for v in variables
            )
            break
    return variables


def collect(terminal: Any, stop: Any = frozenset()) -> tuple[list, list, list]:
    """The graph behind ``terminal``: ``(nodes, order, constants)``.

    ``nodes``: its differentiable tensors, the terminal first; ``order``: ``(tick, tensor)`` for those with a
    creator, consumers before what they consume (decreasing ticks of their creators); ``constants``: the
    constant tensors with a creator that it reads (no gradient passes through them, but their graphs are
    cleared with it). The walk does not go past the tensors whose ids are in ``stop`` (they are nodes; their
    creators are not followed). Raises InvalidBackprop if part of the graph was cleared.

    (``clear_graph`` walks the graph on its own: it follows constants too, and never raises.)
    """
    if terminal._creator is None and terminal._cleared:
        raise _stale(terminal)
    seen = {id(terminal)}
    nodes = [terminal]
    ticked = []  # (tick of its creator, tensor)
    constants = []
    stack = [terminal]
    while stack:
        tensor = stack.pop()
        op = tensor._creator
        if op is None or id(tensor) in stop:
            continue
        tick = op._tick
        ticked.append((tick, tensor))
        inputs = op._variables
        for var in inputs:
            if var._history is not None:  # mutated in place since op read it (`variables`, inlined)
                inputs = variables(op)
                break
        for var in inputs:
            key = id(var)
            if key not in seen:
                seen.add(key)
                if not var._constant:
                    if var._cleared > tick:
                        raise _stale(var)
                    nodes.append(var)
                    stack.append(var)
                elif var._creator is not None:
                    constants.append(var)
    ticked.sort(key=_tick_of, reverse=True)
    return nodes, ticked, constants


def propagate(order: list, terminal: Any, seed: Any) -> None:
    """Hand ``seed``, the gradient of ``terminal``, down the graph: every tensor ahead of ``order``'s creators
    gets its share in ``_grad`` (which the caller set to None, or IGNORED where it wants none)."""
    terminal._grad = seed
    terminal._owns_grad = False
    first_order = type(seed) is np.ndarray  # the rules' `out` is then the output's array, else the output
    for _, tensor in order:
        g = tensor._grad
        if g is not None and g is not IGNORED:
            tensor._creator._backward(g, tensor.data if first_order else tensor)


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


def backprop(terminal: Any, grad: Any = None, create_graph: bool = False) -> None:
    """``terminal.backward(grad, create_graph=...)``: every tensor of the graph gets d(terminal)/d(tensor) as
    its ``.grad``. First order clears the graph; ``create_graph`` keeps it and also gives each gradient as a
    differentiable Tensor (``.grad_tensor``)."""
    seed = _seed(terminal, grad)
    nodes, order, constants = collect(terminal)
    for t in nodes:
        t._grad = None
    try:
        if create_graph:
            from mygrad._core.tensor import Tensor  # tensor.py builds on this module

            if isinstance(grad, Tensor):
                seed = grad if grad.shape == seed.shape else grad * np.ones(seed.shape, seed.dtype)
            else:
                seed = Tensor(seed, constant=True, copy=False)
            with recording:
                propagate(order, terminal, seed)
        else:
            propagate(order, terminal, seed)
    except BaseException:
        for t in nodes:  # no half-computed gradients; the graph stays, so backward can be retried
            t._grad = None
        raise
    if create_graph:
        _settle_recorded(nodes)
    else:
        _clear(nodes)
        for constant in constants:
            clear_graph(constant)


def _settle_recorded(nodes: list) -> None:
    """After the recorded pass: each tensor's ``_grad`` is its gradient as an array, and ``_grad_tensor`` as a
    differentiable Tensor, one of its own."""
    from mygrad._core.tensor import Tensor  # tensor.py builds on this module

    held = set()
    for t in nodes:
        g = t._grad
        if g is None:
            continue
        if not isinstance(g, Tensor):
            g = Tensor(g, constant=True, copy=False)
        elif id(g) in held:  # the same Tensor as another's (a pass-through gradient): one of its own
            g = +g
        held.add(id(g))
        t._grad_tensor = g
        t._grad = g.data
        t._owns_grad = False


def gradients(terminal: Any, seed: Any, wrt: list, stop: Any = frozenset()) -> dict[int, Any]:
    """d(terminal)/d(x), weighted by ``seed`` (a Tensor), for each ``x`` of ``wrt``, as differentiable Tensors
    keyed by ``id(x)`` (absent: no path leads from ``x`` to ``terminal``). Only what leads to ``wrt`` is
    computed, and every tensor of the graph keeps the gradient it had."""
    nodes, order, _ = collect(terminal, stop)
    relevant = {id(x) for x in wrt}
    for _, tensor in reversed(order):  # inputs before their consumers
        if any(id(var) in relevant for var in tensor._creator._variables):
            relevant.add(id(tensor))
    saved = [(t, t._grad, t._owns_grad) for t in nodes]
    try:
        for t in nodes:
            t._grad = None if id(t) in relevant else IGNORED
        with recording:
            propagate(order, terminal, seed)
        return {id(x): x._grad for x in wrt if x._grad is not None and x._grad is not IGNORED}
    finally:
        for t, grad, owns in saved:
            t._grad, t._owns_grad = grad, owns


def _clear(tensors: list) -> None:
    tick = next(clock)
    held = []  # the operations' memory locks, released together (one acquisition of the guard's mutex)
    for t in tensors:
        t._history = None  # what read its old states is cleared, or finds the tensor cleared
        t._views = None  # its views are disconnected: a write into one of them, or into it, is its own
        op = t._creator
        if op is not None:
            if t._base is not None:  # a view keeps the view of its root's gradient it had
                t._grad = view_grad(t)
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
        for var in variables(op):
            if id(var) not in seen:
                seen.add(id(var))
                tensors.append(var)
                stack.append(var)
    _clear(tensors)
