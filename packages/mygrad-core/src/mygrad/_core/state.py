"""Per-thread switches of the engine.

Every switch lives on one ``threading.local`` object, so a thread that enters ``no_autodiff`` never changes
what another thread records. Class attributes give each new thread its defaults.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = ["no_autodiff", "state"]

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    tracking: bool = True  # record graphs and compute gradients


state = _State()


class _NoAutoDiff:
    """Turns graph recording off within a ``with`` block or a decorated function.

    Inside, operations record no graph, clear no gradients and accept any dtype (complex too), and
    ``backward()`` does nothing. The switch is per thread and nests; it is restored on every exit,
    exceptions included.

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

    def __enter__(self) -> None:
        saved = state.__dict__.setdefault("saved_tracking", [])
        saved.append(state.tracking)
        state.tracking = False

    def __exit__(self, *exc_info: object) -> None:
        state.tracking = state.saved_tracking.pop()

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
        return "mygrad.no_autodiff"


no_autodiff = _NoAutoDiff()
