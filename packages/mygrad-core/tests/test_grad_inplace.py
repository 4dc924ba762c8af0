"""In-place operations: item assignment, assignment through views, augmented assignment, ``out=`` and ``fill``.

Each function under test copies its input (``y = x * 1``) and mutates the copy, so that the leaf ``x`` keeps its
value and its gradient is defined. The same function runs on Tensors (recorded and backpropagated) and on NumPy
arrays (the forward reference, and the central differences of ``assert_gradients_match``), so NumPy's in-place
semantics are the specification: an assignment overwrites, duplicate advanced indices keep the value written
last, a view writes into its base, and ``where=`` keeps the old values.
"""

from __future__ import annotations

import operator
import re
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._ops.registry import PRIMITIVES
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import array_shapes, finite_floats

# Every Primitive whose gradient this file checks numerically (read by test_registry.py).
COVERED_PRIMITIVES = {"SetItem", "UnView"}

VALUES = finite_floats(-5, 5)
UPSTREAM = finite_floats(-2, 2)
POSITIVE = finite_floats(0.5, 2)  # for **= (a positive base) and /= (a divisor away from 0)


def test_covered_primitives_exist():
    assert set(PRIMITIVES) >= COVERED_PRIMITIVES


# ------------------------------------------------------------------------------------------------ helpers
def check(f: Callable, *arrays: np.ndarray, grad=None) -> mg.Tensor:
    """``f`` on tensors gives what it gives on NumPy arrays, and its gradients match central differences."""
    expected = np.asarray(f(*(a.copy() for a in arrays)))
    out = assert_gradients_match(f, *arrays, grad=grad)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)
    return out


def check_with_random_grad(f: Callable, *arrays: np.ndarray, seed: int = 0) -> mg.Tensor:
    shape = np.shape(f(*(a.copy() for a in arrays)))
    return check(f, *arrays, grad=np.random.default_rng(seed).uniform(-2, 2, shape))


def random_arrays(*shapes: tuple[int, ...], seed: int = 0, low: float = -5, high: float = 5) -> list:
    rng = np.random.default_rng(seed)
    return [rng.uniform(low, high, shape) for shape in shapes]


def draw_array(data: st.DataObject, shape, label: str, elements=VALUES) -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, shape, elements=elements), label=label)


def one_way_broadcastable(shape: tuple[int, ...]) -> st.SearchStrategy:
    """Shapes that broadcast to ``shape`` (never the other way): trailing sides, each kept or made 1."""
    return st.integers(0, len(shape)).flatmap(
        lambda n: st.tuples(*(st.sampled_from((1, side)) for side in shape[len(shape) - n :]))
    )


def copy_of(x):
    """``x * 1``: a new node of the graph for a tensor, an array for an array (NumPy gives a 0-d one a scalar)."""
    y = x * 1
    return y if isinstance(y, mg.Tensor) else np.asarray(y)


def assign_at(index) -> Callable:
    """``x -> y = x * 1; y[index] = v``."""

    def f(x, v):
        y = copy_of(x)
        y[index] = v
        return y

    return f


def selection_shape(shape: tuple[int, ...], index) -> tuple[int, ...]:
    return np.empty(shape)[index].shape


def check_assignment(data: st.DataObject, x: np.ndarray, index) -> None:
    """``y[index] = v`` for a ``v`` broadcast into the selection, under a random upstream gradient."""
    v_shape = data.draw(one_way_broadcastable(selection_shape(x.shape, index)), label="v shape")
    v = draw_array(data, v_shape, "v")
    check(assign_at(index), x, v, grad=draw_array(data, x.shape, "upstream", UPSTREAM))


# ---------------------------------------------------------------------------------- item assignment
@given(data=st.data())
def test_assignment_at_basic_indices(data):
    x = draw_array(data, array_shapes(max_dims=3, max_side=4), "x")
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True), label="index")
    check_assignment(data, x, index)


@given(data=st.data())
def test_assignment_at_integer_array_indices(data):
    # small sides make repeated positions common: the value written last wins
    x = draw_array(data, array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3), "x")
    index = data.draw(
        hnp.integer_array_indices(x.shape, result_shape=array_shapes(min_dims=1, max_dims=2, max_side=4)),
        label="index",
    )
    check_assignment(data, x, index)


@given(data=st.data())
def test_assignment_at_a_boolean_mask(data):
    x = draw_array(data, array_shapes(min_dims=1, max_dims=3, max_side=4), "x")
    mask_dims = data.draw(st.integers(1, x.ndim), label="mask dims")
    mask = data.draw(hnp.arrays(bool, x.shape[:mask_dims]), label="mask")
    check_assignment(data, x, mask)


@given(data=st.data())
def test_assignment_at_an_integer_array_beside_slices(data):
    x = draw_array(data, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=3), "x")
    axis = data.draw(st.integers(0, x.ndim - 1), label="axis")
    positions = data.draw(hnp.arrays(np.intp, st.integers(1, 4), elements=st.integers(0, x.shape[axis] - 1)))
    index = (slice(None),) * axis + (positions,)
    check_assignment(data, x, index)


MIXED_INDICES = [  # (shape of x, index)
    ((3, 4), np.s_[1:, [0, 2]]),
    ((3, 4), np.s_[[2, 0], ::-2]),
    ((3, 4, 2), np.s_[[0, 2], :, [1, 1]]),  # advanced indices split by a slice: their axis goes first
    ((3, 4, 2), np.s_[..., [1, 0]]),
    ((3, 4, 2), np.s_[None, 1, [0, 3], :]),
    ((3, 4), np.s_[np.array([True, False, True]), 1:3]),
    ((3, 4), np.s_[1, np.array([True, False, False, True])]),
    ((3, 4, 2), np.s_[[[0], [2]], [1, 3, 1]]),  # broadcast index arrays, repeats
    ((4,), [[1, 3], [3, 0]]),  # a 2-d index into a 1-d tensor
    ((3, 4), np.s_[[-1, 0, -3], [0, 0, 0]]),  # negative positions naming the same element
]


@pytest.mark.parametrize(("shape", "index"), MIXED_INDICES, ids=repr)
@pytest.mark.parametrize("broadcast_value", [False, True], ids=["full value", "broadcast value"])
def test_assignment_at_mixed_indices(shape, index, broadcast_value):
    target = selection_shape(shape, index)
    v_shape = target[-1:] if broadcast_value else target
    check_with_random_grad(assign_at(index), *random_arrays(shape, v_shape))


def test_a_number_written_at_an_index_cuts_the_gradient_there():
    def f(x):
        y = x * 1
        y[:, 1] = 3.0
        return y * x

    x = random_arrays((3, 2))[0]
    check(f, x)
    xt = mg.tensor(x)
    f(xt).backward()
    np.testing.assert_array_equal(xt.grad[:, 1], 3.0)  # only the factor `* x` is left there


def test_duplicate_indices_send_the_gradient_to_the_value_written_last():
    x, v = random_arrays((4,), (3,))
    g = np.array([1.0, 2.0, 3.0, 4.0])
    xt, vt = mg.tensor(x), mg.tensor(v)
    y = xt * 1
    y[[0, 2, 0]] = vt  # y[0] ends up as v[2]: v[0] is overwritten
    np.testing.assert_array_equal(y.data, [v[2], x[1], v[1], x[3]])
    y.backward(g)
    np.testing.assert_array_equal(vt.grad, [0.0, 3.0, 1.0])
    np.testing.assert_array_equal(xt.grad, [0.0, 2.0, 0.0, 4.0])
    check(assign_at([0, 2, 0]), x, v, grad=g)


def test_duplicate_rows_written_with_a_broadcast_value():
    x, v = random_arrays((3, 2), (2,))
    g = np.arange(6.0).reshape(3, 2)
    xt, vt = mg.tensor(x), mg.tensor(v)
    y = xt * 1
    y[[1, 1]] = vt  # both writes are v itself: v's gradient is the gradient at row 1, once
    y.backward(g)
    np.testing.assert_array_equal(vt.grad, g[1])
    check(assign_at([1, 1]), x, v, grad=g)


def test_an_assigned_value_that_depends_on_the_tensor_itself():
    def f(x):
        y = x * 1
        y[1:] = y[:-1] * 2  # the right side is read before the write (NumPy evaluates it first)
        y[0] = y[-1] ** 2
        return y

    check_with_random_grad(f, *random_arrays((5,)))


def test_several_assignments_in_a_row_with_reads_in_between():
    def f(x, v):
        y = x * 1
        first = y.sum()  # sees the original values
        y[0] = v[0]
        second = (y * y).sum()  # sees one write
        y[[1, 2]] = v[1:]
        return first + second + (y**3).sum()

    check_with_random_grad(f, *random_arrays((4,), (3,), low=-2, high=2))


SETITEM_VALUES = ["a", "1.5", b"2", 1j, None, object(), np.datetime64("2020-01-01"), ["a", "b"], [1j]]


@pytest.mark.parametrize("value", SETITEM_VALUES, ids=lambda v: "object()" if type(v) is object else repr(v))
@pytest.mark.parametrize("index", [0, slice(None)], ids=["item", "all"])
@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=["float64", "int64"])
def test_assigning_a_value_numpy_cannot_convert_raises_numpys_error(dtype, index, value):
    # `(x * 1)[0] = "a"` raises NumPy's ValueError (could not convert string to float), not a TypeError about
    # the value's dtype; a value NumPy converts ("1.5", None) is written as NumPy writes it
    expected = np.array([1, 2], dtype=dtype)
    x = mg.tensor(expected, constant=dtype is np.int64)
    y = x * 1
    try:
        expected[index] = value
    except Exception as exc:
        with pytest.raises(type(exc)):
            y[index] = value
        np.testing.assert_array_equal(y.data, [1, 2])  # left as it was
        return
    y[index] = value
    np.testing.assert_array_equal(y.data, expected)
    assert y.dtype == expected.dtype


# ------------------------------------------------------------------------------ assignment through views
def write_through(make_view: Callable, index=Ellipsis) -> Callable:
    """``x -> y = x * 1; make_view(y)[index] = v``: NumPy writes into ``y``."""

    def f(x, v):
        y = x * 1
        make_view(y)[index] = v
        return y

    return f


VIEW_WRITES = {  # name -> (shape of x, the function, shape of v)
    "y[:, 1][idx]": ((3, 3), write_through(lambda y: y[:, 1], [0, 2, 0]), (3,)),
    "y[:, 1][mask]": ((3, 3), write_through(lambda y: y[:, 1], np.array([True, False, True])), (2,)),
    "y.T[0]": ((3, 2), write_through(lambda y: y.T, 0), (3,)),
    "y.T[0] broadcast": ((3, 2), write_through(lambda y: y.T, 0), (1,)),
    "y.reshape(2, 6)[:, ::2]": ((3, 4), write_through(lambda y: y.reshape(2, 6), np.s_[:, ::2]), (2, 3)),
    "y.reshape(-1)[::3]": ((3, 4), write_through(lambda y: y.reshape(-1), np.s_[::3]), (4,)),
    "y[1:][:, ::2]": ((3, 4), write_through(lambda y: y[1:][:, ::2]), (2, 2)),
    "y[::-1].T[1:, [0, 0]]": ((3, 4), write_through(lambda y: y[::-1].T, np.s_[1:, [0, 0]]), (3, 2)),
    "moveaxis(y, 0, -1)[..., 1]": (
        (3, 2, 2),
        write_through(lambda y: np.moveaxis(y, 0, -1), np.s_[..., 1]),
        (2, 2),
    ),
    "swapaxes(y, 0, 1)[0]": ((3, 2), write_through(lambda y: np.swapaxes(y, 0, 1), 0), (3,)),
    "expand_dims(y, 0)[0, 1]": ((3, 2), write_through(lambda y: np.expand_dims(y, 0), np.s_[0, 1]), (2,)),
    "y[:, None][1]": ((3, 4), write_through(lambda y: y[:, None], 1), (1, 4)),
    "squeeze(y)[2]": ((1, 4, 1), write_through(np.squeeze, 2), ()),
    "ravel(y)[1::2]": ((2, 3), write_through(np.ravel, np.s_[1::2]), (3,)),
    "transpose(y, (1, 2, 0))[1, :, 0]": (
        (2, 3, 2),
        write_through(lambda y: y.transpose(1, 2, 0), np.s_[1, :, 0]),
        (2,),
    ),
    "y[...] (a view of everything)": ((2, 3), write_through(lambda y: y[...]), (3,)),
}


@pytest.mark.parametrize("case", sorted(VIEW_WRITES))
def test_assignment_through_a_view(case):
    shape, f, v_shape = VIEW_WRITES[case]
    check_with_random_grad(f, *random_arrays(shape, v_shape))


def test_a_live_view_sees_a_write_into_its_base():
    def f(x, v):
        y = x * 1
        column = y[:, 0]
        y[1] = v  # also changes column[1]
        return column * 2

    check_with_random_grad(f, *random_arrays((3, 2), (2,)))


def test_a_write_through_one_view_is_seen_by_an_overlapping_view():
    def f(x, v):
        y = x * 1
        row, column = y[0], y[:, 0]
        row[...] = v
        return column * row[-1]

    check_with_random_grad(f, *random_arrays((3, 3), (3,)))


def test_results_computed_before_a_write_differentiate_the_values_they_saw():
    def f(x, v):
        y = x * 1
        row = y[0]
        before = row * row  # the old row
        y[0] = v  # row is now v
        after = row * 3
        return before + after + y[1]

    out = check_with_random_grad(f, *random_arrays((2, 3), (3,)))
    assert out.shape == (3,)


def test_the_view_and_the_base_are_the_same_objects_after_a_write_through_the_view():
    y = mg.tensor(np.arange(6.0)).reshape(2, 3) * 1
    view = y[:, 1]
    view_data_before, y_data_before = view.data, y.data
    view[0] = mg.tensor(-1.0)
    assert view.base is y
    assert y.data is not y_data_before  # tracked writes give new arrays: graphs keep the old values
    np.testing.assert_array_equal(view_data_before, [1.0, 4.0])
    np.testing.assert_array_equal(y.data, [[0.0, -1.0, 2.0], [3.0, 4.0, 5.0]])
    assert np.shares_memory(view.data, y.data)


# --------------------------------------------------------------------------------- augmented assignment
AUGMENTED = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "**=": operator.ipow,
}


@pytest.mark.parametrize("symbol", [*sorted(AUGMENTED), "@="])
@pytest.mark.parametrize("other", [1.5, np.array([[1.5, 2.0], [0.5, 1.0]])], ids=["float", "float array"])
def test_an_augmented_assignment_numpy_cannot_cast_back_raises_numpys_error(symbol, other):
    op = AUGMENTED.get(symbol, operator.imatmul)
    if symbol == "@=" and np.ndim(other) == 0:
        return  # (matmul takes no scalar)
    array = np.array([[1, 2], [3, 4]])
    with pytest.raises(Exception) as numpys:
        op(array.copy(), other)
    x = mg.tensor(array)
    with pytest.raises(type(numpys.value), match=re.escape(str(numpys.value))):
        op(x, other)
    with pytest.raises(type(numpys.value)):
        op(x, mg.tensor(other))
    assert x.dtype == array.dtype and (x.data == array).all()


def augment_whole(op: Callable) -> Callable:
    def f(x, v):
        y = x * 1
        result = op(y, v)
        assert result is y  # in place: the same object
        return y

    return f


def augment_view(op: Callable) -> Callable:
    def f(x, v):
        y = x * 1
        rows = y[1:]
        op(rows, v)
        return y * rows.sum()  # the base sees the update; the view is read afterwards

    return f


def augment_item(op: Callable) -> Callable:
    def f(x, v):
        y = x * 1
        y[::2] = op(y[::2], v)  # exactly what Python runs for `y[::2] op= v`
        return y

    return f


@pytest.mark.parametrize("form", [augment_whole, augment_view, augment_item], ids=lambda f: f.__name__)
@pytest.mark.parametrize("symbol", sorted(AUGMENTED))
@given(data=st.data())
def test_augmented_assignment(symbol, form, data):
    v_shape = data.draw(one_way_broadcastable((3,)), label="v shape")
    x = draw_array(data, (3, 3), "x", POSITIVE)
    v = draw_array(data, v_shape, "v", POSITIVE)
    f = form(AUGMENTED[symbol])
    check(f, x, v, grad=draw_array(data, np.shape(f(x.copy(), v.copy())), "upstream", UPSTREAM))


def test_augmented_assignment_syntax_on_an_item():
    def f(x, v):
        y = x * 1
        y[0] += v
        y[1:, 0] *= v[:2]
        y[-1, [1, 1]] -= v[0]
        y.T[1] /= 2 + v**2
        return y

    check_with_random_grad(f, *random_arrays((3, 3), (3,)))


@pytest.mark.parametrize(
    ("make_target", "shape"),
    [(lambda y: y, (3, 3)), (lambda y: y[1:, 1:], (2, 2)), (lambda y: y.T, (3, 3))],
    ids=["tensor", "block view", "transposed view"],
)
def test_matmul_assignment(make_target, shape):
    def f(x, w):
        y = x * 1
        target = make_target(y)
        target @= w
        return y

    check_with_random_grad(f, *random_arrays((3, 3), shape))


def test_augmented_assignment_keeps_the_tensor_and_its_views():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 1
    head = y[:2]
    y_before = y
    y *= 2
    assert y is y_before
    assert head.base is y
    np.testing.assert_array_equal(head.data, [2.0, 4.0])
    ((head * head).sum() + y.sum()).backward()  # 4 (x0^2 + x1^2) + 2 (x0 + x1 + x2)
    np.testing.assert_array_equal(x.grad, [10.0, 18.0, 2.0])


# ------------------------------------------------------------------------------------------- ufunc out=
BINARY_UFUNCS = [np.add, np.subtract, np.multiply, np.divide, np.maximum, mg.add, mg.multiply]
UNARY_UFUNCS = [np.exp, np.sin, np.square, np.negative, mg.tanh]


def ufunc_id(u) -> str:
    return f"{'mg' if isinstance(u, type) else 'np'}.{u.__name__}"


def out_targets() -> dict[str, Callable]:
    return {
        "out=y": lambda y: y,
        "out=y[1:]": lambda y: y[1:],
        "out=y.T": lambda y: y.T,
    }


@pytest.mark.parametrize("target", sorted(out_targets()))
@pytest.mark.parametrize("ufunc", BINARY_UFUNCS, ids=ufunc_id)
def test_binary_ufunc_writing_into_a_tensor_it_reads(ufunc, target):
    make_target = out_targets()[target]

    def f(x, v):
        y = x * 1
        out = make_target(y)
        ufunc(out, v, out=out)
        return y

    x, v = random_arrays((3, 3), (3,), low=0.5, high=2)  # v is a divisor; maximum does not tie
    check_with_random_grad(f, x, v)


@pytest.mark.parametrize("ufunc", BINARY_UFUNCS, ids=ufunc_id)
def test_ufunc_out_returns_the_tensor_it_was_given(ufunc):
    y = mg.tensor([1.0, 2.0]) * 1
    data_before = y.data
    assert ufunc(y, 3.0, out=y) is y
    assert ufunc(y, 3.0, out=(y,)) is y  # NumPy's tuple form
    assert y.data is not data_before


@pytest.mark.parametrize("ufunc", UNARY_UFUNCS, ids=ufunc_id)
def test_unary_ufunc_writing_into_another_tensor(ufunc):
    def f(x, v):
        y = x * 1
        ufunc(v, out=y[0])  # y's row 0 no longer depends on x
        return y * x

    check_with_random_grad(f, *random_arrays((2, 3), (3,), low=-2, high=2))


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, mg.multiply], ids=ufunc_id)
def test_ufunc_out_with_where_keeps_the_old_values(ufunc):
    mask = np.array([[True, False, True], [False, False, True]])

    def f(x, v):
        y = x * 1
        ufunc(y, v, out=y, where=mask)
        return y

    check_with_random_grad(f, *random_arrays((2, 3), (3,)))


def test_ufunc_out_with_where_through_a_view():
    def f(x, v):
        y = x * 1
        np.exp(v, out=y.T[1:], where=np.array([True, False]))
        return y

    check_with_random_grad(f, *random_arrays((2, 3), (2, 2), low=-2, high=2))


def test_ufunc_out_with_where_emits_no_warning_when_numpy_would_not():
    # NumPy warns about uninitialized memory only for `where=` without `out=`
    x, y = mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.add(np.array([1.0, 2.0]), 1.0, out=np.zeros(2), where=[True, False])  # NumPy: silent
        np.add(x, 1.0, out=y, where=np.array([True, False]))
    np.testing.assert_array_equal(y.data, [2.0, 4.0])


def test_clip_out_writes_into_the_tensor_in_place():
    def f(x):
        y = mg.multiply(x, 1)  # a Tensor even when the checker passes arrays
        target = y[1:]
        result = mg.clip(x[:3] * 2, -1, 1, out=target)
        assert result is target
        return y * x

    x = np.array([-2.0, 0.3, 0.2, 3.0])
    out = assert_gradients_match(f, x)
    np.testing.assert_allclose(out.data, np.array([-2.0, -1.0, 0.6, 0.4]) * x)


def test_clip_out_an_ndarray_takes_the_values_as_numpys():
    target = np.full(3, 7.0)
    result = mg.clip(mg.tensor([-2.0, 0.5, 3.0]), -1, 1, out=target)
    np.testing.assert_array_equal(target, [-1.0, 0.5, 1.0])
    np.testing.assert_array_equal(result.data, [-1.0, 0.5, 1.0])


# ------------------------------------------------------------------------------------------------ fill
def test_fill_with_a_differentiable_scalar():
    def f(x, v):
        y = x * 1
        y.fill(v)
        return y * x

    check_with_random_grad(f, *random_arrays((2, 3), ()))


def test_fill_a_view_with_a_number():
    def f(x):
        y = x * 1
        y[1:].fill(2.5)
        y.T[0].fill(-1.0)
        return y * x

    out = check_with_random_grad(f, *random_arrays((3, 2)))
    assert out.shape == (3, 2)
