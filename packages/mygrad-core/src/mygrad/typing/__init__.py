"""Type aliases for annotating code that uses mygrad.

Type checkers see precise aliases (``Shape`` is ``tuple[int, ...]``). At run time the names work where
MyGrad 2's did, so that code written for it keeps working: ``ArrayLike``, ``DTypeLike``, ``DTypeLikeReals``,
``Mask`` and ``Shape`` are placeholder classes (``isinstance`` is False for every value; hypothesis
strategies can be registered for them, on every Python: MyGrad 2's ``DTypeLike`` and ``Mask`` were type
variables, which hypothesis accepts only before Python 3.12), ``Real`` and ``Index`` unions that
``isinstance`` answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import EllipsisType
from typing import TYPE_CHECKING, Any, Protocol, Union, runtime_checkable

import numpy as np

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


Real = Union[int, float]  # noqa: UP007

if TYPE_CHECKING:
    from typing import TypeAlias

    from numpy.typing import ArrayLike as _NumPyArrayLike
    from numpy.typing import DTypeLike

    ArrayLike: TypeAlias = Union[_NumPyArrayLike, ImplementsArray]  # noqa: UP007
    DTypeLikeReals: TypeAlias = Union[  # noqa: UP007
        type[bool], type[int], type[float], type[np.bool_], type[np.number], np.dtype, str, None
    ]
    Shape: TypeAlias = tuple[int, ...]
    Index: TypeAlias = Union[  # noqa: UP007
        int, slice, None, EllipsisType, np.ndarray, ImplementsArray, Sequence[int], tuple[Any, ...]
    ]
    Mask: TypeAlias = Union[bool, np.bool_, np.ndarray, ImplementsArray, Sequence[Any]]  # noqa: UP007
else:

    class ArrayLike:
        """Placeholder at run time for the alias of array-like data (see ``mygrad.typing``)."""

    class DTypeLikeReals:
        """Placeholder at run time for the alias of real dtypes (see ``mygrad.typing``)."""

    class Shape:
        """Placeholder at run time for the alias ``tuple[int, ...]`` (see ``mygrad.typing``)."""

    class DTypeLike:
        """Placeholder at run time for the alias of dtypes (see ``mygrad.typing``)."""

    class Mask:
        """Placeholder at run time for the alias of boolean masks (see ``mygrad.typing``)."""

    Index = Union[int, slice, None, EllipsisType, np.ndarray, ImplementsArray, Sequence]  # noqa: UP007
