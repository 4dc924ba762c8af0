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

__all__ = ["Operation", "Primitive", "Scatter", "accumulate", "apply", "execute_op"]

_PY_SCALARS = (int, float, bool)


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

    def __call__(self, *input_vars: Tensor, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__`")

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement `backward_var`")

    def grad_post_process_fn(self, grad: np.ndarray, var_shape: tuple[int, ...]) -> np.ndarray:
        """Bring ``grad`` (shaped like the output) to the variable's shape: sum over broadcast axes."""
        return reduce_to_shape(grad, var_shape)

    def backward(self, grad: np.ndarray, **kwargs: Any) -> None:
        """Compute and accumulate the gradient of every non-constant variable from ``grad``."""
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
        held = getattr(self, "_locked", None)  # the arrays this op locked (memory guard)
        if held:
            unlock(held)


class Primitive(Operation):
    """An operation declared by a forward function and one gradient rule per input (see ``mygrad._ops``)."""

    __slots__ = ("variables", "args", "kwargs", "where", "_tick", "_locked", "__weakref__")

    forward: ClassVar[Any]
    view: ClassVar[bool] = False  # the result may be a view of the first input
    second_order: ClassVar[bool] = True  # the rules also run on Tensors (for higher-order derivatives)
    rules: ClassVar[tuple[Any, ...]] = ()
    rule_at: ClassVar[Any] = None  # rule_at(index, g, out, *args): for ops that take any number of inputs

    def _rules(self) -> tuple[Any, ...]:
        return self.rules or tuple(functools.partial(self.rule_at, i) for i in range(len(self.variables)))

    # `where` is set only by ufuncs given a mask: read it with getattr(op, "where", True)

    def __call__(self, *input_vars: Tensor, **kwargs: Any) -> np.ndarray:
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
            if not var._constant and rule is not None:
                accumulate(var, rule(grad, out_data, *args, **kwargs), where)


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
        op._locked = lock((*(read if read is not None else (t.data for t in tensors)), data))
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


def apply(
    op_cls: type[Primitive],
    inputs: tuple,
    kwargs: dict,
    constant: Any = None,
    forward_kwargs: dict | None = None,
) -> Tensor:
    """Run a Primitive on ``inputs`` and record the result.

    ``kwargs`` go to the forward function and the rules, unless ``forward_kwargs`` is given for the forward
    function alone (a ufunc's ``out``/``where``/``dtype`` are not the rules' business).

    Python scalars reach NumPy as they are, so they stay weak in dtype promotion (NEP 50):
    ``float32_tensor * 2.0`` is float32, as in NumPy.
    """
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
    op = op_cls()
    tensors = tuple(tensors)
    op.variables = tensors
    op.args = args = tuple(args)
    op.kwargs = kwargs
    data = op_cls.forward(*args, **(kwargs if forward_kwargs is None else forward_kwargs))
    if not op_cls.view:
        return record(op, tensors, data, constant, read=args)
    result = record(op, tensors, data, constant, clears=False, read=args)
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
