"""mygrad: automatic differentiation that feels exactly like NumPy.

>>> import mygrad as mg
>>> import numpy as np
>>> x = mg.tensor([1.0, 2.0, 3.0])
>>> f = np.sum(x * x)
>>> f.backward()
>>> x.grad
array([2., 4., 6.])
"""

# mygrad.nnet and mygrad.computational_graph ship in distributions of their own: `mygrad` spans them.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)

# MyGrad 2.x installs this package too: refuse to run on a mix of the two (before anything else can fail)
from mygrad._extensions import check_no_mygrad2 as _check_no_mygrad2  # noqa: E402

_check_no_mygrad2()

from typing import TYPE_CHECKING  # noqa: E402, F401  (a public name of MyGrad 2's)
from typing import Any as _Any  # noqa: E402

import numpy as _np  # noqa: E402

from mygrad import _ops as _ops  # noqa: E402  (registers every operation)
from mygrad._core.operation import execute_op  # noqa: E402
from mygrad._core.state import (  # noqa: E402
    mem_guard_active,
    mem_guard_off,
    mem_guard_on,
    no_autodiff,
    turn_memory_guarding_off,
    turn_memory_guarding_on,
)
from mygrad._core.tensor import Tensor  # noqa: E402
from mygrad._ops.registry import PUBLIC as _PUBLIC  # noqa: E402
from mygrad._ops.registry import ufunc  # noqa: E402
from mygrad._version import __version__  # noqa: E402
from mygrad.tensor_creation import *  # noqa: E402, F403

globals().update(_PUBLIC)
abs = absolute  # type: ignore[name-defined]  # noqa: A001, F821
divide = true_divide  # type: ignore[name-defined]  # noqa: F821

# NumPy's own objects, re-exported: dtypes, constants, and functions with no derivative to take
from numpy import (  # noqa: E402
    allclose,
    bincount,
    bool_,
    can_cast,
    ceil,
    copyto,
    divmod,
    double,
    e,
    equal,
    euler_gamma,
    float16,
    float32,
    float64,
    floor,
    floor_divide,
    fmod,
    greater,
    greater_equal,
    half,
    inf,
    int8,
    int16,
    int32,
    int64,
    intp,
    isclose,
    isfinite,
    isinf,
    isnan,
    isnat,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    longdouble,
    may_share_memory,
    min_scalar_type,
    mod,
    nan,
    newaxis,
    not_equal,
    pi,
    remainder,
    result_type,
    rint,
    shape,
    shares_memory,
    sign,
    signbit,
    single,
    trunc,
    uint8,
    uint16,
    uint32,
    uint64,
    uintp,
)  # fmt: skip

from mygrad import errors, linalg, math, operation_base, random, tensor_base, typing, ufuncs  # noqa: E402
from mygrad._functional import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp  # noqa: E402
from mygrad._ops.registry import nondifferentiable as _nondifferentiable  # noqa: E402
from mygrad._windows import sliding_window_view  # noqa: E402
from mygrad.io import load, save  # noqa: E402

_nondifferentiable(
    allclose, bincount, can_cast, copyto, isclose, may_share_memory, min_scalar_type, result_type, shape,
    shares_memory, _np.ndim, _np.size, _np.array_equal, _np.array_equiv,
)  # fmt: skip


def __getattr__(name: str) -> _Any:
    # `mygrad.nnet` works after a plain `import mygrad` when mygrad-nnet is installed (likewise viz)
    from mygrad._extensions import EXTENSIONS, extension

    if name in EXTENSIONS:
        return extension(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name)


from mygrad import _compat as _compat  # noqa: E402  (MyGrad 2's module paths, from one table)
