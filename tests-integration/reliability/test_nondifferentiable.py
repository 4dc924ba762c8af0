"""Reliability, family 2: the gradient every function takes at its kinks, ties and other traps.

``KINKS`` is the one table of these values: each row is a call at a point where the function is not
differentiable (``abs(0)``, a tie of ``maximum``, the zero vector's norm, a constant's std, ...) or where a
formula would divide 0 by 0, with the gradient mygrad gives there and why. Each row is pinned here:

* the gradient of plain ``backward()`` is exactly the row's, and is not NaN unless the row says so (a NaN only
  where no finite subgradient exists); no NumPy warning is raised unless the row says one is;
* the recorded pass (``mygrad.grad``, which higher-order derivatives differentiate, with the rules run on
  Tensors) gives the same gradient, and the second derivative there (``mygrad.hessian``) has no NaN;
* a function that refuses to be differentiated raises the row's error.

docs/reliability.rst shows the same table: ``test_the_docs_show_this_table`` fails if the two differ, and
``python tests-integration/reliability/test_nondifferentiable.py`` prints the table as the page must show it.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mygrad as mg
from mygrad.nnet import (
    elu,
    focal_loss,
    hard_tanh,
    leaky_relu,
    margin_ranking_loss,
    max_pool,
    multiclass_hinge,
    relu,
    selu,
)

DOCS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "reliability.rst"
TABLE_TITLE = "Gradients at non-differentiable points"
SELU_SCALE = 1.0507009873554804934193349852946  # selu's lambda: its derivative for x > 0 (and at 0)


@dataclass(frozen=True)
class Kink:
    """A call at a non-differentiable point, and the gradient mygrad gives there."""

    function: str  # the call, as the docs show it
    at: str  # the point, as the docs show it
    call: Callable[..., Any]  # the call, on tensors
    inputs: tuple[Any, ...]  # the point (float64 arrays are made of it)
    expected: tuple[Any, ...] | type[Exception]  # each input's gradient, or the error a refusal raises
    why: str  # the docs' explanation
    upstream: Any = None  # the gradient backpropagated from the output (None: ones)
    warns: bool = False  # NumPy warns while the value or the gradient is computed (e.g. 1 / 0)
    names: str = "xy"  # the inputs' names, for the docs' gradient column

    @property
    def arrays(self) -> list[np.ndarray]:
        return [np.array(x, dtype=np.float64) for x in self.inputs]

    @property
    def gradients(self) -> list[np.ndarray]:
        assert isinstance(self.expected, tuple)
        return [
            np.broadcast_to(np.array(g, dtype=np.float64), np.shape(x))
            for g, x in zip(self.expected, self.inputs)
        ]


def _norm(ord: Any) -> Callable[..., Any]:
    return lambda x: mg.linalg.norm(x, ord=ord)


INF = np.inf
NAN = np.nan
ZERO_VECTOR = ([0.0, 0.0],)
ZERO_MATRIX = ([[0.0, 0.0], [0.0, 0.0]],)
NORM_AT_ZERO = "the norm's minimum: 0 is a subgradient (``nan_to_num=False``: NaN)"

# fmt: off
KINKS: list[Kink] = [
    # ---- elementwise
    Kink("mg.abs(x)", "x = 0", mg.abs, (0.0,), (0.0,),
         "0, the smallest subgradient (``nan_to_num=False``: NaN, as MyGrad 2)"),
    Kink("mg.sqrt(x)", "x = 0", mg.sqrt, (0.0,), (INF,),
         "the slope is infinite: no finite subgradient (NumPy warns: divide by zero)", warns=True),
    Kink("mg.cbrt(x)", "x = 0", mg.cbrt, (0.0,), (INF,),
         "the slope is infinite: no finite subgradient (NumPy warns: divide by zero)", warns=True),
    Kink("x ** y", "x = 0, y = 0", lambda x, y: x**y, (0.0, 0.0), (0.0, 0.0),
         "``x ** 0`` is 1 for every x; d/dy is its limit from x > 0"),
    Kink("mg.maximum(x, y)", "x = y = 1", mg.maximum, (1.0, 1.0), (0.0, 0.0),
         "neither input gets a gradient (MyGrad 2's convention, kept by the API); not a subgradient: "
         "``mg.maximum(x, x)`` gets 0, not 1"),
    Kink("mg.minimum(x, y)", "x = y = 1", mg.minimum, (1.0, 1.0), (0.0, 0.0), "as ``maximum``"),
    Kink("mg.fmax(x, y)", "x = y = 1", mg.fmax, (1.0, 1.0), (0.0, 0.0), "as ``maximum``"),
    Kink("mg.fmin(x, y)", "x = y = 1", mg.fmin, (1.0, 1.0), (0.0, 0.0), "as ``maximum``"),
    Kink("mg.clip(x, -1, 1)", "x = [-1, 1]", lambda x: mg.clip(x, -1, 1), ([-1.0, 1.0],), ([0.0, 0.0],),
         "the bounds are ``maximum``/``minimum`` ties: 0 (a subgradient here)"),
    Kink("mg.hypot(x, y)", "x = y = 0", mg.hypot, (0.0, 0.0), (0.0, 0.0),
         "the minimum of the length of (x, y): 0"),
    Kink("mg.arctan2(y, x)", "y = x = 0", mg.arctan2, (0.0, 0.0), (NAN, NAN),
         "arctan2 jumps at the origin: no subgradient exists (NumPy warns: 0 / 0)", warns=True, names="yx"),
    Kink("mg.sinc(x)", "x = 0", mg.sinc, (0.0,), (0.0,), "smooth there: its limit, not the formula's 0 / 0"),
    # ---- reductions
    Kink("mg.max(x)", "x = [3, 3, 1]", mg.max, ([3.0, 3.0, 1.0],), ([1.0, 0.0, 0.0],),
         "all to the first maximum (``np.argmax``'s), a subgradient"),
    Kink("mg.max(x, axis=1)", "x = [[3, 3, 1], [2, 2, 2]]", lambda x: mg.max(x, axis=1),
         ([[3.0, 3.0, 1.0], [2.0, 2.0, 2.0]],), ([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]],),
         "each lane's first maximum, however many there are"),
    Kink("mg.min(x)", "x = [1, 3, 1]", mg.min, ([1.0, 3.0, 1.0],), ([1.0, 0.0, 0.0],), "the first minimum"),
    Kink("np.nanmax(x)", "x = [3, nan, 3]", np.nanmax, ([3.0, NAN, 3.0],), ([1.0, 0.0, 0.0],),
         "the first maximum; NaNs get no gradient"),
    Kink("np.ptp(x)", "x = [3, 3, 1, 1]", np.ptp, ([3.0, 3.0, 1.0, 1.0],), ([1.0, 0.0, -1.0, 0.0],),
         "``max - min``: the first maximum and the first minimum"),
    Kink("mg.sort(x)", "x = [2, 1, 2], upstream [1, 2, 3]", mg.sort, ([2.0, 1.0, 2.0],), ([2.0, 1.0, 3.0],),
         "the stable order: equal values keep theirs, so the first 2 gets position 1's gradient",
         upstream=[1.0, 2.0, 3.0]),
    Kink("mg.prod(x)", "x = [0, 2, 3]", mg.prod, ([0.0, 2.0, 3.0],), ([6.0, 0.0, 0.0],),
         "the product of the others (no division by 0)"),
    Kink("mg.prod(x)", "x = [0, 0, 2]", mg.prod, ([0.0, 0.0, 2.0],), ([0.0, 0.0, 0.0],),
         "the product of the others: 0 for each"),
    Kink("mg.logsumexp(x)", "x = [-inf, -inf]", mg.logsumexp, ([-INF, -INF],), ([0.0, 0.0],),
         "-inf entries get no gradient, also when the whole lane is -inf"),
    Kink("mg.std(x)", "x = [2, 2, 2]", mg.std, ([2.0, 2.0, 2.0],), ([0.0, 0.0, 0.0],),
         "a constant is std's minimum: 0, as in PyTorch"),
    Kink("mg.std(x)", "x = [0.1, 0.1, 0.1]", mg.std, ([0.1, 0.1, 0.1],), ([0.0, 0.0, 0.0],),
         "the same: found from the values (the computed std is 1.4e-17 here, not 0)"),
    Kink("mg.std(x, ddof=1)", "x = [2, 2]", lambda x: mg.std(x, ddof=1), ([2.0, 2.0],), ([0.0, 0.0],),
         "the same for any ``ddof`` and ``axis``"),
    Kink("mg.var(x)", "x = [2, 2, 2]", mg.var, ([2.0, 2.0, 2.0],), ([0.0, 0.0, 0.0],),
         "differentiable: ``2 (x - mean) / (N - ddof)`` is 0"),
    # ---- norms
    Kink("mg.linalg.norm(x)", "x = [0, 0]", _norm(None), ZERO_VECTOR, ([0.0, 0.0],),
         NORM_AT_ZERO + ", as in PyTorch"),
    Kink("mg.linalg.norm(x, ord=1)", "x = [0, 0]", _norm(1), ZERO_VECTOR, ([0.0, 0.0],), NORM_AT_ZERO),
    Kink("mg.linalg.norm(x, ord=1)", "x = [0, -2]", _norm(1), ([0.0, -2.0],), ([0.0, -1.0],),
         "``sign(x)``: 0 where x is 0"),
    Kink("mg.linalg.norm(x, ord=inf)", "x = [0, 0]", _norm(INF), ZERO_VECTOR, ([0.0, 0.0],), NORM_AT_ZERO),
    Kink("mg.linalg.norm(x, ord=inf)", "x = [1, -1]", _norm(INF), ([1.0, -1.0],), ([1.0, 0.0],),
         "the first largest ``|x|``, as ``max``"),
    Kink("mg.linalg.norm(x, ord=3)", "x = [0, 0]", _norm(3), ZERO_VECTOR, ([0.0, 0.0],), NORM_AT_ZERO),
    Kink("mg.linalg.norm(x, ord=0.5)", "x = [0, 1]", _norm(0.5), ([0.0, 1.0],), ([0.0, 1.0],),
         "for p < 1 a zero element is a cusp (a minimum along it): 0 there"),
    Kink("mg.linalg.norm(x, ord=-1)", "x = [0, 1]", _norm(-1), ([0.0, 1.0],), ([0.0, 0.0],),
         "for p < 0 the norm is 0 if any element is: " + NORM_AT_ZERO + " (NumPy warns: 1 / 0)", warns=True),
    Kink("mg.linalg.norm(x, ord='fro')", "x = 0 (2 x 2)", _norm("fro"), ZERO_MATRIX, ([[0.0, 0.0], [0.0, 0.0]],),
         NORM_AT_ZERO),
    Kink("mg.linalg.norm(x, ord='nuc')", "x = 0 (2 x 2)", _norm("nuc"), ZERO_MATRIX, ([[0.0, 0.0], [0.0, 0.0]],),
         NORM_AT_ZERO),
    Kink("mg.linalg.norm(x, ord=2)", "x = 0 (2 x 2)", _norm(2), ZERO_MATRIX, ([[0.0, 0.0], [0.0, 0.0]],),
         NORM_AT_ZERO),
    # ---- mygrad.nnet
    Kink("relu(x)", "x = 0", relu, (0.0,), (0.0,), "``maximum(x, 0)``'s tie: 0 (a subgradient here)"),
    Kink("leaky_relu(x, 0.1)", "x = 0", lambda x: leaky_relu(x, 0.1), (0.0,), (0.0,),
         "MyGrad 2's convention (the tie of ``maximum`` and ``minimum``); not a subgradient: those are "
         "[0.1, 1]"),
    Kink("hard_tanh(x)", "x = [-1, 1]", hard_tanh, ([-1.0, 1.0],), ([0.0, 0.0],), "its bounds: 0, as ``clip``"),
    Kink("elu(x, 1.0)", "x = 0", lambda x: elu(x, 1.0), (0.0,), (1.0,), "the right derivative"),
    Kink("selu(x)", "x = 0", selu, (0.0,), (SELU_SCALE,), "the right derivative (the scale, 1.0507)"),
    Kink("max_pool(x, (2,), 2)", "x = [[1, 1, 0, 0]]", lambda x: max_pool(x, (2,), 2), ([[1.0, 1.0, 0.0, 0.0]],),
         ([[1.0, 0.0, 1.0, 0.0]],), "each window's first maximum"),
    Kink("max_pool(x, (2, 2), 1)", "x = ones((2, 3))", lambda x: max_pool(x, (2, 2), 1), (np.ones((2, 3)),),
         ([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]],),
         "the first maximum in row-major order; overlapping windows add up"),
    Kink("multiclass_hinge(x, [0])", "x = [[1, 0, 1]]", lambda x: multiclass_hinge(x, np.array([0])),
         ([[1.0, 0.0, 1.0]],), ([[-1.0, 0.0, 1.0]],), "a margin of exactly 0 (class 1's) passes no gradient"),
    Kink("margin_ranking_loss(x, y, 1, 1.0)", "x = [1, 2], y = [0, 0]",
         lambda x, y: margin_ranking_loss(x, y, 1, 1.0), ([1.0, 2.0], [0.0, 0.0]), ([0.0, 0.0], [0.0, 0.0]),
         "a slack of exactly 0 (the first pair's) passes no gradient"),
    Kink("focal_loss(p, [0], gamma=2)", "p = [[1, 0]]", lambda p: focal_loss(p, np.array([0]), gamma=2),
         ([[1.0, 0.0]],), ([[0.0, 0.0]],), "at p = 1 the limit, 0 (for gamma > 0)", names="p"),
    # ---- refused: no derivative worth having; an error, never a silent 0
    Kink("np.sign(x)", "any x", np.sign, (0.0,), ValueError,
         "refused for a non-constant tensor, as MyGrad 2 (its derivative is 0 wherever it exists)"),
    Kink("np.floor(x)", "any x", np.floor, (0.0,), ValueError, "refused, as ``sign`` (and ``ceil``, ``trunc``, ``rint``)"),
    Kink("np.round(x)", "any x", np.round, (0.0,), ValueError, "refused, as ``sign``"),
    Kink("np.heaviside(x, 0.5)", "any x", lambda x: np.heaviside(x, 0.5), (0.0,), TypeError,
         "not implemented for tensors (NumPy's error for an unsupported ufunc)"),
    Kink("np.median(x)", "any x", np.median, ([1.0, 2.0, 2.0],), TypeError,
         "not implemented for tensors (NumPy's error for an unsupported function)"),
]
# fmt: on
DIFFERENTIATED = [k for k in KINKS if isinstance(k.expected, tuple)]
REFUSED = [k for k in KINKS if not isinstance(k.expected, tuple)]


def kink_id(kink: Kink) -> str:
    return f"{kink.function} at {kink.at}"


# ----------------------------------------------------------------------------------------------- the checks
def _plain_gradients(kink: Kink) -> list[np.ndarray]:
    tensors = [mg.tensor(a) for a in kink.arrays]
    kink.call(*tensors).backward(kink.upstream)
    return [t.grad for t in tensors]


def _recorded_gradients(kink: Kink) -> list[np.ndarray]:
    """The gradients of the recorded pass (``create_graph``): the rules run on Tensors."""

    def scalar(*tensors: mg.Tensor) -> mg.Tensor:
        out = kink.call(*tensors)
        return (out if kink.upstream is None else out * np.asarray(kink.upstream)).sum()

    grads = mg.grad(scalar, argnums=tuple(range(len(kink.inputs))))(*kink.arrays)
    return [g.data for g in grads]


def _quietly(func: Callable[[], Any], warns: bool) -> Any:
    """``func()``, with every warning an error, or, if ``warns``, expecting a RuntimeWarning."""
    if warns:
        with pytest.warns(RuntimeWarning):
            return func()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func()


@pytest.mark.parametrize("kink", DIFFERENTIATED, ids=kink_id)
def test_backward_gives_the_tables_gradient(kink: Kink) -> None:
    grads = _quietly(lambda: _plain_gradients(kink), kink.warns)
    for name, got, expected in zip(kink.names, grads, kink.gradients):
        assert type(got) is np.ndarray and got.shape == expected.shape and got.dtype == np.float64
        np.testing.assert_array_equal(got, expected, err_msg=f"the gradient of {name}")
        if not np.isnan(expected).any():
            assert not np.isnan(got).any()


@pytest.mark.parametrize("kink", DIFFERENTIATED, ids=kink_id)
def test_the_recorded_pass_makes_the_same_choice(kink: Kink) -> None:
    grads = _quietly(lambda: _recorded_gradients(kink), kink.warns)
    for name, got, expected in zip(kink.names, grads, kink.gradients):
        np.testing.assert_array_equal(got, expected, err_msg=f"the recorded gradient of {name}")


SECOND_ORDER = [k for k in DIFFERENTIATED if len(k.inputs) == 1 and np.isfinite(k.gradients[0]).all()]


@pytest.mark.parametrize("kink", SECOND_ORDER, ids=kink_id)
def test_the_second_derivative_there_has_no_nan(kink: Kink) -> None:
    """Where the gradient is finite, differentiating it again gives no NaN (e.g. no 0 * inf from the branch
    that a rule masks out)."""
    (x,) = kink.arrays

    def scalar(t: mg.Tensor) -> mg.Tensor:
        out = kink.call(t)
        return (out if kink.upstream is None else out * np.asarray(kink.upstream)).sum()

    hessian = _quietly(lambda: mg.hessian(scalar)(x), kink.warns)
    assert hessian.shape == x.shape * 2
    assert not np.isnan(hessian.data).any()


@pytest.mark.parametrize("kink", REFUSED, ids=kink_id)
def test_refusals_raise_the_tables_error(kink: Kink) -> None:
    x = mg.tensor(kink.arrays[0])
    with pytest.raises(kink.expected):
        kink.call(x)
    assert x.grad is None


# ------------------------------------------------------------------------------------------------- the docs
def _number(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == int(v):
        return str(int(v))
    return f"{v:.6g}"


def _array(a: np.ndarray) -> str:
    if a.ndim == 0:
        return _number(float(a))
    return "[" + ", ".join(_array(row) for row in a) + "]"


def gradient_text(kink: Kink) -> str:
    """The docs' gradient column: the gradient of each input, or the error."""
    if not isinstance(kink.expected, tuple):
        return f"``{kink.expected.__name__}``"
    grads = kink.gradients
    if len(grads) == 1:
        return _array(grads[0])
    return ", ".join(f"{name}: {_array(g)}" for name, g in zip(kink.names, grads))


def render_table() -> str:
    """The table as docs/reliability.rst must show it (a list-table)."""
    lines = [
        f".. list-table:: {TABLE_TITLE}",
        "   :header-rows: 1",
        "   :widths: 30 22 18 30",
        "",
        "   * - function",
        "     - at",
        "     - gradient",
        "     - why",
    ]
    for kink in KINKS:
        lines += [
            f"   * - ``{kink.function}``",
            f"     - {kink.at}",
            f"     - {gradient_text(kink)}",
            f"     - {kink.why}",
        ]
    return "\n".join(lines) + "\n"


def docs_table(text: str) -> str:
    """The list-table titled TABLE_TITLE in an rst page: from its directive to the first unindented line."""
    match = re.search(rf"^\.\. list-table:: {re.escape(TABLE_TITLE)}\n(?:(?:   .*)?\n)*", text, re.MULTILINE)
    assert match, f"{DOCS_PAGE} has no list-table titled {TABLE_TITLE!r}"
    return match.group(0).rstrip("\n") + "\n"


def test_the_docs_show_this_table() -> None:
    expected = render_table()
    shown = docs_table(DOCS_PAGE.read_text())
    assert shown == expected, (
        f"the table in {DOCS_PAGE} differs from KINKS in {Path(__file__).name}: replace it with the output of "
        f"`python {Path(__file__).relative_to(DOCS_PAGE.parents[1])}`"
    )


def test_the_table_parser_sees_a_changed_row() -> None:
    """``docs_table`` reads the whole table: a page whose last row differs is caught."""
    page = "Intro\n\n" + render_table() + "\nAfter the table.\n"
    assert docs_table(page) == render_table()
    changed = page.replace(f"     - {KINKS[-1].why}", "     - something else")
    assert docs_table(changed) != render_table()


if __name__ == "__main__":
    print(render_table(), end="")
