"""The static public surface (what type checkers and editors read) is the registry's, and is current.

``python -m mygrad._surface`` writes the registry's names into marked blocks of the source: the imports and
``__all__`` of ``mygrad`` and ``mygrad.math``, and the Tensor class's ``TYPE_CHECKING`` declarations of the
methods that the ops attach. These tests fail while a block is stale (run the command), and check that what
runs is what is declared.
"""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

import numpy as np
import pytest

import mygrad
import mygrad.math
from mygrad import _surface
from mygrad._core import tensor as tensor_module
from mygrad._ops.registry import METHODS, PUBLIC

UFUNCS = sorted(
    (name, obj) for name, obj in PUBLIC.items() if isinstance(obj, type) and issubclass(obj, mygrad.ufunc)
)


def test_the_generated_blocks_are_current():
    assert _surface.stale_blocks() == [], "run `python -m mygrad._surface` to write the registry's surface"


def test_every_registered_name_is_declared_in_mygrad():
    tree = ast.parse(Path(mygrad.__file__).read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}  # fmt: skip
    assert "*" in imported  # `from mygrad.math import *`
    assert set(PUBLIC) <= imported | set(mygrad.math.__all__)
    assert set(PUBLIC) <= set(mygrad.__all__)
    for name in mygrad.__all__:
        assert hasattr(mygrad, name), name


def test_mygrad_math_holds_the_math_families():
    assert set(mygrad.math.__all__) == set(_surface.math_names())
    for name in mygrad.math.__all__:
        assert getattr(mygrad.math, name) is getattr(mygrad, name), name
    ufuncs = {name for name, obj in UFUNCS if name != "matmul"}
    assert ufuncs <= set(mygrad.math.__all__), "every elementwise ufunc is a mathematical function"


def test_mygrad_math_is_the_math_api_page():
    page = Path(__file__).resolve().parents[3] / "docs" / "api" / "math.rst"
    if not page.is_file():
        pytest.skip("the docs/ folder is not beside the package (not a clone)")
    entries = {
        line.strip() for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("   ")
    }
    listed = {entry for entry in entries if entry.isidentifier()}
    assert listed == set(mygrad.math.__all__)


def _declared_methods() -> dict[str, ast.FunctionDef]:
    """Tensor's declarations in the TYPE_CHECKING block of its class body."""
    tree = ast.parse(Path(tensor_module.__file__).read_text(encoding="utf-8"))
    (tensor,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Tensor"]
    blocks = [
        node for node in tensor.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {f.name: f for block in blocks for f in block.body if isinstance(f, ast.FunctionDef)}


def test_tensor_declares_every_attached_method():
    declared = _declared_methods()
    assert set(declared) == set(METHODS)
    for name, member in METHODS.items():
        assert inspect.getattr_static(mygrad.Tensor, name) is member, name
        decorators = [ast.unparse(d) for d in declared[name].decorator_list]
        assert decorators == (["property"] if isinstance(member, property) else []), name


def test_every_member_of_tensor_is_defined_in_its_class_or_attached_by_the_registry():
    # so that none escapes the static surface: no `setattr(Tensor, ...)` outside tensor_method
    tree = ast.parse(Path(tensor_module.__file__).read_text(encoding="utf-8"))
    (tensor,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Tensor"]
    own = {node.name for node in tensor.body if isinstance(node, ast.FunctionDef)}
    own |= {t.id for node in tensor.body if isinstance(node, ast.Assign) for t in node.targets}

    class Empty:  # what the class statement itself gives a class (Python 3.13 adds __firstlineno__ ...)
        __slots__ = ()

    own |= set(mygrad.Tensor.__slots__) | set(vars(Empty)) | {"__annotations__"}
    assert set(vars(mygrad.Tensor)) - own == set(METHODS)


def test_the_declared_signatures_are_the_attached_functions():
    declared = _declared_methods()
    for name, member in METHODS.items():
        func = inspect.unwrap(member.fget if isinstance(member, property) else member)
        runtime = [p.name for p in inspect.signature(func).parameters.values()][1:]
        args = declared[name].args
        static = [a.arg for a in [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []),
                                  *args.kwonlyargs, *([args.kwarg] if args.kwarg else [])]][1:]  # fmt: skip
        assert static == runtime, name


@pytest.mark.parametrize(("name", "mg_ufunc"), UFUNCS, ids=[name for name, _ in UFUNCS])
def test_ufuncs_carry_their_type_hints(name, mg_ufunc):
    # as MyGrad 2's: typing.get_type_hints gives the parameters' hints and `return: Tensor`
    hints = typing.get_type_hints(mg_ufunc)
    assert hints["return"] is mygrad.Tensor
    signature = inspect.signature(mg_ufunc)
    assert set(hints) == {*signature.parameters, "return"}
    inputs = [p for p in signature.parameters.values() if p.kind is p.POSITIONAL_ONLY]
    assert len(inputs) == mg_ufunc.nin == getattr(np, mg_ufunc.numpy_ufunc.__name__).nin
    assert {"out", "dtype", "constant"} <= set(signature.parameters)


def test_a_user_ufunc_takes_its_stubs_signature():
    from mygrad.operation_base import UnaryUfunc
    from mygrad.ufuncs import ufunc_creator

    class Cube(UnaryUfunc):
        numpy_ufunc = np.cbrt

    @ufunc_creator(Cube)
    def cube_root(x: mygrad.typing.ArrayLike, out=None, *, where=True, dtype=None, constant=None):
        """cube root"""

    assert list(inspect.signature(cube_root).parameters) == ["x", "out", "where", "dtype", "constant"]
    assert typing.get_type_hints(cube_root) == {"x": mygrad.typing.ArrayLike, "return": mygrad.Tensor}
