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
import inspect
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


def _numpy_inventory_names(path: Path) -> set[str]:
    """The dotted names (``numpy.linalg.norm``) that the inventory at ``path`` links."""
    from sphinx.util.inventory import InventoryFile

    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    return {name for objects in inventory.values() for name in objects}


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
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax itself, copied into the site: math renders with no network
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    "numpydoc",
]
templates_path = ["_templates"]
# examples/ holds the gallery's scripts; sphinx-gallery writes the pages of auto_examples/ from them
exclude_patterns = [
    "_build",
    "README.md",
    "scripts",
    "examples",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
]
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

# NumPy's names link to NumPy's reference through an inventory kept in the repository, so that the build
# never fetches one (docs/scripts/numpy_inventory.py writes it). Functions of mygrad that have a NumPy
# namesake link to it from their API page (see _templates/autosummary/callable.rst).
_NUMPY_INVENTORY = DOCS / "_intersphinx" / "numpy.inv"
intersphinx_mapping = {"numpy": ("https://numpy.org/doc/stable/", str(_NUMPY_INVENTORY))}
autosummary_context = {"numpy_names": sorted(_numpy_inventory_names(_NUMPY_INVENTORY))}

mathjax_path = "mathjax/tex-chtml.js"  # the copy that sphinx-mathjax-offline puts into _static/

# The copy button copies the code of a `>>>` or `$` example without its prompts and without its output.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# The gallery: the scripts of docs/examples/ run at every build, their figures and output put in the pages.
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # run every example
    "within_subsection_order": "FileNameSortKey",  # plot_1_..., plot_2_...: from the simplest
    "run_stale_examples": True,  # run even the unchanged ones: their output is always today's mygrad's
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "min_reported_time": 1,
    "write_computation_times": False,  # its page loads scripts from the network
    "reference_url": {"mygrad": None},  # the examples' names of mygrad link to its API pages
    "doc_module": ("mygrad",),
}

# Every `>>>` block of every page (the API pages included) is run by `sphinx-build -b doctest`.
doctest_test_doctest_blocks = "default"
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1

# -- HTML ----------------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"mygrad {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]  # a wider page, so that code examples are not cut off
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "header_links_before_dropdown": 4,
}
# Pages without sub-pages get no left sidebar: it would hold only an empty "Section Navigation".
_LEAF_PAGES = ["index", "install", "tutorial", "differences", "performance", "reliability", "developer"]
html_sidebars = {**{page: [] for page in _LEAF_PAGES}, "changelog/*": []}


def _hide_private_parameters(app, what, name, obj, options, signature, return_annotation):
    """Leave the parameters whose names start with ``_`` (``Tensor``'s ``_creator``, ``_base``) out of the
    signatures shown: they are for mygrad's own use."""
    if signature is None or "_" not in signature:
        return None
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return None
    if not any(p.name.startswith("_") for p in parameters):
        return None
    public = [
        p.replace(annotation=inspect.Parameter.empty)
        for p in parameters
        if not p.name.startswith("_") and p.name not in ("self", "cls")
    ]
    return str(inspect.Signature(public)), return_annotation


def setup(app):
    from render_diagrams import render_all

    # drawn before the pages are read, so that `.. image:: /_generated/...` finds them
    app.connect("builder-inited", lambda app: render_all(DOCS / "_generated"))
    app.connect("autodoc-process-signature", _hide_private_parameters)
    return {"parallel_read_safe": True}
