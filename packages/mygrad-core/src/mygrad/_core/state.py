"""The engine's switches: graph recording (``no_autodiff``) and memory guarding (``mem_guard_off`` / ``_on``).

Each switch keeps its value in a :class:`contextvars.ContextVar` of its own, so it belongs to the running
thread, or asyncio task (each task runs in a copy of its creator's context). Entering a switch sets the
variable and keeps the token; leaving it resets the variable with the token entered last in that context. So
switches nest, are restored on every exit (exceptions included), and switches held across an ``await`` by
different tasks, or left in another order than they were entered (a generator closed inside another switch),
never disturb each other.

Memory guarding also has a default for threads (and contexts) that have not chosen: the ``MYGRAD_MEM_GUARD``
environment variable at import (``0``/``false``/``off``/``no`` turn it off), changed by
``turn_memory_guarding_off`` / ``_on`` for the threads started afterwards. A thread already running when they
are called keeps the value it had; the context that calls them takes the new value.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
import types
import weakref
from collections.abc import Callable, Generator
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "RECORDING",
    "guarding",
    "mem_guard_active",
    "mem_guard_off",
    "mem_guard_on",
    "no_autodiff",
    "recording",
    "tracking",
    "turn_memory_guarding_off",
    "turn_memory_guarding_on",
]

F = TypeVar("F", bound=Callable[..., Any])

_tracking: ContextVar[Any] = ContextVar("mygrad.tracking", default=True)  # True, False or RECORDING
_guard: ContextVar[bool] = ContextVar("mygrad.mem_guard")  # unset until a context first asks (see `guarding`)

#: Whether graphs are recorded here (False inside ``no_autodiff``); the engine reads it on every operation.
tracking: Callable[[], Any] = _tracking.get


def _default_from_environment() -> bool:
    return os.environ.get("MYGRAD_MEM_GUARD", "true").strip().lower() not in ("false", "0", "off", "no")


_guard_at_import = _default_from_environment()
# One entry per call of turn_memory_guarding_off/_on: (the value, the threads that were running then)
_guard_defaults: list[tuple[bool, weakref.WeakSet[threading.Thread]]] = []
_defaults_lock = threading.Lock()


def guarding() -> bool:
    """Whether operations recorded here lock the arrays they read (memory guarding)."""
    guard = _guard.get(None)
    if guard is None:  # this context has not chosen: the default of the thread, by when it started
        guard = _thread_default()
        _guard.set(guard)
    return guard


def _thread_default() -> bool:
    thread = threading.current_thread()
    value = _guard_at_import
    with _defaults_lock:
        for default, running in _guard_defaults:
            if (
                thread not in running
            ):  # started after that call (a running thread was running at every later one)
                value = default
    return value


def _set_guard_default(value: bool) -> None:
    with _defaults_lock:
        _guard_defaults.append((value, weakref.WeakSet(threading.enumerate())))
    _guard.set(value)


# ---------------------------------------------------------------------------------------------- switches
class _Switch:
    """A switch of one context variable, as a context manager and as a decorator."""

    __slots__ = ("_var", "_value", "_tokens", "_name")

    def __init__(self, var: ContextVar[Any], value: Any, name: str) -> None:
        self._var = var
        self._value = value
        self._name = name
        # the tokens of the entries not yet left, in this context (a tuple: copies of a context never share it)
        self._tokens: ContextVar[tuple] = ContextVar(f"{var.name}.tokens", default=())

    def __enter__(self) -> None:
        if self._var is _guard:
            guarding()  # the value to come back to is this context's default, fixed now
        self._tokens.set((*self._tokens.get(), self._var.set(self._value)))

    def __exit__(self, *exc_info: object) -> None:
        tokens = self._tokens.get()
        if not tokens:  # entered in another context (a generator resumed elsewhere): that one restores it
            return
        *rest, token = tokens
        self._tokens.set(tuple(rest))
        try:
            self._var.reset(token)
        except ValueError:  # the token was made in a context this one copied (entered before a task began)
            if token.old_value is not token.MISSING:
                self._var.set(token.old_value)

    def __call__(self, func: F, to_numpy: bool = False) -> F:
        """Decorate ``func`` so that its body runs with the switch set; every step of a generator's or a
        coroutine's body runs so, and the switch is not held while it is suspended."""
        if not callable(func):
            raise TypeError(
                f"{self!r} decorates a function (`@{self!r}` or `{self!r}(func)`), or is used as `with {self!r}:`;"
                f" got {type(func).__name__} {func!r}"
            )
        if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
            if to_numpy:
                raise TypeError(
                    "`to_numpy=True` converts what a function returns: not for generator functions"
                )
            wrapper = (
                self._async_generator(func) if inspect.isasyncgenfunction(func) else self._generator(func)
            )
        elif inspect.iscoroutinefunction(func):
            wrapper = self._coroutine(func, to_numpy)
        else:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    result = func(*args, **kwargs)
                return _as_numpy(result) if to_numpy else result

        return functools.wraps(func)(wrapper)  # type: ignore[return-value]

    def _steps(self, body: Any) -> Generator[Any, Any, Any]:
        """Drive ``body`` (a generator, a coroutine or an awaitable's iterator) with the switch set for each
        step: what it yields goes out, what is sent or thrown in goes to it."""
        resume, value = body.send, None
        while True:
            try:
                with self:
                    out = resume(value)
            except StopIteration as stop:
                return stop.value
            try:
                value = yield out
                resume = body.send
            except GeneratorExit:
                with self:
                    body.close()
                raise
            except BaseException as error:
                resume, value = body.throw, error

    def _generator(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return (yield from self._steps(func(*args, **kwargs)))

        return wrapper

    def _coroutine(self, func: Callable[..., Any], to_numpy: bool) -> Callable[..., Any]:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = await _awaitable(self._steps(func(*args, **kwargs).__await__()))
            return _as_numpy(result) if to_numpy else result

        return wrapper

    def _async_generator(self, func: Callable[..., Any]) -> Callable[..., Any]:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            body = func(*args, **kwargs)
            value, error = None, None
            try:
                while True:
                    step = body.asend(value) if error is None else body.athrow(error)
                    try:
                        out = await _awaitable(self._steps(step.__await__()))
                    except StopAsyncIteration:
                        return
                    try:
                        value, error = (yield out), None
                    except GeneratorExit:
                        raise
                    except BaseException as thrown:
                        value, error = None, thrown
            finally:
                await _awaitable(self._steps(body.aclose().__await__()))

        return wrapper

    def __repr__(self) -> str:
        return f"mygrad.{self._name}"


@types.coroutine
def _awaitable(steps: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
    return (yield from steps)


def _as_numpy(result: Any) -> Any:
    if isinstance(result, tuple):
        return tuple(np.asarray(r) for r in result)
    return np.asarray(result)


class _NoAutoDiff(_Switch):
    """Turns graph recording off within a ``with`` block or a decorated function.

    Inside, operations record no graph, clear no gradients, lock no memory and accept any dtype (complex
    too), and ``backward()`` does nothing. The switch belongs to the thread or asyncio task that enters it and
    nests; it is restored on every exit, exceptions included. A decorated generator or coroutine runs every step
    of its body without recording (and records normally in between). ``no_autodiff(func, to_numpy=True)`` also
    turns the results into arrays.

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


class _MemGuardOff(_Switch):
    """Turns memory guarding off within a ``with`` block or a decorated function (for this thread or task).

    Arrays that graphs read are then left writeable: faster for many small operations, but writing into one
    before backpropagating silently corrupts the gradients. See :func:`mygrad.mem_guard_active`.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> with mg.mem_guard_off:
    ...     y = x * 2
    ...     mg.mem_guard_active()
    False
    >>> x.data.flags.writeable  # y's graph reads x, unguarded
    True
    """

    __slots__ = ()


class _MemGuardOn(_Switch):
    """Turns memory guarding on within a ``with`` block or a decorated function (for this thread or task).

    Examples
    --------
    Guarding a part of the code that runs with the guard off:

    >>> import mygrad as mg
    >>> with mg.mem_guard_off:
    ...     unguarded = mg.tensor([1.0, 2.0])
    ...     _ = unguarded * 2
    ...     with mg.mem_guard_on:
    ...         guarded = mg.tensor([1.0, 2.0])
    ...         _ = guarded * 2
    >>> unguarded.data.flags.writeable, guarded.data.flags.writeable
    (True, False)
    """

    __slots__ = ()


no_autodiff = _NoAutoDiff(_tracking, False, "no_autodiff")
mem_guard_off = _MemGuardOff(_guard, False, "mem_guard_off")
mem_guard_on = _MemGuardOn(_guard, True, "mem_guard_on")


class _Recording:
    """The value of the tracking switch during the recorded backward pass: true (graphs are recorded), but the
    operations of the rules do not clear the gradients of the tensors they read, which the pass accumulates."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "RECORDING"


RECORDING: Any = _Recording()
recording = _Switch(_tracking, RECORDING, "recording")  # the engine's, around the recorded backward pass


def snapshot() -> tuple:
    """The switches as this context sees them (for tests of what leaves them as they were): the tracking
    switch, the guard (None: not chosen here yet), how many entries of each switch are open here, and how many
    times the threads' default of the guard was set."""
    open_entries = tuple(
        len(switch._tokens.get()) for switch in (no_autodiff, mem_guard_off, mem_guard_on, recording)
    )
    return _tracking.get(), _guard.get(None), open_entries, len(_guard_defaults)


def turn_memory_guarding_off() -> None:
    """Turn memory guarding off here (this thread, or asyncio task) and in threads started afterwards.

    Threads that are already running keep their setting. ``with mygrad.mem_guard_off:`` turns it off for a
    block of code instead.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.turn_memory_guarding_off()
    >>> mg.mem_guard_active()
    False
    >>> mg.turn_memory_guarding_on()
    """
    _set_guard_default(False)


def turn_memory_guarding_on() -> None:
    """Turn memory guarding on here (this thread, or asyncio task) and in threads started afterwards.

    Threads that are already running keep their setting.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.turn_memory_guarding_on()
    >>> mg.mem_guard_active()
    True
    """
    _set_guard_default(True)


def mem_guard_active() -> bool:
    """Whether operations recorded here (this thread, or asyncio task) lock the arrays they read, so that they
    cannot be written by mistake while a graph needs them.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.mem_guard_active()
    True
    >>> with mg.mem_guard_off:
    ...     mg.mem_guard_active()
    False
    """
    return guarding()
