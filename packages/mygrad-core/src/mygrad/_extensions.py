"""Friendly errors for the parts of ``mygrad`` that ship as separate distributions.

``mygrad.nnet`` comes from the ``mygrad-nnet`` distribution and ``mygrad.computational_graph``
from ``mygrad-viz``; ``mygrad-core`` alone provides neither. Without help, importing one of them
on a core-only install fails with a bare "No module named ..." that does not say what to install.

:func:`install_extension_finder` appends a finder to the *end* of :data:`sys.meta_path`. Because it
is last, the regular path-based import machinery always gets the first chance: when the extension
is installed (as a wheel or editable), it is found and imported normally and this finder is never
asked. Only when nothing else can provide the module does this finder run, and it then raises a
:class:`ModuleNotFoundError` naming the distribution to install. For every other name it returns
``None`` and stays out of the way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["EXTENSIONS", "install_extension_finder"]

#: Subpackage of ``mygrad`` -> the distribution that provides it.
EXTENSIONS: dict[str, str] = {
    "mygrad.nnet": "mygrad-nnet",
    "mygrad.computational_graph": "mygrad-viz",
}

_EXTRAS: dict[str, str] = {"mygrad-nnet": "nnet", "mygrad-viz": "viz"}


def missing_extension_message(fullname: str) -> str:
    """The error message for importing ``fullname`` when its distribution is not installed."""
    dist = EXTENSIONS[fullname]
    return (
        f"No module named {fullname!r}: it is provided by the distribution {dist!r}; "
        f'install it with `pip install {dist}` (or `pip install "mygrad-core[{_EXTRAS[dist]}]"`)'
    )


class _MissingExtensionFinder(MetaPathFinder):
    """Last-resort finder: explains which distribution provides a missing mygrad extension."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname in EXTENSIONS:
            raise ModuleNotFoundError(missing_extension_message(fullname), name=fullname)
        return None

    def __repr__(self) -> str:
        return f"<{__name__}.{type(self).__name__}>"


def install_extension_finder() -> None:
    """Append the missing-extension finder to the end of ``sys.meta_path``, at most once."""
    # Compare by qualified class name, not identity, so that a reloaded copy of this module
    # does not add a second finder.
    for finder in sys.meta_path:
        cls = type(finder)
        if cls.__module__ == __name__ and cls.__qualname__ == _MissingExtensionFinder.__qualname__:
            return
    sys.meta_path.append(_MissingExtensionFinder())
