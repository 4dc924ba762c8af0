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
import math
from numbers import Number
from typing import Any, ClassVar

import numpy as np

from mygrad._core.arrays import add_at, as_array, check_known_shape, gather, is_foreign
from mygrad._core.backprop import clock
from mygrad._core.backprop import variables as resolved_variables
from mygrad._core.gradients import IGNORED, Scatter, accumulate, fit_to_shape
from mygrad._core.guard import lock, unlock
from mygrad._core.state import _guard, guarding, tracking
from mygrad._core.tensor import Tensor, check_trackable, new_tensor, resolve_constant
from mygrad._core.views import link_view
from mygrad._utils import SkipGradient
from mygrad.errors import InvalidGradient

__all__ = ["Operation", "Primitive", "Scatter", "accumulate", "apply", "execute_op", "passthrough"]

_PY_SCALARS = (int, float, bool)


def passthrough(g: Any, out: Any, *args: Any, **kwargs: Any) -> Any:
    """The rule of an input whose gradient is the output's (``x`` in ``x + y``); the engine skips the call."""
    return g


def _scatter_add_forward(values: Any, *, index: Any, shape: tuple, basic: bool) -> Any:
    zeros = (
        np.zeros(shape, dtype=values.dtype)
        if type(values) is np.ndarray
        else np.zeros_like(values, shape=shape)
    )
    return add_at(zeros, index, values, basic)


def scatter_add(values: Any, index: Any, shape: tuple, basic: bool) -> Tensor:
    """An array of zeros of ``shape`` with ``values`` added at ``index`` (repeated positions accumulate), as a
    recorded op: a Scatter gradient in the recorded backward pass."""
    return apply(ScatterAdd, (values,), {"index": index, "shape": shape, "basic": basic})


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
    composite: Any = None  # the operation as differentiable mygrad operations (see `primitive`), if any
    where: Any = True
    _variables: tuple[Tensor, ...] = ()
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

    @property
    def variables(self) -> tuple[Tensor, ...]:
        """The input tensors, as they were when the operation read them.

        Set by ``__call__``. An input that an in-place operation changed since appears as it was before (an
        internal tensor that holds its old value), so that the operation's inputs never seem to change.

        Examples
        --------
        >>> import mygrad as mg
        >>> x, y = mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])
        >>> z = x + y
        >>> z.creator.variables[1] is y
        True
        >>> y[:] = 0.0
        >>> z.creator.variables[1]  # y as the addition read it
        Tensor([3., 4.])
        """
        return resolved_variables(self)

    @variables.setter
    def variables(self, tensors: tuple[Tensor, ...]) -> None:
        self._variables = tensors

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

    def grad_post_process_fn(self, grad: Any, var_shape: tuple[int, ...]) -> Any:
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
        return fit_to_shape(grad, var_shape)

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
        Every operation in a graph, mygrad's own included, answers the call:

        >>> import numpy as np
        >>> import mygrad as mg
        >>> x = mg.tensor([1.0, 2.0])
        >>> op = (x**3).creator
        >>> op.backward(np.array([1.0, 10.0]))  # as the engine does when it backpropagates through op
        >>> x.grad  # 3 x**2, times the gradient given
        array([  3., 120.])
        """
        recorded = isinstance(grad, Tensor)  # the recorded backward pass: gradients are Tensors
        where = getattr(self, "where", True)
        for index, var in enumerate(self._variables):
            if var._constant:
                continue
            try:
                var_grad = self.backward_var(grad, index, **kwargs)
            except SkipGradient:
                continue
            name = type(self).__name__
            if recorded:
                if not isinstance(var_grad, Tensor):
                    raise TypeError(
                        f"{name}.backward_var returned {type(var_grad).__name__}, not a Tensor: the operation "
                        f"{name} breaks the chain of higher-order derivatives. Compute its gradient from `grad` and "
                        "`self.variables` with mygrad operations (so that it returns a Tensor) to support them."
                    )
            else:
                if isinstance(
                    var_grad, Tensor
                ):  # a rule written with mygrad ops (so it supports higher order)
                    var_grad = var_grad.data
                if not isinstance(var_grad, (np.ndarray, Number, np.generic)) and not is_foreign(var_grad):
                    raise InvalidGradient(
                        f"{name}.backward_var returned {type(var_grad).__name__} for variable {index}; a gradient "
                        "must be an array or a number"
                    )
                var_grad = as_array(var_grad)
            if where is not True:
                var_grad = np.where(where, var_grad, 0)
            accumulate(var, self.grad_post_process_fn(var_grad, var.shape), True, grad)

    def _backward(self, grad: Any, out: Any) -> None:
        """The engine's entry point: ``out`` is the output (its array in first-order backprop)."""
        if self.composite is not None and isinstance(grad, Tensor):
            self._backward_composite(grad)
        else:
            self.backward(grad)

    def _composite(self, *variables: Tensor) -> Any:
        return self.composite(*variables)

    def _backward_composite(self, grad: Any) -> None:
        """The recorded gradients of the variables as those of ``composite``: the same function, built from
        differentiable operations (graph recording is on); the pass stops at the variables."""
        from mygrad._core.backprop import collect, propagate  # backprop.py builds on this module

        variables = self._variables
        result = self._composite(*variables)
        if not isinstance(result, Tensor) or result.shape != grad.shape:
            got = type(result).__name__ + (f" of shape {result.shape}" if isinstance(result, Tensor) else "")
            raise TypeError(
                f"{type(self).__name__}.composite must return a Tensor of the operation's output shape "
                f"{grad.shape}, got {got}"
            )
        stop = {id(var) for var in variables}
        if id(result) in stop:  # the composite is one of the variables itself
            accumulate(result, grad)
            return
        nodes, order, _ = collect(result, stop)
        for t in nodes:
            if id(t) not in stop:
                t._grad = None
        propagate(order, result, grad)

    # A view op (``can_return_view``) is replayed on its root's gradient and re-made after in-place operations:
    # for a user's operation, with the arguments it was run with (``kwargs`` holds them)
    @classmethod
    def _view_of(cls, array: Any, kwargs: dict) -> Any:
        return cls()(new_tensor(array, True), *kwargs["op_args"], **kwargs["op_kwargs"])

    @classmethod
    def _remake(cls, tensor: Tensor, kwargs: dict) -> Tensor:
        return _run_operation(cls, (tensor,), kwargs["op_args"], kwargs["op_kwargs"], None, link=False)

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

    __slots__ = ("_variables", "args", "kwargs", "where", "_tick", "_locked", "_locked_out", "__weakref__")

    forward: ClassVar[Any]
    view: ClassVar[bool] = False  # the result may be a view of the first input
    second_order: ClassVar[bool] = True  # the rules also run on Tensors (for higher-order derivatives)
    rules: ClassVar[tuple[Any, ...]] = ()
    rule_at: ClassVar[Any] = None  # rule_at(index, g, out, *args): for ops that take any number of inputs

    def _rules(self) -> tuple[Any, ...]:
        return self.rules or tuple(functools.partial(self.rule_at, i) for i in range(len(self._variables)))

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
            What ``forward`` returns (the engine wraps it in a Tensor).

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
        self._variables = input_vars
        self.args = tuple(t.data for t in input_vars)
        self.kwargs = kwargs
        self.where = True
        return type(self).forward(*self.args, **kwargs)

    def _composite(self, *variables: Tensor) -> Any:
        return self.composite(*variables, **self.kwargs)

    @classmethod
    def _view_of(cls, array: Any, kwargs: dict) -> Any:
        return cls.forward(array, **kwargs)

    @classmethod
    def _remake(cls, tensor: Tensor, kwargs: dict) -> Tensor:
        return apply(cls, (tensor,), kwargs, link=False)

    def _out(self) -> Any:
        # when a user calls backward/backward_var by hand: the output, computed again (the op does not keep it)
        return type(self).forward(*self.args, **self.kwargs)

    def backward_var(self, grad: Any, index: int, *, out: Any = None, **kwargs: Any) -> Any:
        rule = self._rules()[index]
        if rule is None:
            raise SkipGradient
        return rule(grad, self._out() if out is None else out, *self.args, **self.kwargs)

    def backward(self, grad: Any, **kwargs: Any) -> None:
        self._backward(grad, None if isinstance(grad, Tensor) else self._out())

    def _backward(self, grad: Any, out: Any) -> None:
        where = self.where
        if type(grad) is not np.ndarray and isinstance(grad, Tensor):  # the recorded pass: rules on Tensors
            self._backward_recorded(grad, out, where)
            return
        args = self.args
        kwargs = self.kwargs
        # another library's empty arrays: an empty output, or an empty input, has a gradient of zeros, which the
        # rules would find through reshapes and scatters that the library refuses of size-0 arrays (Dask's)
        foreign = type(grad) is not np.ndarray and is_foreign(grad)
        empty = foreign and not math.prod(grad.shape)
        for var, rule in zip(self._variables, self.rules or self._rules()):
            if var._constant or rule is None:
                continue
            if foreign and (empty or not math.prod(var.data.shape)):
                g = np.zeros_like(grad, shape=var.data.shape, dtype=var.data.dtype)
            else:
                g = grad if rule is passthrough else rule(grad, out, *args, **kwargs)
            # The common case, which `accumulate` would only store: the variable's first gradient, of its shape and
            # dtype (a copy if it is the output's own, or a view). Spares a call per variable: backprop's cost is
            # mostly such bookkeeping.
            if (
                where is True
                and var._grad is None
                and type(g) is np.ndarray
                and g.dtype is var.data.dtype
                and g.shape == var.data.shape
            ):
                if g is grad or g.base is not None:
                    var._grad = g.copy()
                    var._owns_grad = True
                else:
                    var._grad = g
                    var._owns_grad = False
            else:
                accumulate(var, g, where, grad)

    def _backward_recorded(self, grad: Any, out: Any, where: Any) -> None:
        if out is None:
            raise TypeError(f"{type(self).__name__}.backward: pass the gradient as an array")
        variables = self._variables
        if self.composite is not None:
            self._backward_composite(grad)
            return
        if not type(self).second_order:
            raise NotImplementedError(
                f"the gradient of {type(self).__name__} is not differentiable yet: higher-order derivatives "
                "(create_graph=True, mygrad.grad of a gradient, ...) cannot pass through it"
            )
        for var, rule in zip(variables, self._rules()):
            if var._constant or rule is None or var._grad is IGNORED:
                continue
            var_grad = rule(grad, out, *variables, **self.kwargs)
            if type(var_grad) is Scatter:
                var_grad = scatter_add(var_grad.values, var_grad.index, var.shape, var_grad.basic)
            accumulate(var, var_grad, where)


def declare(
    name: str,
    forward: Any,
    *rules: Any,
    rule_at: Any = None,
    view: bool = False,
    second_order: bool = True,
    composite: Any = None,
    bases: tuple[type, ...] = (),
    attributes: dict[str, Any] | None = None,
) -> type[Primitive]:
    """Declare a differentiable operation from its forward function and one gradient rule per input.

    Parameters
    ----------
    name : str
        The operation's class name (shown in graph diagrams).
    forward : callable
        ``forward(*arrays, **kwargs) -> ndarray``, on the inputs' data.
    *rules : callable or None
        ``rule(g, out, *arrays, **kwargs)``: the gradient with respect to that input, given ``g``, the
        gradient with respect to the output, and ``out``, the output. None: the input gets no gradient. The
        engine sums over broadcast axes, casts to the input's dtype and accumulates.
    rule_at : callable, optional
        ``rule_at(index, g, out, *arrays, **kwargs)`` instead of ``rules``, for any number of inputs.
    view : bool, default False
        The result may be a view of the first input.
    second_order : bool, default True
        Whether the rules also work on Tensors (written with NumPy calls that mygrad implements), so that
        higher-order derivatives can pass through the operation. With False (and no ``composite``) they
        refuse to, with a clear error.
    composite : callable, optional
        ``composite(*tensors, **kwargs) -> Tensor``: the same function as ``forward``, computed from the
        input Tensors with differentiable mygrad operations. Higher-order derivatives (the recorded backward
        pass behind ``backward(create_graph=True)``, :func:`mygrad.grad`, :func:`mygrad.hessian`, ...)
        differentiate it instead of running the rules, which can then be written for arrays only (in-place
        NumPy, views, ...). Its first-order gradients must agree with the rules (including their choice at
        kinks and ties). Plain ``backward()`` never calls it.
    bases : tuple of types, default ()
        Further base classes of the operation's class, after Primitive (whose methods come first); each
        must have empty ``__slots__``.
    attributes : dict, optional
        Further class attributes of the operation's class.

    Returns
    -------
    type[Primitive]
        Run it with ``mygrad.execute_op(op, *inputs, op_kwargs=kwargs)``.

    Notes
    -----
    An :class:`Operation` subclass joins higher-order derivatives the same way, with a method
    ``composite(self, *tensors)`` (it reads its hyperparameters from ``self``), or by computing the gradient
    in ``backward_var`` with mygrad operations when it is given a Tensor.

    Examples
    --------
    An operation whose rule writes in place (so it does not run on Tensors) joins higher-order derivatives
    through a composite:

    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.operation_base import primitive
    >>> def cube_rule(g, out, x):
    ...     grad = 3 * x**2
    ...     grad *= g
    ...     return grad
    >>> Cube = primitive("Cube", lambda x: x**3, cube_rule, composite=lambda x: x * x * x)
    >>> cube = lambda x: mg.execute_op(Cube, x)
    >>> mg.grad(mg.grad(cube))(2.0)
    Tensor(12.)
    """
    namespace = {
        "__slots__": (),  # no __dict__: an op is all slots
        "forward": staticmethod(forward),
        "rules": rules,
        "view": view,
        "can_return_view": view,
        "second_order": second_order,
        "__module__": "mygrad",
        **(attributes or {}),
    }
    if rule_at is not None:
        namespace["rule_at"] = staticmethod(rule_at)
    if composite is not None:
        namespace["composite"] = staticmethod(composite)
    return type(name, (Primitive, *bases), namespace)


def record(
    op: Operation,
    tensors: tuple[Tensor, ...],
    data: Any,
    constant: Any,
    mode: Any,
    clears: bool = True,
    read: Any = None,
) -> Tensor:
    """Wrap an operation's result in a Tensor and, while tracking (``mode``, the value of ``tracking()``), put
    it in the graph.

    An operation clears its inputs' gradients (``clears``), except a view op: so the seed's loop
    ``loss.backward(); w.data -= lr * w.grad`` needs no zeroing, and viewing a tensor keeps its gradient. The
    operations of the recorded backward pass's rules clear nothing. With the memory guard on, the arrays the op
    reads (``read``, by default its inputs' data) and its result are locked until the op is freed."""
    if type(data) is not np.ndarray:
        if isinstance(data, np.generic):  # a NumPy scalar (a 0-d result): the common case, kept fast
            data = np.asarray(data)
        else:
            data = as_array(data)  # (another library's array is kept: see mygrad._core.arrays)
            if mode and type(data) is not np.ndarray:
                check_known_shape(data, op)
    dtype = data.dtype
    if not mode:
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
    guard = _guard.get(None)
    if guard is None:
        guard = guarding()
    if guard:
        op._locked, op._locked_out = lock(read if read is not None else [t.data for t in tensors], data)
    else:
        op._locked = None
    if clears and mode is True:  # (not in the recorded backward pass, which accumulates them)
        for t in tensors:
            t._grad = None
            if t._base is not None and t._creator is None:  # a view that a cleared graph disconnected
                t._base = None
    return new_tensor(data, constant, op)


def as_constant(x: Any) -> Tensor:
    """Wrap a non-Tensor operand (scalar, list, array) as a constant tensor, without copying arrays."""
    data = np.asarray(x) if type(x) in _PY_SCALARS or type(x) is np.ndarray else as_array(x)
    if tracking():
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
    mode = tracking()
    if not mode and not op_cls.view:  # no graph: no operation to keep
        data = op_cls.forward(*args, **forward_kwargs) if forward_kwargs else op_cls.forward(*args)
        if type(data) is not np.ndarray:
            data = as_array(data)
        return new_tensor(data, resolve_constant(data.dtype, constant))
    op = op_cls()
    op._variables = tensors
    op.args = args
    op.kwargs = kwargs
    op.where = True  # set, so that reading it is cheap (a ufunc given a mask replaces it)
    # (an empty `**kwargs` still costs a dictionary per call)
    data = op_cls.forward(*args, **forward_kwargs) if forward_kwargs else op_cls.forward(*args)
    if not op_cls.view:
        return record(op, tensors, data, constant, mode, True, args)
    result = record(op, tensors, data, constant, mode, False, args)
    if not link or mode is not True:  # (the recorded backward pass's views are its own business)
        return result
    # a view keeps its base's gradient (never a base made up for a non-tensor operand); a copy clears it
    if not (isinstance(inputs[0], Tensor) and link_view(result, inputs[0], op_cls, kwargs)):
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
    out : Tensor, optional
        A tensor to write the result into, in place (as NumPy's ``out=``: the shapes must agree, the dtype
        is cast by the 'same_kind' rule); it is returned.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.operation_base import primitive
    >>> Double = primitive("Double", lambda x: 2 * x, lambda g, out, x: 2 * g)
    >>> mg.execute_op(Double, [1.0, 2.0], constant=False)
    Tensor([2., 4.])
    >>> y = mg.tensor([0.0, 0.0])
    >>> mg.execute_op(Double, [1.0, 2.0], out=y) is y  # written into y, in place
    True
    >>> y
    Tensor([2., 4.])
    """
    if out is not None:  # computed out of place, then written into `out` as NumPy's `out=` would
        from mygrad._core.inplace import write_into  # inplace.py builds on this module

        grads = [(x, x._grad, x._owns_grad) for x in input_vars if isinstance(x, Tensor)]
        result = execute_op(op_cls, *input_vars, op_args=op_args, op_kwargs=op_kwargs, constant=constant)
        try:
            return write_into(out, result)
        except Exception:
            for x, grad, owns in grads:  # a refused write leaves the inputs as they were
                x._grad, x._owns_grad = grad, owns
            raise
    if issubclass(op_cls, Primitive) and not op_args:  # as mygrad's own ops: Python scalars stay weak
        return apply(op_cls, input_vars, op_kwargs or {}, constant)
    return _run_operation(op_cls, input_vars, op_args or (), op_kwargs or {}, constant)


def _run_operation(
    op_cls: type[Operation], inputs: tuple, op_args: Any, op_kwargs: dict, constant: Any, link: bool = True
) -> Tensor:
    """Run a user's Operation on ``inputs`` and record the result; an operation that ``can_return_view``
    makes a view of the input whose memory its result views."""
    tensors = tuple(x if isinstance(x, Tensor) else as_constant(x) for x in inputs)
    op = op_cls()
    data = op(*tensors, *op_args, **op_kwargs)
    mode = tracking()
    if not op_cls.can_return_view:
        return record(op, tensors, data, constant, mode)
    result = record(op, tensors, data, constant, mode, False)
    if not link or mode is not True:
        return result
    kwargs = {"op_args": op_args, "op_kwargs": op_kwargs}
    if not any(isinstance(x, Tensor) and link_view(result, x, op_cls, kwargs) for x in inputs):
        for t in tensors:  # not a view after all: as any operation, it clears its inputs' gradients
            t._grad = None
    return result


# A Scatter gradient as an op: its own gradient picks the same elements again
ScatterAdd = declare(
    "ScatterAdd", _scatter_add_forward, lambda g, out, values, *, index, shape, basic: gather(g, index)
)
