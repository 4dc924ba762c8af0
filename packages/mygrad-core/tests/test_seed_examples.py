"""The examples of the seed document "Introducing MyGrad" (shared/seed/introducing-mygrad.txt), run as written.

The document shows NumPy 1's formatting (``Tensor(9.0)``, ``array(6.0)``); NumPy 2 prints ``Tensor(9.)`` and
``array(6.)``, which is what is expected here. Left out: the hinge-loss "Advanced Example", which needs item
assignment (``Lij[...] = 0``, a later issue), and the rendering call of the graph-visualization example, which
belongs to mygrad-viz.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg


def test_first_example_sum_of_squares():
    x = mg.tensor([1.0, 2.0, 3.0])  # like numpy.array, but supports backprop!
    f = np.sum(x * x)  # tensors work with numpy functions!
    assert isinstance(f, mg.Tensor)
    f.backward()  # triggers automatic differentiation
    assert repr(x.grad) == "array([2., 4., 6.])"
    assert type(x.grad) is np.ndarray


def test_a_simple_application_derivative_of_x_squared_at_3():
    x = mg.tensor(3.0)
    f = np.square(x)  # mygrad's tensors can be passed into NumPy functions
    assert repr(f) == "Tensor(9.)"
    f.backward()  # triggers computation of ``df/dx``
    assert repr(x.grad) == "array(6.)"  # df/dx = 2x = 6.0
    assert type(x.grad) is np.ndarray and x.grad.ndim == 0


SEED_DESCENT_OUTPUT = """\
Tensor(10.)
Tensor(4.)
Tensor(1.6)
Tensor(0.64)
Tensor(0.256)
Tensor(0.1024)
Tensor(0.04096)
Tensor(0.016384)
Tensor(0.0065536)
Tensor(0.00262144)
Tensor(0.00104858)
"""


def test_gradient_descent_prints_the_documented_steps(capsys):
    w = mg.tensor(10.0)
    learning_rate = 0.3
    num_steps = 10
    print(w)
    for _ in range(num_steps):
        loss = w**2  # compute L(w) (this also "nulls" any derivatives)
        loss.backward()  # compute derivative of L
        # Update w via gradient-step..
        # We do an augmented update on the underlying numpy-array stored by `w`
        w.data -= learning_rate * w.grad
        print(w)
    assert capsys.readouterr().out == SEED_DESCENT_OUTPUT


def test_arrays_are_constants_in_a_graph():
    x = mg.tensor([2.0, 2.0, 2.0])
    y = np.array([1.0, 2.0, 3.0])
    f = x**y  # (2 ** 1, 2 ** 2, 2 ** 3)
    np.testing.assert_array_equal(f.data, [2.0, 4.0, 8.0])
    f.backward()
    assert repr(x.grad) == repr(np.array([1.0, 4.0, 12.0]))
    np.testing.assert_array_equal(y, [1.0, 2.0, 3.0])  # the array is untouched, and got no gradient


# The "Advanced Example" (hinge loss) is left out: it needs item assignment, `Lij[...] = 0`, a later issue.


def test_graph_visualization_example_builds_the_graph_it_draws():
    # the example's graph, without `build_graph` (mygrad-viz); the renderer walks exactly these attributes
    x = mg.tensor(2)
    y = mg.tensor(3)
    f = x * y
    g = f + x - 2
    assert g.item() == 6
    assert g.constant is True  # integer tensors are constants
    leaves = []
    stack = [g]
    while stack:
        t = stack.pop()
        if t.creator is None:
            leaves.append(t)
        else:
            stack.extend(t.creator.variables)
    assert sum(t is x for t in leaves) == 2
    assert sum(t is y for t in leaves) == 1
