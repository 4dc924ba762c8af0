"""Tools for testing differentiable functions, mygrad's own and yours.

:func:`numerical_gradient` estimates gradients by central differences; :func:`assert_gradients_match` checks a
function's backward pass against it, and :func:`assert_second_derivatives_match` its recorded (higher-order)
backward pass. :func:`no_cycle_collector` runs a block without Python's cycle collector, and
:func:`operation_names` lists the operations of a graph. Hypothesis strategies live in
:mod:`mygrad.testing.strategies`, which imports hypothesis only when it is used (mygrad itself depends on NumPy
alone), and the docstring checks that mygrad's suites run in :mod:`mygrad.testing.docstrings`.
"""

from mygrad.testing._collector import no_cycle_collector
from mygrad.testing._gradcheck import (
    assert_gradients_match,
    assert_second_derivatives_match,
    numerical_gradient,
)
from mygrad.testing._graph import operation_names

__all__ = [
    "assert_gradients_match",
    "assert_second_derivatives_match",
    "no_cycle_collector",
    "numerical_gradient",
    "operation_names",
]
