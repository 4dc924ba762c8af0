"""Activation functions: elementwise nonlinearities and normalizations, each differentiable.

``tanh`` is :func:`mygrad.tanh` itself.
"""

from mygrad import tanh
from mygrad.nnet.activations.elu import elu
from mygrad.nnet.activations.glu import glu
from mygrad.nnet.activations.hard_tanh import hard_tanh
from mygrad.nnet.activations.leaky_relu import leaky_relu
from mygrad.nnet.activations.relu import relu
from mygrad.nnet.activations.selu import selu
from mygrad.nnet.activations.sigmoid import sigmoid
from mygrad.nnet.activations.soft_sign import soft_sign
from mygrad.nnet.activations.softmax import logsoftmax, softmax

__all__ = [
    "elu",
    "glu",
    "hard_tanh",
    "leaky_relu",
    "logsoftmax",
    "relu",
    "selu",
    "sigmoid",
    "soft_sign",
    "softmax",
    "tanh",
]
