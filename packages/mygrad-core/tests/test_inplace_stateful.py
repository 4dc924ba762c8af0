"""A state machine that interleaves views, in-place updates and computations, mirrored by NumPy.

The machine holds a float64 leaf ``x``, a root ``y = x * 1``, live views of ``y`` (and of those views), and
results computed along the way. Every step runs twice, on the tensors and on NumPy arrays (whose views are
real views too), and is recorded as a closure over a list of slots, so that the whole history can be replayed
as a pure function of ``x``'s values. After each step: each tensor holds its mirror's values, and each view
shares memory with the root and has it as its ``base``. A backward pass from a kept result must give the
central-difference gradient of the replayed history: results computed before a later mutation differentiate
the values they saw.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

import mygrad as mg
from mygrad.testing import numerical_gradient
from mygrad.testing.strategies import finite_floats

X, ROOT = 0, 1  # the slots of the leaf and of the root; the steps append the others
SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)
SMALL = finite_floats(-1, 1)
FACTORS = finite_floats(0.5, 1.2) | finite_floats(-1.2, -0.5)  # values stay moderate over many `*=`


@dataclass(frozen=True)
class Described:
    """A function with a readable repr, for hypothesis' report of a failing sequence of steps."""

    text: str
    fn: Callable

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __repr__(self) -> str:
        return self.text


def view_ops(shape: tuple[int, ...]) -> st.SearchStrategy:
    """Operations that give views in NumPy (unless the layout forces a copy: the machine skips those)."""
    ndim = len(shape)
    ops = [
        hnp.basic_indices(shape, allow_newaxis=True).map(
            lambda index: Described(f"v[{index!r}]", lambda a: a[index])
        ),
        st.just(Described("v.T", lambda a: a.T)),
        st.sampled_from([(-1,), (1, -1), (-1, 1)]).map(
            lambda new: Described(f"v.reshape({new})", lambda a: a.reshape(new))
        ),
    ]
    if ndim >= 2:
        ops.append(
            st.permutations(range(ndim)).map(
                lambda axes: Described(f"v.transpose({tuple(axes)})", lambda a: a.transpose(tuple(axes)))
            )
        )
        ops.append(st.just(Described("np.swapaxes(v, 0, -1)", lambda a: np.swapaxes(a, 0, -1))))
    return st.one_of(ops)


def indices(shape: tuple[int, ...]) -> st.SearchStrategy:
    """Basic, integer-array (repeats likely) and boolean-mask indices into an array of ``shape``."""
    options = [hnp.basic_indices(shape, allow_newaxis=True)]
    if shape and all(shape):
        options.append(
            hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(max_dims=2, max_side=3))
        )
        options.append(hnp.arrays(bool, shape))
    return st.one_of(options)


def one_way_broadcastable(shape: tuple[int, ...]) -> st.SearchStrategy:
    """Shapes that broadcast to ``shape``: trailing sides, each kept or made 1."""
    return st.integers(0, len(shape)).flatmap(
        lambda n: st.tuples(*(st.sampled_from((1, side)) for side in shape[len(shape) - n :]))
    )


def flat(value: Any) -> Any:
    return value.ravel() if isinstance(value, mg.Tensor) else np.ravel(value)


def join(values: list) -> Any:
    """All results as one vector (so central differences difference each result on its own)."""
    flats = [flat(v) for v in values]
    return mg.concatenate(flats) if isinstance(values[0], mg.Tensor) else np.concatenate(flats)


AUGMENTED = {"+=": operator.iadd, "*=": operator.imul}


class InPlaceHistory(RuleBasedStateMachine):
    views = Bundle("views")  # slots of live views of the root
    results = Bundle("results")  # slots of computed results
    targets = st.one_of(st.just(ROOT), views)  # what may be viewed, updated or read

    def __init__(self) -> None:
        super().__init__()
        self.program: list[Described] = []  # every step so far, replayable on tensors or arrays
        self.tensors: list = []  # slot -> the live tensor
        self.arrays: list = []  # slot -> its NumPy mirror
        self.view_slots: list[int] = []
        self.result_slots: list[int] = []
        # a backward pass cleared the graph: later results no longer reach x, and the views are disconnected
        # from the root (MyGrad 2's model, tested in test_views.py): the machine's story ends there
        self.spent = False

    # ------------------------------------------------------------------------------------- helpers
    def record(self, step: Described) -> int | None:
        """Run ``step`` on the tensors and on the arrays and keep it; return the slot it filled, if any."""
        size = len(self.tensors)
        step(self.tensors)
        step(self.arrays)
        self.program.append(step)
        return size if len(self.tensors) > size else None

    def replay(self, slots: list[int]) -> Callable[[np.ndarray], Any]:
        """The values of ``slots`` as a function of ``x``: the recorded history, re-run from scratch."""
        program = list(self.program)

        def history(x: Any) -> Any:
            env = [x]
            for step in program:
                step(env)
            return join([env[s] for s in slots])

        return history

    def check_gradient(self, slots: list[int]) -> None:
        x = self.tensors[X]
        join([self.tensors[s] for s in slots]).backward()
        (expected,) = numerical_gradient(self.replay(slots), self.arrays[X])
        assert x.grad is not None, "x received no gradient"
        np.testing.assert_allclose(x.grad, expected, rtol=1e-5, atol=1e-7)
        self.spent = True

    # --------------------------------------------------------------------------------------- rules
    @initialize(x=hnp.arrays(np.float64, SHAPES, elements=SMALL))
    def start(self, x: np.ndarray) -> None:
        self.tensors.append(mg.tensor(x))
        self.arrays.append(x.copy())
        self.record(Described("y = x * 1", lambda env: env.append(env[X] * 1)))

    @precondition(lambda self: not self.spent)
    @rule(target=views, parent=targets, data=st.data())
    def make_view(self, parent: int, data: st.DataObject) -> Any:
        op = data.draw(view_ops(self.arrays[parent].shape), label="view op")
        candidate = op(self.arrays[parent])
        if not np.shares_memory(candidate, self.arrays[ROOT]):
            return multiple()  # NumPy made a copy (or a scalar, or an empty array): not a view to keep
        slot = self.record(
            Described(
                f"slot {len(self.tensors)} = {op}(slot {parent})", lambda env: env.append(op(env[parent]))
            )
        )
        self.view_slots.append(slot)
        return slot

    @precondition(lambda self: not self.spent)
    @rule(written=targets, source=st.none() | results, data=st.data())
    def assign(self, written: int, source: int | None, data: st.DataObject) -> None:
        shape = self.arrays[written].shape
        index = data.draw(indices(shape), label="index")
        selected = np.empty(shape)[index].shape
        if source is not None:
            text = f"slot {written}[{index!r}] = slot {source}.sum() / 4"

            def value_of(env: list) -> Any:
                return env[source].sum() / 4
        else:
            constant = data.draw(hnp.arrays(np.float64, one_way_broadcastable(selected), elements=SMALL))
            text = f"slot {written}[{index!r}] = {constant!r}"

            def value_of(env: list) -> Any:
                return constant

        def step(env: list) -> None:
            env[written][index] = value_of(env)

        self.record(Described(text, step))

    @precondition(lambda self: not self.spent)
    @rule(written=targets, symbol=st.sampled_from(sorted(AUGMENTED)), data=st.data())
    def augment(self, written: int, symbol: str, data: st.DataObject) -> None:
        elements = FACTORS if symbol == "*=" else SMALL
        value = data.draw(
            hnp.arrays(np.float64, one_way_broadcastable(self.arrays[written].shape), elements=elements),
            label="value",
        )
        fn = AUGMENTED[symbol]

        def step(env: list) -> None:
            updated = fn(env[written], value)
            assert updated is env[written], "an augmented assignment must return the object itself"

        self.record(Described(f"slot {written} {symbol} {value!r}", step))

    @precondition(lambda self: not self.spent)
    @rule(target=results, source=targets, data=st.data())
    def compute(self, source: int, data: st.DataObject) -> int:
        weights = data.draw(
            hnp.arrays(np.float64, self.arrays[source].shape, elements=SMALL), label="weights"
        )
        slot = self.record(
            Described(
                f"slot {len(self.tensors)} = slot {source} ** 2 * {weights!r}",
                lambda env: env.append(env[source] * env[source] * weights),
            )
        )
        self.result_slots.append(slot)
        return slot

    @precondition(lambda self: not self.spent)
    @rule(result=results)
    def backprop_one_result(self, result: int) -> None:
        self.check_gradient([result])

    @precondition(lambda self: self.spent)
    @rule()
    def rest(self) -> None:
        """Nothing more to do once a backward pass has run (see ``__init__``)."""

    # ---------------------------------------------------------------------------------- invariants
    @invariant()
    def every_tensor_holds_its_mirrors_values(self) -> None:
        for slot, (t, a) in enumerate(zip(self.tensors, self.arrays)):
            assert t.shape == np.shape(a), f"slot {slot}"
            np.testing.assert_array_equal(t.data, a, err_msg=f"slot {slot}")

    @invariant()
    def every_view_is_a_view_of_the_root(self) -> None:
        root = self.tensors[ROOT] if len(self.tensors) > ROOT else None
        if root is None:
            return
        assert root.base is None
        for slot in self.view_slots:
            view = self.tensors[slot]
            assert view.base is root, f"slot {slot}: base is not the root"
            assert np.shares_memory(view.data, root.data), f"slot {slot} does not share the root's memory"
            assert np.shares_memory(self.arrays[slot], self.arrays[ROOT])  # the mirror agrees

    @invariant()
    def the_leaf_is_never_written(self) -> None:
        if self.tensors:
            np.testing.assert_array_equal(self.tensors[X].data, self.arrays[X])

    def teardown(self) -> None:
        try:
            if not self.spent and self.result_slots:
                self.check_gradient(self.result_slots)  # one backward pass through all the results
        finally:
            self.tensors.clear()  # the graphs go now, by reference counting, not with the machine's cycles
            self.arrays.clear()


TestInPlaceHistory = InPlaceHistory.TestCase
TestInPlaceHistory.settings = settings(TestInPlaceHistory.settings, stateful_step_count=10, deadline=None)
