"""Layers: N-d convolution and pooling on sliding windows, batch normalization, and the GRU."""

from mygrad.nnet.layers import utils
from mygrad.nnet.layers.batchnorm import batchnorm
from mygrad.nnet.layers.conv import conv_nd
from mygrad.nnet.layers.gru import gru
from mygrad.nnet.layers.pooling import avg_pool, max_pool

__all__ = ["avg_pool", "batchnorm", "conv_nd", "gru", "max_pool"]
