"""MyGrad 2.x and mygrad-core both install the import package `mygrad`: installing ours over MyGrad 2.5.0 must
give one clear ImportError at `import mygrad`, and the remedy it states must work.

Runs in throwaway virtual environments of its own (MyGrad 2.5.0 comes from PyPI), with the wheels that
``nox -s integration`` built: it names their folder in ``MYGRAD_WHEELS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WHEELS = os.environ.get("MYGRAD_WHEELS")
OLD = "mygrad==2.5.0"  # requires Python >= 3.11

pytestmark = [
    pytest.mark.skipif(
        not WHEELS, reason="MYGRAD_WHEELS names no folder of built wheels (nox -s integration)"
    ),
    pytest.mark.skipif(sys.version_info < (3, 11), reason=f"{OLD} requires Python 3.11 or newer"),
]

TIMEOUT = 300  # seconds for any one step: downloads are bounded too


def _run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(map(str, args)), capture_output=True, text=True, timeout=TIMEOUT, check=check, cwd=Path.home()
    )


class Venv:
    """A fresh virtual environment, installed into with uv when it is on PATH, else with its own pip."""

    def __init__(self, root: Path) -> None:
        uv = shutil.which("uv")
        if uv:
            _run(uv, "venv", "--quiet", "--python", sys.executable, root)
        else:
            _run(sys.executable, "-m", "venv", root)
        self.python = root / ("Scripts" if os.name == "nt" else "bin") / "python"
        self._pip = [uv, "pip"] if uv else [self.python, "-m", "pip", "--disable-pip-version-check"]
        self._target = ["--python", self.python] if uv else []

    def install(self, *args: str | Path) -> None:
        _run(*self._pip, "install", *self._target, *args)

    def uninstall(self, distribution: str) -> None:
        _run(*self._pip, "uninstall", *(self._target or ["--yes"]), distribution)

    def python_c(self, code: str) -> subprocess.CompletedProcess[str]:
        return _run(self.python, "-c", code, check=False)


def _wheel(distribution: str) -> Path:
    (wheel,) = Path(WHEELS).glob(f"{distribution.replace('-', '_')}-*.whl")
    return wheel


def test_ours_over_mygrad2_refuses_to_import_and_the_stated_remedy_works(tmp_path):
    venv = Venv(tmp_path / "venv")
    venv.install(OLD)
    ours = [_wheel("mygrad-core"), _wheel("mygrad-nnet")]
    venv.install(*ours)  # a different distribution name: pip overwrites MyGrad 2's files silently

    for statement in ("import mygrad", "import mygrad.nnet"):
        result = venv.python_c(statement)
        assert result.returncode != 0, f"`{statement}` worked on a mix of MyGrad 2.5.0 and mygrad-core"
        last_line = result.stderr.strip().splitlines()[-1]
        assert last_line.startswith("ImportError: MyGrad 2.5.0 (the distribution 'mygrad'"), result.stderr
        assert "pip uninstall mygrad" in last_line, last_line
        assert "--force-reinstall --no-deps ./packages/mygrad-core ./packages/mygrad-nnet`" in last_line

    # the remedy the message gives (with the wheels in place of the clone's folders)
    venv.uninstall("mygrad")
    venv.install("--force-reinstall", "--no-deps", *ours)
    result = venv.python_c(
        "import numpy as np, mygrad as mg, mygrad.nnet\n"
        "x = mg.tensor([1.0, -2.0]); np.sum(mg.nnet.relu(x) * x).backward(); print(x.grad)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[2.", "0.]"], result.stdout
