"""Higher-order derivatives of the linear-algebra functions whose first derivatives come from an SVD of the data:
the nuclear, 2- and -2-norms of matrices, and ``det`` at singular matrices.

* Norms: at matrices ``U diag(s) V^T`` built with well-separated, nonzero singular values (square, rectangular,
  stacks reduced over any axis pair), the recorded first derivative is the plain one, and the second derivative
  matches central differences of it; the nuclear norm also at repeated singular values (its Hessian exists at any
  full-rank matrix), the 2-norm also at rank-deficient matrices; closed forms at the identity; a third derivative
  against central differences of the second. Where no second derivative exists (a rank-deficient matrix's
  nuclear norm, a repeated extreme singular value) a ValueError says so; where a norm is 0 its gradient is the
  constant 0 (the first-order choice), so its second derivative is 0 there, and never NaN.
* ``det`` at singular matrices (rank n - 1 and lower): the Hessian against central differences of the first-order
  gradient, the recorded first derivative against the cofactors, and its third derivative against its closed form
  (for 3 x 3 matrices a constant, ``eps_ijk eps_abc``). ``slogdet`` has no gradient there (its value is -inf):
  plain and recorded passes both raise NumPy's LinAlgError.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg
from mygrad.testing import assert_second_derivatives_match
from mygrad.testing.strategies import finite_floats

# Half the profile's examples (ci: 30): each example differentiates numerically, element by element.
EXAMPLES = max(3, settings.default.max_examples // 2)


# -------------------------------------------------------------------------------------------------- helpers
def plain_gradient(f, x: np.ndarray) -> np.ndarray:
    """The gradient of ``f(x).sum()`` by plain (first-order, array) backprop."""
    t = mg.tensor(x)
    f(t).sum().backward()
    return t.grad


def recorded_gradient(f, x: np.ndarray) -> np.ndarray:
    return mg.grad(lambda t: f(t).sum())(x).data


def numerical_hessian(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The Jacobian of the plain first-order gradient of ``f(x).sum()``, by central differences:
    ``[..., j]`` is the derivative of the gradient along element ``j`` of ``x``."""
    hessian = np.zeros(x.shape * 2)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = eps
        hessian[(...,) + j] = (plain_gradient(f, x + step) - plain_gradient(f, x - step)) / (2 * eps)
    return hessian


def orthogonal(seed: int, n: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


@st.composite
def separated_matrices(draw, m: int, n: int) -> np.ndarray:
    """``U diag(s) V^T`` of shape ``(m, n)``: U, V orthogonal (Q factors of drawn matrices), and the singular
    values distinct multiples of 1/4 in [1/4, 3], so no two are closer than 1/4 and none is near 0."""
    k = min(m, n)
    u = np.linalg.qr(draw(hnp.arrays(np.float64, (m, m), elements=finite_floats(-1, 1)), label="U"))[0]
    v = np.linalg.qr(draw(hnp.arrays(np.float64, (n, n), elements=finite_floats(-1, 1)), label="V"))[0]
    steps = draw(st.lists(st.integers(1, 12), min_size=k, max_size=k, unique=True), label="4 s")
    return u[:, :k] @ np.diag(np.array(steps) / 4) @ v[:, :k].T


ORDS = ["nuc", 2, -2]
# (the shape of the input, the axis pair of the norm); None: the whole (2-D) input
LAYOUTS = [((3, 3), None), ((4, 2), None), ((2, 4), None), ((1, 3), None), ((2, 3, 3), (1, 2)),
           ((3, 2, 2), (2, 0)), ((2, 3, 2), (0, 2))]  # fmt: skip


@st.composite
def norm_problems(draw) -> tuple[np.ndarray, tuple | None, bool]:
    shape, axis = draw(st.sampled_from(LAYOUTS), label="layout")
    keepdims = draw(st.booleans(), label="keepdims")
    if axis is None:
        return draw(separated_matrices(*shape)), axis, keepdims
    # each matrix of the stack, moved to the axis pair
    rest = [i for i in range(3) if i not in [a % 3 for a in axis]][0]
    m, n = shape[axis[0]], shape[axis[1]]
    stack = np.stack([draw(separated_matrices(m, n)) for _ in range(shape[rest])])  # (rest, m, n)
    return np.moveaxis(stack, (0, 1, 2), (rest, axis[0] % 3, axis[1] % 3)), axis, keepdims


# --------------------------------------------------------------------------------------------------- norms
@pytest.mark.parametrize("ord", ORDS)
@settings(max_examples=EXAMPLES)
@given(problem=norm_problems())
def test_matrix_norm_second_derivatives(ord, problem):
    x, axis, keepdims = problem

    def f(t):
        return mg.linalg.norm(t, ord=ord, axis=axis, keepdims=keepdims)

    np.testing.assert_allclose(f(mg.tensor(x)).data, np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims))
    # the recorded pass computes the first derivative as backward() does, bit for bit
    np.testing.assert_array_equal(recorded_gradient(f, x), plain_gradient(f, x))
    assert_second_derivatives_match(f, x)


REPEATED = {  # full-rank matrices with repeated singular values
    "2 orthogonal": 2 * orthogonal(0, 3),
    "identity": np.eye(3),
    "s = 2, 2, 1": orthogonal(1, 3) @ np.diag([2.0, 2.0, 1.0]) @ orthogonal(2, 3).T,
    "4 x 2, s = 1.5, 1.5": orthogonal(3, 4)[:, :2] @ np.diag([1.5, 1.5]) @ orthogonal(4, 2).T,
    "2 x 3, s = 0.5, 0.5": orthogonal(5, 2) @ np.diag([0.5, 0.5]) @ orthogonal(6, 3)[:, :2].T,
}


@pytest.mark.parametrize("x", REPEATED.values(), ids=REPEATED.keys())
def test_nuclear_norm_is_twice_differentiable_at_repeated_singular_values(x):
    # its gradient, the polar factor U V^T, is smooth wherever the matrix has full rank
    assert_second_derivatives_match(lambda t: mg.linalg.norm(t, ord="nuc"), x)
    h = mg.hessian(lambda t: mg.linalg.norm(t, ord="nuc"))(x).data
    np.testing.assert_allclose(h, numerical_hessian(lambda t: mg.linalg.norm(t, ord="nuc"), x), atol=1e-7)


def test_nuclear_norm_hessian_at_the_identity_projects_on_skew_matrices():
    # the polar factor of I + dA is I + (dA - dA^T) / 2 to first order
    n = 3
    eye = np.eye(n)
    skew = (np.einsum("ik,jl->ijkl", eye, eye) - np.einsum("il,jk->ijkl", eye, eye)) / 2
    h = mg.hessian(lambda t: mg.linalg.norm(t, ord="nuc"))(eye)
    np.testing.assert_allclose(h.data, skew, atol=1e-14)


def test_two_norm_hessian_of_a_diagonal_matrix():
    # sigma_1 of diag(3, 1) + dA: 3 + dA_00 + (3 (dA_01^2 + dA_10^2) + 2 dA_01 dA_10) / (2 (9 - 1)) + O(dA^3)
    h = mg.hessian(lambda t: mg.linalg.norm(t, ord=2))(np.diag([3.0, 1.0])).data.reshape(4, 4)
    expected = np.zeros((4, 4))
    expected[1, 1] = expected[2, 2] = 3 / 8  # d^2 / d(dA_01)^2 of 3 dA_01^2 / 16, and of dA_10 alike
    expected[1, 2] = expected[2, 1] = 1 / 8
    np.testing.assert_allclose(h, expected, atol=1e-14)


@pytest.mark.parametrize(
    "x", [np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0]])]
)
def test_two_norm_is_twice_differentiable_at_rank_deficient_matrices(x):
    # only the largest singular value must be simple
    assert_second_derivatives_match(lambda t: mg.linalg.norm(t, ord=2), x)


@pytest.mark.parametrize("ord", ORDS)
def test_third_derivative_of_a_matrix_norm(ord):
    x = orthogonal(7, 3)[:, :2] @ np.diag([2.0, 0.75]) @ orthogonal(8, 2).T  # 3 x 2, s = 2, 0.75
    rng = np.random.default_rng(9)
    u, v = rng.standard_normal(x.shape), rng.standard_normal(x.shape)

    def second(t):  # <d^2 norm[u], v>: a scalar function of the matrix, through two recorded passes
        first = mg.grad(lambda y: mg.linalg.norm(y, ord=ord))
        return (mg.grad(lambda y: (first(y) * u).sum())(t) * v).sum()

    third = mg.grad(second)(x)
    assert isinstance(third, mg.Tensor) and third.shape == x.shape
    numeric = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = 1e-5
        numeric[j] = (second(x + step).item() - second(x - step).item()) / 2e-5
    np.testing.assert_allclose(third.data, numeric, rtol=1e-5, atol=1e-7)


NO_SECOND_DERIVATIVE = [
    ("nuc", np.array([[1.0, 2.0], [2.0, 4.0]]), "rank-deficient"),
    ("nuc", np.array([[1.0, 2.0], [2.0, 4.0], [-1.0, -2.0]]), "rank-deficient"),
    ("nuc", np.array([[[1.0, 0.0], [0.0, 2.0]], [[1.0, 1.0], [1.0, 1.0]]]), "rank-deficient"),  # one of two
    (2, 2 * orthogonal(0, 3), "largest singular value is repeated"),
    (2, np.array([[3.0, 0.0, 0.0], [0.0, -3.0, 0.0]]), "largest singular value is repeated"),
    (-2, np.diag([3.0, 1.0, 1.0]) @ orthogonal(1, 3), "smallest singular value is repeated"),
    # rank-deficient: the -2-norm, the smallest singular value, is 0 only up to rounding (4.8e-16)
    (-2, np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]), "rank-deficient"),
]


@pytest.mark.parametrize(("ord", "x", "match"), NO_SECOND_DERIVATIVE)
def test_no_second_derivative_is_refused(ord, x, match):
    def f(t):
        return mg.linalg.norm(t, ord=ord, axis=(-2, -1))

    # the first derivative is the first-order rule's (a subgradient where the norm has a kink) ...
    np.testing.assert_array_equal(recorded_gradient(f, x), plain_gradient(f, x))
    # ... the second one does not exist: an error names the condition, rather than an arbitrary number
    with pytest.raises(ValueError, match=match):
        mg.hessian(lambda t: f(t).sum())(x)


@pytest.mark.parametrize("ord", ORDS)
def test_second_derivative_where_a_norm_is_zero_is_zero(ord):
    # the gradient there is the constant 0 (a subgradient at the norm's minimum), so its derivative is 0; the
    # other matrices of the stack keep their own Hessians
    other = orthogonal(2, 2) @ np.array([[2.0, 0.0, 0.0], [0.0, 0.5, 0.0]]) @ orthogonal(3, 3)
    x = np.stack([np.zeros((2, 3)), other])
    if ord == -2:
        x = np.concatenate([x, [[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]]])  # rank-deficient: its -2-norm is 0 too

    def f(t):
        return mg.linalg.norm(t, ord=ord, axis=(1, 2)).sum()

    np.testing.assert_array_equal(recorded_gradient(f, x), plain_gradient(f, x))
    h = mg.hessian(f)(x).data
    assert not np.isnan(h).any()
    zero_lanes = [0, 2] if ord == -2 else [0]
    for i in zero_lanes:
        assert np.all(h[i] == 0) and np.all(h[:, :, :, i] == 0)
    alone = mg.hessian(lambda t: mg.linalg.norm(t, ord=ord))(other).data
    np.testing.assert_allclose(h[1, :, :, 1], alone, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------------------------- det at singular points
def cofactors(a: np.ndarray) -> np.ndarray:
    """The cofactor matrix of a square matrix, from the dets of its minors (a reference)."""
    n = len(a)
    minors = [[np.linalg.det(np.delete(np.delete(a, i, 0), j, 1)) for j in range(n)] for i in range(n)]
    return (-1.0) ** np.add.outer(np.arange(n), np.arange(n)) * np.array(minors).reshape(n, n)


SINGULAR = {
    "1x1 zero": [[0.0]],
    "2x2 zero": [[0.0, 0.0], [0.0, 0.0]],
    "2x2 rank 1": [[1.0, 2.0], [3.0, 6.0]],
    "3x3 rank 2": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
    "3x3 rank 1": [[1.0, -2.0, 0.5], [2.0, -4.0, 1.0], [-3.0, 6.0, -1.5]],
    "3x3 rank 2, det 1.7e-16": [[0.0, 3.0, 3.0], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0]],  # singular up to rounding
    "3x3 zero": np.zeros((3, 3)),
    "4x4 rank 3": [[2.0, 1.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 2.0, 3.0, 2.0], [1.0, 0.0, -1.0, 5.0]],
    "4x4 rank 2": np.outer([1.0, 2.0, 0.0, -1.0], [1.0, 0.5, 2.0, 1.0]) + np.outer([0, 1.0, 1.0, 3.0], [2.0, 0, 1, 0]),
}  # fmt: skip


@pytest.mark.parametrize("a", [np.array(a) for a in SINGULAR.values()], ids=SINGULAR.keys())
def test_det_hessian_at_a_singular_matrix(a):
    np.testing.assert_allclose(recorded_gradient(mg.linalg.det, a), cofactors(a), rtol=1e-10, atol=1e-12)
    h = mg.hessian(mg.linalg.det)(a)
    # det is a polynomial of degree n in each direction: central differences of its gradient are exact up to
    # O(eps^2) (nothing for n <= 3) and rounding
    np.testing.assert_allclose(h.data, numerical_hessian(mg.linalg.det, a, eps=1e-4), rtol=1e-7, atol=1e-9)
    assert_second_derivatives_match(mg.linalg.det, a)


def test_det_hessian_of_a_stack_with_singular_and_regular_matrices():
    a = np.array([[[1.0, 2.0], [3.0, 6.0]], [[2.0, 1.0], [-1.0, 3.0]], [[0.0, 0.0], [0.0, 0.0]]])
    np.testing.assert_allclose(recorded_gradient(mg.linalg.det, a), [cofactors(m) for m in a], atol=1e-12)
    assert_second_derivatives_match(mg.linalg.det, a)
    h = mg.jacobian(lambda t: mg.grad(lambda y: mg.linalg.det(y).sum())(t))(a).data
    np.testing.assert_allclose(h, numerical_hessian(mg.linalg.det, a, eps=1e-4), rtol=1e-7, atol=1e-9)


@st.composite
def low_rank_matrices(draw) -> np.ndarray:
    """An n x n matrix of rank r < n: the product of drawn n x r and r x n matrices (small integers, so that
    the product is exactly of rank r)."""
    n = draw(st.integers(2, 4), label="n")
    r = draw(st.integers(0, n - 1), label="rank")
    left = draw(hnp.arrays(np.float64, (n, r), elements=st.integers(-3, 3).map(float)), label="left")
    right = draw(hnp.arrays(np.float64, (r, n), elements=st.integers(-3, 3).map(float)), label="right")
    return left @ right


@settings(max_examples=EXAMPLES)
@given(a=low_rank_matrices())
def test_det_hessian_at_random_singular_matrices(a):
    np.testing.assert_allclose(recorded_gradient(mg.linalg.det, a), cofactors(a), rtol=1e-9, atol=1e-9)
    h = mg.hessian(mg.linalg.det)(a).data
    np.testing.assert_allclose(h, numerical_hessian(mg.linalg.det, a, eps=1e-4), rtol=1e-6, atol=1e-6)


LEVI_CIVITA = np.zeros((3, 3, 3))
for _p in itertools.permutations(range(3)):
    LEVI_CIVITA[_p] = np.linalg.det(np.eye(3)[list(_p)])


NEARLY_SINGULAR = orthogonal(10, 3) @ np.diag([3.0, 1.0, 1e-8]) @ orthogonal(11, 3).T  # cond 3e8


@pytest.mark.parametrize(
    "a",
    [np.array(SINGULAR[k]) for k in ("3x3 rank 2", "3x3 rank 1", "3x3 zero", "3x3 rank 2, det 1.7e-16")]
    + [NEARLY_SINGULAR],
)
def test_third_derivative_of_det_at_singular_matrices(a):
    # det of 3 x 3 matrices is cubic: d^3 det / dA_ia dA_jb dA_kc = eps_ijk eps_abc, everywhere (det inv^T,
    # differentiated twice, would lose about 2 log10(cond) digits: 16 of them at NEARLY_SINGULAR)
    rng = np.random.default_rng(0)
    u, v = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    first = mg.grad(mg.linalg.det)
    second = mg.grad(lambda t: (first(t) * u).sum())
    third = mg.grad(lambda t: (second(t) * v).sum())(a)
    expected = np.einsum("ijk,abc,ia,jb->kc", LEVI_CIVITA, LEVI_CIVITA, u, v)
    np.testing.assert_allclose(third.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("a", [np.array(SINGULAR[k]) for k in ("2x2 rank 1", "3x3 zero")])
def test_slogdet_has_no_gradient_at_a_singular_matrix(a):
    # log|det| is -inf there: both passes raise NumPy's error for the inverse of a singular matrix
    x = mg.tensor(a)
    logabsdet = mg.linalg.slogdet(x)[1]
    assert logabsdet.item() == -np.inf
    with pytest.raises(np.linalg.LinAlgError):
        logabsdet.backward()
    with pytest.raises(np.linalg.LinAlgError):
        mg.grad(lambda t: mg.linalg.slogdet(t)[1])(a)
