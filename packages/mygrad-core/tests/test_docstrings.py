"""Every example in mygrad's docstrings (and the README) runs and shows what it says."""

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import mygrad

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(mygrad.__path__, prefix="mygrad.")
    if info.name.startswith("mygrad.")
    and ".nnet" not in info.name
    and ".computational_graph" not in info.name
)
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


@pytest.mark.parametrize("name", ["mygrad", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    _run(doctest.DocTestFinder().find(module, name))


@pytest.mark.skipif(not README.exists(), reason="the README is not beside an installed package")
def test_readme_examples():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README shows no Python example"
    parser = doctest.DocTestParser()
    _run([parser.get_doctest(block, {}, f"README-{i}", str(README), 0) for i, block in enumerate(blocks)])
