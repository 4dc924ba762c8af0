"""mygrad's mathematical functions, gathered in one namespace (each is also ``mygrad.<name>``)."""

from mygrad._ops.elementwise import (
    absolute, add, arccos, arccosh, arccot, arccoth, arccsc, arccsch, arcsec, arcsin, arcsinh, arctan, arctan2,
    arctanh, cbrt, clip, cos, cosh, cot, coth, csc, csch, divide, exp, exp2, expm1, log, log1p, log2, log10,
    logaddexp, logaddexp2, maximum, minimum, multiply, negative, positive, power, reciprocal, sec, sech, sin,
    sinc, sinh, sqrt, square, subtract, tan, tanh,
)  # fmt: skip
from mygrad._ops.linalg import matmul
from mygrad._ops.reductions import (
    add_sequence, amax, amin, any, argmax, argmin, cumprod, cumsum, max, mean, min, multiply_sequence, prod, std,
    sum, var,
)  # fmt: skip

abs = absolute  # noqa: A001
true_divide = divide

__all__ = [name for name in dir() if not name.startswith("_")]
