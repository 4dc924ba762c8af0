"""Shape and layout ops, indexing, ``astype`` and the creation functions.

Forward results equal NumPy's; gradients equal central differences on hypothesis-drawn float64 tensors of any
small shape (0-d and size-0 included where NumPy accepts them), under a random upstream gradient. Every op is
reached through each of its spellings: ``mg.f(x)``, ``x.f()`` and ``np.f(x)`` (NumPy dispatching to mygrad).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_grad_reductions import VALUES, VIAS, assert_forward, caller, check_op, draw_grad

import mygrad as mg
from mygrad import Tensor
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import array_shapes

COVERED_PRIMITIVES = {
    "Reshape",
    "Ravel",
    "Flatten",
    "Squeeze",
    "ExpandDims",
    "Transpose",
    "MoveAxis",
    "SwapAxes",
    "BroadcastTo",
    "GetItem",
    "AsType",
}

SHAPES = array_shapes(max_dims=3, max_side=3)  # up to 27 elements; 0-d and size-0 included


def draw_x(data: st.DataObject, shapes: st.SearchStrategy = SHAPES) -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, shapes, elements=VALUES), label="x")


def check_layout_op(data: st.DataObject, call, x: np.ndarray, expected) -> None:
    """``call(tensor)`` gives NumPy's ``expected`` and the gradient of central differences. The call is made on
    ``mg.astensor(x)``, so that ``x.method(...)`` and ``np.f(x)`` reach mygrad during the numerical pass too."""
    expected = np.asarray(expected)
    check_op(lambda t: call(mg.astensor(t)), x, expected, grad=draw_grad(data, expected.shape))


# ------------------------------------------------------------------------------------ reshape, ravel
def draw_new_shape(data: st.DataObject, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape with as many elements: the sides shuffled, neighbours merged, ones inserted, maybe one -1."""
    sides = list(data.draw(st.permutations(shape), label="sides"))
    while len(sides) > 1 and data.draw(st.booleans(), label="merge"):
        i = data.draw(st.integers(0, len(sides) - 2))
        sides[i : i + 2] = [sides[i] * sides[i + 1]]
    for _ in range(data.draw(st.integers(0, 2), label="ones")):
        sides.insert(data.draw(st.integers(0, len(sides))), 1)
    if sides and math.prod(shape) and data.draw(st.booleans(), label="infer"):
        sides[data.draw(st.integers(0, len(sides) - 1))] = -1  # a size-0 shape cannot infer a side
    return tuple(sides)


RESHAPES = {
    "mg.reshape(x, s)": lambda x, s: mg.reshape(x, s),
    "mg.reshape(x, shape=s)": lambda x, s: mg.reshape(x, shape=s),
    "np.reshape(x, s)": lambda x, s: np.reshape(x, s),
    "np.reshape(x, shape=s)": lambda x, s: np.reshape(x, shape=s),
    "x.reshape(*s)": lambda x, s: x.reshape(*s),
    "x.reshape(s)": lambda x, s: x.reshape(s),
}


@pytest.mark.parametrize("spelling", RESHAPES)
@given(data=st.data())
def test_reshape(spelling, data):
    x = draw_x(data)
    new_shape = draw_new_shape(data, x.shape)
    check_layout_op(data, lambda t: RESHAPES[spelling](t, new_shape), x, x.reshape(new_shape))


@pytest.mark.parametrize("spelling", [s for s in RESHAPES if s != "x.reshape(*s)"])
def test_reshape_to_an_int(spelling):
    x = np.arange(6.0).reshape(2, 3)
    check_op(lambda t: RESHAPES[spelling](t, 6), x, x.reshape(6))
    check_op(lambda t: RESHAPES[spelling](t, -1), x, x.reshape(-1))


def test_reshape_unpacked_and_tuple_spellings_agree():
    x = mg.arange(6.0)
    assert_forward(x.reshape(2, 3), np.arange(6.0).reshape(2, 3))
    assert_forward(x.reshape((2, 3)), np.arange(6.0).reshape(2, 3))
    assert_forward(x.reshape(-1, 2), np.arange(6.0).reshape(-1, 2))


@pytest.mark.parametrize("via", VIAS)
@given(data=st.data())
def test_ravel(via, data):
    x = draw_x(data)
    check_layout_op(data, caller("ravel", via), x, np.ravel(x))


@given(data=st.data())
def test_flatten(data):
    x = draw_x(data)
    check_layout_op(data, lambda t: t.flatten(), x, x.flatten())


def test_flatten_copies():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert not np.shares_memory(x.flatten().data, x.data)


# ---------------------------------------------------------------------------------- transposes
TRANSPOSE_WITH_AXES = {
    "mg.transpose(x, *axes)": lambda x, a: mg.transpose(x, *a),
    "mg.transpose(x, axes)": lambda x, a: mg.transpose(x, a),
    "np.transpose(x, axes)": lambda x, a: np.transpose(x, a),
    "np.transpose(x, axes=axes)": lambda x, a: np.transpose(x, axes=a),
    "x.transpose(*axes)": lambda x, a: x.transpose(*a),
    "x.transpose(axes)": lambda x, a: x.transpose(a),
}
TRANSPOSE_REVERSED = {
    "mg.transpose(x)": lambda x: mg.transpose(x),
    "np.transpose(x)": lambda x: np.transpose(x),
    "x.transpose()": lambda x: x.transpose(),
    "x.T": lambda x: x.T,
}


def draw_permutation(data: st.DataObject, ndim: int) -> tuple[int, ...]:
    """A permutation of the axes, each written positive or negative."""
    axes = data.draw(st.permutations(range(ndim)), label="axes")
    return tuple(data.draw(st.sampled_from([a, a - ndim])) for a in axes)


@pytest.mark.parametrize("spelling", TRANSPOSE_WITH_AXES)
@given(data=st.data())
def test_transpose_with_axes(spelling, data):
    x = draw_x(data, array_shapes(max_dims=4, max_side=2))
    axes = draw_permutation(data, x.ndim)
    check_layout_op(data, lambda t: TRANSPOSE_WITH_AXES[spelling](t, axes), x, np.transpose(x, axes))


@pytest.mark.parametrize("spelling", TRANSPOSE_REVERSED)
@given(data=st.data())
def test_transpose_reverses_the_axes(spelling, data):
    x = draw_x(data, array_shapes(max_dims=4, max_side=2))
    check_layout_op(data, TRANSPOSE_REVERSED[spelling], x, x.T)


@pytest.mark.parametrize("axes", [(0, -1), (-2, 1), (-2, -1), (-1, 0)])
def test_transpose_with_negative_axes_by_hand(axes):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = np.array([[10.0, 20.0], [30.0, 40.0]])  # not symmetric: a transposed gradient shows
    t = mg.tensor(x)
    mg.transpose(t, axes).backward(grad)
    np.testing.assert_array_equal(t.grad, np.transpose(grad, np.argsort(np.mod(axes, 2))))


def draw_axes_pair(data: st.DataObject, ndim: int):
    """``source, destination`` for moveaxis: equally long tuples of distinct axes, or two ints."""
    source = data.draw(hnp.valid_tuple_axes(ndim), label="source")
    size = len(source)
    destination = data.draw(hnp.valid_tuple_axes(ndim, min_size=size, max_size=size), label="destination")
    if size == 1 and data.draw(st.booleans(), label="as ints"):
        return source[0], destination[0]
    return source, destination


@pytest.mark.parametrize("via", VIAS)
@given(data=st.data())
def test_moveaxis(via, data):
    x = draw_x(data)
    source, destination = draw_axes_pair(data, x.ndim)
    call = caller("moveaxis", via)
    check_layout_op(data, lambda t: call(t, source, destination), x, np.moveaxis(x, source, destination))


@pytest.mark.parametrize("via", VIAS)
@given(data=st.data())
def test_swapaxes(via, data):
    x = draw_x(data, array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis1, axis2 = data.draw(st.tuples(*[st.integers(-x.ndim, x.ndim - 1)] * 2), label="axes")
    call = caller("swapaxes", via)
    check_layout_op(data, lambda t: call(t, axis1, axis2), x, np.swapaxes(x, axis1, axis2))


# ------------------------------------------------------------------ squeeze, expand_dims, broadcast_to
SHAPES_WITH_ONES = st.lists(st.sampled_from([1, 1, 0, 2, 3]), max_size=4).map(tuple)


def draw_squeeze_axis(data: st.DataObject, shape: tuple[int, ...]):
    """None, or some of the length-one axes as an int or a tuple (positive or negative)."""
    ones = [i for i, n in enumerate(shape) if n == 1]
    chosen = data.draw(st.lists(st.sampled_from(ones), unique=True) if ones else st.just([]), label="ones")
    chosen = [data.draw(st.sampled_from([i, i - len(shape)])) for i in chosen]
    options = [None, tuple(chosen)] + ([chosen[0]] if len(chosen) == 1 else [])
    return data.draw(st.sampled_from(options), label="axis")


@pytest.mark.parametrize("via", VIAS)
@given(data=st.data())
def test_squeeze(via, data):
    x = draw_x(data, SHAPES_WITH_ONES)
    axis = draw_squeeze_axis(data, x.shape)
    call = caller("squeeze", via)
    check_layout_op(data, lambda t: call(t, axis=axis), x, np.squeeze(x, axis=axis))


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("axis", [0, (0, 1), -2])
def test_squeeze_of_a_longer_axis_raises_value_error_like_numpy(via, axis):
    x = np.ones((2, 1))
    with pytest.raises(ValueError):
        np.squeeze(x, axis=axis)
    with pytest.raises(ValueError):
        caller("squeeze", via)(mg.tensor(x), axis=axis)


@pytest.mark.parametrize("via", ["function", "numpy"])
@given(data=st.data())
def test_expand_dims(via, data):
    x = draw_x(data)
    new = data.draw(st.integers(1, 2), label="new axes")
    axis = data.draw(hnp.valid_tuple_axes(x.ndim + new, min_size=new, max_size=new), label="axis")
    if new == 1 and data.draw(st.booleans(), label="as int"):
        axis = axis[0]
    call = caller("expand_dims", via)
    check_layout_op(data, lambda t: call(t, axis), x, np.expand_dims(x, axis))


def draw_broadcast_target(data: st.DataObject, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape ``shape`` broadcasts to: maybe a leading axis, and its length-one sides stretched."""
    leading = data.draw(st.lists(st.integers(0, 2), max_size=1), label="leading")
    sides = [data.draw(st.integers(0, 3), label="side") if n == 1 else n for n in shape]
    return (*leading, *sides)


@pytest.mark.parametrize("via", ["function", "numpy"])
@given(data=st.data())
def test_broadcast_to(via, data):
    x = draw_x(data, SHAPES_WITH_ONES.filter(lambda s: math.prod(s) <= 27))
    target = draw_broadcast_target(data, x.shape)
    call = caller("broadcast_to", via)
    check_layout_op(data, lambda t: call(t, target), x, np.broadcast_to(x, target))


# ------------------------------------------------------------------------------------------ indexing
def numpy_index(index):
    """The index with its Tensors replaced by their data, for NumPy."""
    if isinstance(index, tuple):
        return tuple(numpy_index(i) for i in index)
    return index.data if isinstance(index, Tensor) else index


def check_getitem(data: st.DataObject | None, x: np.ndarray, index) -> None:
    expected = x[numpy_index(index)]
    grad = None if data is None else draw_grad(data, np.shape(expected))
    check_op(lambda t: mg.astensor(t)[index], x, expected, grad=grad)


@given(data=st.data())
def test_getitem_basic_indices(data):
    x = draw_x(data)
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True), label="index")
    check_getitem(data, x, index)


@given(data=st.data())
def test_getitem_integer_array_indices(data):
    x = draw_x(data, array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    result_shape = array_shapes(max_dims=2, max_side=4)  # duplicates are frequent: they must accumulate
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=result_shape), label="index")
    if data.draw(st.booleans(), label="as tensors"):
        index = tuple(mg.tensor(i) for i in index)
    check_getitem(data, x, index)


@given(data=st.data())
def test_getitem_boolean_masks(data):
    x = draw_x(data, array_shapes(min_dims=1, max_dims=3, max_side=3))
    leading = data.draw(st.integers(1, x.ndim), label="mask ndim")
    mask = data.draw(hnp.arrays(bool, x.shape[:leading]), label="mask")
    check_getitem(data, x, mask)


GETITEM_CASES = {
    # id: (shape, index)
    "int": ((3, 4), 1),
    "negative int": ((3, 4), -1),
    "ints": ((2, 3, 4), (1, -2, 0)),
    "slices with steps": ((4, 5), (slice(None, None, -2), slice(1, None, 2))),
    "ellipsis": ((2, 3, 4), (Ellipsis, 1)),
    "newaxis": ((2, 3), (None, 0, None)),
    "0-d": ((), ()),
    "0-d ellipsis": ((), Ellipsis),
    "list": ((3, 4), [2, 0]),
    "duplicated list": ((3, 4), [0, 2, 0, 0]),
    "nested list": ((3, 4), [[0, 1], [1, 1]]),
    "int arrays": ((3, 4), (np.array([0, 2, 2]), np.array([3, 3, 1]))),
    "broadcast int arrays": ((2, 3, 4), ([[0], [1]], [[0, 1, 2]])),
    "mixed: arrays apart": ((2, 3, 4), ([0, 1], slice(None), [1, 0])),
    "mixed: slice then duplicates": ((3, 4), (slice(1, None), [0, 0])),
    "mixed: int, ellipsis, list": ((2, 3, 4), (1, Ellipsis, [0, 2])),
    "mixed: array and newaxis": ((3, 4), (np.array([0, 2]), None, slice(None))),
    "full mask": ((3, 4), np.array([[True, False, True, False]] * 3)),
    "row mask": ((3, 4), np.array([True, False, True])),
    "mask and slice": ((3, 4), (np.array([False, True, True]), slice(None, 2))),
    "python True": ((2, 3), True),
    "tensor of ints": ((3, 4), mg.tensor([2, 0])),
    "tensors of ints": ((3, 4), (mg.tensor([0, 1]), mg.tensor([3, 3]))),
    "0-d tensor": ((3, 4), mg.tensor(1)),
    "tensor mask": ((3, 4), mg.tensor([True, False, True])),
    "empty list": ((3, 4), []),
    "empty int array": ((3,), np.array([], dtype=int)),
    "empty slice": ((3, 4), slice(2, 1)),
    "all-false mask": ((3, 4), np.zeros((3, 4), dtype=bool)),
    "python False": ((2, 3), False),
    "size-0 input": ((0, 3), (slice(None), 1)),
}


@pytest.mark.parametrize("shape, index", GETITEM_CASES.values(), ids=GETITEM_CASES.keys())
def test_getitem_cases(shape, index):
    x = np.arange(1.0, math.prod(shape) + 1).reshape(shape)
    check_getitem(None, x, index)


def test_getitem_duplicates_accumulate_by_hand():
    x = mg.tensor([1.0, 2.0, 3.0])
    x[[0, 2, 0, 0]].backward(np.array([1.0, 10.0, 100.0, 1000.0]))
    np.testing.assert_array_equal(x.grad, [1101.0, 0.0, 10.0])


def test_getitem_gradients_accumulate_across_uses():
    def f(t):
        t = mg.astensor(t)
        return (t[0] * t[1:, [0, 0]].sum()).sum() + t[..., 1] + t[[1, 1], 1:]  # shape (2, 2)

    assert_gradients_match(f, np.arange(1.0, 7.0).reshape(2, 3))


OUT_OF_RANGE = {
    "int": ((3,), 3),
    "negative int": ((3,), -4),
    "second axis": ((2, 3), (slice(None), 5)),
    "list": ((3,), [0, 7]),
    "int array": ((2, 3), (np.array([0, 1]), np.array([1, 3]))),
    "too many indices": ((3,), (0, 0)),
    "mask of wrong length": ((3,), np.array([True, False])),
}


@pytest.mark.parametrize("shape, index", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_out_of_range_index_raises_index_error_like_numpy(shape, index):
    x = np.ones(shape)
    with pytest.raises(IndexError):
        x[index]
    with pytest.raises(IndexError):
        mg.tensor(x)[index]


@given(data=st.data())
def test_iteration_yields_differentiable_rows(data):
    x = draw_x(data, array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    rows = list(mg.tensor(x))
    assert len(rows) == len(x)
    for row, expected in zip(rows, x):
        assert_forward(row, expected)
    check_layout_op(data, lambda t: sum(t), x, x.sum(axis=0))  # Python's sum: 0 + t[0] + t[1] + ...


def test_iterating_a_0d_tensor_raises_type_error():
    with pytest.raises(TypeError):
        iter(mg.tensor(1.0))
    with pytest.raises(TypeError):
        list(mg.tensor(1.0))


# -------------------------------------------------------------------------------------------- astype
@given(data=st.data())
def test_astype_between_floats_is_differentiable(data):
    x = draw_x(data)
    check_layout_op(data, lambda t: t.astype(np.float64), x, x.astype(np.float64))
    check_layout_op(data, lambda t: t.astype(np.longdouble).astype(np.float64), x, x)


def test_astype_to_float32_and_back_passes_the_gradient_through():
    x = mg.tensor([1.5, -2.25, 3.0])
    y = x.astype(np.float32)
    assert y.dtype == np.float32 and y.creator is not None
    z = y.astype(np.float64)
    assert z.dtype == np.float64
    grad = np.array([2.0, -1.0, 0.5])
    z.backward(grad)
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, grad)


@pytest.mark.parametrize("dtype", [int, np.int32, bool])
def test_astype_to_non_float_is_a_constant_without_creator(dtype):
    x = mg.tensor([1.5, -2.25, 0.0])
    y = x.astype(dtype)
    assert y.constant and y.creator is None
    assert y.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(y.data, x.data.astype(dtype))


def test_astype_copy_false_same_dtype_returns_the_tensor():
    x = mg.tensor([1.0, 2.0])
    assert x.astype(np.float64, copy=False) is x
    assert x.astype(np.float64) is not x
    assert x.astype(np.float32, copy=False) is not x


# ------------------------------------------------------------------------------------ tensor creation
CREATIONS = {
    # id: call on a module (mygrad or numpy) whose results must agree in values and dtype
    "full int": lambda m: m.full((2, 3), 7),
    "full float": lambda m: m.full(2, 7.5),
    "full bool": lambda m: m.full((1, 2), True),
    "full dtype": lambda m: m.full((2,), 3, dtype=np.float32),
    "eye": lambda m: m.eye(3),
    "eye M k": lambda m: m.eye(3, 4, k=1),
    "eye int": lambda m: m.eye(2, dtype=int),
    "identity": lambda m: m.identity(3),
    "arange stop": lambda m: m.arange(5),
    "arange start stop step": lambda m: m.arange(1, 10, 3),
    "arange floats": lambda m: m.arange(0.0, 1.0, 0.25),
    "arange dtype": lambda m: m.arange(4, dtype=np.float32),
    "linspace": lambda m: m.linspace(0, 1, 5),
    "linspace no endpoint": lambda m: m.linspace(-1.0, 1.0, 4, endpoint=False),
    "linspace arrays": lambda m: m.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=1),
    "logspace": lambda m: m.logspace(0, 2, 3),
    "logspace base": lambda m: m.logspace(0, 3, 4, base=2),
    "geomspace": lambda m: m.geomspace(1, 1000, 4),
    "geomspace dtype": lambda m: m.geomspace(1, 16, 5, dtype=np.float32),
}
LIKE_CREATIONS = {  # their constant flag follows the *_like rule (tested below), not the dtype
    "zeros_like": lambda m: m.zeros_like(np.ones((2, 3), dtype=np.int32)),
    "ones_like shape": lambda m: m.ones_like(np.ones(2), shape=(3, 1)),
    "empty_like dtype": lambda m: m.empty_like(np.ones(2), dtype=np.float32),
    "full_like": lambda m: m.full_like(np.ones((2, 2)), 4, dtype=np.float32),
}


@pytest.mark.parametrize("create", CREATIONS.values(), ids=CREATIONS.keys())
def test_creation_matches_numpy(create):
    out = create(mg)
    assert out.creator is None
    assert out.constant == (out.dtype.kind != "f")  # differentiable exactly when floating
    assert_forward(out, create(np))


@pytest.mark.parametrize("name", LIKE_CREATIONS)
def test_like_creation_matches_numpy(name):
    out, expected = LIKE_CREATIONS[name](mg), LIKE_CREATIONS[name](np)
    assert out.creator is None
    assert isinstance(out, Tensor) and (out.shape, out.dtype) == (expected.shape, expected.dtype)
    if not name.startswith("empty"):
        np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("shape", [3, (2, 3), ()])
def test_zeros_ones_empty_default_to_float32(name, shape):
    out = getattr(mg, name)(shape)
    expected = getattr(np, name)(shape, dtype=np.float32)
    assert isinstance(out, Tensor)
    assert (out.shape, out.dtype, out.constant) == (expected.shape, np.float32, False)
    if name != "empty":
        np.testing.assert_array_equal(out.data, expected)
    assert getattr(mg, name)(shape, dtype=int).dtype == np.dtype(int)


def test_arange_of_ints_is_int64():
    assert mg.arange(3).dtype == np.int64
    assert mg.arange(3).constant


LIKES = {
    "zeros_like": lambda other, **kw: mg.zeros_like(other, **kw),
    "ones_like": lambda other, **kw: mg.ones_like(other, **kw),
    "empty_like": lambda other, **kw: mg.empty_like(other, **kw),
    "full_like": lambda other, **kw: mg.full_like(other, 5.0, **kw),
}
LIKE_OTHERS = {
    # id: (other, whether the result is a constant by default)
    "non-constant tensor": (lambda: mg.tensor([1.0, 2.0]), False),
    "constant float tensor": (lambda: mg.tensor([1.0, 2.0], constant=True), True),
    "int tensor": (lambda: mg.tensor([1, 2]), True),
    "float array": (lambda: np.ones(2), True),
    "list": (lambda: [1.0, 2.0], True),
}


@pytest.mark.parametrize("make_other, constant", LIKE_OTHERS.values(), ids=LIKE_OTHERS.keys())
@pytest.mark.parametrize("like", LIKES.values(), ids=LIKES.keys())
def test_like_results_are_constant_unless_other_is_a_non_constant_tensor(like, make_other, constant):
    other = make_other()
    out = like(other)
    assert isinstance(out, Tensor)
    assert out.shape == np.shape(other) and out.dtype == np.asarray(other).dtype
    assert out.constant is constant
    assert out.creator is None


@pytest.mark.parametrize("like", LIKES.values(), ids=LIKES.keys())
def test_like_constant_argument_overrides_the_rule(like):
    assert like(np.ones(2), constant=False).constant is False
    assert like(mg.tensor([1.0, 2.0]), constant=True).constant is True


def test_full_like_takes_constant_positionally():
    assert mg.full_like(np.ones(2), 3.0, None, None, False).constant is False


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
def test_numpy_like_functions_dispatch_to_mygrad(name):
    x = mg.tensor([[1.0, 2.0]])
    out = getattr(np, name)(x)
    assert isinstance(out, Tensor)
    assert out.shape == x.shape and out.dtype == x.dtype and not out.constant


def test_tensor_copies_a_tensor():
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor(x)
    assert y is not x and y.creator is None
    assert not np.shares_memory(y.data, x.data)
    np.testing.assert_array_equal(y.data, x.data)


def test_tensor_copy_false_and_astensor_return_the_tensor():
    x = mg.tensor([1.0, 2.0])
    assert mg.tensor(x, copy=False) is x
    assert mg.astensor(x) is x
    assert mg.astensor(x, dtype=np.float32) is not x


def test_astensor_of_an_array_does_not_copy():
    a = np.array([1.0, 2.0])
    t = mg.astensor(a)
    assert isinstance(t, Tensor)
    assert np.shares_memory(t.data, a)


def test_asarray():
    x = mg.tensor([1.0, 2.0])
    assert mg.asarray(x) is x.data
    out = mg.asarray([[1, 2]])
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, [[1, 2]])
