"""Linear algebra: ``matmul`` (the ``@`` operator), ``einsum``, the products built on ``tensordot``, and
the matrix functions of ``numpy.linalg``."""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad._core.operation import Scatter, apply
from mygrad._core.registry import defufunc, implements_numpy_override, operators, primitive, public
from mygrad._core.tensor import Tensor
from mygrad._ops._common import data


def _matmul_x(g: Any, out: Any, x: Any, y: Any) -> Any:
    if y.ndim == 1:
        return g * y if x.ndim == 1 else np.expand_dims(g, -1) * y
    if x.ndim == 1:  # batched (n,) @ (..., n, m): the engine sums the batch axes away
        return np.matmul(y, np.expand_dims(g, -1))[..., 0]
    return np.matmul(g, np.swapaxes(y, -1, -2))


def _matmul_y(g: Any, out: Any, x: Any, y: Any) -> Any:
    if x.ndim == 1:
        return g * x if y.ndim == 1 else np.expand_dims(x, -1) * np.expand_dims(g, -2)
    if y.ndim == 1:
        return np.matmul(np.swapaxes(x, -1, -2), np.expand_dims(g, -1))[..., 0]
    return np.matmul(np.swapaxes(x, -1, -2), g)


matmul = defufunc(
    np.matmul,
    _matmul_x,
    _matmul_y,
    summary="The matrix product of two tensors, with NumPy's rules for vectors and stacks of matrices.",
    example=(("[1.0, 2.0]", "[[3.0, 4.0], [5.0, 6.0]]"), ("b.sum(axis=1)", "np.outer(a, np.ones(2))")),
)
operators(matmul, "__matmul__", "__rmatmul__")


# ------------------------------------------------------------------------------------------------ einsum
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _sublist_to_letters(sublist: Any) -> str:
    return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in sublist)


def _parse_einsum(args: tuple) -> tuple[list[str], str, list]:
    """Normalize either calling form to explicit subscripts: one string of letters per operand and the output,
    with ``...`` replaced by letters of its own, aligned from the right as broadcasting aligns them."""
    if isinstance(args[0], str):
        subscripts, operands = args[0].replace(" ", ""), list(args[1:])
        inputs, arrow, output = subscripts.partition("->")
        in_subs = inputs.split(",")
        explicit_output = output if arrow else None
        order = None  # an implicit output lists its labels in ASCII order ('E' before 'a')
    else:  # einsum(op0, sublist0, op1, sublist1, ..., [sublistout])
        operands = list(args[0::2][: len(args) // 2])
        in_subs = [_sublist_to_letters(s) for s in args[1::2][: len(args) // 2]]
        explicit_output = _sublist_to_letters(args[-1]) if len(args) % 2 else None
        order = _LETTERS.index  # ... but in the order of the integer labels for sublists
    if len(in_subs) != len(operands):
        raise ValueError(f"einsum: {len(in_subs)} subscripts given for {len(operands)} operands")
    used = set("".join(in_subs))
    free = [c for c in _LETTERS if c not in used]
    ndims = [np.ndim(data(op)) for op in operands]
    ellipsis_dims = max(
        (nd - len(s.replace("...", "")) for s, nd in zip(in_subs, ndims) if "..." in s), default=0
    )
    broadcast = "".join(free[:ellipsis_dims])
    expanded = []
    for s, nd in zip(in_subs, ndims):
        if "..." in s:
            n = nd - len(s.replace("...", ""))
            s = s.replace("...", broadcast[ellipsis_dims - n :] if n else "")
        if len(s) != nd:
            raise ValueError(f"einsum: operand has {nd} dimensions but subscripts {s!r} name {len(s)}")
        expanded.append(s)
    if explicit_output is None:
        counts = "".join(expanded)
        once = (c for c in set(counts) if counts.count(c) == 1 and c not in broadcast)
        output = broadcast + "".join(sorted(once, key=order))
    elif broadcast and "..." not in explicit_output:
        raise ValueError(
            "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided "
            "to broadcast the extra dimensions."
        )
    else:
        output = explicit_output.replace("...", broadcast)
    return expanded, output, operands


def _label_sizes(subs: list[str], arrays: tuple) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for s, a in zip(subs, arrays):
        for c, n in zip(s, np.shape(a)):
            if n != 1 or c not in sizes:
                sizes[c] = n
    return sizes


def _einsum_rule(i: int, g: Any, out: Any, *xs: Any, subs: tuple, output: str, optimize: Any) -> Any:
    sizes = _label_sizes([*subs, output], (*xs, g))
    own = subs[i]
    others = [(s, x) for j, (s, x) in enumerate(zip(subs, xs)) if j != i]
    reachable = set(output).union(*(set(s) for s, _ in others))
    unique = "".join(dict.fromkeys(own))
    kept = "".join(c for c in unique if c in reachable)
    # size-1 (broadcast) axes of the other operands are spread to full size so the labels agree
    operands = [np.broadcast_to(x, [sizes[c] for c in s]) for s, x in others]
    spec = ",".join([output, *(s for s, _ in others)]) + "->" + kept
    grad = np.einsum(spec, g, *operands, optimize=optimize or "greedy")
    if kept != unique:  # labels summed within this operand alone: its gradient is constant along them
        missing = "".join(c for c in unique if c not in reachable)
        grad = np.einsum(
            f"{kept},{missing}->{unique}", grad, np.ones([sizes[c] for c in missing], dtype=grad.dtype)
        )
    if unique == own:
        return grad
    # repeated labels take a diagonal: the gradient lies on that diagonal, zero elsewhere
    own_sizes = dict(zip(own, np.shape(xs[i])))
    broadcast = tuple(k for k, c in enumerate(unique) if own_sizes[c] != sizes[c])  # size-1 axes, stretched
    if broadcast:
        grad = np.sum(grad, axis=broadcast, keepdims=True)
    position = {c: k for k, c in enumerate(unique)}
    index = tuple(
        np.arange(own_sizes[c]).reshape([-1 if k == position[c] else 1 for k in range(len(unique))])
        for c in own
    )
    return Scatter(index, grad, basic=False)


EinSum = primitive(
    "EinSum",
    # several operands are contracted pairwise through BLAS (tensordot) even by default; a single operand is
    # left to NumPy's own loop, which returns views ("ii->i") as NumPy does
    lambda *xs, subs, output, optimize: np.einsum(
        ",".join(subs) + "->" + output, *xs, optimize=optimize if optimize or len(xs) < 2 else "greedy"
    ),
    rule_at=_einsum_rule,
    view=True,  # "ii->i" and "ij->ji" give views, as in NumPy
)


@public(np.einsum)
def einsum(
    *operands: Any, optimize: Any = False, out: Any = None, constant: bool | None = None, **kwargs: Any
) -> Tensor:
    """Einstein summation over tensors, as :func:`numpy.einsum`: subscript strings or sublists, ``...``
    broadcasting, repeated labels for traces and diagonals, and NumPy's ``optimize`` paths.

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> mg.einsum("ij,jk->ik", a, a)
    Tensor([[ 7., 10.],
            [15., 22.]])
    >>> mg.einsum("ii", a)
    Tensor(5.)
    """
    if out is not None:
        raise NotImplementedError("einsum(..., out=...) is not supported for tensors yet")
    if set(kwargs) - {"dtype", "order", "casting"} or kwargs.get("dtype") is not None:
        raise TypeError(f"einsum() got unsupported keyword arguments {sorted(kwargs)}")
    subs, output, tensors = _parse_einsum(operands)
    return apply(
        EinSum, tuple(tensors), {"subs": tuple(subs), "output": output, "optimize": optimize}, constant
    )


# ------------------------------------------------------------------------------- tensordot and friends
def _tensordot_axes(axes: Any, ndim_a: int, ndim_b: int) -> tuple[list[int], list[int]]:
    if np.ndim(axes) == 0:
        n = int(axes)
        return list(range(ndim_a - n, ndim_a)), list(range(n))
    axes_a, axes_b = axes
    axes_a = [axes_a] if np.ndim(axes_a) == 0 else list(axes_a)
    axes_b = [axes_b] if np.ndim(axes_b) == 0 else list(axes_b)
    return [a % ndim_a for a in axes_a], [b % ndim_b for b in axes_b]


def _tensordot_a(g: Any, out: Any, a: Any, b: Any, *, axes: Any) -> Any:
    axes_a, axes_b = _tensordot_axes(axes, np.ndim(a), np.ndim(b))
    free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
    free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
    # contracting g with b over b's free axes leaves a's free axes, then b's contracted ones in b's order
    grad = np.tensordot(g, b, axes=(list(range(len(free_a), np.ndim(g))), free_b))
    order = free_a + [axes_a[k] for k in np.argsort(axes_b)]
    return np.transpose(grad, np.argsort(order))


def _tensordot_b(g: Any, out: Any, a: Any, b: Any, *, axes: Any) -> Any:
    axes_a, axes_b = _tensordot_axes(axes, np.ndim(a), np.ndim(b))
    free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
    free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
    grad = np.tensordot(a, g, axes=(free_a, list(range(len(free_a)))))
    order = [axes_b[k] for k in np.argsort(axes_a)] + free_b
    return np.transpose(grad, np.argsort(order))


TensorDot = primitive("TensorDot", lambda a, b, *, axes: np.tensordot(a, b, axes), _tensordot_a, _tensordot_b)


@public(np.tensordot)
def tensordot(a: Any, b: Any, axes: Any = 2, *, constant: bool | None = None) -> Tensor:
    """Sum products over the given axes of two tensors (the last ``axes`` of ``a`` with the first of ``b``,
    or the pairs of axes listed).

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tensordot(mg.ones((2, 3)), mg.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    return apply(TensorDot, (a, b), {"axes": axes}, constant)


@public(np.dot, method="dot")
def dot(a: Any, b: Any, out: Any = None, *, constant: bool | None = None) -> Tensor:
    """The dot product, as :func:`numpy.dot`: a product for scalars, matmul for vectors and matrices, and a
    sum over the last axis of ``a`` and the second-to-last of ``b`` beyond.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.dot(mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    if out is not None:
        raise NotImplementedError("dot(..., out=...) is not supported for tensors yet")
    nd_a, nd_b = np.ndim(data(a)), np.ndim(data(b))
    if nd_a == 0 or nd_b == 0:
        from mygrad._ops.elementwise import multiply

        return multiply(a, b, constant=constant)
    if nd_a <= 2 and nd_b <= 2:
        return matmul(a, b, constant=constant)
    return tensordot(a, b, axes=([-1], [max(nd_b - 2, 0)]), constant=constant)


@public(np.inner)
def inner(a: Any, b: Any, *, constant: bool | None = None) -> Tensor:
    """The inner product over the last axes of two tensors.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.inner(mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    if np.ndim(data(a)) == 0 or np.ndim(data(b)) == 0:
        return dot(a, b, constant=constant)
    return tensordot(a, b, axes=([-1], [-1]), constant=constant)


@public(np.outer)
def outer(a: Any, b: Any, out: Any = None, *, constant: bool | None = None) -> Tensor:
    """The outer product of two tensors, flattened first.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.outer(mg.tensor([1.0, 2.0]), mg.tensor([1.0, 10.0]))
    Tensor([[ 1., 10.],
            [ 2., 20.]])
    """
    if out is not None:
        raise NotImplementedError("outer(..., out=...) is not supported for tensors yet")
    return tensordot(np.reshape(a, (-1,)), np.reshape(b, (-1,)), axes=0, constant=constant)


@public(np.vdot)
def vdot(a: Any, b: Any, *, constant: bool | None = None) -> Tensor:
    """The dot product of two tensors flattened to vectors.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.vdot(mg.tensor([[1.0, 2.0]]), mg.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    return tensordot(np.reshape(a, (-1,)), np.reshape(b, (-1,)), axes=1, constant=constant)


@public()
def multi_matmul(tensors: Any, *, constant: bool | None = None) -> Tensor:
    """The product of a chain of matrices, multiplied in the order that needs the fewest operations.

    The first and last may be 1-D (as row and column vectors), as in :func:`numpy.linalg.multi_dot`.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.multi_matmul([mg.ones((10, 2)), mg.ones((2, 10)), mg.ones((10, 3))]).shape
    (10, 3)
    """
    tensors = list(tensors)
    if len(tensors) < 2:
        raise ValueError("multi_matmul needs at least two tensors")
    if len(tensors) == 2:
        return matmul(*tensors, constant=constant)
    shapes = [np.shape(data(t)) for t in tensors]
    first_vector, last_vector = len(shapes[0]) == 1, len(shapes[-1]) == 1
    if first_vector:
        tensors[0], shapes[0] = np.reshape(tensors[0], (1, -1)), (1, shapes[0][0])
    if last_vector:
        tensors[-1], shapes[-1] = np.reshape(tensors[-1], (-1, 1)), (shapes[-1][0], 1)
    if any(len(s) != 2 for s in shapes):
        raise ValueError("multi_matmul takes 2-D tensors (the first and last may be 1-D)")
    split = _chain_order([shapes[0][0], *(s[1] for s in shapes)])

    def product(i: int, j: int) -> Any:
        if i == j:
            return tensors[i]
        k = split[i][j]
        return matmul(product(i, k), product(k + 1, j), constant=constant)

    result = product(0, len(tensors) - 1)
    if first_vector or last_vector:
        result = np.reshape(
            result, [n for n, v in ((shapes[0][0], first_vector), (shapes[-1][1], last_vector)) if not v]
        )
    return result


def _chain_order(dims: list[int]) -> list[list[int]]:
    """The classic dynamic program: ``split[i][j]`` is where the product of matrices i..j is best divided."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j], split[i][j] = min(
                (cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1], k) for k in range(i, j)
            )
    return split


# ------------------------------------------------------------------------------------------ numpy.linalg
def _mT(a: Any) -> Any:  # noqa: N802
    return np.swapaxes(a, -1, -2)


def _norm_axes(x: Any, ord: Any, axis: Any) -> tuple[int, ...]:
    ndim = np.ndim(x)
    if axis is None:
        return tuple(range(ndim)) if ord is None or ndim != 2 else (0, 1)
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return tuple(a % ndim for a in axes)


def _first_order_only(g: Any, what: str) -> None:
    """Rules computed from the data (an SVD) are not differentiable again: say so rather than give 0."""
    if isinstance(g, Tensor):
        raise NotImplementedError(
            f"the gradient of {what} is not differentiable yet (it is computed through an SVD)"
        )


def _safe_divide(numerator: Any, denominator: Any, nan_to_num: bool) -> Any:
    """``numerator / denominator``, with 0 (or NaN) where the denominator is 0: a norm's kink at the origin."""
    zero = data(denominator) == 0
    return np.where(zero, 0 if nan_to_num else np.nan, numerator / np.where(zero, 1, denominator))


def _first_mask(values: np.ndarray, axis: int, argfn: Any) -> np.ndarray:
    mask = np.zeros(values.shape, dtype=bool)
    np.put_along_axis(mask, np.expand_dims(argfn(values, axis=axis), axis), True, axis=axis)
    return mask


def _vector_norm_rule(g: Any, out: Any, x: Any, ord: Any, axes: tuple, nan_to_num: bool) -> Any:
    sign = np.sign(data(x))
    if ord is None or ord == 2 or ord == "fro":
        return g * _safe_divide(x, out, nan_to_num)
    if ord == 0:
        return np.zeros_like(x)
    if ord == 1:
        return g * (np.where(sign == 0, np.nan, sign) if not nan_to_num else sign)
    if ord in (np.inf, -np.inf):
        flat = np.reshape(np.moveaxis(np.abs(data(x)), axes, range(-len(axes), 0)), (*np.shape(out), -1))
        mask = _first_mask(flat, -1, np.argmax if ord == np.inf else np.argmin)
        moved_shape = np.moveaxis(np.empty(np.shape(x), dtype=bool), axes, range(-len(axes), 0)).shape
        return g * sign * np.moveaxis(np.reshape(mask, moved_shape), range(-len(axes), 0), axes)
    return g * sign * _safe_divide(np.abs(x) ** (ord - 1), out ** (ord - 1), nan_to_num)


def _matrix_norm_rule(g: Any, out: Any, x: Any, ord: Any, axes: tuple, nan_to_num: bool) -> Any:
    if ord is None or ord == "fro":
        return g * _safe_divide(x, out, nan_to_num)
    moved = np.moveaxis(data(x), axes, (-2, -1))
    if ord in ("nuc", 2, -2):
        _first_order_only(g, f"linalg.norm(ord={ord!r}) of a matrix")
        u, s, vh = np.linalg.svd(moved, full_matrices=False)
        if ord == "nuc":
            grad = u @ vh
        else:
            k = np.argmax(s, axis=-1) if ord == 2 else np.argmin(s, axis=-1)
            u_k = np.take_along_axis(u, k[..., None, None], axis=-1)
            v_k = np.take_along_axis(_mT(vh), k[..., None, None], axis=-1)
            grad = u_k @ _mT(v_k)
        return g * np.moveaxis(grad, (-2, -1), axes)
    # 1 / -1: the extreme column sum of |x|; inf / -inf: the extreme row sum
    summed_axis = -2 if ord in (1, -1) else -1
    lines = np.sum(np.abs(moved), axis=summed_axis, keepdims=True)
    mask = _first_mask(lines, -1 if summed_axis == -2 else -2, np.argmax if ord in (1, np.inf) else np.argmin)
    return g * np.sign(data(x)) * np.moveaxis(np.broadcast_to(mask, moved.shape), (-2, -1), axes)


def _norm_rule(g: Any, out: Any, x: Any, *, ord: Any, axis: Any, keepdims: bool, nan_to_num: bool) -> Any:
    axes = _norm_axes(x, ord, axis)
    shape = [1 if i in axes else n for i, n in enumerate(np.shape(x))]
    g, out = np.reshape(g, shape), np.reshape(out, shape)
    matrix = len(axes) == 2 and (axis is not None or ord is not None)
    return (_matrix_norm_rule if matrix else _vector_norm_rule)(g, out, x, ord, axes, nan_to_num)


Norm = primitive(
    "Norm",
    lambda x, *, ord, axis, keepdims, nan_to_num: np.linalg.norm(x, ord, axis, keepdims),
    _norm_rule,
)


def norm(
    x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False, *, nan_to_num: bool = True,
    constant: bool | None = None,
) -> Tensor:  # fmt: skip
    """Vector and matrix norms, as :func:`numpy.linalg.norm`.

    Parameters
    ----------
    x : array_like
    ord : {None, int, float, inf, -inf, 'fro', 'nuc'}, optional
        As in NumPy: vector norms along one axis, matrix norms over two.
    axis : int or 2-tuple of ints, optional
    keepdims : bool, default False
    nan_to_num : bool, default True
        At a kink (a zero vector for the 2-norm, a zero element for the 1-norm) the gradient is 0; with
        False it is NaN.
    constant : bool, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([3.0, 4.0])
    >>> n = mg.linalg.norm(x)
    >>> n.backward()
    >>> n, x.grad
    (Tensor(5.), array([0.6, 0.8]))
    """
    options = {"ord": ord, "axis": axis, "keepdims": keepdims, "nan_to_num": nan_to_num}
    return apply(Norm, (x,), options, constant)


def _det_rule(g: Any, out: Any, a: Any) -> Any:
    # d det(A) = adj(A)^T = det(A) inv(A)^T where A is invertible (differentiable again: inv is an op) ...
    if np.all(data(out) != 0):
        return g[..., None, None] * out[..., None, None] * _mT(np.linalg.inv(a))
    # ... and through the SVD where it is not (the adjugate exists for singular matrices as well)
    _first_order_only(g, "det at a singular matrix")
    u, s, vh = np.linalg.svd(data(a))
    others = np.prod(s[..., None, :] * ~np.eye(s.shape[-1], dtype=bool) + np.eye(s.shape[-1]), axis=-1)
    orientation = np.linalg.det(u) * np.linalg.det(vh)
    cofactor = orientation[..., None, None] * (u * others[..., None, :]) @ vh
    return g[..., None, None] * cofactor


Inv = primitive("Inv", np.linalg.inv, lambda g, out, a: -_mT(out) @ g @ _mT(out))
Det = primitive("Det", np.linalg.det, _det_rule)
LogAbsDet = primitive(
    "LogAbsDet",
    lambda a: np.linalg.slogdet(a).logabsdet,
    lambda g, out, a: g[..., None, None] * _mT(np.linalg.inv(a)),
)


def _solve_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    grad_b = _solve_b(g, out, a, b)
    if np.ndim(b) == 1:
        return -grad_b[..., :, None] * out[..., None, :]
    return -grad_b @ _mT(out)


def _solve_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    if np.ndim(b) == 1:  # a vector b: g is a stack of vectors, which solve takes only as columns
        return np.linalg.solve(_mT(a), g[..., None])[..., 0]
    return np.linalg.solve(_mT(a), g)


Solve = primitive("Solve", np.linalg.solve, _solve_a, _solve_b)


def inv(a: Any, *, constant: bool | None = None) -> Tensor:
    """The inverse of a (stack of) square matrices.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.linalg.inv(mg.tensor([[2.0, 0.0], [0.0, 4.0]]))
    Tensor([[0.5 , 0.  ],
            [0.  , 0.25]])
    """
    return apply(Inv, (a,), {}, constant)


def det(a: Any, *, constant: bool | None = None) -> Tensor:
    """The determinant of a (stack of) square matrices; its gradient exists for singular matrices too.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.linalg.det(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor(-2.)
    """
    return apply(Det, (a,), {}, constant)


def slogdet(a: Any, *, constant: bool | None = None) -> Any:
    """The sign and the log of the absolute value of the determinant, as NumPy's ``(sign, logabsdet)``; the
    sign is a constant.

    Examples
    --------
    >>> import mygrad as mg
    >>> sign, logdet = mg.linalg.slogdet(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> sign, logdet
    (Tensor(-1.), Tensor(0.69314718))
    """
    sign = np.linalg.slogdet(data(a)).sign
    return type(np.linalg.slogdet(np.eye(1)))(
        Tensor(sign, constant=True), apply(LogAbsDet, (a,), {}, constant)
    )


def solve(a: Any, b: Any, *, constant: bool | None = None) -> Tensor:
    """The solution ``x`` of ``a @ x = b``, differentiable in both ``a`` and ``b``.

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.linalg.solve(mg.tensor([[2.0, 0.0], [0.0, 4.0]]), mg.tensor([1.0, 1.0]))
    Tensor([0.5 , 0.25])
    """
    return apply(Solve, (a, b), {}, constant)


for _numpy_func, _func in (
    (np.linalg.norm, norm), (np.linalg.inv, inv), (np.linalg.det, det), (np.linalg.slogdet, slogdet),
    (np.linalg.solve, solve),
):  # fmt: skip
    implements_numpy_override(_numpy_func)(_func)
