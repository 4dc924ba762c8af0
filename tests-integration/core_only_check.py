"""Check what a user gets with mygrad-core installed alone.

Run by ``nox -s core_only`` in a fresh environment holding only mygrad-core (and numpy), installed
either from its built wheel or as an editable install::

    python core_only_check.py wheel|editable
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent / "packages" / "mygrad-core" / "src"


def check_install_kind(kind: str) -> None:
    import mygrad

    location = Path(mygrad.__file__).resolve()
    from_source = SOURCE_DIR in location.parents
    if kind == "wheel":
        assert not from_source, f"expected the installed wheel, imported {location}"
    else:
        assert from_source, f"expected the editable source tree, imported {location}"

    installed = {dist.metadata["Name"].lower() for dist in importlib.metadata.distributions()}
    assert "mygrad-core" in installed, installed
    for other in ("mygrad-nnet", "mygrad-viz"):
        assert other not in installed, f"{other} should not be installed here"


def check_version() -> None:
    import mygrad

    assert isinstance(mygrad.__version__, str), mygrad.__version__
    assert mygrad.__version__ == importlib.metadata.version("mygrad-core")


def check_missing_extension(module: str, distribution: str) -> None:
    """Absent the ordinary way to every probe; the attribute access names the distribution to install."""
    import importlib.util

    import mygrad

    name = module.rpartition(".")[2]
    assert not hasattr(mygrad, name), f"hasattr(mygrad, {name!r}) is True without {distribution}"
    assert getattr(mygrad, name, None) is None, f"getattr(mygrad, {name!r}, None) is not None"
    spec = importlib.util.find_spec(module)
    assert spec is None, f"find_spec({module!r}) answered {spec!r} without {distribution}"
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as err:
        assert err.name == module, f"err.name is {err.name!r}, expected {module!r}"
    else:
        raise AssertionError(f"`import {module}` succeeded with only mygrad-core installed")
    try:
        getattr(mygrad, name)
    except AttributeError as err:
        assert distribution in str(err), f"message does not name {distribution}: {err}"
    else:
        raise AssertionError(f"mygrad.{name} exists with only mygrad-core installed")


def check_seed_example() -> None:
    import numpy as np

    import mygrad as mg

    x = mg.tensor([1.0, 2.0, 3.0])
    f = np.sum(x * x)
    f.backward()
    assert (x.grad == [2.0, 4.0, 6.0]).all(), x.grad


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in ("wheel", "editable"):
        raise SystemExit("usage: core_only_check.py wheel|editable")
    check_install_kind(argv[0])
    check_version()
    check_missing_extension("mygrad.nnet", "mygrad-nnet")
    check_missing_extension("mygrad.computational_graph", "mygrad-viz")
    check_seed_example()
    print(f"core-only ({argv[0]}): all checks passed")


if __name__ == "__main__":
    main(sys.argv[1:])
