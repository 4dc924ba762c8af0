"""``mygrad.save``/``mygrad.load`` and ``mygrad.random``.

Saving and loading round-trips a tensor's data, dtype, gradient (or its absence) and constant flag, whatever the
file is given as: a path string (NumPy adds ``.npz`` when it is missing), a ``pathlib.Path`` or an open binary
file. The random functions draw exactly what NumPy draws: from NumPy's global state (``mg.random.seed`` seeds
it), or from a ``numpy.random.Generator`` passed as ``rng``.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_tensor import assert_same_tensor_without_graph  # a new, graph-free tensor equal to the original

import mygrad as mg
from mygrad.testing.strategies import array_shapes, tensors


# ------------------------------------------------------------------------------------------ save and load
def float_with_grad() -> mg.Tensor:
    x = mg.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, 4.0]])
    (x * x).sum().backward()  # grad = 2x
    return x


def float32_with_grad() -> mg.Tensor:
    x = mg.tensor([1.5, 2.5], dtype=np.float32)
    (3 * x).sum().backward()
    return x


def zero_dim_with_grad() -> mg.Tensor:
    x = mg.tensor(2.0)
    (x**3).backward()
    return x


# name: a function making the tensor to save
SAVED_TENSORS = {
    "float64 with grad": float_with_grad,
    "float32 with grad": float32_with_grad,
    "0-d with grad": zero_dim_with_grad,
    "float without grad": lambda: mg.tensor([1.0, 2.0]),
    "float saved as constant": lambda: mg.tensor([1.0, 2.0], constant=True),
    "float16 constant": lambda: mg.tensor([0.5], dtype=np.float16, constant=True),
    "int (always constant)": lambda: mg.tensor([[1, 2], [3, 4]]),
    "bool": lambda: mg.tensor([True, False]),
    "size-0": lambda: mg.tensor(np.empty((0, 3))),
}


def save_to_str_with_suffix(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    path = str(tmp_path / "tensor.npz")
    mg.save(path, x)
    return mg.load(path)


def save_to_str_without_suffix(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    mg.save(str(tmp_path / "tensor"), x)  # NumPy appends the suffix
    assert (tmp_path / "tensor.npz").is_file()
    return mg.load(str(tmp_path / "tensor.npz"))


def save_to_pathlib(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    mg.save(tmp_path / "tensor.npz", x)
    return mg.load(tmp_path / "tensor.npz")


def save_to_pathlib_without_suffix(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    mg.save(tmp_path / "tensor", x)
    return mg.load(tmp_path / "tensor.npz")


def save_to_open_file(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    path = tmp_path / "tensor.bin"  # a file object is written as it is: no suffix is added
    with open(path, "wb") as file:
        mg.save(file, x)
    with open(path, "rb") as file:
        return mg.load(file)


def save_to_bytes_io(tmp_path: Path, x: mg.Tensor) -> mg.Tensor:
    buffer = io.BytesIO()
    mg.save(buffer, x)
    buffer.seek(0)
    return mg.load(buffer)


ROUND_TRIPS = {
    "str path.npz": save_to_str_with_suffix,
    "str path without .npz": save_to_str_without_suffix,
    "pathlib.Path": save_to_pathlib,
    "pathlib.Path without .npz": save_to_pathlib_without_suffix,
    "open file": save_to_open_file,
    "BytesIO": save_to_bytes_io,
}


@pytest.mark.parametrize("round_trip", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
@pytest.mark.parametrize("make", SAVED_TENSORS.values(), ids=SAVED_TENSORS.keys())
def test_save_load_round_trip(tmp_path, make, round_trip):
    original = make()
    assert_same_tensor_without_graph(round_trip(tmp_path, original), original)


@given(data=st.data(), constant=st.booleans(), with_grad=st.booleans())
def test_save_load_round_trip_of_drawn_tensors(data, constant, with_grad):
    dtype = data.draw(st.sampled_from([np.float64, np.float32, np.int32]), label="dtype")
    x = data.draw(tensors(dtype=dtype, shape=array_shapes(max_dims=3)), label="x")
    original = mg.tensor(x, constant=constant or x.dtype.kind != "f")
    if with_grad and not original.constant:
        original.backward(np.arange(original.size, dtype=original.dtype).reshape(original.shape))
    buffer = io.BytesIO()
    mg.save(buffer, original)
    buffer.seek(0)
    assert_same_tensor_without_graph(mg.load(buffer), original)


def test_loaded_tensor_is_independent_and_differentiable():
    original = float_with_grad()
    buffer = io.BytesIO()
    mg.save(buffer, original)
    buffer.seek(0)
    loaded = mg.load(buffer)
    assert not np.shares_memory(loaded.data, original.data)
    (2 * loaded).sum().backward()  # a new backward pass replaces the loaded gradient
    np.testing.assert_array_equal(loaded.grad, np.full(original.shape, 2.0))
    np.testing.assert_array_equal(original.grad, 2 * original.data)


def test_load_an_archive_without_a_constant_flag():
    # the layout MyGrad 2 writes (data and grad only): the flag is inferred from the dtype
    buffer = io.BytesIO()
    np.savez(buffer, data=np.array([1.0, 2.0]), grad=np.array([0.5, -1.0]))
    buffer.seek(0)
    loaded = mg.load(buffer)
    assert not loaded.constant
    np.testing.assert_array_equal(loaded.data, [1.0, 2.0])
    np.testing.assert_array_equal(loaded.grad, [0.5, -1.0])


@pytest.mark.parametrize(
    "arrays",
    [
        {"data": np.array([1, 2]), "grad": np.array([1, 2])},  # MyGrad 2's layout: constant by its dtype
        {"data": np.array([1, 2]), "grad": np.array([1, 2]), "constant": np.array(True)},
    ],
    ids=["integer", "flagged integer"],
)
def test_a_loaded_constant_has_no_gradient(arrays):
    # a constant is never differentiated: as MyGrad 2 (and as backward leaves one), its gradient is None
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    buffer.seek(0)
    loaded = mg.load(buffer)
    assert loaded.constant
    assert loaded.grad is None
    np.testing.assert_array_equal(loaded.data, arrays["data"])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_a_saved_gradient_of_float_data_is_loaded_with_it(dtype):
    # MyGrad 2 backpropagated a saved gradient into the loaded tensor: float data with a gradient loads as a
    # differentiable tensor that has it, even from a tensor flagged constant that held one
    original = mg.tensor([1.0, 2.0], dtype=dtype, constant=True)
    original._grad = np.array([3.0, -4.0], dtype=dtype)
    buffer = io.BytesIO()
    mg.save(buffer, original)
    buffer.seek(0)
    loaded = mg.load(buffer)
    assert loaded.constant is False
    assert loaded.grad.dtype == dtype
    np.testing.assert_array_equal(loaded.grad, [3.0, -4.0])


@pytest.mark.parametrize("not_a_tensor", [np.array([1.0, 2.0]), [1.0, 2.0], 3.0, None], ids=repr)
def test_save_requires_a_tensor(not_a_tensor):
    with pytest.raises(TypeError):
        mg.save(io.BytesIO(), not_a_tensor)


# ------------------------------------------------------------------------------------------------- random
SEEDS = st.integers(0, 2**32 - 1)
SHAPES = array_shapes(max_dims=3, max_side=4)  # 0-d and size-0 included

# name: (mygrad's call on a shape, NumPy's call on the same shape, from the global state)
GLOBAL_DRAWS = {
    "rand": (lambda s: mg.random.rand(*s), lambda s: np.random.rand(*s)),
    "randn": (lambda s: mg.random.randn(*s), lambda s: np.random.randn(*s)),
    "random": (lambda s: mg.random.random(s), lambda s: np.random.random(s)),
    "random_sample": (lambda s: mg.random.random_sample(s), lambda s: np.random.random_sample(s)),
    "ranf": (lambda s: mg.random.ranf(s), lambda s: np.random.random_sample(s)),
    "sample": (lambda s: mg.random.sample(s), lambda s: np.random.random_sample(s)),
    "randint(low, high, shape)": (
        lambda s: mg.random.randint(-3, 7, s),
        lambda s: np.random.randint(-3, 7, s),
    ),
    "randint(high, shape=shape)": (
        lambda s: mg.random.randint(5, shape=s),
        lambda s: np.random.randint(5, size=s),
    ),
    "randint(dtype=int8)": (
        lambda s: mg.random.randint(0, 100, s, dtype=np.int8),
        lambda s: np.random.randint(0, 100, s, dtype=np.int8),
    ),
}

# name: (mygrad's call on a shape and a Generator, the Generator's own draw)
GENERATOR_DRAWS = {
    "rand": (lambda s, rng: mg.random.rand(*s, rng=rng), lambda s, rng: rng.random(s)),
    "randn": (lambda s, rng: mg.random.randn(*s, rng=rng), lambda s, rng: rng.standard_normal(s)),
    "random": (lambda s, rng: mg.random.random(s, rng=rng), lambda s, rng: rng.random(s)),
    "random_sample": (lambda s, rng: mg.random.random_sample(s, rng=rng), lambda s, rng: rng.random(s)),
    "ranf": (lambda s, rng: mg.random.ranf(s, rng=rng), lambda s, rng: rng.random(s)),
    "sample": (lambda s, rng: mg.random.sample(s, rng=rng), lambda s, rng: rng.random(s)),
    "randint(low, high, shape)": (
        lambda s, rng: mg.random.randint(-3, 7, s, rng=rng),
        lambda s, rng: rng.integers(-3, 7, size=s),
    ),
    "randint(high, shape=shape)": (
        lambda s, rng: mg.random.randint(5, shape=s, rng=rng),
        lambda s, rng: rng.integers(0, 5, size=s),
    ),
    "randint(dtype=int8)": (
        lambda s, rng: mg.random.randint(0, 100, s, dtype=np.int8, rng=rng),
        lambda s, rng: rng.integers(0, 100, size=s, dtype=np.int8),
    ),
}


def assert_same_draw(result, expected, shape) -> None:
    """A tensor of ``shape`` holding exactly NumPy's draw, with its dtype; integers are constants."""
    expected = np.asarray(expected)
    assert isinstance(result, mg.Tensor)
    assert result.shape == expected.shape == tuple(shape)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result.data, expected)
    if result.dtype.kind != "f":
        assert result.constant


@pytest.mark.parametrize("name", GLOBAL_DRAWS)
@given(seed=SEEDS, shape=SHAPES)
def test_draws_reproduce_numpys_global_state(name, seed, shape):
    draw, numpy_draw = GLOBAL_DRAWS[name]
    mg.random.seed(seed)
    result = draw(shape)
    follow_up = np.random.random_sample(3)  # the state moved on exactly as NumPy's does
    np.random.seed(seed)
    assert_same_draw(result, numpy_draw(shape), shape)
    np.testing.assert_array_equal(follow_up, np.random.random_sample(3))


@pytest.mark.parametrize("name", GENERATOR_DRAWS)
@given(seed=SEEDS, shape=SHAPES)
def test_draws_reproduce_a_generators_draws(name, seed, shape):
    draw, generator_draw = GENERATOR_DRAWS[name]
    global_state = np.random.get_state(legacy=False)
    result = draw(shape, np.random.default_rng(seed))
    assert_same_draw(result, generator_draw(shape, np.random.default_rng(seed)), shape)
    np.testing.assert_equal(np.random.get_state(legacy=False), global_state)  # the global state is untouched


def test_seed_is_numpys_seed():
    mg.random.seed(1234)
    ours = np.random.rand(5)
    np.random.seed(1234)
    np.testing.assert_array_equal(ours, np.random.rand(5))
    assert mg.random.default_rng is np.random.default_rng


@pytest.mark.parametrize(
    "draw",
    [
        mg.random.rand,
        mg.random.randn,
        mg.random.random,
        mg.random.random_sample,
        mg.random.ranf,
        mg.random.sample,
    ],
    ids=lambda f: f.__name__,
)
def test_default_shape_is_0d(draw):
    x = draw()
    assert isinstance(x, mg.Tensor) and x.shape == () and x.dtype == np.float64


FLOAT_DRAWS = {
    "rand": lambda **kw: mg.random.rand(2, 3, **kw),
    "randn": lambda **kw: mg.random.randn(2, 3, **kw),
    "random": lambda **kw: mg.random.random((2, 3), **kw),
    "random_sample": lambda **kw: mg.random.random_sample((2, 3), **kw),
    "ranf": lambda **kw: mg.random.ranf((2, 3), **kw),
    "sample": lambda **kw: mg.random.sample((2, 3), **kw),
}


@pytest.mark.parametrize("with_rng", [False, True], ids=["global", "rng"])
@pytest.mark.parametrize("draw", FLOAT_DRAWS.values(), ids=FLOAT_DRAWS.keys())
def test_float_draws_honour_constant(draw, with_rng):
    kwargs = {"rng": np.random.default_rng(0)} if with_rng else {}
    for constant, expected in ((None, False), (False, False), (True, True)):
        x = draw(constant=constant, **kwargs)
        assert x.constant is expected
        assert x.shape == (2, 3) and x.dtype == np.float64
    x = draw(**kwargs)
    (x * x).sum().backward()  # the default draw is differentiable
    np.testing.assert_allclose(x.grad, 2 * x.data)


@pytest.mark.parametrize("with_rng", [False, True], ids=["global", "rng"])
def test_randint_is_always_constant(with_rng):
    kwargs = {"rng": np.random.default_rng(0)} if with_rng else {}
    x = mg.random.randint(0, 10, (3, 2), **kwargs)
    assert x.constant and x.dtype == np.int64 and x.shape == (3, 2)
    assert np.all((x.data >= 0) & (x.data < 10))
    with pytest.raises(TypeError):
        mg.random.randint(0, 10, (3, 2), constant=False, **kwargs)


@given(seed=SEEDS, low=st.integers(-5, 5), span=st.integers(1, 5), shape=SHAPES)
def test_randint_bounds(seed, low, span, shape):
    for rng in (None, np.random.default_rng(seed)):
        x = mg.random.randint(low, low + span, shape, rng=rng)
        assert np.all((low <= x.data) & (x.data < low + span))
