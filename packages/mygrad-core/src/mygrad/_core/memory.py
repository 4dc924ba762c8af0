"""Memory guarding: while a graph may still read an array, the array is read-only.

An operation recorded with the guard on locks the arrays it keeps for its backward pass (its inputs' data,
the arrays those are views of, its output) and unlocks them when it is freed: when its result is dropped,
or its graph is cleared by ``backward()`` or ``clear_graph()``. Locks are counted per array, so an array read
by two graphs stays locked until both are gone. Arrays that were read-only to begin with are left alone. A
view can be made writeable only once its base is: such views wait for their base's release.
"""

from __future__ import annotations

import threading
from threading import get_ident

import numpy as np

__all__ = ["lock", "unlock"]

_counts: dict[int, int] = {}  # id(array) -> live operations holding it locked (only the arrays we locked)
_waiting: dict[int, list[np.ndarray]] = {}  # id(base) -> views to make writeable once the base is
_deferred: list[list] = []  # releases that arrived while this thread held the mutex (see `unlock`)
_mutex = threading.Lock()
_holder: int | None = None  # the thread that holds the mutex


def lock(arrays: tuple) -> list:
    """Lock ``arrays`` (and the arrays they view); return the ones this call holds, for ``unlock``."""
    global _holder
    held: list[np.ndarray] = []
    counts = _counts
    with _mutex:
        _holder = get_ident()
        try:
            for array in arrays:
                if type(array) is not np.ndarray:
                    continue
                base = array.base
                if base is not None and type(base) is np.ndarray:
                    _lock_one(base, counts, held)  # writing through the base would change the view
                key = id(array)
                count = counts.get(key)
                if count is None:
                    if not array.flags.writeable:
                        continue  # read-only already (its owner's choice): not ours to unlock later
                    array.setflags(write=False)
                    count = 0
                counts[key] = count + 1
                held.append(array)
            if _deferred:
                _drain()
        finally:
            _holder = None
    return held


def _lock_one(array: np.ndarray, counts: dict, held: list) -> None:
    key = id(array)
    count = counts.get(key)
    if count is None:
        if not array.flags.writeable:
            return
        array.setflags(write=False)
        count = 0
    counts[key] = count + 1
    held.append(array)


def unlock(held: list) -> None:
    """Release the locks of one operation (it is being freed); arrays no longer held become writeable again.

    Called from ``Operation.__del__``, which the garbage collector may run at any allocation, also inside
    ``lock`` or ``unlock`` on this very thread: then the release is queued for this thread to finish before it
    lets go of the mutex (waiting for the mutex here would deadlock). Other threads wait for it.
    """
    global _holder
    if _holder == get_ident():
        _deferred.append(held)
        return
    with _mutex:
        _holder = get_ident()
        try:
            _release(held)
            if _deferred:
                _drain()
        finally:
            _holder = None


def _drain() -> None:
    while _deferred:
        _release(_deferred.pop())


def _release(held: list) -> None:
    counts = _counts
    for array in held:
        key = id(array)
        count = counts[key] - 1
        if count:
            counts[key] = count
        else:
            del counts[key]
            _make_writeable(array)


def _make_writeable(array: np.ndarray) -> None:
    base = array.base
    if type(base) is np.ndarray and not base.flags.writeable:
        _waiting.setdefault(id(base), []).append(array)  # NumPy refuses while the base is read-only
        return
    array.setflags(write=True)
    for view in _waiting.pop(id(array), ()):
        if id(view) not in _counts:  # not locked again meanwhile
            _make_writeable(view)
