"""Type aliases for annotating code that uses mygrad."""

from __future__ import annotations

from typing import Protocol, TypeVar, Union, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike as _NumPyArrayLike
from numpy.typing import DTypeLike

__all__ = ["ArrayLike", "DTypeLike", "DTypeLikeReals", "ImplementsArray", "Index", "Mask", "Real", "Shape"]


@runtime_checkable
class ImplementsArray(Protocol):
    """Anything with an ``__array__`` method (Tensors among them).

    A :func:`~typing.runtime_checkable` protocol: ``isinstance`` checks for the method.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.typing import ImplementsArray
    >>> isinstance(mg.tensor([1.0]), ImplementsArray), isinstance(np.ones(2), ImplementsArray)
    (True, True)
    >>> isinstance([1.0, 2.0], ImplementsArray)
    False
    """

    def __array__(self, dtype: None = ..., copy: bool | None = ...) -> np.ndarray: ...


ArrayLike = Union[_NumPyArrayLike, ImplementsArray]  # noqa: UP007
DTypeLikeReals = Union[type[bool], type[int], type[float], np.dtype, str]  # noqa: UP007
Real = Union[int, float]  # noqa: UP007
Shape = tuple[int, ...]
Index = TypeVar("Index")  # anything NumPy accepts between square brackets
Mask = Union[bool, np.ndarray]  # noqa: UP007
