"""Sphinx configuration of the documentation site of mygrad's three distributions.

Build (from the repository root) with ``nox -s docs``, or by hand once the three packages and the docs
requirements are installed::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W --keep-going -b doctest docs docs/_build/doctest

The API pages are written by autosummary at build time into ``docs/api/generated/`` (never committed); the
graph diagrams are drawn at build time into ``docs/_generated/`` (see ``docs/scripts/render_diagrams.py``).
"""

from __future__ import annotations

import doctest
import importlib
import shutil
import sys
from pathlib import Path

from sphinx.errors import ConfigError

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "scripts"))

# The site documents all three distributions: a missing one is an error, never a silently shorter site.
_DISTRIBUTIONS = {
    "mygrad": "mygrad-core",
    "mygrad.nnet": "mygrad-nnet",
    "mygrad.computational_graph": "mygrad-viz",
}
for _module, _distribution in _DISTRIBUTIONS.items():
    try:
        importlib.import_module(_module)
    except ImportError as _error:
        raise ConfigError(
            f"The documentation covers `{_module}`, which the distribution {_distribution!r} provides, but it "
            f"cannot be imported ({_error}). Install the three distributions first, e.g. `pip install -e "
            "packages/mygrad-core -e packages/mygrad-nnet -e packages/mygrad-viz`, or run `nox -s docs`."
        ) from _error

if shutil.which("dot") is None:
    raise ConfigError(
        "The documentation draws graph diagrams with Graphviz's `dot` program, which is not on PATH. "
        "Install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; conda: `conda install graphviz`)."
    )

import mygrad  # noqa: E402

# Pages of names that were removed would linger in the generated folder (and be orphans): start afresh.
shutil.rmtree(DOCS / "api" / "generated", ignore_errors=True)

# -- Project -------------------------------------------------------------------------------------------
project = "mygrad"
author = "the mygrad developers"
copyright = "the mygrad developers"
release = mygrad.__version__
version = release

# -- General -------------------------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.graphviz",
    "sphinx.ext.mathjax",
    "numpydoc",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "README.md", "scripts"]
root_doc = "index"
default_role = "py:obj"

autosummary_generate = True
autosummary_ignore_module_all = False
autodoc_typehints = "none"  # the numpydoc sections say the types; signatures stay readable
autodoc_member_order = "bysource"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

graphviz_output_format = "svg"

# Every `>>>` block of every page (the API pages included) is run by `sphinx-build -b doctest`.
doctest_test_doctest_blocks = "default"
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1

# -- HTML ----------------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"mygrad {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "header_links_before_dropdown": 5,
}
html_sidebars = {"index": [], "install": [], "changelog/*": []}


def setup(app):
    from render_diagrams import render_all

    # drawn before the pages are read, so that `.. image:: /_generated/...` finds them
    app.connect("builder-inited", lambda app: render_all(DOCS / "_generated"))
    return {"parallel_read_safe": True}
