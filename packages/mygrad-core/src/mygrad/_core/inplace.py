"""In-place operations: the one mechanism behind ``x[i] = v``, ``x += y``, ``out=x`` and ``x.shape = s``.

A tracked in-place operation never writes into an array that a graph may still read. Its new value is
computed out of place (so the operation is recorded like any other); then the mutated tensor takes that value:
the root gets the new array and creator, and every live view of the root is re-pointed into the new array.
The root's old state moves to a *stand-in* tensor, filed in the root's history under the mutation's tick.
Operations recorded before that tick read the old value, so backprop routes their gradients to the stand-in
(``resolve``): results computed before a mutation differentiate the value they saw.

Each mutation costs O(1) amortized in the number of earlier ones: the history grows by one entry, only the
user's live views are re-pointed (the ops that re-create them are internal and never become views
themselves), and the walk that unties old states stops at operations recorded before the state it unties.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.arrays import copy_array, library_name
from mygrad._core.backprop import clock, resolve
from mygrad._core.guard import guarded
from mygrad._core.operation import apply, declare
from mygrad._core.state import tracking
from mygrad._core.tensor import Tensor, new_tensor
from mygrad._core.views import connected, live_views, replay

__all__ = ["Reshape", "UnView", "mutate", "reshape_in_place", "write_into"]


# ------------------------------------------------------------------------------- write through a view
def _unview_forward(root: np.ndarray, value: Any, *, view_ops: tuple) -> np.ndarray:
    out = copy_array(root)
    replay(view_ops, out)[...] = value
    return out


def _unview_root(g: Any, out: Any, root: Any, value: Any, *, view_ops: tuple) -> Any:
    kept = np.ones(np.shape(root), dtype=bool)
    replay(view_ops, kept)[...] = False  # the region written through the view no longer depends on root
    return g * kept


# The root with the region that a view selects replaced by a value: a write through a view, out of place.
UnView = declare(
    "UnView",
    _unview_forward,
    _unview_root,
    lambda g, out, root, value, *, view_ops: replay(view_ops, g),
)


# ``x.shape = s`` is an in-place reshape: the engine owns the view op it replays (mygrad.reshape runs it too).
# (An int shape goes as a tuple: Dask's reshape takes only tuples.)
Reshape = declare(
    "Reshape",
    lambda x, *, shape: np.reshape(x, (shape,) if isinstance(shape, (int, np.integer)) else shape),
    lambda g, out, x, *, shape: np.reshape(g, np.shape(x)),
    view=True,
)


def _replay_on(root: Tensor, view_ops: tuple) -> Tensor:
    """Re-create a view of ``root`` as recorded ops, so that it differentiates into the root's new state. The
    tensors made on the way are the graph's alone: they are not linked as views of the root."""
    result = root
    for op_cls, kwargs in view_ops:
        result = op_cls._remake(result, kwargs)
    return result


# ------------------------------------------------------------------------------------------ mutation
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
    entry = (tick, _stand_in(t))
    if t._history is None:
        t._history = [entry]
    else:
        t._history.append(entry)
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
        variables = op._variables
        read = False
        for v in variables:
            if id(v) in states:
                read = True
            else:
                stack.append(v._creator)
        if read and op_tick < tick:  # read before the mutation: re-point it, and walk on from the stand-ins
            new = []
            for v in variables:
                entry = states.get(id(v))
                if entry is not None:
                    v = entry[1] if op_tick > entry[0] else resolve(v, op_tick)
                    stack.append(v._creator)
                new.append(v)
            op._variables = tuple(new)


def mutate(target: Tensor, new: Tensor) -> None:
    """Give ``target`` the value ``new`` (computed out of place, of ``target``'s shape and dtype), in place:
    its root, the root's views and ``target`` itself all see the new value, and stay differentiable.

    A view that a cleared graph disconnected from its root (``connected``) is written alone. An array made
    read-only by its owner (not by the memory guard) is not written: as NumPy, this raises."""
    root = target._base
    if root is not None and not connected(target):
        target._base = root = None  # its own tensor from now on
    if root is None:
        root = target
    if type(root.data) is np.ndarray and not root.data.flags.writeable and not guarded(root.data):
        raise ValueError("assignment destination is read-only")
    if root is not target:
        new = apply(UnView, (root, new), {"view_ops": target._view_ops})
    tick = next(clock)  # after every operation that read the old values
    views = live_views(root)
    _take_state(root, new, tick)
    old_root = root._history[-1][1]
    remade = {id(root)}
    for view in views:  # in the order they were made: each after the view it was made from
        parent = view._creator._variables[0]
        if id(parent) in remade:  # re-made from the same tensor, as the user made it
            op_cls, kwargs = view._view_ops[-1]
            source = op_cls._remake(parent, kwargs)
        else:
            source = _replay_on(root, view._view_ops)
        _take_state(view, source, tick)
        view._history[-1][1]._base = old_root  # the old view's memory is the old root's
        remade.add(id(view))
    _untie([root, *views], tick)


def write_into(target: Tensor, result: Any, where: Any = True) -> Tensor:
    """Write ``result`` (computed out of place) into ``target`` as NumPy's ``out=`` would: the shapes must
    agree, the dtype is cast by the 'same_kind' rule, and ``where`` keeps ``target``'s old values."""
    if not isinstance(target, Tensor):
        raise TypeError(f"`out` must be a Tensor or an ndarray, got {type(target).__name__}")
    if not isinstance(result, Tensor):
        result = Tensor(result, constant=True, copy=False)
    if result.shape != target.shape:
        raise ValueError(
            f"non-broadcastable output operand with shape {target.shape} doesn't match the broadcast shape "
            f"{result.shape}"
        )
    if result.dtype != target.dtype:
        if not np.can_cast(result.dtype, target.dtype, casting="same_kind"):
            raise TypeError(
                f"Cannot cast the result from dtype({str(result.dtype)!r}) to dtype({str(target.dtype)!r}) with "
                "casting rule 'same_kind'"
            )
        result = (
            result.astype(target.dtype)
            if result.dtype.kind == "f"
            else Tensor(result.data, dtype=target.dtype)
        )
    if where is not True:
        result = np.where(
            getattr(where, "data", where), result, target
        )  # (mygrad's, through NumPy's protocol)
    if not tracking():
        if type(target.data) is np.ndarray and type(result.data) is np.ndarray:
            np.copyto(target.data, result.data)
        else:  # the libraries' own assignment: a NumPy array takes a lazy Dask result's values (computing it)
            target.data[...] = result.data
    else:
        mutate(target, result)
    return target


_NEEDS_A_COPY = (  # NumPy's message
    "Incompatible shape for in-place modification. Use `.reshape()` to make a copy with the desired shape."
)


def reshape_in_place(t: Tensor, shape: Any) -> None:
    """``t.shape = shape``: ``t`` (and nothing else) takes the new shape, without copying its data."""
    if type(t.data) is not np.ndarray and not hasattr(t.data, "base"):  # a library without views (Dask)
        raise AttributeError(
            f"`Tensor.shape = ...` reshapes the data in place, which a {library_name(t.data)} cannot (its "
            "library has no views). Use `.reshape()`."
        )
    if not tracking():  # (a view of the same memory: setting an array's shape is deprecated in NumPy 2.5)
        reshaped = np.reshape(t.data, shape)
        if not np.shares_memory(reshaped, t.data):
            raise AttributeError(_NEEDS_A_COPY)
        t.data = reshaped
        return
    old_shape = t.data.shape
    reshaped = apply(Reshape, (t,), {"shape": shape}, link=False)
    if not np.shares_memory(reshaped.data, t.data):
        raise AttributeError(_NEEDS_A_COPY)
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
        _take_state(view, _replay_on(t, view._view_ops), tick)
        view._history[-1][1]._base = old_t
    _untie([t, *views], tick)
