"""MyGrad 2's module paths (``mygrad.math.arithmetic.ops``, ``mygrad.nnet.activations.relu``, ...), served from
one table.

mygrad keeps its code in fewer modules than MyGrad 2 did, yet every public module path of MyGrad 2.5.0 imports
and gives the same functions, and the operation classes that users compare ``tensor.creator`` against
(``isinstance((x + 1).creator, Add)``). ``_compat_table.json``, written once from MyGrad 2.5.0 by
``tests/make_compat_table.py``, lists each of those modules' names with where mygrad keeps it: ``"mygrad:add"``
(module and attribute), ``"mygrad.math.arithmetic"`` (a module) or ``"op:Add"`` (an operation class, by name,
from mygrad's registry of primitives). Importing this module (``mygrad/__init__.py`` does) installs:

* a finder at the end of :data:`sys.meta_path` that builds an *alias module* for a path that mygrad has no
  module of, with the table's names for it (resolved on first use), its ``__all__``, and an empty
  ``__path__`` where MyGrad 2 had a package, so that its submodules import too. The paths of mygrad-nnet and
  mygrad-viz are module names here: they are imported only when such a path is;
* for a module that mygrad does have, the names MyGrad 2 had there and it lacks (``mygrad.tensor_base.Add``),
  through the module's ``__getattr__``, and an empty ``__path__`` if MyGrad 2's was a package (the import
  system asks a module for its submodules only if it has one; mygrad-nnet's modules declare theirs).

As in MyGrad 2, ``mygrad.nnet.activations.relu`` stays the function after ``import
mygrad.nnet.activations.relu`` (which makes the alias module ``sys.modules["mygrad.nnet.activations.relu"]``):
the import system would set the alias module on its parent, and the parent keeps its own attribute instead.
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.resources import files
from importlib.util import spec_from_loader
from typing import Any

from mygrad._ops.registry import PRIMITIVES  # the one place the table's "op:" names are looked up

__all__ = ["ALL", "MODULES", "OWN", "PACKAGES", "resolve"]

_TABLE = json.loads(files("mygrad").joinpath("_compat_table.json").read_text(encoding="utf-8"))
MODULES: dict[str, dict[str, str]] = _TABLE["modules"]  # MyGrad 2 module -> {name: where mygrad keeps it}
ALL: dict[str, list[str]] = _TABLE["all"]  # the __all__ of the MyGrad 2 modules that had one
OWN = frozenset(_TABLE["own"])  # the paths that are mygrad's own modules: never aliases
PACKAGES = frozenset(_TABLE["packages"])  # MyGrad 2's packages


def resolve(target: str) -> Any:
    """The object a table entry names: ``"module:attribute"``, ``"module"`` or ``"op:Name"``."""
    module, _, attribute = target.partition(":")
    if module == "op":
        return PRIMITIVES[attribute]
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found


def _serve(module: types.ModuleType, names: Mapping[str, str]) -> None:
    """Give ``module`` the table's ``names`` it lacks, resolved on first access (PEP 562 ``__getattr__``), after
    the module's own ``__getattr__`` if it has one."""
    missing = {name: target for name, target in names.items() if name not in vars(module)}
    if not missing:
        return
    own: Callable[[str], Any] | None = vars(module).get("__getattr__")

    def __getattr__(name: str) -> Any:
        if name in missing:
            try:
                value = resolve(missing[name])
            except ModuleNotFoundError as error:
                module_path = missing[name].partition(":")[0]
                if not (error.name and f"{module_path}.".startswith(f"{error.name}.")):
                    raise  # the module is there but something it imports is not
                # a module of a distribution that is not installed (mygrad.nnet without mygrad-nnet): absent,
                # the way the module itself says (mygrad's names the distribution to install)
                if own is not None:
                    return own(name)
                raise AttributeError(
                    f"module {module.__name__!r} has no attribute {name!r}", name=name
                ) from None
            setattr(module, name, value)  # later reads find it directly
            return value
        if own is not None:
            return own(name)
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

    module.__getattr__ = __getattr__  # type: ignore[method-assign]


class _KeepsAttributes(types.ModuleType):
    """A module whose attributes are not replaced by the alias submodules of the same name that get imported
    (``mygrad.nnet.activations.relu`` is the function and the name of a MyGrad 2 submodule)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if not (
            isinstance(getattr(value, "__loader__", None), _AliasFinder)
            and _is_shadowed(vars(self).get(name))
        ):
            super().__setattr__(name, value)


def _is_shadowed(attribute: Any) -> bool:
    """Whether a module's ``attribute`` is something else than a submodule of the same name would be."""
    return attribute is not None and not isinstance(attribute, types.ModuleType)


class _AliasFinder(MetaPathFinder, Loader):
    """Finds and builds the alias modules: the table's paths that are not mygrad's own modules."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in MODULES or fullname in OWN:
            return None
        return spec_from_loader(fullname, self, is_package=fullname in PACKAGES)

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # a plain module

    def exec_module(self, module: types.ModuleType) -> None:
        name = module.__name__
        names = MODULES[name]
        module.__doc__ = f"MyGrad 2's ``{name}``, kept for code written for it: its names are mygrad's."
        module.__all__ = ALL.get(name, sorted(names))  # type: ignore[attr-defined]
        module.__dir__ = lambda: sorted({*vars(module), *names})  # type: ignore[method-assign]
        _serve(module, names)
        parent_name, _, child = name.rpartition(".")
        parent = sys.modules[parent_name]
        if _is_shadowed(vars(parent).get(child)) and type(parent) is types.ModuleType:
            parent.__class__ = _KeepsAttributes  # before the import system sets this module on it

    def __repr__(self) -> str:
        return f"<{__name__}.{type(self).__name__}>"


def _install() -> None:
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.append(_AliasFinder())
    for path in OWN:
        module = sys.modules.get(path)
        if module is None:  # mygrad-nnet's and mygrad-viz's modules hold MyGrad 2's names themselves
            continue
        if path in PACKAGES and not hasattr(module, "__path__"):
            module.__path__ = []  # type: ignore[attr-defined]
        _serve(module, MODULES[path])


_install()
