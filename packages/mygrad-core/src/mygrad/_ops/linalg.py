"""Linear algebra: ``matmul`` (the ``@`` operator), ``einsum``, the products built on ``tensordot``, and
the matrix functions of ``numpy.linalg``."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from mygrad._core.arrays import is_foreign, refused_by_library
from mygrad._core.operation import Scatter, apply, declare
from mygrad._core.tensor import Tensor
from mygrad._docs import shared_docstring
from mygrad._ops._common import Casting, call, data, undefined
from mygrad._ops.registry import defufunc, implements_numpy_override, operators, primitive, public
from mygrad._ops.writes import write_out


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
    op_name="MatMul",
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


def _matmul_form(a: str, b: str, out: str) -> tuple | None:
    """``a,b->out`` as a (batched) matrix product, if it is one: the axis orders that make the operands
    ``(..., m, k)`` and ``(..., k, n)``, and the one that takes their product to ``out``; else None."""
    if any(len(set(s)) != len(s) for s in (a, b, out)) or len(a) != len(b) or len(a) != len(out):
        return None
    batch = [c for c in out if c in a and c in b]
    (m, n, k) = ([c for c in a if c in out and c not in b], [c for c in b if c in out and c not in a],
                 [c for c in a if c in b and c not in out])  # fmt: skip
    # with these counts every label is a batch label, m, n or k
    if len(batch) + 2 != len(a) or (len(m), len(n), len(k)) != (1, 1, 1):
        return None
    product = "".join([*batch, m[0], n[0]])
    return (
        tuple(a.index(c) for c in (*batch, m[0], k[0])),
        tuple(b.index(c) for c in (*batch, k[0], n[0])),
        tuple(product.index(c) for c in out),
    )


@functools.lru_cache(maxsize=256)
def _matmul_plan(a: str, b: str, out: str) -> tuple | None:
    """``(swap, first_axes, second_axes, out_axes)``: ``a,b->out`` as a matrix product, with ``b`` first
    (``swap``) when that product is laid out as ``out`` is; None if it is no matrix product."""
    form = _matmul_form(a, b, out)
    if form is None:
        return None
    in_order = tuple(range(len(out)))
    swapped = _matmul_form(b, a, out)
    if form[2] != in_order and swapped is not None and swapped[2] == in_order:
        return (True, *swapped)
    return (False, *form)


def _einsum2(a: str, b: str, out: str, x: Any, y: Any, optimize: Any) -> Any:
    """``einsum(f"{a},{b}->{out}", x, y)``, through ``matmul`` on strided views when it is a matrix product
    (NumPy's einsum copies the operands to contiguous layouts first)."""
    plan = _matmul_plan(a, b, out)
    if plan is not None:
        swap, first_axes, second_axes, out_axes = plan
        first, second = (y, x) if swap else (x, y)
        first, second = first.transpose(first_axes), second.transpose(second_axes)
        if first.shape[-1] == second.shape[-2]:  # (size-1 axes that einsum would stretch: left to it)
            return np.matmul(first, second).transpose(out_axes)
    return np.einsum(f"{a},{b}->{out}", x, y, optimize=optimize or "greedy")


def _einsum_rule(i: int, g: Any, out: Any, *xs: Any, subs: tuple, output: str, optimize: Any) -> Any:
    sizes = _label_sizes([*subs, output], (*xs, g))
    own = subs[i]
    others = [(s, x) for j, (s, x) in enumerate(zip(subs, xs)) if j != i]
    reachable = set(output).union(*(set(s) for s, _ in others))
    unique = "".join(dict.fromkeys(own))
    kept = "".join(c for c in unique if c in reachable)
    # size-1 (broadcast) axes of the other operands are spread to full size so the labels agree
    operands = [np.broadcast_to(x, [sizes[c] for c in s]) for s, x in others]
    if len(operands) == 1:
        grad = _einsum2(output, others[0][0], kept, g, operands[0], optimize)
    else:
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
    # several operands are contracted pairwise through BLAS (matmul, tensordot) even by default; a single
    # operand is left to NumPy's own loop, which returns views ("ii->i") as NumPy does
    lambda *xs, subs, output, optimize: (
        _einsum2(subs[0], subs[1], output, xs[0], xs[1], optimize)
        if len(xs) == 2
        else np.einsum(
            ",".join(subs) + "->" + output, *xs, optimize=optimize if optimize or len(xs) < 2 else "greedy"
        )
    ),
    rule_at=_einsum_rule,
    view=True,  # "ii->i" and "ij->ji" give views, as in NumPy
)


@public(np.einsum)
@shared_docstring
def einsum(
    *operands: Any, optimize: Any = False, out: Any = None, constant: bool | None = None, **kwargs: Any
) -> Tensor:
    """Einstein summation over tensors, as :func:`numpy.einsum`: subscript strings or sublists, ``...``
    broadcasting, repeated labels for traces and diagonals, and NumPy's ``optimize`` paths.

    Parameters
    ----------
    *operands : str, array_like, or sublists
        The subscripts string followed by the tensors (``"ij,jk->ik", a, b``), or NumPy's alternative form,
        each tensor followed by its list of axis labels, and optionally the output's list last.
    optimize : bool or str or list, default False
        The contraction order, as for :func:`numpy.einsum` (``True``/``"greedy"``, ``"optimal"``, or a path).
    $out
    $constant
    **kwargs
        ``dtype=`` (the operands are cast to it, as NumPy computes in it), ``order=`` and ``casting=``, as
        for :func:`numpy.einsum`.

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> mg.einsum("ij,jk->ik", a, a)
    Tensor([[ 7., 10.],
            [15., 22.]])
    >>> t = mg.einsum("ii", a)  # the trace
    >>> t
    Tensor(5.)
    >>> t.backward()
    >>> a.grad
    array([[1., 0.],
           [0., 1.]])
    >>> mg.einsum(a, [0, 1], [1])  # sublists: the column sums
    Tensor([4., 6.])
    """
    unknown = set(kwargs) - {"dtype", "order", "casting"}
    if unknown:
        raise TypeError(f"einsum() got an unexpected keyword argument {min(unknown)!r}")
    subs, output, tensors = _parse_einsum(operands)
    if kwargs.get("dtype") is not None:  # computed in `dtype`, under NumPy's casting rule
        dtype, casting = np.dtype(kwargs["dtype"]), kwargs.get("casting", "safe")
        tensors = [_cast(t, dtype, casting) for t in tensors]
    return write_out(_einsum(subs, output, tensors, optimize, constant), out)


def _cast(t: Any, dtype: np.dtype, casting: Casting) -> Any:
    """An einsum operand in the dtype it is computed in; a cast NumPy's rule forbids raises NumPy's error."""
    if not np.can_cast(np.result_type(data(t)), dtype, casting=casting):
        raise TypeError(
            f"Cannot cast array data from dtype({str(np.result_type(data(t)))!r}) to dtype({str(dtype)!r}) "
            f"according to the rule {casting!r}"
        )
    return t.astype(dtype) if isinstance(t, Tensor) else np.asarray(t, dtype=dtype)


def _einsum(subs: list[str], output: str, tensors: list, optimize: Any, constant: bool | None) -> Tensor:
    path = _pairwise_path(subs, output, tensors, optimize)
    if path is None:
        return apply(
            EinSum, tuple(tensors), {"subs": tuple(subs), "output": output, "optimize": optimize}, constant
        )
    return _contract_pairwise(list(subs), output, list(tensors), path, constant)


def _pairwise_path(subs: list[str], output: str, tensors: list, optimize: Any) -> list | None:
    """NumPy's contraction path for an optimized einsum of three or more operands, if it can be recorded as
    a chain of pairwise einsums: no label repeated within an operand, every label one size."""
    if not optimize or len(tensors) < 3 or any(len(set(s)) != len(s) for s in subs):
        return None
    sizes: dict[str, int] = {}
    for s, t in zip(subs, tensors):
        for c, n in zip(s, np.shape(data(t))):
            if sizes.setdefault(c, n) != n:
                return None  # broadcast labels: left to the single op
    spec = ",".join(subs) + "->" + output
    views = [np.broadcast_to(np.zeros((), dtype=np.result_type(data(t))), np.shape(data(t))) for t in tensors]
    return np.einsum_path(spec, *views, optimize="greedy" if optimize is True else optimize)[0][1:]


def _contract_pairwise(subs: list[str], output: str, tensors: list, path: list, constant: Any) -> Tensor:
    """Follow ``path`` (NumPy's: positions to contract, the result appended last), one recorded einsum per step,
    so that backprop reuses the intermediate products as a hand-written chain of matrix products would."""
    for step in path:
        picked = sorted(step, reverse=True)
        step_subs = [subs.pop(i) for i in picked]
        step_tensors = [tensors.pop(i) for i in picked]
        needed = set(output).union(*subs)  # the labels that later steps or the output still need
        labels = dict.fromkeys(c for s in step_subs for c in s if c in needed)
        result = "".join(labels) if subs else output  # the last step gives the output's order
        spec = {"subs": tuple(step_subs), "output": result, "optimize": True}
        subs.append(result)
        tensors.append(apply(EinSum, tuple(step_tensors), spec, constant))
    (result,) = tensors
    return result


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
    return np.transpose(grad, tuple(np.argsort(order).tolist()))  # (a tuple: Dask's transpose takes no array)


def _tensordot_b(g: Any, out: Any, a: Any, b: Any, *, axes: Any) -> Any:
    axes_a, axes_b = _tensordot_axes(axes, np.ndim(a), np.ndim(b))
    free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
    free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
    grad = np.tensordot(a, g, axes=(free_a, list(range(len(free_a)))))
    order = [axes_b[k] for k in np.argsort(axes_a)] + free_b
    return np.transpose(grad, tuple(np.argsort(order).tolist()))


TensorDot = primitive("TensorDot", lambda a, b, *, axes: np.tensordot(a, b, axes), _tensordot_a, _tensordot_b)


@public(np.tensordot)
@shared_docstring
def tensordot(a: Any, b: Any, axes: Any = 2, *, constant: bool | None = None) -> Tensor:
    """Sum products over the given axes of two tensors (the last ``axes`` of ``a`` with the first of ``b``,
    or the pairs of axes listed).

    Parameters
    ----------
    a, b : array_like
    axes : int or (2,) sequence, default 2
        An int N: the last N axes of ``a`` are summed against the first N of ``b``. A pair of sequences
        of axes: those of ``a`` (first) against those of ``b`` (second), in order.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.tensordot(mg.ones((2, 3)), mg.ones((3, 4)), axes=1).shape
    (2, 4)
    >>> a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> b = mg.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> f = mg.tensordot(a, b, axes=([0, 1], [0, 1]))  # sum(a * b)
    >>> f
    Tensor(5.)
    >>> f.backward()
    >>> a.grad
    array([[1., 0.],
           [0., 1.]])
    """
    return apply(TensorDot, (a, b), {"axes": axes}, constant)


@public(np.dot, method="dot")
@shared_docstring
def dot(a: Any, b: Any, out: Any = None, *, constant: bool | None = None) -> Tensor:
    """The dot product, as :func:`numpy.dot`: a product for scalars, matmul for vectors and matrices, and a
    sum over the last axis of ``a`` and the second-to-last of ``b`` beyond.

    Parameters
    ----------
    a, b : array_like
    $out
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> y = mg.tensor([3.0, 4.0])
    >>> f = mg.dot(x, y)
    >>> f
    Tensor(11.)
    >>> f.backward()
    >>> x.grad, y.grad
    (array([3., 4.]), array([1., 2.]))
    >>> mg.tensor([[1.0, 2.0]]).dot([[3.0], [4.0]])
    Tensor([[11.]])
    """
    nd_a, nd_b = np.ndim(data(a)), np.ndim(data(b))
    if nd_a == 0 or nd_b == 0:
        from mygrad._ops.elementwise import multiply

        result = multiply(a, b, constant=constant)
    elif nd_a <= 2 and nd_b <= 2:
        result = matmul(a, b, constant=constant)
    else:
        result = tensordot(a, b, axes=([-1], [max(nd_b - 2, 0)]), constant=constant)
    return write_out(result, out)


@public(np.inner)
@shared_docstring
def inner(a: Any, b: Any, /, *, constant: bool | None = None) -> Tensor:
    """The inner product over the last axes of two tensors.

    Parameters
    ----------
    a, b : array_like
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> f = mg.inner(x, mg.tensor([3.0, 4.0]))
    >>> f
    Tensor(11.)
    >>> f.backward()
    >>> x.grad
    array([3., 4.])
    >>> mg.inner(mg.ones((2, 3)), mg.ones((4, 3))).shape
    (2, 4)
    """
    if np.ndim(data(a)) == 0 or np.ndim(data(b)) == 0:
        return dot(a, b, constant=constant)
    return tensordot(a, b, axes=([-1], [-1]), constant=constant)


@public(np.outer)
@shared_docstring
def outer(a: Any, b: Any, out: Any = None, *, constant: bool | None = None) -> Tensor:
    """The outer product of two tensors, flattened first.

    Parameters
    ----------
    a, b : array_like
    $out
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> f = mg.outer(x, mg.tensor([1.0, 10.0]))
    >>> f
    Tensor([[ 1., 10.],
            [ 2., 20.]])
    >>> f.backward()
    >>> x.grad
    array([11., 11.])
    """
    return write_out(tensordot(np.reshape(a, (-1,)), np.reshape(b, (-1,)), axes=0, constant=constant), out)


@public(np.vdot)
@shared_docstring
def vdot(a: Any, b: Any, /, *, constant: bool | None = None) -> Tensor:
    """The dot product of two tensors flattened to vectors.

    Parameters
    ----------
    a, b : array_like
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0]])
    >>> f = mg.vdot(x, mg.tensor([3.0, 4.0]))
    >>> f
    Tensor(11.)
    >>> f.backward()  # in x's shape
    >>> x.grad
    array([[3., 4.]])
    """
    return tensordot(np.reshape(a, (-1,)), np.reshape(b, (-1,)), axes=1, constant=constant)


@public()
@shared_docstring
def multi_matmul(tensors: Any, *, constant: bool | None = None) -> Tensor:
    """The product of a chain of matrices, multiplied in the order that needs the fewest operations.

    The first and last may be 1-D (as row and column vectors), as in :func:`numpy.linalg.multi_dot`.

    Parameters
    ----------
    tensors : sequence of array_like
        Two or more matrices whose shapes chain (the first and last may be 1-D).
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> mg.multi_matmul([mg.ones((10, 2)), mg.ones((2, 10)), mg.ones((10, 3))]).shape
    (10, 3)
    >>> x = mg.tensor([1.0, 2.0])
    >>> f = mg.multi_matmul([x, mg.tensor([[1.0, 0.0], [0.0, 2.0]]), mg.tensor([1.0, 1.0])])
    >>> f
    Tensor(5.)
    >>> f.backward()
    >>> x.grad
    array([1., 2.])
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

    result: Any = product(0, len(tensors) - 1)
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


def _safe_divide(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator``, with 0 where the denominator is 0: a norm's kink at the origin."""
    zero = data(denominator) == 0
    return np.where(zero, 0, numerator / np.where(zero, 1, denominator))


def _first_mask(values: np.ndarray, axis: int, argfn: Any) -> np.ndarray:
    first = np.expand_dims(argfn(values, axis=axis), axis)
    if is_foreign(first):
        # in its library, lazily where it is lazy (put_along_axis would compute the positions)
        axis %= values.ndim
        return first == np.arange(values.shape[axis], like=first).reshape(
            [-1 if i == axis else 1 for i in range(values.ndim)]
        )
    mask = np.zeros(values.shape, dtype=bool)
    np.put_along_axis(mask, first, True, axis=axis)
    return mask


# ---- the gradients of the nuclear and (-)2-norms: the SVD's factors, differentiable to any order
# First-order backprop takes them from an SVD of the data. Each is also the forward function of an internal
# primitive, whose rule is written with mygrad operations (run on Tensors by a recorded pass), in terms of
# quantities that stay smooth where the derivative exists: so the gradient of a norm can be differentiated
# again, and so can that derivative, to any order.
def _singular_values(a: Any) -> np.ndarray:
    return np.linalg.svd(data(a), compute_uv=False)


def _negligible(s: np.ndarray, a: Any) -> np.ndarray:
    """The threshold below which a singular value counts as 0 (NumPy's ``matrix_rank`` default)."""
    return s[..., :1] * max(np.shape(a)[-2:]) * np.finfo(data(a).dtype).eps


def _sylvester(p: Any, c: Any) -> Any:
    """``X`` with ``P X + X P = C``, for a symmetric positive-definite ``P`` (its symmetric part is used)."""
    w, v = np.linalg.eigh((p + _mT(p)) / 2)
    return v @ ((_mT(v) @ c @ v) / (w[..., :, None] + w[..., None, :])) @ _mT(v)


def _sylvester_p(g: Any, out: Any, p: Any, c: Any) -> Any:
    # dX = -L^-1(dP X + X dP) with L(X) = P X + X P (self-adjoint), for the symmetric dP the forward sees
    y = call(Sylvester, p, g)
    grad = -(y @ _mT(out) + _mT(out) @ y)
    return (grad + _mT(grad)) / 2


Sylvester = declare("Sylvester", _sylvester, _sylvester_p, lambda g, out, p, c: call(Sylvester, p, g))


def _polar(a: Any) -> Any:
    """``U V^T`` of the thin SVD ``a = U S V^T``: the nuclear norm's gradient (the polar factor)."""
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return u @ vh


def _polar_rule(g: Any, out: Any, a: Any) -> Any:
    s = _singular_values(a)
    if np.any(s[..., -1] <= _negligible(s, a)[..., 0]):
        raise ValueError(
            "the nuclear norm has no second derivative at a rank-deficient matrix (a singular value is 0): "
            "its gradient U V^T is not differentiable there"
        )
    # With m >= n, a = Q P (Q = out, P = (a^T a)^(1/2) = Q^T a), and dQ = Q X + (I - Q Q^T) da P^-1, where the
    # skew X solves P X + X P = Q^T da - da^T Q. Its pullback: Q (Y - Y^T) + (I - Q Q^T) g P^-1, with
    # P Y + Y P = Q^T g. It exists at every full-rank matrix, repeated singular values included.
    wide = np.shape(a)[-2] < np.shape(a)[-1]
    if wide:
        g, out, a = _mT(g), _mT(out), _mT(a)
    q_g = _mT(out) @ g
    p = _mT(out) @ a
    y = call(Sylvester, p, q_g)
    grad = out @ (y - _mT(y)) + _mT(np.linalg.solve(_mT(p), _mT(g - out @ q_g)))
    return _mT(grad) if wide else grad


Polar = declare("Polar", _polar, _polar_rule)


def _singular_pair(a: Any, *, largest: bool) -> Any:
    """``u_k v_k^T`` for the largest (or smallest) singular value ``s_k`` of ``a``: the gradient of ``s_k``."""
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    k = (np.argmax(s, axis=-1) if largest else np.argmin(s, axis=-1))[..., None, None]
    return np.take_along_axis(u, k, axis=-1) @ _mT(np.take_along_axis(_mT(vh), k, axis=-1))


def _singular_pair_rule(g: Any, out: Any, a: Any, *, largest: bool) -> Any:
    s = _singular_values(a)
    if not largest and np.any(s[..., -1] <= _negligible(s, a)[..., 0]):
        # (a norm of exactly 0 never gets here: see _singular_gradient)
        raise ValueError(
            "the -2-norm has no second derivative at a rank-deficient matrix (its smallest singular value is 0, "
            "up to rounding)"
        )
    if s.shape[-1] > 1:
        gap = s[..., 0] - s[..., 1] if largest else s[..., -2] - s[..., -1]
        if np.any(gap <= _negligible(s, a)[..., 0]):
            raise ValueError(
                f"the {'largest' if largest else 'smallest'} singular value is repeated: the matrix "
                f"{'2' if largest else '-2'}-norm has no second derivative there"
            )
    # With m >= n: Z = out = a E / s, where E = v v^T = Z^T Z projects on the eigenvector of B = a^T a for its
    # simple eigenvalue s^2, and s = <Z, a>. dE = dv v^T + v dv^T with dv = R dB v, R = sum over the other
    # eigenpairs of v_j v_j^T / (s^2 - s_j^2) = inv(s^2 I - B + c E) - E / c for any c != 0. Its pullback:
    # g E / s + a (K + K^T) - <g, Z> Z / s, with K = R (H + H^T) E and H = a^T g / s.
    wide = np.shape(a)[-2] < np.shape(a)[-1]
    if wide:
        g, out, a = _mT(g), _mT(out), _mT(a)
    n = np.shape(a)[-1]
    e = _mT(out) @ out
    sigma = np.sum(out * a, axis=(-2, -1), keepdims=True)
    c = np.where(data(sigma) == 0, 1.0, data(sigma) ** 2)  # any nonzero constant: the scale of the spectrum
    h = _mT(a) @ g / sigma
    w = h + _mT(h)
    shifted = sigma**2 * np.eye(n, dtype=c.dtype) - _mT(a) @ a + c * e
    k = np.linalg.solve(shifted, w @ e) - e @ w @ e / c
    grad = g @ e / sigma + a @ (k + _mT(k)) - np.sum(g * out, axis=(-2, -1), keepdims=True) * out / sigma
    return _mT(grad) if wide else grad


SingularPair = declare("SingularPair", _singular_pair, _singular_pair_rule)


def _singular_gradient(x: Any, out: Any, ord: Any, axes: tuple) -> Any:
    """The gradient of the nuclear (``U V^T``) or (-)2-norm (``u_k v_k^T``) of the matrices of ``x``.

    On Tensors (a recorded pass) the matrices whose norm is 0, where the gradient is the constant 0 anyway,
    are replaced by one whose gradient is smooth, so that differentiating again gives 0 there, not NaN."""
    moved = np.moveaxis(x, axes, (-2, -1))
    if isinstance(x, Tensor):
        zero = np.moveaxis(data(out) == 0, axes, (-2, -1))
        if np.any(zero):
            m, n = moved.shape[-2:]
            safe = np.zeros((m, n), dtype=data(x).dtype)
            safe[range(min(m, n)), range(min(m, n))] = np.arange(min(m, n), 0, -1)
            moved = np.where(zero, safe, moved)
    grad = call(Polar, moved) if ord == "nuc" else call(SingularPair, moved, largest=ord == 2)
    return np.moveaxis(grad, (-2, -1), axes)


def _vector_norm_rule(g: Any, out: Any, x: Any, ord: Any, axes: tuple) -> Any:
    sign = np.sign(data(x))
    if ord is None or ord == 2 or ord == "fro":
        return g * _safe_divide(x, out)
    if ord == 0:
        return np.zeros_like(x)
    if ord == 1:
        return g * sign
    if ord in (np.inf, -np.inf):
        flat = np.reshape(np.moveaxis(np.abs(data(x)), axes, range(-len(axes), 0)), (*np.shape(out), -1))
        mask = _first_mask(flat, -1, np.argmax if ord == np.inf else np.argmin)
        moved_shape = np.moveaxis(np.empty(np.shape(x), dtype=bool), axes, range(-len(axes), 0)).shape
        return g * sign * np.moveaxis(np.reshape(mask, moved_shape), range(-len(axes), 0), axes)
    # sign(x_i) (|x_i| / |x|_p)^(p - 1); for p < 1 a zero element is a cusp (a minimum along it, with infinite
    # slopes): 0 is a subgradient there. Both kinds of point get a base of 1, so nothing overflows (nor, at second
    # order, differentiates 0 to a negative power); _norm_rule sets the lanes where the norm is 0.
    zero_norm = data(out) == 0
    cusp = data(x) == 0 if ord < 1 else False
    ratio = np.where(zero_norm | cusp, 1, np.abs(x) / np.where(zero_norm, 1, out))
    return g * sign * ratio ** (ord - 1)


def _matrix_norm_rule(g: Any, out: Any, x: Any, ord: Any, axes: tuple) -> Any:
    if ord is None or ord == "fro":
        return g * _safe_divide(x, out)
    if ord in ("nuc", 2, -2):
        return g * _singular_gradient(x, out, ord, axes)
    moved = np.moveaxis(data(x), axes, (-2, -1))
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
    grad = (_matrix_norm_rule if matrix else _vector_norm_rule)(g, out, x, ord, axes)
    # Where a norm is 0 (its minimum) it is not differentiable, whatever the ord: 0 is a subgradient there.
    at_zero = data(out) == 0
    if is_foreign(at_zero) or np.any(at_zero):  # (another library's array: no test, which would compute it)
        grad = np.where(at_zero, 0, grad)
    if not nan_to_num:
        # MyGrad 2's convention: the derivative is undefined (NaN) at every zero element for the norms made of the
        # elements' absolute values (every vector norm; the Frobenius, 1- and inf-norms of matrices), and where
        # the norm is 0 for the others
        grad = undefined(grad, at_zero if matrix and ord in ("nuc", 2, -2) else data(x) == 0, g, x)
    return grad


Norm = primitive(
    "Norm",
    lambda x, *, ord, axis, keepdims, nan_to_num: np.linalg.norm(x, ord, axis, keepdims),
    _norm_rule,
)


@shared_docstring
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
        The axis of the vector norms, or the two axes of the matrix norms; by default the 2-norm of the
        flattened input (1-D or 2-D ``x`` with ``ord``: its vector or matrix norm).
    keepdims : bool, default False
        Keep the reduced axes, with length one.
    nan_to_num : bool, default True
        Where the norm is 0 (its minimum, for every ``ord``) and at a zero element for ``0 < ord <= 1`` (the
        kinks of the 1-norm, the cusps below it) the gradient is 0, a subgradient. With False the gradient is NaN
        at every zero element of ``x`` (as in MyGrad 2, for which a zero element's derivative is undefined) for
        the norms made of the absolute values of the elements: every vector norm, and the Frobenius, 1-, -1-,
        inf- and -inf-norms of matrices; for the nuclear, 2- and -2-norms of matrices, where the norm is 0.
    constant : bool, optional
        Whether the result is a constant (by default, only if ``x`` is).

    $returns

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


def _cofactors(a: Any) -> Any:
    """The cofactor matrix (the transposed adjugate) of each matrix of ``a``, from the dets of its minors:
    ``(-1)^(i + j) det(a without row i and column j)``; for 1 x 1 matrices, 1 (the det of a 0 x 0 matrix)."""
    n = np.shape(a)[-1]
    if n <= 1:
        return np.ones(np.shape(a), dtype=data(a).dtype)
    kept = np.array([[k for k in range(n) if k != i] for i in range(n)])  # kept[i]: all indices but i
    minors = a[..., kept[:, None, :, None], kept[None, :, None, :]]  # (..., i, j, n - 1, n - 1)
    signs = ((-1) ** np.add.outer(np.arange(n), np.arange(n))).astype(data(a).dtype)
    return signs * det(minors)


def _det_rule(g: Any, out: Any, a: Any) -> Any:
    # (Dask's inv and svd need SciPy, a 2-d array, and for svd chunks along one axis)
    with refused_by_library(data(a), "the gradient of det"):
        return _det_gradient(g, out, a)


def _det_gradient(g: Any, out: Any, a: Any) -> Any:
    # d det(A) = adj(A)^T = det(A) inv(A)^T where A is invertible ...
    if isinstance(g, Tensor) or isinstance(a, Tensor):
        # ... in a recorded pass, where its derivatives are taken from it, only if A is well-conditioned: they
        # cancel terms of order 1 / sigma_min, so the k-th derivative loses about (k - 1) log10(cond(A)) digits.
        # Otherwise (singular matrices included) the cofactors, with mygrad operations: exact, as det is a
        # polynomial, and differentiable again (each minor's det by this rule).
        s = _singular_values(a)
        limit = np.finfo(data(a).dtype).eps ** -0.25  # 8e3 at float64, 58 at float32
        if s.shape[-1] and not np.all((s[..., -1] > 0) & (s[..., -1] * limit >= s[..., 0])):
            return g[..., None, None] * _cofactors(a)
        return g[..., None, None] * out[..., None, None] * _mT(np.linalg.inv(a))
    if np.all(data(out) != 0):
        return g[..., None, None] * out[..., None, None] * _mT(np.linalg.inv(a))
    # ... and on arrays through the SVD (the adjugate exists for singular matrices as well)
    u, s, vh = np.linalg.svd(data(a))
    others = np.prod(s[..., None, :] * ~np.eye(s.shape[-1], dtype=bool) + np.eye(s.shape[-1]), axis=-1)
    orientation = np.linalg.det(u) * np.linalg.det(vh)
    cofactor = orientation[..., None, None] * (u * others[..., None, :]) @ vh
    return g[..., None, None] * cofactor


def _logabsdet_gradient(a: Any) -> Any:
    with refused_by_library(data(a), "the gradient of slogdet"):
        return _mT(np.linalg.inv(a))


Inv = primitive("Inv", np.linalg.inv, lambda g, out, a: -_mT(out) @ g @ _mT(out))
Det = primitive("Det", np.linalg.det, _det_rule)
LogAbsDet = primitive(
    "LogAbsDet",
    lambda a: np.linalg.slogdet(a).logabsdet,
    lambda g, out, a: g[..., None, None] * _logabsdet_gradient(a),
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


@shared_docstring
def inv(a: Any, *, constant: bool | None = None) -> Tensor:
    """The inverse of a (stack of) square matrices.

    Parameters
    ----------
    a : array_like
        A square matrix, or a stack of them (shape ``(..., M, M)``).
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> b = mg.linalg.inv(a)
    >>> b
    Tensor([[0.5 , 0.  ],
            [0.  , 0.25]])
    >>> b.backward()  # -inv(a).T @ ones @ inv(a).T
    >>> a.grad
    array([[-0.25  , -0.125 ],
           [-0.125 , -0.0625]])
    """
    return apply(Inv, (a,), {}, constant)


@shared_docstring
def det(a: Any, *, constant: bool | None = None) -> Tensor:
    """The determinant of a (stack of) square matrices; its gradient exists for singular matrices too.

    Parameters
    ----------
    a : array_like
        A square matrix, or a stack of them (shape ``(..., M, M)``).
    $constant_one

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> d = mg.linalg.det(a)
    >>> d
    Tensor(-2.)
    >>> d.backward()  # the cofactor matrix
    >>> a.grad
    array([[ 4., -3.],
           [-2.,  1.]])
    """
    return apply(Det, (a,), {}, constant)


@shared_docstring
def slogdet(a: Any, *, constant: bool | None = None) -> Any:
    """The sign and the log of the absolute value of the determinant, as NumPy's ``(sign, logabsdet)``; the
    sign is a constant.

    Parameters
    ----------
    a : array_like
        A square matrix, or a stack of them (shape ``(..., M, M)``).
    $constant_one

    Returns
    -------
    (sign, logabsdet) : tuple of Tensor
        NumPy's named tuple; ``sign`` is a constant.

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> sign, logdet = mg.linalg.slogdet(a)
    >>> sign, logdet
    (Tensor(-1.), Tensor(0.69314718))
    >>> logdet.backward()  # inv(a).T
    >>> a.grad
    array([[-2. ,  1.5],
           [ 1. , -0.5]])
    """
    sign = np.linalg.slogdet(data(a)).sign
    return type(np.linalg.slogdet(np.eye(1)))(
        Tensor(sign, constant=True), apply(LogAbsDet, (a,), {}, constant)
    )


@shared_docstring
def solve(a: Any, b: Any, *, constant: bool | None = None) -> Tensor:
    """The solution ``x`` of ``a @ x = b``, differentiable in both ``a`` and ``b``.

    Parameters
    ----------
    a : array_like
        A square matrix, or a stack of them (shape ``(..., M, M)``).
    b : array_like
        The right-hand side: a vector of length M, or of shape ``(..., M, K)``.
    $constant

    $returns

    Examples
    --------
    >>> import mygrad as mg
    >>> a = mg.tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> b = mg.tensor([1.0, 1.0])
    >>> x = mg.linalg.solve(a, b)
    >>> x
    Tensor([0.5 , 0.25])
    >>> x.backward()
    >>> b.grad  # solve(a.T, ones)
    array([0.5 , 0.25])
    >>> a.grad  # -outer(b.grad, x)
    array([[-0.25  , -0.125 ],
           [-0.125 , -0.0625]])
    """
    return apply(Solve, (a, b), {}, constant)


for _numpy_func, _func in (
    (np.linalg.norm, norm), (np.linalg.inv, inv), (np.linalg.det, det), (np.linalg.slogdet, slogdet),
    (np.linalg.solve, solve),
):  # fmt: skip
    implements_numpy_override(_numpy_func)(_func)
