"""View bookkeeping: which tensors view which, and how to replay a view on its root's data or gradient.

A view records its root tensor (``base``) and the view ops that lead from the root to it, so that its data
and its gradient are replays of the root's (``grad`` is a view of the root's gradient). In-place operations
(``mygrad._core.inplace``) re-point the live views of a root they mutate.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # (tensor.py builds on backprop.py, which builds on this module)
    from mygrad._core.tensor import Tensor

__all__ = ["connected", "link_view", "live_views", "replay", "view_grad"]

_PRUNE_AT = 64  # a root's list of views is cleaned of dead references when it grows past this (doubling)


def replay(view_ops: tuple, array: Any) -> Any:
    """Apply the recorded view ops to ``array`` (a root's data or gradient)."""
    for op_cls, kwargs in view_ops:
        array = op_cls._view_of(array, kwargs)
    return array


def _owner(array: Any) -> Any:
    base = getattr(array, "base", None)  # (Dask's arrays have no views, nor a `base`)
    return array if base is None else base


def link_view(view: Tensor, parent: Tensor, op_cls: Any, kwargs: dict) -> bool:
    """Record ``view`` as a view of ``parent``'s root, if NumPy made its data a view of the root's memory."""
    if parent._base is not None and parent._creator is None:  # disconnected by a cleared graph
        parent._base = None
    base = getattr(view.data, "base", None)  # (Dask's arrays have no views, nor a `base`)
    root = parent if parent._base is None else parent._base
    if base is None or base is not _owner(root.data):
        return False
    view._base = root
    view._view_ops = (parent._view_ops if parent._base is not None else ()) + ((op_cls, kwargs),)
    views: list[Any] | None = getattr(root, "_views", None)
    if views is None:
        root._views = views = [_PRUNE_AT]  # the first entry is the size that triggers the next pruning
    views.append(weakref.ref(view))
    if len(views) > views[0]:
        views[1:] = [ref for ref in views[1:] if ref() is not None]
        views[0] = 2 * max(_PRUNE_AT, len(views))
    return True


def connected(view: Tensor) -> bool:
    """Whether ``view`` still views its root: the view op that made it (or re-made it, after an in-place
    operation) is in a graph that is not cleared, nor is the root's. Clearing a graph (``backward()``,
    ``clear_graph()``) disconnects the views it reaches, and the views of the tensors it reaches: from then on
    a write into the view, or into its root, is that tensor's alone (MyGrad 2's model)."""
    refs = getattr(view._base, "_views", None)
    return view._creator is not None and refs is not None and any(ref() is view for ref in refs[1:])


def live_views(root: Tensor) -> list[Tensor]:
    """The views of ``root`` that are alive and connected to it, in the order they were made."""
    refs = getattr(root, "_views", None)
    if refs is None:
        return []
    return [
        v for v in (ref() for ref in refs[1:]) if v is not None and v._base is root and v._creator is not None
    ]


def view_grad(view: Tensor) -> np.ndarray | None:
    """A view's gradient: the matching view of its root's gradient, while the view op that made it is in a
    graph (otherwise, or if the root has none, its own)."""
    root = view._base
    root_grad = None if root is None else root._grad
    if root_grad is None or view._creator is None:
        return view._grad
    return replay(view._view_ops, root_grad)
