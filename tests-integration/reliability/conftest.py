"""Shared configuration of the reliability suite (issue 11): the ``long`` marker and Hypothesis's profiles.

Run by ``nox -s reliability`` (``-m "not long"``) and ``nox -s reliability_long`` (``-m long``), or by hand from
the repository root against the editable installs: ``python -m pytest tests-integration/reliability``.
Each test file keeps its own fixtures, so that it passes on its own as well as beside the others.
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

# The packages' profiles (packages/*/tests/conftest.py), chosen with HYPOTHESIS_PROFILE: `ci` bounds the run for
# CI, `dev` is quicker for local iteration, `release` is thorough; `reliability` is `ci` with the 200 examples
# per test that the suite promises for the gradient checks (the reliability session uses it in place of `ci`).
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("release", max_examples=1000, deadline=None)
settings.register_profile(
    "reliability", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The suite's helper modules (e.g. gradient_coverage) import by plain name, as the test files do.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "long: a long variant (minutes), left out of `nox -s reliability` and run by `nox -s reliability_long`",
    )
