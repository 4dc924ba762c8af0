"""Every workflow of the mygrad monorepo.

Run all the tests on a fresh machine with ``pip install "nox[uv]" && nox``. ``nox -l`` lists the
sessions; ``nox -s NAME`` runs one (e.g. ``nox -s lint``, ``nox -s tests``,
``nox -s "tests-3.11(package='mygrad-core')" -- -x -k backward``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.4.15"
nox.options.default_venv_backend = "uv|virtualenv"
# reliability before tests: the main Python's tests then leave out the gradient tests that it ran (`tests`)
nox.options.sessions = ["lint", "reliability", "tests", "tests_backends", "core_only", "integration", "docs"]

ROOT = Path(__file__).resolve().parent
PACKAGES_DIR = ROOT / "packages"
CORE = "mygrad-core"
CORE_DIR = PACKAGES_DIR / CORE
NNET = "mygrad-nnet"
VIZ = "mygrad-viz"
INTEGRATION_DIR = ROOT / "tests-integration"
RELIABILITY_DIR = INTEGRATION_DIR / "reliability"
BENCH_DIR = ROOT / "benchmarks"
REFERENCE = "mygrad==2.5.0"  # the release the benchmark suite compares against

# Pinned to a minor series: new ruff releases may add rules or change formatting.
RUFF = "ruff~=0.17.0"

# Every directory under packages/ with a pyproject.toml is a distribution (e.g. "mygrad-core").
PACKAGES = sorted(p.name for p in PACKAGES_DIR.glob("*") if (p / "pyproject.toml").is_file())

# The Pythons that every test suite runs on (`tests`). On MAIN_PYTHON, CI's, the suites draw the examples of
# the `ci` Hypothesis profile; on the others those of `fast` (fewer): every test runs on every Python.
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
MAIN_PYTHON = "3.11"


def _put_pyenv_pythons_on_path() -> None:
    """Let nox find every Python of the matrix where pyenv installed them.

    pyenv's shims (``python3.10``, ``python3.12``...) run only the versions that pyenv has selected (often a
    single one, and ``PYENV_VERSION`` may pin it), and a CI shell may not have pyenv on ``PATH`` at all; then
    nox would ask uv to download the others. So link the newest installed release of each Python of the
    matrix as ``.nox/pythons/python3.X`` and put that folder first on ``PATH``; it holds no ``python3``, so
    ``python3`` stays what it was.
    """
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    links = ROOT / ".nox" / "pythons"
    for python in PYTHONS:
        releases = [p for p in versions.glob(f"{python}.*/bin/python{python}") if p.is_file()]
        releases = [p for p in releases if re.fullmatch(rf"{re.escape(python)}\.\d+", p.parents[1].name)]
        if not releases:
            continue
        newest = max(releases, key=lambda p: int(p.parents[1].name.rpartition(".")[2]))
        link = links / f"python{python}"
        if link.is_symlink() and link.readlink() == newest:
            continue
        links.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(newest)
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"


_put_pyenv_pythons_on_path()


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


def _test_env(profile: str = "ci") -> dict[str, str]:
    """The Hypothesis profile (mygrad.testing.hypothesis_profiles): ``profile``, unless HYPOTHESIS_PROFILE
    names one for every session."""
    return {"HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", profile)}


# pytest-xdist: two workers, for CI's two cores (``-- -n 0`` runs in one process); a worker that runs out of
# tests takes some of the other's (a long test, e.g. a million-operation chain, does not leave one core idle).
PARALLEL = ["-n", "2", "--dist", "worksteal"]


@nox.session(python=PYTHONS)
@nox.parametrize("package", PACKAGES)
def tests(session: nox.Session, package: str) -> None:
    """Run one package's test suite against editable installs of it and its local dependencies, on one Python
    of the matrix: with the ``ci`` Hypothesis profile on the main Python, ``fast`` on the others.

    ``nox -s tests-3.11`` runs the three suites on one Python, ``nox -s "tests-3.12(package='mygrad-core')"``
    one suite; ``HYPOTHESIS_PROFILE=ci nox -s tests`` draws ``ci``'s examples on every Python.
    """
    if package == VIZ:
        _ensure_graphviz(session)
    editables: list[str] = []
    for dependency in _local_dependencies(package):
        editables += ["-e", str(PACKAGES_DIR / dependency)]
    editables += ["-e", f"{PACKAGES_DIR / package}[test]"]
    session.install(*editables, "pytest-xdist")
    profile = "ci" if session.python == MAIN_PYTHON else "fast"
    skip: list[str] = []
    if session.python == MAIN_PYTHON and package in _GRADIENT_TESTS_RUN:
        session.log(f"{package}'s gradient tests ran in `reliability`, with more examples: not again here")
        skip = [f"--ignore={module}" for module in GRADIENT_TESTS[package]]
    with session.chdir(PACKAGES_DIR / package):
        session.run("pytest", *PARALLEL, *skip, *session.posargs, env=_test_env(profile))


@nox.session(python=MAIN_PYTHON)
def tests_backends(session: nox.Session) -> None:
    """Run the gradient checks again over Dask arrays, and over CuPy's where a CUDA device is present.

    mygrad-core's gradient checks over Dask arrays chunked along every axis, unevenly, and over CuPy arrays,
    each compared with NumPy's; the Dask tests (laziness, one pass for several results, a training loop on a
    two-process LocalCluster); mygrad-nnet's activations and losses over Dask. CuPy's run is skipped, with its
    reason, without CuPy or a CUDA device.

    Hypothesis draws 3 examples per test (``HYPOTHESIS_PROFILE=backends``): each check runs Dask's scheduler.
    """
    nnet = PACKAGES_DIR / "mygrad-nnet"
    session.install("-e", f"{CORE_DIR}[test,dask]", "-e", str(nnet), "pytest-xdist")
    if shutil.which("nvidia-smi"):  # a CUDA machine: CuPy's wheel for CUDA 12
        session.install("cupy-cuda12x")
    # core's gradient tests, again over other libraries' arrays, and what is particular to those
    tests = ["tests/test_backends.py", *GRADIENT_TESTS[CORE], "tests/test_higher_order_linalg.py",
             "tests/test_extension_api.py", "tests/test_docstrings.py"]  # fmt: skip
    with session.chdir(CORE_DIR):
        for backend in ("dask", "cupy"):
            session.run(
                "pytest", "-q", *PARALLEL, "-rs", *tests, *session.posargs,
                env={**_test_env("backends"), "MYGRAD_TEST_BACKEND": backend},
            )  # fmt: skip
    with session.chdir(nnet):
        session.run("pytest", "-q", "tests/test_backends.py", *session.posargs, env=_test_env("backends"))


def _ensure_graphviz(session: nox.Session) -> None:
    """mygrad-viz's tests render with Graphviz's `dot` for real: install it (Debian package) if missing."""
    if shutil.which("dot"):
        return
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        session.error(
            "mygrad-viz's tests need Graphviz's `dot` program, which is not on PATH. Install Graphviz "
            "(Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: `brew install graphviz`; conda: "
            "`conda install -c conda-forge graphviz`), then run the session again."
        )
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.warn(
        "Graphviz's `dot` is missing: running as root, this session installs it system-wide with "
        "`apt-get update && apt-get install -y graphviz` (install it beforehand to skip this)"
    )
    session.run("apt-get", "update", external=True, env=env)
    session.run("apt-get", "install", "-y", "graphviz", external=True, env=env)


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


# The oldest releases the docs are known to build with (numpydoc and the theme follow Sphinx closely), and
# the extensions: MathJax bundled for offline reading, the copy button, the gallery (whose examples need
# matplotlib).
DOCS_REQUIREMENTS = [
    "sphinx>=7.3",
    "numpydoc>=1.7",
    "pydata-sphinx-theme>=0.15",
    "sphinx-mathjax-offline>=0.0.2",
    "sphinx-copybutton>=0.5",
    "sphinx-gallery>=0.16",
    "matplotlib>=3.8",
]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into docs/_build/html, warnings as errors, and run every example in it.

    Builds the HTML (running the gallery's scripts), then runs every ``>>>`` example of the pages as a doctest,
    then checks that every public name of the three packages has an API page. Quiet: Sphinx prints only
    warnings and errors; ``nox -s docs -- -v`` prints its whole log.
    """
    _ensure_graphviz(session)  # the pages' graph diagrams are drawn while the site is built
    editables: list[str] = []
    for package in PACKAGES:
        editables += ["-e", str(PACKAGES_DIR / package) + ("[test,dask]" if package == CORE else "")]
    session.install(*editables, *DOCS_REQUIREMENTS)
    verbosity = [] if "-v" in session.posargs else ["-q"]
    docs_dir = ROOT / "docs"
    # -E: read every page afresh, so that no warning hides in a cache. The doctest build does not run the
    # gallery's scripts again (plot_gallery=0): the HTML build just did.
    for builder, options in (("html", []), ("doctest", ["-D", "plot_gallery=0"])):
        out = docs_dir / "_build" / builder
        shutil.rmtree(out, ignore_errors=True)  # no page of an earlier build lingers
        session.run(
            "sphinx-build", *verbosity, "-E", "-W", "--keep-going", *options, "-b", builder, str(docs_dir),
            str(out),
        )  # fmt: skip
    session.run("pytest", "-q", str(CORE_DIR / "tests" / "test_api_pages.py"), env=_test_env())
    session.log(f"the site: {docs_dir / '_build' / 'html' / 'index.html'}")


# Pinned: a new release may infer differently. The [nodejs] extra brings Node.js from PyPI (no download at run
# time).
PYRIGHT = "pyright[nodejs]==1.1.414"
TYPING_SAMPLE = INTEGRATION_DIR / "typing_sample.py"
# Where each distribution's sources go in the tree that pyright checks (as they are installed together)
TYPED_SOURCES = {
    CORE: Path("mygrad"),
    NNET: Path("mygrad") / "nnet",
    VIZ: Path("mygrad") / "computational_graph",
}
PYRIGHT_CONFIG = {
    "pythonVersion": "3.10",  # the oldest Python the packages support
    "typeCheckingMode": "standard",  # the sample asks for strict itself
    # an operation's __call__ takes its own inputs (MyGrad 2's Operation API), not its base class's signature
    "reportIncompatibleMethodOverride": "none",
}


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the repository with ruff, and type-check the packages with pyright.

    ruff is configured in ruff.toml; pyright checks the three packages' sources and the user-code sample
    tests-integration/typing_sample.py."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    _typecheck(session)


def _typecheck(session: nox.Session) -> None:
    """pyright over the packages' sources, merged into one ``mygrad`` tree as installed (type checkers do not
    follow a package that spans several source folders); reported against the repository's files."""
    editables = [arg for package in PACKAGES for arg in ("-e", str(PACKAGES_DIR / package))]
    # (mygrad.testing's annotations use Hypothesis; mygrad.testing.backends imports Dask)
    session.install(PYRIGHT, *editables, "hypothesis", "dask[array]")
    tree = Path(session.create_tmp()).resolve() / "typed"
    shutil.rmtree(tree, ignore_errors=True)
    origins = {}  # a file of the tree -> the repository's file
    for package, place in TYPED_SOURCES.items():
        source = PACKAGES_DIR / package / "src" / place
        shutil.copytree(
            source, tree / place, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )
        origins[str(tree / place)] = str(source)
    shutil.copy(TYPING_SAMPLE, tree / TYPING_SAMPLE.name)
    origins[str(tree / TYPING_SAMPLE.name)] = str(TYPING_SAMPLE)
    (tree / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG), encoding="utf-8")
    with session.chdir(tree):
        report = session.run("pyright", "--outputjson", silent=True, success_codes=[0, 1])
    result = json.loads(report or "{}")
    for diagnostic in result.get("generalDiagnostics", []):
        file = diagnostic["file"]
        for copied, original in sorted(
            origins.items(), key=lambda item: -len(item[0])
        ):  # the nested ones first
            if file.startswith(copied):
                file = original + file[len(copied) :]
                break
        start = diagnostic["range"]["start"]
        rule = f" ({diagnostic['rule']})" if "rule" in diagnostic else ""
        where = f"{os.path.relpath(file, ROOT)}:{start['line'] + 1}:{start['character'] + 1}"
        session.log(f"{where}: {diagnostic['severity']}: {diagnostic['message']}{rule}")
    summary = result.get("summary", {})
    if summary.get("errorCount", 1):
        session.error(f"pyright: {summary.get('errorCount', 'unknown')} error(s) (above)")
    session.log(f"pyright: no errors in {summary.get('filesAnalyzed')} files")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark this repository's mygrad against plain NumPy (not a default session; -- --quick is shorter).

    Installs the packages as wheels built now, runs benchmarks/run.py (results in benchmarks/results/), then
    compares with MyGrad 2.5.0's results when ``nox -s bench_reference`` has left them there. Other arguments
    go to run.py (benchmarks/README.md), e.g. ``-- --instructions`` or ``-- --guard off --label guard-off``.
    """
    for package in PACKAGES:  # mygrad-core first; each build empties the wheel folder, so install it at once
        session.install(str(_build_wheel(session, PACKAGES_DIR / package)))
    session.install("threadpoolctl")
    with session.chdir(session.create_tmp()):  # so that nothing but the installed mygrad can be imported
        session.run("python", str(BENCH_DIR / "run.py"), "--label", "mygrad", *session.posargs)
    if "--instructions" in session.posargs or "--label" in session.posargs:
        return  # not the suite's timings under the label that the reference's are compared with
    suffix = "-quick" if "--quick" in session.posargs else ""
    ours, reference = (
        BENCH_DIR / "results" / f"{label}{suffix}.json" for label in ("mygrad", "mygrad-2.5.0")
    )
    if reference.is_file() and ours.is_file():
        session.run("python", str(BENCH_DIR / "compare.py"), str(ours), str(reference))
    else:
        session.log(f"no {reference.name} to compare with: run `nox -s bench_reference` (same arguments)")


@nox.session
def bench_reference(session: nox.Session) -> None:
    """Run the benchmark suite on MyGrad 2.5.0 from PyPI, for comparison (not a default session)."""
    # MyGrad 2.5.0's gru is compiled by numba, whose matrix products need scipy's BLAS.
    session.install(REFERENCE, "numba", "scipy", "threadpoolctl")
    with session.chdir(session.create_tmp()):
        session.run("python", str(BENCH_DIR / "run.py"), "--label", "mygrad-2.5.0", *session.posargs)


@nox.session
def integration(session: nox.Session) -> None:
    """Install the three distributions together as built wheels and run the satellites' and integration tests.

    As users get them: mygrad-nnet's and mygrad-viz's test suites run against the installed wheels, then
    tests-integration/ (the README's code, cross-package checks, the demo in --quick mode, and the wheels
    installed over MyGrad 2.5.0 in a throwaway environment).
    """
    _ensure_graphviz(session)
    # test_mygrad2_clash.py installs the wheels in environments of its own, from another directory
    wheels = Path(session.create_tmp()).resolve() / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir()
    for package in PACKAGES:  # each build empties the wheel folder: install every wheel at once
        wheel = _build_wheel(session, PACKAGES_DIR / package)
        session.install(str(wheel))
        shutil.copy(wheel, wheels)
    session.install("pytest>=8", "hypothesis>=6.100", "pytest-xdist")
    for package in PACKAGES:
        if package == CORE:  # core's suite runs in `tests`; its wheel alone is checked by `core_only`
            continue
        # what these runs check is the wheels: the examples' depth is the `tests` sessions' (hence `fast`)
        with session.chdir(PACKAGES_DIR / package):
            session.run(
                "pytest", "-p", "no:cacheprovider", *PARALLEL, *session.posargs, env=_test_env("fast")
            )
    # the seed's examples, the README's code, cross-package checks, and the demo in --quick mode, against the
    # same wheels (no matplotlib here: the demo must skip its PNG gracefully)
    with session.chdir(session.create_tmp()):  # nothing but the installed wheels can be imported
        session.run(
            "pytest",
            "-p",
            "no:cacheprovider",
            str(INTEGRATION_DIR),
            f"--ignore={RELIABILITY_DIR}",  # runs on editable installs, in `reliability`
            env={**_test_env(), "MYGRAD_WHEELS": str(wheels)},
        )


# Family 1 of the reliability suite: the packages' gradient tests (core's are the modules that
# packages/mygrad-core/tests/test_registry.py names, and test_registry itself), then the suite's own
# test_gradients.py. gradient_coverage.py fails the session if some operation of core or nnet got fewer examples.
GRADIENT_TESTS = {
    CORE: [
        "tests/test_grad_elementwise.py",
        "tests/test_grad_reductions.py",
        "tests/test_grad_shape.py",
        "tests/test_grad_linalg.py",
        "tests/test_grad_numpy_surface.py",
        "tests/test_grad_inplace.py",
        "tests/test_higher_order.py",
        "tests/test_registry.py",
    ],
    NNET: [
        "tests/test_activations.py",
        "tests/test_batchnorm.py",
        "tests/test_conv.py",
        "tests/test_gru.py",
        "tests/test_losses.py",
        "tests/test_pooling.py",
    ],
}

# The packages whose GRADIENT_TESTS `reliability` ran in this invocation of nox (on MAIN_PYTHON, with at least
# the examples that `tests` draws there): the main Python's `tests` sessions after it leave them out. Sessions
# that nox runs in parallel (`--parallel`) run in processes of their own and share nothing: each runs all.
_GRADIENT_TESTS_RUN: set[str] = set()


def _install_for_reliability(session: nox.Session) -> None:
    session.install("-e", f"{CORE_DIR}[test]", "-e", f"{PACKAGES_DIR / NNET}[test]", "pytest-xdist")


@nox.session(python=MAIN_PYTHON)
def reliability(session: nox.Session) -> None:
    """Run the reliability suite (tests-integration/reliability) without its long variants: the slowest session.

    On editable installs of mygrad-core and mygrad-nnet; docs/reliability.rst describes the suite, and
    ``nox -s reliability_long`` runs its long variants.

    Family 1 first: the packages' gradient tests and test_gradients.py, with 200 Hypothesis examples per test
    (the ``reliability`` profile) where the main Python's ``tests`` run ``ci``'s 60 (and, after this session,
    leave them out), counting the examples that reach each operation; then ``gradient_coverage.py`` fails the
    session if an operation of core or nnet got fewer. Then the rest of the suite, with the ``ci`` profile.
    ``HYPOTHESIS_PROFILE=dev`` (or ``release``) runs every step with that profile instead. Arguments go to the
    last pytest run (e.g. ``-- -k threads``).
    """
    _install_for_reliability(session)
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    gradient_env = {"HYPOTHESIS_PROFILE": "reliability" if profile == "ci" else profile}
    gradient_env["PYTHONPATH"] = str(RELIABILITY_DIR)  # the plugin gradient_coverage, for `-p`
    counts = Path(session.create_tmp()).resolve() / "gradient-counts"  # absolute: the runs change directory
    shutil.rmtree(counts, ignore_errors=True)
    counts.mkdir()
    for package, modules in GRADIENT_TESTS.items():
        with session.chdir(PACKAGES_DIR / package):
            session.run(
                "pytest", "-p", "no:cacheprovider", "-p", "gradient_coverage",
                f"--gradient-counts={counts / package}.json", *PARALLEL, *modules, env=gradient_env,
            )  # fmt: skip
        _GRADIENT_TESTS_RUN.add(package)
    with session.chdir(ROOT):
        session.run(
            "pytest", "-p", "no:cacheprovider", "-p", "gradient_coverage",
            f"--gradient-counts={counts / 'reliability'}.json", str(RELIABILITY_DIR / "test_gradients.py"),
            env=gradient_env,
        )  # fmt: skip
        session.run(
            "python", str(RELIABILITY_DIR / "gradient_coverage.py"), *map(str, sorted(counts.glob("*.json"))),
            env=gradient_env,
        )  # fmt: skip
        session.run(
            "pytest", "-p", "no:cacheprovider", "-m", "not long", *PARALLEL, str(RELIABILITY_DIR),
            f"--ignore={RELIABILITY_DIR / 'test_gradients.py'}", *session.posargs, env=_test_env(),
        )  # fmt: skip


@nox.session
def reliability_long(session: nox.Session) -> None:
    """Run the long variants of the reliability suite, minutes each (not a default session)."""
    _install_for_reliability(session)
    with session.chdir(ROOT):
        session.run(
            "pytest", "-p", "no:cacheprovider", "-m", "long", str(RELIABILITY_DIR), *session.posargs,
            env=_test_env(),
        )  # fmt: skip


@nox.session
def demo(session: nox.Session) -> None:
    """Train the demo's small CNN on generated shapes and draw its graph (not a default session).

    Installs the three packages (editable), matplotlib and, where it can, Graphviz; then runs
    demo/train_shapes.py with the session's arguments (e.g. ``nox -s demo -- --quick``). Outputs: demo/out/.
    """
    can_install = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if shutil.which("dot") or can_install:
        _ensure_graphviz(session)
    else:  # the demo still trains, and saves the graph's Graphviz source instead of the SVG
        session.warn(
            "Graphviz's `dot` is missing and cannot be installed here: the demo will say how to get it"
        )
    editables: list[str] = []
    for package in PACKAGES:
        editables += ["-e", str(PACKAGES_DIR / package)]
    session.install(*editables, "matplotlib")
    session.run("python", str(ROOT / "demo" / "train_shapes.py"), *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the wheel and sdist of every distribution into dist/ (hatchling) and validate their metadata."""
    out = ROOT / "dist"
    session.install("build", "twine")
    for package in PACKAGES:
        session.run("python", "-m", "build", "--outdir", str(out), str(PACKAGES_DIR / package))
    session.run("twine", "check", "--strict", *map(str, sorted(out.glob("*"))))
