"""mygrad.nnet: neural-network layers, activations, losses and initializers, built on mygrad's public API.

Everything is also available flat: ``mygrad.nnet.relu``, ``mygrad.nnet.conv_nd``, ...
"""

from mygrad.nnet import activations, initializers, layers, losses
from mygrad.nnet._version import __version__
from mygrad.nnet.activations import *  # noqa: F403
from mygrad.nnet.initializers import *  # noqa: F403
from mygrad.nnet.layers import *  # noqa: F403
from mygrad.nnet.losses import *  # noqa: F403
