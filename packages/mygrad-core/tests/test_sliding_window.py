"""``mygrad.sliding_window_view``: N-d windows with step and dilation, as a read-only view (no copy).

Every window of a hypothesis-drawn array (1-4 dims, any dtype, contiguous or not) is compared with the explicit
slice ``arr[..., i*s : i*s + (w-1)*d + 1 : d, ...]``; the layout of the result (grid axes first, then the
leading axes, then the window axes), its read-only flag and the absence of a copy are checked, and bad
arguments get a TypeError or a ValueError.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad import sliding_window_view

DTYPES = [np.float64, np.float32, np.int64, np.int16, np.uint8, np.complex128, np.bool_]


# ------------------------------------------------------------------------------------------- helpers
def expected_window(
    arr: np.ndarray, position: tuple, window: tuple, step: tuple, dilation: tuple
) -> np.ndarray:
    """The window at grid ``position``, by explicit slicing of ``arr``'s trailing axes."""
    slices = tuple(
        slice(i * s, i * s + (w - 1) * d + 1, d) for i, w, s, d in zip(position, window, step, dilation)
    )
    return arr[(Ellipsis, *slices)]


def expected_grid(spatial: tuple, window: tuple, step: tuple, dilation: tuple) -> tuple[int, ...]:
    """The number of placements along each axis, counted one by one (not with the closed form)."""
    grid = []
    for x, w, s, d in zip(spatial, window, step, dilation):
        extent = (w - 1) * d + 1
        grid.append(sum(1 for start in range(0, x, s) if start + extent <= x))
    return tuple(grid)


def assert_windows(arr: np.ndarray, out: np.ndarray, window: tuple, step: tuple, dilation: tuple) -> None:
    k = len(window)
    lead, spatial = arr.shape[: arr.ndim - k], arr.shape[arr.ndim - k :]
    grid = expected_grid(spatial, window, step, dilation)
    assert out.shape == (*grid, *lead, *window)
    assert out.dtype == arr.dtype
    for position in np.ndindex(*grid):
        want = expected_window(arr, position, window, step, dilation)
        assert want.shape == (*lead, *window)
        np.testing.assert_array_equal(out[position], want, err_msg=f"window at {position}")
    assert not out.flags.writeable
    if out.size:
        assert np.shares_memory(out, arr), "the windows were copied"


def base_array(shape: tuple, dtype) -> np.ndarray:
    """Distinct values (where the dtype allows), so that a misplaced window cannot pass unnoticed."""
    return np.arange(math.prod(shape)).reshape(shape).astype(dtype)


@st.composite
def window_args(draw, arr_shape: tuple) -> tuple[tuple, tuple, tuple, object, object]:
    """``(window, step, dilation, step_arg, dilation_arg)`` for the trailing 1-3 axes of ``arr_shape``: any
    valid combination, each of step and dilation given per axis or as one int (dilation also left out)."""
    k = draw(st.integers(1, min(3, len(arr_shape))), label="k")
    spatial = arr_shape[len(arr_shape) - k :]
    shared_dilation = draw(st.none() | st.integers(1, 3), label="shared dilation")
    window, dilation = [], []
    for x in spatial:
        if shared_dilation is None:
            w = draw(st.integers(1, x))
            # every dilation whose extent (w-1)*d+1 fits; any dilation at all for a window of one
            d = draw(st.integers(1, 4 if w == 1 else (x - 1) // (w - 1)))
        else:
            d = shared_dilation
            w = draw(st.integers(1, (x - 1) // d + 1))
        window.append(w)
        dilation.append(d)
    if draw(st.booleans(), label="shared step"):
        s = draw(st.integers(1, max(spatial) + 1))
        step, step_arg = (s,) * k, s
    else:
        step = tuple(draw(st.integers(1, x + 1)) for x in spatial)
        step_arg = draw(st.sampled_from([tuple, list]))(step)
    if shared_dilation is not None:
        dilation_arg = shared_dilation
    elif dilation == [1] * k and draw(st.booleans()):
        dilation_arg = None
    else:
        dilation_arg = draw(st.sampled_from([tuple, list]))(dilation)
    return tuple(window), step, tuple(dilation), step_arg, dilation_arg


# ------------------------------------------------------------------------------------------- windows
@given(data=st.data())
def test_every_window_matches_slicing(data: st.DataObject) -> None:
    ndim = data.draw(st.integers(1, 4), label="ndim")
    shape = tuple(data.draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim), label="shape"))
    arr = base_array(shape, data.draw(st.sampled_from(DTYPES), label="dtype"))
    window, step, dilation, step_arg, dilation_arg = data.draw(window_args(shape), label="args")
    out = sliding_window_view(arr, window, step_arg, dilation_arg)
    assert_windows(arr, out, window, step, dilation)


@given(data=st.data())
def test_non_contiguous_inputs_are_viewed_not_copied(data: st.DataObject) -> None:
    """Transposed, sliced (positive and negative steps) inputs: the windows still view ``arr`` itself."""
    ndim = data.draw(st.integers(1, 4), label="ndim")
    base = base_array(
        tuple(data.draw(st.lists(st.integers(1, 7), min_size=ndim, max_size=ndim), label="base shape")),
        data.draw(st.sampled_from(DTYPES), label="dtype"),
    )
    arr = base.transpose(data.draw(st.permutations(range(ndim)), label="axes"))
    steps = data.draw(
        st.lists(st.sampled_from([1, 2, -1, -2, 3]), min_size=ndim, max_size=ndim), label="steps"
    )
    arr = arr[tuple(slice(None, None, s) for s in steps)]
    window, step, dilation, step_arg, dilation_arg = data.draw(window_args(arr.shape), label="args")
    out = sliding_window_view(arr, window, step_arg, dilation_arg)
    assert_windows(arr, out, window, step, dilation)
    assert np.shares_memory(out, base)


def test_broadcast_input_with_zero_strides() -> None:
    arr = np.broadcast_to(np.arange(5.0), (3, 5))  # stride 0 along the first axis, read-only
    out = sliding_window_view(arr, (2, 3), (1, 2))
    assert_windows(arr, out, (2, 3), (1, 2), (1, 1))


@given(data=st.data())
def test_leading_axes_of_any_size_zero_included(data: st.DataObject) -> None:
    lead = tuple(data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=2), label="lead"))
    spatial = tuple(data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=2), label="spatial"))
    arr = np.zeros((*lead, *spatial))
    k = len(spatial)
    window = tuple(data.draw(st.integers(1, x)) for x in spatial)
    out = sliding_window_view(arr, window, 1)
    assert out.shape == (*expected_grid(spatial, window, (1,) * k, (1,) * k), *lead, *window)
    assert not out.flags.writeable


def test_docstring_examples_by_hand() -> None:
    x = np.arange(6)
    np.testing.assert_array_equal(sliding_window_view(x, window_shape=(3,), step=2), [[0, 1, 2], [2, 3, 4]])
    np.testing.assert_array_equal(
        sliding_window_view(x, window_shape=(2,), step=1, dilation=3), [[0, 3], [1, 4], [2, 5]]
    )


def test_layout_grid_then_leading_then_window() -> None:
    arr = np.arange(2 * 5 * 4).reshape(2, 5, 4)
    out = sliding_window_view(arr, (3, 2), (2, 2))
    assert out.shape == (2, 2, 2, 3, 2)  # grid (2, 2), leading (2,), window (3, 2)
    np.testing.assert_array_equal(out[1, 0, 1], arr[1, 2:5, 0:2])
    np.testing.assert_array_equal(out[0, 1, 0], arr[0, 0:3, 2:4])


@pytest.mark.parametrize(
    ("length", "window", "dilation", "expected"),
    [
        (5, 3, 2, [[0, 2, 4]]),  # extent 5 == length: one window (the reference rejects this)
        (6, 3, 2, [[0, 2, 4], [1, 3, 5]]),
        (7, 2, 6, [[0, 6]]),
        (4, 1, 9, [[0], [1], [2], [3]]),  # a window of one element ignores its dilation
    ],
)
def test_every_dilation_whose_extent_fits(length: int, window: int, dilation: int, expected: list) -> None:
    out = sliding_window_view(np.arange(length), (window,), 1, dilation)
    np.testing.assert_array_equal(out, expected)


def test_numpy_integers_are_accepted() -> None:
    arr = np.arange(12).reshape(3, 4)
    out = sliding_window_view(arr, (np.int64(2), np.int32(2)), np.int64(2), np.array([1, 2]))
    np.testing.assert_array_equal(out[0, 0], arr[0:2, 0:4:2])
    assert out.shape == (1, 1, 2, 2)


def test_views_are_read_only() -> None:
    arr = np.arange(10.0)
    out = sliding_window_view(arr, (3,), 1)
    with pytest.raises(ValueError, match="read-only"):
        out[0, 0] = -1.0
    assert arr[0] == 0.0
    assert arr.flags.writeable  # the input is untouched


def test_view_follows_the_input() -> None:
    arr = np.zeros((4, 4))
    out = sliding_window_view(arr, (2, 2), 2)
    arr[3, 3] = 7.0
    assert out[1, 1, 1, 1] == 7.0


# ------------------------------------------------------------------------------------------- errors
def test_a_tensor_is_not_an_array() -> None:
    with pytest.raises(TypeError):
        sliding_window_view(mg.tensor(np.arange(5.0)), (2,), 1)


def test_a_list_is_not_an_array() -> None:
    with pytest.raises(TypeError):
        sliding_window_view([0, 1, 2, 3], (2,), 1)


@pytest.mark.parametrize(
    ("shape", "window", "step", "dilation"),
    [
        ((4,), (5,), 1, None),  # larger than the axis
        ((3, 4), (3, 5), 1, None),
        ((5,), (3,), 1, 3),  # dilated extent 7 > 5
        ((6,), (3,), 1, (3,)),  # dilated extent 7 > 6: the boundary
        ((4, 6), (2, 3), 1, (1, 3)),
        ((4,), (1, 1), 1, None),  # more window axes than the array has
        ((4,), (), 1, None),  # an empty window
        ((4,), (0,), 1, None),  # zero / negative sizes
        ((4,), (-1,), 1, None),
        ((4,), (2,), 0, None),  # zero / negative steps
        ((4,), (2,), -1, None),
        ((4, 4), (2, 2), (1, 0), None),
        ((4,), (2,), 1, 0),  # zero / negative dilations
        ((4,), (2,), 1, -2),
        ((4, 4), (2, 2), 1, (1, 0)),
        ((4, 4), (2, 2), (1, 1, 1), None),  # wrong lengths
        ((4, 4), (2, 2), (1,), None),
        ((4, 4), (2, 2), 1, (1, 1, 1)),
        ((4, 4), (2, 2), 1, (2,)),
    ],
)
def test_bad_shapes_raise_value_error(shape: tuple, window, step, dilation) -> None:
    with pytest.raises(ValueError):
        sliding_window_view(np.zeros(shape), window, step, dilation)


@pytest.mark.parametrize(
    ("window", "step", "dilation"),
    [
        ((2.0,), 1, None),
        ((2,), 1.0, None),
        ((2,), 1.5, None),
        ((2,), 1, 1.0),
        ((2,), (1.0,), None),
        ((2,), 1, (2.0,)),
        (("2",), 1, None),
        ((2,), "1", None),
        ((2,), 1, True),
        ((True,), 1, None),
    ],
)
def test_non_integers_raise_type_error(window, step, dilation) -> None:
    with pytest.raises(TypeError):
        sliding_window_view(np.zeros(6), window, step, dilation)


def test_a_scalar_window_shape_is_rejected() -> None:
    """``window_shape`` is a sequence (the reference says TypeError; either error is clear enough)."""
    with pytest.raises((TypeError, ValueError)):
        sliding_window_view(np.zeros((4, 4)), 2, 1)


# ------------------------------------------------------------------------------------------- re-export
def test_nnet_reexports_the_same_function() -> None:
    utils = pytest.importorskip("mygrad.nnet.layers.utils")  # mygrad-nnet may not be installed beside core
    assert utils.sliding_window_view is mg.sliding_window_view
