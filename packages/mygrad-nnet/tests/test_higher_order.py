"""Second derivatives through every differentiable operation of mygrad.nnet (the recorded backward pass).

``NNET_OPS`` is every operation class that the modules of ``mygrad.nnet`` declare (found by walking the
package, as core's test walks its ``PRIMITIVES``); each must have an entry in ``CASES``, a Hypothesis strategy
for small float64 problems that go through it (strides, dilations, padding, truncation, dropout, optional
inputs, size-0 arrays where the operation allows them; points kept away from kinks and ties). For each drawn
problem the test checks that

* the function's graph contains the operation;
* its recorded first-order gradients (``mygrad.grad``, which the higher orders differentiate) equal the
  gradients of plain ``backward()``, which run the operation's own rules: a composite (or a rule rewritten on
  Tensors) must be the same derivative, with the same choices at ties;
* ``assert_second_derivatives_match``: the derivative of the recorded gradient against central differences.

Then: composites at ties and NaNs, the Hessian of a tiny conv net and of a GRU loss against differences of
plain first-order gradients, ``hvp`` against ``hessian @ v``, and the composite mechanism itself (custom
operations of both kinds, repeated and dependent inputs, the walk stopping at the operation's inputs).
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
import mygrad.nnet
from mygrad import operation_base
from mygrad._ops.registry import PRIMITIVES
from mygrad.nnet import (
    avg_pool,
    batchnorm,
    conv_nd,
    elu,
    focal_loss,
    glu,
    gru,
    hard_tanh,
    leaky_relu,
    logsoftmax,
    margin_ranking_loss,
    max_pool,
    multiclass_hinge,
    negative_log_likelihood,
    relu,
    selu,
    sigmoid,
    soft_sign,
    softmax,
    softmax_crossentropy,
    softmax_focal_loss,
)
from mygrad.nnet.losses import LogOverComplement
from mygrad.operation_base import Operation, primitive
from mygrad.testing import assert_second_derivatives_match, operation_names


# ------------------------------------------------------------------------------------- the operations
def _nnet_operations() -> dict[str, type]:
    """Every Operation subclass that a module of mygrad.nnet defines or declares (not core's)."""
    core = set(PRIMITIVES.values()) | {
        obj for obj in vars(operation_base).values() if inspect.isclass(obj) and issubclass(obj, Operation)
    }
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(mygrad.nnet.__path__, "mygrad.nnet."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Operation) and obj not in core:
                assert found.setdefault(obj.__name__, obj) is obj, f"two nnet operations named {obj.__name__}"
    return found


NNET_OPS = _nnet_operations()


def test_the_walk_finds_the_operations():
    # a sanity check of the walk itself: one op of each kind (declared with `primitive`, and subclasses)
    assert {"ConvND", "MaxPool", "Sigmoid", "SoftmaxCrossEntropy", "BatchNorm", "GRUnit"} <= set(NNET_OPS)


def assert_recorded_first_order_matches(f: Callable[..., Any], *arrays: np.ndarray, seed: int = 0) -> None:
    """The recorded pass's gradients (``mygrad.grad``) equal plain ``backward()``'s (the ops' own rules)."""
    out_shape = np.shape(f(*(mg.tensor(a) for a in arrays)).data)
    weight = np.random.default_rng(seed).standard_normal(out_shape)
    tensors = [mg.tensor(a) for a in arrays]
    f(*tensors).backward(weight)
    recorded = mg.grad(lambda *ts: (f(*ts) * weight).sum(), argnums=tuple(range(len(arrays))))(*arrays)
    for i, (t, r) in enumerate(zip(tensors, recorded)):
        plain = np.zeros(t.shape) if t.grad is None else t.grad
        np.testing.assert_allclose(r.data, plain, rtol=1e-9, atol=1e-12, err_msg=f"first order, input {i}")


def curved(g: Callable[..., Any]) -> Callable[..., Any]:
    """``g`` followed by ``y -> y cos(y)``: a nonlinearity after a (piecewise) linear ``g``, so that the
    second derivative goes through ``g``'s rule and is not trivially zero."""

    def f(*xs: Any) -> Any:
        y = g(*xs)
        return y * mg.cos(y)

    return f


# ------------------------------------------------------------------------------------------ strategies
def floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


ANY = floats(-3, 3)
AWAY_FROM_0 = floats(0.05, 3) | floats(-3, -0.05)  # kinks at 0 (relu & co.) stay farther than the step 1e-6
DISTINCT = st.integers(-48, 48).map(lambda n: n / 16)  # for unique values: no ties within the step


def arrays(
    shape: tuple[int, ...], elements: st.SearchStrategy = ANY, unique: bool = False
) -> st.SearchStrategy:
    return hnp.arrays(np.float64, shape, elements=elements, unique=unique)


SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)


@dataclass(frozen=True)
class Case:
    """``draw(data) -> (f, arrays)``: a problem through the operation; ``max_examples`` caps the number of
    examples for the slow ones (never below 20)."""

    draw: Callable[[st.DataObject], tuple[Callable[..., Any], list[np.ndarray]]]
    max_examples: int | None = None


def elementwise(op: Callable[..., Any], elements: st.SearchStrategy = ANY, linear: bool = False) -> Case:
    def draw(data: st.DataObject) -> tuple:
        x = data.draw(arrays(data.draw(SHAPES, label="shape"), elements), label="x")
        return (curved(op) if linear else op), [x]

    return Case(draw)


def _elu(data: st.DataObject) -> tuple:
    alpha = data.draw(floats(0.1, 2), label="alpha")
    x = data.draw(arrays(data.draw(SHAPES, label="shape"), AWAY_FROM_0), label="x")
    return (lambda t: elu(t, alpha)), [x]


def _leaky_relu(data: st.DataObject) -> tuple:
    slope = data.draw(floats(-1, 1), label="slope")
    x = data.draw(arrays(data.draw(SHAPES, label="shape"), AWAY_FROM_0), label="x")
    return curved(lambda t: leaky_relu(t, slope)), [x]


def _hard_tanh(data: st.DataObject) -> tuple:
    lower = data.draw(floats(-2, 0), label="lower")
    upper = data.draw(floats(lower + 0.5, 2.5), label="upper")
    away = ANY.filter(lambda v: min(abs(v - lower), abs(v - upper)) > 0.05)
    x = data.draw(arrays(data.draw(SHAPES, label="shape"), away), label="x")
    return curved(lambda t: hard_tanh(t, lower_bound=lower, upper_bound=upper)), [x]


def _glu(data: st.DataObject) -> tuple:
    shape = list(data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3), label="shape"))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis")
    shape[axis] = 2 * data.draw(st.integers(0, 2), label="half")
    return (lambda t: glu(t, axis=axis)), [data.draw(arrays(tuple(shape)), label="x")]


def _normalization(op: Callable[..., Any]) -> Case:
    def draw(data: st.DataObject) -> tuple:
        shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3), label="shape")
        axes = data.draw(
            st.none()
            | st.integers(-len(shape), len(shape) - 1)
            | st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple),
            label="axis",
        )
        return (lambda t: op(t, axis=axes)), [data.draw(arrays(shape), label="x")]

    return Case(draw)


def _scores_and_labels(
    data: st.DataObject, elements: st.SearchStrategy, min_n: int = 1, min_c: int = 1
) -> tuple:
    n = data.draw(st.integers(min_n, 3), label="N")
    c = data.draw(st.integers(min_c, 4), label="C")
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)), label="labels")
    return data.draw(arrays((n, c), elements), label="scores"), labels


def _focal(op: Callable[..., Any], elements: st.SearchStrategy, min_c: int = 1) -> Case:
    def draw(data: st.DataObject) -> tuple:
        scores, labels = _scores_and_labels(data, elements, min_n=0, min_c=min_c)  # per sample: N = 0 is fine
        alpha = data.draw(floats(0.1, 2), label="alpha")
        gamma = data.draw(st.just(0.0) | st.just(2.0) | floats(0, 3), label="gamma")
        return (lambda t: op(t, labels, alpha=alpha, gamma=gamma)), [scores]

    return Case(draw)


def _log_over_complement(data: st.DataObject) -> tuple:
    # -log(p) / (1 - p) and its derivatives (LogOverComplement of every order), p = 1 and |1 - p| = 1/2 included
    order = data.draw(st.integers(0, 4), label="order")
    points = floats(0.05, 3) | st.sampled_from([0.5, 1.0, 1.5])
    # one element at a time: the central differences of a sum of values of very different sizes lose digits
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=1, min_side=0, max_side=1), label="shape")
    p = data.draw(arrays(shape, points), label="p")
    return (lambda t: mg.execute_op(LogOverComplement, t, op_kwargs={"order": order})), [p]


def _softmax_crossentropy(data: st.DataObject) -> tuple:
    scores, labels = _scores_and_labels(data, ANY)
    return (lambda t: softmax_crossentropy(t, labels)), [scores]


def _negative_log_likelihood(data: st.DataObject) -> tuple:
    scores, labels = _scores_and_labels(data, ANY)
    weights = data.draw(st.none() | arrays((scores.shape[1],), floats(0.1, 2)), label="weights")
    return curved(lambda t: negative_log_likelihood(t, labels, weights=weights)), [scores]


def _multiclass_hinge(data: st.DataObject) -> tuple:
    scores, labels = _scores_and_labels(data, ANY)
    hinge = data.draw(floats(0, 2), label="hinge")
    margins = scores - scores[np.arange(len(labels)), labels][:, None] + hinge
    assume(np.all(np.abs(margins) > 0.05))  # no margin at its kink
    return curved(lambda t: multiclass_hinge(t, labels, hinge)), [scores]


def _margin_ranking(data: st.DataObject) -> tuple:
    shape = data.draw(st.sampled_from([(2,), (3,), (2, 2), (1, 3)]), label="shape")
    x1, x2 = (data.draw(arrays(shape), label=name) for name in ("x1", "x2"))
    y = data.draw(
        st.sampled_from([1.0, -1.0])
        | hnp.arrays(np.float64, shape[:1], elements=st.sampled_from([1.0, -1.0])),
        label="y",
    )
    margin = data.draw(floats(0, 2), label="margin")
    y_b = y if np.ndim(y) == 0 or len(shape) == 1 else y[:, None]
    assume(np.all(np.abs(margin - y_b * (x1 - x2)) > 0.05))  # no slack at its kink
    return curved(lambda a, b: margin_ranking_loss(a, b, y, margin)), [x1, x2]


def _conv(data: st.DataObject) -> tuple:
    k = data.draw(st.integers(1, 2), label="k")
    n, c, f = (data.draw(st.integers(lo, 2), label=name) for name, lo in (("N", 0), ("C", 1), ("F", 1)))
    window = tuple(data.draw(st.integers(1, 2), label="W") for _ in range(k))
    stride = tuple(data.draw(st.integers(1, 2), label="stride") for _ in range(k))
    dilation = tuple(data.draw(st.integers(1, 2), label="dilation") for _ in range(k))
    grid = tuple(data.draw(st.integers(1, 2), label="G") for _ in range(k))
    spans = [(g - 1) * s + (w - 1) * d + 1 for g, s, w, d in zip(grid, stride, window, dilation)]
    padding = tuple(data.draw(st.integers(0, (span - 1) // 2), label="padding") for span in spans)
    x_shape = (n, c, *(span - 2 * p for span, p in zip(spans, padding)))
    x = data.draw(arrays(x_shape), label="x")
    w = data.draw(arrays((f, c, *window), floats(-1, 1)), label="w")
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    return (lambda a, b: mg.sin(conv_nd(a, b, **options))), [x, w]


def _pool_problem(data: st.DataObject, elements: st.SearchStrategy, unique: bool) -> tuple:
    k = data.draw(st.integers(1, 2), label="k")
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=2), label="lead")
    pool = tuple(data.draw(st.integers(1, 3), label="pool") for _ in range(k))
    stride = tuple(data.draw(st.integers(1, 3), label="stride") for _ in range(k))
    grid = tuple(data.draw(st.integers(1, 2), label="G") for _ in range(k))
    shape = (*lead, *((g - 1) * s + p for g, s, p in zip(grid, stride, pool)))
    return data.draw(arrays(shape, elements, unique=unique), label="x"), pool, stride


def _max_pool(data: st.DataObject) -> tuple:
    x, pool, stride = _pool_problem(data, DISTINCT, unique=True)  # no ties: away from them max is smooth
    return curved(lambda t: max_pool(t, pool, stride)), [x]


def _avg_pool(data: st.DataObject) -> tuple:
    x, pool, stride = _pool_problem(data, ANY, unique=False)
    return curved(lambda t: avg_pool(t, pool, stride)), [x]


def _batchnorm(data: st.DataObject) -> tuple:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3), label="shape")
    channels = shape[1] if len(shape) >= 2 else 1
    eps = data.draw(floats(0.05, 1), label="eps")
    which = data.draw(st.sampled_from(["", "gamma", "beta", "gamma beta"]), label="params")
    inputs = [data.draw(arrays(shape), label="x")]
    inputs += [data.draw(arrays((channels,)), label=name) for name in which.split()]

    def f(x: Any, *params: Any) -> Any:
        named = dict(zip(which.split(), params))
        return batchnorm(x, eps=eps, **named)

    return f, inputs


def _gru(data: st.DataObject) -> tuple:
    T = data.draw(st.integers(0, 3), label="T")
    N = data.draw(st.integers(0, 2), label="N")
    C = data.draw(st.integers(1, 2), label="C")
    D = data.draw(st.integers(1, 2), label="D")
    with_s0 = data.draw(st.booleans(), label="s0")
    bp_lim = data.draw(st.none() | st.integers(0, T - 1), label="bp_lim") if T else None
    dropout = data.draw(st.sampled_from([0.0, 0.4]), label="dropout")
    weights = floats(-1, 1)
    inputs = [data.draw(arrays((T, N, C)), label="X")]
    for name in ("z", "r", "h"):
        inputs += [
            data.draw(arrays((C, D), weights), label=f"U{name}"),
            data.draw(arrays((D, D), weights), label=f"W{name}"),
            data.draw(arrays((D,), weights), label=f"b{name}"),
        ]
    if with_s0:
        inputs.append(data.draw(arrays((N, D)), label="s0"))
    seed = data.draw(st.integers(0, 2**16), label="mask seed")

    def f(X: Any, *params: Any) -> Any:
        # the same dropout masks at every call (the masks are constants of the function)
        s0 = params[9] if len(params) == 10 else None
        return gru(X, *params[:9], s0=s0, bp_lim=bp_lim, dropout=dropout, rng=np.random.default_rng(seed))

    return f, inputs


# the name of each nnet operation: problems that go through it
CASES: dict[str, Case] = {
    # ---- activations
    "ELU": Case(_elu),
    "GLU": Case(_glu),
    "HardTanh": Case(_hard_tanh),
    "LeakyReLU": Case(_leaky_relu),
    "ReLU": elementwise(relu, AWAY_FROM_0, linear=True),
    "SELU": elementwise(selu, AWAY_FROM_0),
    "Sigmoid": elementwise(sigmoid, floats(-6, 6)),
    "SoftSign": elementwise(soft_sign, AWAY_FROM_0),  # |x| has a kink at 0: so has the derivative
    "Softmax": _normalization(softmax),
    "LogSoftmax": _normalization(logsoftmax),
    # ---- losses
    "FocalLoss": _focal(focal_loss, floats(0.05, 0.95)),
    "LogOverComplement": Case(_log_over_complement),
    "SoftmaxFocalLoss": _focal(softmax_focal_loss, ANY),  # one class (p == 1 whatever the scores) included
    "SoftmaxCrossEntropy": Case(_softmax_crossentropy),
    "NegativeLogLikelihood": Case(_negative_log_likelihood),
    "MulticlassHinge": Case(_multiclass_hinge),
    "MarginRanking": Case(_margin_ranking),
    # ---- layers
    "ConvND": Case(_conv),
    "MaxPool": Case(_max_pool),
    "AvgPool": Case(_avg_pool),
    "BatchNorm": Case(_batchnorm),
    "GRUnit": Case(_gru, max_examples=30),
}


def test_cases_name_existing_operations():
    assert set(CASES) - set(NNET_OPS) == set()


@pytest.mark.parametrize("name", sorted(NNET_OPS))
def test_second_derivatives_of_every_nnet_operation(name):
    assert name in CASES, f"the nnet operation {name} has no second-order check: add a case to CASES"
    case = CASES[name]
    examples = settings.default.max_examples
    if case.max_examples is not None:
        examples = min(examples, case.max_examples)

    @settings(max_examples=examples)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        f, inputs = case.draw(data)
        assert name in operation_names(f(*(mg.tensor(a) for a in inputs))), (
            f"the problem does not reach {name}"
        )
        assert_recorded_first_order_matches(f, *inputs)
        assert_second_derivatives_match(f, *inputs)

    check()


# ------------------------------------------------------------------------- composites at ties and NaNs
@pytest.mark.parametrize(
    ("shape", "pool", "stride"),
    [
        ((2, 5), (2,), 1),
        ((3, 6), (2,), 2),
        ((2, 7), (3,), 2),
        ((2, 4, 4), (2, 2), 1),
        ((4, 5), (2, 3), (2, 1)),
    ],
    ids=str,
)
def test_max_pool_composite_breaks_ties_as_the_rule(shape, pool, stride):
    # windows full of ties: the first maximum in row-major order takes the gradient in both passes, and
    # overlapping windows add up. (At a tie there is no second derivative to compare: only first order.)
    x = np.random.default_rng(1).integers(0, 2, shape).astype(np.float64)
    assert_recorded_first_order_matches(lambda t: max_pool(t, pool, stride) ** 2, x)
    # and the Hessian at the ties is that of the picked elements' squares
    picked = mg.grad(lambda t: max_pool(t, pool, stride).sum())(x).data  # how often each element is picked
    h = mg.hessian(lambda t: (max_pool(t, pool, stride) ** 2).sum())(x).data.reshape(x.size, x.size)
    np.testing.assert_array_equal(h, np.diag(2 * picked.ravel()))


def test_max_pool_composite_with_nans_and_infinities():
    x = np.array([[np.nan, 1.0, 2.0, -np.inf], [np.inf, 3.0, -1.0, 2.0], [0.5, np.nan, -np.inf, -np.inf]])
    f = lambda t: max_pool(t, (2,), 1) * 2  # noqa: E731
    assert_recorded_first_order_matches(f, x)
    _, pullback = mg.vjp(f, x)
    np.testing.assert_array_equal(
        pullback(np.ones((3, 3)))[0].data,
        [[0, 0, 4, 0], [2, 2, 0, 2], [0, 0, 2, 0]],  # NaN windows pass none; -inf is a maximum
    )


# ------------------------------------------------------------------------------------- Hessians of nets
def numerical_jacobian(
    fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Central differences of ``fn`` (array to array): shape ``fn(x).shape + x.shape``."""
    columns = []
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = eps
        columns.append((fn(x + step.reshape(x.shape)) - fn(x - step.reshape(x.shape))) / (2 * eps))
    return np.stack(columns, axis=-1).reshape(fn(x).shape + x.shape)


def plain_gradient(
    f: Callable[[mg.Tensor], mg.Tensor], seed: Any = None
) -> Callable[[np.ndarray], np.ndarray]:
    """``x -> `` the gradient that plain ``f(x).backward(seed)`` gives (the operations' own rules)."""

    def gradient(point: np.ndarray) -> np.ndarray:
        t = mg.tensor(point)
        f(t).backward(seed)
        return t.grad.copy()

    return gradient


def numerical_hessian(loss: Callable[[mg.Tensor], mg.Tensor], x: np.ndarray) -> np.ndarray:
    """Central differences of the first-order gradient of plain ``backward()``."""
    return numerical_jacobian(plain_gradient(loss), x)


def unpack(theta: mg.Tensor, shapes: list[tuple[int, ...]]) -> list[mg.Tensor]:
    parts, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        parts.append(theta[start : start + size].reshape(shape))
        start += size
    return parts


def test_hessian_of_a_tiny_conv_net():
    # conv (stride 2, padding 1, dilation 2) -> sigmoid -> max pool -> conv -> avg pool -> batchnorm -> dense
    # -> softmax cross-entropy: every layer with a composite, and the Hessian in all its weights at once
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 1, 13))
    labels = np.array([0, 1, 1])
    shapes = [(2, 1, 3), (2, 2, 2), (2,), (2, 2, 2)]

    def loss(theta: mg.Tensor) -> mg.Tensor:
        w1, w2, gamma, dense = unpack(theta, shapes)
        h = sigmoid(conv_nd(x, w1, stride=2, padding=1, dilation=2))  # (3, 2, 6)
        h = max_pool(h, (2,), 1)  # (3, 2, 5)
        h = mg.tanh(conv_nd(h, w2, stride=1, padding=0, dilation=2))  # (3, 2, 3)
        h = batchnorm(avg_pool(h, (2,), 1), gamma=gamma, eps=0.1)  # (3, 2, 2)
        scores = mg.einsum("ncl,kcl->nk", h, dense)
        return softmax_crossentropy(scores, labels)

    theta = rng.normal(size=sum(math.prod(s) for s in shapes))
    h = mg.hessian(loss)(theta)
    assert isinstance(h, mg.Tensor) and h.shape == (theta.size, theta.size)
    np.testing.assert_allclose(h.data, numerical_hessian(loss, theta), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(h.data, h.data.T, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bp_lim", [None, 1])
def test_hessian_of_a_gru_loss(bp_lim):
    # a loss of all the states of a GRU, in its hidden-hidden weights and s0
    rng = np.random.default_rng(2)
    T, N, C, D = 3, 2, 2, 2
    X = rng.normal(size=(T, N, C))
    U = [rng.normal(size=(C, D)) for _ in range(3)]
    b = [rng.normal(size=D) * 0.1 for _ in range(3)]
    shapes = [(D, D)] * 3 + [(N, D)]

    def states(theta: mg.Tensor) -> mg.Tensor:
        Wz, Wr, Wh, s0 = unpack(theta, shapes)
        return gru(X, U[0], Wz, b[0], U[1], Wr, b[1], U[2], Wh, b[2], s0=s0, bp_lim=bp_lim)

    def on_states(S: mg.Tensor) -> mg.Tensor:
        return (mg.sin(S[-1]) ** 2).sum() + (S[1:] * S[:-1]).mean()

    def loss(theta: mg.Tensor) -> mg.Tensor:
        return on_states(states(theta))

    theta = rng.normal(size=sum(math.prod(s) for s in shapes)) * 0.7
    h = mg.hessian(loss)(theta).data
    if bp_lim is None:
        np.testing.assert_allclose(h, numerical_hessian(loss, theta), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(h, h.T, rtol=1e-9, atol=1e-12)
        return
    # Truncated BPTT is the GRU's derivative in every pass. So the Hessian is the chain rule with it twice,
    # d/dθ [J(θ)^T g] (g held) + J^T (d²loss/dS²) J with J the truncated Jacobian: not the derivative of the
    # truncated gradient, whose g = d loss/dS varies with the true Jacobian of S.
    S = states(theta).data
    g = mg.grad(on_states)(S).data
    curvature = numerical_jacobian(plain_gradient(states, g), theta)
    J = np.stack([plain_gradient(states, seed.reshape(S.shape))(theta) for seed in np.eye(S.size)])
    H_S = mg.hessian(on_states)(S).data.reshape(S.size, S.size)
    np.testing.assert_allclose(h, curvature + J.T @ H_S @ J, rtol=1e-5, atol=1e-7)


def test_hessian_of_a_gru_loss_linear_in_the_states_with_truncation():
    # with a loss linear in the states, g is constant: the Hessian is the derivative of the truncated gradient
    rng = np.random.default_rng(3)
    T, N, C, D = 4, 1, 2, 2
    X = rng.normal(size=(T, N, C))
    weight = rng.normal(size=(T + 1, N, D))
    params = [rng.normal(size=s) * 0.7 for s in [(C, D), (D, D), (D,)] * 3]

    def loss(wh: mg.Tensor) -> mg.Tensor:
        args = [*params[:7], wh.reshape(D, D), params[8]]
        return (gru(X, *args, bp_lim=2, dropout=0.3, rng=np.random.default_rng(0)) * weight).sum()

    w = params[7].ravel()
    np.testing.assert_allclose(mg.hessian(loss)(w).data, numerical_hessian(loss, w), rtol=1e-5, atol=1e-7)


def test_hvp_of_a_focal_loss_is_the_hessian_times_v():
    rng = np.random.default_rng(3)
    scores, v = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    labels = np.array([2, 0, 3])

    def loss(x: mg.Tensor) -> mg.Tensor:
        return softmax_focal_loss(x, labels, alpha=0.5, gamma=1.5).sum()

    product = mg.hvp(loss)(scores, v)
    h = mg.hessian(loss)(scores).data.reshape(12, 12)
    np.testing.assert_allclose(product.data.ravel(), h @ v.ravel(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h, numerical_hessian(loss, scores).reshape(12, 12), rtol=1e-5, atol=1e-7)


def test_create_graph_through_a_conv_layer():
    # backward(create_graph=True): .grad as before, and .grad_tensor differentiable again
    rng = np.random.default_rng(4)
    x, w = mg.tensor(rng.normal(size=(1, 2, 5))), mg.tensor(rng.normal(size=(3, 2, 2)))
    plain_w = mg.tensor(w.data)
    mg.sum(mg.tanh(conv_nd(x.data, plain_w, stride=1))).backward()
    mg.sum(mg.tanh(conv_nd(x, w, stride=1))).backward(create_graph=True)
    np.testing.assert_allclose(w.grad, plain_w.grad, rtol=1e-12)
    assert isinstance(w.grad_tensor, mg.Tensor)
    (w.grad_tensor**2).sum().backward()
    assert w.grad.shape == w.shape and np.all(np.isfinite(w.grad))


# ------------------------------------------------------------------------------- the composite mechanism
def _rule_in_place(g: Any, out: Any, x: Any, y: Any) -> Any:
    grad = np.multiply(x, 2.0)  # a fresh array, then written in place: arrays only
    grad *= y
    grad *= g
    return grad


def _rule_y(g: Any, out: Any, x: Any, y: Any) -> Any:
    grad = np.square(x)
    grad *= g
    return grad


# x**2 * y, with rules that only work on arrays and a composite for higher orders
Weighted = primitive(
    "Weighted", lambda x, y: x * x * y, _rule_in_place, _rule_y, composite=lambda x, y: x * x * y
)
Refusing = primitive("Refusing", lambda x: x**3, lambda g, out, x: 3 * g * x**2, second_order=False)


def weighted(x: Any, y: Any) -> mg.Tensor:
    return mg.execute_op(Weighted, x, y)


class CubeOp(Operation):
    """x**3 as an Operation subclass whose backward_var works on arrays, with a composite method."""

    def __call__(self, x: mg.Tensor, *, scale: float) -> np.ndarray:
        self.variables = (x,)
        self.scale = scale
        return scale * x.data**3

    def backward_var(self, grad: Any, index: int, **kwargs: Any) -> np.ndarray:
        return np.asarray(grad) * 3 * self.scale * self.variables[0].data ** 2

    def composite(self, x: mg.Tensor) -> mg.Tensor:
        return self.scale * x**3


def test_a_custom_primitive_with_a_composite():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(3,))  # y broadcasts
    assert_recorded_first_order_matches(weighted, x, y)
    assert_second_derivatives_match(weighted, x, y)
    np.testing.assert_allclose(mg.grad(mg.grad(lambda t: weighted(t, 3.0)))(1.5).data, 6.0)


def test_an_operation_subclass_with_a_composite():
    f = lambda t: mg.execute_op(CubeOp, t, op_kwargs={"scale": 2.0})  # noqa: E731
    assert_second_derivatives_match(f, np.array([0.5, -1.5, 2.0]))
    d3 = mg.grad(mg.grad(mg.grad(f)))(0.7)  # third order: the composite is differentiated twice
    np.testing.assert_allclose(d3.data, 12.0)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: weighted(t, t),  # one tensor as both inputs: x**3
        lambda t: weighted(t, mg.sin(t)),  # an input computed from the other: x**2 sin(x)
        lambda t: weighted(mg.cos(t), t * t),  # both computed from a third
        lambda t: mg.sin(conv_nd(t[None, None], t[None, None, :2], stride=1)),  # conv of x with part of x
    ],
    ids=["same-tensor", "dependent", "common-ancestor", "conv-of-itself"],
)
def test_composites_of_related_inputs_count_each_path_once(f):
    x = np.array([0.7, -1.2, 1.9])
    assert_recorded_first_order_matches(f, x)
    assert_second_derivatives_match(f, x)


def test_the_composite_walk_stops_at_the_operations_inputs(monkeypatch):
    # a long chain before a composite op: the composite's own pass must not walk it (once per op would make
    # a recorded pass quadratic in the depth of the graph)
    from mygrad._core import backprop

    walked: list[int] = []
    original = backprop.collect

    def counting(terminal: Any, stop: Any = frozenset()) -> tuple:
        graph = original(terminal, stop)
        walked.append(len(graph[1]))
        return graph

    monkeypatch.setattr(backprop, "collect", counting)

    def f(t: mg.Tensor) -> mg.Tensor:
        for _ in range(50):
            t = mg.sin(t)
        return weighted(t, 2.0).sum()

    mg.grad(f)(np.array([0.1, 0.2]))
    outer, *composite = walked
    assert outer > 50 and len(composite) == 1 and composite[0] < 5


def test_a_composite_must_return_a_tensor_of_the_outputs_shape():
    Wrong = primitive("Wrong", lambda x: x * 2, lambda g, out, x: 2 * g, composite=lambda x: (x * 2).sum())
    with pytest.raises(TypeError, match="composite must return a Tensor of the operation's output shape"):
        mg.grad(lambda t: mg.execute_op(Wrong, t).sum())(np.ones(3))


def test_second_order_false_without_a_composite_still_refuses():
    t = mg.tensor([1.0, 2.0])
    mg.execute_op(Refusing, t).sum().backward()
    np.testing.assert_allclose(t.grad, [3.0, 12.0])
    with pytest.raises(NotImplementedError, match="Refusing is not differentiable yet"):
        mg.grad(lambda t: mg.execute_op(Refusing, t).sum())(np.array([1.0, 2.0]))


def test_plain_backward_never_builds_the_composite():
    built = []

    def composite(x: mg.Tensor, y: mg.Tensor) -> mg.Tensor:
        built.append(True)
        return x * x * y

    Tracked = primitive("Tracked", lambda x, y: x * x * y, _rule_in_place, _rule_y, composite=composite)
    x = mg.tensor([1.0, 2.0])
    mg.execute_op(Tracked, x, 3.0).sum().backward()
    np.testing.assert_allclose(x.grad, [6.0, 12.0])
    assert built == []
    mg.grad(lambda t: mg.execute_op(Tracked, t, 3.0).sum())(np.array([1.0, 2.0]))
    assert built == [True]


def test_every_public_nnet_function_reaches_a_checked_operation():
    # the walk above sees operations; this ties the public functions to them (tanh is core's own)
    reached = {
        "conv_nd": "ConvND",
        "max_pool": "MaxPool",
        "avg_pool": "AvgPool",
        "batchnorm": "BatchNorm",
        "gru": "GRUnit",
    }
    public = (
        set(mygrad.nnet.activations.__all__)
        | set(mygrad.nnet.layers.__all__)
        | set(mygrad.nnet.losses.__all__)
    )
    x = mg.tensor(np.linspace(-1, 1, 8).reshape(2, 4))
    labels = np.array([0, 2])
    calls = {
        "elu": lambda: elu(x, 1.0),
        "glu": lambda: glu(x),
        "hard_tanh": lambda: hard_tanh(x),
        "leaky_relu": lambda: leaky_relu(x, 0.1),
        "logsoftmax": lambda: logsoftmax(x),
        "relu": lambda: relu(x),
        "selu": lambda: selu(x),
        "sigmoid": lambda: sigmoid(x),
        "soft_sign": lambda: soft_sign(x),
        "softmax": lambda: softmax(x),
        "tanh": lambda: mg.tanh(x),
        "focal_loss": lambda: focal_loss(sigmoid(x), labels),
        "softmax_focal_loss": lambda: softmax_focal_loss(x, labels),
        "margin_ranking_loss": lambda: margin_ranking_loss(x[0], x[1], 1, 0.1),
        "multiclass_hinge": lambda: multiclass_hinge(x, labels),
        "negative_log_likelihood": lambda: negative_log_likelihood(x, labels),
        "softmax_crossentropy": lambda: softmax_crossentropy(x, labels),
        "conv_nd": lambda: conv_nd(x[None], x[None, :, :2], stride=1),
        "max_pool": lambda: max_pool(x, (2,), 2),
        "avg_pool": lambda: avg_pool(x, (2,), 2),
        "batchnorm": lambda: batchnorm(x, eps=0.1),
        "gru": lambda: gru(x[None, :, :2], *([x[:2, :2], x[:2, 2:], x[0, :2]] * 3)),
    }
    assert set(calls) == public
    for name, call in calls.items():
        ops = operation_names(call())
        nnet_ops = ops & set(NNET_OPS)
        assert nnet_ops <= set(CASES), name
        assert nnet_ops or name == "tanh", f"{name} reaches no nnet operation: {ops}"
        if name in reached:
            assert reached[name] in ops
