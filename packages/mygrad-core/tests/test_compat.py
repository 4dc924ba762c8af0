"""MyGrad 2's module paths: every public module of MyGrad 2.5.0 imports and holds what the table says.

The table (``src/mygrad/_compat_table.json``, written from MyGrad 2.5.0 by make_compat_table.py) is walked
whole: each module path imports, each of its names is the object the table names, ``__all__`` holds only such
names. The paths of mygrad-nnet and mygrad-viz are checked where those distributions are installed.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import numpy as np
import pytest

import mygrad as mg
from mygrad._compat import ALL, MODULES, OWN, PACKAGES, resolve

EXTENSIONS = ("mygrad.nnet", "mygrad.computational_graph")


def _import(path: str, *needing: str) -> types.ModuleType:
    """The module at ``path``; the test is skipped if it (or a module of ``needing``) is an extension's that
    is not installed."""
    for name in (path, *needing):
        for extension in EXTENSIONS:
            if name == extension or name.startswith(extension + "."):
                pytest.importorskip(extension)
    return importlib.import_module(path)


ENTRIES = [(path, name) for path, names in MODULES.items() for name in names]


def test_the_table_covers_mygrad_2():
    assert len(MODULES) == 84 and len(ENTRIES) > 650
    assert MODULES["mygrad.math.arithmetic.ops"]["Add"] == "op:Add"
    assert MODULES["mygrad.nnet.activations.relu"]["relu"] == "mygrad.nnet:relu"


@pytest.mark.parametrize("path, name", ENTRIES, ids=[f"{path}.{name}" for path, name in ENTRIES])
def test_every_entry_resolves_to_mygrads_object(path, name):
    module = _import(path, MODULES[path][name])
    assert getattr(module, name) is resolve(MODULES[path][name])
    assert name in dir(module) or path in OWN  # mygrad's own modules keep their own dir()


@pytest.mark.parametrize("path", sorted(MODULES))
def test_every_module_has_mygrad_2s_all_and_packages_their_path(path):
    module = _import(path)
    if path in ALL and path not in OWN:
        assert module.__all__ == ALL[path]
    if path in PACKAGES:
        assert isinstance(module.__path__, list), f"{path} must have a __path__ for its submodules to import"
    assert all(hasattr(module, name) for name in getattr(module, "__all__", ()))


def test_the_operation_classes_are_the_creators_of_mygrads_results():
    from mygrad.linalg.ops import EinSum
    from mygrad.math.arithmetic.ops import Add, Multiply, Power
    from mygrad.math.misc.ops import Abs, MatMul
    from mygrad.math.sequential.ops import StdDev, Sum, Variance
    from mygrad.tensor_base import GetItem
    from mygrad.tensor_manip.array_shape.ops import Reshape

    x = mg.tensor([[1.0, -2.0], [3.0, 4.0]])
    cases = [
        (x + 1, Add),
        (mg.add(x, x), Add),
        (np.add(x, 2), Add),
        (x * x, Multiply),
        (x**3, Power),
        (np.abs(x), Abs),
        (x @ x, MatMul),
        (x.sum(), Sum),
        (mg.std(x), StdDev),
        (np.var(x), Variance),
        (x[0], GetItem),
        (x.reshape(4), Reshape),
        (mg.einsum("ij->i", x), EinSum),
    ]
    for result, op in cases:
        assert isinstance(result.creator, op), (result.creator, op)


def test_submodules_of_what_is_a_plain_module_here_import():
    # mygrad.tensor_creation is a module, MyGrad 2's a package: it was given a __path__
    from mygrad.tensor_creation.funcs import arange

    assert arange is mg.arange
    assert mg.tensor_creation.funcs.zeros is mg.zeros


def test_submodules_are_attributes_of_their_parents_without_an_import():
    # as in MyGrad 2, whose packages imported their submodules
    code = (
        "import mygrad as mg; print(mg.math.arithmetic.ops.Add.__name__, mg.tensor_manip.tiling.funcs.repeat)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("Add <function repeat")


def test_alias_modules_look_like_modules():
    import mygrad.math.arithmetic as arithmetic
    import mygrad.math.arithmetic.funcs as funcs

    assert arithmetic.funcs is funcs and arithmetic.__path__ == []
    assert funcs.__all__ == ALL["mygrad.math.arithmetic.funcs"]
    assert {"add", "Add", "multiply_sequence"} <= set(dir(funcs))
    assert "np" not in dir(funcs)  # what MyGrad 2 only imported for its own use is not kept
    namespace: dict = {}
    exec("from mygrad.math.arithmetic.funcs import *", namespace)
    assert namespace["add"] is mg.add and "Add" not in namespace
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        funcs.nope  # noqa: B018
    with pytest.raises(ImportError):
        import mygrad.math.arithmetic.nope  # noqa: F401


def test_mygrads_own_modules_get_the_names_they_lack():
    from mygrad.tensor_base import Add, astensor, tensor

    assert Add is resolve("op:Add") and tensor is mg.tensor and astensor is mg.astensor
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        mg.tensor_base.nope  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        mg.nope  # noqa: B018  (mygrad's own __getattr__ still answers)


def test_core_never_imports_the_extensions():
    core_paths = [p for p in MODULES if not any(p == e or p.startswith(e + ".") for e in EXTENSIONS)]
    code = (
        "import importlib, sys\n"
        f"for path in {core_paths!r}: importlib.import_module(path)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({EXTENSIONS!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_extension_not_installed_is_absent_the_ordinary_way():
    # as with mygrad-core alone: the table names mygrad.nnet, yet hasattr/getattr answer as for any absent name
    code = r"""
import importlib.abc, importlib.util, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.startswith(("mygrad.nnet", "mygrad.computational_graph")):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
import mygrad
for name, distribution in [("nnet", "mygrad-nnet"), ("computational_graph", "mygrad-viz")]:
    assert not hasattr(mygrad, name), name
    assert getattr(mygrad, name, None) is None, name
    try:
        getattr(mygrad, name)
    except AttributeError as error:
        assert distribution in str(error), error
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
