"""Every name that the API pages document has a complete numpydoc docstring.

The API pages (``docs/api/*.rst``, read as ``test_api_pages`` reads them) list the public names of the three
distributions; autosummary renders each one's docstring, and the members of the classes it renders with the
``autosummary/class.rst`` template. These tests fail for any of them whose documentation

* has no ``Examples`` section (names documented by a ``.. py:*::`` directive on a page instead carry their
  examples, ``>>>`` lines, in the directive's body), or
* has a ``Parameters`` section that does not match the signature (:func:`inspect.signature`): a parameter
  documented that the signature lacks, or one of the signature's parameters left out. ``*args``/``**kwargs``
  may be written with or without their stars; a parameter may also be listed under ``Other Parameters``
  (or, for a class, ``Attributes``); private (``_name``) parameters need no entry;
* or whose examples are not found by the doctest collection of ``test_docstrings.py`` (and of mygrad-nnet's
  and mygrad-viz's test suites), which runs them.

The docstrings are read by :mod:`mygrad.testing.docstrings` (the checks that mygrad-nnet's and mygrad-viz's
suites run on their names too).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest
import test_docstrings
from test_api_pages import API_DIR, DOCUMENTED, Entry, _installed, _resolve, page_entries

import mygrad
from mygrad._ops.registry import _UfuncType
from mygrad.testing.docstrings import check_docstring, documented_parameters, sections, signature_parameters

pytestmark = pytest.mark.skipif(
    not (API_DIR / "index.rst").is_file(), reason="the docs/ folder is not beside the package (not a clone)"
)

EXTENSIONS = ("mygrad.nnet", "mygrad.computational_graph")  # other distributions: checked when installed
CLASS_TEMPLATE = "autosummary/class.rst"  # renders the class's own public members and its __call__


_MISSING_EXTENSIONS = tuple(ext for ext in EXTENSIONS if not _installed(ext))


def _lookup(name: str) -> tuple[object, str | None]:
    """The object a qualified name documents, and its docstring. An attribute of a class is looked up on the
    class itself (``inspect.getattr_static``), so that a property or slot gives its own docstring."""
    owner_name, _, attr = name.rpartition(".")
    try:
        owner = importlib.import_module(owner_name)
    except ImportError:  # not a module: a class (or a module's attribute)
        owner = _resolve(owner_name)
    if inspect.isclass(owner) and not isinstance(owner, _UfuncType):
        obj = inspect.getattr_static(owner, attr)
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
    else:
        obj = _resolve(name)
    # a slot is documented by its class's __slots__ dict, if any (inspect.getdoc reads it)
    doc = inspect.getdoc(obj) if inspect.ismemberdescriptor(obj) else obj.__doc__
    return obj, inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def _class_members(name: str) -> list[str]:
    """The members autodoc renders with ``:members:`` and ``:special-members: __call__``: the public members
    the class itself defines that have a docstring, and its own ``__call__``."""
    members = []
    for attr, value in vars(_resolve(name)).items():
        rendered = attr == "__call__" or (not attr.startswith("_") and getattr(value, "__doc__", None))
        if rendered and (inspect.isroutine(value) or isinstance(value, property)):
            members.append(f"{name}.{attr}")
    return members


def _documented() -> list[Entry]:
    entries = [e for e in page_entries() if e.name.startswith("mygrad.")]
    entries = [e for e in entries if not e.name.startswith(tuple(ext + "." for ext in _MISSING_EXTENSIONS))]
    members = []
    for entry in entries:
        if entry.template == CLASS_TEMPLATE:
            members += [Entry(m, m) for m in _class_members(entry.name)]
    # a name listed twice (once per module it is in) is checked once, under its first spelling
    unique: dict[str, Entry] = {}
    for entry in entries + members:
        unique.setdefault(entry.name, entry)
    return list(unique.values())


ENTRIES = _documented()


def _ids(entries: list[Entry]) -> list[str]:
    return [e.name for e in entries]


def test_the_pages_are_read_as_test_api_pages_reads_them():
    names = {e.name for e in page_entries()}
    qualified = {n for n in DOCUMENTED if n.startswith("mygrad.")}
    assert qualified <= names, sorted(qualified - names)
    assert "mygrad.Tensor.grad" in names and "mygrad.operation_base.Operation.backward" in {
        e.name for e in ENTRIES
    }, "the class members rendered by autodoc were not found"


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_has_examples(entry: Entry):
    if entry.body is not None:  # a directive on a page: the examples are in its body
        assert ">>>" in entry.body, f"the `.. py:` directive of {entry.name} shows no example (`>>>` lines)"
        return
    obj, doc = _lookup(entry.name)
    assert doc, f"{entry.name} has no docstring"
    examples = sections(doc).get("Examples", "")
    assert ">>>" in examples, f"{entry.name}'s docstring has no Examples section with `>>>` examples"


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_parameters_match_the_signature(entry: Entry):
    if entry.body is not None:
        return
    obj, doc = _lookup(entry.name)
    expected = signature_parameters(obj)
    if expected is None or doc is None:
        pytest.skip("nothing to check: not a routine, a ufunc or a class with a constructor of mygrad's")
    documented = documented_parameters(doc, obj)
    undocumented = [name for name in expected if name not in documented]
    unknown = [name for name in documented if name not in expected]
    assert not undocumented, f"{entry.name}: no Parameters entry for {undocumented} (signature: {expected})"
    assert not unknown, f"{entry.name}: Parameters documents {unknown}, not in the signature {expected}"


# ------------------------------------------------------------------------------- examples run as doctests
def _doctest_modules(package: str) -> list[str]:
    """The modules whose doctests a distribution's suite runs (test_docstrings.py; mygrad-viz's
    test_package.py runs those of its package and modules)."""
    if package == "mygrad":
        return ["mygrad", *test_docstrings.MODULES]
    root = importlib.import_module(package)  # mygrad-nnet's and mygrad-viz's walk their packages so
    return [package, *(info.name for info in pkgutil.walk_packages(root.__path__, prefix=package + "."))]


def _collected_docstrings() -> set[str]:
    found = set()
    for package in ("mygrad", *(ext for ext in EXTENSIONS if ext not in _MISSING_EXTENSIONS)):
        for name in _doctest_modules(package):
            module = importlib.import_module(name)
            finder = test_docstrings.find_doctests if package == "mygrad" else doctest.DocTestFinder().find
            for test in finder(module):
                if test.examples and test.docstring:
                    found.add(inspect.cleandoc(test.docstring))
    return found


def test_every_documented_example_is_collected_as_a_doctest():
    collected = _collected_docstrings()
    missing = []
    for entry in ENTRIES:
        if entry.body is not None:
            continue  # on a page: the docs' doctest builder runs it
        _, doc = _lookup(entry.name)
        if doc and ">>>" in doc and doc not in collected:
            missing.append(entry.name)
    assert missing == [], "the test_docstrings.py doctests do not find these docstrings' examples"


def test_the_checks_fail_on_incomplete_docstrings():
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

    with pytest.raises(AssertionError, match=r"no Parameters entry for \['y'\]"):
        check_docstring(f)
    indent = re.search(r"( *)z : int", f.__doc__)[1]  # (Python 3.13 strips docstrings' common indentation)
    f.__doc__ = f.__doc__.replace("z : int", f"y : int\n{indent}w : int")
    with pytest.raises(AssertionError, match=r"Parameters documents \['w'\]"):
        check_docstring(f)
    f.__doc__ = "Summary, without examples."
    with pytest.raises(AssertionError, match="no Examples section"):
        check_docstring(f)
    assert signature_parameters(mygrad.exp) == ["x", "out", "where", "dtype", "constant"]
