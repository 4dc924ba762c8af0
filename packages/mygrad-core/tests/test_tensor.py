"""The Tensor itself: construction, the constant flag, properties, Python protocols, copies and pickling.

Contract: API.md 1.14, 2.1, 2.3 (null_grad / null_gradients), 2.9-2.13, with the differences of section 5
(NEP 50 weak scalars, NumPy truthiness, pickling of any tensor).
"""

from __future__ import annotations

import copy
import operator
import pickle

import numpy as np
import pytest

import mygrad as mg


# ------------------------------------------------------------------------------------------------ helpers
def outcome(func, *args):
    """What calling ``func(*args)`` does: ``("ok", value)`` or ``(exception type, message)``."""
    try:
        return ("ok", func(*args))
    except Exception as e:  # comparing behaviours, whatever they are
        return (type(e), str(e))


def tensor_with_grad(data, **kwargs) -> mg.Tensor:
    """A leaf tensor whose ``.grad`` was set by a backward pass (ones times 2)."""
    t = mg.tensor(data, **kwargs)
    (t * 2).backward()
    return t


def in_graph() -> tuple[mg.Tensor, mg.Tensor]:
    """A leaf and a result computed from it, the graph between them still live."""
    x = mg.tensor([1.0, 2.0, 3.0])
    return x, x * 2


# ------------------------------------------------------------------------------------------- construction
@pytest.mark.parametrize("make", [mg.tensor, mg.Tensor], ids=["mg.tensor", "mg.Tensor"])
@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        (3.0, np.float64),
        ([1.0, 2.0], np.float64),
        ([[1, 2], [3, 4]], np.int64),
        ([True, False], np.bool_),
        (np.arange(6, dtype=np.float32).reshape(2, 3), np.float32),
        (np.float16(1.5), np.float16),
    ],
)
def test_construction_infers_data_like_numpy(make, data, dtype):
    t = make(data)
    assert isinstance(t, mg.Tensor)
    assert type(t.data) is np.ndarray
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.data, np.array(data))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.int32, np.bool_])
def test_dtype_argument(dtype):
    assert mg.tensor([0, 1], dtype=dtype).dtype == dtype
    assert mg.Tensor([0, 1], dtype=dtype).dtype == dtype


def test_tensor_class_takes_dtype_by_keyword_only():
    with pytest.raises(TypeError):
        mg.Tensor([1.0], np.float32)


def test_copy_true_copies_an_array_copy_false_does_not():
    a = np.array([1.0, 2.0])
    assert not np.shares_memory(mg.tensor(a).data, a)
    assert not np.shares_memory(mg.Tensor(a).data, a)
    assert np.shares_memory(mg.tensor(a, copy=False).data, a)
    assert np.shares_memory(mg.Tensor(a, copy=False).data, a)


def test_copy_false_returns_a_matching_tensor_itself():
    x = mg.tensor([1.0, 2.0])
    assert mg.tensor(x, copy=False) is x
    assert mg.astensor(x) is x
    assert mg.tensor(x) is not x
    assert not np.shares_memory(mg.tensor(x).data, x.data)
    # a different dtype or constant flag needs a new tensor
    assert mg.tensor(x, dtype=np.float32, copy=False).dtype == np.float32
    assert mg.tensor(x, constant=True, copy=False).constant is True
    assert x.constant is False and x.dtype == np.float64


@pytest.mark.parametrize("ndmin", [-1, 0, 1, 2, 3])
@pytest.mark.parametrize("shape", [(), (2,), (2, 3)])
def test_tensor_with_ndmin_and_copy_false_is_a_view_where_numpys_array_is(shape, ndmin):
    # np.array(a, ndmin=n, copy=False) views `a` with axes added in front; mg.tensor views a tensor likewise,
    # differentiably (as MyGrad 2)
    x = mg.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape))
    expected = np.array(x.data, ndmin=ndmin, copy=False)
    for make in (
        lambda: mg.tensor(x, ndmin=ndmin, copy=False),
        lambda: mg.tensor(x, x.dtype, ndmin=ndmin, copy=False),
    ):
        t = make()
        assert t.shape == expected.shape
        assert (t is x) is (expected is x.data)
        assert (t.base is x) is (expected.base is x.data)
        assert np.shares_memory(t.data, x.data)
        weights = np.arange(t.size, dtype=float).reshape(t.shape)
        (t * weights).sum().backward()
        np.testing.assert_array_equal(x.grad, weights.reshape(shape))
    # a new dtype or constant flag: a new tensor, as np.array makes a new array for a new dtype
    assert mg.tensor(x, np.float32, ndmin=ndmin, copy=False).base is None
    assert mg.tensor(x, constant=True, ndmin=ndmin, copy=False).base is None


def test_a_tensor_made_from_a_tensor_takes_its_data_not_its_graph():
    x, y = in_graph()
    z = mg.tensor(y)
    assert z.creator is None
    np.testing.assert_array_equal(z.data, y.data)
    assert y.creator is not None  # the source is untouched


@pytest.mark.parametrize("ndmin", [0, 1, 2, 4])
def test_ndmin(ndmin):
    t = mg.tensor(5.0, ndmin=ndmin)
    assert t.ndim == ndmin
    assert t.shape == np.array(5.0, ndmin=ndmin).shape
    assert mg.Tensor([1.0, 2.0], ndmin=3).shape == (1, 1, 2)


def test_from_a_list_of_tensors():
    a, b = mg.tensor(1.0), mg.tensor(2.0)
    t = mg.tensor([a, b])
    assert t.shape == (2,)
    np.testing.assert_array_equal(t.data, [1.0, 2.0])
    assert t.creator is None and t.constant is False
    nested = mg.tensor([[a, 3.0], [b, mg.tensor(4.0)]])
    np.testing.assert_array_equal(nested.data, [[1.0, 3.0], [2.0, 4.0]])
    rows = mg.tensor([mg.tensor([1, 2]), mg.tensor([3, 4])])
    assert rows.dtype == np.int64 and rows.shape == (2, 2)


# --------------------------------------------------------------------------------------- constant rules
@pytest.mark.parametrize(
    ("data", "constant", "expected"),
    [
        (1.0, None, False),
        ([1.0], None, False),
        (np.float16(1), None, False),
        (np.float32([1]), None, False),
        (1, None, True),
        ([1, 2], None, True),
        (np.uint8([1]), None, True),
        (True, None, True),
        (1.0, True, True),
        (1.0, False, False),
        (1, True, True),
        (1.0, np.bool_(True), True),
    ],
)
def test_constant_inference(data, constant, expected):
    assert mg.tensor(data, constant=constant).constant is expected
    assert mg.Tensor(data, constant=constant).constant is expected


@pytest.mark.parametrize("data", [1, [1, 2], np.int8(3), True, [False]])
def test_integer_and_bool_tensors_cannot_be_made_differentiable(data):
    with pytest.raises(ValueError, match="Integer-valued tensors must be treated as constants"):
        mg.tensor(data, constant=False)


@pytest.mark.parametrize("constant", [1, 0, "yes", 1.0, [True]])
def test_a_non_bool_constant_flag_is_a_type_error(constant):
    with pytest.raises(TypeError):
        mg.tensor(1.0, constant=constant)


UNTRACKABLE = [1j, [1 + 2j], "text", np.array([1, None], dtype=object)]


@pytest.mark.parametrize("data", UNTRACKABLE, ids=["complex", "complex-list", "str", "object"])
def test_complex_str_and_object_data_are_refused_while_tracking(data):
    with pytest.raises(TypeError, match="floating type, integer type, or boolean type"):
        mg.tensor(data)


@pytest.mark.parametrize("data", UNTRACKABLE, ids=["complex", "complex-list", "str", "object"])
def test_complex_str_and_object_data_are_allowed_under_no_autodiff(data):
    with mg.no_autodiff:
        t = mg.tensor(data)
    assert t.dtype == np.asarray(data).dtype
    assert t.constant is True


def test_complex_arithmetic_under_no_autodiff():
    with mg.no_autodiff:
        z = mg.tensor([1 + 1j]) * 2
    np.testing.assert_array_equal(z.data, [2 + 2j])


# -------------------------------------------------------------------------------- constant-ness of results
def f64(constant=None):
    return mg.tensor([1.0, 2.0], constant=constant)


OP_CONSTANTS = [
    pytest.param(lambda: f64() + f64(), False, id="variable+variable"),
    pytest.param(lambda: f64() * f64(True), False, id="variable*constant"),
    pytest.param(lambda: f64(True) * f64(), False, id="constant*variable"),
    pytest.param(lambda: f64(True) + f64(True), True, id="constant+constant"),
    pytest.param(lambda: mg.tensor([1, 2]) + mg.tensor([3, 4]), True, id="int+int"),
    pytest.param(lambda: mg.tensor([1, 2]) / mg.tensor([3, 4]), True, id="int/int-gives-constant-float"),
    pytest.param(lambda: f64(True) * mg.tensor(2), True, id="constant-float*int"),
    pytest.param(lambda: f64() + np.array([1.0, 2.0]), False, id="variable+ndarray"),
    pytest.param(lambda: np.array([1.0, 2.0]) * f64(), False, id="ndarray*variable"),
    pytest.param(lambda: f64(True) + np.array([1.0, 2.0]), True, id="constant+ndarray"),
    pytest.param(lambda: mg.add(np.array([1.0, 2.0]), 2.0), True, id="ndarray+scalar"),
    pytest.param(lambda: mg.multiply([1.0, 2.0], [3.0, 4.0]), True, id="list*list"),
    pytest.param(lambda: f64() * 2.0, False, id="variable*scalar"),
    pytest.param(lambda: mg.add(f64(), f64(), constant=True), True, id="forced-constant"),
    pytest.param(lambda: mg.add(f64(True), f64(True), constant=False), False, id="forced-variable"),
    pytest.param(lambda: mg.sum(f64(), constant=True), True, id="forced-constant-reduction"),
]


@pytest.mark.parametrize(("make", "expected"), OP_CONSTANTS)
def test_a_result_is_constant_iff_all_its_inputs_are(make, expected):
    assert make().constant is expected


def test_a_forced_constant_result_passes_no_gradient():
    x = f64()
    y = mg.multiply(x, 3.0, constant=True)
    y.backward()
    assert x.grad is None
    assert y.grad is None


def test_a_forced_variable_result_is_differentiable():
    y = mg.multiply(f64(True), 3.0, constant=False)
    y.backward()
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])


def test_forcing_an_integer_result_to_be_differentiable_raises():
    with pytest.raises(ValueError, match="Integer-valued"):
        mg.add(mg.tensor([1, 2]), mg.tensor([3, 4]), constant=False)


def test_ndarray_operands_are_constants_wrapped_without_a_copy():
    x = f64()
    a = np.array([3.0, 4.0])
    y = x * a
    wrapped = y.creator.variables[1]
    assert isinstance(wrapped, mg.Tensor)
    assert wrapped.constant is True
    assert np.shares_memory(wrapped.data, a)
    y.backward()
    np.testing.assert_array_equal(x.grad, a)


def test_constant_ness_is_not_propagated_under_no_autodiff():
    with mg.no_autodiff:
        y = f64(True) + f64(True)
        z = mg.tensor([1, 2]) + mg.tensor([3, 4])
    assert y.constant is False  # only the dtype rule applies
    assert z.constant is True


# ------------------------------------------------------------------ Python scalars are weak (NEP 50)
@pytest.mark.parametrize(
    "dtype", [np.float16, np.float32, np.float64, np.int8, np.uint8, np.int16, np.int32, np.int64]
)
@pytest.mark.parametrize("scalar", [2, 2.0, True], ids=["int", "float", "bool"])
@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("reflected", [False, True], ids=["tensor-op-scalar", "scalar-op-tensor"])
def test_python_scalars_promote_as_in_numpy(dtype, scalar, op, reflected):
    t = mg.tensor([1, 2], dtype=dtype)

    def apply(operand):
        return op(scalar, operand) if reflected else op(operand, scalar)

    with np.errstate(all="ignore"):
        got = outcome(lambda: apply(t).dtype)
        want = outcome(lambda: apply(t.data).dtype)
    assert got[0] == want[0]
    if want[0] == "ok":
        assert got[1] == want[1]


@pytest.mark.parametrize(
    ("dtype", "scalar"),
    [(np.float32, 2.0), (np.float16, 2), (np.float16, 2.0), (np.int8, 2), (np.uint8, 3), (np.float32, True)],
)
def test_python_scalars_are_weak(dtype, scalar):
    t = mg.tensor([1, 2], dtype=dtype)
    assert (t * scalar).dtype == dtype
    assert (scalar + t).dtype == dtype
    assert mg.multiply(t, scalar).dtype == dtype


@pytest.mark.parametrize("scalar", [np.float64(2.0), np.float32(2.0), np.float16(2.0), np.int64(2)])
def test_numpy_scalars_promote_as_in_numpy(scalar):
    t = mg.tensor([1.0, 2.0], dtype=np.float32)
    assert (t * scalar).dtype == (t.data * scalar).dtype


def test_a_float32_result_of_a_weak_scalar_backprops_float32():
    w = mg.tensor([1.0, 2.0], dtype=np.float32)
    loss = (w * 2.0 + 1.0) ** 2
    assert loss.dtype == np.float32
    loss.backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_allclose(w.grad, 4 * (2 * w.data + 1))


# ---------------------------------------------------------------------------------------------- properties
def test_array_properties():
    t = mg.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert t.shape == (2, 3, 4)
    assert t.size == 24
    assert t.ndim == 3
    assert t.dtype == np.float64
    assert type(t.data) is np.ndarray


def test_graph_properties_of_a_leaf_and_a_result():
    x = mg.tensor([1.0, 2.0])
    assert x.grad is None
    assert x.creator is None
    assert x.base is None
    assert x.constant is False
    y = x * 3
    assert y.creator is not None
    assert y.creator.variables[0] is x  # the op keeps its inputs
    assert y.base is None
    assert mg.reshape(2.0, (1,)).base is None


# the methods that run an operation, with arguments; MyGrad 2 ran them on any array-like when called on the class
OP_METHODS = {
    "flatten": (), "ravel": (), "reshape": ((-1,),), "squeeze": (), "transpose": (), "swapaxes": (0, -1),
    "moveaxis": (0, -1), "sum": (), "mean": (), "max": (), "min": (), "prod": (), "std": (), "var": (),
    "cumsum": (), "cumprod": (), "clip": (0, 1),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OP_METHODS))
@pytest.mark.parametrize(
    "array_like",
    [2.0, 3, True, np.float32(2.0), np.array(2.0), [[1.0, 2.0]], np.arange(4).reshape(2, 2)],
    ids=repr,
)
def test_unbound_tensor_methods_take_array_likes(name, array_like):
    args = OP_METHODS[name]
    if name in ("swapaxes", "moveaxis") and np.ndim(array_like) == 0:
        return  # (no axes to move)
    out = getattr(mg.Tensor, name)(array_like, *args)
    expected = getattr(mg.Tensor, name)(mg.tensor(array_like, constant=True), *args)  # (an operand: constant)
    assert isinstance(out, mg.Tensor)
    assert out.dtype == expected.dtype and out.constant is expected.constant
    np.testing.assert_array_equal(out.data, expected.data)


def test_T_reverses_the_axes_and_is_differentiable():
    x = mg.tensor(np.arange(6.0).reshape(2, 3))
    y = x.T
    assert isinstance(y, mg.Tensor)
    np.testing.assert_array_equal(y.data, x.data.T)
    (y * np.arange(6.0).reshape(3, 2)).backward()
    np.testing.assert_array_equal(x.grad, np.arange(6.0).reshape(3, 2).T)


# ------------------------------------------------------------------------------------------ Python scalars
@pytest.mark.parametrize("convert", [float, int, complex, operator.methodcaller("item")])
@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (1, 1, 1)])
@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int8, np.int64, np.bool_])
def test_scalar_conversions_take_any_tensor_of_one_element(convert, shape, dtype):
    # as MyGrad 2 (API.md 2.12): float()/int() take any size-1 tensor, where NumPy 2 takes 0-d arrays only
    array = np.full(shape, 3, dtype=dtype)
    value = convert(mg.tensor(array))
    expected = convert(array.reshape(()))
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("convert", [float, int, complex, mg.Tensor.item])
@pytest.mark.parametrize("shape", [(2,), (0,), (1, 2), (0, 1)])
def test_scalar_conversions_refuse_other_sizes(convert, shape):
    error = ValueError if convert is mg.Tensor.item else TypeError  # (NumPy's types)
    with pytest.raises(error, match="size 1" if error is TypeError else None):
        convert(mg.tensor(np.ones(shape)))


def test_an_integer_tensor_is_an_index():
    assert [1, 2, 3][mg.tensor(1)] == 2
    assert "abcd"[mg.tensor(np.int8(3))] == "d"
    assert operator.index(mg.tensor(7)) == 7


@pytest.mark.parametrize("data", [1.0, [1]], ids=["float", "1-d"])
def test_only_integer_0d_tensors_are_indices(data):
    with pytest.raises(TypeError):
        [1, 2, 3][mg.tensor(data)]


# --------------------------------------------------------------------------- truthiness follows NumPy
@pytest.mark.parametrize(
    "data", [0.0, 2.0, [0.0], [1.0], [[0]], [[3]], True, False, [0.0, 0.0], [1.0, 2.0], []]
)
def test_bool_follows_numpy(data):
    got = outcome(bool, mg.tensor(data))
    want = outcome(bool, np.array(data))
    assert got == want


def test_bool_of_several_elements_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(mg.tensor([0.0, 0.0]))


# ------------------------------------------------------------------------------ len, iteration, membership
def test_len():
    assert len(mg.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])) == 3
    assert len(mg.tensor([])) == 0
    with pytest.raises(TypeError):
        len(mg.tensor(1.0))


def test_iteration_yields_differentiable_tensors():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    rows = list(x)
    assert len(rows) == 2
    assert all(isinstance(r, mg.Tensor) for r in rows)
    np.testing.assert_array_equal(rows[1].data, [3.0, 4.0])
    (rows[0] * 2 + rows[1] * 3).backward()
    np.testing.assert_array_equal(x.grad, [[2.0, 2.0], [3.0, 3.0]])


def test_iterating_a_0d_tensor_raises():
    with pytest.raises(TypeError, match="0-d"):
        iter(mg.tensor(1.0))


def test_contains():
    t = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert 2.0 in t
    assert 5.0 not in t
    assert mg.tensor(4.0) in t


# ------------------------------------------------------------------------------------------- repr and str
@pytest.mark.parametrize(
    ("tensor", "text"),
    [
        (mg.tensor(9.0), "Tensor(9.)"),
        (mg.tensor(3), "Tensor(3)"),
        (mg.tensor([1, 2]), "Tensor([1, 2])"),
        (mg.tensor([1.0, 2.0], dtype="float32"), "Tensor([1., 2.], dtype=float32)"),
        (mg.tensor([True, False]), "Tensor([ True, False])"),
        (mg.tensor([[1.0, 2.0], [3.0, 4.0]]), "Tensor([[1., 2.],\n        [3., 4.]])"),
    ],
)
def test_repr_and_str(tensor, text):
    assert repr(tensor) == text
    assert str(tensor) == text


@pytest.mark.parametrize(
    "array",
    [
        np.arange(24.0).reshape(2, 3, 4),
        np.arange(2000.0),
        np.ones((3, 2), dtype=np.float16),
        np.zeros((0, 2)),
    ],
    ids=["3-d", "summarised", "float16", "empty"],
)
def test_repr_is_numpys_with_tensor_for_array_and_rows_indented(array):
    expected = repr(array).replace("array", "Tensor").replace("\n", "\n ")
    assert repr(mg.tensor(array)) == expected
    assert str(mg.tensor(array)) == expected


def test_summarised_repr_shows_the_shape():
    assert "shape=(2000,)" in repr(mg.arange(2000.0))


# --------------------------------------------------------------------------------------------- comparisons
COMPARISONS = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]


@pytest.mark.parametrize("op", COMPARISONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "other",
    [mg.tensor([2.0, 2.0, 2.0]), np.array([3.0, 1.0, 2.0]), 2.0, [1.0, 2.0, 3.0]],
    ids=["tensor", "ndarray", "scalar", "list"],
)
def test_comparisons_give_boolean_ndarrays(op, other):
    x = mg.tensor([1.0, 2.0, 3.0])
    result = op(x, other)
    assert type(result) is np.ndarray
    assert result.dtype == np.bool_
    np.testing.assert_array_equal(result, op(x.data, np.asarray(other)))


@pytest.mark.parametrize("op", COMPARISONS, ids=lambda f: f.__name__)
def test_reflected_comparisons_give_boolean_ndarrays(op):
    x = mg.tensor([1.0, 2.0, 3.0])
    for other in (2.0, np.array([3.0, 1.0, 2.0])):
        result = op(other, x)
        assert type(result) is np.ndarray
        np.testing.assert_array_equal(result, op(np.asarray(other), x.data))


def test_comparisons_do_not_enter_or_clear_the_graph():
    x = tensor_with_grad([1.0, 2.0])
    _ = x == x, x < 2.0
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_tensors_are_unhashable():
    x = mg.tensor(1.0)
    with pytest.raises(TypeError):
        hash(x)
    with pytest.raises(TypeError):
        {x}  # noqa: B018


# ------------------------------------------------------------------------------- copies and pickling
def pickled(t):
    return pickle.loads(pickle.dumps(t))


COPIERS = [
    pytest.param(lambda t: t.copy(), id="Tensor.copy"),
    pytest.param(copy.copy, id="copy.copy"),
    pytest.param(copy.deepcopy, id="copy.deepcopy"),
    pytest.param(pickled, id="pickle"),
]

ORIGINALS = [
    pytest.param(lambda: tensor_with_grad([[1.0, 2.0], [3.0, 4.0]]), id="float-with-grad"),
    pytest.param(lambda: tensor_with_grad(np.float32([1.5])), id="float32-with-grad"),
    pytest.param(lambda: mg.tensor([1.0, 2.0]), id="float-without-grad"),
    pytest.param(lambda: mg.tensor([1.0, 2.0], constant=True), id="constant-float"),
    pytest.param(lambda: mg.tensor([1, 2, 3]), id="int"),
    pytest.param(lambda: mg.tensor(True), id="bool-0d"),
]


def assert_same_tensor_without_graph(new, original):
    assert isinstance(new, mg.Tensor)
    assert new is not original
    assert new.dtype == original.dtype
    np.testing.assert_array_equal(new.data, original.data)
    assert not np.shares_memory(new.data, original.data)
    assert new.constant is original.constant
    assert new.creator is None
    assert new.base is None
    if original.grad is None:
        assert new.grad is None
    else:
        assert type(new.grad) is np.ndarray
        assert new.grad.dtype == original.grad.dtype
        np.testing.assert_array_equal(new.grad, original.grad)
        assert not np.shares_memory(new.grad, original.grad)


@pytest.mark.parametrize("copier", COPIERS)
@pytest.mark.parametrize("make", ORIGINALS)
def test_copies_keep_data_grad_and_constant(copier, make):
    original = make()
    assert_same_tensor_without_graph(copier(original), original)


@pytest.mark.parametrize("copier", COPIERS)
@pytest.mark.parametrize("which", ["input", "output"])
def test_copying_a_tensor_in_a_live_graph(copier, which):
    x, y = in_graph()
    original = x if which == "input" else y
    new = copier(original)
    if copier is copy.deepcopy and which == "output":  # a deep copy copies the graph (API.md 2.13)
        assert type(new.creator) is type(y.creator) and new.creator is not y.creator
        new = new.copy()  # its data, grad and flag, checked below
    assert_same_tensor_without_graph(new, original)
    # the original graph is untouched
    assert y.creator is not None
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_copy_can_set_the_constant_flag():
    x = tensor_with_grad([1.0, 2.0])
    assert x.copy(constant=True).constant is True
    assert x.copy().constant is False


def test_a_copy_is_independent_of_its_original():
    x = tensor_with_grad([1.0, 2.0])
    y = x.copy()
    y.data[0] = 10.0
    y.grad[0] = 10.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_an_unpickled_tensor_is_a_working_leaf():
    x = pickled(tensor_with_grad([1.0, 2.0]))
    (x * x).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


# ---------------------------------------------------------------------------------------------------- astype
def test_astype_to_another_float_stays_differentiable():
    x = mg.tensor([1.5, 2.5])
    y = x.astype(np.float32)
    assert y.dtype == np.float32 and y.constant is False
    (y * 2).backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_astype_to_int_is_a_constant_outside_the_graph():
    x = mg.tensor([1.5, -2.5])
    y = x.astype(np.int32)
    assert y.dtype == np.int32
    assert y.constant is True and y.creator is None
    np.testing.assert_array_equal(y.data, [1, -2])


def test_astype_to_float_from_int_gives_a_new_leaf():
    y = mg.tensor([1, 2]).astype(np.float64)
    assert y.constant is False and y.creator is None
    assert mg.tensor([1, 2]).astype(np.float64, constant=True).constant is True


def test_astype_copy_false_returns_self_when_nothing_changes():
    x = mg.tensor([1.0, 2.0])
    assert x.astype(np.float64, copy=False) is x
    assert x.astype(np.float64) is not x
    assert x.astype(np.float32, copy=False) is not x


def test_astype_refuses_a_differentiable_int():
    with pytest.raises(ValueError, match="Integer-valued"):
        mg.tensor([1.0]).astype(int, constant=False)


# ----------------------------------------------------------------------------- null_grad, null_gradients
def test_null_grad_clears_the_gradient_and_returns_the_tensor():
    x = tensor_with_grad([1.0, 2.0])
    assert x.grad is not None
    assert x.null_grad() is x
    assert x.grad is None


def test_null_gradients_is_a_deprecated_no_op():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with pytest.warns(FutureWarning):
        y.null_gradients()
    assert y.creator is not None  # the graph is still there
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    with pytest.warns(FutureWarning):
        x.null_gradients(clear_graph=False)
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
