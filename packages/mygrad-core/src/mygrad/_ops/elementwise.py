"""Elementwise functions: NumPy's differentiable ufuncs, the operators, and a few plain functions.

Each rule is ``rule(g, out, *inputs, **kwargs)``: the gradient with respect to one input, given ``g`` (the
gradient with respect to the output) and ``out`` (the output). Rules use only NumPy calls that mygrad also
implements, and read non-differentiable facts (signs, comparisons) from the data, so they run on Tensors too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from mygrad._core.arrays import is_foreign
from mygrad._core.operation import apply, declare, passthrough
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import call, data, undefined
from mygrad._ops.registry import (
    NO_KWARGS,
    NO_VALUE,
    constant_only,
    defufunc,
    implements_numpy_override,
    nondifferentiable,
    operators,
    primitive,
    public,
    tensor_method,
    ufunc_doc,
)
from mygrad._ops.writes import write_out
from mygrad.typing import ArrayLike

LN2 = np.log(2.0)
LN10 = np.log(10.0)

# -------------------------------------------------------------------------------------------- arithmetic
add = defufunc(np.add, passthrough, passthrough)
subtract = defufunc(np.subtract, passthrough, lambda g, out, x, y: -g)
multiply = defufunc(np.multiply, lambda g, out, x, y: g * y, lambda g, out, x, y: g * x)
# (MyGrad 2 names mygrad.divide and its alias mygrad.true_divide after NumPy's older name of the ufunc)
divide = defufunc(
    np.divide,
    lambda g, out, x, y: g / y,
    lambda g, out, x, y: -g * out / y,
    name="true_divide",
    op_name="Divide",
)
public(name="divide")(divide)


def _power_base(g: Any, out: Any, x: Any, y: Any) -> Any:
    # x**0 is 1 for every x: its derivatives in x are 0 to every order, not 0 * x**-1 (NaN where x**-1 overflows,
    # at 0 or a subnormal x, and 0 * x**-2 at the next order ...). There the base is replaced by 1. Only where the
    # exponent is differentiated too (a recorded pass) is the formula kept where it is finite, for the mixed
    # derivatives (d/dy y x**(y - 1) = 1/x at y == 0).
    flat = data(y) == 0
    lazy = is_foreign(flat)  # another library's array: no test of its values, which would compute it
    if (lazy or np.any(flat)) and isinstance(y, Tensor) and not y.constant:
        with np.errstate(divide="ignore", over="ignore"):
            flat = flat & ~np.isfinite(np.reciprocal(data(x)))
    if not lazy and not np.any(flat):
        return g * y * x ** (y - 1)
    return np.where(flat, 0, g * y * np.where(flat, 1, x) ** (y - 1))


def _power_exponent(g: Any, out: Any, x: Any, y: Any) -> Any:
    # d(x**y)/dy = x**y log(x); at x == 0 it is 0 (the limit from above), not 0 * -inf
    return g * out * np.log(np.where(data(x) == 0, 1, x))


def _power(x: Any, y: Any, /, **kwargs: Any) -> Any:
    # `t ** y` (power_operator) asks for NumPy's operator, which computes some powers with cheaper ufuncs, with
    # results that can differ from np.power's in the last bit (x**0.5 is np.sqrt's on NumPy < 2.3)
    if kwargs.pop("operator", False):
        return x**y
    return np.power(x, y, **kwargs)


power = defufunc(np.power, _power_base, _power_exponent, forward=_power)
_OPERATOR = {"operator": True}  # power_operator's forward keywords
negative = defufunc(np.negative, lambda g, out, x: -g)
positive = defufunc(np.positive, passthrough)
reciprocal = defufunc(np.reciprocal, lambda g, out, x: -g * out**2)
square = defufunc(np.square, lambda g, out, x: 2 * g * x)
sqrt = defufunc(np.sqrt, lambda g, out, x: g / (2 * out))
cbrt = defufunc(np.cbrt, lambda g, out, x: g / (3 * out**2))


def _absolute(x: Any, *, nan_to_num: bool = True, **kwargs: Any) -> Any:
    return np.absolute(x, **kwargs)


def _absolute_rule(g: Any, out: Any, x: Any, *, nan_to_num: bool = True) -> Any:
    sign = np.sign(data(x))
    return g * sign if nan_to_num else undefined(g * sign, sign == 0, g, x)


absolute = defufunc(
    np.absolute,
    _absolute_rule,
    op_name="Abs",  # (MyGrad 2's names of the operations)
    forward=_absolute,
    summary="The elementwise absolute value. Its derivative at 0 is 0, or NaN with ``nan_to_num=False``.",
)
public(name="abs")(absolute)

# the greater input takes the gradient; ties give it to neither (so clip has zero gradient at its bounds)
maximum = defufunc(
    np.maximum, lambda g, out, x, y: g * (data(x) > data(y)), lambda g, out, x, y: g * (data(y) > data(x))
)
minimum = defufunc(
    np.minimum, lambda g, out, x, y: g * (data(x) < data(y)), lambda g, out, x, y: g * (data(y) < data(x))
)

# beyond MyGrad 2: more of NumPy's differentiable ufuncs
fabs = defufunc(np.fabs, lambda g, out, x: g * np.sign(data(x)))
hypot = defufunc(
    np.hypot,
    lambda g, out, x, y: g * np.where(data(out) == 0, 0, x / np.where(data(out) == 0, 1, out)),
    lambda g, out, x, y: g * np.where(data(out) == 0, 0, y / np.where(data(out) == 0, 1, out)),
)
float_power = defufunc(np.float_power, _power_base, _power_exponent)
deg2rad = defufunc(np.deg2rad, lambda g, out, x: g * (np.pi / 180))
rad2deg = defufunc(np.rad2deg, lambda g, out, x: g * (180 / np.pi))


def _picked(x: Any, y: Any, better: Any) -> Any:
    """Where fmax/fmin take ``x``: it is strictly better, or ``y`` is NaN and ``x`` is not (ties: neither)."""
    x, y = data(x), data(y)
    return better(x, y) | (np.isnan(y) & ~np.isnan(x))


fmax = defufunc(
    np.fmax,
    lambda g, out, x, y: g * _picked(x, y, np.greater),
    lambda g, out, x, y: g * _picked(y, x, np.greater),
)
fmin = defufunc(
    np.fmin, lambda g, out, x, y: g * _picked(x, y, np.less), lambda g, out, x, y: g * _picked(y, x, np.less)
)

operators(add, "__add__", "__radd__")
operators(subtract, "__sub__", "__rsub__")
operators(multiply, "__mul__", "__rmul__")
operators(divide, "__truediv__", "__rtruediv__")
operators(power, None, "__rpow__")


def _pow(self: Tensor, other: Any) -> Tensor:
    return power_operator(self, other)


def power_operator(self: Tensor, other: Any, in_place: bool = False) -> Tensor:
    """``self ** other`` (for ``self **= other`` with ``in_place``: the result then written into ``self``), with
    the values and dtype of NumPy's own operator on the arrays, to the last bit.

    x**2 and x**1 record the cheaper Square and Positive (as MyGrad 2) for an exponent equal to 2 or 1 that is a
    number or a 0-d array, computed in the dtype that NumPy's operator gives, which depends on its version
    (NumPy < 2.3 squares an integer array in place for ``**= 2.0``; later versions refuse the float result).
    """
    kind = type(other)
    if (
        kind is int
        or kind is float
        or isinstance(other, (int, float, np.number, np.bool_))
        or (isinstance(other, np.ndarray) and other.ndim == 0)
    ) and (other == 2 or other == 1):
        special = square if other == 2 else positive
        if (kind is int or kind is float) and self.data.dtype.kind == "f":
            return special(self)  # (a Python number keeps a floating dtype: the common case, kept fast)
        probe = np.empty(0, self.data.dtype)
        if in_place:
            probe **= other  # (raises NumPy's own error where it cannot write the result back)
        else:
            probe = probe**other
        return special(self) if probe.dtype == self.data.dtype else special(self, dtype=probe.dtype)
    return apply(power._op, (self, other), NO_KWARGS, None, _OPERATOR)


def _negative(self: Tensor) -> Tensor:
    return negative(self)


def _positive(self: Tensor) -> Tensor:
    return positive(self)


def _absolute_value(self: Tensor) -> Tensor:
    return absolute(self)


# no derivative: as np.floor_divide, np.remainder and np.divmod, constant tensors only, giving NumPy's arrays
def _floordiv(self: Tensor, other: ArrayLike) -> np.ndarray:
    return np.floor_divide(self, other)


def _rfloordiv(self: Tensor, other: ArrayLike) -> np.ndarray:
    return np.floor_divide(other, self)


def _mod(self: Tensor, other: ArrayLike) -> np.ndarray:
    return np.remainder(self, other)


def _rmod(self: Tensor, other: ArrayLike) -> np.ndarray:
    return np.remainder(other, self)


def _divmod(self: Tensor, other: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return np.divmod(self, other)


def _rdivmod(self: Tensor, other: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return np.divmod(other, self)


for _name, _method in {
    "__pow__": _pow, "__neg__": _negative, "__pos__": _positive, "__abs__": _absolute_value,
    "__floordiv__": _floordiv, "__rfloordiv__": _rfloordiv, "__mod__": _mod, "__rmod__": _rmod,
    "__divmod__": _divmod, "__rdivmod__": _rdivmod,
}.items():  # fmt: skip
    tensor_method(_name, _method)

# ------------------------------------------------------------------------------------ exponents and logs
exp = defufunc(np.exp, lambda g, out, x: g * out)
expm1 = defufunc(np.expm1, lambda g, out, x: g * (out + 1))
exp2 = defufunc(np.exp2, lambda g, out, x: g * out * LN2)
log = defufunc(np.log, lambda g, out, x: g / x)
log2 = defufunc(np.log2, lambda g, out, x: g / (x * LN2))
log10 = defufunc(np.log10, lambda g, out, x: g / (x * LN10))
log1p = defufunc(np.log1p, lambda g, out, x: g / (1 + x))
logaddexp = defufunc(
    np.logaddexp, lambda g, out, x, y: g * np.exp(x - out), lambda g, out, x, y: g * np.exp(y - out)
)
logaddexp2 = defufunc(
    np.logaddexp2, lambda g, out, x, y: g * np.exp2(x - out), lambda g, out, x, y: g * np.exp2(y - out)
)

# ------------------------------------------------------------------------------------------ trigonometry
sin = defufunc(np.sin, lambda g, out, x: g * np.cos(x))
cos = defufunc(np.cos, lambda g, out, x: -g * np.sin(x))
tan = defufunc(np.tan, lambda g, out, x: g * (1 + out**2))
arcsin = defufunc(np.arcsin, lambda g, out, x: g / np.sqrt(1 - x**2))
arccos = defufunc(np.arccos, lambda g, out, x: -g / np.sqrt(1 - x**2))
arctan = defufunc(np.arctan, lambda g, out, x: g / (1 + x**2))
arctan2 = defufunc(
    np.arctan2, lambda g, out, y, x: g * x / (x**2 + y**2), lambda g, out, y, x: -g * y / (x**2 + y**2)
)
sinh = defufunc(np.sinh, lambda g, out, x: g * np.cosh(x))
cosh = defufunc(np.cosh, lambda g, out, x: g * np.sinh(x))
tanh = defufunc(np.tanh, lambda g, out, x: g * (1 - out**2))
arcsinh = defufunc(np.arcsinh, lambda g, out, x: g / np.sqrt(x**2 + 1))
arccosh = defufunc(np.arccosh, lambda g, out, x: g / np.sqrt(x**2 - 1))
arctanh = defufunc(np.arctanh, lambda g, out, x: g / (1 - x**2))


# The reciprocal trigonometric functions: plain functions (not ufuncs, not reached by NumPy) with ops of their own.
def _unary(
    name: str, forward: Any, rule: Any, doc: str, example: tuple[str, str, str, str]
) -> Callable[..., Tensor]:
    """``example``: the input, then the printed result, the printed gradient and the derivative's formula."""
    op = primitive(name.capitalize(), forward, rule)

    def func(a: Any, *, constant: bool | None = None) -> Tensor:
        return apply(op, (a,), NO_KWARGS, constant)

    func.__name__ = func.__qualname__ = name
    func.__doc__ = f"""{doc}

    Parameters
    ----------
    a : array_like
        The angles, in radians, or the values.
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor({example[0]})
    >>> y = mg.{name}(x)
    >>> y
    {example[1]}
    >>> y.backward()
    >>> x.grad  # {example[3]}
    {example[2]}
    """
    return public()(shared_docstring(func))


cot = _unary(
    "cot",
    lambda x: 1 / np.tan(x),
    lambda g, out, x: -g * (1 + out**2),
    "The cotangent, 1 / tan(a).",
    (
        "[0.5, 1.0]",
        "Tensor([1.83048772, 0.64209262])",
        "array([-4.3506853 , -1.41228293])",
        "-(1 + cot(x)**2)",
    ),
)
csc = _unary(
    "csc",
    lambda x: 1 / np.sin(x),
    lambda g, out, x: -g * out / np.tan(x),
    "The cosecant, 1 / sin(a).",
    ("[0.5, 1.0]", "Tensor([2.08582964, 1.18839511])", "array([-3.81808555, -0.76305972])", "-csc(x) cot(x)"),
)
sec = _unary(
    "sec",
    lambda x: 1 / np.cos(x),
    lambda g, out, x: g * out * np.tan(x),
    "The secant, 1 / cos(a).",
    ("[0.5, 1.0]", "Tensor([1.13949393, 1.85081572])", "array([0.62250837, 2.8824747 ])", "sec(x) tan(x)"),
)
arccot = _unary(
    "arccot",
    lambda x: np.arctan(1 / x),
    lambda g, out, x: -g / (1 + x**2),
    "The inverse cotangent.",
    ("[0.5, 2.0]", "Tensor([1.10714872, 0.46364761])", "array([-0.8, -0.2])", "-1 / (1 + x**2)"),
)
arccsc = _unary(
    "arccsc",
    lambda x: np.arcsin(1 / x),
    lambda g, out, x: -g / (np.abs(x) * np.sqrt(x**2 - 1)),
    "The inverse cosecant.",
    (
        "[-2.0, 2.0]",
        "Tensor([-0.52359878,  0.52359878])",
        "array([-0.28867513, -0.28867513])",
        "-1 / (|x| sqrt(x**2 - 1))",
    ),
)
arcsec = _unary(
    "arcsec",
    lambda x: np.arccos(1 / x),
    lambda g, out, x: g / (np.abs(x) * np.sqrt(x**2 - 1)),
    "The inverse secant.",
    (
        "[-2.0, 2.0]",
        "Tensor([2.0943951 , 1.04719755])",
        "array([0.28867513, 0.28867513])",
        "1 / (|x| sqrt(x**2 - 1))",
    ),
)
coth = _unary(
    "coth",
    lambda x: 1 / np.tanh(x),
    lambda g, out, x: g * (1 - out**2),
    "The hyperbolic cotangent.",
    ("[0.5, 1.0]", "Tensor([2.16395341, 1.31303529])", "array([-3.68269438, -0.72406166])", "1 - coth(x)**2"),
)
csch = _unary(
    "csch",
    lambda x: 1 / np.sinh(x),
    lambda g, out, x: -g * out / np.tanh(x),
    "The hyperbolic cosecant.",
    (
        "[0.5, 1.0]",
        "Tensor([1.91903475, 0.85091813])",
        "array([-4.1527018 , -1.11728553])",
        "-csch(x) coth(x)",
    ),
)
sech = _unary(
    "sech",
    lambda x: 1 / np.cosh(x),
    lambda g, out, x: -g * out * np.tanh(x),
    "The hyperbolic secant.",
    (
        "[0.0, 1.0]",
        "Tensor([1.        , 0.64805427])",
        "array([-0.        , -0.49355435])",
        "-sech(x) tanh(x)",
    ),
)
arccoth = _unary(
    "arccoth",
    lambda x: np.arctanh(1 / x),
    lambda g, out, x: g / (1 - x**2),
    "The inverse hyperbolic cotangent.",
    (
        "[-2.0, 2.0]",
        "Tensor([-0.54930614,  0.54930614])",
        "array([-0.33333333, -0.33333333])",
        "1 / (1 - x**2)",
    ),
)
arccsch = _unary(
    "arccsch",
    lambda x: np.arcsinh(1 / x),
    lambda g, out, x: -g / (np.abs(x) * np.sqrt(1 + x**2)),
    "The inverse hyperbolic cosecant.",
    (
        "[0.5, 2.0]",
        "Tensor([1.44363548, 0.48121183])",
        "array([-1.78885438, -0.2236068 ])",
        "-1 / (|x| sqrt(1 + x**2))",
    ),
)


def _sinc_derivative(x: Any, *, order: int) -> np.ndarray:
    """The ``order``-th derivative of sinc, with no special point: near 0 its Taylor series (each term exact),
    farther out Leibniz's rule on sin(pi x) * (1 / (pi x)), where its terms cancel little."""
    x = np.asarray(x)
    wide = x.astype(np.float64)
    near = np.abs(wide) < max(1.0, order / 6)
    # sinc = sum_k (-1)^k (pi x)^(2k) / (2k + 1)!: its derivative, term by term (x^m with m = 2k - order >= 0;
    # the terms fall below 1e-28 of the sum by m = 46 where |x| < order / 6 + 1)
    first = (order + 1) // 2
    series = sum(
        (-1.0) ** k
        * np.pi ** (2 * k)
        / ((2 * k + 1) * math.factorial(2 * k - order))
        * wide ** (2 * k - order)
        for k in range(first, first + 24 + order // 6)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        far = np.where(near, 1.0, wide)
        leibniz = sum(
            math.comb(order, j) * np.pi ** (j - 1) * np.sin(np.pi * far + j * np.pi / 2)
            * (-1) ** (order - j) * math.factorial(order - j) / far ** (order - j + 1)
            for j in range(order + 1)
        )  # fmt: skip
    result = np.where(near, series, leibniz)
    return result.astype(x.dtype if x.dtype.kind == "f" else np.float64)


# the n-th derivative of sinc, whose rule is the (n + 1)-th: exact to every order, at 0 too
SincDerivative = declare(
    "SincDerivative",
    _sinc_derivative,
    lambda g, out, x, *, order: g * call(SincDerivative, x, order=order + 1),
)


sinc = _unary(
    "sinc",
    np.sinc,
    lambda g, out, x: g * call(SincDerivative, x, order=1),
    "The normalized sinc function, sin(pi a) / (pi a), and 1 at 0 (where its derivative is 0).",
    (
        "[0.5, 1.5]",
        "Tensor([ 0.63661977, -0.21220659])",
        "array([-1.27323954,  0.14147106])",
        "(cos(pi x) - sinc(x)) / x",
    ),
)


@implements_numpy_override(np.sinc)
def _numpy_sinc(x):
    return sinc(x)


# ------------------------------------------------------------------------------------------------ clip


@public(np.clip, method="clip")
@shared_docstring
def clip(
    a: Any, a_min: Any = NO_VALUE, a_max: Any = NO_VALUE, out: Any = None, *, min: Any = NO_VALUE, max: Any = NO_VALUE,  # noqa: A002
    constant: bool | None = None, **kwargs: Any,
) -> Tensor:  # fmt: skip
    """Limit the values of a tensor to ``[a_min, a_max]`` (either bound may be None; with neither, a copy).

    Built from ``maximum`` and ``minimum``, so the gradient is zero where a value is clipped, and at the
    bounds themselves. ``min=``/``max=`` are NumPy 2's spellings of the bounds.

    Parameters
    ----------
    a : array_like
    a_min, a_max : array_like or None
        The bounds; they broadcast with ``a``.
    $out
    min, max : array_like or None, optional
        The bounds under NumPy 2's names; give each bound once, by either name.
    $constant
    **kwargs
        The keywords of a ufunc (``where=``, ``dtype=``, ``casting=`` ...), with their meaning for NumPy's clip.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([-2.0, 0.5, 3.0])
    >>> y = mg.clip(x, -1, 1)
    >>> y
    Tensor([-1. ,  0.5,  1. ])
    >>> y.backward()  # no gradient where a value was clipped
    >>> x.grad
    array([0., 1., 0.])
    >>> x.clip(max=0.0)
    Tensor([-2.,  0.,  0.])
    """
    # NumPy's rules: both positional bounds, or the keyword ones (each optional)
    if a_min is NO_VALUE and a_max is NO_VALUE:
        a_min, a_max = (None if bound is NO_VALUE else bound for bound in (min, max))
    elif a_min is NO_VALUE or a_max is NO_VALUE:
        missing = "a_min" if a_min is NO_VALUE else "a_max"
        raise TypeError(f"clip() missing 1 required positional argument: {missing!r}")
    elif min is not NO_VALUE or max is not NO_VALUE:
        raise ValueError(
            "Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden."
        )
    # with out=, `where` only says which elements of out change (computed everywhere: no uninitialized values)
    where = kwargs.pop("where", True) if out is not None else True
    result = a
    if a_min is None and a_max is None:  # nothing to clip: a copy, as NumPy 2's (by `positive`, as NumPy's)
        result = positive(a, constant=constant, **kwargs)
    if a_min is not None:
        result = maximum(result, a_min, constant=constant, **kwargs)
    if a_max is not None:
        result = minimum(result, a_max, constant=constant, **kwargs)
    return write_out(result, out, where)


def _round(a: Any, decimals: int = 0, out: Any = None) -> Any:
    """Round to the given number of decimals: like ``floor`` and ``rint`` it has no useful derivative, so it
    takes constant tensors only and returns NumPy's result.

    Parameters
    ----------
    a : array_like
        A constant tensor, or an array.
    decimals : int, default 0
        The number of decimals to round to (negative: to the left of the decimal point).
    out : numpy.ndarray, optional
        Where to write the result, as for NumPy.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        If ``a`` is a tensor that is not a constant.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tensor([1.26, 2.5], constant=True).round(1)
    array([1.3, 2.5])
    >>> mg.tensor([1.26, 2.5]).round()
    Traceback (most recent call last):
      ...
    ValueError: numpy.round cannot involve non-constant mygrad tensors.
    """
    if isinstance(a, Tensor) and not a.constant:
        raise ValueError("numpy.round cannot involve non-constant mygrad tensors.")
    return np.round(data(a), decimals, out=out)


for _numpy_round in (np.round, np.around):
    implements_numpy_override(_numpy_round)(_round)
tensor_method("round", _round)


def _tolist(self: Tensor) -> Any:
    """The data as a (nested) list of Python scalars, as :meth:`numpy.ndarray.tolist` gives it.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tensor([[1.0, 2.0], [3.0, 4.0]]).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    >>> mg.tensor(5).tolist()
    5
    """
    return self.data.tolist()


tensor_method("tolist", _tolist)


# ------------------------------------------------------------------------------ not differentiable at all
nondifferentiable(
    np.isnan, np.isfinite, np.isinf, np.isnat, np.signbit, np.logical_not, np.logical_and, np.logical_or,
    np.logical_xor, np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
)  # fmt: skip
constant_only(
    np.floor_divide, np.remainder, np.fmod, np.divmod, np.rint, np.sign, np.floor, np.ceil, np.trunc
)  # fmt: skip


# Each ufunc's docstring example checks its derivative against the formula, written with NumPy.
_UNARY_EXAMPLES = {
    negative: "-np.ones_like(a)", positive: "np.ones_like(a)", reciprocal: "-1 / a**2", square: "2 * a",
    sqrt: "0.5 / np.sqrt(a)", cbrt: "1 / (3 * np.cbrt(a) ** 2)", absolute: "np.sign(a)", fabs: "np.sign(a)",
    exp: "np.exp(a)", expm1: "np.exp(a)", exp2: "np.exp2(a) * np.log(2)", log: "1 / a", log2: "1 / (a * np.log(2))",
    log10: "1 / (a * np.log(10))", log1p: "1 / (1 + a)", sin: "np.cos(a)", cos: "-np.sin(a)",
    tan: "1 / np.cos(a) ** 2", arcsin: "1 / np.sqrt(1 - a**2)", arccos: "-1 / np.sqrt(1 - a**2)",
    arctan: "1 / (1 + a**2)", sinh: "np.cosh(a)", cosh: "np.sinh(a)", tanh: "1 - np.tanh(a) ** 2",
    arcsinh: "1 / np.sqrt(a**2 + 1)", arccosh: "1 / np.sqrt(a**2 - 1)", arctanh: "1 / (1 - a**2)",
    deg2rad: "np.full_like(a, np.pi / 180)", rad2deg: "np.full_like(a, 180 / np.pi)",
}  # fmt: skip
_BINARY_EXAMPLES = {
    add: ("np.ones_like(a)", "np.ones_like(b)"), subtract: ("np.ones_like(a)", "-np.ones_like(b)"),
    multiply: ("b", "a"), divide: ("1 / b", "-a / b**2"), power: ("b * a ** (b - 1)", "a**b * np.log(a)"),
    float_power: ("b * a ** (b - 1)", "a**b * np.log(a)"), maximum: ("a > b", "b > a"), minimum: ("a < b", "b < a"),
    fmax: ("a > b", "b > a"), fmin: ("a < b", "b < a"),
    arctan2: ("b / (a**2 + b**2)", "-a / (a**2 + b**2)"), hypot: ("a / np.hypot(a, b)", "b / np.hypot(a, b)"),
    logaddexp: ("np.exp(a) / (np.exp(a) + np.exp(b))", "np.exp(b) / (np.exp(a) + np.exp(b))"),
    logaddexp2: ("2.0**a / (2.0**a + 2.0**b)", "2.0**b / (2.0**a + 2.0**b)"),
}  # fmt: skip
_DOMAINS = {arcsin: "[0.25, 0.5]", arccos: "[0.25, 0.5]", arctanh: "[0.25, 0.5]", arccosh: "[1.5, 2.0]"}


def _document() -> None:
    for mg_ufunc, derivative in _UNARY_EXAMPLES.items():
        example = ((_DOMAINS.get(mg_ufunc, "[0.5, 2.0]"),), (derivative,))
        mg_ufunc.__doc__ = ufunc_doc(mg_ufunc, example)
    for mg_ufunc, derivatives in _BINARY_EXAMPLES.items():
        mg_ufunc.__doc__ = ufunc_doc(mg_ufunc, (("[1.0, 2.0]", "[3.0, 0.5]"), derivatives))


_document()
