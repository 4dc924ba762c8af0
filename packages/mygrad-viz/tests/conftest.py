import os
import sys

from mygrad.testing.hypothesis_profiles import load_profile

load_profile()  # the Hypothesis profile that HYPOTHESIS_PROFILE names ("dev" if unset): ci, fast, reliability...

# Test modules import each other's tables by plain name (pytest itself runs with --import-mode=importlib).
_TESTS_DIR = os.path.dirname(__file__)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)
