"""The three distributions installed together, as users get them: the seed's examples, the README's code, and
checks that cross packages (nnet ops in graphs drawn by viz, pickling, version metadata)."""

from __future__ import annotations

import doctest
import importlib.metadata
import pickle
import re
import runpy
from pathlib import Path

import numpy as np
import pytest

import mygrad as mg
from mygrad.computational_graph import build_graph

README = Path(__file__).resolve().parents[1] / "README.md"
TYPING_SAMPLE = Path(__file__).resolve().parent / "typing_sample.py"  # what `nox -s lint` type-checks
DISTRIBUTIONS = {
    "mygrad-core": "mygrad",
    "mygrad-nnet": "mygrad.nnet",
    "mygrad-viz": "mygrad.computational_graph",
}


def test_installed_from_wheels_not_the_source_tree():
    for module in DISTRIBUTIONS.values():
        path = Path(importlib.import_module(module).__file__).resolve()
        assert "site-packages" in path.parts, (
            f"{module} was imported from {path}, not from an installed wheel"
        )


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_version_metadata_matches_the_package(distribution):
    module = importlib.import_module(DISTRIBUTIONS[distribution])
    assert importlib.metadata.version(distribution) == module.__version__


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_wheel_carries_the_mit_licence(distribution):
    metadata = importlib.metadata.metadata(distribution)
    assert metadata["License-Expression"] == "MIT"
    (licence,) = [f for f in importlib.metadata.files(distribution) if f.name == "LICENSE"]
    assert licence.read_text() == (README.parent / "LICENSE").read_text()  # each package's copy is the root's


# ------------------------------------------------------------------------------------- the seed's examples
def test_seed_first_example():
    x = mg.tensor([1.0, 2.0, 3.0])
    f = np.sum(x * x)
    f.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])


def test_seed_derivative_of_a_square():
    x = mg.tensor(3.0)
    f = np.square(x)
    assert repr(f) == "Tensor(9.)"
    f.backward()
    assert repr(x.grad) == "array(6.)"


def test_seed_gradient_descent(capsys):
    w = mg.tensor(10.0)
    print(w)
    for _ in range(10):
        loss = w**2
        loss.backward()
        w.data -= 0.3 * w.grad
        print(w)
    expected = [
        "10.",
        "4.",
        "1.6",
        "0.64",
        "0.256",
        "0.1024",
        "0.04096",
        "0.016384",
        "0.0065536",
        "0.00262144",
        "0.00104858",
    ]
    assert capsys.readouterr().out.split() == [f"Tensor({v})" for v in expected]


def test_seed_arrays_are_constants():
    x = mg.tensor([2.0, 2.0, 2.0])
    (x ** np.array([1.0, 2.0, 3.0])).backward()
    np.testing.assert_array_equal(x.grad, [1.0, 4.0, 12.0])


def test_seed_hinge_loss():
    rng = np.random.default_rng(0)
    class_scores = mg.Tensor(10 * rng.random((100, 10)))
    labels = (range(100), rng.integers(0, 10, size=100))
    correct = class_scores[labels]
    margins = class_scores - correct[:, np.newaxis] + 1.0
    margins[margins <= 0] = 0
    margins[labels] = 0
    loss = margins.sum() / class_scores.shape[0]
    loss.backward()
    scores = class_scores.data
    positive = scores - scores[labels][:, None] + 1 > 0
    positive[labels] = False
    expected = positive / 100.0
    expected[labels] -= positive.sum(axis=1) / 100.0
    np.testing.assert_allclose(class_scores.grad, expected)


def test_seed_graph_example():
    x = mg.tensor(2.0)
    y = mg.tensor(3.0)
    f = x * y
    g = f + x - 2
    source = build_graph(g, names=locals()).source
    for op in ("Multiply", "Add", "Subtract"):
        assert op in source


# ----------------------------------------------------------------------------------- the README's code
def _readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_code_blocks_run():
    blocks = _readme_blocks()
    assert blocks, "the README shows no Python code"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        if block.lstrip().startswith(">>>"):
            runner.run(doctest.DocTestParser().get_doctest(block, {}, f"README-{i}", str(README), 0))
        else:
            exec(compile(block, f"README block {i}", "exec"), {})
    assert runner.summarize(verbose=False).failed == 0


# -------------------------------------------------------------------------------- across the packages
def test_the_typing_sample_runs(capsys):
    runpy.run_path(str(TYPING_SAMPLE), run_name="__main__")
    assert "Tensor" in capsys.readouterr().out


def test_nnet_ops_in_a_graph_drawn_by_viz():
    x = mg.tensor(np.random.default_rng(1).random((2, 1, 6, 6)))
    w = mg.tensor(np.random.default_rng(2).random((3, 1, 3, 3)))
    scores = mg.nnet.max_pool(mg.nnet.relu(mg.nnet.conv_nd(x, w, stride=1)), (2, 2), 2).reshape(2, -1)
    loss = mg.nnet.softmax_crossentropy(scores, np.array([0, 1]))
    source = build_graph(loss, names={"x": x, "w": w}).source
    for op in ("ConvND", "MaxPool", "Reshape"):
        assert op in source
    loss.backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape


@pytest.mark.parametrize(
    "make",
    [
        lambda: mg.tensor([1.0, 2.0]) * 3,
        lambda: mg.nnet.relu(mg.tensor([-1.0, 2.0])),
        lambda: mg.nnet.initializers.glorot_uniform(2, 3, rng=np.random.default_rng(0)),
    ],
    ids=["core", "nnet", "nnet-initializer"],
)
def test_tensors_from_each_package_pickle(make):
    tensor = make()
    tensor.backward()
    restored = pickle.loads(pickle.dumps(tensor))
    np.testing.assert_array_equal(restored.data, tensor.data)
    np.testing.assert_array_equal(restored.grad, tensor.grad)
    assert restored.constant == tensor.constant
