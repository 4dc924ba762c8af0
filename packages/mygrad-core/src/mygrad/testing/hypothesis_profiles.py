"""Hypothesis settings profiles: how many examples each property-based test draws, by purpose.

mygrad's test suites load them from their ``conftest.py`` with :func:`load_profile`; so can yours. Needs
Hypothesis, which mygrad itself does not.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["load_profile"]

_EXAMPLES = {"dev": 20, "fast": 20, "ci": 60, "reliability": 200, "release": 1000, "backends": 3}
_RUN_BY_CI = ("fast", "ci", "reliability", "backends")  # on machines whose load varies


def load_profile(name: str | None = None) -> str:
    """Register mygrad's Hypothesis profiles and load one.

    Parameters
    ----------
    name : str, optional
        The profile to load; by default the one that the environment variable ``HYPOTHESIS_PROFILE`` names,
        or ``"dev"``.

    Returns
    -------
    str
        The name of the profile loaded.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        If no profile has that name.

    Notes
    -----
    ============  ========  ===============================================================================
    profile       examples  for
    ============  ========  ===============================================================================
    dev           20        quick local runs (the default when ``HYPOTHESIS_PROFILE`` is unset)
    fast          20        CI's runs on the other supported Pythons: every test runs, with fewer draws
    ci            60        CI's run on the main Python
    reliability   200       the gradient checks of the reliability suite (``nox -s reliability``)
    release       1000      thorough runs, before a release
    backends      3         the gradient checks run again over Dask and CuPy (``nox -s tests_backends``),
                            where each example runs the other library's scheduler
    ============  ========  ===============================================================================

    No profile has a deadline: a gradient check's time depends on the shapes drawn and on the machine's
    load. For the same reason, those that CI runs do not fail a test whose data generation is slow.

    Examples
    --------
    In a ``conftest.py``, ``load_profile()`` loads the profile that ``HYPOTHESIS_PROFILE`` names:

    >>> from hypothesis import settings
    >>> from mygrad.testing.hypothesis_profiles import load_profile
    >>> name = load_profile()
    >>> settings.default.max_examples == settings.get_profile(name).max_examples
    True
    >>> settings.get_profile("ci").max_examples
    60
    """
    for profile, examples in _EXAMPLES.items():
        slow_is_fine = [HealthCheck.too_slow] if profile in _RUN_BY_CI else []
        settings.register_profile(
            profile, max_examples=examples, deadline=None, suppress_health_check=slow_is_fine
        )
    name = name or os.environ.get("HYPOTHESIS_PROFILE") or "dev"
    settings.load_profile(name)
    return name
