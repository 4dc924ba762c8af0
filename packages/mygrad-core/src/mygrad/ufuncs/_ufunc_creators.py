"""``ufunc_creator``: turn a user's UnaryUfunc/BinaryUfunc operation into a mygrad ufunc."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from mygrad._core.operation import execute_op
from mygrad._ops.registry import make_ufunc
from mygrad.operation_base import Ufunc

__all__ = ["ufunc_creator"]


def ufunc_creator(
    mygrad_op: type[Ufunc],
    at_op: Any = None,
    accumulate_op: Any = None,
    outer_op: Any = None,
    reduce_op: Any = None,
    reduceat_op: Any = None,
) -> Callable[[Callable[..., Any]], Any]:
    """Decorate a stub function to make a mygrad ufunc named after it that runs ``mygrad_op``.

    ``mygrad_op`` is a subclass of ``UnaryUfunc`` or ``BinaryUfunc`` with a ``numpy_ufunc`` attribute. The
    ufunc methods (``at``, ``reduce``, ...) are not supported, whatever is passed for them.

    Parameters
    ----------
    mygrad_op : type[Ufunc]
        The operation the ufunc runs (with the ufunc's ``out=``, ``where=`` and ``dtype=``).
    at_op, accumulate_op, outer_op, reduce_op, reduceat_op : optional
        Accepted for MyGrad 2's signature, and ignored.

    Returns
    -------
    callable
        The decorator: given a stub function, it returns the mygrad ufunc, with the stub's name, signature and
        docstring.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import UnaryUfunc
    >>> from mygrad.ufuncs import ufunc_creator
    >>> class Sin(UnaryUfunc):
    ...     numpy_ufunc = np.sin
    ...     def backward_var(self, grad, index, **kwargs):
    ...         return grad * np.cos(self.variables[0].data)
    >>> @ufunc_creator(Sin)
    ... def my_sin(x, out=None, *, where=True, dtype=None, constant=None):
    ...     '''sine'''
    >>> my_sin
    <mygrad-ufunc 'my_sin'>
    >>> y = my_sin(mg.tensor(0.0))
    >>> y.backward()
    >>> y.creator is None, float(y)
    (True, 0.0)
    """

    def decorate(stub: Callable[..., Any]) -> Any:
        def run(args: tuple, kwargs: dict, constant: Any, forward_kwargs: dict) -> Any:
            return execute_op(mygrad_op, *args, op_kwargs={**forward_kwargs, **kwargs}, constant=constant)

        namespace = {
            "numpy_ufunc": mygrad_op.numpy_ufunc,
            "_op": mygrad_op,
            "_run": staticmethod(run),
            "__module__": stub.__module__,
            "__doc__": stub.__doc__,
        }
        return make_ufunc(stub.__name__, inspect.signature(stub), namespace)

    return decorate
