"""The engine (``mygrad._core``) knows no particular operation: it imports nothing from ``mygrad._ops``.

Checked for real, in a fresh interpreter where ``mygrad._ops`` cannot be imported and ``mygrad/__init__.py``
(which registers the operations) does not run: every module of ``_core`` imports, and a small graph built from
an operation declared on the spot backpropagates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mygrad

SRC = Path(mygrad.__file__).parent

CHECK = r"""
import importlib, importlib.abc, pkgutil, sys, types

class NoOps(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "mygrad._ops" or name.startswith("mygrad._ops."):
            raise ImportError(f"the engine imported {name}")
        return None

sys.meta_path.insert(0, NoOps())
package = types.ModuleType("mygrad")  # the package without its __init__ (which imports _ops)
package.__path__ = [SRC]
sys.modules["mygrad"] = package
for info in pkgutil.iter_modules([SRC + "/_core"]):
    importlib.import_module("mygrad._core." + info.name)

import numpy as np
from mygrad._core.operation import apply, declare
from mygrad._core.tensor import Tensor

Cube = declare("Cube", lambda x: x**3, lambda g, out, x: 3 * g * x**2)
x = Tensor([1.0, 2.0])
y = apply(Cube, (x,), {})
y.backward()
assert np.array_equal(x.grad, [3.0, 12.0]), x.grad
print("ok")
"""


def test_engine_imports_without_ops():
    result = subprocess.run(
        [sys.executable, "-c", f"SRC = {str(SRC)!r}\n{CHECK}"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
