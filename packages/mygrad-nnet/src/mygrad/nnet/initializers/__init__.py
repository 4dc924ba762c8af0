"""Initializers: new leaf Tensors of a given shape, filled by a rule or drawn from a distribution.

The random ones take an optional ``rng`` (a :class:`numpy.random.Generator`); by default they draw from
NumPy's global random state. ``identity`` is :func:`mygrad.identity` itself.
"""

from mygrad import identity
from mygrad.nnet.initializers.constant import constant
from mygrad.nnet.initializers.dirac import dirac
from mygrad.nnet.initializers.glorot_normal import glorot_normal
from mygrad.nnet.initializers.glorot_uniform import glorot_uniform
from mygrad.nnet.initializers.he_normal import he_normal
from mygrad.nnet.initializers.he_uniform import he_uniform
from mygrad.nnet.initializers.normal import normal
from mygrad.nnet.initializers.uniform import uniform

__all__ = [
    "constant",
    "dirac",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "normal",
    "uniform",
]
