"""Docstrings with shared passages: how every docstring of mygrad (and of its extensions) is written.

A docstring is written beside its function, in numpydoc form. Where it would repeat a passage that other
docstrings share (a parameter that many functions take, a ``Returns`` section), a line holding only ``$name``
stands for the fragment ``name``; the decorator that :func:`docstring_fragments` makes puts the fragment in at
import, indented as that line is. So each shared passage is written once, and ``help()``, Sphinx and doctest
see the whole docstring. ``FRAGMENTS`` holds mygrad-core's, and ``shared_docstring`` fills them;
``mygrad.operation_base.docstring_fragments`` is the public way to make such a decorator for other fragments.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["FRAGMENTS", "docstring_fragments", "fill", "shared_docstring"]

F = TypeVar("F", bound=Callable[..., Any])

_PLACEHOLDER = re.compile(r"^( *)\$(\w+)$", flags=re.MULTILINE)


def fill(doc: str, fragments: Mapping[str, str]) -> str:
    """``doc`` (cleaned as :func:`inspect.cleandoc` does) with each ``$name`` line replaced by
    ``fragments[name]`` (itself filled: a fragment may use others), indented as the line is; KeyError for an
    unknown name."""
    return _expand(inspect.cleandoc(doc), fragments)


def _expand(text: str, fragments: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: textwrap.indent(_expand(fragments[m[2]], fragments), m[1]), text)


def docstring_fragments(fragments: Mapping[str, str]) -> Callable[[F], F]:
    """A decorator that fills the ``$name`` lines of a function's (or class's) docstring from ``fragments``.

    Write each passage that several docstrings share once, as a fragment; in a docstring, a line holding only
    ``$name`` (indented as the passage should be) stands for it. The decorator puts the fragments in when the
    function is defined, so ``help()``, Sphinx and doctest see the whole docstring.

    Parameters
    ----------
    fragments : Mapping[str, str]
        The shared passages, by name (numpydoc text, unindented).

    Returns
    -------
    callable
        The decorator: it sets the decorated object's ``__doc__`` and returns the object. A ``$name`` that
        ``fragments`` lacks raises KeyError, at definition.

    Examples
    --------
    >>> from mygrad.operation_base import docstring_fragments
    >>> shared = docstring_fragments({"scale": "scale : float\\n    The factor applied to ``x``."})
    >>> @shared
    ... def stretch(x, scale):
    ...     '''Stretch ``x``.
    ...
    ...     Parameters
    ...     ----------
    ...     x : array_like
    ...     $scale
    ...     '''
    >>> stretch.__doc__.splitlines()[-3:]
    ['x : array_like', 'scale : float', '    The factor applied to ``x``.']
    """

    def decorate(obj: F) -> F:
        obj.__doc__ = fill(obj.__doc__ or "", fragments)
        return obj

    return decorate


_CONSTANT = "Whether the result is a constant (by default, only if {} is)."

FRAGMENTS: dict[str, str] = {
    # the keywords of every operation
    "constant": f"constant : bool, optional\n    {_CONSTANT.format('every input')}",
    "constant_one": f"constant : bool, optional\n    {_CONSTANT.format('the input')}",
    "returns": "Returns\n-------\nTensor",
    "out": "out : numpy.ndarray or Tensor, optional\n"
    "    Where to write the result, as NumPy's ``out=``; a Tensor is written in place (and stays "
    "differentiable).",
    "numpy_out": "out : numpy.ndarray, optional\n    Where to write the result, as for NumPy.",
    # reductions
    "reduced": "x : array_like\n    The tensor (or array) to reduce.",
    "axes": "axis : int or tuple of ints, optional\n    The axes to reduce; all of them by default.",
    "keepdims": "keepdims : bool, default False\n    Keep the reduced axes, with length one.",
    "dtype": "dtype : data-type, optional\n    The type in which to compute and return the result (NumPy's meaning).",
    "where": "where : array_like of bool, optional\n"
    "    Only the elements where this is True take part (NumPy's meaning); the others get no gradient.",
    "initial_extreme": "initial : scalar, optional\n"
    "    A value that takes part in every comparison (NumPy's meaning); where it beats every element, no\n"
    "    element gets a gradient.",
    "where_extreme": "where : array_like of bool, optional\n"
    "    Only the elements where this is True take part (NumPy's meaning; ``initial`` is then needed where a\n"
    "    lane selects no element); the others get no gradient.",
    "spread_options": "ddof : int, default 0\n"
    "    The divisor is ``N - ddof``, where N is the number of elements reduced.",
    "deviations_from": "mean : array_like, optional\n"
    "    The mean to measure the deviations from (with the reduced axes kept), as NumPy's ``mean=``; the\n"
    "    result is differentiated with respect to it too.\n"
    "correction : int, optional\n"
    "    The Array API's name for ``ddof``: give one of the two.",
    "nan_keepdims": "keepdims : bool, optional\n    Keep the reduced axes, with length one.",
    "cumulative": """\
Parameters
----------
a : array_like
axis : int, optional
dtype : data-type, optional
    The type in which to accumulate and return the result (NumPy's meaning).
$out
constant : bool, optional

$returns""",
    # not differentiable: argmax, argmin (arg_extreme) and any, all (truth_test)
    "arg_extreme": """\
a : array_like
axis : int, optional
    The axis to search along; by default the index is into the flattened array.
out : numpy.ndarray, optional
    Where to write the result, as for NumPy.
keepdims : bool, optional
    Keep the reduced axis, with length one.

Returns
-------
numpy.ndarray or numpy.intp""",
    "truth_test": """\
a : array_like
axis : int or tuple of ints, optional
    The axes to reduce; all of them by default.
out : numpy.ndarray, optional
    Where to write the result, as for NumPy.
keepdims : bool, default False
    Keep the reduced axes, with length one.
where : array_like of bool, optional
    Only the elements where this is True take part (NumPy's meaning).

Returns
-------
numpy.ndarray or numpy.bool""",
    # the ufuncs' keywords
    "nan_to_num": "nan_to_num : bool, default True\n"
    "    The derivative of ``absolute`` at 0: 0 (the default) or, with False, NaN.",
    "ufunc_out": "out : numpy.ndarray or Tensor, optional\n"
    "    Where to write the result; a Tensor is written in place (and stays differentiable).",
    "ufunc_where": "where : array_like of bool, optional\n"
    "    Compute only where True, as NumPy does; the other elements get no gradient.",
    "ufunc_dtype": "dtype : data-type, optional\n"
    "    The type to compute in, as NumPy's ``dtype=``; gradients keep each input's dtype.",
    # making tensors
    "shape": "shape : int or tuple of ints\n    The tensor's shape.",
    "new_constant": "constant : bool, optional\n"
    "    Whether the tensor is a constant. By default floating-point tensors are differentiable and integer\n"
    "    and boolean tensors are constants (they must be).",
    "like_constant": "constant : bool, optional\n    Whether the result is a constant (see above).",
    "like_dtype_shape": "dtype : data-type, optional\n    Default: ``other``'s.\n"
    "shape : int or tuple of ints, optional\n    Default: ``other``'s.",
    "transform_parameters": "Parameters\n----------\n$scalar_fun\n$argnums",
    "scalar_fun": "fun : callable\n"
    "    Called with the arguments (tensors in place of the differentiated ones); returns a single value (an\n"
    "    array, Tensor or number of size one).",
    "argnums": "argnums : int or sequence of int, default 0\n"
    "    The position(s) of the argument(s) to differentiate with respect to; a sequence gives a tuple of\n"
    "    results, one per position.",
}

shared_docstring = docstring_fragments(FRAGMENTS)
