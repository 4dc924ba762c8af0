"""The registry is complete: every differentiable op is public, documented and gradient-checked."""

import importlib
import inspect

import numpy as np
import pytest

import mygrad as mg
from mygrad._ops.registry import FUNCTIONS, NO_VALUE, PRIMITIVES, PUBLIC, UFUNCS

GRADIENT_TEST_MODULES = (
    "test_higher_order",
    "test_grad_elementwise",
    "test_grad_reductions",
    "test_grad_shape",
    "test_grad_linalg",
    "test_grad_numpy_surface",
    "test_grad_inplace",
)


def test_every_primitive_has_a_numerical_gradient_test():
    covered = set()
    for name in GRADIENT_TEST_MODULES:
        covered |= importlib.import_module(name).COVERED_PRIMITIVES
    assert set(PRIMITIVES) - covered == set(), "ops without a gradient check"
    assert covered - set(PRIMITIVES) == set(), "gradient tests name ops that do not exist"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_registered_name_is_public_and_documented(name):
    obj = getattr(mg, name)
    assert obj is PUBLIC[name]
    assert obj.__doc__ and obj.__doc__.strip(), f"mygrad.{name} has no docstring"


def test_numpy_dispatch_tables_point_at_public_functions():
    public = set(map(id, PUBLIC.values()))
    for numpy_ufunc, handler in UFUNCS.items():
        assert isinstance(numpy_ufunc, np.ufunc)
        assert callable(handler)
    for mg_ufunc in (h for h in UFUNCS.values() if isinstance(h, type)):
        assert id(mg_ufunc) in public and issubclass(mg_ufunc, mg.ufunc)
    for numpy_func, impl in FUNCTIONS.items():
        assert callable(numpy_func) and callable(impl)


# ------------------------------------------------------------------------ NumPy's functions on tensors
# mygrad's own keywords beside NumPy's: keyword-only, so that they never shift NumPy's positional arguments
MYGRAD_KEYWORDS = {"constant", "nan_to_num"}
NEWER_NUMPY_KEYWORDS = {"descending": "2.5.0"}  # taken (and passed on) where the NumPy at hand has them
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _name(func) -> str:
    return f"{func.__module__}.{func.__name__}"


@pytest.mark.skipif(
    np.lib.NumpyVersion(np.__version__) < "2.3.0",
    reason="NumPy < 2.3 gives its C functions no signatures; mygrad's overrides have NumPy 2.3's (and accept "
    "the calls of older NumPy: see test_numpy_keywords.py)",
)
@pytest.mark.parametrize("numpy_func", list(FUNCTIONS), ids=_name)
def test_every_numpy_override_has_numpys_signature(numpy_func):
    # Python binds the arguments as NumPy would: the same parameters, in the same order, of the same kinds, with
    # the same defaults (NumPy's "not given" marker, or None, for a default of mygrad's "not given")
    ours = inspect.signature(FUNCTIONS[numpy_func]).parameters
    theirs = inspect.signature(numpy_func).parameters
    assert [n for n, p in ours.items() if p.kind in POSITIONAL] == [
        n for n, p in theirs.items() if p.kind in POSITIONAL
    ]
    for name, expected in theirs.items():
        assert name in ours, f"{_name(numpy_func)} takes no {name!r}"
        got = ours[name]
        assert got.kind == expected.kind, name
        assert (got.default is got.empty) == (expected.default is expected.empty), name
        if got.default is NO_VALUE:
            assert expected.default is None or repr(expected.default) == "<no value>", name
        elif got.default is not got.empty:
            assert type(got.default) is type(expected.default) and got.default == expected.default, name
    for name in set(ours) - set(theirs):
        if np.lib.NumpyVersion(np.__version__) < NEWER_NUMPY_KEYWORDS.get(name, "0.0.0"):
            continue
        assert name in MYGRAD_KEYWORDS and ours[name].kind is inspect.Parameter.KEYWORD_ONLY, name


NOT_DISPATCHED = {  # NumPy functions of the same name that no tensor can reach: they take no array
    "load": "np.load(file) reads a file",
}


def _counterparts():
    """(mygrad's public function, NumPy's of the same name) for every name both have."""
    for module, numpy_module in ((mg, np), (mg.linalg, np.linalg)):
        for name in dir(module):
            ours, theirs = getattr(module, name), getattr(numpy_module, name, None)
            if name.startswith("_") or not callable(ours) or not callable(theirs) or ours is theirs:
                continue
            if isinstance(theirs, type) or isinstance(ours, type) and not issubclass(ours, mg.ufunc):
                continue  # classes: dtypes, Tensor
            yield f"{numpy_module.__name__}.{name}", theirs


@pytest.mark.parametrize(
    ("name", "numpy_func"), list(_counterparts()), ids=lambda v: v if type(v) is str else ""
)
def test_every_mygrad_function_is_reached_through_numpys_own(name, numpy_func):
    # np.sinc(tensor) is mygrad's sinc: whatever mygrad implements, NumPy's function of the same name reaches
    if name.rsplit(".", 1)[1] in NOT_DISPATCHED:
        return
    table = UFUNCS if isinstance(numpy_func, np.ufunc) else FUNCTIONS
    assert numpy_func in table, f"{name} does not dispatch to mygrad"


def test_numpy_sinc_is_mygrads_sinc():
    x = mg.tensor([0.0, 0.5])
    y = np.sinc(x)
    assert isinstance(y, mg.Tensor)
    np.testing.assert_array_equal(y.data, np.sinc(x.data))
    y.backward()
    np.testing.assert_allclose(x.grad, [0.0, -4 / np.pi], rtol=1e-12)
