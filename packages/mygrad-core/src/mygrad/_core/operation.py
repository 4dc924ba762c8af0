"""Operations: the nodes of a graph, and the one path that runs them and records the result.

Two kinds share the engine. ``Operation`` is the public protocol (MyGrad 2's): ``__call__`` computes the forward
pass on the inputs' data and sets ``self.variables``, ``backward_var`` returns one input's gradient. ``Primitive``
is how mygrad declares its own ops: a NumPy forward function and one gradient rule per input, ``rule(g, out,
*args, **kwargs)``, written with NumPy calls that also work on Tensors. Either way the engine (``accumulate``)
does the cross-cutting work: where-masks, summing over broadcast axes, casting to the variable's dtype, and
accumulation.
"""

from __future__ import annotations

import functools
from numbers import Number
from typing import Any, ClassVar

import numpy as np

from mygrad._core.backprop import clock
from mygrad._core.broadcast import reduce_to_shape
from mygrad._core.memory import lock, unlock
from mygrad._core.state import state
from mygrad._core.tensor import Tensor, check_trackable, new_tensor, resolve_constant
from mygrad._core.views import link_view
from mygrad._utils import SkipGradient
from mygrad.errors import InvalidGradient

__all__ = ["Operation", "Primitive", "Scatter", "accumulate", "apply", "execute_op", "passthrough"]

_PY_SCALARS = (int, float, bool)


def passthrough(g: Any, out: Any, *args: Any, **kwargs: Any) -> Any:
    """The rule of an input whose gradient is the output's (``x`` in ``x + y``); the engine skips the call."""
    return g


class Scatter:
    """A gradient that is ``values`` at ``index`` and zero elsewhere (an indexing op's), for the variable's shape.

    ``accumulate`` adds it into the variable's gradient in place, so backprop through ``x[i]`` costs the size
    of the selection, not of ``x``: iterating over a tensor stays linear.
    """

    __slots__ = ("index", "values", "basic")

    def __init__(self, index: Any, values: Any, basic: bool) -> None:
        self.index = index
        self.values = values
        self.basic = basic  # no advanced indices: no position repeats, so `+=` through the index is exact


def _scatter_into(var: Tensor, scatter: Scatter) -> None:
    buffer = var._grad
    if buffer is None:
        buffer = np.zeros(var.data.shape, dtype=var.data.dtype)
    elif not getattr(var, "_owns_grad", False):
        buffer = buffer.copy()  # it may be shared with another tensor's gradient: never write into it
    if scatter.basic:
        buffer[scatter.index] += scatter.values
    else:
        np.add.at(buffer, scatter.index, scatter.values)  # repeated indices accumulate
    var._grad = buffer
    var._owns_grad = True


def _scatter_add_forward(values: Any, *, index: Any, shape: tuple, basic: bool) -> np.ndarray:
    out = np.zeros(shape, dtype=values.dtype)
    if basic:
        out[index] += values
    else:
        np.add.at(out, index, values)
    return out


def scatter_add(values: Any, index: Any, shape: tuple, basic: bool) -> Tensor:
    """An array of zeros of ``shape`` with ``values`` added at ``index`` (repeated positions accumulate), as a
    recorded op: a Scatter gradient in the recorded backward pass."""
    return apply(ScatterAdd, (values,), {"index": index, "shape": shape, "basic": basic})


def accumulate(var: Tensor, grad: Any, where: Any = True) -> None:
    """Add ``grad`` (the gradient of the op's broadcast output) into ``var``'s gradient."""
    if type(grad) is Scatter:
        _scatter_into(var, grad)
        return
    if where is not True:
        grad = np.where(where, grad, 0)
    data = var.data
    if grad.shape != data.shape:
        grad = reduce_to_shape(grad, data.shape)
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
    old = var._grad
    var._owns_grad = old is not None  # a sum is a fresh array; a rule's result may be shared
    if old is not None:
        grad = old + grad
    if type(grad) is not np.ndarray and not isinstance(grad, Tensor):
        grad = np.asarray(grad)  # arithmetic on 0-d arrays gives NumPy scalars; gradients are arrays
    var._grad = grad


class Operation:
    """Base class of a differentiable operation (the public extension API).

    Subclass it, implement ``__call__(self, *tensors, **kwargs)`` that sets ``self.variables = tensors`` and
    returns the forward result as an array computed from the tensors' ``.data``, and ``backward_var(self, grad,
    index, **kwargs)`` that returns the derivative of the loss with respect to ``self.variables[index]``
    given ``grad``, its derivative with respect to the output. Run it with :func:`mygrad.execute_op`.

    The engine sums gradients over broadcast axes, masks them with ``self.where``, casts them to each
    variable's dtype, skips constants and accumulates them. ``backward_var`` may raise
    ``mygrad._utils.SkipGradient`` to give a variable no gradient.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import Operation
    >>> class Cube(Operation):
    ...     def __call__(self, x):
    ...         self.variables = (x,)
    ...         return x.data**3
    ...     def backward_var(self, grad, index, **kwargs):
    ...         (x,) = self.variables
    ...         return grad * 3 * x.data**2
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.execute_op(Cube, x)
    >>> y.backward()
    >>> x.grad
    array([ 3., 12.])
    """

    __slots__ = ()  # subclasses of users get a __dict__; mygrad's own ops declare slots (fewer objects per op)

    can_return_view: ClassVar[bool] = False
    where: Any = True
    variables: tuple[Tensor, ...] = ()
    _tick: int = 0
    _locked: Any = None  # the arrays the operation reads that it locked (memory guard), released when freed
    _locked_out: Any = None  # its result, if it locked it

    def __call__(self, *input_vars: Tensor, **kwargs: Any) -> np.ndarray:
        """The forward pass, to implement: set ``self.variables = input_vars`` and return the result.

        :func:`mygrad.execute_op` makes an instance per call and calls it with the input tensors (anything that
        is not a Tensor is wrapped as a constant one) and its ``op_args``/``op_kwargs``.

        Parameters
        ----------
        *input_vars : Tensor
            The inputs; compute from their ``.data``.
        **kwargs
            The operation's own options (``op_kwargs``); store what ``backward_var`` needs on ``self``.

        Returns
        -------
        numpy.ndarray
            The result, which the engine wraps in a Tensor.

        Examples
        --------
        >>> import mygrad as mg
        >>> from mygrad.operation_base import Operation
        >>> class Scale(Operation):
        ...     def __call__(self, x, *, k):
        ...         self.variables = (x,)
        ...         self.k = k
        ...         return k * x.data
        ...     def backward_var(self, grad, index, **kwargs):
        ...         return self.k * grad
        >>> x = mg.tensor([1.0, 2.0])
        >>> y = mg.execute_op(Scale, x, op_kwargs={"k": 3.0})
        >>> y
        Tensor([3., 6.])
        >>> y.creator.variables[0] is x
        True
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__`")

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
        """The gradient with respect to ``self.variables[index]``, to implement.

        Given ``grad``, the gradient of the backpropagated tensor with respect to this operation's output,
        return the gradient with respect to the variable: an array (or a number) of the output's shape or of
        the variable's (the engine sums it over broadcast axes, masks it with ``self.where`` and casts it to
        the variable's dtype). Raise :class:`~mygrad._utils.SkipGradient` to give the variable none. It is not
        called for constant variables.

        Parameters
        ----------
        grad : numpy.ndarray
            The gradient with respect to the output, of its shape.
        index : int
            The position of the variable in ``self.variables``.
        **kwargs
            Passed on by :meth:`backward` (mygrad's engine passes none).

        Returns
        -------
        numpy.ndarray or number

        Examples
        --------
        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import Operation
        >>> class Multiply(Operation):
        ...     def __call__(self, a, b):
        ...         self.variables = (a, b)
        ...         return a.data * b.data
        ...     def backward_var(self, grad, index, **kwargs):
        ...         a, b = self.variables
        ...         return grad * (b.data if index == 0 else a.data)
        >>> a, b = mg.tensor([1.0, 2.0]), mg.tensor(3.0)
        >>> mg.execute_op(Multiply, a, b).backward()
        >>> a.grad, b.grad  # b's gradient was summed over the axis it was broadcast along
        (array([3., 3.]), array(3.))
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `backward_var`")

    def grad_post_process_fn(self, grad: np.ndarray, var_shape: tuple[int, ...]) -> np.ndarray:
        """Bring ``grad`` (shaped like the output) to the variable's shape: sum over broadcast axes.

        :meth:`backward` applies it to each gradient that ``backward_var`` returns; override it to change that.

        Parameters
        ----------
        grad : numpy.ndarray
            A gradient, of the output's shape.
        var_shape : tuple of ints
            The shape of the variable it is for.

        Returns
        -------
        numpy.ndarray
            Of shape ``var_shape``.

        Examples
        --------
        >>> import numpy as np
        >>> from mygrad.operation_base import Operation
        >>> Operation().grad_post_process_fn(np.ones((2, 3)), (3,))  # summed over the broadcast axis
        array([2., 2., 2.])
        """
        return reduce_to_shape(grad, var_shape)

    def backward(self, grad: np.ndarray, **kwargs: Any) -> None:
        """Compute and accumulate the gradient of every non-constant variable from ``grad``.

        The engine calls it once per backward pass through the operation: for each variable that is not a
        constant it calls :meth:`backward_var`, checks the result (:class:`~mygrad.errors.InvalidGradient`),
        masks it with ``self.where``, brings it to the variable's shape with :meth:`grad_post_process_fn` and
        adds it to the variable's gradient. Override it to compute every variable's gradient at once.

        Parameters
        ----------
        grad : numpy.ndarray
            The gradient with respect to the operation's output.
        **kwargs
            Passed on to ``backward_var``.

        Examples
        --------
        >>> import numpy as np
        >>> import mygrad as mg
        >>> from mygrad.operation_base import Operation
        >>> class Scale(Operation):
        ...     def __call__(self, x, *, k):
        ...         self.variables = (x,)
        ...         self.k = k
        ...         return k * x.data
        ...     def backward_var(self, grad, index, **kwargs):
        ...         return self.k * grad
        >>> op = Scale()
        >>> x = mg.tensor([1.0, 2.0])
        >>> op(x, k=3.0)
        array([3., 6.])
        >>> op.backward(np.array([1.0, 10.0]))  # as the engine does when it backpropagates through op
        >>> x.grad
        array([ 3., 30.])
        """
        for index, var in enumerate(self.variables):
            if var._constant:
                continue
            try:
                var_grad = self.backward_var(grad, index, **kwargs)
            except SkipGradient:
                continue
            if isinstance(var_grad, Tensor):  # a rule written with mygrad ops (so it supports higher order)
                var_grad = var_grad.data
            if not isinstance(var_grad, (np.ndarray, Number, np.generic)):
                raise InvalidGradient(
                    f"{type(self).__name__}.backward_var returned {type(var_grad).__name__} for variable "
                    f"{index}; a gradient must be an array or a number"
                )
            var_grad = np.asarray(var_grad)
            where = getattr(self, "where", True)
            if where is not True:
                var_grad = np.where(where, var_grad, 0)
            accumulate(var, self.grad_post_process_fn(var_grad, var.shape))

    def _backward(self, grad: Any, out: Tensor) -> None:
        # The engine's entry point; Primitive uses `out`, the output tensor.
        self.backward(grad)

    def __del__(self) -> None:
        try:
            held = self._locked
        except AttributeError:  # a Primitive whose forward pass failed: it was never recorded
            return
        if held is not None:
            out = self._locked_out
            unlock(held if out is None else [*held, out])


class Primitive(Operation):
    """An operation declared by a forward function and one gradient rule per input (see ``mygrad._ops``).

    Make one with :func:`mygrad.operation_base.primitive` rather than by subclassing. Its class attributes are
    ``forward(*arrays, **kwargs)``, ``rules`` (one ``rule(g, out, *arrays, **kwargs)`` per input, or None) or
    ``rule_at(index, g, out, *arrays, **kwargs)``, and the flags ``view`` and ``second_order``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.operation_base import Primitive, primitive
    >>> Scale = primitive("Scale", lambda x, *, k: k * x, lambda g, out, x, *, k: k * g)
    >>> issubclass(Scale, Primitive), Scale.__name__
    (True, 'Scale')
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.execute_op(Scale, x, op_kwargs={"k": 3.0})
    >>> y.backward()
    >>> y, x.grad
    (Tensor([3., 6.]), array([3., 3.]))
    """

    __slots__ = ("variables", "args", "kwargs", "where", "_tick", "_locked", "_locked_out", "__weakref__")

    forward: ClassVar[Any]
    view: ClassVar[bool] = False  # the result may be a view of the first input
    second_order: ClassVar[bool] = True  # the rules also run on Tensors (for higher-order derivatives)
    rules: ClassVar[tuple[Any, ...]] = ()
    rule_at: ClassVar[Any] = None  # rule_at(index, g, out, *args): for ops that take any number of inputs

    def _rules(self) -> tuple[Any, ...]:
        return self.rules or tuple(functools.partial(self.rule_at, i) for i in range(len(self.variables)))

    # `where` is set only by ufuncs given a mask: read it with getattr(op, "where", True)

    def __call__(self, *input_vars: Tensor, **kwargs: Any) -> np.ndarray:
        """The forward pass: ``forward`` on the inputs' data, keeping the inputs and keywords for the rules.

        Parameters
        ----------
        *input_vars : Tensor
            The inputs.
        **kwargs
            The keywords for ``forward`` and the rules.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import mygrad as mg
        >>> from mygrad.operation_base import primitive
        >>> Cube = primitive("Cube", lambda x: x**3, lambda g, out, x: 3 * g * x**2)
        >>> op = Cube()
        >>> x = mg.tensor([1.0, 2.0])
        >>> op(x)
        array([1., 8.])
        >>> op.variables[0] is x
        True
        """
        self.variables = input_vars
        self.args = tuple(t.data for t in input_vars)
        self.kwargs = kwargs
        return type(self).forward(*self.args, **kwargs)

    def backward_var(self, grad: Any, index: int, *, out: Any = None, **kwargs: Any) -> Any:
        rule = self._rules()[index]
        if rule is None:
            raise SkipGradient
        return rule(grad, out, *self.args, **self.kwargs)

    def _backward(self, grad: Any, out: Tensor) -> None:
        rules = self.rules or self._rules()
        args = self.args
        kwargs = self.kwargs
        where = getattr(self, "where", True)
        out_data = out.data
        for var, rule in zip(self.variables, rules):
            if var._constant or rule is None:
                continue
            var_grad = grad if rule is passthrough else rule(grad, out_data, *args, **kwargs)
            # the common cases, at the cost of a few comparisons: a gradient of the variable's shape and dtype,
            # the variable's first (kept as it is) or a further one (added into the sum it owns, in place)
            if (
                where is True
                and type(var_grad) is np.ndarray
                and var_grad.dtype is var.data.dtype
                and var_grad.shape == var.data.shape
            ):
                old = var._grad
                if old is None:
                    var._grad = var_grad
                    var._owns_grad = False  # a rule's result may be shared (a pass-through gradient)
                    continue
                if var._owns_grad and type(old) is np.ndarray:
                    if old.ndim:
                        old += var_grad
                    else:  # NumPy's in-place addition of 0-d arrays is the slower one
                        var._grad = np.asarray(old + var_grad)
                    continue
            accumulate(var, var_grad, where)


def declare(
    name: str,
    forward: Any,
    *rules: Any,
    rule_at: Any = None,
    view: bool = False,
    second_order: bool = True,
    composite: Any = None,
) -> type[Primitive]:
    """Make a Primitive: ``forward(*arrays, **kwargs)`` and ``rule(g, out, *arrays, **kwargs)`` for each input
    (None: that input gets no gradient), or ``rule_at(index, g, out, *arrays)`` for any number of inputs.
    ``view=True``: the result may be a view of the first input's memory (the engine links it to its base).
    ``second_order=False``: the rules only work on arrays (higher-order derivatives refuse to pass through).
    ``composite(*tensors, **kwargs)``: the forward result from differentiable mygrad ops, which the recorded
    pass differentiates instead of running the rules."""
    namespace = {
        "__slots__": (),  # no __dict__: an op is all slots
        "forward": staticmethod(forward),
        "rules": rules,
        "view": view,
        "second_order": second_order,
        "__module__": "mygrad",
    }
    if rule_at is not None:
        namespace["rule_at"] = staticmethod(rule_at)
    if composite is not None:
        namespace["composite"] = staticmethod(composite)
    return type(name, (Primitive,), namespace)


def record(
    op: Operation,
    tensors: tuple[Tensor, ...],
    data: Any,
    constant: Any,
    clears: bool = True,
    read: Any = None,
) -> Tensor:
    """Wrap an operation's result in a Tensor and, while tracking, put it in the graph.

    An operation clears its inputs' gradients (``clears``), except a view op: so the seed's loop
    ``loss.backward(); w.data -= lr * w.grad`` needs no zeroing, and viewing a tensor keeps its gradient.
    With the memory guard on, the arrays the op reads (``read``, by default its inputs' data) and its result
    are locked until the op is freed."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    dtype = data.dtype
    if not state.tracking:
        return new_tensor(data, resolve_constant(dtype, constant))
    if dtype.kind not in "fiub":
        check_trackable(dtype)  # raises
    if constant is None:
        constant = dtype.kind != "f"
        if not constant:
            for t in tensors:
                if not t._constant:
                    break
            else:
                constant = True
    else:
        constant = resolve_constant(dtype, constant)
    op._tick = next(clock)
    if state.guard:
        op._locked, op._locked_out = lock(read if read is not None else [t.data for t in tensors], data)
    else:
        op._locked = None
    if clears:
        for t in tensors:
            t._grad = None
    return new_tensor(data, constant, op)


def as_constant(x: Any) -> Tensor:
    """Wrap a non-Tensor operand (scalar, list, array) as a constant tensor, without copying arrays."""
    data = np.asarray(x)
    if state.tracking:
        check_trackable(data.dtype)
    return new_tensor(data, True)


def _operands(inputs: Any) -> tuple[tuple[Tensor, ...], tuple]:
    """The inputs as tensors (non-Tensors wrapped as constants) and the forward function's arguments."""
    tensors = []
    args = []
    for x in inputs:
        if isinstance(x, Tensor):
            tensors.append(x)
            args.append(x.data)
        else:
            t = as_constant(x)
            tensors.append(t)
            args.append(x if type(x) in _PY_SCALARS else t.data)
    return tuple(tensors), tuple(args)


def apply(
    op_cls: type[Primitive],
    inputs: tuple,
    kwargs: dict,
    constant: Any = None,
    forward_kwargs: dict | None = None,
    link: bool = True,
) -> Tensor:
    """Run a Primitive on ``inputs`` and record the result.

    ``kwargs`` go to the forward function and the rules, unless ``forward_kwargs`` is given for the forward
    function alone (a ufunc's ``out``/``where``/``dtype`` are not the rules' business). ``link=False``: a
    result that views its input is not linked to it as a view (the engine's own replays of views).

    Python scalars reach NumPy as they are, so they stay weak in dtype promotion (NEP 50):
    ``float32_tensor * 2.0`` is float32, as in NumPy.
    """
    args = ()
    for x in inputs:
        if not isinstance(x, Tensor):
            tensors, args = _operands(inputs)
            break
        args += (x.data,)
    else:
        tensors = tuple(inputs)
    if forward_kwargs is None:
        forward_kwargs = kwargs
    if not state.tracking and not op_cls.view:  # no graph: no operation to keep
        data = op_cls.forward(*args, **forward_kwargs) if forward_kwargs else op_cls.forward(*args)
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        return new_tensor(data, resolve_constant(data.dtype, constant))
    op = op_cls()
    op.variables = tensors
    op.args = args
    op.kwargs = kwargs
    op.where = True  # set, so that reading it is cheap (a ufunc given a mask replaces it)
    # (an empty `**kwargs` still costs a dictionary per call)
    data = op_cls.forward(*args, **forward_kwargs) if forward_kwargs else op_cls.forward(*args)
    if not op_cls.view:
        return record(op, tensors, data, constant, read=args)
    result = record(op, tensors, data, constant, clears=False, read=args)
    if not link:
        return result
    # a view keeps its base's gradient (never a base made up for a non-tensor operand); a copy clears it
    if (
        not (isinstance(inputs[0], Tensor) and link_view(result, inputs[0], op_cls, kwargs))
        and state.tracking
    ):
        for t in tensors:
            t._grad = None
    return result


def execute_op(
    op_cls: type[Operation],
    *input_vars: Any,
    op_args: tuple | None = None,
    op_kwargs: dict | None = None,
    constant: bool | None = None,
    out: Any = None,
) -> Tensor:
    """Run the operation ``op_cls`` on ``input_vars`` and return its result as a Tensor in the graph.

    Parameters
    ----------
    op_cls : type[Operation]
        The operation's class; an instance is made for this call.
    *input_vars : array_like
        The operands; anything that is not a Tensor is treated as a constant.
    op_args, op_kwargs : tuple, dict, optional
        Further arguments for the operation's ``__call__``.
    constant : bool, optional
        Force the result to be (or not to be) a constant; by default it is constant only if every operand is.
    out : None
        Writing into an existing tensor is not supported yet.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.operation_base import Operation
    >>> class Double(Operation):
    ...     def __call__(self, x):
    ...         self.variables = (x,)
    ...         return 2 * x.data
    ...     def backward_var(self, grad, index, **kwargs):
    ...         return 2 * grad
    >>> mg.execute_op(Double, [1.0, 2.0], constant=False)
    Tensor([2., 4.])
    """
    if out is not None:
        raise NotImplementedError("`execute_op(..., out=...)` is not supported yet")
    if issubclass(op_cls, Primitive) and not op_args:  # as mygrad's own ops: Python scalars stay weak
        return apply(op_cls, input_vars, op_kwargs or {}, constant)
    tensors = tuple(x if isinstance(x, Tensor) else as_constant(x) for x in input_vars)
    op = op_cls()
    data = op(*tensors, *(op_args or ()), **(op_kwargs or {}))
    return record(op, tensors, data, constant)


# A Scatter gradient as an op: its own gradient picks the same elements again
ScatterAdd = declare(
    "ScatterAdd", _scatter_add_forward, lambda g, out, values, *, index, shape, basic: g[index]
)
