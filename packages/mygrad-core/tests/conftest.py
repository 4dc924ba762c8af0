import os
import sys

from mygrad.testing.hypothesis_profiles import load_profile

load_profile()  # the Hypothesis profile that HYPOTHESIS_PROFILE names ("dev" if unset): ci, fast, reliability...

# Test modules import each other's tables by plain name (pytest itself runs with --import-mode=importlib).
_TESTS_DIR = os.path.dirname(__file__)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

# `MYGRAD_TEST_BACKEND=dask` (or `cupy`): every gradient check also runs its case over that library's arrays
# (`nox -s tests_backends`; mygrad.testing.backends). Without CuPy or a CUDA device, the CuPy run is skipped.
_BACKEND = os.environ.get("MYGRAD_TEST_BACKEND")


def _make_backend():
    from mygrad.testing.backends import cupy_backend, dask_backend

    if _BACKEND == "dask":
        return dask_backend(), None
    if _BACKEND != "cupy":
        raise ValueError(f"MYGRAD_TEST_BACKEND must be 'dask' or 'cupy', not {_BACKEND!r}")
    try:
        backend = cupy_backend()
        import cupy

        cupy.cuda.runtime.getDeviceCount()  # raises without a driver or device
    except Exception as error:  # ImportError, or CuPy's own for a missing driver/device
        return None, f"the CuPy backend needs CuPy and a CUDA device: {type(error).__name__}: {error}"
    return backend, None


if _BACKEND:
    import pytest

    from mygrad.testing.backends import over

    _ARRAY_BACKEND, _SKIP_REASON = _make_backend()

    def pytest_collection_modifyitems(config, items):
        if _SKIP_REASON is not None:
            for item in items:
                item.add_marker(pytest.mark.skip(reason=_SKIP_REASON))

    # Cases whose results rest on NumPy's views (a write through a view changes its base): a library without
    # views (Dask) computes them otherwise, by design (docs/beyond.rst), so their checks stay NumPy's alone.
    # ("[SetItem-2]": test_higher_order's write_into_the_base_of_a_live_view, read through a view after a write
    # into its base: over Dask the view keeps the old values, so even the forward pass differs)
    _VIEW_CASES = (
        "test_unary_ufunc_writing_into_another_tensor",
        "test_clip_out_writes_into",
        "[in place]",
        "[SetItem-2]",
    )

    def _writes_through_views(item) -> bool:
        return "view" in item.name.lower() or any(case in item.name for case in _VIEW_CASES)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(item):
        if _ARRAY_BACKEND is not None and not _ARRAY_BACKEND.views and _writes_through_views(item):
            with over(None):
                return (yield)
        return (yield)

    @pytest.fixture(autouse=True, scope="session")
    def _over_array_backend():
        with over(_ARRAY_BACKEND):
            yield
