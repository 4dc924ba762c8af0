"""Every keyword of every NumPy function mygrad implements, generated from the dispatch table.

For each entry of ``FUNCTIONS`` (NumPy's functions that tensors reach) a sample call is listed below; a new entry
without one fails ``test_every_numpy_function_has_a_sample``. Each optional parameter of NumPy's signature is then
passed explicitly, at NumPy's default and at a value of its own (``NON_DEFAULTS``, by parameter name), to NumPy's
function given arrays and given tensors: the results must agree (values, shape and dtype), or both calls must
raise the same exception type. The signatures themselves are checked in test_registry.py; the gradients of the
differentiable keywords in test_grad_numpy_surface.py.
"""

from __future__ import annotations

import inspect
import io
import warnings

import numpy as np
import pytest

import mygrad as mg
from mygrad._ops.registry import FUNCTIONS, UFUNCS

A = np.array([[1.5, -2.0, 0.25], [0.5, 3.0, -0.75]])
SQUARE = np.array([[2.0, 1.0], [1.0, 3.0]])
LIKE = {"like": A}  # NumPy's creation functions reach mygrad through `like=`

# NumPy function: a function giving its sample positional arguments and keywords (made anew for each call)
SAMPLES = {
    np.clip: lambda: ((A, -1.0, 1.0), {}),
    np.round: lambda: ((A,), {}),
    np.around: lambda: ((A,), {}),
    np.einsum: lambda: (("ij->j", A), {}),
    np.tensordot: lambda: ((A, A.T), {}),
    np.dot: lambda: ((A, A.T), {}),
    np.inner: lambda: ((A, A), {}),
    np.outer: lambda: ((A, A), {}),
    np.vdot: lambda: ((A, A), {}),
    np.linalg.norm: lambda: ((A,), {}),
    np.linalg.inv: lambda: ((SQUARE,), {}),
    np.linalg.det: lambda: ((SQUARE,), {}),
    np.linalg.slogdet: lambda: ((SQUARE,), {}),
    np.linalg.solve: lambda: ((SQUARE, SQUARE), {}),
    np.reshape: lambda: ((A, (3, 2)), {}),
    np.ravel: lambda: ((A,), {}),
    np.transpose: lambda: ((A,), {}),
    np.moveaxis: lambda: ((A, 0, 1), {}),
    np.swapaxes: lambda: ((A, 0, 1), {}),
    np.squeeze: lambda: ((A[None],), {}),
    np.expand_dims: lambda: ((A, 0), {}),
    np.broadcast_to: lambda: ((A, (2, 2, 3)), {}),
    np.concatenate: lambda: (([A, A],), {}),
    np.stack: lambda: (([A, A],), {}),
    np.atleast_1d: lambda: ((A,), {}),
    np.atleast_2d: lambda: ((A,), {}),
    np.atleast_3d: lambda: ((A,), {}),
    np.vstack: lambda: (([A, A],), {}),
    np.hstack: lambda: (([A, A],), {}),
    np.dstack: lambda: (([A, A],), {}),
    np.array_split: lambda: ((A, 2), {}),
    np.split: lambda: ((A, 2), {}),
    np.cumsum: lambda: ((A,), {}),
    np.cumprod: lambda: ((A,), {}),
    np.argmax: lambda: ((A,), {}),
    np.argmin: lambda: ((A,), {}),
    np.any: lambda: ((A,), {}),
    np.all: lambda: ((A,), {}),
    np.sum: lambda: ((A,), {}),
    np.prod: lambda: ((A,), {}),
    np.mean: lambda: ((A,), {}),
    np.var: lambda: ((A,), {}),
    np.std: lambda: ((A,), {}),
    np.max: lambda: ((A,), {}),
    np.amax: lambda: ((A,), {}),
    np.min: lambda: ((A,), {}),
    np.amin: lambda: ((A,), {}),
    np.roll: lambda: ((A, 1), {}),
    np.flip: lambda: ((A,), {}),
    np.repeat: lambda: ((A, 2), {}),
    np.tile: lambda: ((A, 2), {}),
    np.pad: lambda: ((A, 1), {}),
    np.sort: lambda: ((A,), {}),
    np.take: lambda: ((A, [0, 2]), {}),
    np.take_along_axis: lambda: ((A, np.array([[0], [1]])), {}),
    np.where: lambda: ((A > 0, A, 0.0), {}),
    np.diagonal: lambda: ((A,), {}),
    np.diag: lambda: ((A,), {}),
    np.trace: lambda: ((A,), {}),
    np.nansum: lambda: ((A,), {}),
    np.nanmean: lambda: ((A,), {}),
    np.nanmax: lambda: ((A,), {}),
    np.nanmin: lambda: ((A,), {}),
    np.average: lambda: ((A,), {}),
    np.ptp: lambda: ((A,), {}),
    np.cumulative_sum: lambda: ((A[0],), {}),
    np.sinc: lambda: ((A,), {}),
    np.zeros_like: lambda: ((A,), {}),
    np.ones_like: lambda: ((A,), {}),
    np.empty_like: lambda: ((A,), {}),
    np.full_like: lambda: ((A, 2.0), {}),
    np.zeros: lambda: (((2, 3),), LIKE),
    np.ones: lambda: (((2, 3),), LIKE),
    np.empty: lambda: (((2, 3),), LIKE),
    np.full: lambda: (((2, 3), 1.5), LIKE),
    np.arange: lambda: ((3,), LIKE),
    np.eye: lambda: ((2,), LIKE),
    np.identity: lambda: ((2,), LIKE),
    np.asarray: lambda: ((A,), LIKE),
    np.linspace: lambda: ((A[0], 5.0), {}),
    np.logspace: lambda: ((A[0], 2.0), {}),
    np.geomspace: lambda: ((np.abs(A[0]) + 1, 5.0), {}),
    np.save: lambda: ((io.BytesIO(), A), {}),
    np.allclose: lambda: ((A, A), {}),
    np.bincount: lambda: ((np.array([1, 2, 2]),), {}),
    np.can_cast: lambda: ((A, np.float32), {}),
    np.copyto: lambda: ((np.zeros((2, 3)), A), {}),
    np.isclose: lambda: ((A, A), {}),
    np.may_share_memory: lambda: ((A, A), {}),
    np.min_scalar_type: lambda: ((A,), {}),
    np.result_type: lambda: ((A, A), {}),
    np.shape: lambda: ((A,), {}),
    np.shares_memory: lambda: ((A, A), {}),
    np.ndim: lambda: ((A,), {}),
    np.size: lambda: ((A,), {}),
    np.array_equal: lambda: ((A, A), {}),
    np.array_equiv: lambda: ((A, A), {}),
}
UNINITIALIZED = {np.empty, np.empty_like}  # their values are NumPy's garbage: shape and dtype only

# a value of each keyword other than NumPy's default, by name
NON_DEFAULTS = {
    "axis": -1, "keepdims": True, "dtype": np.float32, "order": "F", "ddof": 1, "correction": 1, "initial": 0.5,
    "where": np.array([True, False, True]), "returned": True, "include_initial": True, "mode": "clip",
    "kind": "stable", "stable": True, "optimize": True, "casting": "unsafe", "subok": False, "copy": True,
    "equal_nan": True, "k": 1, "offset": 1, "axis1": 1, "axis2": 0, "ord": 1, "shape": (3, 2), "M": 3,
    "endpoint": False, "num": 3, "retstep": True, "base": 2.0, "decimals": 1, "weights": A, "rtol": 0.1,
    "atol": 0.1, "minlength": 5, "max_work": 0, "min": -1.0, "max": 1.0, "mean": np.zeros((1, 1)),
    "device": "cpu", "stop": 5, "step": 2, "allow_pickle": False,
}  # fmt: skip


CONSTANT_ONLY = {np.round, np.around}  # no derivative: they take constant tensors


def _tensors(value, made: dict, constant: bool):
    """``value`` with its arrays (inside lists too) as tensors, the same array always as the same tensor."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        if id(value) not in made:
            made[id(value)] = mg.tensor(value, constant=constant or None)
        return made[id(value)]
    if isinstance(value, list):
        return [_tensors(v, made, constant) for v in value]
    return value


def _outcome(func, args, kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(*args, **kwargs), None
    except Exception as error:  # noqa: BLE001  (whatever NumPy raises, mygrad must raise)
        return None, type(error)


def _assert_same(result, expected, values: bool) -> None:
    if isinstance(expected, (tuple, list)):
        assert isinstance(result, (tuple, list)) and len(result) == len(expected)
        for r, e in zip(result, expected):
            _assert_same(r, e, values)
        return
    if expected is None or isinstance(expected, (bool, np.dtype, type, tuple, int)) and not np.ndim(expected):
        assert result == expected
        return
    got, want = np.asarray(result), np.asarray(expected)
    assert got.shape == want.shape and got.dtype == want.dtype
    if values:
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-12)


def _check(numpy_func, extra: dict) -> None:
    args, kwargs = SAMPLES[numpy_func]()
    expected, error = _outcome(numpy_func, args, {**kwargs, **extra})
    args, kwargs = SAMPLES[numpy_func]()
    made, constant = {}, numpy_func in CONSTANT_ONLY
    args = [_tensors(a, made, constant) for a in args]
    kwargs = {k: _tensors(v, made, constant) for k, v in kwargs.items()}
    result, our_error = _outcome(numpy_func, args, {**kwargs, **extra})
    assert our_error is error, f"NumPy: {error}, mygrad: {our_error}"
    if error is None:
        _assert_same(result, expected, values=numpy_func not in UNINITIALIZED)


def numpy_signature(numpy_func) -> inspect.Signature:
    """NumPy's signature of ``numpy_func``; the test is skipped where this NumPy exposes none (NumPy < 2.3
    gives its C functions none)."""
    try:
        return inspect.signature(numpy_func)
    except ValueError:
        pytest.skip(f"NumPy {np.__version__} exposes no signature of numpy.{numpy_func.__name__}")


def _keywords(numpy_func) -> list[tuple[str, object]]:
    """(name, value) for each optional parameter of NumPy's function: its default (if NumPy's marker is not
    it) and its value in NON_DEFAULTS."""
    cases = []
    for name, p in numpy_signature(numpy_func).parameters.items():
        if p.default is p.empty or p.kind is p.VAR_KEYWORD or name in ("like", "out"):
            continue
        if repr(p.default) != "<no value>":
            cases.append((name, p.default))
        if name in NON_DEFAULTS:
            cases.append((name, NON_DEFAULTS[name]))
    return cases


def _name(func) -> str:
    return f"{func.__module__}.{func.__name__}"


MYGRADS = list(FUNCTIONS)  # mygrad's own entries: those there when the tests are collected (tests add others)


def test_every_numpy_function_has_a_sample():
    assert set(MYGRADS) - set(SAMPLES) == set(), "NumPy functions without a sample call here"


@pytest.mark.parametrize("numpy_func", list(SAMPLES), ids=_name)
def test_every_keyword_of_numpys_function_means_what_it_means_for_arrays(numpy_func):
    _check(numpy_func, {})
    for name, value in _keywords(numpy_func):
        try:
            _check(numpy_func, {name: value})
        except AssertionError as failure:
            raise AssertionError(f"{_name(numpy_func)}(..., {name}={value!r}): {failure}") from None


# ------------------------------------------------------------------------------------------------ ufuncs
UFUNC_KEYWORDS = [
    {},
    {"dtype": np.float32},
    {"casting": "unsafe", "dtype": np.float32},
    {"order": "F"},
    {"subok": False},
    {"where": np.array([True, False, True]), "out": np.zeros((2, 3))},
    {"signature": None},
]


@pytest.mark.parametrize("kwargs", UFUNC_KEYWORDS, ids=lambda kw: ",".join(kw) or "none")
@pytest.mark.parametrize("ufunc", list(UFUNCS), ids=lambda u: u.__name__)
def test_every_keyword_of_numpys_ufuncs_means_what_it_means_for_arrays(ufunc, kwargs):
    # every NumPy ufunc that tensors reach, under each of a ufunc's keywords (constant tensors for the ufuncs
    # without a derivative, which refuse the others)
    arrays = (np.abs(A) + 0.5, A + 4.0)[: ufunc.nin]
    constant = not isinstance(UFUNCS[ufunc], type)
    expected, error = _outcome(ufunc, arrays, {k: v.copy() if k == "out" else v for k, v in kwargs.items()})
    tensors = [mg.tensor(a, constant=constant or None) for a in arrays]
    result, our_error = _outcome(
        ufunc, tensors, {k: v.copy() if k == "out" else v for k, v in kwargs.items()}
    )
    assert our_error is error, f"NumPy: {error}, mygrad: {our_error}"
    if error is None:
        _assert_same(result, expected, values=True)
