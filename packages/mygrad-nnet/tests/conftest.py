import os
import sys

from hypothesis import HealthCheck, settings

# `ci` bounds the run for CI; `dev` is quicker for local iteration; `release` is thorough; `reliability` is `ci`
# with 200 examples per test: `nox -s reliability` runs the gradient checks with it (docs/reliability.rst).
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("release", max_examples=1000, deadline=None)
settings.register_profile(
    "reliability", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Test modules import each other's tables by plain name (pytest itself runs with --import-mode=importlib).
_TESTS_DIR = os.path.dirname(__file__)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)
