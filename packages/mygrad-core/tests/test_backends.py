"""Tensors over other libraries' arrays: Dask (lazy, chunked, on a cluster) and CuPy (a GPU).

The gradient checks of the whole suite run over Dask and CuPy arrays in ``nox -s tests_backends``
(``MYGRAD_TEST_BACKEND``, see conftest.py). This file tests what is particular to another library: the data
stays in it (no silent conversion to NumPy), nothing is computed until the user asks, one ``dask.compute``
of several results reads the data once, in-place operations and views follow the library's semantics, a
training loop runs on a ``dask.distributed.LocalCluster``, and importing mygrad imports none of them.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import threading

import numpy as np
import pytest

import mygrad as mg
from mygrad.testing import assert_gradients_match, assert_second_derivatives_match


def test_importing_mygrad_imports_no_other_array_library():
    code = (
        "import sys, mygrad, mygrad.testing, mygrad.testing.backends\n"
        "x = mygrad.tensor([1.0, 2.0]); (x * x).sum().backward()\n"
        "loaded = sorted({'dask', 'distributed', 'cupy'} & {m.split('.')[0] for m in sys.modules})\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --------------------------------------------------------------------------------------------------- Dask
da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


class NoCompute:
    """A Dask scheduler that fails: within ``with dask.config.set(scheduler=NoCompute())`` nothing computes."""

    def __call__(self, *args, **kwargs):
        raise AssertionError("a Dask graph was computed")


def counting_chunks(shape, chunks, seed=0):
    """A random Dask array, and a counter of the chunks generated (each chunk's values depend on its place)."""
    calls = []
    lock = threading.Lock()

    def make(block_info=None):
        info = block_info[None]
        with lock:
            calls.append(tuple(info["chunk-location"]))
        rng = np.random.default_rng([seed, *info["chunk-location"]])
        return rng.standard_normal(info["chunk-shape"])

    return da.map_blocks(make, chunks=chunks, dtype=np.float64, meta=np.empty((0,) * len(shape))), calls


def descended_over_numpy(X, y, steps):
    """The weights that the guide's least-squares steps reach over the same data as NumPy arrays."""
    Xn, yn = dask.compute(X, y)
    v = mg.tensor(np.zeros(8))
    for _step in range(steps):
        np.mean((Xn @ v - yn) ** 2).backward()
        with mg.no_autodiff:
            v -= 0.1 * v.grad
    return v.data


def least_squares_data(n=1000, chunk=300):
    X = da.random.default_rng(0).random((n, 8), chunks=(chunk, 8))  # uneven: 1000 = 3 * 300 + 100
    y = X @ np.arange(8.0) + 1.0
    return X, y


def test_the_guides_snippet_runs_and_converges():
    # the snippet of docs/beyond.rst, on a dataset this test can afford
    X, y = least_squares_data()
    w = mg.tensor(np.zeros(8))
    losses = []
    for _step in range(60):
        loss = np.mean((X @ w - y) ** 2)  # a Tensor whose data is a lazy dask array
        loss.backward()  # w.grad: the gradient, reduced over every chunk
        losses.append(loss.item())
        with mg.no_autodiff:
            w -= 0.1 * w.grad
    assert losses[-1] < losses[0] / 10
    # the same steps over NumPy arrays give the same parameters
    np.testing.assert_allclose(w.data, descended_over_numpy(X, y, steps=60), rtol=1e-10)


def test_loss_and_gradient_stay_lazy_until_computed():
    X, y = least_squares_data()
    w = mg.tensor(np.zeros(8))
    with dask.config.set(scheduler=NoCompute()):
        loss = np.mean((X @ w - y) ** 2)
        loss.backward()
        assert isinstance(loss.data, da.Array) and isinstance(w.grad, da.Array)
        assert "dask.array<" in repr(loss)
    value, grad = dask.compute(loss.data, w.grad)
    Xn, yn = dask.compute(X, y)
    v = mg.tensor(np.zeros(8))
    expected = np.mean((Xn @ v - yn) ** 2)
    expected.backward()
    np.testing.assert_allclose(value, expected.data, rtol=1e-12)
    np.testing.assert_allclose(grad, v.grad, rtol=1e-12)


def test_one_compute_of_loss_and_gradient_reads_each_chunk_once():
    X, calls = counting_chunks((1000, 8), ((300, 300, 300, 100), (8,)))
    w = mg.tensor(np.ones(8))
    loss = np.mean(np.log1p(np.exp(-(X @ w))))  # a logistic loss
    loss.backward()
    dask.compute(loss.data, w.grad, scheduler="threads")
    assert sorted(calls) == [(i, 0) for i in range(4)]  # each chunk made (read) once for both results


def test_a_tensor_keeps_a_dask_array():
    x = da.arange(6.0, chunks=4)
    t = mg.tensor(x)
    assert isinstance(t.data, da.Array) and t.data is not x  # copied: a new array object, as NumPy's copy
    assert mg.tensor(x, copy=False).data is x
    assert mg.tensor(x, dtype=np.float32).dtype == np.float32
    assert mg.tensor(x, ndmin=3).shape == (1, 1, 6)
    assert mg.Tensor(t).data is not t.data
    assert t.constant is False and mg.tensor(da.arange(3, chunks=2)).constant is True
    np.testing.assert_array_equal(np.asarray(t), np.arange(6.0))  # converting explicitly computes


def test_numpy_parameters_and_dask_data_mix_by_dask_rules():
    X = da.ones((5, 3), chunks=2)
    w = mg.tensor(np.arange(3.0))
    b = mg.tensor(0.5)
    out = mg.sum(X @ w + b)  # mygrad's functions, NumPy's and the operators, as over NumPy
    assert isinstance(out.data, da.Array)
    out.backward()
    assert isinstance(w.grad, da.Array) and isinstance(b.grad, da.Array)
    np.testing.assert_allclose(w.grad.compute(), [5.0, 5.0, 5.0])
    np.testing.assert_allclose(b.grad.compute(), 5.0)


def test_higher_order_derivatives_over_dask():
    x = mg.tensor(da.from_array(np.array([0.5, 1.0, 2.0]), chunks=2))
    (x**3).sum().backward(create_graph=True)
    assert isinstance(x.grad, da.Array)
    g = x.grad_tensor
    g.sum().backward()
    np.testing.assert_allclose(x.grad.compute(), 6 * np.array([0.5, 1.0, 2.0]))
    hessian = mg.hessian(lambda t: (mg.sin(t) * t).sum())(da.from_array(np.array([0.3, 0.7]), chunks=1))
    assert isinstance(hessian.data, da.Array)
    xs = np.array([0.3, 0.7])
    np.testing.assert_allclose(hessian.data.compute(), np.diag(2 * np.cos(xs) - xs * np.sin(xs)))


@pytest.mark.parametrize(
    "index", [np.array([0, 2, 0, 0]), (np.array([1, 1]), slice(None)), (slice(None), np.array([1, 1, 0]))]
)
def test_gradient_of_an_advanced_index_over_dask(index):
    # repeated positions accumulate: Dask has no `np.add.at`, mygrad falls back on a weighted bincount
    x = np.arange(6.0).reshape(3, 2)
    t = mg.tensor(da.from_array(x, chunks=(2, 1)))
    out = t[index] * 3.0
    out.backward(da.from_array(np.arange(1.0, out.size + 1).reshape(out.shape), chunks=1))
    u = mg.tensor(x)
    (u[index] * 3.0).backward(np.arange(1.0, out.size + 1).reshape(out.shape))
    assert isinstance(t.grad, da.Array)
    np.testing.assert_allclose(t.grad.compute(), u.grad)


def test_gradient_of_an_index_that_is_a_new_axis_alone_over_dask():
    x = mg.tensor(da.from_array(np.arange(6.0).reshape(3, 2), chunks=2))
    (x[None] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.compute(), np.full((3, 2), 2.0))


def test_gradient_of_a_basic_index_with_new_axes_over_dask():
    x = mg.tensor(da.from_array(np.arange(12.0).reshape(3, 4), chunks=2))
    (x[None, 1:, ::-2, None] * 2).sum().backward()
    expected = np.zeros((3, 4))
    expected[1:, ::-2] = 2.0
    np.testing.assert_array_equal(x.grad.compute(), expected)


@pytest.mark.parametrize("index", [(0, slice(1, 0, -1)), (slice(None, None, -2),), (..., slice(3, None, -1))])
def test_gradient_of_a_slice_of_negative_step_over_dask(index):
    # Dask's assignment fails through such a slice: the gradient is added through the increasing one
    values = np.arange(20.0).reshape(5, 4)
    x = mg.tensor(da.from_array(values, chunks=(2, 3)))
    (x[index] * np.arange(1.0, values[index].size + 1).reshape(values[index].shape)).sum().backward()
    u = mg.tensor(values)
    (u[index] * np.arange(1.0, values[index].size + 1).reshape(values[index].shape)).sum().backward()
    assert isinstance(x.grad, da.Array)
    np.testing.assert_array_equal(x.grad.compute(), u.grad)


def test_gradient_checks_over_dask_with_uneven_chunks():
    from mygrad.testing.backends import dask_backend, over

    rng = np.random.default_rng(1)
    with over(dask_backend()):
        assert_gradients_match(lambda x, y: (x @ y).sum(axis=0), rng.random((5, 3)), rng.random((3, 2)))
        assert_gradients_match(lambda x: mg.log1p(mg.exp(x)).mean(), rng.random((3, 5, 2)))
        assert_second_derivatives_match(lambda x: mg.tanh(x) * x, rng.random((3, 2)))


@pytest.mark.parametrize(
    "f",
    [
        lambda x: np.std(x),
        lambda x: np.std(x, axis=0, ddof=1),
        lambda x: np.concatenate([x, x]).sum(),
        lambda x: np.vstack([x, x]).sum(),
        lambda x: np.hstack([x, x]).sum(),
        lambda x: x.reshape(-1),
        lambda x: np.reshape(x, 24),
    ],
    ids=["std", "std-axis-ddof", "concatenate", "vstack", "hstack", "reshape(-1)", "np.reshape(x, 24)"],
)
def test_common_functions_stay_dask_and_differentiate(f):
    # each raised over Dask: mygrad passed NumPy's defaults (initial=, casting=) or an int shape to Dask
    values = np.random.default_rng(2).random((6, 4))
    x = mg.tensor(da.from_array(values, chunks=(3, 2)))
    out = f(x)
    assert isinstance(out.data, da.Array)
    out.backward()
    assert isinstance(x.grad, da.Array)
    reference = mg.tensor(values)
    f(reference).backward()
    np.testing.assert_allclose(out.data.compute(), f(mg.tensor(values)).data)
    np.testing.assert_allclose(x.grad.compute(), reference.grad)


LAZY_CASES = {
    "where(dask condition)": lambda x, y: mg.where(x.data > 0.5, x, y),
    "where(tensor condition)": lambda x, y: mg.where(x > y, x * y, -x),
    "max": lambda x, y: mg.max(x, axis=0),
    "min": lambda x, y: mg.min(x),
    "nanmax": lambda x, y: np.nanmax(x, axis=1),
    "ptp": lambda x, y: np.ptp(x, axis=1),
    "prod": lambda x, y: mg.prod(x, axis=1),
    "cumprod": lambda x, y: mg.cumprod(x, axis=0),
    "x ** y": lambda x, y: x**y,
    "norm": lambda x, y: mg.linalg.norm(x),
    "norm(axis)": lambda x, y: mg.linalg.norm(x, axis=1),
    "norm(nan_to_num=False)": lambda x, y: mg.linalg.norm(x, axis=0, nan_to_num=False),
    "logsumexp": lambda x, y: mg.logsumexp(x, axis=1),
    "norm(ord=inf)": lambda x, y: mg.linalg.norm(x, ord=np.inf, axis=1),
    "norm(ord=1, matrix)": lambda x, y: mg.linalg.norm(x, ord=1),
    "norm(ord=3)": lambda x, y: mg.linalg.norm(x, ord=3, axis=0),
    "concatenate(axis=None)": lambda x, y: np.concatenate([x, y], axis=None) * 2.0,
    "average(returned=True)": lambda x, y: np.average(x, axis=0, returned=True)[0],
    # copies: their gradients used to scatter through NumPy arrays of flat positions of x's size
    "pad constant": lambda x, y: np.pad(x, ((1, 2), (0, 1))) * 2.0,
    "pad reflect": lambda x, y: np.pad(x, 1, mode="reflect") * 2.0,
    "repeat": lambda x, y: np.repeat(x, 3, axis=1) * 2.0,
    "tile": lambda x, y: np.tile(x, (2, 3)) * 2.0,
}


@pytest.mark.parametrize("name", sorted(LAZY_CASES))
def test_forward_and_backward_over_dask_compute_nothing(name):
    # their rules used to test the data (np.any, a NumPy mask, np.asarray): each such test computed the graph
    f = LAZY_CASES[name]
    rng = np.random.default_rng(5)
    xs, ys = rng.uniform(0.1, 1.0, (6, 4)), rng.uniform(0.1, 1.0, (6, 4))
    x, y = mg.tensor(da.from_array(xs, chunks=(4, 3))), mg.tensor(da.from_array(ys, chunks=(4, 3)))
    with dask.config.set(scheduler=NoCompute()):
        out = f(x, y)
        out.backward()
        assert isinstance(out.data, da.Array) and isinstance(x.grad, da.Array)
    u, v = mg.tensor(xs), mg.tensor(ys)
    expected = f(u, v)
    expected.backward()
    np.testing.assert_allclose(out.data.compute(), expected.data, rtol=1e-12)
    np.testing.assert_allclose(x.grad.compute(), u.grad, rtol=1e-12)
    if v.grad is not None:
        np.testing.assert_allclose(y.grad.compute(), v.grad, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(LAZY_CASES))
def test_second_derivatives_over_dask_compute_nothing(name):
    # the recorded pass runs the rules on tensors: mygrad's own functions (zeros_like ...) keep Dask's arrays
    f = LAZY_CASES[name]
    rng = np.random.default_rng(5)
    xs, ys = rng.uniform(0.1, 1.0, (6, 4)), rng.uniform(0.1, 1.0, (6, 4))
    x, y = mg.tensor(da.from_array(xs, chunks=(4, 3))), mg.tensor(da.from_array(ys, chunks=(4, 3)))
    with dask.config.set(scheduler=NoCompute()):
        (f(x, y) ** 2).sum().backward(create_graph=True)
        (x.grad_tensor**2).sum().backward()
        assert isinstance(x.grad, da.Array)
    u, v = mg.tensor(xs), mg.tensor(ys)
    (f(u, v) ** 2).sum().backward(create_graph=True)
    (u.grad_tensor**2).sum().backward()
    np.testing.assert_allclose(x.grad.compute(), u.grad, rtol=1e-9)


def test_the_gradient_of_a_global_max_over_dask_allocates_no_array_of_its_size():
    # the first maximum's mask is made in Dask (a NumPy arange of the 4-million-element lane took 32 MB)
    import tracemalloc

    x = mg.tensor(da.random.default_rng(0).random((4000, 1000), chunks=(2000, 1000)))
    tracemalloc.start()
    try:
        np.max(x).backward()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4e6, f"{peak / 1e6:.1f} MB allocated while building the gradient"
    assert isinstance(x.grad, da.Array)


@pytest.mark.parametrize(
    "index",
    [
        np.array([0, 2, 0, 2]),
        (slice(1, 3),),
        (np.array([1, 1]), slice(None)),
        (slice(None), np.array([2, 0, 2])),
    ],
    ids=["repeated rows", "slice", "repeated rows, all columns", "repeated columns"],
)
def test_setitem_over_dask_computes_nothing_and_the_last_write_wins(index):
    # the gradients mark the overwritten elements and the values written last in Dask, with no NumPy array of
    # x's size
    xs, rng = np.random.default_rng(0).random((4, 3)), np.random.default_rng(1)
    vs = rng.random(xs[index].shape)

    def f(x, v):
        y = x * 1.0
        y[index] = v
        return (y * y).sum()

    x, v = mg.tensor(da.from_array(xs, chunks=(3, 2))), mg.tensor(da.from_array(vs, chunks=2))
    with dask.config.set(scheduler=NoCompute()):
        f(x, v).backward()
        assert isinstance(x.grad, da.Array) and isinstance(v.grad, da.Array)
    u, w = mg.tensor(xs), mg.tensor(vs)
    f(u, w).backward()
    np.testing.assert_allclose(x.grad.compute(), u.grad, rtol=1e-12)
    np.testing.assert_allclose(v.grad.compute(), w.grad, rtol=1e-12)


def test_in_place_operations_follow_dask():
    # Dask has no views: a slice is a new array; writes into a tensor replace its data, differentiably
    x = mg.tensor(da.from_array(np.arange(4.0), chunks=3))
    y = x * 1
    view = y[:2]
    assert view.base is None  # not a view: Dask makes copies
    y[1] = 10.0
    y += x
    np.testing.assert_array_equal(y.data.compute(), [0.0, 11.0, 4.0, 6.0])
    np.testing.assert_array_equal(view.data.compute(), [0.0, 1.0])  # the copy kept its values
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.compute(), [2.0, 1.0, 2.0, 2.0])  # x[1]'s first use was overwritten


def test_reshaping_a_dask_tensor_in_place_is_refused():
    x = mg.tensor(da.ones((2, 3), chunks=2))
    with pytest.raises(AttributeError, match=r"dask\.array\.Array cannot .* Use `\.reshape\(\)`"):
        x.shape = (3, 2)
    with mg.no_autodiff, pytest.raises(AttributeError, match=r"dask\.array\.Array"):
        x.shape = (3, 2)
    assert x.shape == (2, 3)


def test_a_result_of_unknown_shape_is_refused_in_a_graph():
    # Dask's boolean indexing gives unknown chunk sizes; backpropagation needs every shape
    x = mg.tensor(da.from_array(np.arange(4.0), chunks=2))
    mask = x.data > 1.0  # a lazy mask: the selection's size is unknown until computed
    with pytest.raises(
        NotImplementedError, match=r"GetItem gave a dask\.array\.Array of unknown shape \(nan,\)"
    ):
        x[mask]
    with mg.no_autodiff:
        assert np.isnan(x[mask].shape[0])  # without a graph, Dask's own result
    (x * 1)[np.array([False, True, True, True])].sum().backward()  # a NumPy mask: shapes known
    np.testing.assert_array_equal(x.grad.compute(), [0.0, 1.0, 1.0, 1.0])


def test_updating_parameters_without_autodiff():
    X, y = least_squares_data(n=100, chunk=30)
    # a NumPy parameter takes the values of a lazy update (NumPy arrays hold values): computed there
    w = mg.tensor(np.zeros(8))
    np.mean((X @ w - y) ** 2).backward()
    with mg.no_autodiff:
        w -= 0.1 * w.grad
    assert type(w.data) is np.ndarray
    # a Dask parameter takes the lazy update, still lazy
    v = mg.tensor(da.zeros(8, chunks=4))
    np.mean((X @ v - y) ** 2).backward()
    with dask.config.set(scheduler=NoCompute()), mg.no_autodiff:
        v -= 0.1 * v.grad
        v[0] = 0.0
    assert isinstance(v.data, da.Array)
    np.testing.assert_allclose(v.data.compute()[1:], w.data[1:], rtol=1e-12)
    assert v.data.compute()[0] == 0.0


def test_copies_and_pickles_of_dask_tensors():
    x = mg.tensor(da.arange(3.0, chunks=2))
    (x * x).sum().backward()
    for other in (x.copy(), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert isinstance(other.data, da.Array)
        np.testing.assert_array_equal(other.data.compute(), [0.0, 1.0, 2.0])
        np.testing.assert_array_equal(other.grad.compute(), [0.0, 2.0, 4.0])


def test_the_memory_guard_leaves_dask_arrays_alone():
    x = mg.tensor(da.arange(3.0, chunks=2))
    with mg.mem_guard_on:
        y = x * 2
    y.backward()
    np.testing.assert_array_equal(x.grad.compute(), [2.0, 2.0, 2.0])


def test_training_on_a_local_cluster_with_two_worker_processes():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",  # loopback only
            dashboard_address=None,
            worker_dashboard_address=None,
            memory_limit="1GiB",
        ) as cluster,
        distributed.Client(cluster, timeout=60) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        X, y = least_squares_data(n=2000, chunk=250)
        w = mg.tensor(np.zeros(8))
        values = []
        for _step in range(10):
            loss = np.mean((X @ w - y) ** 2)
            loss.backward()
            # on the cluster's workers, one pass over the data for both (bounded in time)
            futures = client.compute([loss.data, w.grad])
            distributed.wait(futures, timeout=60)
            value, grad = client.gather(futures)
            values.append(value)
            with mg.no_autodiff:
                w -= 0.1 * grad
        assert all(later < earlier for earlier, later in zip(values, values[1:]))
        workers = client.run(lambda dask_worker: dask_worker.state.executed_count)
        assert len(workers) == 2 and all(count > 0 for count in workers.values())  # both did the work
    np.testing.assert_allclose(w.data, descended_over_numpy(X, y, steps=10), rtol=1e-10)


# --------------------------------------------------------------------------------------------------- CuPy
def _cupy_or_skip():
    cupy = pytest.importorskip("cupy", reason="CuPy is not installed (its tests need CuPy and a CUDA device)")
    try:
        cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CuPy's own error for a missing driver or device
        pytest.skip(f"no CUDA device: {error}")
    return cupy


def test_gradient_checks_over_cupy():
    _cupy_or_skip()
    from mygrad.testing.backends import cupy_backend, over

    rng = np.random.default_rng(1)
    with over(cupy_backend()):
        assert_gradients_match(lambda x, y: (x @ y).sum(axis=0), rng.random((5, 3)), rng.random((3, 2)))
        assert_gradients_match(lambda x: x[np.array([0, 0, 1])].sum(), rng.random((3, 2)))
        assert_second_derivatives_match(lambda x: mg.tanh(x) * x, rng.random((3, 2)))


def test_views_and_in_place_operations_over_cupy():
    cupy = _cupy_or_skip()
    x = mg.tensor(cupy.arange(4.0))
    y = x * 1
    view = y[:2]
    assert view.base is y  # CuPy has views, as NumPy
    view[0] = 5.0
    assert float(y.data[0]) == 5.0
    y.sum().backward()
    np.testing.assert_array_equal(cupy.asnumpy(x.grad), [0.0, 1.0, 1.0, 1.0])
