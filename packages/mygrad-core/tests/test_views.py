"""Views: which operations give them, what ``base`` is, and how a view's gradient relates to its base's.

A view's ``base`` is the root tensor whose memory it shares (never another view), exactly when NumPy's result
is a view of the input's memory. View ops leave the input's gradient alone; other ops clear it. After a backward
pass a view's ``grad`` is the matching view of its base's gradient, whether or not the view took part in the loss.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad import Tensor
from mygrad.errors import InvalidBackprop
from mygrad.operation_base import Operation


def mygrad_or_numpy(a):
    """``mygrad`` for a Tensor, ``numpy`` for an array: to spell an op as ``mg.f`` in the tables below."""
    return mg if isinstance(a, Tensor) else np


class Case(NamedTuple):
    """An op applied to a root tensor (or array: each op runs on Tensors and NumPy arrays alike)."""

    shape: tuple[int, ...]
    op: Callable
    order: str = "C"  # the root's memory layout


VIEW_OPS = {
    "t[1:, ::2]": Case((3, 4), lambda a: a[1:, ::2]),
    "t[0]": Case((3, 4), lambda a: a[0]),
    "t[-1, 1:3]": Case((3, 4), lambda a: a[-1, 1:3]),
    "t[..., 1]": Case((2, 3, 4), lambda a: a[..., 1]),
    "t[...]": Case((2, 3), lambda a: a[...]),
    "t[None]": Case((2, 3), lambda a: a[None]),
    "t[:, None, ::-1]": Case((2, 3), lambda a: a[:, None, ::-1]),
    "t.T": Case((2, 3, 4), lambda a: a.T),
    "t.reshape(4, 6)": Case((2, 3, 4), lambda a: a.reshape(4, 6)),
    "np.reshape(t, -1)": Case((2, 3), lambda a: np.reshape(a, -1)),
    "mg.reshape(t, (3, 2))": Case((2, 3), lambda a: mygrad_or_numpy(a).reshape(a, (3, 2))),
    "t.transpose(2, 0, 1)": Case((2, 3, 4), lambda a: a.transpose(2, 0, 1)),
    "np.transpose(t)": Case((2, 3), np.transpose),
    "np.swapaxes(t, 0, 2)": Case((2, 3, 4), lambda a: np.swapaxes(a, 0, 2)),
    "t.swapaxes(0, 1)": Case((2, 3), lambda a: a.swapaxes(0, 1)),
    "np.moveaxis(t, 0, -1)": Case((2, 3, 4), lambda a: np.moveaxis(a, 0, -1)),
    "np.ravel(t)": Case((2, 3), np.ravel),
    "t.ravel()": Case((2, 3), lambda a: a.ravel()),
    "np.squeeze(t)": Case((1, 3, 1), np.squeeze),
    "t.squeeze(0)": Case((1, 3), lambda a: a.squeeze(0)),
    "np.expand_dims(t, 1)": Case((2, 3), lambda a: np.expand_dims(a, 1)),
    "np.broadcast_to(t, (2, 3))": Case((3,), lambda a: np.broadcast_to(a, (2, 3))),
    "np.atleast_1d(0-d t)": Case((), np.atleast_1d),
    "np.atleast_2d(t)": Case((3,), np.atleast_2d),
    "np.atleast_3d(t)": Case((2, 3), np.atleast_3d),
    "np.einsum('ii->i', t)": Case((3, 3), lambda a: np.einsum("ii->i", a)),
    "np.einsum('ij->ji', t)": Case((2, 3), lambda a: np.einsum("ij->ji", a)),
}

# the same, for results that own their memory
NON_VIEW_OPS = {
    "t[[0, 1]]": Case((3, 4), lambda a: a[[0, 1]]),
    "t[[0, 0], 1:]": Case((3, 4), lambda a: a[[0, 0], 1:]),
    "t[mask]": Case((3, 4), lambda a: a[np.arange(12).reshape(3, 4) % 3 == 0]),
    "t[0, 0] (0-d)": Case((3, 4), lambda a: a[0, 0]),
    "t[1, 2, 3] (0-d)": Case((2, 3, 4), lambda a: a[1, 2, 3]),
    "t.flatten()": Case((2, 3), lambda a: a.flatten()),
    "+t": Case((2, 3), lambda a: +a),
    "np.roll(t, 1)": Case((2, 3), lambda a: np.roll(a, 1)),
    "t * 1": Case((2, 3), lambda a: a * 1),
    "t + 0": Case((2, 3), lambda a: a + 0),
    "np.exp(t)": Case((2, 3), np.exp),
    "t.sum(axis=0)": Case((2, 3), lambda a: a.sum(axis=0)),
    "np.einsum('ij->i', t)": Case((2, 3), lambda a: np.einsum("ij->i", a)),
    "t.reshape(-1) (F-ordered t: needs a copy)": Case((3, 2), lambda a: a.reshape(-1), "F"),
    "np.ravel(t) (F-ordered t: needs a copy)": Case((3, 2), np.ravel, "F"),
}


def root_of(shape: tuple[int, ...], seed: int = 0, order: str = "C") -> Tensor:
    return mg.tensor(np.asarray(np.random.default_rng(seed).uniform(-5, 5, shape), order=order))


def root_and_array(case: Case) -> tuple[Tensor, np.ndarray]:
    """A root tensor for ``case`` and a NumPy copy of it, of the same layout."""
    t = root_of(case.shape, order=case.order)
    return t, t.data.copy(order="K")


def is_view_of(view: Tensor, root: Tensor) -> bool:
    return view.base is root and np.shares_memory(view.data, root.data)


# ------------------------------------------------------------------------------------------ which are views
@pytest.mark.parametrize("name", VIEW_OPS)
def test_view_ops_give_views_of_the_root(name):
    t, array = root_and_array(VIEW_OPS[name])
    op = VIEW_OPS[name].op
    assert np.shares_memory(op(array), array)  # the table is right about NumPy
    view = op(t)
    assert isinstance(view, Tensor)
    assert is_view_of(view, t)
    np.testing.assert_array_equal(view.data, op(array))
    assert t.base is None


@pytest.mark.parametrize("name", NON_VIEW_OPS)
def test_other_ops_give_tensors_that_own_their_memory(name):
    t, array = root_and_array(NON_VIEW_OPS[name])
    op = NON_VIEW_OPS[name].op
    assert not np.shares_memory(op(array), array)  # the table is right about NumPy
    result = op(t)
    assert result.base is None
    assert not np.shares_memory(result.data, t.data)
    np.testing.assert_array_equal(result.data, op(array))


VIEW_CHAINS = {
    "t[1:][0]": lambda a: a[1:][0],
    "t.T[::2].reshape(2, 1, 3, 2)": lambda a: a.T[::2].reshape(2, 1, 3, 2),
    "t[None][0, :, 1:].T": lambda a: a[None][0, :, 1:].T,
    "np.moveaxis(t, 0, 1)[..., ::-1][1]": lambda a: np.moveaxis(a, 0, 1)[..., ::-1][1],
    "np.expand_dims(t.ravel(), 0).squeeze()[2:]": lambda a: np.expand_dims(a.ravel(), 0).squeeze()[2:],
}


@pytest.mark.parametrize("name", VIEW_CHAINS)
def test_a_view_of_a_view_has_the_root_as_its_base(name):
    t = root_of((2, 3, 4))
    array = t.data.copy()
    chain = VIEW_CHAINS[name]
    assert np.shares_memory(chain(array), array)
    view = chain(t)
    assert is_view_of(view, t)
    np.testing.assert_array_equal(view.data, chain(array))


def test_a_copy_taken_from_a_view_is_no_view():
    t = root_of((3, 4))
    assert t[1:][[0, 1]].base is None
    assert t.T[0].flatten().base is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: mg.reshape(2.0, (1,)),
        lambda: mg.reshape(np.arange(4.0), (2, 2)),
        lambda: mg.transpose(np.ones((2, 3))),
        lambda: mg.expand_dims([1.0, 2.0], 0),
        lambda: mg.tensor(np.arange(6.0)[::2], copy=False),
    ],
    ids=["python float", "ndarray reshape", "ndarray transpose", "list", "tensor of an ndarray view"],
)
def test_no_base_is_made_up_for_a_non_tensor(make):
    assert make().base is None


# ------------------------------------------------------------------------------------- clearing gradients
def with_gradient(case: Case) -> Tensor:
    x = root_of(case.shape, order=case.order)
    (x * x).sum().backward()
    assert x.grad is not None
    return x


@pytest.mark.parametrize("name", VIEW_OPS)
def test_view_ops_keep_the_inputs_gradient(name):
    x = with_gradient(VIEW_OPS[name])
    VIEW_OPS[name].op(x)
    np.testing.assert_array_equal(x.grad, 2 * x.data)


@pytest.mark.parametrize("name", NON_VIEW_OPS)
def test_other_ops_clear_the_inputs_gradient(name):
    x = with_gradient(NON_VIEW_OPS[name])
    NON_VIEW_OPS[name].op(x)
    assert x.grad is None


# ------------------------------------------------------------------------------------- gradients of views
def check_view_grad(view: Tensor, root: Tensor, op: Callable) -> None:
    """``view.grad`` is ``op`` applied to the root's gradient, and shares the root gradient's memory."""
    assert root.grad is not None and view.grad is not None
    assert np.shares_memory(view.grad, root.grad)
    np.testing.assert_array_equal(view.grad, op(root.grad))


@pytest.mark.parametrize("name", VIEW_OPS)
def test_the_gradient_of_a_view_not_in_the_loss_is_a_view_of_its_bases_gradient(name):
    shape, op, _ = VIEW_OPS[name]
    x = root_of(shape)
    view = op(x)
    weights = np.random.default_rng(1).uniform(-2, 2, shape)
    (x * weights).sum().backward()
    np.testing.assert_array_equal(x.grad, weights)
    check_view_grad(view, x, op)


@pytest.mark.parametrize("name", VIEW_OPS)
def test_the_gradient_of_a_view_in_the_loss_is_its_bases_gradient_there(name):
    shape, op, _ = VIEW_OPS[name]
    x = root_of(shape)
    view = op(x)
    loss = (view * view).sum() + (x * 3).sum()
    loss.backward()
    # the loss depends on x directly and through the view: the view's grad is the total, at its positions
    expected = np.full(shape, 3.0)
    np.add.at(expected.reshape(-1), op(np.arange(x.size).reshape(shape)), 2 * op(x.data))
    np.testing.assert_allclose(x.grad, expected)
    check_view_grad(view, x, op)


@pytest.mark.parametrize("name", VIEW_CHAINS)
def test_the_gradient_of_a_view_of_a_view(name):
    chain = VIEW_CHAINS[name]
    x = root_of((2, 3, 4))
    middle = x[:, ::-1]
    view = chain(x)
    (x**2).sum().backward()
    check_view_grad(view, x, chain)
    check_view_grad(middle, x, lambda g: g[:, ::-1])


def test_the_gradient_of_a_view_of_an_intermediate_tensor():
    x = root_of((3, 4))
    y = x * 2
    row, column = y[1], y[:, 2]
    (y * row).sum().backward()  # row is broadcast against every row of y
    assert y.grad is not None  # intermediate tensors keep their gradients
    check_view_grad(row, y, lambda g: g[1])
    check_view_grad(column, y, lambda g: g[:, 2])
    assert x.grad is not None and column.base is y


def test_a_view_without_a_backward_pass_has_no_gradient():
    x = root_of((2, 3))
    assert x[0].grad is None
    assert x.T.grad is None


# ----------------------------------------------------------------------------------- in-place reshaping
def test_setting_the_shape_reshapes_in_place_and_views_keep_their_elements():
    x = root_of((2, 3))
    y = x * 1
    column = y[:, 1]
    y.shape = (3, 2)
    assert y.shape == (3, 2) and column.base is y
    np.testing.assert_array_equal(column.data, x.data[:, 1])
    assert np.shares_memory(column.data, y.data)
    (y.sum() + (column * 10).sum()).backward()
    expected = np.ones((2, 3))
    expected[:, 1] += 10
    np.testing.assert_array_equal(x.grad, expected)


@pytest.mark.filterwarnings("ignore:Setting the shape:DeprecationWarning")  # (NumPy 2.5, for NumPy's own)
def test_setting_a_shape_that_needs_a_copy_raises_like_numpy():
    y = root_of((2, 3)) * 1
    y_t = y.T  # not C-contiguous: flattening it needs a copy
    with pytest.raises(AttributeError):
        y.data.copy().T.shape = (6,)
    with pytest.raises(AttributeError):
        y_t.shape = (6,)
    assert y_t.shape == (3, 2) and y_t.base is y


@pytest.mark.filterwarnings("error")  # NumPy 2.5 deprecates setting an array's shape: mygrad never does
@pytest.mark.parametrize("autodiff", [True, False])
def test_setting_a_shape_keeps_the_memory_and_warns_nothing(autodiff):
    x = mg.tensor(np.arange(6.0))
    memory = x.data
    with mg.no_autodiff if not autodiff else contextlib.nullcontext():
        x.shape = (2, 3)
        assert x.shape == (2, 3) and np.shares_memory(x.data, memory)
        with pytest.raises(ValueError, match="cannot reshape"):
            x.shape = (4,)
        transposed = x.T  # not C-contiguous: flattening it needs a copy
        with pytest.raises(AttributeError, match="Incompatible shape"):
            transposed.shape = (6,)


# ------------------------------------------------------------------------------------------ the seed example
def hinge_loss_gradient(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """By hand: every class j != y_i whose margin ``s_ij - s_iy + 1`` is positive adds 1/N to ds_ij and -1/N
    to ds_iy."""
    n = len(scores)
    rows = np.arange(n)
    margins = scores - scores[rows, labels][:, None] + 1.0
    active = (margins > 0).astype(float)
    active[rows, labels] = 0.0
    grad = active / n
    grad[rows, labels] = -active.sum(axis=1) / n
    return grad


@given(seed=st.integers(0, 2**32 - 1))
def test_the_hinge_loss_example_gives_the_hand_derived_gradient(seed):
    rng = np.random.default_rng(seed)
    scores = 10 * rng.random((100, 10))
    labels = rng.integers(low=0, high=10, size=100)

    class_scores = Tensor(scores)
    class_labels = (range(len(labels)), labels)
    correct_class_scores = class_scores[class_labels]  # advanced get
    Lij = class_scores - correct_class_scores[:, np.newaxis] + 1.0
    Lij[Lij <= 0] = 0  # boolean-mask set
    Lij[class_labels] = 0  # advanced set
    loss = Lij.sum() / class_scores.shape[0]
    loss.backward()

    margins = scores - scores[np.arange(100), labels][:, None] + 1.0
    margins[margins <= 0] = 0
    margins[np.arange(100), labels] = 0
    np.testing.assert_allclose(loss.data, margins.sum() / 100, rtol=1e-12)
    np.testing.assert_allclose(class_scores.grad, hinge_loss_gradient(scores, labels), rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------- clearing a graph disconnects views (MyGrad 2)
def test_a_write_into_a_view_after_its_graph_was_cleared_leaves_the_base_alone():
    base = mg.arange(4.0)
    view = base[-2:]
    (view * view).backward()
    assert view.base is base  # until the next operation that involves it
    view *= 3
    assert view.base is None
    assert base.data.tolist() == [0.0, 1.0, 2.0, 3.0] and view.data.tolist() == [6.0, 9.0]


def test_a_write_into_a_view_whose_bases_graph_was_cleared_leaves_the_base_alone():
    x = mg.arange(4.0)
    v = x[1:]
    (x * 2).sum().backward()
    assert v.grad.tolist() == [2.0, 2.0, 2.0]  # still the view of its base's gradient
    v *= 3
    assert x.data.tolist() == [0.0, 1.0, 2.0, 3.0] and v.base is None


def test_a_write_into_a_base_after_its_graph_was_cleared_leaves_its_views_alone():
    x = mg.arange(4.0)
    v = x[1:]
    w = v[1:]
    (w * 1).backward()
    x[...] = 0.0
    assert v.data.tolist() == [1.0, 2.0, 3.0] and w.data.tolist() == [2.0, 3.0]


def test_a_second_backward_through_a_view_gives_it_its_own_gradient():
    base = mg.arange(4.0)
    view = base[-2:]
    (view * 2).backward()
    assert view.grad.tolist() == [2.0, 2.0]
    (view * 5).backward()
    assert view.grad.tolist() == [5.0, 5.0] and view.base is None
    assert base.grad.tolist() == [0.0, 0.0, 2.0, 2.0]


def test_backprop_through_a_view_whose_bases_graph_was_cleared_raises():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 1
    view = y[1:]
    f = view * 2
    (y * 3).sum().backward()  # clears y's graph, which the view's graph goes through
    with pytest.raises(InvalidBackprop, match="cleared"):
        f.sum().backward()


def test_a_view_made_under_no_autodiff_has_no_base():
    x = mg.arange(4.0)
    with mg.no_autodiff:
        v = x[1:]
    assert v.base is None and v.creator is None


def test_the_view_ops_say_they_can_return_views():
    x = mg.arange(6.0)
    for view in (x[1:], x.reshape(2, 3), x[None], np.expand_dims(x, 0), mg.broadcast_to(x, (2, 6)), x.T):
        assert view.base is x and view.creator.can_return_view


def test_a_users_operation_that_can_return_a_view_makes_a_view():
    class Tail(Operation):
        can_return_view = True

        def __call__(self, a):
            self.variables = (a,)
            return a.data[1:]

        def backward_var(self, grad, index, **kwargs):
            out = np.zeros_like(self.variables[0].data)
            out[1:] = grad
            return out

    x = mg.arange(4.0)
    y = mg.execute_op(Tail, x)
    assert y.base is x
    x[...] = 7.0  # the view sees a write into its base
    assert y.data.tolist() == [7.0, 7.0, 7.0]
    y[0] = 5.0  # a write through the view reaches its base
    assert x.data.tolist() == [7.0, 5.0, 7.0, 7.0]
    (y * [1.0, 2.0, 3.0]).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 2.0, 3.0]  # with respect to x as it is now: the view of it


def test_execute_op_writes_into_out_in_place():
    class Add(Operation):
        def __call__(self, a, b):
            self.variables = (a, b)
            return a.data + b.data

        def backward_var(self, grad, index, **kwargs):
            return grad

    x = mg.tensor([1.0, 2.0])
    y = x * 1
    result = mg.execute_op(Add, y, y, out=y)
    assert result is y and y.data.tolist() == [2.0, 4.0]
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_backward_through_views_of_views_after_a_write_releases_every_lock():
    x = mg.tensor(np.zeros((2, 3)))
    v = x[...]
    row = v[0]
    row[...] = mg.tensor([1.0, 2.0, 3.0])
    row.sum().backward()
    assert x.data.flags.writeable and v.data.flags.writeable
    x.data -= 0.1 * x.grad  # the SGD step users write
