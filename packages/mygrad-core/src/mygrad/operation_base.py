"""The public API for writing differentiable operations.

Two ways, both run by :func:`mygrad.execute_op`:

* subclass :class:`Operation` (MyGrad 2's protocol: ``__call__`` and ``backward_var``), or
* declare a :class:`Primitive` with :func:`primitive`: a forward function and one gradient rule per input,
  ``rule(g, out, *arrays, **kwargs)``; this is how mygrad declares its own ops.

Examples
--------
>>> import numpy as np
>>> import mygrad as mg
>>> from mygrad.operation_base import primitive
>>> Cube = primitive("Cube", lambda x: x**3, lambda g, out, x: 3 * g * x**2)
>>> x = mg.tensor([1.0, 2.0])
>>> y = mg.execute_op(Cube, x)
>>> y.backward()
>>> x.grad
array([ 3., 12.])
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

import numpy as np

from mygrad._core.operation import Operation, Primitive
from mygrad._core.operation import declare as primitive
from mygrad._core.tensor import Tensor
from mygrad._docs import docstring_fragments

__all__ = [
    "BinaryUfunc",
    "Operation",
    "Primitive",
    "Sequential",
    "Ufunc",
    "UnaryUfunc",
    "docstring_fragments",
    "primitive",
]


class Ufunc(Operation, metaclass=ABCMeta):
    """Base class of an operation that wraps the NumPy ufunc ``numpy_ufunc``.

    Subclass :class:`UnaryUfunc` or :class:`BinaryUfunc`, set ``numpy_ufunc`` and implement ``backward_var``;
    :func:`mygrad.ufuncs.ufunc_creator` turns such an operation into a mygrad ufunc. The operations of mygrad's
    own ufuncs are such subclasses too (``type(mg.sin(x).creator).numpy_ufunc`` is ``np.sin``).

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import BinaryUfunc, Ufunc
    >>> class Hypot(BinaryUfunc):
    ...     numpy_ufunc = np.hypot
    ...     def backward_var(self, grad, index, **kwargs):
    ...         x, y = (v.data for v in self.variables)
    ...         return grad * (x, y)[index] / np.hypot(x, y)
    >>> issubclass(Hypot, Ufunc)
    True
    >>> x, y = mg.tensor(3.0), mg.tensor(4.0)
    >>> f = mg.execute_op(Hypot, x, y)
    >>> f.backward()
    >>> f, x.grad, y.grad
    (Tensor(5.), array(0.6), array(0.8))
    """

    __slots__ = ()  # (mygrad's own ufunc operations have slots only)

    numpy_ufunc: ClassVar[np.ufunc]

    @abstractmethod
    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
        """The gradient with respect to ``self.variables[index]``: see :meth:`Operation.backward_var`.

        Parameters
        ----------
        grad : numpy.ndarray
            The gradient with respect to the output.
        index : int
            The position of the variable in ``self.variables``.
        **kwargs
            Passed on by :meth:`~Operation.backward`.

        Returns
        -------
        numpy.ndarray or number

        Examples
        --------
        A ufunc operation without it cannot be made:

        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import UnaryUfunc
        >>> class Incomplete(UnaryUfunc):
        ...     numpy_ufunc = np.exp
        >>> mg.execute_op(Incomplete, mg.tensor(1.0))
        Traceback (most recent call last):
          ...
        TypeError: Can't instantiate abstract class Incomplete ...
        >>> class Exp(UnaryUfunc):
        ...     numpy_ufunc = np.exp
        ...     def backward_var(self, grad, index, **kwargs):
        ...         return grad * np.exp(self.variables[0].data)
        >>> x = mg.tensor([0.0, 1.0])
        >>> mg.execute_op(Exp, x).backward()
        >>> x.grad
        array([1.        , 2.71828183])
        """

    def _run_ufunc(
        self, *tensors: Tensor, out: Any = None, where: Any = True, dtype: Any = None
    ) -> np.ndarray:
        self.variables = tensors
        if where is not True:
            self.where = where
        return self.numpy_ufunc(*(t.data for t in tensors), out=out, where=where, dtype=dtype)


class UnaryUfunc(Ufunc):
    """A ufunc of one input: implement ``backward_var``; ``__call__`` runs ``numpy_ufunc`` on the data.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import UnaryUfunc
    >>> class Square(UnaryUfunc):
    ...     numpy_ufunc = np.square
    ...     def backward_var(self, grad, index, **kwargs):
    ...         return 2 * grad * self.variables[0].data
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.execute_op(Square, x)
    >>> y.backward()
    >>> y, x.grad
    (Tensor([1., 4.]), array([2., 4.]))
    """

    __slots__ = ()

    def __call__(self, x1: Tensor, out: Any = None, *, where: Any = True, dtype: Any = None) -> np.ndarray:
        """Run ``numpy_ufunc`` on ``x1``'s data, keeping ``x1`` as the variable (and ``where`` as the mask).

        Parameters
        ----------
        x1 : Tensor
            The input.
        out : numpy.ndarray, optional
            Where to write the result, as for the NumPy ufunc.
        where : array_like of bool, optional
            Compute only where True; the engine masks the gradient likewise.
        dtype : data-type, optional
            The type to compute in, as for the NumPy ufunc.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import UnaryUfunc
        >>> class Negative(UnaryUfunc):
        ...     numpy_ufunc = np.negative
        ...     def backward_var(self, grad, index, **kwargs):
        ...         return -grad
        >>> op = Negative()
        >>> op(mg.tensor([1.0, 2.0]), where=[True, False], out=np.zeros(2))
        array([-1.,  0.])
        >>> op.where
        [True, False]
        """
        return self._run_ufunc(x1, out=out, where=where, dtype=dtype)


class BinaryUfunc(Ufunc):
    """A ufunc of two inputs: implement ``backward_var``; ``__call__`` runs ``numpy_ufunc`` on the data.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import BinaryUfunc
    >>> class Subtract(BinaryUfunc):
    ...     numpy_ufunc = np.subtract
    ...     def backward_var(self, grad, index, **kwargs):
    ...         return grad if index == 0 else -grad
    >>> x, y = mg.tensor([5.0, 7.0]), mg.tensor(1.0)
    >>> z = mg.execute_op(Subtract, x, y)
    >>> z.backward()
    >>> z, x.grad, y.grad  # y was broadcast: its gradient is summed
    (Tensor([4., 6.]), array([1., 1.]), array(-2.))
    """

    __slots__ = ()

    def __call__(
        self, x1: Tensor, x2: Tensor, out: Any = None, *, where: Any = True, dtype: Any = None
    ) -> np.ndarray:
        """Run ``numpy_ufunc`` on the inputs' data, keeping them as the variables (and ``where`` as the mask).

        Parameters
        ----------
        x1, x2 : Tensor
            The inputs; they broadcast together.
        out : numpy.ndarray, optional
            Where to write the result, as for the NumPy ufunc.
        where : array_like of bool, optional
            Compute only where True; the engine masks the gradients likewise.
        dtype : data-type, optional
            The type to compute in, as for the NumPy ufunc.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import BinaryUfunc
        >>> class Add(BinaryUfunc):
        ...     numpy_ufunc = np.add
        ...     def backward_var(self, grad, index, **kwargs):
        ...         return grad
        >>> op = Add()
        >>> op(mg.tensor([1.0, 2.0]), mg.tensor(10.0), dtype="float32")
        array([11., 12.], dtype=float32)
        >>> len(op.variables)
        2
        """
        return self._run_ufunc(x1, x2, out=out, where=where, dtype=dtype)


class Sequential(Operation):
    """A reduction along axes, ``numpy_func(a, axis=..., keepdims=...)``: implement ``backward_var``.

    ``__call__`` stores ``axis``, ``keepdims`` and ``out_shape`` on the instance for the backward pass.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import Sequential
    >>> class Sum(Sequential):
    ...     numpy_func = np.sum
    ...     def backward_var(self, grad, index, **kwargs):
    ...         (a,) = self.variables
    ...         if not self.keepdims and self.axis is not None:
    ...             grad = np.expand_dims(grad, self.axis)  # restore the reduced axis
    ...         return np.broadcast_to(grad, a.shape)
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> s = mg.execute_op(Sum, x, op_kwargs={"axis": 0})
    >>> (s * [1.0, 10.0]).sum().backward()
    >>> s, x.grad
    (Tensor([4., 6.]), array([[ 1., 10.],
           [ 1., 10.]]))
    """

    numpy_func: ClassVar[Any]

    def __call__(self, a: Tensor, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> np.ndarray:
        """Run ``numpy_func`` on ``a``'s data, storing ``axis``, ``keepdims`` and ``out_shape`` on ``self``.

        Parameters
        ----------
        a : Tensor
            The input.
        axis : int or tuple of ints, optional
            The axes to reduce (all of them by default).
        keepdims : bool, default False
            Keep the reduced axes, with length one.
        **kwargs
            Further keywords for ``numpy_func``.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import Sequential
        >>> class Max(Sequential):
        ...     numpy_func = np.max
        >>> op = Max()
        >>> op(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1, keepdims=True)
        array([[5.],
               [3.]])
        >>> op.axis, op.keepdims, op.out_shape
        (1, True, (2, 1))
        """
        self.variables = (a,)
        self.axis = axis
        self.keepdims = keepdims
        out = type(self).numpy_func(a.data, axis=axis, keepdims=keepdims, **kwargs)
        self.out_shape = np.shape(out)
        return out
