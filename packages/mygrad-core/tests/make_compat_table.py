"""Write ``src/mygrad/_compat_table.json``: MyGrad 2.5.0's public module paths and where mygrad keeps each name.

Run it once, with mygrad's three distributions installed, giving an interpreter that has MyGrad 2.5.0::

    python tests/make_compat_table.py /path/to/python-with-mygrad-2.5.0

and commit the table (test_compat.py checks every entry against mygrad). It walks MyGrad 2.5.0 with
``pkgutil.walk_packages``: a module is public if no component of its path starts with an underscore. Of a
module's public names it keeps the ones MyGrad 2 offered as its API:

* in ``mygrad`` and ``mygrad.nnet`` (the namespaces users import from), every name;
* elsewhere, the names of the module's ``__all__``, its submodules, the operation classes it holds (what
  users compare ``tensor.creator`` against), and the functions and classes it defines itself,

so that the names a module imported only to use (``np``, ``Optional``, ``ArrayLike``) are left out. Each name
is mapped to mygrad's object:

* an operation class by name to mygrad's registry of primitives (``"op:Add"``), or to the nnet module that
  declares it (``"mygrad.nnet.activations:ReLU"``); ``RENAMED`` lists the classes mygrad names otherwise
  (the base classes for writing operations are found as other names are);
* a module to its path (``"mygrad.math.arithmetic.funcs"``);
* anything else to the first of the places MyGrad 2 also had it that mygrad has too: the module itself,
  ``mygrad``, ``mygrad.nnet``, then the other modules of mygrad (``"mygrad:add"``).

A name with no counterpart in mygrad is listed under ``left_out``.
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parents[1] / "src" / "mygrad" / "_compat_table.json"

# MyGrad 2's operation classes that mygrad declares under another name
RENAMED = {
    "MaxPoolND": "MaxPool",
    "ReLu": "ReLU",
    "StdDev": "Std",
    "Variance": "Var",
}

# Run by MyGrad 2.5.0's interpreter: its public modules, each name kept (see the module's docstring) with what
# it is, and every public place each object has.
_WALK = r"""
import importlib, inspect, json, pkgutil, sys, types
import mygrad, mygrad.nnet, mygrad.computational_graph
from mygrad.operation_base import Operation

BASES = {"Operation", "Ufunc", "UnaryUfunc", "BinaryUfunc", "Sequential", "MaxMin"}
paths = ["mygrad"] + [m.name for m in pkgutil.walk_packages(mygrad.__path__, "mygrad.")
                      if not any(part.startswith("_") for part in m.name.split("."))]
modules = {path: importlib.import_module(path) for path in paths}
places = {}
for path, module in modules.items():
    for name, obj in vars(module).items():
        if not name.startswith("_"):
            places.setdefault(id(obj), []).append([path, name])

def is_op(obj):
    return inspect.isclass(obj) and issubclass(obj, Operation)

def kept(path, module, name, obj):
    if path in ("mygrad", "mygrad.nnet") or name in (getattr(module, "__all__", None) or ()):
        return True
    if isinstance(obj, types.ModuleType):
        return obj.__name__ == f"{path}.{name}"
    if is_op(obj):
        return obj.__name__ not in BASES
    return callable(obj) and getattr(obj, "__module__", None) == path

out = {}
for path, module in modules.items():
    names = {}
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if name.startswith("_") or not kept(path, module, name, obj):
            continue
        if isinstance(obj, types.ModuleType):
            names[name] = {"module": obj.__name__}
        else:
            names[name] = {"places": places.get(id(obj), [[path, name]])}
            if is_op(obj):
                names[name]["op"] = obj.__name__
    out[path] = {"package": hasattr(module, "__path__"), "all": getattr(module, "__all__", None), "names": names}
json.dump(out, sys.stdout)
"""


def _own_module(path: str) -> Any:
    """mygrad's own module at ``path`` (one with a file: not an alias), or None."""
    try:
        module = importlib.import_module(path)
    except ImportError:
        return None
    return module if getattr(module, "__file__", None) else None


def _nnet_operations() -> dict[str, str]:
    """The operation classes of mygrad.nnet: class name -> ``"module:name"``."""
    from mygrad.operation_base import Operation, Primitive

    found = {}
    for path in ("activations", "losses", "layers.conv", "layers.pooling", "layers.batchnorm", "layers.gru"):
        module = importlib.import_module(f"mygrad.nnet.{path}")
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Operation) and obj not in (Operation, Primitive):
                found.setdefault(obj.__name__, f"{module.__name__}:{name}")
    return found


def build(reference: dict[str, Any]) -> dict[str, Any]:
    from mygrad._ops.registry import PRIMITIVES

    nnet_ops = _nnet_operations()
    own = sorted(path for path in reference if _own_module(path) is not None)
    order = ["mygrad", "mygrad.nnet"] + [p for p in own if p not in ("mygrad", "mygrad.nnet")]
    modules: dict[str, dict[str, str]] = {}
    left_out: dict[str, list[str]] = {}
    for path, info in reference.items():
        targets = {}
        for name, what in info["names"].items():
            target = None
            if "module" in what:
                target = what["module"]
            elif "op" in what and (op := RENAMED.get(what["op"], what["op"])) in PRIMITIVES:
                target = f"op:{op}"
            elif "op" in what and op in nnet_ops:
                target = nnet_ops[op]
            else:
                places = [place for place in what["places"] if place[0] in own]
                places.sort(key=lambda place: (place[0] != path, place[1] != name, order.index(place[0])))
                for module_path, attr in places:
                    # the module's own names (getattr would also find those that mygrad._compat serves)
                    if attr in vars(_own_module(module_path)):
                        target = f"{module_path}:{attr}"
                        break
            if target is None:
                left_out.setdefault(path, []).append(name)
            else:
                targets[name] = target
        modules[path] = targets
    return {
        "source": "MyGrad 2.5.0 (written by packages/mygrad-core/tests/make_compat_table.py)",
        "own": own,
        "packages": sorted(path for path, info in reference.items() if info["package"]),
        "all": {
            path: [name for name in info["all"] if name in modules[path]]
            for path, info in reference.items()
            if info["all"] is not None
        },
        "modules": modules,
        "left_out": left_out,
    }


def main(reference_python: str) -> None:
    walked = subprocess.run([reference_python, "-c", _WALK], capture_output=True, text=True, check=True)
    table = build(json.loads(walked.stdout))
    TABLE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(table['modules'])} modules, {sum(map(len, table['modules'].values()))} names")
    for path, names in table["left_out"].items():
        print(f"left out of {path}: {', '.join(names)}")


if __name__ == "__main__":
    main(sys.argv[1])
