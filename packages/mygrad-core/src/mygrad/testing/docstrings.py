"""Checks that a docstring is complete numpydoc: a ``Parameters`` section that matches the signature, and
examples.

mygrad's three test suites run :func:`check_docstring` on every public name; the tests of your own operations
can too. The docstrings are parsed by hand (numpydoc itself is not needed).
"""

from __future__ import annotations

import inspect
import re
from typing import Any

__all__ = ["check_docstring", "documented_parameters", "sections", "signature_parameters"]

_HEADER = re.compile(r"^(\w[\w ]*)\n(-{3,})$", flags=re.M)


def sections(doc: str) -> dict[str, str]:
    """A cleaned docstring's numpydoc sections: heading -> text (a heading is underlined with dashes).

    Parameters
    ----------
    doc : str
        The docstring, cleaned (:func:`inspect.cleandoc`).

    Returns
    -------
    dict[str, str]

    Examples
    --------
    >>> from mygrad.testing.docstrings import sections
    >>> sections("Summary.\\n\\nReturns\\n-------\\nTensor\\n")
    {'Returns': '\\nTensor\\n'}
    """
    matches = [m for m in _HEADER.finditer(doc) if len(m.group(2)) == len(m.group(1))]
    ends = [m.start() for m in matches[1:]] + [len(doc)]
    return {m.group(1): doc[m.end() : end] for m, end in zip(matches, ends)}


def documented_parameters(doc: str, obj: object) -> list[str]:
    """The names that the ``Parameters`` and ``Other Parameters`` sections (and a class's ``Attributes``)
    document: their unindented ``name : type`` lines, where a line may name several (``x, y : array_like``),
    stars dropped (``*args``).

    Parameters
    ----------
    doc : str
        The docstring, cleaned (:func:`inspect.cleandoc`).
    obj : object
        What it documents.

    Returns
    -------
    list[str]

    Examples
    --------
    >>> from mygrad.testing.docstrings import documented_parameters
    >>> documented_parameters("Parameters\\n----------\\nx, y : array_like\\n*shape : int\\n", len)
    ['x', 'y', 'shape']
    """
    found = sections(doc)
    headings = ["Parameters", "Other Parameters"] + (["Attributes"] if inspect.isclass(obj) else [])
    lines = [line for h in headings for line in found.get(h, "").splitlines() if line[:1].strip()]
    return [name.strip().lstrip("*") for line in lines for name in line.split(" : ")[0].split(",")]


def signature_parameters(obj: Any) -> list[str] | None:
    """The parameters that ``obj``'s ``Parameters`` section must document: those of its signature, but
    ``self`` and private (``_name``) ones; None if it has no signature to check (neither a routine, nor a
    mygrad ufunc, nor a class whose constructor mygrad or an extension defines).

    Parameters
    ----------
    obj : object

    Returns
    -------
    list[str] or None

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.testing.docstrings import signature_parameters
    >>> signature_parameters(mg.add)
    ['x1', 'x2', 'out', 'where', 'dtype', 'constant']
    >>> signature_parameters(mg.Tensor.backward)
    ['grad', 'create_graph']
    """
    from mygrad import ufunc

    is_ufunc = isinstance(obj, type) and issubclass(obj, ufunc)
    if inspect.isclass(obj) and not is_ufunc:
        if issubclass(obj, type) or not getattr(obj.__init__, "__module__", "").startswith("mygrad"):
            return None
    elif not (is_ufunc or inspect.isroutine(obj)):
        return None
    params = [p.name for p in inspect.signature(obj).parameters.values()]
    return [name for name in params if name != "self" and not name.startswith("_")]


def check_docstring(obj: object, name: str | None = None) -> None:
    """Assert that ``obj`` has a complete numpydoc docstring: an ``Examples`` section with ``>>>`` examples,
    and a ``Parameters`` section that documents each parameter of its signature and no other.

    Parameters
    ----------
    obj : object
        A function, class or mygrad ufunc.
    name : str, optional
        The name to report it by; its ``__qualname__`` by default.

    Raises
    ------
    AssertionError
        Saying what is missing or extra.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.testing.docstrings import check_docstring
    >>> check_docstring(mg.sum)
    >>> def f(x, y):
    ...     '''Summary, without a Parameters section.'''
    >>> check_docstring(f)
    Traceback (most recent call last):
      ...
    AssertionError: f's docstring has no Examples section with `>>>` examples
    """
    name = name or getattr(obj, "__qualname__", repr(obj))
    doc = inspect.cleandoc(obj.__doc__) if isinstance(obj.__doc__, str) and obj.__doc__.strip() else None
    assert doc, f"{name} has no docstring"
    assert ">>>" in sections(doc).get("Examples", ""), (
        f"{name}'s docstring has no Examples section with `>>>` examples"
    )
    expected = signature_parameters(obj)
    if expected is not None:
        documented = documented_parameters(doc, obj)
        missing = [p for p in expected if p not in documented]
        unknown = [p for p in documented if p not in expected]
        assert not missing, f"{name}: no Parameters entry for {missing} (signature: {expected})"
        assert not unknown, f"{name}: Parameters documents {unknown}, not in the signature {expected}"
