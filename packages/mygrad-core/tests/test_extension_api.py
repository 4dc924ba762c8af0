"""The public extension API: user Operations run by execute_op, ufunc_creator, mygrad.ufunc, the error classes,
the compatibility module paths and the gradient checker of mygrad.testing.

Contract: API.md 1.11 and 2.15.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

import mygrad as mg
import mygrad.operation_base
import mygrad.tensor_base
import mygrad.ufuncs
from mygrad import errors
from mygrad._core.operation import Primitive
from mygrad._ops.registry import PUBLIC
from mygrad._utils import SkipGradient
from mygrad.operation_base import BinaryUfunc, Operation, Sequential, Ufunc, UnaryUfunc
from mygrad.testing import assert_gradients_match, numerical_gradient
from mygrad.ufuncs import ufunc_creator


# ------------------------------------------------------------------------------------- user operations
class ScaledProduct(Operation):
    """f(x, y) = scale * x * y + offset, with ``scale`` positional and ``offset`` keyword arguments.

    ``backward_var`` returns the gradient of the broadcast output: summing it back is the engine's job.
    """

    def __call__(self, x, y, scale=1.0, *, offset=0.0):
        self.variables = (x, y)
        self.scale = scale
        return scale * x.data * y.data + offset

    def backward_var(self, grad, index, **kwargs):
        x, y = self.variables
        other = y if index == 0 else x
        return self.scale * grad * other.data


class Cube(Operation):
    def __call__(self, x):
        self.variables = (x,)
        return x.data**3

    def backward_var(self, grad, index, **kwargs):
        return grad * 3 * self.variables[0].data ** 2


class WrongCube(Cube):
    """The derivative of x**3 mistaken for 2 x**2."""

    def backward_var(self, grad, index, **kwargs):
        return grad * 2 * self.variables[0].data ** 2


class ScalarGradient(Operation):
    """sum(x) whose gradient is given as a Python number: the engine broadcasts it to the variable."""

    def __call__(self, x):
        self.variables = (x,)
        return np.sum(x.data)

    def backward_var(self, grad, index, **kwargs):
        return float(grad)


class SkipsSecond(Operation):
    """x * y that declines to give ``y`` a gradient."""

    def __call__(self, x, y):
        self.variables = (x, y)
        return x.data * y.data

    def backward_var(self, grad, index, **kwargs):
        if index == 1:
            raise SkipGradient
        return grad * self.variables[1].data


def returning(value):
    """An op x -> 2x whose backward_var returns ``value`` (something that is not a gradient)."""

    class BadGradient(Operation):
        def __call__(self, x):
            self.variables = (x,)
            return 2 * x.data

        def backward_var(self, grad, index, **kwargs):
            return value

    return BadGradient


def assert_grad(tensor, expected):
    assert type(tensor.grad) is np.ndarray
    assert tensor.grad.dtype == tensor.dtype and tensor.grad.shape == tensor.shape
    np.testing.assert_allclose(tensor.grad, expected)


# ------------------------------------------------------------------------------------------ execute_op
def test_execute_op_runs_a_user_operation():
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    out = mg.execute_op(ScaledProduct, x, y)
    assert isinstance(out, mg.Tensor)
    assert isinstance(out.creator, ScaledProduct)
    variables = out.creator.variables
    assert len(variables) == 2 and variables[0] is x and variables[1] is y
    assert out.constant is False
    np.testing.assert_array_equal(out.data, [3.0, 8.0])
    out.backward()
    assert_grad(x, [3.0, 4.0])
    assert_grad(y, [1.0, 2.0])


def test_execute_op_passes_op_args_and_op_kwargs():
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    out = mg.execute_op(ScaledProduct, x, y, op_args=(2.0,), op_kwargs={"offset": 1.0})
    np.testing.assert_array_equal(out.data, [7.0, 17.0])
    out.backward()
    assert_grad(x, [6.0, 8.0])
    assert_grad(y, [2.0, 4.0])


@pytest.mark.parametrize(
    ("inputs", "constant", "expected"),
    [
        (lambda: (mg.tensor([1.0]), mg.tensor([2.0])), True, True),
        (lambda: (mg.tensor([1.0], constant=True), mg.tensor([2.0], constant=True)), None, True),
        (lambda: (mg.tensor([1.0], constant=True), mg.tensor([2.0], constant=True)), False, False),
        (lambda: ([1.0], np.array([2.0])), None, True),
        (lambda: (mg.tensor([1.0]), [2.0]), None, False),
    ],
    ids=["forced-constant", "all-constant", "forced-variable", "array-likes", "tensor-and-list"],
)
def test_execute_op_constant_flag(inputs, constant, expected):
    out = mg.execute_op(ScaledProduct, *inputs(), constant=constant)
    assert out.constant is expected


def test_execute_op_with_a_forced_constant_gives_no_gradient():
    x = mg.tensor([1.0, 2.0])
    out = mg.execute_op(ScaledProduct, x, x, constant=True)
    out.backward()
    assert x.grad is None


def test_execute_op_wraps_array_likes_as_constants():
    x = mg.tensor([1.0, 2.0])
    factor = np.array([5.0, 6.0])
    out = mg.execute_op(ScaledProduct, x, factor)
    wrapped = out.creator.variables[1]
    assert isinstance(wrapped, mg.Tensor) and wrapped.constant is True
    np.testing.assert_array_equal(wrapped.data, factor)
    out.backward()
    assert_grad(x, factor)
    assert wrapped.grad is None
    listed = mg.execute_op(ScaledProduct, [1.0, 2.0], 3.0)
    assert all(v.constant for v in listed.creator.variables)
    np.testing.assert_array_equal(listed.data, [3.0, 6.0])


def test_the_engine_sums_a_user_ops_gradient_over_broadcast_axes():
    x = mg.tensor([1.0, 2.0, 3.0])  # (3,)
    y = mg.tensor([[1.0], [10.0]])  # (2, 1)
    out = mg.execute_op(ScaledProduct, x, y)
    assert out.shape == (2, 3)
    out.backward()
    assert_grad(x, [11.0, 11.0, 11.0])
    assert_grad(y, [[6.0], [6.0]])


def test_the_engine_casts_a_user_ops_gradient_to_the_variables_dtype():
    x = mg.tensor([1.0, 2.0], dtype=np.float32)
    y = mg.tensor([3.0, 4.0], dtype=np.float64)
    out = mg.execute_op(ScaledProduct, x, y)
    out.backward()
    assert_grad(x, [3.0, 4.0])
    assert_grad(y, [1.0, 2.0])


def test_a_number_as_gradient_is_broadcast_to_the_variable():
    x = mg.tensor([1.0, 2.0, 3.0])
    out = mg.execute_op(ScalarGradient, x)
    (out * 4).backward()
    assert_grad(x, [4.0, 4.0, 4.0])


def test_skip_gradient_gives_the_variable_no_gradient():
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    out = mg.execute_op(SkipsSecond, x, y)
    out.backward()
    assert_grad(x, [3.0, 4.0])
    assert y.grad is None
    assert issubclass(SkipGradient, Exception)


@pytest.mark.parametrize(
    "value", ["a string", None, [1.0, 2.0], object()], ids=["str", "None", "list", "object"]
)
def test_a_non_gradient_from_backward_var_raises_invalid_gradient(value):
    x = mg.tensor([1.0, 2.0])
    out = mg.execute_op(returning(value), x)
    with pytest.raises(errors.InvalidGradient):
        out.backward()
    assert x.grad is None and out.grad is None


def test_a_user_op_composes_with_mygrads_ops():
    x = mg.tensor([1.0, 2.0])
    out = mg.sum(mg.execute_op(Cube, x * 2) + x)
    out.backward()
    assert_grad(x, 3 * (2 * x.data) ** 2 * 2 + 1)


class SumAlong(Sequential):
    numpy_func = staticmethod(np.sum)

    def backward_var(self, grad, index, **kwargs):
        (a,) = self.variables
        if not self.keepdims and self.axis is not None:
            grad = np.expand_dims(grad, self.axis)
        return np.broadcast_to(grad, a.shape)


@pytest.mark.parametrize(("axis", "keepdims"), [(None, False), (0, False), (1, True), ((0, 1), False)])
def test_a_user_sequential_op(axis, keepdims):
    x = mg.tensor(np.arange(6.0).reshape(2, 3))
    out = mg.execute_op(SumAlong, x, op_kwargs={"axis": axis, "keepdims": keepdims})
    np.testing.assert_array_equal(out.data, np.sum(x.data, axis=axis, keepdims=keepdims))
    assert out.creator.out_shape == out.shape
    out.backward()
    assert_grad(x, np.ones((2, 3)))


# ------------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("name", ["InvalidGradient", "InvalidBackprop", "DisconnectedView"])
def test_error_classes_are_mygrad_exceptions(name):
    cls = getattr(errors, name)
    assert issubclass(cls, errors.MyGradException)
    assert issubclass(errors.MyGradException, Exception)


# ------------------------------------------------------------------------------------- module paths
@pytest.mark.parametrize("name", ["Operation", "Ufunc", "UnaryUfunc", "BinaryUfunc", "Sequential"])
def test_operation_base_exports(name):
    cls = getattr(mygrad.operation_base, name)
    assert isinstance(cls, type)
    assert issubclass(cls, Operation)


def test_the_operation_class_hierarchy():
    assert issubclass(UnaryUfunc, Ufunc) and issubclass(BinaryUfunc, Ufunc)
    assert Operation.can_return_view is False
    # the bases of ufunc operations are abstract (a subclass implements backward_var), as in MyGrad 2
    assert all(inspect.isabstract(base) for base in (Ufunc, UnaryUfunc, BinaryUfunc))


def _ufunc_operations(cls=Ufunc):
    for sub in cls.__subclasses__():
        yield sub
        yield from _ufunc_operations(sub)


def test_the_operation_of_every_mygrad_ufunc_is_a_ufunc_operation():
    # MyGrad 2's classes (`type(y.creator)`): UnaryUfunc/BinaryUfunc subclasses bound to their NumPy ufunc
    for mg_ufunc in {u for u in PUBLIC.values() if isinstance(u, type) and issubclass(u, mg.ufunc)}:
        with np.errstate(all="ignore"):
            op = type(mg_ufunc(*[mg.tensor([[0.5, 0.75], [0.25, 0.5]])] * mg_ufunc.nin).creator)
        assert issubclass(op, UnaryUfunc if mg_ufunc.nin == 1 else BinaryUfunc), op
        assert op.numpy_ufunc is mg_ufunc.numpy_ufunc, op
        assert not inspect.isabstract(op)
        assert op.__mro__[1] is Primitive, "the Primitive's own __call__ and backward come first"
        assert not hasattr(op(), "__dict__"), "an operation is all slots"
    concrete = [op for op in _ufunc_operations() if not inspect.isabstract(op)]
    assert {"Add", "Sin", "Abs", "MatMul", "Divide"} <= {op.__name__ for op in concrete}
    assert all(isinstance(op.numpy_ufunc, np.ufunc) for op in concrete)


@pytest.mark.parametrize(
    ("module", "name", "mg_ufunc"),
    [("misc", "Abs", mg.absolute), ("misc", "MatMul", mg.matmul), ("arithmetic", "Divide", mg.true_divide)],
)
def test_ufunc_operations_have_mygrad2s_class_names(module, name, mg_ufunc):
    op = getattr(importlib.import_module(f"mygrad.math.{module}.ops"), name)
    assert op.__name__ == name
    operands = [mg.tensor([[1.0]]), mg.tensor([[2.0]])][: mg_ufunc.nin]
    assert type(mg_ufunc(*operands).creator) is op


def test_tensor_base_is_the_tensor():
    assert mygrad.tensor_base.Tensor is mg.Tensor
    assert callable(mygrad.tensor_base.implements_numpy_override)


# ----------------------------------------------------------------------------------------- ufunc_creator
class UserExp(UnaryUfunc):
    numpy_ufunc = np.exp

    def backward_var(self, grad, index, **kwargs):
        return grad * np.exp(self.variables[0].data)


class UserHypot(BinaryUfunc):
    numpy_ufunc = np.hypot

    def backward_var(self, grad, index, **kwargs):
        x, y = (v.data for v in self.variables)
        return grad * (x, y)[index] / np.hypot(x, y)


@ufunc_creator(UserExp)
def user_exp(x, out=None, *, where=True, dtype=None, constant=None):
    """The exponential, written by a user."""


@ufunc_creator(UserHypot)
def user_hypot(x1, x2, out=None, *, where=True, dtype=None, constant=None):
    """The hypotenuse, written by a user."""


def test_ufunc_creator_module_paths():
    from mygrad.ufuncs._ufunc_creators import ufunc_creator as at_its_reference_path

    assert at_its_reference_path is ufunc_creator
    assert mygrad.ufuncs.ufunc is mg.ufunc


def test_ufunc_creator_makes_a_mygrad_ufunc():
    assert issubclass(user_exp, mg.ufunc)
    assert repr(user_exp) == "<mygrad-ufunc 'user_exp'>"
    assert user_exp.__doc__ == "The exponential, written by a user."
    assert (user_exp.nin, user_exp.nout) == (1, 1)
    assert (user_hypot.nin, user_hypot.nout) == (2, 1)


def test_a_user_unary_ufunc_computes_and_differentiates():
    x = mg.tensor([0.0, 1.0, 2.0])
    y = user_exp(x)
    assert isinstance(y, mg.Tensor)
    np.testing.assert_allclose(y.data, np.exp(x.data))
    y.backward()
    assert_grad(x, np.exp(x.data))


def test_a_user_binary_ufunc_broadcasts_and_differentiates():
    x = mg.tensor([3.0, 6.0])
    y = mg.tensor([[4.0], [8.0]])
    out = user_hypot(x, y)
    np.testing.assert_allclose(out.data, np.hypot(x.data, y.data))
    out.backward()
    h = np.hypot(x.data, y.data)
    assert_grad(x, np.sum(x.data / h, axis=0))
    assert_grad(y, np.sum(y.data / h, axis=1, keepdims=True))


def test_a_user_ufunc_takes_where_out_dtype_and_constant():
    x = mg.tensor([0.0, 1.0, 2.0])
    out = np.zeros(3)
    mask = np.array([True, False, True])
    y = user_exp(x, out=out, where=mask)
    np.testing.assert_allclose(y.data, [1.0, 0.0, np.exp(2.0)])
    y.backward()
    assert_grad(x, np.where(mask, np.exp(x.data), 0.0))
    assert user_exp(x, dtype=np.float32).dtype == np.float32
    assert user_exp(x, constant=True).constant is True


def test_a_user_ufunc_leaves_numpys_dispatch_alone():
    x = mg.tensor([1.0])
    assert isinstance(np.exp(x).creator, type(mg.exp(x).creator))


# ---------------------------------------------------------------------------------------------- mg.ufunc
MYGRAD2_UFUNCS = [  # API.md 2.7: the NumPy ufuncs that dispatch to mygrad's (mygrad registers more)
    "absolute", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "cbrt",
    "cos", "cosh", "divide", "exp", "exp2", "expm1", "log", "log10", "log1p", "log2", "logaddexp",
    "logaddexp2", "matmul", "maximum", "minimum", "multiply", "negative", "positive", "power", "reciprocal",
    "sin", "sinh", "sqrt", "square", "subtract", "tan", "tanh",
]  # fmt: skip
# every mygrad ufunc, as the registry declares them (by their own name: `abs` and `true_divide` are aliases)
DIFFERENTIABLE_UFUNCS = sorted(
    name for name, obj in PUBLIC.items() if isinstance(obj, type) and obj.__name__ == name
)


def test_mygrad_ufuncs_are_virtual_subclasses_of_mg_ufunc():
    assert {getattr(mg, name).__name__ for name in MYGRAD2_UFUNCS} <= set(DIFFERENTIABLE_UFUNCS)
    for name in DIFFERENTIABLE_UFUNCS:
        assert issubclass(getattr(mg, name), mg.ufunc), name
    assert not issubclass(mg.Tensor, mg.ufunc)
    assert not isinstance(np.add, mg.ufunc)


@pytest.mark.parametrize("name", DIFFERENTIABLE_UFUNCS)
def test_ufunc_repr(name):
    assert repr(getattr(mg, name)) == f"<mygrad-ufunc '{name}'>"


@pytest.mark.parametrize("name", DIFFERENTIABLE_UFUNCS)
def test_ufunc_attributes_agree_with_numpy(name):
    ours, theirs = getattr(mg, name), getattr(np, name)
    for attr in ("nin", "nout", "nargs", "identity", "signature"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.ntypes == len(ours.types)
    assert set(ours.types) <= set(theirs.types)
    assert not [t for t in ours.types if set(t) & set("FDGO")], "complex or object loops are listed"
    real = [t for t in theirs.types if set(t.replace("->", "")) <= set("?bBhHiIlLqQefdg")]
    assert set(real) <= set(ours.types)


def test_ufunc_aliases():
    assert mg.abs is mg.absolute
    assert mg.true_divide is mg.divide


def test_divide_is_named_true_divide_as_in_mygrad2():
    assert mg.divide is mg.true_divide is mg.math.divide is mg.math.true_divide
    assert mg.divide.__name__ == "true_divide"
    assert repr(mg.divide) == "<mygrad-ufunc 'true_divide'>"
    assert mg.divide.__doc__.startswith("true_divide(x1, x2, /, out=None")
    divide_op = importlib.import_module("mygrad.math.arithmetic.ops").Divide
    assert isinstance(np.divide(mg.tensor(1.0), 2.0).creator, divide_op)


def test_resolve_dtypes_is_numpys():
    dtypes = (np.dtype(np.float32), np.dtype(np.float64), None)
    assert mg.add.resolve_dtypes(dtypes) == np.add.resolve_dtypes(dtypes)


@pytest.mark.parametrize("method", ["reduce", "accumulate", "outer", "reduceat", "at"])
def test_ufunc_methods_are_not_implemented(method):
    with pytest.raises(NotImplementedError):
        getattr(mg.add, method)(mg.tensor([1.0, 2.0]), [0])


def test_mg_ufunc_cannot_be_subclassed():
    with pytest.raises(TypeError):

        class Mine(mg.ufunc):
            pass


# ---------------------------------------------------------------------------------------- mygrad.testing
def test_assert_gradients_match_accepts_a_correct_op():
    out = assert_gradients_match(lambda x: mg.execute_op(Cube, x), np.array([0.5, -1.0, 2.0]))
    assert isinstance(out, mg.Tensor)


def test_assert_gradients_match_detects_a_wrong_gradient():
    with pytest.raises(AssertionError):
        assert_gradients_match(lambda x: mg.execute_op(WrongCube, x), np.array([0.5, -1.0, 2.0]))


def test_assert_gradients_match_detects_a_wrong_gradient_of_one_input_only():
    def f(x, y):
        return mg.execute_op(WrongCube, x) * y

    with pytest.raises(AssertionError, match="gradient of input 0"):
        assert_gradients_match(f, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    # with the wrong input held constant there is nothing wrong to see
    assert_gradients_match(f, np.array([1.0, 2.0]), np.array([3.0, 4.0]), constant=(0,))


def test_numerical_gradient_of_a_known_function():
    x = np.array([1.0, -2.0, 3.0])
    y = np.array(0.5)
    dx, dy = numerical_gradient(lambda a, b: a**2 * b, x, y)
    np.testing.assert_allclose(dx, 2 * x * y, rtol=1e-6)
    np.testing.assert_allclose(dy, np.sum(x**2), rtol=1e-6)
    assert dx.shape == x.shape and dy.shape == y.shape


def test_numerical_gradient_with_an_upstream_gradient_and_wrt():
    x = np.array([1.0, 2.0])
    weights = np.array([10.0, -1.0])
    (dx,) = numerical_gradient(np.exp, x, grad=weights, wrt=[0])
    np.testing.assert_allclose(dx, weights * np.exp(x), rtol=1e-6)
    (dy,) = numerical_gradient(lambda a, b: a * b, x, np.array([3.0, 4.0]), wrt=[1])
    np.testing.assert_allclose(dy, x, rtol=1e-6)
