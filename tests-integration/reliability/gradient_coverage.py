"""How many Hypothesis examples of the gradient checks reached each differentiable operation of mygrad.

Family 1 of the reliability suite reuses the packages' own gradient tests (every one goes through
:func:`mygrad.testing.assert_gradients_match`) and shows that they reach every operation of mygrad-core (its
registry, ``mygrad._ops.registry.PRIMITIVES``) and of mygrad-nnet (every Operation class its modules declare)
with at least as many Hypothesis examples as the profile runs per test (200 under ``nox -s reliability``).

Two parts:

* a pytest plugin, ``-p gradient_coverage --gradient-counts=FILE``: while the tests run, each gradient check
  counts the operations in the graph it checked (``mygrad.testing._gradcheck.checks_per_op``); at the end the
  counts are written to FILE as JSON (with pytest-xdist, the workers' counts are summed);
* a command that sums such files and compares them with the operations that exist::

      python gradient_coverage.py [--min-examples N] FILE [FILE ...]

  It prints the count of every operation, fewest first, and exits with status 1 if any has fewer than N
  (default: ``max_examples`` of the Hypothesis profile that HYPOTHESIS_PROFILE names).

``nox -s reliability`` runs the packages' gradient modules with the plugin, then this suite's
test_gradients.py (which checks what those modules cannot reach), then the command on all the files.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import json
import pkgutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mygrad.testing import _gradcheck
from mygrad.testing.hypothesis_profiles import load_profile

_COUNTS = "gradient_counts"  # the key of a pytest-xdist worker's output


def op_key(op: type) -> str:
    """The name an operation class is counted under (the same in every process)."""
    return f"{op.__module__}.{op.__qualname__}"


# ----------------------------------------------------------------------------------------- the plugin
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradient coverage").addoption(
        "--gradient-counts",
        metavar="FILE",
        help="count, per operation, the gradient checks that reach it, and write the counts to FILE (JSON)",
    )


_STASH = pytest.StashKey[Counter]()  # on the controller: the counts of the xdist workers that finished


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("gradient_counts"):
        _gradcheck.checks_per_op = Counter()
        config.stash[_STASH] = Counter()


def _serialized() -> dict[str, list[int]]:
    """This process's counts by name; an operation that is not one of mygrad's own (a test's, say, which
    may share a name with one) under ``"other: <name>"``."""
    ours = core_operations()
    with contextlib.suppress(ImportError):  # without mygrad-nnet installed: core's operations only
        ours |= nnet_operations()
    counts: dict[str, list[int]] = {}
    for (op, in_hypothesis), n in (_gradcheck.checks_per_op or Counter()).items():
        key = op_key(op) if ours.get(op_key(op)) is op else f"other: {op_key(op)}"
        counts.setdefault(key, [0, 0])[0 if in_hypothesis else 1] += n
    return counts


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, on the controller: add up what a worker counted."""
    output = getattr(node, "workeroutput", {}).get(_COUNTS)
    if output is not None:
        _add(node.config.stash[_STASH], output)


def _add(total: Counter, counts: dict[str, list[int]]) -> None:
    for key, (in_hypothesis, outside) in counts.items():
        total[key, True] += in_hypothesis
        total[key, False] += outside


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    path = config.getoption("gradient_counts")
    if not path:
        return
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: hand the counts to the controller
        config.workeroutput[_COUNTS] = _serialized()
        return
    total = config.stash[_STASH]
    _add(total, _serialized())
    merged: dict[str, list[int]] = {}
    for (key, in_hypothesis), n in total.items():
        merged.setdefault(key, [0, 0])[0 if in_hypothesis else 1] += n
    path = config.invocation_params.dir / path  # relative to where pytest was started
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n")


# ------------------------------------------------------------------------------------- the operations
def core_operations() -> dict[str, type]:
    """mygrad-core's differentiable operations: its registry."""
    from mygrad._ops.registry import PRIMITIVES

    return {op_key(op): op for op in PRIMITIVES.values()}


def nnet_operations() -> dict[str, type]:
    """Every Operation class that a module of mygrad.nnet declares (with ``primitive`` or as a subclass)."""
    import mygrad.nnet
    from mygrad import operation_base
    from mygrad._ops.registry import PRIMITIVES
    from mygrad.operation_base import Operation

    core = set(PRIMITIVES.values()) | {
        obj for obj in vars(operation_base).values() if inspect.isclass(obj) and issubclass(obj, Operation)
    }
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(mygrad.nnet.__path__, "mygrad.nnet."):
        for obj in vars(importlib.import_module(info.name)).values():
            if inspect.isclass(obj) and issubclass(obj, Operation) and obj not in core:
                found[op_key(obj)] = obj
    return found


def shortfall(counts: dict[str, list[int]], required: int) -> dict[str, int]:
    """The operations of core and nnet checked in fewer than ``required`` Hypothesis examples, with their
    counts (an operation that the counts do not name has 0)."""
    expected = core_operations() | nnet_operations()
    return {key: counts.get(key, [0, 0])[0] for key in expected if counts.get(key, [0, 0])[0] < required}


def read_counts(paths: list[Path]) -> dict[str, list[int]]:
    """The sum of several count files."""
    total: dict[str, list[int]] = {}
    for path in paths:
        for key, (in_hypothesis, outside) in json.loads(path.read_text()).items():
            both = total.setdefault(key, [0, 0])
            both[0] += in_hypothesis
            both[1] += outside
    return total


def main(argv: list[str] | None = None) -> int:
    from hypothesis import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="count files written with --gradient-counts")
    parser.add_argument(
        "--min-examples",
        type=int,
        default=None,
        help="the Hypothesis examples each operation needs (default: the loaded profile's max_examples)",
    )
    args = parser.parse_args(argv)
    load_profile()  # the one HYPOTHESIS_PROFILE names, as the test runs did

    required = args.min_examples if args.min_examples is not None else settings().max_examples
    counts = read_counts(args.files)
    expected = core_operations() | nnet_operations()
    rows = sorted((counts.get(key, [0, 0]), key) for key in expected)
    print(f"Gradient checks per operation ({len(expected)} operations of mygrad-core and mygrad-nnet)")
    print(f"{'hypothesis examples':>20} {'other checks':>13}  operation")
    for (in_hypothesis, outside), key in rows:
        flag = "   <-- fewer than required" if in_hypothesis < required else ""
        print(f"{in_hypothesis:>20} {outside:>13}  {key}{flag}")
    short = shortfall(counts, required)
    fewest = min(c[0] for c, _ in rows)
    print(f"fewest Hypothesis examples for one operation: {fewest} (required: {required})")
    if short:
        print(f"{len(short)} operation(s) below {required}: {', '.join(sorted(short))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
