"""Function transforms: ``grad``, ``value_and_grad``, ``vjp``, ``jvp``, ``jacobian``, ``hessian``, ``hvp``.

Each is built on the recorded backward pass, so what it returns is differentiable and the transforms compose
(``grad(grad(f))`` is the second derivative). Arguments may be arrays, scalars or Tensors; a Tensor argument
stays connected to its own graph, so the results can be differentiated with respect to it as well.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, overload

import numpy as np

from mygrad._core.arrays import as_array
from mygrad._core.backprop import clock, gradients, resolve
from mygrad._core.tensor import Tensor, check_trackable
from mygrad._docs import shared_docstring

__all__ = ["grad", "hessian", "hvp", "jacobian", "jvp", "value_and_grad", "vjp"]

ArgNums = int | Sequence[int]


def _differentiable(value: Any) -> Tensor:
    """A fresh node for one argument: a Tensor argument is followed through an identity op (keeping its graph)."""
    if isinstance(value, Tensor):
        from mygrad._ops.elementwise import positive

        return positive(value, constant=False)
    array = as_array(value)  # (another library's array stays in its library)
    check_trackable(
        array.dtype
    )  # complex values are refused (as by mg.tensor), never cast to their real part
    return Tensor(array if array.dtype.kind == "f" else array.astype(float), constant=False)


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value, constant=True, copy=False)


def _as_output(value: Any) -> Tensor:
    if isinstance(value, (tuple, list)):
        raise TypeError(
            f"the function returned a {type(value).__name__}: the transforms take functions with a single "
            "array or Tensor output"
        )
    return _as_tensor(value)


def _call(fun: Callable[..., Any], args: list, wrt: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
    """``fun(*args)`` as a Tensor, and the tensors that held ``wrt``'s values when ``fun`` was called (a
    function that writes into its argument in place is differentiated at the value it was given)."""
    called_at = next(clock)
    output = _as_output(fun(*args))
    return output, [x if x._history is None else resolve(x, called_at) for x in wrt]


def _pullback(output: Tensor, inputs: list[Tensor], cotangent: Any) -> list[Tensor]:
    seed = _as_tensor(cotangent)
    if seed.shape != output.shape:
        raise ValueError(
            f"the cotangent has shape {seed.shape}, but the function's output has shape {output.shape}"
        )
    grads = gradients(output, seed, inputs, stop={id(x) for x in inputs}) if not output.constant else {}
    return [grads.get(id(x), Tensor(np.zeros_like(x.data), constant=True)) for x in inputs]


def vjp(fun: Callable[..., Any], *primals: Any) -> tuple[Tensor, Callable[[Any], tuple[Tensor, ...]]]:
    """The value of ``fun(*primals)`` and its pullback: ``pullback(v)`` gives ``v``'s vector-Jacobian products
    with respect to each primal (as differentiable Tensors).

    Parameters
    ----------
    fun : callable
        Called with the arguments (tensors in place of the differentiated ones); returns an array or Tensor.
    *primals : array_like
        The point: the arguments to call ``fun`` with, all differentiated.

    Returns
    -------
    value : Tensor
        ``fun(*primals)``.
    pullback : callable
        ``pullback(v)``, for ``v`` of ``value``'s shape: a tuple of Tensors, one per primal.

    Examples
    --------
    >>> import mygrad as mg
    >>> value, pullback = mg.vjp(lambda x: x**2, mg.tensor([1.0, 2.0]))
    >>> value
    Tensor([1., 4.])
    >>> pullback([1.0, 10.0])  # [1, 10] @ diag(2 x)
    (Tensor([ 2., 40.]),)
    """
    output, inputs = _call(fun, inputs := [_differentiable(p) for p in primals], inputs)

    def pullback(cotangent: Any) -> tuple[Tensor, ...]:
        return tuple(_pullback(output, inputs, cotangent))

    return output, pullback


def _argnums(argnums: ArgNums, count: int) -> tuple[tuple[int, ...], bool]:
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    for a in nums:
        if not -count <= a < count:
            raise ValueError(f"argnums {argnums!r} out of range for a function called with {count} arguments")
    return tuple(a % count for a in nums), single


@shared_docstring
def value_and_grad(fun: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Tensor, Any]]:
    """A function returning ``fun``'s value and its gradient with respect to the argument(s) ``argnums``.

    ``fun`` must return a single value (a tensor of size one). The gradient is a Tensor (a tuple of Tensors
    for a sequence ``argnums``), differentiable in turn.

    $transform_parameters

    Returns
    -------
    callable
        Taking ``fun``'s arguments, returning ``(value, gradient)``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.value_and_grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 5.0)
    (Tensor(10.), (Tensor(5.), Tensor(2.)))
    >>> value, dx = mg.value_and_grad(lambda x: (x**2).sum())(mg.tensor([1.0, 2.0]))
    >>> value, dx
    (Tensor(5.), Tensor([2., 4.]))
    """

    @functools.wraps(fun)
    def transformed(*args: Any) -> tuple[Tensor, Any]:
        nums, single = _argnums(argnums, len(args))
        inputs = [_differentiable(a) if i in nums else a for i, a in enumerate(args)]
        output, wrt = _call(fun, inputs, [inputs[i] for i in nums])
        if output.size != 1:
            raise ValueError(
                f"grad requires a function with a single output value; it returned shape {output.shape} "
                "(use mygrad.jacobian or mygrad.vjp)"
            )
        grads = _pullback(output, wrt, np.ones_like(output.data))
        return output, grads[0] if single else tuple(grads)

    return transformed


@overload
def grad(fun: Callable[..., Any], argnums: int = 0) -> Callable[..., Tensor]: ...
@overload
def grad(fun: Callable[..., Any], argnums: Sequence[int]) -> Callable[..., tuple[Tensor, ...]]: ...


@shared_docstring
def grad(fun: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """The gradient of a single-valued ``fun`` with respect to the argument(s) ``argnums``, as a function.

    $transform_parameters

    Returns
    -------
    callable
        Taking ``fun``'s arguments, returning the gradient: a Tensor of the argument's shape (a tuple of them
        for a sequence ``argnums``), differentiable in turn.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.grad(lambda x: (x**2).sum())(mg.tensor([1.0, 2.0]))  # 2 x
    Tensor([2., 4.])
    >>> mg.grad(lambda x, y: x * y, argnums=1)(2.0, 5.0)  # d/dy: x
    Tensor(2.)
    >>> d2 = mg.grad(mg.grad(lambda x: x**3))
    >>> d2(2.0)  # 6 x
    Tensor(12.)
    """

    @functools.wraps(fun)
    def transformed(*args: Any) -> Any:
        return value_and_grad(fun, argnums)(*args)[1]

    return transformed


@shared_docstring
def jacobian(fun: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """The Jacobian of ``fun`` with respect to the argument(s) ``argnums``, as a function: of shape
    ``output.shape + argument.shape`` (one backward pass per output element).

    Parameters
    ----------
    fun : callable
        Called with the arguments (tensors in place of the differentiated ones); returns an array or Tensor.
    $argnums

    Returns
    -------
    callable
        Taking ``fun``'s arguments, returning the Jacobian (a tuple of them for a sequence ``argnums``).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.jacobian(lambda x: x**2)(mg.tensor([1.0, 3.0]))
    Tensor([[2., 0.],
            [0., 6.]])
    >>> mg.jacobian(lambda x: x.sum(axis=1))(mg.ones((2, 3))).shape  # output (2,) + input (2, 3)
    (2, 2, 3)
    """

    @functools.wraps(fun)
    def transformed(*args: Any) -> Any:
        from mygrad._ops.joining import stack
        from mygrad._ops.shape import reshape

        nums, single = _argnums(argnums, len(args))
        inputs = [_differentiable(a) if i in nums else a for i, a in enumerate(args)]
        output, wrt = _call(fun, inputs, [inputs[i] for i in nums])
        rows = []
        for k in range(output.size):
            basis = np.zeros(output.size, dtype=output.dtype)
            basis[k] = 1
            rows.append(_pullback(output, wrt, basis.reshape(output.shape)))
        jacobians = [
            reshape(stack([row[j] for row in rows]), output.shape + x.shape)
            if rows
            else Tensor(np.zeros(output.shape + x.shape, dtype=x.dtype), constant=True)
            for j, x in enumerate(wrt)
        ]
        return jacobians[0] if single else tuple(jacobians)

    return transformed


def hessian(fun: Callable[..., Any], argnums: int = 0) -> Callable[..., Tensor]:
    """The Hessian of a single-valued ``fun`` with respect to one argument: ``jacobian(grad(fun))``.

    Parameters
    ----------
    fun : callable
        Called with the arguments (tensors in place of the differentiated ones); returns a single value (an
        array, Tensor or number of size one).
    argnums : int, default 0
        The position of the argument to differentiate with respect to.

    Returns
    -------
    callable
        Taking ``fun``'s arguments, returning the Hessian, of shape ``argument.shape + argument.shape``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.hessian(lambda x: x[0] ** 2 * x[1])(mg.tensor([1.0, 2.0]))
    Tensor([[4., 2.],
            [2., 0.]])
    """
    return jacobian(grad(fun, argnums), argnums)


def hvp(fun: Callable[..., Any]) -> Callable[[Any, Any], Tensor]:
    """``hvp(fun)(x, v)``: the Hessian of a single-valued ``fun`` at ``x`` times ``v``, without forming it.

    It is computed as the gradient of the inner product of ``grad(fun)(x)`` with ``v``.

    Parameters
    ----------
    fun : callable
        A function of one argument returning a single value (of size one).

    Returns
    -------
    callable
        ``(x, v) -> Tensor``: the Hessian at ``x`` applied to ``v`` (of ``x``'s shape).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.hvp(lambda x: (x**3).sum())(mg.tensor([1.0, 2.0]), mg.tensor([1.0, 1.0]))  # 6 x * v
    Tensor([ 6., 12.])
    """

    def transformed(x: Any, v: Any) -> Tensor:
        if np.shape(v) != np.shape(x):
            raise ValueError(
                f"hvp: the vector has shape {np.shape(v)}, but the point has shape {np.shape(x)}: they must agree"
            )
        return grad(lambda y: (grad(fun)(y) * v).sum())(x)

    return transformed


def jvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Tensor, Tensor]:
    """Forward mode: ``fun``'s value at ``primals`` and its Jacobian applied to ``tangents``, as
    ``(value, J @ tangents)``, computed by differentiating a pullback with respect to its cotangent.

    Parameters
    ----------
    fun : callable
        Called with the arguments (tensors in place of the differentiated ones); returns an array or Tensor.
    primals : sequence of array_like
        The arguments to call ``fun`` with, all differentiated.
    tangents : sequence of array_like
        One per primal, of its shape: the direction to differentiate in.

    Returns
    -------
    value : Tensor
        ``fun(*primals)``.
    tangent : Tensor
        The Jacobian-vector product, of ``value``'s shape.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.jvp(lambda x: x**2, (mg.tensor([1.0, 3.0]),), (mg.tensor([1.0, 1.0]),))
    (Tensor([1., 9.]), Tensor([2., 6.]))
    """
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp needs one tangent per primal: got {len(primals)} primals, {len(tangents)} tangents"
        )
    for i, (p, t) in enumerate(zip(primals, tangents)):
        if np.shape(t) != np.shape(p):
            raise ValueError(
                f"jvp: tangent {i} has shape {np.shape(t)}, but its primal has shape {np.shape(p)}"
            )
    output, pullback = vjp(fun, *primals)
    # the pullback is linear in its cotangent u: d/du <pullback(u), t> = J t
    u = Tensor(np.zeros_like(output.data), constant=False)
    products = [(g * _as_tensor(t)).sum() for g, t in zip(pullback(u), tangents)]
    total = products[0] if len(products) == 1 else sum(products[1:], products[0])
    (tangent_out,) = _pullback(_as_tensor(total), [u], np.ones((), dtype=output.dtype))
    return output, tangent_out
