"""The Tensor: a NumPy array with a place in a computational graph.

Only the state and the behaviour that involves no operation live here. The registry of operations attaches
the math methods and operators (``__add__``, ``sum``, ``reshape`` ...) when ``mygrad`` is imported, so each
operation is declared once, in ``mygrad._ops``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from mygrad._core.backprop import backprop, clear_graph
from mygrad._core.state import tracking

__all__ = ["FUNCTIONS", "UFUNCS", "Tensor", "new_tensor", "resolve_constant"]

# What NumPy's functions and ufuncs do when given a tensor (filled by the declarations of mygrad._ops)
UFUNCS: dict[np.ufunc, Any] = {}  # NumPy ufunc -> handler(*inputs, **kwargs)
FUNCTIONS: dict[Any, Any] = {}  # NumPy function -> mygrad implementation

_TRACKABLE_KINDS = frozenset("fiub")  # floating, signed and unsigned integers, bool


def check_trackable(dtype: np.dtype) -> None:
    if dtype.kind not in _TRACKABLE_KINDS:
        raise TypeError(
            "Tensor data must be of a floating type, integer type, or boolean type while a graph is "
            f"tracked; got dtype {dtype} (use `mygrad.no_autodiff` to hold other data)"
        )


def resolve_constant(dtype: np.dtype, constant: Any) -> bool:
    """The constant flag of a tensor of ``dtype``: floats are differentiable, everything else is constant."""
    if constant is None:
        return dtype.kind != "f"
    if not isinstance(constant, (bool, np.bool_)):
        raise TypeError(f"`constant` must be a boolean value or None, got: {constant!r}")
    if not constant and dtype.kind != "f":
        raise ValueError(
            f"Integer-valued tensors must be treated as constants: `constant=False` is invalid for dtype {dtype}"
        )
    return bool(constant)


def new_tensor(data: np.ndarray, constant: bool, creator: Any = None) -> Tensor:
    """Wrap ``data`` without copying or checking: the engine's fast path."""
    t = object.__new__(Tensor)
    t.data = data
    t._grad = None
    t._owns_grad = False
    t._constant = constant
    t._creator = creator
    t._base = None
    t._history = None
    t._cleared = 0
    return t


def _restore(data: np.ndarray, grad: np.ndarray | None, constant: bool) -> Tensor:
    if not data.flags.writeable:  # pickle protocol 5 keeps the flag, which the memory guard may have set
        data = data.copy()  # (the restored tensor is in no graph)
    t = new_tensor(data, constant)
    t._grad = grad
    return t


class Tensor:
    """An N-dimensional array that records the operations applied to it, so that it can be differentiated.

    Parameters
    ----------
    x : array_like
        The data; a Tensor gives its data (not its graph).
    dtype : data-type, optional
        As for :func:`numpy.array`.
    constant : bool, optional
        Whether the tensor is excluded from differentiation. By default floating-point tensors are
        differentiable and integer and boolean tensors are constants (they must be).
    copy : bool, default True
        ``False`` avoids copying ``x`` where NumPy can.
    ndmin : int, default 0
        The minimum number of dimensions, as for :func:`numpy.array`.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.Tensor([1.0, 2.0, 3.0])
    >>> f = (x * x).sum()
    >>> f.backward()
    >>> x.grad
    array([2., 4., 6.])
    """

    __slots__ = {  # a dict: the values document the slots (`data`'s is its docstring)
        "data": """The tensor's NumPy array: ``np.asarray(t)`` gives it too, without copying.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> x.data
        array([1., 2.])
        >>> (2 * x).data
        array([2., 4.])
        """,
        "_grad": None,
        "_owns_grad": None,
        "_constant": None,
        "_creator": None,
        "_base": None,
        "_view_ops": "for a view: the view ops that lead from its base to it",
        "_views": "for a base: weak references to its views",
        "_history": "after in-place operations: (tick, stand-in for the state before)",
        "_cleared": None,
        "_grad_tensor": "after backward(create_graph=True): the gradient as a Tensor",
        "__weakref__": None,
    }
    __array_priority__ = 15.0

    # NumPy's protocols (NEP 13, NEP 18): NumPy's functions and ufuncs given a tensor run what the tables say
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        handler = UFUNCS.get(ufunc)
        if handler is None:
            return NotImplemented
        if method != "__call__":
            if method == "at":
                return NotImplemented
            raise NotImplementedError(f"mygrad does not support `numpy.{ufunc.__name__}.{method}`")
        return handler(*inputs, **kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        impl = FUNCTIONS.get(func)
        if impl is None:
            return NotImplemented
        return impl(*args, **kwargs)

    __hash__ = None  # type: ignore[assignment]  # mutable, like ndarray

    def __init__(
        self,
        x: Any,
        *,
        dtype: Any = None,
        constant: bool | None = None,
        copy: bool = True,
        ndmin: int = 0,
        _creator: Any = None,
        _base: Tensor | None = None,
    ) -> None:
        if isinstance(x, Tensor):
            x = x.data
        data = np.array(x, dtype=dtype, copy=True if copy else None, ndmin=ndmin)
        if tracking():
            check_trackable(data.dtype)
        self.data = data
        self._constant = resolve_constant(data.dtype, constant)
        self._grad = None
        self._owns_grad = False  # True while `_grad` is an array the engine made (to add into in place)
        self._creator = _creator
        self._base = _base
        if _base is not None:
            self._view_ops = ()  # a base given by hand: no view ops to replay
        self._history = None
        self._cleared = 0

    # ----------------------------------------------------------------------------------------- graph state
    @property
    def grad(self) -> np.ndarray | None:
        """The derivative of the last backpropagated tensor with respect to this one (None if none).

        For a view, the matching view of its base's gradient.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> x.grad is None
        True
        >>> (x**2).sum().backward()
        >>> x.grad  # d(sum(x**2))/dx = 2 x
        array([2., 4.])
        >>> x[1:].grad  # a view's gradient is the view of its base's
        array([4.])
        """
        if self._base is None:
            return self._grad
        from mygrad._core.views import view_grad  # views.py builds on this module

        return view_grad(self)

    @property
    def grad_tensor(self) -> Tensor | None:
        """``.grad`` as a differentiable Tensor, after ``backward(create_graph=True)`` (None otherwise).

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor(3.0)
        >>> (x**3).backward(create_graph=True)
        >>> x.grad_tensor  # 3 x**2
        Tensor(27.)
        >>> x.grad_tensor.backward()
        >>> x.grad  # 6 x
        array(18.)
        """
        tensor = getattr(self, "_grad_tensor", None)
        return tensor if tensor is not None and self._grad is tensor.data else None

    @property
    def constant(self) -> bool:
        """True if the tensor is excluded from differentiation (it never receives a gradient).

        Examples
        --------
        >>> import mygrad as mg
        >>> mg.tensor([1.0]).constant, mg.tensor([1]).constant, mg.tensor([1.0], constant=True).constant
        (False, True, True)
        >>> x = mg.tensor(2.0, constant=True)
        >>> y = mg.tensor(3.0)
        >>> (x * y).backward()
        >>> x.grad, y.grad
        (None, array(2.))
        """
        return self._constant

    @property
    def creator(self) -> Any:
        """The operation that produced this tensor, or None for a leaf (or once the graph is cleared).

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> y = x * 2
        >>> x.creator is None, type(y.creator).__name__
        (True, 'Multiply')
        >>> y.creator.variables[0] is x
        True
        >>> y.backward()  # which clears the graph
        >>> y.creator is None
        True
        """
        return self._creator

    @property
    def base(self) -> Tensor | None:
        """The tensor whose memory this one views (never itself a view), or None if it owns its data.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.arange(4.0)
        >>> y = x[:2]
        >>> y.base is x, x.base is None
        (True, True)
        >>> y.reshape(2, 1).base is x  # a view of a view views the same base
        True
        >>> (x * 2).base is None
        True

        Clearing the graph that made a view (``backward()`` does) makes it a tensor of its own, from the next
        operation that involves it on:

        >>> (y * 2).backward()
        >>> z = y + 1
        >>> y.base is None
        True
        """
        return self._base

    def backward(self, grad: Any = None, *, create_graph: bool = False) -> None:
        """Compute the derivatives of this tensor with respect to every tensor in its graph.

        A tensor of any shape may be backpropagated: its seed gradient defaults to ones (the backward pass
        of ``self.sum()``), or is ``grad``, which must broadcast to ``self.shape``. The results are stored in
        each tensor's ``.grad``; then the graph is cleared. Does nothing under ``no_autodiff``. A constant tensor
        (integer and boolean tensors are) has no gradients to compute: its graph is cleared, nothing else.

        Parameters
        ----------
        grad : array_like, optional
            The gradient of some downstream quantity with respect to this tensor.
        create_graph : bool, default False
            Record the backward pass, so that the gradients are differentiable: each tensor's ``.grad`` is still
            an array, and ``.grad_tensor`` is the same gradient as a Tensor in a graph. The graph is then kept
            (not cleared). See also :func:`mygrad.grad`.

        Raises
        ------
        TypeError
            If ``grad`` is complex.
        ValueError
            If ``grad`` cannot broadcast to this tensor's shape.
        mygrad.errors.InvalidBackprop
            If part of the graph was already cleared by an earlier backward pass.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor(3.0)
        >>> f = x**2
        >>> f.backward()
        >>> x.grad
        array(6.)
        """
        if not tracking():
            return
        if self._constant:  # integer and boolean tensors among them: nothing to differentiate
            clear_graph(self)
            return
        backprop(self, grad, create_graph)

    def clear_graph(self) -> None:
        """Disconnect every tensor of this tensor's graph from the operations that created it.

        ``backward()`` does this itself; call it to drop a graph that will not be backpropagated.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor(2.0)
        >>> y = x * 3
        >>> z = y + 1
        >>> z.clear_graph()
        >>> y.creator is None, z.creator is None
        (True, True)
        >>> z.backward()
        Traceback (most recent call last):
          ...
        mygrad.errors.InvalidBackprop: Part of the computational graph containing this tensor, ...
        """
        clear_graph(self)

    def null_grad(self) -> Tensor:
        """Set ``.grad`` to None and return the tensor.

        Returns
        -------
        Tensor
            This tensor.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> (x * x).sum().backward()
        >>> x.grad
        array([2., 4.])
        >>> x.null_grad() is x, x.grad
        (True, None)
        """
        self._grad = None
        self._grad_tensor = None  # a recorded gradient (create_graph=True) holds its graph: let it go too
        return self

    def null_gradients(self, clear_graph: bool = True) -> None:
        """Deprecated: gradients are cleared by the next operation; this does nothing but warn.

        Parameters
        ----------
        clear_graph : bool, default True
            Ignored (MyGrad 2's).

        Examples
        --------
        >>> import warnings
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0])
        >>> (2 * x).backward()
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     x.null_gradients()
        >>> caught[0].category.__name__, x.grad
        ('FutureWarning', array([2.]))
        """
        warnings.warn(
            "`Tensor.null_gradients` is deprecated and does nothing: gradients are cleared automatically "
            "by the next operation that involves the tensor; use `Tensor.null_grad` to clear one by hand",
            FutureWarning,
            stacklevel=2,
        )

    # ------------------------------------------------------------------------------- array-like attributes
    @property
    def shape(self) -> tuple[int, ...]:
        """The tensor's dimensions; setting them reshapes the tensor in place (never copying), as NumPy does.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([[1.0, 2.0, 3.0]])
        >>> x.shape
        (1, 3)
        >>> x.shape = (3,)
        >>> x
        Tensor([1., 2., 3.])
        """
        return self.data.shape

    @shape.setter
    def shape(self, newshape: Any) -> None:
        from mygrad._core.inplace import reshape_in_place  # inplace.py builds on this module

        reshape_in_place(self, newshape)

    @property
    def size(self) -> int:
        """The number of elements.

        Examples
        --------
        >>> import mygrad as mg
        >>> mg.zeros((2, 3)).size, mg.tensor(5.0).size
        (6, 1)
        """
        return self.data.size

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Examples
        --------
        >>> import mygrad as mg
        >>> mg.zeros((2, 3)).ndim, mg.tensor(5.0).ndim
        (2, 0)
        """
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The data-type of the elements.

        Examples
        --------
        >>> import mygrad as mg
        >>> mg.tensor([1.0]).dtype, mg.tensor([1]).dtype, mg.zeros(2).dtype
        (dtype('float64'), dtype('int64'), dtype('float32'))
        """
        return self.data.dtype

    def item(self) -> Any:
        """The tensor's only element as a Python scalar (ValueError if it has more than one).

        Examples
        --------
        >>> import mygrad as mg
        >>> mg.tensor([[2.5]]).item()
        2.5
        >>> mg.tensor([1.0, 2.0]).item()
        Traceback (most recent call last):
          ...
        ValueError: can only convert an array of size 1 to a Python scalar
        """
        return self.data.item()

    def __float__(self) -> float:
        return float(self._only_element())

    def __int__(self) -> int:
        return int(self._only_element())

    def _only_element(self) -> np.ndarray:
        # float() and int() take a tensor of any shape with one element, as MyGrad 2 did (NumPy 2: 0-d only)
        if self.data.size != 1:
            raise TypeError(
                f"only tensors of size 1 can be converted to Python scalars, not one of shape {self.shape}"
            )
        return self.data.reshape(())

    def __index__(self) -> int:
        return self.data.__index__()

    def __bool__(self) -> bool:
        return bool(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __contains__(self, item: Any) -> bool:
        return self.data.__contains__(_data(item))

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None and not copy:
            return self.data
        return np.array(self.data, dtype=dtype, copy=copy)

    def __repr__(self) -> str:
        return repr(self.data).replace("array", "Tensor", 1).replace("\n", "\n ")

    __str__ = __repr__

    # comparisons are not differentiable: they give NumPy's boolean arrays
    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data == _data(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data != _data(other)

    def __lt__(self, other: Any) -> Any:
        return self.data < _data(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= _data(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > _data(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= _data(other)

    # --------------------------------------------------------------------------------------------- copies
    def copy(self, *, constant: bool | None = None) -> Tensor:
        """A tensor with a copy of the data and gradient, outside any graph.

        Parameters
        ----------
        constant : bool, optional
            The copy's constant flag; by default the tensor's.

        Examples
        --------
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> y = x.copy()
        >>> y is x, y.creator is None
        (False, True)
        """
        out = Tensor(self.data, constant=self._constant if constant is None else constant)
        grad = self.grad  # a view's is a view of its base's gradient
        out._grad = None if grad is None else grad.copy()
        return out

    def __copy__(self) -> Tensor:
        return self.copy()

    def __deepcopy__(self, memo: dict) -> Tensor:
        # the tensor and its graph, copied (a view stays a view of its base's copy)
        from mygrad._core.copying import deepcopy_tensor  # copying.py builds on this module

        return deepcopy_tensor(self, memo)

    def __reduce__(self) -> tuple:
        # data, gradient (a view's too) and constant flag; never the graph
        return _restore, (self.data, self.grad, self._constant)


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x
