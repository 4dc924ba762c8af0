"""Array libraries to run the gradient checks over, beside NumPy: Dask (chunked, lazy) and CuPy (a GPU).

Inside ``with over(backend):``, every :func:`~mygrad.testing.assert_gradients_match` and
:func:`~mygrad.testing.assert_second_derivatives_match` also runs its case with the inputs (and the upstream
gradient) converted to the backend's arrays, and asserts that the output and the gradients are that library's
arrays, computed in one call (for Dask, one ``dask.compute``), equal to NumPy's. Nothing is imported from those
libraries until a backend is made.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Backend", "BackendDeparture", "active", "cupy_backend", "dask_backend", "over"]


class BackendDeparture(UserWarning):
    """A gradient check's case that the backend's library refused (an error raised in its own code) or whose
    output it computed otherwise than NumPy (Dask has no views; it departs from NumPy at some edge cases): the
    gradients are not compared over it, and this warning says so.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.testing import assert_gradients_match
    >>> from mygrad.testing.backends import BackendDeparture, dask_backend, over
    >>> with over(dask_backend()), warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     out = assert_gradients_match(lambda x: mg.sum(x, axis=0), np.array(2.0))  # NumPy's axis 0 of 0-d
    >>> [w.category is BackendDeparture for w in caught]  # Dask refuses that axis
    [True]
    """


@dataclass(frozen=True)
class Backend:
    """An array library for the gradient checks.

    Attributes
    ----------
    name : str
        For messages.
    array_type : type
        The type of its arrays.
    from_numpy : callable
        A NumPy array to one of the library's arrays.
    compute : callable
        ``compute(*arrays)``: those arrays as NumPy arrays, all computed in one call.
    fallback_warning : str or None
        Part of the warning with which the library tells that it computes a NumPy function it does not
        implement, eagerly, on NumPy (Dask's ``FutureWarning``): the results of such a case may be NumPy's.
    views : bool
        Whether the library has views, as NumPy does (CuPy does, Dask does not): a case that writes through a
        view computes otherwise without them, and a test suite may leave such cases out.

    Examples
    --------
    A backend of NumPy arrays in Fortran order, say (a library of your own would take its place):

    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.testing import assert_gradients_match
    >>> from mygrad.testing.backends import Backend, over
    >>> fortran = Backend("fortran", np.ndarray, np.asfortranarray, lambda *arrays: arrays)
    >>> with over(fortran):
    ...     out = assert_gradients_match(mg.transpose, np.ones((2, 3)))
    """

    name: str
    array_type: type
    from_numpy: Callable[[np.ndarray], Any]
    compute: Callable[..., tuple[np.ndarray, ...]]
    fallback_warning: str | None = None
    views: bool = True

    def refused(self, error: BaseException) -> bool:
        """Whether ``error`` is the library's own refusal of a case: raised in its own code (Dask's AxisError
        for ``axis=0`` of a 0-d array, which NumPy's reductions accept; its NotImplementedError for ``out=`` a
        NumPy array ...), not in mygrad's or NumPy's."""
        frames = traceback.extract_tb(error.__traceback__)
        package = self.array_type.__module__.split(".")[0]
        return bool(frames) and f"{os.sep}{package}{os.sep}" in frames[-1].filename

    def fell_back(self, caught: list[warnings.WarningMessage]) -> bool:
        """Whether the library said, in the warnings ``caught``, that it computed a function on NumPy."""
        text = self.fallback_warning
        return text is not None and any(text in str(w.message) for w in caught)


_ACTIVE: contextvars.ContextVar[Backend | None] = contextvars.ContextVar(
    "mygrad_testing_backend", default=None
)


def active() -> Backend | None:
    """The backend that the gradient checks also run over (see :func:`over`), or None.

    Returns
    -------
    Backend or None

    Examples
    --------
    >>> from mygrad.testing.backends import active, dask_backend, over
    >>> with over(dask_backend()):
    ...     active().name
    'dask'
    >>> with over(None):
    ...     active() is None
    True
    """
    return _ACTIVE.get()


@contextlib.contextmanager
def over(backend: Backend | None) -> Iterator[Backend | None]:
    """Within the block, the gradient checks also run each case over ``backend``'s arrays (None: NumPy only).

    Parameters
    ----------
    backend : Backend or None
        The library, e.g. :func:`dask_backend`'s.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.testing import assert_gradients_match
    >>> from mygrad.testing.backends import dask_backend, over
    >>> with over(dask_backend()):  # the case runs over NumPy, then over Dask (chunks (1, 1) by (2, 1))
    ...     out = assert_gradients_match(lambda x: mg.sum(x**2, axis=1), np.arange(6.0).reshape(2, 3))
    >>> out
    Tensor([ 5., 50.])
    """
    token = _ACTIVE.set(backend)
    try:
        yield backend
    finally:
        _ACTIVE.reset(token)


def _uneven_chunks(shape: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Every axis of two or more elements cut in two, the first piece the larger (so size 3 gives (2, 1))."""
    return tuple(((n + 1) // 2, n // 2) if n > 1 else (n,) for n in shape)


def dask_backend(chunks: Callable[[tuple[int, ...]], Any] = _uneven_chunks) -> Backend:
    """Dask arrays, chunked by ``chunks(shape)`` (by default along every axis, unevenly where it can), computed
    with the synchronous scheduler.

    Parameters
    ----------
    chunks : callable, optional
        The chunks of an array of the given shape, as :func:`dask.array.from_array` takes them. By default
        every axis of two or more elements is cut in two, the first piece the larger: 3 gives ``(2, 1)``.

    Returns
    -------
    Backend

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.testing.backends import dask_backend
    >>> backend = dask_backend()
    >>> backend.from_numpy(np.zeros((3, 4, 1))).chunks
    ((2, 1), (2, 2), (1,))
    >>> backend.compute(backend.from_numpy(np.arange(3.0)) * 2)
    (array([0., 2., 4.]),)
    """
    import dask.array as da
    from dask.base import compute as dask_compute  # (dask.compute, where type checkers find it)

    def from_numpy(array: np.ndarray) -> Any:
        return da.from_array(array, chunks=chunks(array.shape))

    def compute(*arrays: Any) -> tuple[np.ndarray, ...]:
        return tuple(np.asarray(a) for a in dask_compute(*arrays, scheduler="synchronous"))

    return Backend("dask", da.Array, from_numpy, compute, "is not implemented by Dask array", views=False)


def cupy_backend() -> Backend:
    """CuPy arrays, on the current CUDA device (ImportError without CuPy; CuPy's error without a device).

    Returns
    -------
    Backend

    Examples
    --------
    >>> from mygrad.testing.backends import cupy_backend
    >>> try:
    ...     backend = cupy_backend()
    ... except ImportError:  # CuPy is not installed
    ...     backend = None
    """
    import cupy  # pyright: ignore[reportMissingImports]  (optional: not installed where the types are checked)

    def compute(*arrays: Any) -> tuple[np.ndarray, ...]:
        return tuple(cupy.asnumpy(a) for a in arrays)

    return Backend("cupy", cupy.ndarray, cupy.asarray, compute)
