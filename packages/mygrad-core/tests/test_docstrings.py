"""Every example in mygrad's docstrings (and the README) runs and shows what it says."""

import doctest
import importlib
import pkgutil
import re
import types
from pathlib import Path

import pytest

import mygrad

OTHER_DISTRIBUTIONS = ("mygrad.nnet", "mygrad.computational_graph")  # their own suites run their doctests


def _modules(package: str, path: list[str]) -> list[str]:
    """Every module under ``path``, namespace subpackages included (``mygrad._core`` has no ``__init__.py``,
    so ``pkgutil.walk_packages`` alone would skip it)."""
    names = []
    for info in pkgutil.iter_modules(path, prefix=package + "."):
        if info.name.startswith(OTHER_DISTRIBUTIONS):
            continue
        names.append(info.name)
        if info.ispkg:
            names += _modules(info.name, importlib.import_module(info.name).__path__)
    for directory in path:  # namespace packages: directories of modules without an __init__.py
        for sub in sorted(Path(directory).iterdir()):
            name = f"{package}.{sub.name}"
            if sub.is_dir() and not (sub / "__init__.py").exists() and any(sub.glob("*.py")):
                names += [name, *_modules(name, [str(sub)])]
    return names


MODULES = sorted(set(_modules("mygrad", list(mygrad.__path__))))
README = Path(__file__).resolve().parents[3] / "README.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _run(tests: list[doctest.DocTest]) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in tests:
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, (
        f"{results.failed} of {results.attempted} doctest examples failed (see stdout)"
    )


def find_doctests(module: types.ModuleType) -> list[doctest.DocTest]:
    """The examples of ``module``'s docstrings, as :class:`doctest.DocTestFinder` finds them, and those of the
    slots of its classes (a ``__slots__`` dict's values are the slots' docstrings, which the finder skips)."""
    tests = doctest.DocTestFinder().find(module, module.__name__)
    parser = doctest.DocTestParser()
    for cls in vars(module).values():
        if not (isinstance(cls, type) and cls.__module__ == module.__name__):
            continue
        slots = vars(cls).get("__slots__")
        for slot, doc in slots.items() if isinstance(slots, dict) else ():
            if isinstance(doc, str) and ">>>" in doc:
                name = f"{module.__name__}.{cls.__qualname__}.{slot}"
                tests.append(parser.get_doctest(doc, {}, name, module.__file__, None))
    return tests


# modules whose examples need an optional library (mygrad-core's extras): run where it is installed
NEEDS = {"mygrad.testing.backends": "dask"}


@pytest.mark.parametrize("name", ["mygrad", *MODULES])
def test_docstring_examples(name):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    _run(find_doctests(importlib.import_module(name)))


@pytest.mark.skipif(not README.exists(), reason="the README is not beside an installed package")
def test_readme_examples():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README shows no Python example"
    parser = doctest.DocTestParser()
    _run([parser.get_doctest(block, {}, f"README-{i}", str(README), 0) for i, block in enumerate(blocks)])
