"""Activation functions: elementwise nonlinearities and normalizations, each differentiable.

Each is a forward function, a gradient rule and the Primitive that pairs them, and the public function that
checks its arguments and runs the Primitive. ``tanh`` is :func:`mygrad.tanh` itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor, tanh
from mygrad.nnet._docs import shared_docstring
from mygrad.nnet._utils import as_array, as_inexact, axis_index, data, lane_max, real_scalar
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike, Real

__all__ = [
    "elu",
    "glu",
    "hard_tanh",
    "leaky_relu",
    "logsoftmax",
    "relu",
    "selu",
    "sigmoid",
    "soft_sign",
    "softmax",
    "tanh",
]

# MyGrad 2's submodules (``mygrad.nnet.activations.relu``, ...) are served by mygrad's import aliases: the
# import system looks for a module's submodules only if it has a ``__path__``.
__path__: list[str] = []

Axis = None | int | tuple[int, ...]


# ------------------------------------------------------------------------------------------ rectifiers
def _relu(x: Any) -> np.ndarray:
    # maximum against a zero of x's own dtype: the dtype is kept (bool, int, float) and NaN propagates
    x = as_array(x)  # a Python number too
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def _relu_grad(g: Any, out: Any, x: Any) -> Any:
    # the kink at 0 passes no gradient; a mask of g's dtype: multiplying by a boolean array casts it chunk by
    # chunk, which is slower than casting it at once
    return g * np.greater(data(x), 0).astype(g.dtype)


def _leaky_relu(x: np.ndarray, *, slope: Any) -> np.ndarray:
    # arithmetic rather than np.where, whose unpredictable branches make it several times slower
    return np.maximum(x, 0) + slope * np.minimum(x, 0)


def _leaky_relu_grad(g: Any, out: Any, x: Any, *, slope: Any) -> Any:
    x = data(x)
    # as for maximum(x, 0) + slope * minimum(x, 0): a tie at 0 passes no gradient to either branch
    return g * ((x > 0) + slope * (x < 0))


# the fixed point constants of Klambauer et al. (2017), "Self-Normalizing Neural Networks"
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _elu(x: np.ndarray, *, alpha: Any, scale: Any = 1) -> np.ndarray:
    x = as_inexact(x)
    # expm1 of the negative part only: exact near 0 and no overflow for large positive x. (Arithmetic rather
    # than np.where, whose unpredictable branches make it several times slower.)
    return scale * np.maximum(x, 0) + (scale * alpha) * np.expm1(np.minimum(x, 0))


def _elu_grad(g: Any, out: Any, x: Any, *, alpha: Any, scale: Any = 1) -> Any:
    # for x < 0 the derivative scale * alpha * exp(x) equals out + scale * alpha; at x == 0 it is `scale`
    x = data(x)
    return g * (scale * (x >= 0) + (x < 0) * (out + scale * alpha))


ReLU = primitive("ReLU", _relu, _relu_grad)
LeakyReLU = primitive("LeakyReLU", _leaky_relu, _leaky_relu_grad)
ELU = primitive("ELU", _elu, _elu_grad)
SELU = primitive(
    "SELU",
    lambda x: _elu(x, alpha=_SELU_ALPHA, scale=_SELU_SCALE),
    lambda g, out, x: _elu_grad(g, out, x, alpha=_SELU_ALPHA, scale=_SELU_SCALE),
)


@shared_docstring
def relu(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the rectified linear unit elementwise: ``max(x, 0)``.

    Parameters
    ----------
    $input
    $constant

    Returns
    -------
    Tensor
        ``x`` where it is positive, 0 elsewhere; same shape and dtype as ``x``.

    Notes
    -----
    The derivative is 1 where ``x > 0`` and 0 elsewhere, including at ``x == 0``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import relu
    >>> x = mg.tensor([-2.0, 0.0, 3.0])
    >>> y = relu(x)
    >>> y
    Tensor([0., 0., 3.])
    >>> y.backward()
    >>> x.grad
    array([0., 0., 1.])
    """
    return mg.execute_op(ReLU, x, constant=constant)


@shared_docstring
def leaky_relu(x: ArrayLike, slope: float, *, constant: bool | None = None) -> Tensor:
    """Apply the leaky rectified linear unit elementwise: ``x`` if ``x > 0`` else ``slope * x``.

    Parameters
    ----------
    $input
    slope : Real
        The slope for negative inputs. A size-1 array or Tensor is accepted (it is not differentiated).
    $constant

    Returns
    -------
    Tensor
        Same shape as ``x``.

    Raises
    ------
    TypeError
        If ``slope`` is not a real number.
    ValueError
        If ``slope`` is an array with more than one element.

    Notes
    -----
    This is ``maximum(x, 0) + slope * minimum(x, 0)``, computed in one step. As for those functions, the
    derivative at ``x == 0`` is 0.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import leaky_relu
    >>> x = mg.tensor([-2.0, 0.0, 3.0])
    >>> y = leaky_relu(x, 0.1)
    >>> y
    Tensor([-0.2,  0. ,  3. ])
    >>> y.backward()
    >>> x.grad
    array([0.1, 0. , 1. ])
    """
    slope = real_scalar(slope, "slope")
    return mg.execute_op(LeakyReLU, x, op_kwargs={"slope": slope}, constant=constant)


@shared_docstring
def elu(x: ArrayLike, alpha: Real, *, constant: bool | None = None) -> Tensor:
    """Apply the exponential linear unit elementwise: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Parameters
    ----------
    $float_input
    alpha : Real
        The scale of the negative branch. A size-1 array or Tensor is accepted (it is not
        differentiated).
    $constant

    Returns
    -------
    Tensor
        Same shape as ``x``.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is an array with more than one element.

    Notes
    -----
    The derivative is 1 for ``x >= 0`` (so 1 at ``x == 0``) and ``alpha * exp(x)`` for ``x < 0``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import elu
    >>> x = mg.tensor([-1.0, 0.0, 2.0])
    >>> y = elu(x, alpha=2.0)
    >>> y
    Tensor([-1.26424112,  0.        ,  2.        ])
    >>> y.backward()
    >>> x.grad
    array([0.73575888, 1.        , 1.        ])
    """
    alpha = real_scalar(alpha, "alpha")
    return mg.execute_op(ELU, x, op_kwargs={"alpha": alpha}, constant=constant)


@shared_docstring
def selu(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the scaled exponential linear unit elementwise.

    ``selu(x) = scale * x`` for ``x > 0`` and ``scale * alpha * (exp(x) - 1)`` otherwise, with
    ``alpha = 1.6732632423543772...`` and ``scale = 1.0507009873554804...``.

    Parameters
    ----------
    $float_input
    $constant

    Returns
    -------
    Tensor
        Same shape as ``x``.

    Notes
    -----
    The constants are those of Klambauer et al., "Self-Normalizing Neural Networks" (2017). The
    derivative at ``x == 0`` is taken from the right: ``scale``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import selu
    >>> x = mg.tensor([-1.0, 0.0, 1.0])
    >>> y = selu(x)
    >>> y
    Tensor([-1.11133074,  0.        ,  1.05070099])
    >>> y.backward()
    >>> x.grad
    array([0.6467686 , 1.05070099, 1.05070099])
    """
    return mg.execute_op(SELU, x, constant=constant)


# ------------------------------------------------------------------------------------ squashing functions
def _logistic(x: Any) -> Any:
    # exp(-x) overflows to inf for very negative x, and 1 / (1 + inf) is the correct limit 0
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def _sigmoid_grad(g: Any, out: Any, x: Any) -> Any:
    return g * out * (1 - out)


def _soft_sign(x: np.ndarray) -> np.ndarray:
    x = as_inexact(x)
    return x / (1 + np.abs(x))


def _soft_sign_grad(g: Any, out: Any, x: Any) -> Any:
    return g / (1 + np.abs(x)) ** 2


def _hard_tanh(x: np.ndarray, *, lower_bound: Any, upper_bound: Any) -> np.ndarray:
    # the lower bound wins if the bounds cross, as in MyGrad 2
    return np.maximum(np.minimum(x, upper_bound), lower_bound)


def _hard_tanh_grad(g: Any, out: Any, x: Any, *, lower_bound: Any, upper_bound: Any) -> Any:
    x = data(x)
    # as for maximum(minimum(x, upper), lower): no gradient at the bounds themselves, none at all if they cross
    return g * ((x > lower_bound) & (x < upper_bound))


Sigmoid = primitive("Sigmoid", lambda x: _logistic(as_inexact(x)), _sigmoid_grad)
SoftSign = primitive("SoftSign", _soft_sign, _soft_sign_grad)
HardTanh = primitive("HardTanh", _hard_tanh, _hard_tanh_grad)


@shared_docstring
def sigmoid(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the logistic sigmoid elementwise: ``1 / (1 + exp(-x))``.

    Parameters
    ----------
    $float_input
    $constant

    Returns
    -------
    Tensor
        Values in ``[0, 1]``; same shape as ``x``.

    Notes
    -----
    Large inputs of either sign are handled without overflow. The derivative is ``s * (1 - s)``, where
    ``s`` is the output.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import sigmoid
    >>> x = mg.tensor([-1000.0, 0.0, 1000.0])
    >>> y = sigmoid(x)
    >>> y
    Tensor([0. , 0.5, 1. ])
    >>> y.backward()
    >>> x.grad
    array([0.  , 0.25, 0.  ])
    """
    return mg.execute_op(Sigmoid, x, constant=constant)


@shared_docstring
def soft_sign(x: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """Apply the soft-sign function elementwise: ``x / (1 + |x|)``.

    Parameters
    ----------
    $float_input
    $constant

    Returns
    -------
    Tensor
        Values in ``(-1, 1)``; same shape as ``x``.

    Notes
    -----
    The derivative is ``1 / (1 + |x|)**2``, smooth at 0.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import soft_sign
    >>> x = mg.tensor([-3.0, 0.0, 1.0])
    >>> y = soft_sign(x)
    >>> y
    Tensor([-0.75,  0.  ,  0.5 ])
    >>> y.backward()
    >>> x.grad
    array([0.0625, 1.    , 0.25  ])
    """
    return mg.execute_op(SoftSign, x, constant=constant)


@shared_docstring
def hard_tanh(
    x: ArrayLike, *, lower_bound: Real = -1, upper_bound: Real = 1, constant: bool | None = None
) -> Tensor:
    """Clip ``x`` elementwise to ``[lower_bound, upper_bound]``: ``maximum(minimum(x, upper_bound), lower_bound)``.

    Parameters
    ----------
    $input
    lower_bound, upper_bound : Real, optional (default -1, 1)
        The bounds. Size-1 arrays or Tensors are accepted (they are not differentiated).
    $constant

    Returns
    -------
    Tensor
        Same shape as ``x``. If ``lower_bound > upper_bound``, every value is ``lower_bound``.

    Raises
    ------
    TypeError
        If a bound is not a real number.
    ValueError
        If a bound is an array with more than one element.

    Notes
    -----
    The derivative is 1 strictly inside the interval and 0 elsewhere, including at the bounds (as for
    :func:`mygrad.maximum` and :func:`mygrad.minimum` at ties); it is 0 everywhere if the bounds cross.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import hard_tanh
    >>> x = mg.tensor([-3.0, -1.0, 0.5, 2.0])
    >>> y = hard_tanh(x)
    >>> y
    Tensor([-1. , -1. ,  0.5,  1. ])
    >>> y.backward()
    >>> x.grad
    array([0., 0., 1., 0.])
    >>> hard_tanh(x, lower_bound=0, upper_bound=2)
    Tensor([0. , 0. , 0.5, 2. ])
    """
    bounds = {
        "lower_bound": real_scalar(lower_bound, "lower_bound"),
        "upper_bound": real_scalar(upper_bound, "upper_bound"),
    }
    return mg.execute_op(HardTanh, x, op_kwargs=bounds, constant=constant)


# -------------------------------------------------------------------------------------------------- glu
def _halves(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    half = x.shape[axis] // 2
    before = (slice(None),) * axis
    return x[(*before, slice(None, half))], x[(*before, slice(half, None))]


def _glu(x: np.ndarray, *, axis: int) -> np.ndarray:
    first, second = _halves(as_inexact(x), axis)
    return first * _logistic(second)


def _glu_grad(g: Any, out: Any, x: Any, *, axis: int) -> Any:
    first, second = _halves(x, axis)
    gate = _logistic(second)  # on Tensors in the recorded pass: the gate's own derivative is kept
    return np.concatenate([g * gate, g * first * gate * (1 - gate)], axis=axis)


GLU = primitive("GLU", _glu, _glu_grad)


@shared_docstring
def glu(x: ArrayLike, axis: int = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the gated linear unit: split ``x`` in half along ``axis`` into ``a`` and ``b``, return
    ``a * sigmoid(b)``.

    Parameters
    ----------
    x : array_like
        The input; its length along ``axis`` must be even.
    axis : int, optional (default -1)
        The axis along which ``x`` is split (an integer, or a 0-d integer array).
    $constant

    Returns
    -------
    Tensor
        The shape of ``x`` with the length along ``axis`` halved.

    Raises
    ------
    TypeError
        If ``axis`` is not an integer.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds for ``x`` (a subclass of ValueError and IndexError).
    ValueError
        If the length of ``x`` along ``axis`` is odd.

    Notes
    -----
    Dauphin et al., "Language Modeling with Gated Convolutional Networks" (2017).

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import glu
    >>> x = mg.tensor([[1.0, 2.0, 0.0, 100.0]])
    >>> y = glu(x)
    >>> y
    Tensor([[0.5, 2. ]])
    >>> y.backward()
    >>> x.grad
    array([[0.5 , 1.  , 0.25, 0.  ]])
    """
    shape = np.shape(data(x))
    axis = axis_index(axis, len(shape))
    if shape[axis] % 2:
        raise ValueError(
            f"glu splits `x` in half along axis {axis}, which needs an even length there; "
            f"got an array of shape {shape}"
        )
    return mg.execute_op(GLU, x, op_kwargs={"axis": axis}, constant=constant)


# ------------------------------------------------------------------------------------ softmax family
def _shifted(x: np.ndarray, axis: Axis) -> np.ndarray:
    """``x`` minus its maximum over ``axis``: every exponent is <= 0, so ``exp`` cannot overflow."""
    shift = lane_max(x, axis)  # (-inf for an empty lane)
    # lanes whose maximum is not finite (all -inf, say) are left unshifted: NumPy's own arithmetic decides
    return x - np.where(np.isfinite(shift), shift, 0)


def _softmax(x: np.ndarray, *, axis: Axis) -> np.ndarray:
    e = np.exp(_shifted(as_inexact(x), axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_grad(g: Any, out: Any, x: Any, *, axis: Axis) -> Any:
    return out * (g - np.sum(g * out, axis=axis, keepdims=True))


def _logsoftmax(x: np.ndarray, *, axis: Axis) -> np.ndarray:
    z = _shifted(as_inexact(x), axis)
    with np.errstate(divide="ignore"):  # a lane of only -inf has log(0) = -inf, as NumPy says
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _logsoftmax_grad(g: Any, out: Any, x: Any, *, axis: Axis) -> Any:
    return g - np.exp(out) * np.sum(g, axis=axis, keepdims=True)


Softmax = primitive("Softmax", _softmax, _softmax_grad)
LogSoftmax = primitive("LogSoftmax", _logsoftmax, _logsoftmax_grad)


@shared_docstring
def softmax(x: ArrayLike, axis: Axis = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the softmax over ``axis``: ``exp(x) / sum(exp(x), axis)``.

    Parameters
    ----------
    $float_input
    $axis
    $constant

    Returns
    -------
    Tensor
        Non-negative values that sum to 1 over ``axis``; same shape as ``x``.

    Notes
    -----
    The maximum over ``axis`` is subtracted before exponentiating, so large inputs do not overflow.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import softmax
    >>> x = mg.tensor([[1000.0, 1000.0], [0.0, 0.0]])
    >>> softmax(x)
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    >>> softmax(x, axis=None)
    Tensor([[0.5, 0.5],
            [0. , 0. ]])
    >>> z = mg.tensor([0.0, 0.0])
    >>> y = softmax(z)
    >>> (y * mg.tensor([1.0, 3.0])).sum().backward()
    >>> z.grad
    array([-0.5,  0.5])
    """
    return mg.execute_op(Softmax, x, op_kwargs={"axis": axis}, constant=constant)


@shared_docstring
def logsoftmax(x: ArrayLike, axis: Axis = -1, *, constant: bool | None = None) -> Tensor:
    """Apply the log-softmax over ``axis``: ``x - log(sum(exp(x), axis))``.

    Parameters
    ----------
    $float_input
    $axis
    $constant

    Returns
    -------
    Tensor
        ``log(softmax(x, axis))``; same shape as ``x``.

    Notes
    -----
    Computed from ``x`` minus its maximum over ``axis``: no overflow for large inputs, and no
    ``log(0)`` where the softmax underflows.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.activations import logsoftmax
    >>> x = mg.tensor([1000.0, 0.0, -1000.0])
    >>> y = logsoftmax(x)
    >>> y
    Tensor([    0., -1000., -2000.])
    >>> y.backward()
    >>> x.grad
    array([-2.,  1.,  1.])
    """
    return mg.execute_op(LogSoftmax, x, op_kwargs={"axis": axis}, constant=constant)
