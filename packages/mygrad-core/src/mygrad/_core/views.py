"""Views and in-place operations: the one mechanism behind ``x[i] = v``, ``x += y``, ``out=x`` and friends.

A view records its root tensor (``base``) and the view ops that lead from the root to it, so that its data
and its gradient are replays of the root's (``grad`` is a view of the root's gradient).

A tracked in-place operation never writes into an array that a graph may still read. It computes the new
value out of place (so the operation is recorded like any other), then the mutated tensor takes that value:
the root gets the new array and creator, and every live view of the root is re-pointed into the new array.
The root's old state moves to a *stand-in* tensor, filed in the root's history under the mutation's tick.
Operations recorded before that tick read the old value, so backprop routes their gradients to the stand-in
(``resolve``): results computed before a mutation differentiate the value they saw.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from mygrad._core.backprop import clock, resolve
from mygrad._core.state import state
from mygrad._core.tensor import Tensor, new_tensor

__all__ = ["link_view", "live_views", "mutate", "replay", "reshape_in_place", "resolve", "view_grad"]

_PRUNE_AT = 64  # a root's list of views is cleaned of dead references when it grows past this (doubling)


def replay(view_ops: tuple, array: Any) -> Any:
    """Apply the recorded view ops to ``array`` (a root's data or gradient)."""
    for op_cls, kwargs in view_ops:
        array = op_cls.forward(array, **kwargs)
    return array


def _owner(array: np.ndarray) -> np.ndarray:
    return array if array.base is None else array.base


def link_view(view: Tensor, parent: Tensor, op_cls: Any, kwargs: dict) -> bool:
    """Record ``view`` as a view of ``parent``'s root, if NumPy made its data a view of the root's memory."""
    base = view.data.base
    root = parent if parent._base is None else parent._base
    if base is None or base is not _owner(root.data):
        return False
    view._base = root
    view._view_ops = (parent._view_ops if parent._base is not None else ()) + ((op_cls, kwargs),)
    views = getattr(root, "_views", None)
    if views is None:
        root._views = views = [_PRUNE_AT]  # the first entry is the size that triggers the next pruning
    views.append(weakref.ref(view))
    if len(views) > views[0]:
        views[1:] = [ref for ref in views[1:] if ref() is not None]
        views[0] = 2 * max(_PRUNE_AT, len(views))
    return True


def live_views(root: Tensor) -> list[Tensor]:
    refs = getattr(root, "_views", None)
    return (
        [] if refs is None else [v for v in (ref() for ref in refs[1:]) if v is not None and v._base is root]
    )


def view_grad(view: Tensor) -> np.ndarray | None:
    """A view's gradient: the matching view of its root's gradient (its own, if the root has none)."""
    root_grad = view._base._grad
    if root_grad is None:
        return view._grad
    return replay(view._view_ops, root_grad)


def _stand_in(t: Tensor) -> Tensor:
    """A tensor that takes over ``t``'s current state (data, creator, view link), for the graphs that read it."""
    stand_in = new_tensor(t.data, t._constant, t._creator)
    stand_in._base = t._base
    if t._base is not None:
        stand_in._view_ops = t._view_ops
    stand_in._cleared = t._cleared
    return stand_in


def _take_state(t: Tensor, source: Tensor, tick: int) -> None:
    """``t`` (same object, same constant flag) takes ``source``'s data and creator; its old state is filed."""
    t._history = [*(t._history or ()), (tick, _stand_in(t))]
    t.data = source.data
    t._creator = source._creator
    t._grad = None


def _untie(mutated: list[Tensor], tick: int) -> None:
    """Point the operations that read the state that tensors mutated at ``tick`` just left, as far as they can
    be reached from the new states, at the stand-ins of that state (what ``resolve`` does in backprop).

    Otherwise the new state would refer back to the mutated tensor itself (after ``y += 1``: ``y -> Add -> y``),
    a reference cycle that only the cycle collector frees, holding the graph and its memory locks till then.
    The walk stops at operations recorded before that state began (none of them read it), so that repeated
    in-place operations cost no more each; an operation that read an older state and was out of reach at
    that state's mutation is left for ``resolve`` (and its cycle, if any, for the collector).
    """
    states = {}  # id(tensor) -> (tick at which the state it left began, the stand-in of that state)
    bound = tick
    for t in mutated:
        history = t._history
        stand_in = history[-1][1]
        if len(history) > 1:
            began = history[-2][0]  # the previous mutation
        else:  # the tensor's first state: made by its creator, or a leaf that any op may have read
            creator = stand_in._creator
            began = 0 if creator is None else creator._tick
        states[id(t)] = (began, stand_in)
        if began < bound:
            bound = began
    seen = set()
    stack = [t._creator for t in mutated]
    while stack:
        op = stack.pop()
        if op is None:
            continue
        op_tick = op._tick
        if op_tick <= bound or id(op) in seen:
            continue
        seen.add(id(op))
        variables = op.variables
        read = False
        for v in variables:
            if id(v) in states:
                read = True
            else:
                stack.append(v._creator)
        if read and op_tick < tick:  # read before the mutation: re-point it, and walk on from the stand-ins
            new = []
            for v in variables:
                state = states.get(id(v))
                if state is not None:
                    v = state[1] if op_tick > state[0] else resolve(v, op_tick)
                    stack.append(v._creator)
                new.append(v)
            op.variables = tuple(new)


def mutate(target: Tensor, new: Tensor) -> None:
    """Give ``target`` the value ``new`` (computed out of place, of ``target``'s shape and dtype), in place:
    its root, the root's views and ``target`` itself all see the new value, and stay differentiable."""
    from mygrad._ops.inplace import replay_on, unview

    root = target if target._base is None else target._base
    if root is not target:
        new = unview(root, new, target._view_ops)
    tick = next(clock)  # after every operation that read the old values
    views = live_views(root)
    _take_state(root, new, tick)
    old_root = root._history[-1][1]
    for view in views:
        _take_state(view, replay_on(root, view._view_ops), tick)
        view._history[-1][1]._base = old_root  # the old view's memory is the old root's
    _untie([root, *views], tick)


def reshape_in_place(t: Tensor, shape: Any) -> None:
    """``t.shape = shape``: ``t`` (and nothing else) takes the new shape, without copying its data."""
    from mygrad._ops.inplace import replay_on
    from mygrad._ops.shape import Reshape, reshape

    if not state.tracking:
        t.data.shape = shape
        return
    old_shape = t.data.shape
    reshaped = reshape(t, shape)
    if not np.shares_memory(reshaped.data, t.data):
        raise AttributeError(
            "Incompatible shape for in-place modification. Use `.reshape()` to make a copy with the desired shape."
        )
    tick = next(clock)
    if t._base is not None:  # a view: it stays a view of its base, one reshape further along
        _take_state(t, reshaped, tick)
        t._view_ops = (*t._view_ops, (Reshape, {"shape": reshaped.shape}))
        _untie([t], tick)
        return
    views = live_views(t)
    _take_state(t, reshaped, tick)
    old_t = t._history[-1][1]
    for view in views:  # views keep the elements they had: they now start from the old shape
        view._view_ops = ((Reshape, {"shape": old_shape}), *view._view_ops)
        _take_state(view, replay_on(t, view._view_ops), tick)
        view._history[-1][1]._base = old_t
    _untie([t, *views], tick)
