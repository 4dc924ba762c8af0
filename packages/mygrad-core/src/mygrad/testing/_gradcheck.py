"""Central-difference gradients, and the check of a backward pass against them."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from mygrad._core.arrays import UnsupportedArray
from mygrad._core.backprop import collect
from mygrad._core.state import no_autodiff
from mygrad._core.tensor import Tensor
from mygrad.testing.backends import Backend, BackendDeparture, active

__all__ = ["assert_gradients_match", "numerical_gradient"]

#: None, or a Counter that a test harness installs to learn what the gradient checks reached: every call of
#: :func:`assert_gradients_match` then adds 1 under ``(op_type, in_hypothesis)`` for each type of operation in
#: the graph it checked (the tensors that receive a gradient), ``in_hypothesis`` telling whether the call was made
#: while Hypothesis ran an example. The reliability suite (tests-integration/reliability) reads it to show that
#: every registered operation got its examples.
checks_per_op: Counter[tuple[type, bool]] | None = None


def _ops_in_graph(out: Tensor) -> set[type]:
    """The types of the operations between ``out`` and its non-constant inputs."""
    if out.constant:
        return set()
    _, order, _ = collect(out)
    return {type(t._creator) for _, t in order}


def _count_check(out: Tensor) -> None:
    if checks_per_op is None:
        return
    from hypothesis import currently_in_test_context  # only harnesses that run Hypothesis set the counter

    in_hypothesis = currently_in_test_context()
    checks_per_op.update((op, in_hypothesis) for op in _ops_in_graph(out))


def _assert_same_bytes(array: np.ndarray | None, original: np.ndarray | None, message: str) -> None:
    """``array`` holds ``original``'s bytes (so -0.0 for 0.0, or another NaN, counts as a difference)."""
    assert array is not None and original is not None, message
    same = array.shape == original.shape and array.dtype == original.dtype
    assert same and array.tobytes() == original.tobytes(), message


def _evaluate(f: Callable[..., Any], arrays: Sequence[np.ndarray], kwargs: dict) -> np.ndarray:
    with no_autodiff:
        # a copy: a result that views an input would change as the input is perturbed
        return np.array(f(*arrays, **kwargs), dtype=np.float64, copy=True)


def numerical_gradient(
    f: Callable[..., Any],
    *arrays: Any,
    grad: Any = None,
    wrt: Sequence[int] | None = None,
    eps: float = 1e-6,
    kwargs: dict | None = None,
) -> list[np.ndarray]:
    """Estimate the gradients of ``sum(grad * f(*arrays))`` by central differences, at float64.

    Parameters
    ----------
    f : callable
        The function; it is called on NumPy arrays with graph tracking off.
    *arrays : array_like
        The point at which to differentiate.
    grad : array_like, optional
        The upstream gradient (ones by default), broadcast against ``f``'s output.
    wrt : sequence of int, optional
        The positions of the arrays to differentiate with respect to (all by default).
    eps : float, default 1e-6
        The step.
    kwargs : dict, optional
        Keyword arguments for ``f``.

    Returns
    -------
    list of numpy.ndarray
        One gradient per array in ``wrt``, each of its array's shape.

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.testing import numerical_gradient
    >>> (dx,) = numerical_gradient(lambda x: x**2, np.array([1.0, 3.0]))
    >>> np.round(dx, 6)
    array([2., 6.])
    """
    kwargs = kwargs or {}
    points = [np.array(a, dtype=np.float64) for a in arrays]
    out = _evaluate(f, points, kwargs)
    weight = (
        np.ones_like(out) if grad is None else np.broadcast_to(np.asarray(grad, dtype=np.float64), out.shape)
    )
    grads = []
    for i in range(len(points)) if wrt is None else wrt:
        x = points[i]
        dx = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            original = x[j]
            x[j] = original + eps
            upper = _evaluate(f, points, kwargs)
            x[j] = original - eps
            lower = _evaluate(f, points, kwargs)
            x[j] = original
            # difference elementwise before summing: large outputs that do not depend on x[j] cancel exactly
            dx[j] = np.sum(weight * (upper - lower)) / (2 * eps)
        grads.append(dx)
    return grads


def assert_gradients_match(
    f: Callable[..., Any],
    *arrays: Any,
    grad: Any = None,
    constant: Sequence[int] = (),
    kwargs: dict | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    eps: float = 1e-6,
) -> Tensor:
    """Check ``f``'s backward pass against central differences, and the invariants every op must keep.

    Each array becomes a float64 tensor (a constant if its position is in ``constant``); ``f`` is applied and
    backpropagated with ``grad``. Asserted:

    * every non-constant input's gradient is an ndarray of its shape and dtype that matches the numerical one
      within ``rtol``/``atol``; constants get no gradient;
    * neither the forward nor the backward pass modifies the inputs' data or ``grad`` (compared byte for byte),
      and ``grad``, if an array, stays writeable;
    * the pass is reproducible: ``f`` applied again to fresh, equal tensors and backpropagated gives a
      bit-identical output and gradients, and leaves the first gradients as they were.

    Parameters
    ----------
    f : callable
        The function to check, called as ``f(*tensors, **kwargs)``; it must return a Tensor.
    *arrays : array_like
        The point at which to differentiate (each is converted to float64).
    grad : array_like, optional
        The upstream gradient to backpropagate (ones by default).
    constant : sequence of int, default ()
        The positions of the arrays to pass as constant tensors.
    kwargs : dict, optional
        Keyword arguments for ``f``.
    rtol, atol : float, default 1e-5 and 1e-7
        The tolerances of the comparison with the numerical gradients.
    eps : float, default 1e-6
        The step of the central differences.

    Returns
    -------
    Tensor
        ``f``'s output (its graph cleared by the backward pass), for further checks.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.testing import assert_gradients_match
    >>> out = assert_gradients_match(mg.multiply, np.array([1.0, 2.0]), np.array(3.0))
    >>> out
    Tensor([3., 6.])
    >>> def wrong_square(x):  # x**2 whose backward pass forgets one factor: it gives x, not 2 x
    ...     return x * mg.tensor(x.data, constant=True)
    >>> assert_gradients_match(wrong_square, np.array([1.0, 2.0]))
    Traceback (most recent call last):
      ...
    AssertionError: ...
    """
    kwargs = kwargs or {}
    arrays = tuple(np.array(a, dtype=np.float64) for a in arrays)
    grad_copy = None if grad is None else np.array(grad, copy=True)
    grad_writeable = isinstance(grad, np.ndarray) and grad.flags.writeable
    wrt = [i for i in range(len(arrays)) if i not in constant]

    def run(first: bool) -> tuple[list[Tensor], Tensor]:
        tensors = [Tensor(a, constant=(i in constant)) for i, a in enumerate(arrays)]
        out = f(*tensors, **kwargs)
        assert isinstance(out, Tensor), f"expected a Tensor from {f!r}, got {type(out).__name__}"
        for i, (t, a) in enumerate(zip(tensors, arrays)):
            _assert_same_bytes(t.data, a, f"the forward pass modified input {i}")
        if first:
            _count_check(out)
        out.backward(grad)
        for i, (t, a) in enumerate(zip(tensors, arrays)):
            _assert_same_bytes(t.data, a, f"the backward pass modified input {i}")
        if grad is not None:
            _assert_same_bytes(np.asarray(grad), grad_copy, "the upstream gradient was modified")
            assert not grad_writeable or grad.flags.writeable, "the upstream gradient was left read-only"
        return tensors, out

    tensors, out = run(first=True)
    expected = numerical_gradient(f, *arrays, grad=grad, wrt=wrt, eps=eps, kwargs=kwargs)
    first = []
    for i, numeric in zip(wrt, expected):
        analytic = tensors[i].grad
        assert analytic is not None, f"input {i} received no gradient"
        assert type(analytic) is np.ndarray, f"gradient {i} is a {type(analytic).__name__}, not an ndarray"
        assert analytic.shape == arrays[i].shape, (
            f"gradient {i} has shape {analytic.shape}, not {arrays[i].shape}"
        )
        assert analytic.dtype == arrays[i].dtype, (
            f"gradient {i} has dtype {analytic.dtype}, not {arrays[i].dtype}"
        )
        np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")
        first.append(analytic.copy())
    for i in constant:
        assert tensors[i].grad is None, f"constant input {i} received a gradient"

    again, out_again = run(first=False)
    _assert_same_bytes(out_again.data, out.data, "a second, equal graph gave another output")
    for i, gradient in zip(wrt, first):
        _assert_same_bytes(again[i].grad, gradient, f"a second, equal graph gave input {i} another gradient")
        _assert_same_bytes(tensors[i].grad, gradient, f"backprop through a second graph changed gradient {i}")
    backend = active()
    if backend is not None:
        _check_over(backend, f, arrays, grad, constant, kwargs, [out.data, *first], rtol, atol)
    return out


def _check_over(
    backend: Backend,
    f: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    grad: Any,
    constant: Sequence[int],
    kwargs: dict,
    expected: list[np.ndarray],
    rtol: float,
    atol: float,
) -> None:
    """The case again over ``backend``'s arrays: its output and gradients equal ``expected`` (NumPy's)."""
    tensors = [Tensor(backend.from_numpy(a), constant=(i in constant)) for i, a in enumerate(arrays)]

    def run() -> list[Any]:
        out = f(*tensors, **kwargs)
        if out.shape != expected[0].shape:  # the library computes f otherwise (Dask's pad of a short axis):
            return [out.data]  # NumPy's gradient cannot be passed; the comparison of the outputs departs
        try:
            out.backward(None if grad is None else backend.from_numpy(np.asarray(grad, dtype=np.float64)))
        except UnsupportedArray:
            raise
        except Exception as error:  # the library took the function: its derivative is mygrad's to compute
            raise AssertionError(
                f"over {backend.name}, the backward pass of {f!r} failed where its forward pass worked: "
                f"{type(error).__name__}: {error}"
            ) from error
        return [out.data, *(t.grad for i, t in enumerate(tensors) if i not in constant)]

    labels = ["the output", *(f"gradient {i}" for i in range(len(arrays)) if i not in constant)]
    _compare_over(backend, f, run, labels, expected, rtol, atol)
    for i in constant:
        assert tensors[i].grad is None, f"over {backend.name}, constant input {i} received a gradient"


def _compare_over(
    backend: Backend,
    f: Callable[..., Any],
    run: Callable[[], list[Any]],
    labels: list[str],
    expected: list[np.ndarray],
    rtol: float,
    atol: float,
    values: int = 1,
) -> None:
    """The arrays that ``run()`` returns (``values`` first, ``f``'s output among them, then gradients) are the
    backend library's (unless it said it computed a function on NumPy) and, computed in one call, equal
    ``expected``, NumPy's. Where the library refuses the case (an error raised in its own code or while it
    computes, or mygrad's refusal of its array) or computes one of the values otherwise than NumPy (Dask has no
    views; it departs from NumPy at some edge cases), the gradients cannot be compared: a
    :class:`~mygrad.testing.backends.BackendDeparture` warning says so instead."""
    name = backend.name
    results: list[Any] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            results = run()
            refusal = None
        except Exception as error:
            if not (backend.refused(error) or isinstance(error, UnsupportedArray)):
                raise
            refusal = error
    if refusal is not None:  # (warned outside the block that records the library's warnings)
        _depart(f"{name} refused a case of {f!r}: {type(refusal).__name__}: {refusal}")
        return
    present = [r for r in results if r is not None]
    try:  # (the library runs its own plan here: mygrad's code is done)
        computed = iter(backend.compute(*present))
    except Exception as error:
        _depart(f"{name} failed to compute a case of {f!r}: {type(error).__name__}: {error}")
        return
    computed_values: list[Any] = [None if r is None else next(computed) for r in results]
    for label, value, numpy_value in zip(labels[:values], computed_values, expected):
        if not (
            value.shape == numpy_value.shape
            and value.dtype == numpy_value.dtype
            and np.allclose(value, numpy_value, rtol=rtol, atol=atol, equal_nan=True)
        ):
            _depart(f"{name} computed {label} of {f!r} otherwise than NumPy")
            return
    fell_back = backend.fell_back(caught)
    for label, result, value, numpy_value in zip(labels, results, computed_values, expected):
        assert fell_back or type(result) is backend.array_type, (
            f"over {name}, {label} is a {type(result).__name__}, not the library's array"
        )
        assert value.dtype == numpy_value.dtype, f"over {name}, {label} has dtype {value.dtype}"
        np.testing.assert_allclose(value, numpy_value, rtol=rtol, atol=atol, err_msg=f"over {name}, {label}")


def _depart(message: str) -> None:
    warnings.warn(message, BackendDeparture, stacklevel=4)


def assert_second_derivatives_match(
    f: Callable[..., Any],
    *arrays: Any,
    kwargs: dict | None = None,
    seed: int = 0,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    eps: float = 1e-6,
) -> None:
    """Check the derivative of ``f``'s recorded gradient against central differences of that gradient.

    With random ``w`` (like ``f``'s output) and ``u`` (like each input), the scalar function
    ``s(*xs) = sum_i <grad_i sum(w * f(*xs)), u_i>`` is formed with :func:`mygrad.grad`; its gradient,
    computed through the recorded backward pass (second order), must match central differences of ``s``,
    which need first-order gradients only.

    Parameters
    ----------
    f : callable
        The function to check, called as ``f(*tensors, **kwargs)``.
    *arrays : array_like
        The point at which to differentiate (each is converted to float64).
    kwargs : dict, optional
        Keyword arguments for ``f``.
    seed : int, default 0
        The seed of the random ``w`` and ``u``.
    rtol, atol : float, default 1e-5 and 1e-7
        The tolerances of the comparison.
    eps : float, default 1e-6
        The step of the central differences.

    Raises
    ------
    AssertionError
        If the second derivatives do not match.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.testing import assert_second_derivatives_match
    >>> assert_second_derivatives_match(mg.sin, np.array([0.5, 1.0]))
    """
    from mygrad._functional import grad, value_and_grad

    kwargs = kwargs or {}
    points = [np.array(a, dtype=np.float64) for a in arrays]
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal(_evaluate(f, points, kwargs).shape)
    directions = [rng.standard_normal(x.shape) for x in points]
    argnums = tuple(range(len(points)))

    def slope(weight: Any, directions: list) -> Callable[..., Any]:
        def first_order_slope(*xs: Any) -> Any:
            grads = grad(lambda *ts: (f(*ts, **kwargs) * weight).sum(), argnums=argnums)(*xs)
            return sum(((g * u).sum() for g, u in zip(grads, directions)), Tensor(0.0, constant=True))

        return first_order_slope

    first_order_slope = slope(weight, directions)
    slope_at_points, analytic = value_and_grad(first_order_slope, argnums=argnums)(*points)
    for i, x in enumerate(points):
        numeric = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            original = x[j]
            x[j] = original + eps
            upper = float(first_order_slope(*points).data)
            x[j] = original - eps
            lower = float(first_order_slope(*points).data)
            x[j] = original
            numeric[j] = (upper - lower) / (2 * eps)
        np.testing.assert_allclose(
            analytic[i].data, numeric, rtol=rtol, atol=atol, err_msg=f"second order, input {i}"
        )
    backend = active()
    if backend is None:
        return
    convert = backend.from_numpy

    def run() -> list[Any]:
        xs = [convert(x) for x in points]
        out = f(*(Tensor(x) for x in xs), **kwargs).data
        over_slope = slope(convert(weight), [convert(u) for u in directions])
        value, second = value_and_grad(over_slope, argnums=argnums)(*xs)
        return [out, value.data, *(g.data for g in second)]

    labels = ["the output", "the first derivatives' slope"]
    labels += [f"second order, input {i}" for i in range(len(points))]
    expected = [_evaluate(f, points, kwargs), slope_at_points.data, *(g.data for g in analytic)]
    _compare_over(backend, f, run, labels, expected, rtol, atol, values=2)
