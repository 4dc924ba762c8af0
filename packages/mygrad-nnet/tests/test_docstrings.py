"""Every example in mygrad.nnet's docstrings runs and shows what it says."""

import doctest
import importlib
import pkgutil

import pytest

import mygrad.nnet

MODULES = sorted(info.name for info in pkgutil.walk_packages(mygrad.nnet.__path__, prefix="mygrad.nnet."))


@pytest.mark.parametrize("name", ["mygrad.nnet", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, (
        f"{results.failed} of {results.attempted} examples failed in {name} (see stdout)"
    )
