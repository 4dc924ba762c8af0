"""Every public name of mygrad.nnet has a complete numpydoc docstring.

Each name of the families' ``__all__`` (those the API page docs/api/nnet.rst lists, and
``mygrad.nnet.layers.utils``) must have a docstring with an ``Examples`` section of ``>>>`` examples, which
test_docstrings.py runs, and a ``Parameters`` section that matches its signature: no parameter missing, none
that the signature lacks (``*args``/``**kwargs`` with or without their stars; ``Other Parameters`` counts).
mygrad-core's tests/test_docstring_coverage.py checks the same for every page of the documentation.
"""

from __future__ import annotations

import inspect
import re

import pytest

import mygrad.nnet


def _public_names() -> list[tuple[str, object]]:
    modules = [mygrad.nnet.activations, mygrad.nnet.initializers, mygrad.nnet.layers, mygrad.nnet.losses]
    modules.append(mygrad.nnet.layers.utils)
    return [
        (f"{module.__name__}.{name}", getattr(module, name))
        for module in modules
        for name in getattr(module, "__all__", ())
    ]


PUBLIC = _public_names()


# ------------------------------------------------------------------------------------- numpydoc sections
_HEADER = re.compile(r"^(\w[\w ]*)\n(-{3,})$", flags=re.M)


def sections(doc: str) -> dict[str, str]:
    """A cleaned docstring's numpydoc sections: heading -> text (a heading is underlined with dashes)."""
    matches = [m for m in _HEADER.finditer(doc) if len(m.group(2)) == len(m.group(1))]
    ends = [m.start() for m in matches[1:]] + [len(doc)]
    return {m.group(1): doc[m.end() : end] for m, end in zip(matches, ends)}


def documented_parameters(doc: str, obj: object) -> list[str]:
    """The names the Parameters-like sections document (unindented ``name : type`` lines), stars dropped."""
    found = sections(doc)
    headings = ["Parameters", "Other Parameters"] + (["Attributes"] if inspect.isclass(obj) else [])
    lines = [line for h in headings for line in found.get(h, "").splitlines() if line[:1].strip()]
    return [name.strip().lstrip("*") for line in lines for name in line.split(" : ")[0].split(",")]


def signature_parameters(obj: object) -> list[str] | None:
    """The parameters a Parameters section must document (None: no signature to check)."""
    if inspect.isclass(obj) and not getattr(obj.__init__, "__module__", "").startswith("mygrad"):
        return None
    if not (inspect.isclass(obj) or inspect.isroutine(obj)):
        return None
    params = [p.name for p in inspect.signature(obj).parameters.values()]
    return [name for name in params if name != "self" and not name.startswith("_")]


def check_docstring(name: str, obj: object) -> None:
    doc = inspect.getdoc(obj) if obj.__doc__ else None
    assert doc, f"{name} has no docstring"
    assert ">>>" in sections(doc).get("Examples", ""), f"{name}'s docstring has no Examples section"
    expected = signature_parameters(obj)
    if expected is not None:
        documented = documented_parameters(doc, obj)
        missing = [p for p in expected if p not in documented]
        unknown = [p for p in documented if p not in expected]
        assert not missing, f"{name}: no Parameters entry for {missing} (signature: {expected})"
        assert not unknown, f"{name}: Parameters documents {unknown}, not in the signature {expected}"


def test_the_names_are_found():
    names = {name for name, _ in PUBLIC}
    assert {"mygrad.nnet.layers.conv_nd", "mygrad.nnet.activations.relu"} <= names
    assert "mygrad.nnet.layers.utils.sliding_window_view" in names


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[name for name, _ in PUBLIC])
def test_docstring_is_complete(name, obj):
    check_docstring(name, obj)


def test_the_check_fails_on_an_incomplete_docstring():
    def f(x, y=1):
        """Summary.

        Parameters
        ----------
        x : int
        z : int

        Examples
        --------
        >>> f(1)
        """

    with pytest.raises(AssertionError, match="no Parameters entry for"):
        check_docstring("f", f)
    f.__doc__ = "Summary, without examples."
    with pytest.raises(AssertionError, match="no Examples section"):
        check_docstring("f", f)
