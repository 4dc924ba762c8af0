"""Reliability, family 1: gradient verification, and what the packages' gradient tests cannot show.

The numerical checks themselves are the packages' (packages/mygrad-core/tests/test_grad_*.py, ...,
packages/mygrad-nnet/tests/*): ``nox -s reliability`` runs them with 200 Hypothesis examples per test and counts,
with gradient_coverage.py, the examples that reach each operation. Every one of those checks goes through
:func:`mygrad.testing.assert_gradients_match`, which also asserts the structural invariants (an ndarray gradient
of the input's shape and dtype; inputs and upstream gradient left as they were; a second, equal graph giving
bit-identical gradients). This file shows

* that each invariant check fails when an operation breaks it (a check that cannot fail proves nothing);
* ``ScatterAdd``, the operation that only recorded backward passes build, checked on Hypothesis-drawn problems
  (the packages check it on fixed ones);
* that the counting and the coverage walk work: the counter sees what a check reached, the walks find every
  operation of core and nnet, and a missing or short operation is reported.
"""

from __future__ import annotations

import importlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import gradient_coverage
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._core.operation import scatter_add
from mygrad._ops.registry import PRIMITIVES
from mygrad.operation_base import Operation
from mygrad.testing import _gradcheck, assert_gradients_match
from mygrad.testing.strategies import array_shapes, finite_floats


# ------------------------------------------------------------------------ the invariant checks can fail
class _Scale(Operation):
    """``2 * x``, whose misbehaviour is chosen by the class attributes of a subclass."""

    mutate_input_forward = False
    mutate_input_backward = False
    jitter = False
    calls = 0

    def __call__(self, x: mg.Tensor) -> np.ndarray:
        self.variables = (x,)
        out = 2 * x.data
        if self.mutate_input_forward:
            x.data[...] = -x.data
        return out

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        (x,) = self.variables
        if self.mutate_input_backward:
            x.data[...] = -x.data
        result = 2 * grad
        if self.jitter:  # a gradient that differs in its last bits from one backward pass to the next
            type(self).calls += 1
            result = result * (1 + type(self).calls * np.finfo(np.float64).eps)
        return result


def _misbehaving(**attributes: Any) -> Any:
    op = type("Misbehaving", (_Scale,), dict(attributes))
    return lambda x: mg.execute_op(op, x)


def test_a_well_behaved_operation_passes() -> None:
    assert_gradients_match(_misbehaving(), np.array([1.0, -2.0]), grad=np.array([0.5, 3.0]))


def test_a_forward_pass_that_modifies_its_input_is_caught() -> None:
    with pytest.raises(AssertionError, match="the forward pass modified input 0"):
        assert_gradients_match(_misbehaving(mutate_input_forward=True), np.array([1.0, -2.0]))


def test_a_backward_pass_that_modifies_an_input_is_caught() -> None:
    with (
        mg.mem_guard_off,
        pytest.raises(AssertionError, match="the backward pass modified input 0"),
    ):  # unlocked
        assert_gradients_match(_misbehaving(mutate_input_backward=True), np.array([1.0, -2.0]))


def test_a_modified_upstream_gradient_is_caught() -> None:
    upstream = np.array([1.0, 2.0])

    def f(x: mg.Tensor) -> mg.Tensor:
        upstream[0] += 1  # stands in for an engine that would write into the seed it was given
        return 2 * x

    with pytest.raises(AssertionError, match="the upstream gradient was modified"):
        assert_gradients_match(f, np.array([1.0, -2.0]), grad=upstream)


def test_an_upstream_gradient_left_read_only_is_caught() -> None:
    upstream = np.array([1.0, 2.0])

    def f(x: mg.Tensor) -> mg.Tensor:
        upstream.flags.writeable = False  # stands in for a lock that was never released
        return 2 * x

    with pytest.raises(AssertionError, match="left read-only"):
        assert_gradients_match(f, np.array([1.0, -2.0]), grad=upstream)


def test_a_gradient_that_is_not_reproducible_bit_for_bit_is_caught() -> None:
    # within any tolerance of the numerical gradient, yet not bit-identical on an equal graph
    with pytest.raises(AssertionError, match="a second, equal graph gave input 0 another gradient"):
        assert_gradients_match(_misbehaving(jitter=True), np.array([1.0, -2.0]))


def test_a_wrong_gradient_is_caught() -> None:
    class Wrong(_Scale):
        def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
            return 3 * grad

    with pytest.raises(AssertionError, match="gradient of input 0"):
        assert_gradients_match(lambda x: mg.execute_op(Wrong, x), np.array([1.0, -2.0]))


# ------------------------------------------------------------------------------------------- ScatterAdd
@st.composite
def scatter_problems(draw: st.DrawFn) -> tuple[Any, tuple[int, ...], bool, np.ndarray, np.ndarray]:
    """An index into an array of some shape (basic, or integer arrays with repeated positions), the values
    added there and an upstream gradient."""
    basic = draw(st.booleans(), label="basic")
    # integer array indices need a position to point at: no axis of length 0 for them
    shape = draw(array_shapes(min_dims=0 if basic else 1, min_side=0 if basic else 1), label="shape")
    if basic:
        index = draw(hnp.basic_indices(shape, allow_newaxis=False, allow_ellipsis=True), label="index")
    else:
        index = draw(hnp.integer_array_indices(shape), label="index")
    selected = np.zeros(shape)[index].shape
    values = draw(hnp.arrays(np.float64, selected, elements=finite_floats(-3.0, 3.0)), label="values")
    upstream = draw(hnp.arrays(np.float64, shape, elements=finite_floats(-2.0, 2.0)), label="upstream")
    return index, shape, basic, values, upstream


@given(problem=scatter_problems())
def test_scatter_add_gradients(problem) -> None:
    index, shape, basic, values, upstream = problem
    expected = np.zeros(shape)
    np.add.at(expected, index, values)
    out = assert_gradients_match(lambda v: scatter_add(v, index, shape, basic), values, grad=upstream)
    np.testing.assert_array_equal(out.data, expected)


def test_scatter_add_is_the_registered_operation() -> None:
    out = scatter_add(mg.tensor([1.0, 2.0]), (np.array([0, 0]),), (3,), False)
    assert type(out.creator) is PRIMITIVES["ScatterAdd"]
    np.testing.assert_array_equal(out.data, [3.0, 0.0, 0.0])


# ----------------------------------------------------------------------------------- counting the checks
@pytest.fixture
def counter() -> Any:
    """A fresh counter installed in mygrad.testing for the test (the previous one, if any, kept aside)."""
    previous = _gradcheck.checks_per_op
    _gradcheck.checks_per_op = Counter()
    try:
        yield _gradcheck.checks_per_op
    finally:
        if previous is not None:
            previous.update(_gradcheck.checks_per_op)  # a run that counts keeps these checks too
        _gradcheck.checks_per_op = previous


def test_a_check_counts_the_operations_it_reached(counter: Counter) -> None:
    assert_gradients_match(lambda x, y: mg.sum(mg.multiply(x, y)), np.ones(2), np.ones(2), constant=(1,))
    ops = {op.__name__: n for (op, in_hypothesis), n in counter.items() if not in_hypothesis}
    assert ops == {"Sum": 1, "Multiply": 1}  # once per check, though the check builds its graph twice


def test_a_check_in_a_hypothesis_example_counts_as_one(counter: Counter) -> None:
    @given(x=hnp.arrays(np.float64, 2, elements=finite_floats(-1.0, 1.0)))
    def check(x: np.ndarray) -> None:
        assert_gradients_match(mg.exp, x)

    check()
    exp = PRIMITIVES["Exp"]
    assert counter[exp, True] >= 1 and counter[exp, False] == 0


def test_operations_of_constants_are_not_counted(counter: Counter) -> None:
    c = mg.tensor([1.0, 2.0], constant=True)
    assert_gradients_match(lambda x: x * mg.exp(c), np.ones(2))
    assert {op.__name__ for op, _ in counter} == {"Multiply"}


# ----------------------------------------------------------------------------------- the coverage walks
def test_the_core_walk_is_the_registry() -> None:
    ops = gradient_coverage.core_operations()
    assert set(ops.values()) == set(PRIMITIVES.values()) and len(ops) == len(PRIMITIVES)


def test_the_nnet_walk_finds_both_kinds_of_operation() -> None:
    names = {op.__name__ for op in gradient_coverage.nnet_operations().values()}
    # declared with `primitive` (layers, activations, losses) and as subclasses of Operation
    assert {"ConvND", "MaxPool", "AvgPool", "ReLU", "SoftmaxCrossEntropy", "BatchNorm", "GRUnit"} <= names
    assert not names & set(PRIMITIVES), "core's operations are not nnet's"


def test_the_walk_finds_an_operation_that_nnet_would_add(monkeypatch: pytest.MonkeyPatch) -> None:
    from mygrad.operation_base import primitive

    activations = importlib.import_module("mygrad.nnet.activations")

    new = primitive("Brand_New", lambda x: x, lambda g, out, x: g)
    monkeypatch.setattr(activations, "Brand_New", new, raising=False)
    ops = gradient_coverage.nnet_operations()
    assert gradient_coverage.op_key(new) in ops
    counts = {
        key: [500, 0]
        for key in gradient_coverage.core_operations() | ops
        if key != gradient_coverage.op_key(new)
    }
    assert gradient_coverage.shortfall(counts, 200) == {gradient_coverage.op_key(new): 0}


def test_a_short_count_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    every = gradient_coverage.core_operations() | gradient_coverage.nnet_operations()
    counts = {key: [200, 3] for key in every}
    short = gradient_coverage.op_key(PRIMITIVES["Sum"])
    counts[short] = [199, 3]
    (tmp_path / "a.json").write_text(json.dumps(counts))
    assert gradient_coverage.main(["--min-examples", "200", str(tmp_path / "a.json")]) == 1
    assert f"1 operation(s) below 200: {short}" in capsys.readouterr().out
    del counts[short]  # one file without it, another with its 200: summed, it is covered
    (tmp_path / "a.json").write_text(json.dumps(counts))
    (tmp_path / "b.json").write_text(json.dumps({short: [200, 0]}))
    assert (
        gradient_coverage.main(["--min-examples", "200", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
        == 0
    )


def test_an_operation_of_a_test_is_not_counted_as_mygrads(counter: Counter) -> None:
    from mygrad.operation_base import primitive

    impostor = primitive("Sum", lambda x: np.sum(x), lambda g, out, x: g * np.ones_like(x))  # core's name
    assert_gradients_match(lambda x: mg.execute_op(impostor, x), np.ones(3))
    assert gradient_coverage._serialized() == {"other: mygrad.Sum": [0, 1]}
