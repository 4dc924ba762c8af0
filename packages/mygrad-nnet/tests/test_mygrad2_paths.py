"""MyGrad 2's module paths of mygrad.nnet (``mygrad.nnet.activations.relu``, ``mygrad.nnet.layers.gru``, ...).

mygrad-core serves them from its table of MyGrad 2.5.0's modules (core's test_compat.py walks all of it); here
the entries of nnet's paths are checked where nnet is installed, with what only nnet can show.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pytest

import mygrad as mg
import mygrad.nnet as nnet
from mygrad._compat import MODULES, PACKAGES, resolve

ENTRIES = [
    (path, name) for path, names in MODULES.items() if path.startswith("mygrad.nnet") for name in names
]


@pytest.mark.parametrize("path, name", ENTRIES, ids=[f"{path}.{name}" for path, name in ENTRIES])
def test_every_name_of_nnets_mygrad_2_paths(path, name):
    module = importlib.import_module(path)
    assert getattr(module, name) is resolve(MODULES[path][name])
    if path in PACKAGES:
        assert isinstance(module.__path__, list)  # so that its MyGrad 2 submodules import


def test_the_families_keep_their_functions_when_mygrad_2s_submodules_are_imported():
    # in a fresh interpreter: the import of an alias submodule would set it on its parent, over the function
    code = (
        "import sys, mygrad.nnet.activations.relu, mygrad.nnet.losses.focal_loss\n"
        "from mygrad.nnet.initializers.he_normal import he_normal\n"
        "import mygrad.nnet as nnet\n"
        "print(nnet.activations.relu is nnet.relu, nnet.losses.focal_loss is nnet.focal_loss,\n"
        "      nnet.initializers.he_normal is he_normal is nnet.he_normal,\n"
        "      type(sys.modules['mygrad.nnet.activations.relu']).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "True", "module"]


def test_the_operation_classes_are_the_creators_of_nnets_results():
    from mygrad.nnet.activations.relu import ReLu
    from mygrad.nnet.activations.softmax import LogSoftmax, Softmax
    from mygrad.nnet.layers.batchnorm import BatchNorm
    from mygrad.nnet.layers.conv import ConvND
    from mygrad.nnet.layers.pooling import MaxPoolND
    from mygrad.nnet.losses.focal_loss import FocalLoss
    from mygrad.nnet.losses.softmax_crossentropy import SoftmaxCrossEntropy

    x = mg.tensor(np.arange(8.0).reshape(1, 2, 4))
    cases = [
        (nnet.relu(x), ReLu),
        (nnet.softmax(x), Softmax),
        (nnet.logsoftmax(x), LogSoftmax),
        (nnet.batchnorm(x, eps=1e-5), BatchNorm),
        (nnet.conv_nd(x, np.ones((1, 2, 2)), stride=1), ConvND),
        (nnet.max_pool(x, (2,), 2), MaxPoolND),
        (nnet.focal_loss(x[0] / 10, [0, 1]), FocalLoss),
        (nnet.softmax_crossentropy(x[0], [0, 1]), SoftmaxCrossEntropy),
    ]
    for result, op in cases:
        assert isinstance(result.creator, op), (result.creator, op)
