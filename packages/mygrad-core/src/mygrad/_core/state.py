"""Per-thread switches of the engine.

Every switch lives on one ``threading.local`` object, so a thread that enters ``no_autodiff`` never changes
what another thread records. Class attributes give each new thread its defaults.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "mem_guard_active",
    "mem_guard_off",
    "mem_guard_on",
    "no_autodiff",
    "state",
    "turn_memory_guarding_off",
    "turn_memory_guarding_on",
]

F = TypeVar("F", bound=Callable[..., Any])


def _guard_default() -> bool:
    return os.environ.get("MYGRAD_MEM_GUARD", "true").strip().lower() not in ("false", "0", "off", "no")


class _State(threading.local):
    tracking: bool = True  # record graphs and compute gradients
    guard: bool = _guard_default()  # lock the arrays that live graphs read (MYGRAD_MEM_GUARD=0 turns it off)


state = _State()


class _Switch:
    """A per-thread switch, as a context manager and as a decorator; it nests and is restored on every exit,
    exceptions included."""

    __slots__ = ()
    _attr: str  # the switch on `state`
    _value: bool  # its value inside
    _name: str

    def __enter__(self) -> None:
        saved = state.__dict__.setdefault("saved", [])
        saved.append(getattr(state, self._attr))
        setattr(state, self._attr, self._value)

    def __exit__(self, *exc_info: object) -> None:
        setattr(state, self._attr, state.saved.pop())

    def __call__(self, func: F, to_numpy: bool = False) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                result = func(*args, **kwargs)
            if not to_numpy:
                return result
            if isinstance(result, tuple):
                return tuple(np.asarray(r) for r in result)
            return np.asarray(result)

        return wrapper  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"mygrad.{self._name}"


class _NoAutoDiff(_Switch):
    """Turns graph recording off within a ``with`` block or a decorated function.

    Inside, operations record no graph, clear no gradients, lock no memory and accept any dtype (complex
    too), and ``backward()`` does nothing. The switch is per thread and nests; it is restored on every exit,
    exceptions included. ``no_autodiff(func, to_numpy=True)`` also turns the results into arrays.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> with mg.no_autodiff:
    ...     y = x * 2
    >>> y.creator is None
    True
    >>> @mg.no_autodiff
    ... def double(t):
    ...     return t * 2
    >>> double(x).creator is None
    True
    >>> mg.no_autodiff(double, to_numpy=True)(x)
    array([2., 4.])
    """

    __slots__ = ()
    _attr, _value, _name = "tracking", False, "no_autodiff"


class _MemGuardOff(_Switch):
    """Turns memory guarding off within a ``with`` block or a decorated function (per thread).

    Arrays that graphs read are then left writeable: faster for many small operations, but writing into one
    before backpropagating silently corrupts the gradients. See :func:`mygrad.mem_guard_active`.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> with mg.mem_guard_off:
    ...     y = x * 2
    >>> x.data.flags.writeable
    True
    """

    __slots__ = ()
    _attr, _value, _name = "guard", False, "mem_guard_off"


class _MemGuardOn(_Switch):
    """Turns memory guarding on within a ``with`` block or a decorated function (per thread).

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> with mg.mem_guard_on:
    ...     y = x * 2
    >>> x.data.flags.writeable
    False
    """

    __slots__ = ()
    _attr, _value, _name = "guard", True, "mem_guard_on"


no_autodiff = _NoAutoDiff()
mem_guard_off = _MemGuardOff()
mem_guard_on = _MemGuardOn()


def turn_memory_guarding_off() -> None:
    """Turn memory guarding off for this thread and for threads started afterwards.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.turn_memory_guarding_off()
    >>> mg.mem_guard_active()
    False
    >>> mg.turn_memory_guarding_on()
    """
    _State.guard = state.guard = False


def turn_memory_guarding_on() -> None:
    """Turn memory guarding on for this thread and for threads started afterwards.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.turn_memory_guarding_on()
    >>> mg.mem_guard_active()
    True
    """
    _State.guard = state.guard = True


def mem_guard_active() -> bool:
    """Whether this thread locks the arrays that live graphs read (so they cannot be written by mistake).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.mem_guard_active()
    True
    """
    return state.guard
