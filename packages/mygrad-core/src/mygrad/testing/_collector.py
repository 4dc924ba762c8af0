"""A block run without Python's cycle collector."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["no_cycle_collector"]


@contextlib.contextmanager
def no_cycle_collector(*, collect_first: bool = True) -> Iterator[None]:
    """Run a block with Python's cycle collector off, so that whatever is freed in it is freed by reference
    counting alone (a test of what a graph keeps alive, or of how it is released, sees no collection that
    the interpreter happened to start). The collector is re-enabled afterwards if it was enabled.

    Parameters
    ----------
    collect_first : bool, default True
        Collect what earlier code left to the collector first, so that it is freed now, not during the block.

    Examples
    --------
    >>> import gc
    >>> import weakref
    >>> import mygrad as mg
    >>> from mygrad.testing import no_cycle_collector
    >>> with no_cycle_collector():
    ...     x = mg.tensor([1.0, 2.0])
    ...     y = (x * 2).sum()
    ...     op = weakref.ref(y.creator)
    ...     y.backward()  # clears the graph: the operation is freed at once
    ...     print(op() is None, gc.isenabled())
    True False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    if collect_first:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
