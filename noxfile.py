"""Every workflow of the mygrad monorepo.

Run all the tests on a fresh machine with ``pip install nox && nox``. ``nox -l`` lists the
sessions; ``nox -s NAME`` runs one (e.g. ``nox -s lint``, ``nox -s tests``,
``nox -s "tests(package='mygrad-core')" -- -x -k backward``).
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2024.4.15"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "core_only", "lint"]

ROOT = Path(__file__).resolve().parent
PACKAGES_DIR = ROOT / "packages"
CORE = "mygrad-core"
CORE_DIR = PACKAGES_DIR / CORE
INTEGRATION_DIR = ROOT / "tests-integration"

# Pinned to a minor series: new ruff releases may add rules or change formatting.
RUFF = "ruff~=0.17.0"

# Every directory under packages/ with a pyproject.toml is a distribution (e.g. "mygrad-core").
PACKAGES = sorted(p.name for p in PACKAGES_DIR.glob("*") if (p / "pyproject.toml").is_file())


def _local_dependencies(package: str) -> list[str]:
    """The packages of this repo that ``package`` depends on (e.g. mygrad-core for mygrad-nnet)."""
    pyproject = nox.project.load_toml(PACKAGES_DIR / package / "pyproject.toml")
    requirements = pyproject.get("project", {}).get("dependencies", [])
    names = {_requirement_name(req) for req in requirements}
    return [other for other in PACKAGES if other != package and other in names]


def _requirement_name(requirement: str) -> str:
    """The normalized distribution name at the start of a PEP 508 requirement string."""
    name = requirement
    for sep in "[<>=!~;@ (":
        name = name.split(sep, 1)[0]
    return name.strip().lower().replace("_", "-").replace(".", "-")


def _test_env() -> dict[str, str]:
    return {"HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci")}


@nox.session
@nox.parametrize("package", PACKAGES)
def tests(session: nox.Session, package: str) -> None:
    """Run one package's test suite against editable installs of it and its local dependencies."""
    editables: list[str] = []
    for dependency in _local_dependencies(package):
        editables += ["-e", str(PACKAGES_DIR / dependency)]
    editables += ["-e", f"{PACKAGES_DIR / package}[test]"]
    session.install(*editables)
    with session.chdir(PACKAGES_DIR / package):
        session.run("pytest", *session.posargs, env=_test_env())


@nox.session
@nox.parametrize("install", ["wheel", "editable"])
def core_only(session: nox.Session, install: str) -> None:
    """Install mygrad-core alone (as a built wheel, or editable) and check what users see."""
    if install == "wheel":
        wheel = _build_wheel(session, CORE_DIR)
        session.install(str(wheel))
    else:
        session.install("-e", str(CORE_DIR))
    # Run from an empty directory so that nothing but the installed package can be imported.
    with session.chdir(session.create_tmp()):
        session.run("python", str(INTEGRATION_DIR / "core_only_check.py"), install)


def _build_wheel(session: nox.Session, package_dir: Path) -> Path:
    """Build a wheel of ``package_dir`` without installing any build tool into the session."""
    out_dir = Path(session.create_tmp()) / "dist"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.whl"):
        old.unlink()
    if session.venv_backend == "uv":
        session.run("uv", "build", "--wheel", "--out-dir", str(out_dir), str(package_dir))
    else:
        session.run(
            "python",
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--wheel-dir",
            str(out_dir),
            str(package_dir),
        )
    wheels = list(out_dir.glob("*.whl"))
    if len(wheels) != 1:
        session.error(f"expected one wheel in {out_dir}, found {[w.name for w in wheels]}")
    return wheels[0]


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting of the whole repository with ruff (configured in ruff.toml)."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
