"""The registry is complete: every differentiable op is public, documented and gradient-checked."""

import importlib

import numpy as np
import pytest

import mygrad as mg
from mygrad._ops.registry import FUNCTIONS, PRIMITIVES, PUBLIC, UFUNCS

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
