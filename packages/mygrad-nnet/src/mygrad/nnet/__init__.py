"""mygrad.nnet: neural-network layers, activations, losses and initializers, built on mygrad's public API.

Everything is also available flat: ``mygrad.nnet.relu``, ``mygrad.nnet.conv_nd``, ...
"""

from mygrad.nnet import layers
from mygrad.nnet._version import __version__
from mygrad.nnet.layers import *  # noqa: F403
