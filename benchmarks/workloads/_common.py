"""What every workload module provides, and helpers they share.

A workload is two implementations of one computation's forward and backward pass:

- ``mygrad``: code written against the mygrad API as far back as MyGrad 2.5.0 (tensors, operators, ``mg.sin``
  and friends, ``mygrad.nnet`` layers, indexing), so the same code runs on this repository's mygrad and on the
  reference release;
- ``floor``: plain NumPy with a hand-written backward pass and no graph bookkeeping: the fastest a NumPy-based
  autodiff library could hope to be.

Both factories receive their own fresh copy of the input arrays, do their one-time setup outside the timed
region (e.g. wrapping parameters in tensors) and return a zero-argument ``step`` that runs one forward and
backward pass and returns the gradients by name. The runner checks the two sets of gradients against each other
before it times anything.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import mygrad

Arrays = dict[str, np.ndarray]
Step = Callable[[], Arrays]


class NotAvailable(Exception):
    """The installed mygrad lacks a function this workload needs: the workload is reported as "n/a"."""


@dataclass(frozen=True)
class Workload:
    name: str
    what: str  # the computation and its sizes, for the table
    target: float | None  # the time target, as a multiple of the floor
    make_arrays: Callable[[], Arrays]  # fresh, deterministic inputs
    floor: Callable[[Arrays], Step]
    mygrad: Callable[[Arrays], Step]
    mem_target: float | None = None  # the peak-memory target, as a multiple of the floor's peak
    rtol: float = 1e-7  # gradient check: max |mygrad - floor| <= rtol * max |floor|, per gradient
    ops_per_step: int | None = None  # operations a step records, for instructions per operation (a chain's)
    on_request: bool = False  # not in the suite's table: run only when named (``run.py --only``)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def nnet_function(name: str) -> Callable[..., Any]:
    """``mygrad.nnet.<name>`` (also looked up in its ``activations``, ``losses`` and ``layers`` namespaces).

    Raises NotAvailable when the installed mygrad does not provide it, e.g. MyGrad 2.5.0's ``gru`` without numba,
    or a function of ours that is not exported yet.
    """
    try:
        nnet = importlib.import_module("mygrad.nnet")
    except ImportError as e:
        raise NotAvailable(f"mygrad.nnet cannot be imported ({e})") from None
    candidates = [nnet]
    for sub in ("activations", "losses", "layers"):
        with contextlib.suppress(ImportError):
            candidates.append(importlib.import_module(f"mygrad.nnet.{sub}"))
    for namespace in candidates:
        fn = getattr(namespace, name, None)
        if callable(fn):
            return fn
    raise NotAvailable(f"this mygrad has no mygrad.nnet.{name}")


def set_memory_guard(on: bool) -> None:
    """Turn mygrad's memory guard on or off for the rest of the process (MyGrad 2.5.0 has the same switch)."""
    if on:
        mygrad.turn_memory_guarding_on()
    else:
        mygrad.turn_memory_guarding_off()


def grads_of(**tensors: Any) -> Arrays:
    """The ``.grad`` of each tensor, by name."""
    return {name: t.grad for name, t in tensors.items()}
