"""Shared configuration of the reliability suite: the ``long`` marker and Hypothesis's profiles.

Run by ``nox -s reliability`` (``-m "not long"``) and ``nox -s reliability_long`` (``-m long``), or by hand from
the repository root against the editable installs: ``python -m pytest tests-integration/reliability``.
Each test file keeps its own fixtures, so that it passes on its own as well as beside the others.
"""

from __future__ import annotations

import os
import sys

import pytest

from mygrad.testing.hypothesis_profiles import load_profile

# The packages' profiles, chosen with HYPOTHESIS_PROFILE; `reliability` has the 200 examples per test that the
# suite promises for the gradient checks (the reliability session uses it where the others use `ci`).
load_profile()

# The suite's helper modules (e.g. gradient_coverage) import by plain name, as the test files do.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "long: a long variant (minutes), left out of `nox -s reliability` and run by `nox -s reliability_long`",
    )
