"""Linear algebra: forward results against NumPy, gradients against central differences (all at float64).

Covered: ``einsum`` (random valid problems from a hypothesis strategy, the sublist form, repeated operands and
malformed subscripts), ``tensordot`` and the products built on it (``dot``, ``inner``, ``outer``, ``vdot``),
``multi_matmul`` (its value and the cost of the order it picks), ``linalg.norm`` (every vector and matrix
``ord`` NumPy knows), ``linalg.inv``/``det``/``slogdet``/``solve`` (stacks included, ``det`` at singular
matrices) and ``logsumexp`` (with huge and infinite inputs).

Norms are only differentiable away from ties between extremes (and from repeated singular values), so their
inputs are drawn with distinct magnitudes and ill-posed draws are rejected; the matrices of ``inv``, ``solve``
and friends are strictly diagonally dominant, hence well-conditioned.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad._ops.registry import PRIMITIVES
from mygrad.testing import assert_gradients_match
from mygrad.testing.strategies import array_shapes, broadcastable_shapes, finite_floats, tensors

# Every Primitive whose gradient this file checks numerically (read by test_registry.py); MatMul is covered
# by test_grad_elementwise.py.
COVERED_PRIMITIVES = {"EinSum", "TensorDot", "Norm", "Inv", "Det", "LogAbsDet", "Solve", "LogSumExp"}


def test_covered_primitives_exist():
    assert set(PRIMITIVES) >= COVERED_PRIMITIVES


# ------------------------------------------------------------------------------------------------ helpers
VALUES = finite_floats(-3, 3)
UPSTREAM = finite_floats(-1, 1)  # elements of the upstream gradient
# The products (einsum, tensordot, dot, multi_matmul) are linear in each element of each operand, so central
# differences are exact whatever the step; a larger step than the default keeps rounding (the last bit of the
# weighted sum of all outputs, divided by the step) far below the tolerances for small gradient elements.
LINEAR_STEP = 1e-3
# Elsewhere the inputs and the upstream gradient are kept of order 1 for the same reason.


def check_forward(result, expected) -> None:
    """``result`` is a Tensor holding NumPy's ``expected``, with its dtype and shape."""
    assert isinstance(result, mg.Tensor), f"expected a Tensor, got {type(result).__name__}"
    expected = np.asarray(expected)
    assert result.dtype == expected.dtype
    assert result.shape == expected.shape
    np.testing.assert_allclose(result.data, expected, rtol=1e-10, atol=1e-12)


def draw_array(data: st.DataObject, shape, elements=VALUES, label: str = "array") -> np.ndarray:
    return data.draw(tensors(shape=tuple(shape), elements=elements), label=label).data


def draw_upstream(data: st.DataObject, shape) -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, tuple(shape), elements=UPSTREAM), label="upstream grad")


def random_arrays(seed: int, *shapes, low: float = -3.0, high: float = 3.0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(low, high, shape) for shape in shapes]


def check_function(
    callers: list[Callable], reference: Callable, *arrays: np.ndarray, grad=None, eps: float = 1e-6
) -> None:
    """Each caller matches ``reference`` forward, and its gradients (with ones and with ``grad`` upstream)
    match central differences with step ``eps``."""
    expected = reference(*arrays)
    for f in callers:
        check_forward(f(*(mg.tensor(a) for a in arrays)), expected)
        assert_gradients_match(f, *arrays, eps=eps)
        if grad is not None:
            assert_gradients_match(f, *arrays, grad=grad, eps=eps)


def shape_id(value) -> str:
    return str(value).replace(" ", "")


# ------------------------------------------------------------------------------------------------- einsum
class EinsumProblem(NamedTuple):
    spec: str
    shapes: tuple[tuple[int, ...], ...]


LABELS = "ijkl"  # a small alphabet, so that labels often repeat within and across operands


@st.composite
def einsum_problems(draw) -> EinsumProblem:
    """A valid einsum problem: 1-3 operands of 0-4 labels each (repeats allowed: traces and diagonals; shared
    labels: contractions), label sizes 0-3, size 1 where an operand broadcasts a label, optional ``...``
    broadcasting, and an implicit output or an explicit one (any subset of the labels, in any order)."""
    terms = draw(
        st.lists(st.lists(st.sampled_from(LABELS), max_size=4), min_size=1, max_size=3), label="terms"
    )
    labels = sorted(set().union(*terms))
    sizes = {c: draw(st.sampled_from((2, 3, 1)), label=f"size of {c}") for c in labels}
    if labels and draw(st.integers(0, 4), label="empty label?") == 0:  # now and then a label of size 0
        sizes[draw(st.sampled_from(labels), label="empty label")] = 0
    shapes = []
    for term in terms:  # a label can have size 1 in an operand: it broadcasts against the others
        broadcast = (
            draw(st.sets(st.sampled_from(term), max_size=1), label="broadcast label") if term else set()
        )
        shapes.append([1 if c in broadcast else sizes[c] for c in term])

    ellipsis_ndim = None
    if draw(st.booleans(), label="ellipsis?"):
        with_ellipsis = draw(st.sets(st.integers(0, len(terms) - 1), min_size=1), label="operands with ...")
        batch = draw(broadcastable_shapes(len(terms), max_dims=2, max_side=3), label="ellipsis shapes")
        for k, (term, shape, batch_shape) in enumerate(zip(terms, shapes, batch)):
            if k in with_ellipsis:
                position = draw(st.integers(0, len(term)), label="ellipsis position")
                term.insert(position, "...")
                shape[position:position] = batch_shape
        ellipsis_ndim = max(len(batch[k]) for k in with_ellipsis)

    spec = ",".join("".join(term) for term in terms)
    if draw(st.booleans(), label="explicit output?"):
        output = draw(st.permutations(labels), label="output order")
        output = output[: draw(st.integers(0, len(labels)), label="output size")]
        # NumPy requires `...` in the output when the ellipsis stands for any dimensions
        if ellipsis_ndim is not None and (ellipsis_ndim > 0 or draw(st.booleans(), label="output ...?")):
            output.insert(draw(st.integers(0, len(output)), label="output ... position"), "...")
        spec += "->" + "".join(output)
    return EinsumProblem(spec, tuple(tuple(s) for s in shapes))


EINSUM_CALLERS = {"mg.einsum": mg.einsum, "np.einsum": np.einsum}


@given(problem=einsum_problems(), data=st.data())
def test_einsum_random_problems(problem: EinsumProblem, data):
    arrays = [draw_array(data, shape, label=f"operand {i}") for i, shape in enumerate(problem.shapes)]
    grad = draw_upstream(data, np.einsum(problem.spec, *arrays).shape)
    for optimize in (False, True):
        expected = np.einsum(problem.spec, *arrays, optimize=optimize)
        for einsum in EINSUM_CALLERS.values():

            def f(*xs, einsum=einsum, optimize=optimize):
                return einsum(problem.spec, *xs, optimize=optimize)

            result = f(*(mg.tensor(a) for a in arrays))
            check_forward(result, expected)
            assert type(result.creator).__name__ == "EinSum"
            assert_gradients_match(f, *arrays, grad=grad, eps=LINEAR_STEP)


@st.composite
def matrix_product_problems(draw) -> EinsumProblem:
    """Two operands whose einsum is a (batched) matrix product, which mygrad computes with ``matmul``: batch
    labels shared by all three terms, one label of each operand kept, one contracted; every term's labels in
    any order; sizes 0-3, batch labels of size 1 in one operand (broadcast) and, now and then, a contracted
    label of size 1 in one operand only (which einsum stretches and matmul refuses)."""
    batch = draw(st.lists(st.sampled_from("abc"), unique=True, max_size=2), label="batch labels")
    sizes = {c: draw(st.integers(0, 3), label=f"size of {c}") for c in [*batch, "i", "j", "k"]}
    x_term = draw(st.permutations([*batch, "i", "k"]), label="x labels")
    y_term = draw(st.permutations([*batch, "k", "j"]), label="y labels")
    out = draw(st.permutations([*batch, "i", "j"]), label="output labels")
    ones = draw(st.sets(st.sampled_from([*batch, "k"]), max_size=1), label="size 1 in x")
    x_shape = tuple(1 if c in ones else sizes[c] for c in x_term)
    y_shape = tuple(sizes[c] for c in y_term)
    spec = "".join(x_term) + "," + "".join(y_term) + "->" + "".join(out)
    return EinsumProblem(spec, (x_shape, y_shape))


@given(problem=matrix_product_problems(), data=st.data())
def test_einsum_matrix_products(problem: EinsumProblem, data):
    arrays = [draw_array(data, shape, label=f"operand {i}") for i, shape in enumerate(problem.shapes)]
    grad = draw_upstream(data, np.einsum(problem.spec, *arrays).shape)
    for optimize in (False, True):

        def f(*xs, optimize=optimize):
            return mg.einsum(problem.spec, *xs, optimize=optimize)

        check_forward(f(*(mg.tensor(a) for a in arrays)), np.einsum(problem.spec, *arrays))
        assert_gradients_match(f, *arrays, grad=grad, eps=LINEAR_STEP)


@given(problem=einsum_problems(), data=st.data())
def test_einsum_with_constant_operands(problem: EinsumProblem, data):
    assume(len(problem.shapes) > 1)
    arrays = [draw_array(data, shape, label=f"operand {i}") for i, shape in enumerate(problem.shapes)]
    constant = data.draw(st.sets(st.integers(0, len(arrays) - 1), min_size=1), label="constant operands")
    out = assert_gradients_match(
        lambda *xs: mg.einsum(problem.spec, *xs), *arrays, constant=tuple(constant), eps=LINEAR_STEP
    )
    assert out.constant is (len(constant) == len(arrays))


SUBLIST_PROBLEMS = [
    # (operand shapes, sublists (the last one is the output when there is one more sublist than operands))
    (((2, 3), (3, 4)), ([0, 1], [1, 2], [0, 2])),
    (((2, 3), (3, 4)), ([0, 1], [1, 2])),
    (((3, 3),), ([0, 0], [0])),
    (((3, 3),), ([0, 0],)),
    (((2, 3), (4, 3)), ([0, 1], [2, 1], [])),
    (((2, 5, 3), (3, 4)), ([Ellipsis, 1], [1, 2], [Ellipsis, 2])),
    (((2, 3), (3,)), ([Ellipsis, 1], [1])),
    (((2, 3),), ([0, 30], [30, 0])),
    (((2, 3), (3, 4)), ([40, 1], [1, 27], [27, 40])),
    # implicit output: NumPy orders the labels by their numbers
    (((2, 3),), ([30, 0],)),
    (((2, 3), (3, 4)), ([51, 1], [1, 26])),
]


@pytest.mark.parametrize(("shapes", "sublists"), SUBLIST_PROBLEMS, ids=shape_id)
def test_einsum_sublist_form(shapes, sublists):
    arrays = random_arrays(len(shapes), *shapes)

    def interleave(*xs):
        return [item for pair in zip(xs, sublists) for item in pair] + list(sublists[len(xs) :])

    expected = np.einsum(*interleave(*arrays))
    for einsum in EINSUM_CALLERS.values():

        def f(*xs, einsum=einsum):
            return einsum(*interleave(*xs))

        check_forward(f(*(mg.tensor(a) for a in arrays)), expected)
        assert_gradients_match(f, *arrays, grad=random_arrays(0, expected.shape)[0], eps=LINEAR_STEP)


@pytest.mark.parametrize(
    ("spec", "shape", "count"),
    [
        ("i,i", (3,), 2),
        ("i,i->i", (3,), 2),
        ("ij,jk,ki", (3, 3), 3),
        ("ij,ij,ij->j", (2, 3), 3),
        ("ii,ii", (3, 3), 2),
    ],
    ids=str,
)
def test_einsum_repeated_operand(spec, shape, count):
    (x,) = random_arrays(1, shape)
    for einsum in EINSUM_CALLERS.values():

        def f(x, einsum=einsum):
            return einsum(spec, *[x] * count)

        check_forward(f(mg.tensor(x)), np.einsum(spec, *[x] * count))
        assert_gradients_match(f, x)


BAD_EINSUM = [
    ("ij,jk", [(2, 3)]),  # two subscripts, one operand
    ("i", [(3,), (3,)]),  # one subscript, two operands
    ("ijk", [(2, 3)]),  # more labels than dimensions
    ("i", [(2, 3)]),  # fewer labels than dimensions
    ("ij,j", [(2, 3), (3, 3)]),  # the second has too many dimensions
    ("i...j", [(2,)]),  # more labels than dimensions, besides the ellipsis
    ("i,i", [(3,), (4,)]),  # a label with two sizes
    ("ii", [(2, 3)]),  # a diagonal of a non-square operand
    ("i->j", [(3,)]),  # an output label that is no input's
    ("i->ii", [(3,)]),  # a repeated output label
]


@pytest.mark.parametrize(("spec", "shapes"), BAD_EINSUM, ids=shape_id)
@pytest.mark.parametrize("einsum", EINSUM_CALLERS.values(), ids=EINSUM_CALLERS.keys())
def test_einsum_bad_subscripts_raise_value_error(einsum, spec, shapes):
    arrays = random_arrays(0, *shapes)
    with pytest.raises(ValueError):
        np.einsum(spec, *arrays)  # the premise: NumPy refuses it
    with pytest.raises(ValueError):
        einsum(spec, *(mg.tensor(a) for a in arrays))


@pytest.mark.parametrize("einsum", EINSUM_CALLERS.values(), ids=EINSUM_CALLERS.keys())
def test_einsum_output_without_ellipsis_raises_when_ellipsis_has_dimensions(einsum):
    # NumPy: "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis ..."
    x = np.ones((2, 3))
    with pytest.raises(ValueError):
        np.einsum("...i->i", x)
    with pytest.raises(ValueError):
        einsum("...i->i", mg.tensor(x))


@pytest.mark.parametrize("einsum", EINSUM_CALLERS.values(), ids=EINSUM_CALLERS.keys())
def test_einsum_bad_sublists_raise_value_error(einsum):
    x = mg.tensor(np.ones((2, 3)))
    with pytest.raises(ValueError):
        einsum(x, [0, 1, 2])
    with pytest.raises(ValueError):
        einsum(x, [0, 1], x, [1])


# --------------------------------------------------------------------------------------------- tensordot
@pytest.mark.parametrize(
    ("a_shape", "b_shape", "axes"),
    [
        ((2, 3), (4, 5), 0),
        ((), (3,), 0),
        ((3,), (3,), 1),
        ((2, 3), (3, 4), 1),
        ((2, 3, 4), (4, 2), 1),
        ((2, 3, 4), (3, 4, 5), 2),
        ((3, 4), (3, 4), 2),
        ((2, 0), (0, 3), 1),
        ((2, 3), (3, 4), (1, 0)),  # a single pair of axes, as ints
        ((2, 3), (4, 2), (0, -1)),
    ],
    ids=shape_id,
)
def test_tensordot_fixed_axes(a_shape, b_shape, axes):
    a, b = random_arrays(len(a_shape), a_shape, b_shape)
    grad = random_arrays(1, np.tensordot(a, b, axes).shape)[0]
    callers = [lambda a, b: mg.tensordot(a, b, axes), lambda a, b: np.tensordot(a, b, axes=axes)]
    check_function(callers, lambda a, b: np.tensordot(a, b, axes), a, b, grad=grad, eps=LINEAR_STEP)


@st.composite
def tensordot_problems(draw) -> tuple[tuple[int, ...], tuple[int, ...], tuple[list[int], list[int]]]:
    """Shapes of ``a`` and ``b`` and pairs of axes to contract: in any order, negative or not."""
    a_shape = draw(array_shapes(max_dims=4, max_side=3), label="a shape")
    count = draw(st.integers(0, len(a_shape)), label="contracted")
    axes_a = draw(st.permutations(range(len(a_shape))), label="a axes")[:count]
    b_ndim = count + draw(st.integers(0, 2), label="b free")
    axes_b = draw(st.permutations(range(b_ndim)), label="b axes")[:count]
    b_shape = [draw(st.integers(0, 3), label="b side") for _ in range(b_ndim)]
    for i, j in zip(axes_a, axes_b):
        b_shape[j] = a_shape[i]
    negate = st.booleans()
    axes_a = [i - len(a_shape) if draw(negate, label="negative") else i for i in axes_a]
    axes_b = [j - b_ndim if draw(negate, label="negative") else j for j in axes_b]
    return a_shape, tuple(b_shape), (axes_a, axes_b)


@given(problem=tensordot_problems(), data=st.data())
def test_tensordot_axis_pairs(problem, data):
    a_shape, b_shape, axes = problem
    a, b = draw_array(data, a_shape, label="a"), draw_array(data, b_shape, label="b")
    expected = np.tensordot(a, b, axes)
    grad = draw_upstream(data, expected.shape)
    for tensordot in (mg.tensordot, np.tensordot):

        def f(a, b, tensordot=tensordot):
            return tensordot(a, b, axes=axes)

        result = f(mg.tensor(a), mg.tensor(b))
        check_forward(result, expected)
        assert type(result.creator).__name__ == "TensorDot"
        assert_gradients_match(f, a, b, grad=grad, eps=LINEAR_STEP)
    for i in range(2):
        assert_gradients_match(
            lambda a, b: mg.tensordot(a, b, axes), a, b, grad=grad, constant=(i,), eps=LINEAR_STEP
        )


DOT_SHAPES = [
    ((), ()),
    ((), (3,)),
    ((2, 3), ()),
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((0, 3), (3, 2)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 4, 3)),
    ((2, 3, 4), (4, 5)),
    ((2, 3), (5, 3, 4)),
    ((2, 3, 4), (5, 4, 2)),
    ((1, 2, 3), (2, 3, 1)),
]
DOT_CALLERS = {"mg.dot": mg.dot, "np.dot": np.dot, "Tensor.dot": lambda a, b: a.dot(b)}


@pytest.mark.parametrize(("a_shape", "b_shape"), DOT_SHAPES, ids=shape_id)
def test_dot(a_shape, b_shape):
    a, b = random_arrays(len(a_shape) + 3 * len(b_shape), a_shape, b_shape)
    grad = random_arrays(0, np.dot(a, b).shape)[0]
    check_function(list(DOT_CALLERS.values()), np.dot, a, b, grad=grad, eps=LINEAR_STEP)


PRODUCT_CASES = [
    ("inner", (), ()),
    ("inner", (), (3,)),
    ("inner", (3,), (3,)),
    ("inner", (2, 3), (3,)),
    ("inner", (2, 3), (4, 3)),
    ("inner", (2, 1, 3), (2, 3)),
    ("inner", (0, 3), (2, 3)),
    ("outer", (3,), (4,)),
    ("outer", (2, 3), (2,)),
    ("outer", (), ()),
    ("outer", (), (3,)),
    ("outer", (0,), (2,)),
    ("vdot", (), ()),
    ("vdot", (3,), (3,)),
    ("vdot", (2, 3), (6,)),
    ("vdot", (2, 3), (3, 2)),
]


@pytest.mark.parametrize(("name", "a_shape", "b_shape"), PRODUCT_CASES, ids=shape_id)
def test_inner_outer_vdot(name, a_shape, b_shape):
    a, b = random_arrays(len(a_shape) + 3 * len(b_shape), a_shape, b_shape)
    reference = getattr(np, name)
    grad = random_arrays(0, np.shape(reference(a, b)))[0]
    check_function([getattr(mg, name), reference], reference, a, b, grad=grad, eps=LINEAR_STEP)


# ------------------------------------------------------------------------------------------ multi_matmul
def chain_cost(result) -> int:
    """The multiply-adds of every matrix product in ``result``'s graph (reshapes of vectors pass through)."""
    creator = result.creator
    if creator is None:
        return 0
    cost = sum(chain_cost(v) for v in creator.variables)
    if type(creator).__name__ == "MatMul":
        a, b = creator.variables
        cost += a.shape[0] * a.shape[1] * b.shape[1]
    return cost


def cheapest_chain_cost(dims: list[int]) -> int:
    """The least multiply-adds over every parenthesization of the chain of matrices ``dims[i] x dims[i + 1]``."""
    if len(dims) <= 2:
        return 0
    return min(
        cheapest_chain_cost(dims[: k + 1]) + cheapest_chain_cost(dims[k:]) + dims[0] * dims[k] * dims[-1]
        for k in range(1, len(dims) - 1)
    )


@given(
    dims=st.lists(st.integers(1, 6), min_size=4, max_size=7),
    vectors=st.tuples(st.booleans(), st.booleans()),
    data=st.data(),
)
def test_multi_matmul(dims, vectors, data):
    first_vector, last_vector = vectors
    shapes = [(dims[i], dims[i + 1]) for i in range(len(dims) - 1)]
    if first_vector:
        dims[0], shapes[0] = 1, shapes[0][1:]
    if last_vector:
        dims[-1], shapes[-1] = 1, shapes[-1][:1]
    arrays = [draw_array(data, shape, elements=finite_floats(-2, 2), label="matrix") for shape in shapes]
    expected = np.linalg.multi_dot(arrays)
    grad = draw_upstream(data, expected.shape)

    def f(*xs):
        return mg.multi_matmul(xs)

    result = f(*(mg.tensor(a) for a in arrays))
    check_forward(result, expected)
    assert chain_cost(result) == cheapest_chain_cost(dims)
    assert_gradients_match(f, *arrays, grad=grad, eps=LINEAR_STEP)


@pytest.mark.parametrize(
    ("shapes", "first_product"),
    [
        ([(10, 100), (100, 5), (5, 50)], (0, 1)),  # (AB)C: 5000 + 2500 multiply-adds, A(BC): 25000 + 50000
        ([(50, 5), (5, 100), (100, 10)], (1, 2)),  # A(BC): 5000 + 2500, (AB)C: 25000 + 50000
    ],
)
def test_multi_matmul_multiplies_the_cheap_pair_first(shapes, first_product):
    matrices = [mg.tensor(a) for a in random_arrays(0, *shapes)]
    result = mg.multi_matmul(matrices)
    check_forward(result, np.linalg.multi_dot([m.data for m in matrices]))
    assert type(result.creator).__name__ == "MatMul"
    inner_product = result.creator.variables[first_product[0]]  # the product computed first
    assert type(inner_product.creator).__name__ == "MatMul"
    assert inner_product.creator.variables == tuple(matrices[i] for i in first_product)
    assert chain_cost(result) == 7500


# ------------------------------------------------------------------------------------------------- norms
# Magnitudes on a grid of 1/32 (up to 2), distinct within an array, with random signs: the extremes of |x| are unique
# and far apart compared with the difference step, and no element is zero.
MAGNITUDES = st.integers(1, 64).map(lambda i: i / 32)


def draw_distinct(data: st.DataObject, shape) -> np.ndarray:
    magnitudes = data.draw(hnp.arrays(np.float64, shape, elements=MAGNITUDES, unique=True), label="|x|")
    signs = data.draw(hnp.arrays(np.bool_, shape), label="negative")
    return np.where(signs, -magnitudes, magnitudes)


NORM_CALLERS = {"mg.linalg.norm": mg.linalg.norm, "np.linalg.norm": np.linalg.norm}
VECTOR_ORDS = [None, 0, 1, 2, np.inf, -np.inf, 0.5, 3, -1, -2.5]


def check_norm(data: st.DataObject, x: np.ndarray, **options) -> None:
    expected = np.linalg.norm(x, **options)
    grad = draw_upstream(data, np.shape(expected))
    for norm in NORM_CALLERS.values():

        def f(x, norm=norm):
            return norm(x, **options)

        result = f(mg.tensor(x))
        check_forward(result, expected)
        assert type(result.creator).__name__ == "Norm"
        assert_gradients_match(f, x, grad=grad)


@st.composite
def vector_axes(draw, ndim: int, ord) -> object:
    """``axis`` for a vector norm: None (for 1-D, or any ndim with ``ord=None``), an int or a 1-tuple."""
    choices = [st.integers(-ndim, ndim - 1), st.integers(-ndim, ndim - 1).map(lambda a: (a,))]
    if ndim == 1 or ord is None:
        choices.append(st.none())
    return draw(st.one_of(choices))


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
@given(data=st.data())
def test_vector_norm(ord, data):
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3), label="shape")
    axis = data.draw(vector_axes(len(shape), ord), label="axis")
    keepdims = data.draw(st.booleans(), label="keepdims")
    check_norm(data, draw_distinct(data, shape), ord=ord, axis=axis, keepdims=keepdims)


MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


def matrix_norm_is_smooth(x: np.ndarray, ord, axes: tuple[int, int], gap: float = 1e-2) -> bool:
    """Whether the matrix norm is differentiable at ``x`` with room to spare: the extreme column (row) sum, or
    the extreme singular value, is unique, and for the nuclear and -2 norms no singular value is near zero."""
    if ord in (None, "fro"):
        return True
    matrices = np.moveaxis(x, axes, (-2, -1)).reshape(-1, x.shape[axes[0]], x.shape[axes[1]])
    for m in matrices:
        if ord in (1, -1, np.inf, -np.inf):
            values = np.sort(np.abs(m).sum(axis=0 if ord in (1, -1) else 1))
        else:
            values = np.linalg.svd(m, compute_uv=False)[::-1]  # ascending
            if ord in ("nuc", -2) and values[0] < gap:
                return False
        if ord == "nuc" or len(values) == 1:
            continue
        nearest = values[-1] - values[-2] if ord in (1, np.inf, 2) else values[1] - values[0]
        if nearest < gap:
            return False
    return True


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
@given(data=st.data())
def test_matrix_norm(ord, data):
    shape = data.draw(array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=3), label="shape")
    ndim = len(shape)
    pairs = [(i, j) for i, j in itertools.permutations(range(-ndim, ndim), 2) if i % ndim != j % ndim]
    axis = data.draw(st.sampled_from(pairs + [None] * (ndim == 2)), label="axis")
    keepdims = data.draw(st.booleans(), label="keepdims")
    x = draw_distinct(data, shape)
    assume(matrix_norm_is_smooth(x, ord, (0, 1) if axis is None else axis))
    check_norm(data, x, ord=ord, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("ord", [None, 1, 2, 3], ids=str)
@pytest.mark.parametrize("norm", NORM_CALLERS.values(), ids=NORM_CALLERS.keys())
def test_vector_norm_of_empty_lanes(norm, ord):
    x = np.zeros((2, 0))
    result = norm(mg.tensor(x), ord=ord, axis=1)
    check_forward(result, np.linalg.norm(x, ord=ord, axis=1))
    assert_gradients_match(lambda x: norm(x, ord=ord, axis=1), x)


@pytest.mark.parametrize("ord", [None, 2], ids=str)
@pytest.mark.parametrize("norm", NORM_CALLERS.values(), ids=NORM_CALLERS.keys())
def test_two_norm_of_zero_vector_has_zero_gradient(norm, ord):
    x = mg.tensor(np.zeros(3))
    out = norm(x, ord=ord)
    check_forward(out, 0.0)
    out.backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))


@pytest.mark.parametrize("ord", [None, 2], ids=str)
def test_two_norm_of_zero_vector_has_nan_gradient_without_nan_to_num(ord):
    x = mg.tensor(np.zeros(3))
    out = mg.linalg.norm(x, ord=ord, nan_to_num=False)
    check_forward(out, 0.0)
    out.backward()
    np.testing.assert_array_equal(x.grad, np.full(3, np.nan))


# zero elements beside others, a zero lane along either axis; as a matrix: rank 2 (its -2-norm is 0)
ZEROS_AMONG_OTHERS = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [0.0, -3.0, 4.0]])
SPECTRAL_ORDS = ("nuc", 2, -2)


@pytest.mark.parametrize(
    ("ord", "axis"),
    [(ord, axis) for ord in VECTOR_ORDS for axis in (0, -1)]
    + [(ord, (0, 1)) for ord in MATRIX_ORDS]
    + [(None, None), ("fro", None), (1, None), ("nuc", None)],
    ids=str,
)
def test_norm_gradient_is_nan_where_undefined_without_nan_to_num(ord, axis):
    # MyGrad 2: with nan_to_num=False, the gradient is NaN at each zero element (an element's absolute value has no
    # derivative at 0) and the same as by default elsewhere; the spectral norms are NaN where they are 0. Likewise
    # in the recorded pass (the first derivative of higher-order ones).
    x = ZEROS_AMONG_OTHERS
    matrix = axis == (0, 1) or (axis is None and ord is not None)
    weights = np.arange(1.0, 4.0) if not matrix else np.array(1.0)

    def f(t, nan_to_num):
        return (mg.linalg.norm(t, ord=ord, axis=axis, nan_to_num=nan_to_num) * weights).sum()

    default = mg.tensor(x)
    with np.errstate(divide="ignore"):  # (the norms of negative ord at a zero element)
        f(default, True).backward()
    spectral = matrix and ord in SPECTRAL_ORDS
    undefined = np.full(x.shape, np.linalg.norm(x, ord) == 0) if spectral else x == 0
    t = mg.tensor(x)
    with np.errstate(all="ignore"):
        f(t, False).backward()
        recorded = mg.grad(lambda t: f(t, False))(x).data
    for grad in (t.grad, recorded):
        np.testing.assert_array_equal(np.isnan(grad), undefined)
        np.testing.assert_allclose(grad[~undefined], default.grad[~undefined], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("ord", "axis"), [(None, 1), (1, 1), (3, 0), (np.inf, 1), ("fro", None)], ids=str)
def test_norm_second_derivatives_are_nan_where_the_gradient_is_without_nan_to_num(ord, axis):
    # the derivatives of an undefined gradient element are undefined (at least its own); every other second
    # derivative is the same as by default, exact
    x = ZEROS_AMONG_OTHERS[[0, 2]]  # (no zero lane: the Hessian exists off the zero elements)

    def hessian(nan_to_num: bool) -> np.ndarray:
        h = mg.hessian(lambda t: mg.linalg.norm(t, ord=ord, axis=axis, nan_to_num=nan_to_num).sum())(x)
        return h.data.reshape(x.size, x.size)

    hessian = {flag: hessian(flag) for flag in (True, False)}
    undefined = (x == 0).ravel()
    assert np.all(np.isnan(np.diagonal(hessian[False])[undefined]))
    assert not np.any(np.isnan(hessian[True]))
    defined = hessian[False][np.ix_(~undefined, ~undefined)]
    np.testing.assert_array_equal(defined, hessian[True][np.ix_(~undefined, ~undefined)])


def test_two_norm_of_a_zero_lane_among_others():
    x = mg.tensor([[0.0, 0.0], [3.0, 4.0]])
    out = mg.linalg.norm(x, axis=1)
    check_forward(out, [0.0, 5.0])
    out.backward()
    np.testing.assert_allclose(x.grad, [[0.0, 0.0], [0.6, 0.8]], rtol=1e-12)


# -------------------------------------------------------------------------------------- matrix functions
@st.composite
def well_conditioned(draw, batch_shape, n: int) -> np.ndarray:
    """Matrices ``I + E / (n + 1)`` with ``|E| < 1`` elementwise: strictly diagonally dominant by a margin of
    ``1 / (n + 1)``, hence well-conditioned, with entries and determinants of order 1 (so that rounding stays
    far below the tolerances). The first row is negated in a random part of the stack (det < 0 there)."""
    noise = draw(hnp.arrays(np.float64, (*batch_shape, n, n), elements=finite_floats(-0.99, 0.99)), label="E")
    a = np.eye(n) + noise / (n + 1)
    negate = draw(hnp.arrays(np.bool_, (*batch_shape, 1, 1)), label="negated")
    first_row = np.arange(n)[:, None] == 0
    return np.where(negate & first_row, -a, a)


STACKS = array_shapes(max_dims=2, max_side=3)  # the batch shape of a stack of matrices (size 0 included)
ORDERS = st.integers(1, 4)  # the matrices' order


@pytest.mark.parametrize(
    ("name", "reference"),
    [("inv", np.linalg.inv), ("det", np.linalg.det), ("logabsdet", lambda a: np.linalg.slogdet(a).logabsdet)],
)
@given(batch_shape=STACKS, n=ORDERS, data=st.data())
def test_matrix_function(name, reference, batch_shape, n, data):
    a = data.draw(well_conditioned(batch_shape, n), label="a")
    callers = (
        [lambda a: mg.linalg.slogdet(a)[1], lambda a: np.linalg.slogdet(a).logabsdet]
        if name == "logabsdet"
        else [getattr(mg.linalg, name), getattr(np.linalg, name)]
    )
    check_function(callers, reference, a, grad=draw_upstream(data, np.shape(reference(a))))


@pytest.mark.parametrize("slogdet", [mg.linalg.slogdet, np.linalg.slogdet], ids=["mg", "np"])
@given(batch_shape=STACKS, n=ORDERS, data=st.data())
def test_slogdet_returns_constant_sign_and_logabsdet(slogdet, batch_shape, n, data):
    a = data.draw(well_conditioned(batch_shape, n), label="a")
    expected = np.linalg.slogdet(a)
    result = slogdet(mg.tensor(a))
    sign, logabsdet = result
    assert result.sign is sign and result.logabsdet is logabsdet
    check_forward(sign, expected.sign)
    check_forward(logabsdet, expected.logabsdet)
    assert sign.constant and not logabsdet.constant
    assert type(logabsdet.creator).__name__ == "LogAbsDet"


@st.composite
def solve_problems(draw) -> tuple[np.ndarray, tuple[int, ...]]:
    """A well-conditioned stack ``a`` and the shape of ``b``: a vector ``(n,)``, or a stack of ``(n, k)``
    matrices whose batch shape broadcasts against ``a``'s."""
    batch_a, batch_b = draw(broadcastable_shapes(2, max_dims=2, max_side=3), label="batch shapes")
    n = draw(ORDERS, label="n")
    a = draw(well_conditioned(batch_a, n), label="a")
    if draw(st.booleans(), label="b is a vector?"):
        return a, (n,)
    return a, (*batch_b, n, draw(st.integers(0, 3), label="k"))


SOLVE_CALLERS = {"mg.linalg.solve": mg.linalg.solve, "np.linalg.solve": np.linalg.solve}


@given(problem=solve_problems(), data=st.data())
def test_solve(problem, data):
    a, b_shape = problem
    b = draw_array(data, b_shape, elements=finite_floats(-1, 1), label="b")
    grad = draw_upstream(data, np.linalg.solve(a, b).shape)
    check_function(list(SOLVE_CALLERS.values()), np.linalg.solve, a, b, grad=grad)
    for i in range(2):
        out = assert_gradients_match(mg.linalg.solve, a, b, grad=grad, constant=(i,))
        assert not out.constant


@pytest.mark.parametrize(
    ("a_shape", "b_shape"), [((3, 3), (3,)), ((2, 3, 3), (3,)), ((4, 1, 2, 2), (3, 2, 1))]
)
@pytest.mark.parametrize("solve", SOLVE_CALLERS.values(), ids=SOLVE_CALLERS.keys())
def test_solve_forms(solve, a_shape, b_shape):
    a = random_arrays(0, a_shape, low=-1, high=1)[0] + 4 * np.eye(a_shape[-1])
    (b,) = random_arrays(1, b_shape)
    check_function([solve], np.linalg.solve, a, b)


def cofactors(a: np.ndarray) -> np.ndarray:
    """The cofactor matrix (the transposed adjugate) of a square matrix, from its minors."""
    n = len(a)
    minors = [[np.linalg.det(np.delete(np.delete(a, i, 0), j, 1)) for j in range(n)] for i in range(n)]
    signs = (-1.0) ** np.add.outer(np.arange(n), np.arange(n))
    return signs * np.array(minors).reshape(n, n)


SINGULAR = [
    [[0.0]],
    [[0.0, 0.0], [0.0, 0.0]],
    [[1.0, 2.0], [3.0, 6.0]],
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],  # rank 2: the adjugate is not zero
    [[1.0, -2.0, 0.5], [2.0, -4.0, 1.0], [-3.0, 6.0, -1.5]],  # rank 1: the adjugate is zero
    [[2.0, 1.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 2.0, 3.0, 2.0], [1.0, 0.0, -1.0, 5.0]],  # rank 3
]


@pytest.mark.parametrize("a", SINGULAR, ids=lambda a: f"{len(a)}x{len(a)}")
@pytest.mark.parametrize("det", [mg.linalg.det, np.linalg.det], ids=["mg", "np"])
def test_det_gradient_at_singular_matrix_is_the_adjugate_transpose(det, a):
    a = np.array(a)
    x = mg.tensor(a)
    out = det(x)
    check_forward(out, np.linalg.det(a))
    out.backward()
    np.testing.assert_allclose(x.grad, cofactors(a), rtol=1e-10, atol=1e-12)
    assert_gradients_match(det, a)


def test_det_gradient_of_a_stack_with_singular_and_regular_matrices():
    a = np.array([[[1.0, 2.0], [3.0, 6.0]], [[2.0, 1.0], [-1.0, 3.0]], [[0.0, 0.0], [0.0, 0.0]]])
    x = mg.tensor(a)
    mg.linalg.det(x).backward()
    np.testing.assert_allclose(x.grad, [cofactors(m) for m in a], rtol=1e-10, atol=1e-12)
    assert_gradients_match(mg.linalg.det, a, grad=[1.0, -2.0, 0.5])


# ---------------------------------------------------------------------------------------------- logsumexp
def reference_logsumexp(x: np.ndarray, axis=None, keepdims: bool = False) -> np.ndarray:
    with np.errstate(divide="ignore"):  # the log of an empty sum is -inf
        return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


@st.composite
def reduction_axes(draw, ndim: int) -> object:
    """None, an int (possibly negative), or a tuple of distinct axes in any order."""
    an_axis = st.integers(-ndim, ndim - 1) if ndim else st.nothing()
    axes = st.permutations(range(ndim)).flatmap(lambda p: st.integers(0, ndim).map(lambda k: tuple(p[:k])))
    return draw(st.one_of(st.none(), an_axis, axes))


@given(data=st.data())
def test_logsumexp(data):
    x = draw_array(data, data.draw(array_shapes(max_dims=3, max_side=3), label="shape"), finite_floats(-5, 5))
    axis = data.draw(reduction_axes(x.ndim), label="axis")
    keepdims = data.draw(st.booleans(), label="keepdims")
    expected = reference_logsumexp(x, axis, keepdims)

    def f(x):
        return mg.logsumexp(x, axis=axis, keepdims=keepdims)

    result = f(mg.tensor(x))
    check_forward(result, expected)
    assert type(result.creator).__name__ == "LogSumExp"
    assert_gradients_match(f, x, grad=draw_upstream(data, np.shape(expected)))


def softmax(x: np.ndarray, axis=None) -> np.ndarray:
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


@pytest.mark.parametrize(
    ("x", "axis"),
    [
        ([1000.0, 1001.0, 1002.0], None),
        ([-1000.0, -1001.0, -1002.0], None),
        ([[1000.0, 1000.0], [-1000.0, -1003.0]], 1),
        ([[5000.0, -5000.0], [4999.0, 1.0]], 0),
        ([[800.0, 790.0], [805.0, -3.0]], (0, 1)),
    ],
    ids=shape_id,
)
def test_logsumexp_is_stable_for_large_inputs(x, axis):
    x = np.array(x)
    peak = np.max(x, axis=axis, keepdims=True)
    expected = np.squeeze(peak + np.log(np.sum(np.exp(x - peak), axis=axis, keepdims=True)), axis=axis)
    t = mg.tensor(x)
    out = mg.logsumexp(t, axis=axis)
    check_forward(out, expected)
    assert np.all(np.isfinite(out.data))
    out.backward()
    np.testing.assert_allclose(t.grad, softmax(x, axis), rtol=1e-12, atol=1e-300)
    assert_gradients_match(lambda x: mg.logsumexp(x, axis=axis), x)


def test_logsumexp_of_all_negative_infinity_lane_is_negative_infinity():
    x = np.array([[-np.inf, -np.inf, -np.inf], [-np.inf, 0.0, np.log(3.0)]])
    out = mg.logsumexp(mg.tensor(x), axis=1)
    check_forward(out, [-np.inf, np.log(4.0)])
    check_forward(mg.logsumexp(mg.tensor(x[:1])), -np.inf)
    check_forward(mg.logsumexp(mg.tensor(x[0]), keepdims=True), [-np.inf])


def test_logsumexp_gradient_ignores_negative_infinity_entries():
    t = mg.tensor([[-np.inf, 0.0, np.log(3.0)], [1.0, 1.0, -np.inf]])
    out = mg.logsumexp(t, axis=1)
    check_forward(out, [np.log(4.0), 1.0 + np.log(2.0)])
    out.backward()
    np.testing.assert_allclose(t.grad, [[0.0, 0.25, 0.75], [0.5, 0.5, 0.0]], rtol=1e-12)
