"""Helpers that several of mygrad-nnet's test modules share (conftest.py puts this folder on ``sys.path``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any


def no_warnings(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, failing the test on any warning (overflow, division by zero, ...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)
