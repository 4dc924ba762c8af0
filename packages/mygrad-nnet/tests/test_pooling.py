"""``max_pool`` and ``avg_pool`` over the trailing 1-3 axes, with 0-2 leading axes kept.

Hypothesis draws pools, strides (overlapping, touching and gapped windows) and grid sizes, and sets each pooled
length to ``X = (G-1)*S + P`` so that the windows tile it exactly. Forward results are compared with a loop over
the windows written here; gradients with central differences (max_pool on distinct values, so that no window has
a tie) and, for max_pool with ties, with a loop that sends each window's gradient to its first maximum in
row-major order. Hand-checked cases pin the tie rule and the accumulation of overlapping windows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.nnet import avg_pool, max_pool
from mygrad.testing import assert_gradients_match

INCOMPATIBLE = "Stride and kernel dimensions are incompatible"
POOLS = {"max": max_pool, "avg": avg_pool}


# ------------------------------------------------------------------------------------------- references
def window_slices(position: tuple, pool: tuple, stride: tuple) -> tuple[slice, ...]:
    return tuple(slice(g * s, g * s + p) for g, s, p in zip(position, stride, pool))


def grid_of(shape: tuple, pool: tuple, stride: tuple) -> tuple[int, ...]:
    k = len(pool)
    return tuple((x - p) // s + 1 for x, p, s in zip(shape[len(shape) - k :], pool, stride))


def pool_reference(x: np.ndarray, pool: tuple, stride: tuple, reduce) -> np.ndarray:
    """``reduce`` of every window, by a loop over the leading indices and the window positions."""
    k = len(pool)
    lead = x.shape[: x.ndim - k]
    grid = grid_of(x.shape, pool, stride)
    out = np.zeros((*lead, *grid), dtype=np.float64)
    for index in np.ndindex(*lead):
        for position in np.ndindex(*grid):
            out[(*index, *position)] = reduce(x[(*index, *window_slices(position, pool, stride))])
    return out


def max_pool_grad_reference(x: np.ndarray, grad: np.ndarray, pool: tuple, stride: tuple) -> np.ndarray:
    """Each window's upstream gradient added to its first maximum (row-major order within the window)."""
    k = len(pool)
    lead = x.shape[: x.ndim - k]
    dx = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(*lead):
        for position in np.ndindex(*grid_of(x.shape, pool, stride)):
            window = x[(*index, *window_slices(position, pool, stride))]
            best = window.ravel().tolist().index(window.max())  # the first maximum, in row-major order
            offset = np.unravel_index(best, pool)
            target = (*index, *(g * s + o for g, s, o in zip(position, stride, offset)))
            dx[target] += grad[(*index, *position)]
    return dx


# ------------------------------------------------------------------------------------------- strategies
@st.composite
def pool_problems(draw, k: int, max_grid: int = 3, max_pool_side: int = 3) -> dict:
    """A pool over ``k`` trailing axes that tiles them exactly, with 0-2 leading axes."""
    lead = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2), label="lead"))
    pool = [draw(st.integers(1, max_pool_side), label="P") for _ in range(k)]
    shared_stride = draw(st.none() | st.integers(1, max_pool_side + 1), label="one stride")
    # strides below, at and above the pool size: overlapping, touching and gapped windows
    stride = [
        shared_stride if shared_stride is not None else draw(st.integers(1, p + 1), label="S") for p in pool
    ]
    grid = [draw(st.integers(1, max_grid), label="G") for _ in range(k)]
    spatial = tuple((g - 1) * s + p for g, s, p in zip(grid, stride, pool))
    return {
        "shape": (*lead, *spatial),
        "pool": tuple(pool),
        "stride": tuple(stride),
        "out_shape": (*lead, *grid),
        "pool_arg": draw(st.sampled_from([tuple, list]), label="pool container")(pool),
        "stride_arg": shared_stride
        if shared_stride is not None
        else draw(st.sampled_from([tuple, list]), label="stride container")(stride),
    }


def rng_for(data: st.DataObject) -> np.random.Generator:
    return np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))


def distinct_values(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """A random permutation of distinct values, one apart (no ties, and far beyond the difference step)."""
    size = math.prod(shape)
    return (rng.permutation(size) - size / 2).reshape(shape).astype(np.float64)


# ------------------------------------------------------------------------------------------- max_pool
def checked_output(out: mg.Tensor, problem: dict) -> mg.Tensor:
    """``out``, once checked to be a float64 Tensor of the problem's output shape."""
    assert isinstance(out, mg.Tensor)
    assert out.shape == problem["out_shape"]
    assert out.dtype == np.float64
    return out


@pytest.mark.parametrize("k", [1, 2, 3])
@given(data=st.data())
def test_max_pool_forward_and_gradient(k: int, data: st.DataObject) -> None:
    problem = data.draw(pool_problems(k, max_grid=3 if k < 3 else 2), label="problem")
    rng = rng_for(data)
    x = distinct_values(rng, problem["shape"])
    grad = rng.uniform(-2.0, 2.0, size=problem["out_shape"])
    expected = pool_reference(x, problem["pool"], problem["stride"], np.max)

    out = checked_output(max_pool(x, problem["pool_arg"], problem["stride_arg"]), problem)
    np.testing.assert_array_equal(out.data, expected)

    out = assert_gradients_match(
        lambda t: max_pool(t, problem["pool_arg"], problem["stride_arg"]), x, grad=grad
    )
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("k", [1, 2, 3])
@given(data=st.data())
def test_max_pool_ties_go_to_the_first_maximum(k: int, data: st.DataObject) -> None:
    """With few distinct values (many ties), the gradient equals the loop reference's exactly."""
    problem = data.draw(pool_problems(k, max_grid=3 if k < 3 else 2), label="problem")
    rng = rng_for(data)
    x = rng.integers(0, data.draw(st.integers(1, 3), label="levels"), size=problem["shape"]).astype(
        np.float64
    )
    grad = rng.integers(-9, 10, size=problem["out_shape"]).astype(np.float64)  # sums stay exact
    tensor = mg.tensor(x)
    out = max_pool(tensor, problem["pool_arg"], problem["stride_arg"])
    np.testing.assert_array_equal(out.data, pool_reference(x, problem["pool"], problem["stride"], np.max))
    out.backward(grad)
    np.testing.assert_array_equal(
        tensor.grad, max_pool_grad_reference(x, grad, problem["pool"], problem["stride"])
    )


def test_max_pool_tie_by_hand_row_major() -> None:
    # the window's maxima are at (0, 1) and (1, 0): row-major order reaches (0, 1) first
    x = mg.tensor([[1.0, 7.0], [7.0, 0.0]])
    max_pool(x, (2, 2), 2).backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [0.0, 0.0]])

    x = mg.tensor([[[3.0, 1.0], [3.0, 3.0]]])
    max_pool(x, (2, 2), 1).backward(np.array([[[5.0]]]))
    np.testing.assert_array_equal(x.grad, [[[5.0, 0.0], [0.0, 0.0]]])

    x = mg.tensor([2.0, 5.0, 5.0, 1.0, 4.0, 4.0])
    out = max_pool(x, (3,), 3)
    np.testing.assert_array_equal(out.data, [5.0, 4.0])
    out.backward(np.array([10.0, 20.0]))
    np.testing.assert_array_equal(x.grad, [0.0, 10.0, 0.0, 0.0, 20.0, 0.0])


def test_max_pool_docstring_example_by_hand() -> None:
    x = mg.tensor([[1.0, 5.0, 2.0, 2.0]])
    out = max_pool(x, pool=(2,), stride=2)
    np.testing.assert_array_equal(out.data, [[5.0, 2.0]])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 1.0, 0.0]])


def test_max_pool_overlapping_windows_accumulate_by_hand() -> None:
    # windows [0 1 5], [1 5 2], [5 2 3]: the 5 is every window's maximum
    x = mg.tensor([0.0, 1.0, 5.0, 2.0, 3.0])
    out = max_pool(x, (3,), 1)
    np.testing.assert_array_equal(out.data, [5.0, 5.0, 5.0])
    out.backward(np.array([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 111.0, 0.0, 0.0])

    # a 3x3 input with its maximum in the centre: all four 2x2 windows (stride 1) pick it
    x = mg.tensor([[[0.0, 1.0, 2.0], [3.0, 9.0, 4.0], [5.0, 6.0, 8.0]]])
    out = max_pool(x, (2, 2), 1)
    np.testing.assert_array_equal(out.data, [[[9.0, 9.0], [9.0, 9.0]]])
    out.backward(np.array([[[1.0, 2.0], [3.0, 4.0]]]))
    np.testing.assert_array_equal(x.grad, [[[0.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 0.0]]])


def test_max_pool_gapped_windows_leave_zeros() -> None:
    x = mg.tensor([1.0, 0.0, 9.0, 2.0, 3.0])
    out = max_pool(x, (2,), 3)  # windows [1 0] and [2 3]; the 9 between them is never read
    np.testing.assert_array_equal(out.data, [1.0, 3.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 0.0, 0.0, 1.0])


# ------------------------------------------------------------------------------------------- avg_pool
@pytest.mark.parametrize("k", [1, 2, 3])
@given(data=st.data())
def test_avg_pool_forward_and_gradient(k: int, data: st.DataObject) -> None:
    problem = data.draw(pool_problems(k, max_grid=3 if k < 3 else 2), label="problem")
    rng = rng_for(data)
    x = rng.uniform(-2.0, 2.0, size=problem["shape"])
    grad = rng.uniform(-2.0, 2.0, size=problem["out_shape"])
    expected = pool_reference(x, problem["pool"], problem["stride"], np.mean)

    out = checked_output(avg_pool(x, problem["pool_arg"], problem["stride_arg"]), problem)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)

    assert_gradients_match(lambda t: avg_pool(t, problem["pool_arg"], problem["stride_arg"]), x, grad=grad)


def test_avg_pool_overlapping_windows_accumulate_by_hand() -> None:
    x = mg.tensor([1.0, 3.0, 2.0, 6.0])
    out = avg_pool(x, (2,), 1)
    np.testing.assert_array_equal(out.data, [2.0, 2.5, 4.0])
    out.backward(np.array([2.0, 4.0, 8.0]))
    np.testing.assert_array_equal(x.grad, [1.0, 3.0, 6.0, 4.0])

    x = mg.tensor(np.arange(9.0).reshape(3, 3))
    out = avg_pool(x, (2, 2), 1)
    np.testing.assert_array_equal(out.data, [[2.0, 3.0], [5.0, 6.0]])
    out.backward()
    np.testing.assert_array_equal(x.grad, [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])


def test_avg_pool_docstring_example_by_hand() -> None:
    np.testing.assert_array_equal(
        avg_pool(mg.tensor([[1.0, 3.0, 2.0, 6.0]]), pool=(2,), stride=2).data, [[2.0, 4.0]]
    )


# ------------------------------------------------------------------------------------------- both
@pytest.mark.parametrize("kind", sorted(POOLS))
@given(data=st.data())
def test_float32_stays_float32(kind: str, data: st.DataObject) -> None:
    problem = data.draw(pool_problems(data.draw(st.integers(1, 3), label="k"), max_grid=2), label="problem")
    rng = rng_for(data)
    x = mg.tensor(distinct_values(rng, problem["shape"]).astype(np.float32))
    out = POOLS[kind](x, problem["pool_arg"], problem["stride_arg"])
    assert out.dtype == np.float32
    grad = rng.uniform(-2.0, 2.0, size=problem["out_shape"]).astype(np.float32)
    out.backward(grad)
    assert x.grad.dtype == np.float32

    x64 = mg.tensor(x.data.astype(np.float64))
    out64 = POOLS[kind](x64, problem["pool_arg"], problem["stride_arg"])
    out64.backward(grad.astype(np.float64))
    np.testing.assert_allclose(out.data, out64.data, rtol=1e-6)
    np.testing.assert_allclose(x.grad, x64.grad, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", sorted(POOLS))
def test_non_contiguous_input_and_gradient(kind: str) -> None:
    rng = np.random.default_rng(7)
    base = distinct_values(rng, (5, 4, 7))
    x = base.transpose(2, 0, 1)[::-2]  # (4, 5, 4), no axis contiguous
    grad = rng.uniform(-2.0, 2.0, size=(2, 4, 4)).transpose(1, 0, 2)  # (4, 2, 4)
    reduce = np.max if kind == "max" else np.mean
    out = assert_gradients_match(lambda t: POOLS[kind](t, (3, 1), (2, 1)), x, grad=grad)
    np.testing.assert_allclose(out.data, pool_reference(x, (3, 1), (2, 1), reduce), rtol=1e-12)


@pytest.mark.parametrize("kind", sorted(POOLS))
def test_empty_leading_axis(kind: str) -> None:
    x = mg.tensor(np.zeros((0, 3, 4)))
    out = POOLS[kind](x, (2,), 2)
    assert out.shape == (0, 3, 2)
    out.backward()
    assert x.grad.shape == (0, 3, 4)


@pytest.mark.parametrize("kind", sorted(POOLS))
def test_constants(kind: str) -> None:
    pool = POOLS[kind]
    x = np.arange(8.0).reshape(2, 4)
    assert pool(x, (2,), 2).constant  # a NumPy array is a constant
    assert not pool(x, (2,), 2, constant=False).constant
    tensor = mg.tensor(x)
    out = pool(tensor, (2,), 2, constant=True)
    assert out.constant
    out.backward()
    assert tensor.grad is None
    out = pool(tensor, (2,), 2)
    assert not out.constant
    out.backward()
    assert tensor.grad.shape == x.shape


# ------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kind", sorted(POOLS))
@pytest.mark.parametrize(
    ("shape", "pool", "stride"),
    [
        ((2, 4), (), 1),  # no pooled axis
        ((2, 4), (0,), 1),  # zero / negative pool sizes
        ((2, 4), (-2,), 1),
        ((2, 4), (2, 0), 1),
        ((2, 4), (2,), 0),  # zero / negative strides
        ((2, 4), (2,), -1),
        ((2, 4), (2, 2), (1, 0)),
        ((2, 4), (2,), (1, 1)),  # wrong lengths
        ((2, 4), (2, 2), (1, 1, 1)),
        ((4,), (2, 2), 1),  # more pooled axes than x has
        ((2, 4), 2, 1),  # not a sequence
    ],
)
def test_bad_pool_or_stride_raise_a_value_error_that_is_also_an_assertion_error(
    kind: str, shape: tuple, pool, stride
) -> None:
    # MyGrad 2 asserted these: code written against it catches AssertionError
    with pytest.raises(ValueError) as error:
        POOLS[kind](np.zeros(shape), pool, stride)
    assert isinstance(error.value, AssertionError)


@pytest.mark.parametrize("kind", sorted(POOLS))
@pytest.mark.parametrize(("pool", "stride"), [((2.0,), 2), ((2,), 1.5), (("2",), 1), ((2,), "2")])
def test_non_integer_pool_or_stride_raise_a_type_error_that_is_also_an_assertion_error(
    kind: str, pool, stride
) -> None:
    with pytest.raises(TypeError) as error:
        POOLS[kind](np.zeros((2, 4)), pool, stride)
    assert isinstance(error.value, AssertionError)


@pytest.mark.parametrize("kind", sorted(POOLS))
@pytest.mark.parametrize(
    ("shape", "pool", "stride"),
    [
        ((2, 5), (2,), 2),  # (5 - 2) / 2
        ((2, 4), (2,), 3),
        ((3, 4, 5), (2, 2), (2, 2)),  # the second axis does not fit
        ((3, 4, 5), (2, 2), (1, 2)),  # 4 fits, 5 does not
        ((2, 4), (5,), 1),  # pool larger than the axis
        ((3, 3), (4, 1), 1),
    ],
)
def test_stride_that_does_not_tile(kind: str, shape: tuple, pool: tuple, stride) -> None:
    with pytest.raises(ValueError, match=INCOMPATIBLE):
        POOLS[kind](np.zeros(shape), pool, stride)


@pytest.mark.parametrize("kind", sorted(POOLS))
@given(data=st.data())
def test_stride_fit_is_checked_exactly(kind: str, data: st.DataObject) -> None:
    """Lengthening the last pooled axis by 1..S-1 makes it not fit; by S, fit with one more window."""
    problem = data.draw(pool_problems(data.draw(st.integers(1, 2), label="k"), max_grid=3), label="problem")
    s = problem["stride"][-1]
    extra = data.draw(st.integers(1, s), label="extra")
    x = np.zeros((*problem["shape"][:-1], problem["shape"][-1] + extra))
    if extra < s:
        with pytest.raises(ValueError, match=INCOMPATIBLE):
            POOLS[kind](x, problem["pool_arg"], problem["stride_arg"])
    else:
        out = POOLS[kind](x, problem["pool_arg"], problem["stride_arg"])
        assert out.shape == (*problem["out_shape"][:-1], problem["out_shape"][-1] + 1)


def test_exports() -> None:
    import mygrad.nnet.layers

    assert mygrad.nnet.layers.max_pool is max_pool
    assert mygrad.nnet.layers.avg_pool is avg_pool
