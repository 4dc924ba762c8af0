"""Write docs/_intersphinx/numpy.inv: the intersphinx inventory through which the docs link NumPy's names.

The docs build must not touch the network, so the inventory is committed. NumPy's own ``objects.inv`` ships in
no package that PyPI or Debian serve; its entries for functions, classes and methods do, in the package
``nbdev-numpy`` (a map of each name to its page in NumPy's reference, drawn from that inventory). Ufuncs are
not in that map: each has its page at the same place as NumPy's functions,
``reference/generated/numpy.<name>.html``; nor are NumPy's documented data (its constants and the aliases of
``numpy.typing``), whose places :data:`DATA` lists. Each name's role (function, class, method, module, data) comes
from the installed NumPy. Rerun after a NumPy release::

    pip install nbdev-numpy sphobjinv numpy
    python docs/scripts/numpy_inventory.py
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType

import numpy as np
import sphobjinv as soi
from nbdev_numpy._modidx import d as NBDEV_INDEX

BASE = "https://numpy.org/doc/stable/"
OUTPUT = Path(__file__).resolve().parents[1] / "_intersphinx" / "numpy.inv"

#: NumPy's documented data -> the page (of NumPy's reference) that documents them
DATA = {
    **{
        f"numpy.{name}": "reference/constants.html"
        for name in ("e", "euler_gamma", "inf", "nan", "newaxis", "pi")
    },
    **{f"numpy.typing.{name}": "reference/typing.html" for name in ("ArrayLike", "DTypeLike", "NDArray")},
}


_MISSING = object()


def _resolve(name: str) -> object:
    """The object that the dotted ``name`` (``numpy.linalg.norm``, ``numpy.ndarray.sum``) names, or _MISSING."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return _MISSING
        return obj
    return _MISSING


def _role(name: str, obj: object) -> str:
    parent = _resolve(name.rpartition(".")[0])
    if name in DATA:  # e.g. NDArray, an alias, would count as a class
        return "data"
    if isinstance(obj, ModuleType):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if inspect.isclass(parent) and callable(obj):
        return "method"
    if isinstance(obj, np.ufunc) or callable(obj):
        return "function"
    return "data"


def entries() -> dict[str, str]:
    """Dotted name -> URI relative to BASE, NumPy's ufuncs included."""
    found = {name: url for module in NBDEV_INDEX["syms"].values() for name, url in module.items()}
    uris = {name: url.removeprefix(BASE) for name, url in found.items() if url.startswith(BASE)}
    for attribute in dir(np):
        if isinstance(getattr(np, attribute), np.ufunc):
            name = f"numpy.{attribute}"
            uris.setdefault(name, f"reference/generated/{name}.html#{name}")
    for name, page in DATA.items():
        uris.setdefault(name, f"{page}#{name}")
    return uris


def main() -> None:
    inventory = soi.Inventory()
    inventory.project = "NumPy"
    inventory.version = ".".join(np.__version__.split(".")[:2])
    for name, uri in sorted(entries().items()):
        obj = _resolve(name)
        if obj is _MISSING:  # gone from the installed NumPy
            continue
        inventory.objects.append(
            soi.DataObjStr(name=name, domain="py", role=_role(name, obj), priority="1", uri=uri, dispname="-")
        )
    OUTPUT.parent.mkdir(exist_ok=True)
    soi.writebytes(OUTPUT, soi.compress(inventory.data_file(contract=True)))
    print(f"wrote {len(inventory.objects)} names to {OUTPUT}")


if __name__ == "__main__":
    main()
