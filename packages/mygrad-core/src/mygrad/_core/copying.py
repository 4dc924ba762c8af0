"""``copy.deepcopy`` of a tensor: the tensor and the graph behind it, copied without recursion.

Every tensor up-graph (the inputs of each operation, the root of each view, the stand-ins of in-place
operations) is copied once, with a copy of its data and gradient; every operation is copied with its inputs
replaced by their copies. A view's copy is the same view of its root's copy. So backpropagating the copy gives
the copied leaves the gradients that the original leaves would get, and leaves the original graph untouched.
Copied operations hold memory-guard locks on the copied arrays, as the originals do on theirs.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

import numpy as np

from mygrad._core.arrays import copy_array
from mygrad._core.guard import lock
from mygrad._core.tensor import Tensor, new_tensor
from mygrad._core.views import _PRUNE_AT, replay

__all__ = ["deepcopy_tensor"]


def deepcopy_tensor(tensor: Tensor, memo: dict) -> Tensor:
    """The deep copy of ``tensor`` and of its graph (``Tensor.__deepcopy__``); ``memo`` is ``copy``'s."""
    found = _upgraph(tensor, memo)
    # as `copy` does: no original dies (so that its id is not reused) while the copy is made
    keep_alive = memo.setdefault(id(memo), [])
    keep_alive.extend(found)
    for t in sorted(found, key=lambda t: t._base is not None):  # roots first: a view's data views its root's
        data = _data_copy(t, memo)
        keep_alive.append(t.data)
        memo[id(t.data)] = data  # so the copied operations read the copied arrays
        new = new_tensor(data, t._constant)
        new._cleared = t._cleared
        memo[id(t)] = new
    for t in found:
        _copy_state(t, memo[id(t)], memo)
    for t in found:  # a view's gradient that is a view of its root's: the same view of the root's copy
        root = t._base
        grad = t._grad
        if (
            grad is not None
            and root is not None
            and root._grad is not None
            and np.shares_memory(grad, root._grad)
        ):
            memo[id(t)]._grad = replay(t._view_ops, memo[id(root)]._grad)
    return memo[id(tensor)]


def _upgraph(tensor: Tensor, memo: dict) -> list[Tensor]:
    """``tensor`` and every tensor its graph reaches backward, except those ``memo`` has copied already."""
    found = []
    seen = set()
    stack = [tensor]
    while stack:
        t = stack.pop()
        if id(t) in seen or id(t) in memo:
            continue
        seen.add(id(t))
        found.append(t)
        if t._creator is not None:
            stack.extend(t._creator._variables)
        if t._base is not None:
            stack.append(t._base)
        if t._history:
            stack.extend(stand_in for _, stand_in in t._history)
    return found


def _data_copy(t: Tensor, memo: dict) -> np.ndarray:
    if t._base is not None:  # the same view of the root's copy, if replaying the view ops gives it
        root_data = memo[id(t._base)].data
        view = replay(t._view_ops, root_data)
        if view.shape == t.data.shape and view.dtype == t.data.dtype and np.may_share_memory(view, root_data):
            return view
    shared = memo.get(id(t.data))  # an array that an earlier copy made (shared by two tensors, say)
    return shared if shared is not None else copy_array(t.data)


def _copy_state(t: Tensor, new: Tensor, memo: dict) -> None:
    """Give ``new``, the copy of ``t``, copies of ``t``'s gradient, view link, history and creator."""
    if t._grad is not None:
        new._grad = copy.deepcopy(t._grad, memo)
        new._owns_grad = getattr(t, "_owns_grad", False)  # a gradient shared in the original is in the copy
    if t._base is not None:
        root = memo[id(t._base)]
        new._base = root
        new._view_ops = copy.deepcopy(t._view_ops, memo)
        views: list[Any] | None = getattr(root, "_views", None)
        if views is None:
            root._views = views = [_PRUNE_AT]  # as `mygrad._core.views.link_view` keeps them
        views.append(weakref.ref(new))
    if t._history:
        new._history = [(tick, memo[id(stand_in)]) for tick, stand_in in t._history]
    grad_tensor = getattr(t, "_grad_tensor", None)
    if grad_tensor is not None:
        new._grad_tensor = copy.deepcopy(grad_tensor, memo)
    op = t._creator
    if op is not None:
        new_op = copy.deepcopy(op, memo)  # its variables and arrays are in `memo`: no recursion up the graph
        held = getattr(op, "_locked", None)
        if held is not None:  # the copy takes locks of its own, on the copied arrays
            out = op._locked_out
            new_op._locked, new_op._locked_out = lock(
                [memo[id(a)] for a in held if id(a) in memo], None if out is None else memo.get(id(out))
            )
        new._creator = new_op
