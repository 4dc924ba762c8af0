"""The distributions that install into the import package ``mygrad``.

``mygrad.nnet`` comes from the ``mygrad-nnet`` distribution and ``mygrad.computational_graph`` from
``mygrad-viz``; ``mygrad-core`` alone provides neither. With only mygrad-core installed they are absent the
ordinary way: ``import mygrad.nnet`` raises :class:`ModuleNotFoundError`, ``importlib.util.find_spec``
answers ``None``, ``hasattr(mygrad, "nnet")`` answers ``False``. The attribute access ``mygrad.nnet`` says
which distribution to install (:func:`extension`). No import hook is involved: a finder that raised the
friendly error at import would also raise from ``find_spec``, which must answer ``None``.

MyGrad 2.x (the distribution ``mygrad``) installs the same import package. Installing one over the other
leaves a mix of both packages' files that fails in confusing ways, so ``import mygrad`` refuses to run
beside it (:func:`check_no_mygrad2`).
"""

from __future__ import annotations

import importlib
import importlib.metadata
from pathlib import Path
from types import ModuleType

__all__ = ["EXTENSIONS", "check_no_mygrad2", "extension"]

#: Subpackage of ``mygrad`` -> the distribution that provides it.
EXTENSIONS: dict[str, str] = {
    "nnet": "mygrad-nnet",
    "computational_graph": "mygrad-viz",
}


def extension(name: str) -> ModuleType:
    """``mygrad.<name>`` for an extension subpackage, imported on first access.

    Raises :class:`AttributeError` (so that ``hasattr`` and ``getattr`` with a default answer as for any
    absent attribute) naming the distribution to install when the subpackage itself is missing.
    """
    fullname = f"mygrad.{name}"
    try:
        return importlib.import_module(fullname)
    except ModuleNotFoundError as error:
        if error.name != fullname:  # the extension is there but something it imports is not: say that
            raise
        distribution = EXTENSIONS[name]
        raise AttributeError(
            f"module 'mygrad' has no attribute {name!r}: {fullname} is provided by the distribution "
            f"{distribution!r}, which is not installed. Install it from a clone of the repository with "
            f"`pip install ./packages/{distribution}` (once published on PyPI: `pip install {distribution}`)",
            name=name,
        ) from None


_OURS = ("mygrad-core", *EXTENSIONS.values())


def check_no_mygrad2() -> None:
    """Raise :class:`ImportError` if MyGrad 2.x (the distribution ``mygrad``) is installed beside mygrad-core.

    Its metadata is the reliable sign: the file names of the two packages overlap (both have
    ``mygrad/tensor_base.py``, for instance), and whichever was installed last overwrote the other's files.
    """
    try:
        other = importlib.metadata.distribution("mygrad")
    except importlib.metadata.PackageNotFoundError:
        return
    files = [Path(str(other.locate_file(f))) for f in other.files or () if f.parts[0] == "mygrad"]
    if not any(file.exists() for file in files):  # stale metadata of a package whose files are all gone
        return
    reinstall = " ".join(f"./packages/{name}" for name in _OURS if _installed(name))
    raise ImportError(
        f"MyGrad {other.version} (the distribution 'mygrad', in {other.locate_file('')}) is installed in the "
        "same environment as mygrad-core. Both install the package `mygrad`, so the files of the two are "
        "mixed and neither works. Uninstall MyGrad 2 with `pip uninstall mygrad`, then reinstall the files "
        "that removed, with `--force-reinstall`: from a clone of the repository, "
        f"`pip install --force-reinstall --no-deps {reinstall}`."
    )


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True
