"""``conv_nd``: N-d cross-correlation with stride, padding and dilation.

Hypothesis draws 1-d, 2-d and 3-d problems (batch, channels, filters, kernel, stride, padding, dilation, each of
the last three as one int or per axis) whose windows tile the padded input exactly: the grid size ``G`` is drawn
and the input length set to ``X = (G-1)*s + (W-1)*d + 1 - 2p``. The forward pass is compared with a loop over
output positions written here, the gradients of both inputs with central differences; float32 stays float32,
bad arguments get a ValueError, constants get no gradient and the output is C-contiguous.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.nnet import conv_nd
from mygrad.testing import assert_gradients_match

INCOMPATIBLE = "Stride and kernel dimensions are incompatible"


# ------------------------------------------------------------------------------------------- reference
def conv_reference(
    x: np.ndarray, w: np.ndarray, stride: tuple, padding: tuple, dilation: tuple
) -> np.ndarray:
    """Cross-correlation by a loop over the output positions: ``sum(patch * filter)`` for each one."""
    n_batch, n_filters, k = x.shape[0], w.shape[0], x.ndim - 2
    padded = np.zeros((*x.shape[:2], *(n + 2 * p for n, p in zip(x.shape[2:], padding))), dtype=np.float64)
    padded[(slice(None), slice(None), *(slice(p, p + n) for p, n in zip(padding, x.shape[2:])))] = x
    kernel = w.shape[2:]
    grid = [(padded.shape[2 + i] - (kernel[i] - 1) * dilation[i] - 1) // stride[i] + 1 for i in range(k)]
    out = np.zeros((n_batch, n_filters, *grid))
    for n in range(n_batch):
        for f in range(n_filters):
            for position in np.ndindex(*grid):
                patch = padded[
                    (
                        n,
                        slice(None),
                        *(
                            slice(g * s, g * s + (kw - 1) * d + 1, d)
                            for g, s, kw, d in zip(position, stride, kernel, dilation)
                        ),
                    )
                ]
                out[(n, f, *position)] = np.sum(patch * w[f])
    return out


# ------------------------------------------------------------------------------------------- strategies
@st.composite
def conv_problems(draw, k: int, max_grid: int = 3, max_kernel: int = 3) -> dict:
    """A k-d problem whose windows tile the padded input exactly.

    Returns the shapes, the per-axis ``stride``/``padding``/``dilation`` and the arguments to pass for them
    (one int when the values are shared, else a tuple or list), and the upstream-gradient shape.
    """
    n = draw(st.integers(1, 2), label="N")
    c = draw(st.integers(1, 3), label="C")
    f = draw(st.integers(1, 3), label="F")
    shared = {name: draw(st.booleans(), label=f"shared {name}") for name in ("stride", "padding", "dilation")}
    one = {
        "stride": draw(st.integers(1, 3), label="one stride"),
        "dilation": draw(st.integers(1, 3), label="one dilation"),
    }
    kernel, stride, dilation, grid, spans = [], [], [], [], []
    for _ in range(k):
        kernel.append(draw(st.integers(1, max_kernel), label="W"))
        stride.append(one["stride"] if shared["stride"] else draw(st.integers(1, 3), label="s"))
        dilation.append(one["dilation"] if shared["dilation"] else draw(st.integers(1, 3), label="d"))
        grid.append(draw(st.integers(1, max_grid), label="G"))
        spans.append((grid[-1] - 1) * stride[-1] + (kernel[-1] - 1) * dilation[-1] + 1)
    # padding p keeps X = span - 2p >= 1
    if shared["padding"]:
        p = draw(st.integers(0, min(2, min((span - 1) // 2 for span in spans))), label="one padding")
        padding = [p] * k
    else:
        padding = [draw(st.integers(0, min(2, (span - 1) // 2)), label="p") for span in spans]
    spatial = tuple(span - 2 * p for span, p in zip(spans, padding))
    assert all(x >= 1 for x in spatial)

    def as_arg(name: str, values: list):
        if shared[name]:
            return values[0]
        return draw(st.sampled_from([tuple, list]), label=f"{name} container")(values)

    return {
        "x_shape": (n, c, *spatial),
        "w_shape": (f, c, *kernel),
        "out_shape": (n, f, *grid),
        "stride": tuple(stride),
        "padding": tuple(padding),
        "dilation": tuple(dilation),
        "kwargs": {
            "stride": as_arg("stride", stride),
            "padding": as_arg("padding", padding),
            "dilation": as_arg("dilation", dilation),
        },
    }


def draw_values(data: st.DataObject, *shapes: tuple, dtype=np.float64) -> list[np.ndarray]:
    """Random values in [-2, 2] (the seed drawn by hypothesis): dense, so that a misplaced term shows."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    return [rng.uniform(-2.0, 2.0, size=shape).astype(dtype) for shape in shapes]


def check_problem(data: st.DataObject, problem: dict) -> None:
    x, w, grad = draw_values(data, problem["x_shape"], problem["w_shape"], problem["out_shape"])
    expected = conv_reference(x, w, problem["stride"], problem["padding"], problem["dilation"])
    assert expected.shape == problem["out_shape"]

    out = conv_nd(x, w, **problem["kwargs"])
    assert isinstance(out, mg.Tensor)
    assert out.shape == problem["out_shape"]
    assert out.dtype == np.float64
    assert out.data.flags.c_contiguous
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)

    out = assert_gradients_match(lambda a, b: conv_nd(a, b, **problem["kwargs"]), x, w, grad=grad)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------------------------------- forward and gradients
@given(data=st.data())
def test_conv_1d(data: st.DataObject) -> None:
    check_problem(data, data.draw(conv_problems(k=1, max_grid=5, max_kernel=4), label="problem"))


@given(data=st.data())
def test_conv_2d(data: st.DataObject) -> None:
    check_problem(data, data.draw(conv_problems(k=2), label="problem"))


@given(data=st.data())
def test_conv_3d(data: st.DataObject) -> None:
    check_problem(data, data.draw(conv_problems(k=3, max_grid=2, max_kernel=2), label="problem"))


@given(data=st.data())
def test_float32_stays_float32(data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 3), label="k")
    problem = data.draw(conv_problems(k=k, max_grid=2, max_kernel=2), label="problem")
    x64, w64, g64 = draw_values(data, problem["x_shape"], problem["w_shape"], problem["out_shape"])
    x, w = mg.tensor(x64.astype(np.float32)), mg.tensor(w64.astype(np.float32))
    out = conv_nd(x, w, **problem["kwargs"])
    assert out.dtype == np.float32
    out.backward(g64.astype(np.float32))
    assert x.grad.dtype == np.float32
    assert w.grad.dtype == np.float32

    x_ref, w_ref = mg.tensor(x.data.astype(np.float64)), mg.tensor(w.data.astype(np.float64))
    out_ref = conv_nd(x_ref, w_ref, **problem["kwargs"])
    out_ref.backward(g64.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(out.data, out_ref.data, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(x.grad, x_ref.grad, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(w.grad, w_ref.grad, rtol=1e-5, atol=1e-5)


def test_mixed_precision_gradients_keep_each_inputs_dtype() -> None:
    x = mg.tensor(np.ones((1, 2, 5), dtype=np.float32))
    w = mg.tensor(np.ones((3, 2, 3)))
    out = conv_nd(x, w, stride=1)
    assert out.dtype == np.float64  # NumPy's promotion
    out.backward()
    assert x.grad.dtype == np.float32
    assert w.grad.dtype == np.float64


# ------------------------------------------------------------------------------------------- by hand
def test_docstring_example_by_hand() -> None:
    x = mg.tensor(np.arange(5.0).reshape(1, 1, 5))
    w = mg.tensor([[[1.0, 0.0, -1.0]]])
    out = conv_nd(x, w, stride=1)
    np.testing.assert_array_equal(out.data, [[[-2.0, -2.0, -2.0]]])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad, [[[3.0, 6.0, 9.0]]])
    np.testing.assert_array_equal(x.grad, [[[1.0, 1.0, 0.0, -1.0, -1.0]]])


def test_filters_are_not_flipped() -> None:
    x = np.array([[[0.0, 0.0, 1.0, 0.0, 0.0]]])
    out = conv_nd(x, np.array([[[1.0, 2.0, 3.0]]]), stride=1)
    np.testing.assert_array_equal(out.data, [[[3.0, 2.0, 1.0]]])  # cross-correlation: the kernel reversed


def test_padding_dilation_stride_by_hand() -> None:
    x = np.arange(1.0, 6.0).reshape(1, 1, 5)  # padded: 0 1 2 3 4 5 0
    out = conv_nd(x, np.array([[[1.0, 10.0]]]), stride=2, padding=1, dilation=2)
    # placements at 0, 2, 4 of the padded signal, each reading positions p and p + 2
    np.testing.assert_array_equal(out.data, [[[0 + 20.0, 2 + 40.0, 4 + 0.0]]])


@pytest.mark.parametrize("dilation", [2, (2,)])
def test_every_dilation_that_fits(dilation) -> None:
    """X=5, W=3, d=2: the dilated kernel spans exactly 5 (the reference rejects this)."""
    x = np.arange(5.0).reshape(1, 1, 5)
    out = conv_nd(x, np.ones((1, 1, 3)), stride=1, dilation=dilation)
    np.testing.assert_array_equal(out.data, [[[0.0 + 2.0 + 4.0]]])
    assert_gradients_match(lambda a, b: conv_nd(a, b, stride=1, dilation=dilation), x, np.ones((1, 1, 3)))


def test_kernel_covering_the_padded_input() -> None:
    x, w = draw_fixed((2, 3, 2, 3), (4, 3, 4, 5))
    out = conv_nd(x, w, stride=(5, 7), padding=1)
    np.testing.assert_allclose(out.data, conv_reference(x, w, (5, 7), (1, 1), (1, 1)), rtol=1e-12)
    assert out.shape == (2, 4, 1, 1)


def test_the_same_tensor_as_signal_and_filter() -> None:
    """Both gradients reach one tensor and add up."""
    x = draw_fixed((1, 1, 4))[0]
    assert_gradients_match(lambda a: conv_nd(a, a, stride=1), x)
    assert_gradients_match(lambda a: conv_nd(a, a, stride=1, padding=2, dilation=1), x)


def test_non_contiguous_inputs() -> None:
    x_base, w_base = draw_fixed((6, 3, 2, 5), (3, 4, 2, 3))
    x = x_base.transpose(1, 2, 3, 0)[:, :, :, ::-2]  # (3, 2, 5, 3), no axis contiguous
    w = w_base.transpose(3, 2, 1, 0)[::-1]  # (3, 2, 4, 3)
    expected = conv_reference(x, w, (1, 1), (1, 0), (1, 1))
    out = conv_nd(x, w, stride=1, padding=(1, 0))
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    assert out.data.flags.c_contiguous
    assert_gradients_match(lambda a, b: conv_nd(a, b, stride=1, padding=(1, 0)), x, w)


def test_non_contiguous_upstream_gradient() -> None:
    x, w, g = draw_fixed((2, 3, 6, 4), (2, 3, 2, 2), (2, 2, 5, 3))
    g = g.transpose(1, 0, 3, 2)  # (2, 2, 3, 5), a transposed layout
    assert_gradients_match(lambda a, b: conv_nd(a, b, stride=(2, 1), padding=(0, 1)), x, w, grad=g)


def test_empty_batch() -> None:
    x, w = mg.tensor(np.zeros((0, 2, 5))), mg.tensor(np.ones((3, 2, 3)))
    out = conv_nd(x, w, stride=1, padding=1)
    assert out.shape == (0, 3, 5)
    out.backward()
    assert x.grad.shape == (0, 2, 5)
    np.testing.assert_array_equal(w.grad, np.zeros((3, 2, 3)))


def draw_fixed(*shapes: tuple) -> list[np.ndarray]:
    rng = np.random.default_rng(1234)
    return [rng.uniform(-2.0, 2.0, size=shape) for shape in shapes]


# ------------------------------------------------------------------------------------------- constants
def test_numpy_inputs_are_constants() -> None:
    x, w = draw_fixed((1, 2, 5), (3, 2, 3))
    out = conv_nd(x, w, stride=1)
    assert isinstance(out, mg.Tensor)
    assert out.constant

    filters = mg.tensor(w)
    out = conv_nd(x, filters, stride=1)
    assert not out.constant
    out.backward()
    assert filters.grad is not None

    signal = mg.tensor(x)
    out = conv_nd(signal, w, stride=1)
    assert not out.constant
    out.backward()
    assert signal.grad is not None


def test_constant_tensor_inputs_get_no_gradient() -> None:
    x, w = draw_fixed((1, 2, 5), (3, 2, 3))
    assert_gradients_match(lambda a, b: conv_nd(a, b, stride=1, padding=1), x, w, constant=(0,))
    assert_gradients_match(lambda a, b: conv_nd(a, b, stride=1, padding=1), x, w, constant=(1,))


def test_constant_true_gives_a_constant_without_gradients() -> None:
    x, w = (mg.tensor(a) for a in draw_fixed((1, 2, 5), (3, 2, 3)))
    out = conv_nd(x, w, stride=1, constant=True)
    assert out.constant
    out.backward()
    assert x.grad is None
    assert w.grad is None


def test_constant_false_on_constant_inputs() -> None:
    x, w = draw_fixed((1, 2, 5), (3, 2, 3))
    assert not conv_nd(x, w, stride=1, constant=False).constant


# ------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("x_shape", "w_shape"),
    [
        ((1, 1, 5, 5), (1, 1, 3)),
        ((1, 1, 5), (1, 1, 3, 3)),
        ((1, 5), (1, 3)),  # fewer than one spatial axis
        ((5,), (3,)),
    ],
)
def test_ndim_mismatch(x_shape: tuple, w_shape: tuple) -> None:
    with pytest.raises(ValueError):
        conv_nd(np.ones(x_shape), np.ones(w_shape), stride=1)


@pytest.mark.parametrize(("x_shape", "w_shape"), [((1, 2, 5), (1, 3, 3)), ((2, 1, 4, 4), (3, 2, 2, 2))])
def test_channel_mismatch(x_shape: tuple, w_shape: tuple) -> None:
    with pytest.raises(ValueError):
        conv_nd(mg.tensor(np.ones(x_shape)), mg.tensor(np.ones(w_shape)), stride=1)


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kwargs"),
    [
        ((1, 1, 6), (1, 1, 3), {"stride": 2}),  # (6 - 3) / 2
        ((1, 1, 4, 6), (1, 1, 3, 3), {"stride": (1, 2)}),
        ((1, 1, 4), (1, 1, 3), {"stride": 2, "padding": 1}),  # padded 6
        ((1, 1, 6), (1, 1, 3), {"stride": 2, "dilation": 2}),  # span 5 in 6
        ((1, 1, 2), (1, 1, 3), {"stride": 1}),  # kernel larger than the input
        ((1, 1, 5), (1, 1, 3), {"stride": 1, "dilation": 3}),  # dilated span 7 > 5
        ((1, 1, 3, 3), (1, 1, 2, 5), {"stride": 1, "padding": (0, 0)}),
    ],
)
def test_stride_that_does_not_tile(x_shape: tuple, w_shape: tuple, kwargs: dict) -> None:
    with pytest.raises(ValueError, match=INCOMPATIBLE):
        conv_nd(np.ones(x_shape), np.ones(w_shape), **kwargs)


@given(data=st.data())
def test_stride_fit_is_checked_exactly(data: st.DataObject) -> None:
    """Lengthening a fitting input by 1..s-1 makes it not fit; by s, fit again with one more placement."""
    problem = data.draw(conv_problems(k=1, max_grid=4), label="problem")
    s = problem["stride"][0]
    extra = data.draw(st.integers(1, s), label="extra")
    n, c, length = problem["x_shape"]
    x, w = np.ones((n, c, length + extra)), np.ones(problem["w_shape"])
    if extra < s:
        with pytest.raises(ValueError, match=INCOMPATIBLE):
            conv_nd(x, w, **problem["kwargs"])
    else:
        assert conv_nd(x, w, **problem["kwargs"]).shape[-1] == problem["out_shape"][-1] + 1


BAD_VALUES = [
    {"stride": 0},
    {"stride": -1},
    {"stride": (1, 0)},
    {"stride": 1, "padding": -1},
    {"stride": 1, "padding": (0, -1)},
    {"stride": 1, "dilation": 0},
    {"stride": 1, "dilation": (1, -1)},
    {"stride": (1, 1, 1)},  # wrong lengths
    {"stride": (1,)},
    {"stride": 1, "padding": (0, 0, 0)},
    {"stride": 1, "dilation": (1,)},
]
NON_INTEGERS = [{"stride": 1.5}, {"stride": 1, "padding": 0.5}, {"stride": 1, "dilation": "2"}]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [(kwargs, ValueError) for kwargs in BAD_VALUES] + [(kwargs, TypeError) for kwargs in NON_INTEGERS],
)
def test_bad_stride_padding_dilation_raise_numpys_error_that_is_also_an_assertion_error(
    kwargs: dict, error: type
) -> None:
    # MyGrad 2 asserted these: code written against it catches AssertionError
    with pytest.raises(error) as raised:
        conv_nd(np.ones((1, 1, 5, 5)), np.ones((1, 1, 2, 2)), **kwargs)
    assert isinstance(raised.value, AssertionError)


def test_stride_is_required() -> None:
    with pytest.raises(TypeError):
        conv_nd(np.ones((1, 1, 5)), np.ones((1, 1, 3)))  # type: ignore[call-arg]


# ------------------------------------------------------------------------------------------- exports
def test_exports() -> None:
    import mygrad.nnet
    import mygrad.nnet.layers
    from mygrad.nnet.layers import utils

    assert mygrad.nnet.conv_nd is mygrad.nnet.layers.conv_nd is conv_nd
    assert utils.sliding_window_view is mg.sliding_window_view
