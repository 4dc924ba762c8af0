"""Declaring operations, and the tables through which NumPy's own functions reach them.

A module of ``mygrad._ops`` declares each op once:

* ``defufunc(np.exp, rule)`` makes the Primitive ``Exp``, the mygrad ufunc ``exp`` (with NumPy's ufunc
  signature: ``out=``, ``where=``, ``dtype=``), its ``__array_ufunc__`` entry and, when asked, operators.
* ``primitive("Sum", forward, rule)`` makes a Primitive; ``@public(np.sum, method="sum")`` publishes the
  function that applies it, with its ``__array_function__`` entry and its Tensor method.
* ``nondifferentiable(...)`` / ``constant_only(...)`` route NumPy functions and ufuncs to the data.
* ``tensor_method(name, func)`` makes ``func`` a method (or property) of Tensor.

``PUBLIC`` collects the names that ``mygrad`` exports, ``METHODS`` the members that the ops give Tensor, and
``PRIMITIVES`` every differentiable op (a test walks it). ``PUBLIC`` and ``METHODS`` are the source of the
static surface that type checkers read: ``python -m mygrad._surface`` writes them into ``mygrad/__init__.py``,
``mygrad/math/__init__.py`` and a ``TYPE_CHECKING`` block of the Tensor class (``test_surface.py`` checks
that these are current).
"""

from __future__ import annotations

import functools
import inspect
from abc import ABCMeta
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from mygrad._core.inplace import Reshape, UnView
from mygrad._core.operation import Primitive, ScatterAdd, apply, declare
from mygrad._core.state import guarding, tracking
from mygrad._core.tensor import FUNCTIONS, UFUNCS, Tensor
from mygrad._docs import FRAGMENTS, fill
from mygrad.operation_base import BinaryUfunc, UnaryUfunc
from mygrad.typing import ArrayLike, DTypeLikeReals, Mask

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

__all__ = [
    "METHODS",
    "NO_VALUE",
    "PRIMITIVES",
    "PUBLIC",
    "constant_only",
    "defufunc",
    "given",
    "implements_numpy_override",
    "made_by_numpy",
    "nondifferentiable",
    "primitive",
    "public",
    "tensor_method",
    "ufunc",
]


class _NoValue:
    """The default of a keyword that was not given (``<no value>`` in a signature, as NumPy's own marker)."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE: Any = _NoValue()


def given(value: Any, default: Any) -> Any:
    """``value``, or ``default`` if it is ``NO_VALUE``."""
    return default if value is NO_VALUE else value


PUBLIC: dict[str, Any] = {}
METHODS: dict[str, Any] = {}  # name -> the function (or property) that Tensor has under that name
# the engine's own ops too (in-place writes, in-place reshapes, scatter gradients)
PRIMITIVES: dict[str, type[Primitive]] = {"Reshape": Reshape, "UnView": UnView, "ScatterAdd": ScatterAdd}
NO_KWARGS: dict[str, Any] = {}  # shared by the calls that have none: never mutated


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def primitive(name: str, *args: Any, **kwargs: Any) -> type[Primitive]:
    """Declare one of mygrad's own operations (:func:`mygrad.operation_base.primitive`, which takes the same
    arguments) and register it in ``PRIMITIVES``, which the registry tests and the docs walk."""
    op = declare(name, *args, **kwargs)
    PRIMITIVES[name] = op
    return op


def _data(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_data(i) for i in x)
    return x


def tensor_method(name: str, member: Any) -> Any:
    """Make ``member`` (a function whose first parameter is the tensor, or a property) ``Tensor.<name>``,
    recorded in ``METHODS``; returns it."""
    METHODS[name] = member
    setattr(Tensor, name, member)
    return member


def _add_method(name: str, func: Callable[..., Any]) -> None:
    @functools.wraps(func)
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return func(self, *args, **kwargs)

    tensor_method(name, method)


F = TypeVar("F", bound=Callable[..., Any])


def public(
    numpy_func: Callable[..., Any] | None = None, *, method: str | None = None, name: str | None = None
) -> Callable[[F], F]:
    """Publish a function as ``mygrad.<name>``, as the override of ``numpy_func`` and as ``Tensor.<method>``."""

    def decorate(func: F) -> F:
        func.__module__ = "mygrad"
        PUBLIC[name or func.__name__] = func
        if numpy_func is not None:
            FUNCTIONS[numpy_func] = func
        if method is not None:
            _add_method(method, func)
        return func

    return decorate


def implements_numpy_override(numpy_func: Callable[..., Any] | None = None) -> Callable[[F], F]:
    """Register the decorated function as what ``numpy_func`` (default: NumPy's function of the same name)
    does when it is given a Tensor.

    Parameters
    ----------
    numpy_func : callable, optional
        The NumPy function to override (one that dispatches through ``__array_function__``).

    Returns
    -------
    callable
        The decorator; it returns the decorated function unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.tensor_base import implements_numpy_override
    >>> @implements_numpy_override(np.fliplr)
    ... def fliplr(m):
    ...     return mg.flip(m, axis=1)
    >>> x = mg.tensor([[1.0, 2.0]])
    >>> y = np.fliplr(x)  # now a differentiable Tensor
    >>> y
    Tensor([[2., 1.]])
    >>> (y * [[10.0, 20.0]]).sum().backward()
    >>> x.grad
    array([[20., 10.]])
    """

    def decorate(func: F) -> F:
        FUNCTIONS[numpy_func if numpy_func is not None else getattr(np, func.__name__)] = func
        return func

    return decorate


# ------------------------------------------------------------------------------------------------- ufuncs
class ufunc(metaclass=ABCMeta):  # noqa: B024, N801  (NumPy's spelling; virtual subclasses only)
    """The abstract type of mygrad's universal functions: ``issubclass(mygrad.add, mygrad.ufunc)``.

    Each mygrad ufunc is a class whose call applies the operation and returns a Tensor, mirroring one NumPy
    ufunc: it takes ``out=``, ``where=`` and ``dtype=`` and exposes ``nin``, ``nout``, ``types``, ....

    Examples
    --------
    >>> import mygrad as mg
    >>> issubclass(mg.exp, mg.ufunc), isinstance(mg.cot, mg.ufunc)  # cot is a plain function
    (True, False)
    >>> mg.add
    <mygrad-ufunc 'add'>
    >>> mg.add.nin, mg.add.nout, mg.add.identity
    (2, 1, 0)
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> y = mg.exp(x, where=[True, False, True], out=mg.zeros(3, dtype=float))
    >>> y
    Tensor([ 2.71828183,  0.        , 20.08553692])
    >>> y.backward()  # no gradient where `where` is False
    >>> x.grad
    array([ 2.71828183,  0.        , 20.08553692])
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError("mygrad.ufunc cannot be subclassed")


def _reads(inputs: tuple, array: np.ndarray) -> bool:
    """Whether a graph reads the memory of ``array``, a NumPy array (another library's is not guarded)."""
    return type(array) is np.ndarray and any(
        isinstance(x, Tensor) and type(x.data) is np.ndarray and np.may_share_memory(x.data, array)
        for x in inputs
    )


_NUMPY_UFUNC_KEYWORDS = frozenset({"casting", "order", "subok", "signature"})  # NumPy's, passed on to it


class _UfuncType(type):
    """The metaclass of mygrad's ufuncs: calling the class runs the op."""

    numpy_ufunc: np.ufunc
    _op: type[Primitive]
    _direct: type[Primitive] | None = None  # mygrad's own ufuncs' op, which `apply` runs directly
    _nin: int = 0
    _keywords: frozenset[str] | None = None  # the op's keywords beyond NumPy's (None: its __call__ checks)
    _run: Callable[[tuple, dict[str, Any], bool | None, dict[str, Any]], Tensor]  # applies the op

    def __call__(cls, *args: ArrayLike, out: np.ndarray | Tensor | None = None, where: Mask = True,
                 dtype: DTypeLike | None = None, constant: bool | None = None, **kwargs: Any) -> Tensor:  # fmt: skip
        direct = cls._direct  # the common call, f(x) or f(x, y), goes straight to the engine
        if (
            direct is not None
            and len(args) == cls._nin
            and out is None
            and where is True
            and dtype is None
            and not kwargs
        ):
            return apply(direct, args, NO_KWARGS, constant)
        nin = cls.numpy_ufunc.nin
        target: Any = out  # NumPy's forms: an array or a tensor, in a 1-tuple or not, or the last positional
        if len(args) != nin:
            if len(args) == nin + 1 and target is None:
                args, target = args[:-1], args[-1]
            else:
                raise TypeError(
                    f"{cls.__name__}() takes {nin} positional argument(s) but {len(args)} were given"
                )
        forward_kwargs = NO_KWARGS
        if where is not True or dtype is not None or target is not None or kwargs:
            forward_kwargs = {key: kwargs.pop(key) for key in _NUMPY_UFUNC_KEYWORDS.intersection(kwargs)}
            if kwargs and cls._keywords is not None and not cls._keywords.issuperset(kwargs):
                unexpected = min(set(kwargs) - cls._keywords)  # as NumPy: refused, never ignored
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {unexpected!r}")
        if where is not True:
            forward_kwargs["where"] = where = _data(where)
        if dtype is not None:
            forward_kwargs["dtype"] = dtype
        if target is not None:
            if isinstance(target, tuple):
                (target,) = target
            if isinstance(target, Tensor):  # computed out of place, then written into `out` in place
                from mygrad._core.inplace import write_into

                # into a copy of its data, as NumPy's `out=` would (its dtype and casting rule, no uninitialized
                # elements under `where`)
                result = cls(
                    *args, out=target.data.copy(), where=where, dtype=dtype, constant=constant, **kwargs
                )
                return write_into(target, result, where)
            if tracking() and guarding() and _reads(args, target):
                # the graph keeps the inputs for backprop: they are read-only, as after any recorded op
                raise ValueError("output array is read-only")
            forward_kwargs["out"] = target
        result = cls._run(args, kwargs, constant, forward_kwargs)
        if where is not True and result._creator is not None:
            result._creator.where = where  # the engine masks the gradients as NumPy masked the result
        return result

    def __repr__(cls) -> str:
        return f"<mygrad-ufunc '{cls.__name__}'>"

    nin = property(lambda cls: cls.numpy_ufunc.nin)
    nout = property(lambda cls: cls.numpy_ufunc.nout)
    nargs = property(lambda cls: cls.numpy_ufunc.nargs)
    ntypes = property(lambda cls: len(cls.types))
    types = property(lambda cls: [t for t in cls.numpy_ufunc.types if not set(t) & set("FDGMmOTV")])
    identity = property(lambda cls: cls.numpy_ufunc.identity)
    signature = property(lambda cls: cls.numpy_ufunc.signature)

    def resolve_dtypes(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.numpy_ufunc.resolve_dtypes(*args, **kwargs)

    def _unsupported(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"mygrad ufuncs do not support this method (`{cls.__name__}`)")

    at = accumulate = outer = reduce = reduceat = _unsupported


def _ufunc_doc(name: str, signature: inspect.Signature, summary: str, example: tuple | None) -> str:
    """A numpydoc docstring for the mygrad ufunc ``name`` of ``signature``, its parameters described by the
    shared fragments (``ufunc_<keyword>``, or the keyword's own); ``example`` is ``(inputs, derivatives)``:
    array literals and NumPy expressions (in ``a``, ``b``) for the derivative with respect to each input."""
    params = list(signature.parameters.values())
    inputs = [p.name for p in params if p.kind is p.POSITIONAL_ONLY]
    keywords = [
        f"ufunc_{p.name}" if f"ufunc_{p.name}" in FRAGMENTS else p.name for p in params[len(inputs) :]
    ]
    plain = signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in params], return_annotation=signature.empty
    )
    described = ["The inputs; they broadcast together."] if len(inputs) > 1 else []
    lines = [
        f"{name}{plain}",
        "",
        summary,
        "",
        "Parameters",
        "----------",
        f"{', '.join(inputs)} : array_like",
    ]
    lines += (
        [f"    {text}" for text in described] + [f"${keyword}" for keyword in keywords] + ["", "$returns"]
    )
    if example is not None:
        values, derivatives = example
        arrays, tensors = "ab"[: len(values)], "xy"[: len(values)]
        lines += ["", "Examples", "--------", ">>> import numpy as np", ">>> import mygrad as mg"]
        lines += [f">>> {a} = np.array({v})" for a, v in zip(arrays, values)]
        lines += [f">>> {t} = mg.tensor({a})" for t, a in zip(tensors, arrays)]
        lines += [f">>> mg.{name}({', '.join(tensors)}).sum().backward()"]
        for t, derivative in zip(tensors, derivatives):
            lines += [f">>> bool(np.allclose({t}.grad, {derivative}))", "True"]
    return fill("\n".join(lines), FRAGMENTS)


def ufunc_doc(mg_ufunc: Any, example: tuple) -> str:
    """``mg_ufunc``'s docstring with an example (see ``_ufunc_doc``), keeping its summary line."""
    summary = mg_ufunc.__doc__.split("\n\n")[1].strip()
    return _ufunc_doc(mg_ufunc.__name__, inspect.signature(mg_ufunc), summary, example)


def _keyword_only(*funcs: Callable[..., Any] | None) -> dict[str, inspect.Parameter]:
    """The keyword-only parameters of a ufunc's forward function and rules (e.g. ``absolute``'s ``nan_to_num``)."""
    return {
        p.name: p
        for func in funcs
        if func is not None
        for p in inspect.signature(func, eval_str=True).parameters.values()
        if p.kind is p.KEYWORD_ONLY
    }


def ufunc_signature(numpy_ufunc: np.ufunc, keywords: Iterable[inspect.Parameter] = ()) -> inspect.Signature:
    """The signature of the mygrad ufunc that mirrors ``numpy_ufunc``: NumPy's, with mygrad's ``constant`` and
    the op's own ``keywords``, annotated as ``typing.get_type_hints`` reports them (returning a Tensor)."""
    P = inspect.Parameter
    inputs = ["x"] if numpy_ufunc.nin == 1 else [f"x{i}" for i in range(1, numpy_ufunc.nin + 1)]
    params = [P(name, P.POSITIONAL_ONLY, annotation=ArrayLike) for name in inputs]
    params.append(P("out", P.POSITIONAL_OR_KEYWORD, default=None, annotation=np.ndarray | Tensor | None))
    if numpy_ufunc.signature is None:  # a generalized ufunc (matmul) has no `where`
        params.append(P("where", P.KEYWORD_ONLY, default=True, annotation=Mask))
    params.append(P("dtype", P.KEYWORD_ONLY, default=None, annotation=DTypeLikeReals))
    params.append(P("constant", P.KEYWORD_ONLY, default=None, annotation=bool | None))
    return inspect.Signature([*params, *keywords], return_annotation=Tensor)


def make_ufunc(name: str, signature: inspect.Signature, namespace: dict[str, Any]) -> _UfuncType:
    """A mygrad ufunc: the class ``name`` (a virtual subclass of ``ufunc``) whose call runs ``namespace``'s op,
    with ``signature`` for ``inspect.signature`` and ``typing.get_type_hints``."""
    if signature.return_annotation is signature.empty:  # (a user's stub, unannotated)
        signature = signature.replace(return_annotation=Tensor)
    annotations = {p.name: p.annotation for p in signature.parameters.values() if p.annotation is not p.empty}
    annotations["return"] = signature.return_annotation
    mg_ufunc = _UfuncType(name, (), {**namespace, "__signature__": signature, "__annotations__": annotations})
    ufunc.register(mg_ufunc)
    return mg_ufunc


def defufunc(
    numpy_ufunc: np.ufunc,
    *rules: Callable[..., Any] | None,
    name: str | None = None,
    op_name: str | None = None,
    forward: Callable[..., Any] | None = None,
    summary: str = "",
    example: tuple | None = None,
) -> _UfuncType:
    """Declare a differentiable ufunc: its Primitive, the public mygrad ufunc and its NumPy dispatch entry.

    The Primitive (named ``op_name``, by default the CamelCase ``name``) is also a ``UnaryUfunc`` or
    ``BinaryUfunc`` bound to ``numpy_ufunc``, as the operations of MyGrad 2's ufuncs were."""
    name = name or numpy_ufunc.__name__
    op = primitive(
        op_name or _camel(name),
        forward or numpy_ufunc,
        *rules,
        bases=(UnaryUfunc if numpy_ufunc.nin == 1 else BinaryUfunc,),
        attributes={"numpy_ufunc": numpy_ufunc},
    )
    keywords = _keyword_only(forward, *rules)
    namespace = {
        "numpy_ufunc": numpy_ufunc,
        "_op": op,
        "_direct": op,
        "_nin": numpy_ufunc.nin,
        "_keywords": frozenset(keywords),
        "_run": staticmethod(
            lambda args, kwargs, constant, forward_kwargs: apply(op, args, kwargs, constant, forward_kwargs)
        ),
        "__module__": "mygrad",
    }
    signature = ufunc_signature(numpy_ufunc, keywords.values())
    summary = summary or f"The elementwise :obj:`numpy.{numpy_ufunc.__name__}`, differentiable."
    namespace["__doc__"] = _ufunc_doc(name, signature, summary, example)
    mg_ufunc = make_ufunc(name, signature, namespace)
    PUBLIC[name] = mg_ufunc
    UFUNCS[numpy_ufunc] = mg_ufunc
    return mg_ufunc


def operators(mg_ufunc: _UfuncType, forward: str | None = None, reflected: str | None = None) -> None:
    """Bind ``mg_ufunc`` as the Tensor operator ``forward`` (``t op y``) and ``reflected`` (``y op t``)."""
    op = mg_ufunc._op
    if forward:

        def forward_method(self: Tensor, other: ArrayLike) -> Tensor:
            return apply(op, (self, other), NO_KWARGS)

        forward_method.__name__ = forward
        tensor_method(forward, forward_method)
    if reflected:

        def reflected_method(self: Tensor, other: ArrayLike) -> Tensor:
            return apply(op, (other, self), NO_KWARGS)

        reflected_method.__name__ = reflected
        tensor_method(reflected, reflected_method)


def _refuse_non_constants(func: np.ufunc, tensors: tuple) -> None:
    if any(isinstance(t, Tensor) and not t.constant for t in tensors):
        raise ValueError(f"{func} cannot involve non-constant mygrad tensors.")


def _outputs(kwargs: dict[str, Any]) -> tuple:
    out = kwargs.get("out")
    return out if isinstance(out, tuple) else (out,)


def nondifferentiable(*numpy_funcs: Callable[..., Any]) -> None:
    """NumPy functions and ufuncs that run on the tensors' data and return NumPy's result.

    A ufunc's ``out=`` may be a constant tensor (written like an array), not a tensor in a graph.
    """
    for func in numpy_funcs:

        def on_data(*args: Any, _func: Callable[..., Any] = func, **kwargs: Any) -> Any:
            if isinstance(_func, np.ufunc):
                _refuse_non_constants(_func, _outputs(kwargs))
            return _func(*_data(args), **{k: _data(v) for k, v in kwargs.items()})

        if isinstance(func, np.ufunc):
            UFUNCS[func] = functools.wraps(func)(on_data)
        else:
            FUNCTIONS[func] = functools.wraps(func)(on_data)


def made_by_numpy(*numpy_funcs: Callable[..., Any]) -> None:
    """NumPy's array-making functions reached with tensors (``np.zeros(3, like=t)``, ``np.linspace(t, 1)``):
    NumPy's array, made from the data, as a new tensor (constant unless it is of a floating type)."""
    for func in numpy_funcs:

        def made(*args: Any, _func: Callable[..., Any] = func, **kwargs: Any) -> Any:
            result = _func(*_data(args), **{k: _data(v) for k, v in kwargs.items()})
            if isinstance(result, tuple):  # np.linspace(..., retstep=True): the samples and the step
                return (Tensor(result[0], copy=False), *result[1:])
            return Tensor(result, copy=False)

        FUNCTIONS[func] = functools.wraps(func)(made)


def constant_only(*numpy_ufuncs: np.ufunc) -> None:
    """Ufuncs without a useful derivative: they run on the data of constant tensors and refuse others, as
    inputs or as ``out=``."""
    for func in numpy_ufuncs:

        def on_constants(*args: Any, _func: np.ufunc = func, **kwargs: Any) -> Any:
            _refuse_non_constants(_func, args + _outputs(kwargs))
            return _func(*_data(args), **{k: _data(v) for k, v in kwargs.items()})

        UFUNCS[func] = on_constants
