"""mygrad-viz as a distribution: its own version and py.typed, a subpackage of core's `mygrad` namespace."""

from __future__ import annotations

import importlib.metadata
import pickle
from pathlib import Path

import mygrad
import mygrad.computational_graph as viz

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SOURCE = PACKAGE_DIR / "src" / "mygrad"


def test_version_is_the_distribution_s():
    assert viz.__version__ == importlib.metadata.version("mygrad-viz")


def test_public_names():
    assert sorted(viz.__all__) == ["GraphSnapshot", "GraphvizNotFoundError", "build_graph", "snapshot_graph"]
    for name in viz.__all__:
        assert getattr(viz, name).__module__.startswith("mygrad.computational_graph")


def test_public_names_belong_to_the_public_module():
    # reprs, tracebacks and help() show where to import a name from, not the private module defining it
    for name in viz.__all__:
        assert getattr(viz, name).__module__ == "mygrad.computational_graph"
    assert repr(viz.GraphvizNotFoundError) == "<class 'mygrad.computational_graph.GraphvizNotFoundError'>"
    error = pickle.loads(pickle.dumps(viz.GraphvizNotFoundError("no dot")))
    assert type(error) is viz.GraphvizNotFoundError and str(error) == "no dot"


def test_typed_and_only_its_own_subpackage():
    assert (SOURCE / "computational_graph" / "py.typed").is_file()
    assert (SOURCE / "computational_graph" / "__init__.py").is_file()
    assert not (SOURCE / "__init__.py").exists()  # core owns `mygrad/__init__.py`
    assert sorted(p.name for p in SOURCE.iterdir()) == ["computational_graph"]


def test_importable_through_core_s_namespace():
    # from the source tree (editable install) or from site-packages (the wheel), always inside `mygrad`
    location = Path(viz.__file__).resolve().parent
    assert location.name == "computational_graph" and location.parent.name == "mygrad"
    assert mygrad.computational_graph is viz


def test_depends_on_core_and_graphviz():
    requires = importlib.metadata.requires("mygrad-viz")
    assert any(r.startswith("mygrad-core") for r in requires)
    assert any(r.startswith("graphviz") for r in requires)


def test_the_docstring_examples_hold():
    import doctest

    from mygrad.computational_graph import _build, _walk

    for module in (viz, _build, _walk):
        failures, _ = doctest.testmod(module, verbose=False)
        assert failures == 0, module.__name__
