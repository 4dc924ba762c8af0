"""Memory guarding: while a graph may still read an array, the array is read-only.

An operation recorded with the guard on locks the arrays it keeps for its backward pass (its inputs' data,
the arrays those are views of, its output) and unlocks them when it is freed: when its result is dropped,
or its graph is cleared by ``backward()`` or ``clear_graph()``. Locks are counted per array, so an array read
by two graphs stays locked until both are gone. Arrays that were read-only to begin with are left alone. A
view can be made writeable only once its base is: such views wait for their base's release.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

__all__ = ["guarded", "lock", "snapshot", "unlock"]

_counts: dict[int, int] = {}  # id(array) -> live operations holding it locked (only the arrays we locked)
_bases: dict[int, np.ndarray] = {}  # id(locked view) -> the base it keeps locked while it is locked itself
_waiting: dict[int, list[np.ndarray]] = {}  # id(base) -> views to make writeable once the base is
_deferred: list[np.ndarray] = []  # releases that arrived while this thread held the mutex (see `unlock`)
_mutex = threading.RLock()  # (reentrant only for the instants between taking it and saying who holds it)
_holder: int | None = None  # the thread that holds the mutex
_get_ident = threading.get_ident

# Positional `setflags` arguments: NumPy parses keyword arguments on every call, which costs more than the rest
# of an operation's bookkeeping. (NumPy's type stubs declare them keyword-only: hence the pyright comments.)
_READ_ONLY, _WRITEABLE = False, True


def lock(reads: tuple | list, out: Any) -> tuple[tuple | list, Any]:
    """Lock the arrays an operation reads and its result ``out`` (and the arrays they view).

    Returns what this call holds, for ``unlock``: the reads it locked (``reads`` itself, unless some were not
    arrays or read-only already) and ``out`` if it locked it (else None). Kept apart so that recording an
    operation allocates no tuple of its locks: the cycle collector runs less often the fewer objects survive.
    """
    global _holder
    counts = _counts
    skipped = False
    _mutex.acquire()  # (a `with` block costs twice as much)
    _holder = _get_ident()
    try:
        for array in reads:
            key = id(array)
            count = counts.get(key)  # only live arrays are counted: a live scalar cannot share their ids
            if count is not None:  # the common case: an array that another live operation holds
                counts[key] = count + 1
            elif type(array) is not np.ndarray or not _lock_first(array, key):
                skipped = True
        key = id(out)
        if type(out) is np.ndarray and out.base is None and out.flags.writeable:  # (counted: read-only)
            out.setflags(_READ_ONLY)  # the common case: a fresh result  # pyright: ignore[reportCallIssue]
            counts[key] = 1
        elif key in counts:
            counts[key] += 1
        elif type(out) is not np.ndarray or not _lock_first(out, key):
            out = None
        if _deferred:  # releases that this thread's garbage collector made meanwhile
            _drain()
    finally:
        _holder = None
        _mutex.release()
    if skipped:  # scalars, and arrays that were read-only already (their owners' choice: not ours to unlock)
        reads = tuple(a for a in reads if type(a) is np.ndarray and id(a) in counts)
    return reads, out


def _lock_first(array: np.ndarray, key: int) -> bool:
    """Lock an array no live operation holds; False if it was read-only already."""
    base = array.base
    if not array.flags.writeable:
        # except a view of an array we lock: NumPy made it read-only at birth, so it is ours to release with it
        # (not a broadcast view, with a zero stride along an axis: NumPy makes those read-only by choice)
        if type(base) is not np.ndarray or id(base) not in _counts or _broadcast(array):
            return False
        _counts[id(base)] += 1
        _bases[key] = base
        _counts[key] = 1
        return True
    if type(base) is np.ndarray and _lock_base(base):
        _bases[key] = base  # writing through the base would change the view
    array.setflags(_READ_ONLY)  # pyright: ignore[reportCallIssue]
    _counts[key] = 1
    return True


def _broadcast(array: np.ndarray) -> bool:
    return any(stride == 0 and n > 1 for stride, n in zip(array.strides, array.shape))


def _lock_base(base: np.ndarray) -> bool:
    key = id(base)
    count = _counts.get(key)
    if count is not None:
        _counts[key] = count + 1
        return True
    return _lock_first(base, key)


def unlock(arrays: tuple | list) -> None:
    """Release the locks of operations (freed, or their graph cleared): ``arrays`` holds what their ``lock``
    calls returned, each array once per lock. Arrays no longer held become writeable again.

    Called from ``Operation.__del__``, which the garbage collector may run at any allocation, also inside
    ``lock`` or ``unlock`` on this very thread: then the release is queued for this thread to finish before it
    lets go of the mutex (waiting for the mutex here would deadlock). Other threads wait for it.
    """
    global _holder
    if _holder == _get_ident():
        _deferred.extend(arrays)
        return
    _mutex.acquire()
    _holder = _get_ident()
    try:
        _release(arrays)
        if _deferred:
            _drain()
    finally:
        _holder = None
        _mutex.release()


def _drain() -> None:
    while _deferred:
        arrays = _deferred[:]
        _deferred.clear()
        _release(arrays)


def snapshot() -> tuple:
    """The guard's bookkeeping, for tests of what leaves it as it was: lock counts, the bases of locked views,
    the views waiting for their base, the queued releases, and the thread holding the mutex."""
    return (
        dict(_counts),
        {key: id(base) for key, base in _bases.items()},
        {key: [id(view) for view in views] for key, views in _waiting.items()},
        len(_deferred),
        _holder,
    )


def guarded(array: np.ndarray) -> bool:
    """Whether ``array`` is read-only because of the guard (it, or the array it views, is locked here)."""
    base = array.base
    return id(array) in _counts or (type(base) is np.ndarray and id(base) in _counts)


def _release(arrays: tuple | list) -> None:
    counts = _counts
    for array in arrays:
        key = id(array)
        count = counts[key] - 1
        if count:
            counts[key] = count
        elif array.base is None and not _waiting:  # the common case of `_release_last`, in short
            del counts[key]
            array.setflags(_WRITEABLE)  # pyright: ignore[reportCallIssue]
        else:
            _release_last(array, key)


def _release_last(array: np.ndarray, key: int) -> None:
    del _counts[key]
    base = _bases.pop(key, None)
    if base is not None:
        _release((base,))
    _make_writeable(array)


def _make_writeable(array: np.ndarray) -> None:
    base = array.base
    if type(base) is np.ndarray and not base.flags.writeable:
        _waiting.setdefault(id(base), []).append(array)  # NumPy refuses while the base is read-only
        return
    array.setflags(_WRITEABLE)  # pyright: ignore[reportCallIssue]
    if _waiting:
        for view in _waiting.pop(id(array), ()):
            if id(view) not in _counts:  # not locked again meanwhile
                _make_writeable(view)
