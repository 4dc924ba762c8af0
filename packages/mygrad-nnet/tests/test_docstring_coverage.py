"""Every public name of mygrad.nnet has a complete numpydoc docstring.

Each name of the families' ``__all__`` (those the API page docs/api/nnet.rst lists, and
``mygrad.nnet.layers.utils``) must pass :func:`mygrad.testing.docstrings.check_docstring`: an ``Examples``
section of ``>>>`` examples, which test_docstrings.py runs, and a ``Parameters`` section that matches its
signature. mygrad-core's tests/test_docstring_coverage.py checks the same for every page of the documentation.
"""

from __future__ import annotations

import pytest

import mygrad.nnet
from mygrad.testing.docstrings import check_docstring

MODULES = [
    mygrad.nnet.activations,
    mygrad.nnet.initializers,
    mygrad.nnet.layers,
    mygrad.nnet.losses,
    mygrad.nnet.layers.utils,
]
PUBLIC = {f"{module.__name__}.{name}": getattr(module, name) for module in MODULES for name in module.__all__}


def test_the_names_are_found():
    assert {"mygrad.nnet.layers.conv_nd", "mygrad.nnet.activations.relu"} <= set(PUBLIC)
    assert "mygrad.nnet.layers.utils.sliding_window_view" in PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_is_complete(name):
    check_docstring(PUBLIC[name], name)
