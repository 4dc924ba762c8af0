"""Every public name of mygrad.computational_graph has a complete numpydoc docstring.

Each name of ``mygrad.computational_graph.__all__`` must pass :func:`mygrad.testing.docstrings.check_docstring`:
an ``Examples`` section of ``>>>`` examples (test_package.py runs them) and a ``Parameters`` section that matches
its signature. mygrad-core's tests/test_docstring_coverage.py checks the same for every page of the documentation.
"""

from __future__ import annotations

import pytest

import mygrad.computational_graph as viz
from mygrad.testing.docstrings import check_docstring

PUBLIC = {f"{viz.__name__}.{name}": getattr(viz, name) for name in viz.__all__}


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_is_complete(name):
    check_docstring(PUBLIC[name], name)
