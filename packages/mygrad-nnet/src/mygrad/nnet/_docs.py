"""The docstring fragments that mygrad.nnet's functions share (private).

A public function's docstring is written beside it, in numpydoc form; where it would repeat a passage
that other functions share, a line holding only ``$name`` stands for the fragment ``FRAGMENTS[name]``,
and :func:`shared_docstring` (made by :func:`mygrad.operation_base.docstring_fragments`, as mygrad-core's
own docstrings are) puts the fragment in at import, indented as that line is.
"""

from __future__ import annotations

from mygrad.operation_base import docstring_fragments

__all__ = ["FRAGMENTS", "shared_docstring"]

_CONSTANT = """\
constant : bool, optional
    If True, the result does not back-propagate a gradient. By default it is a constant only if
    the input is one."""

_LABELS = """\
The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated)."""

_LABEL_ERRORS = """\
ValueError
    If the scores are not 2-D, or the labels not of shape ``(N,)``.
TypeError
    If the labels are not integers.
IndexError
    If a label is outside ``[0, C)``."""

_FOCAL_OPTIONS = f"""\
alpha : Real, optional (default 1)
    A weighting factor (an array broadcastable to ``(N,)`` is accepted, as a constant).
gamma : Real, optional (default 0)
    The non-negative focusing parameter; ``gamma = 0`` gives the cross-entropy ``-alpha * log(p)``.
{_CONSTANT}"""

_FOCAL_ERRORS = f"""\
{_LABEL_ERRORS}
ValueError
    If ``gamma`` is negative, or ``alpha`` does not broadcast to ``(N,)``.
TypeError
    If ``gamma`` is not a real number (also a ValueError, for code written against MyGrad 2), or
    ``alpha`` does not hold real numbers."""

_INITIALIZER_OPTIONS = """\
dtype : data-type, optional (default float32)
    A floating-point dtype.
constant : bool, optional
    If True, the result is a constant. By default it is not.
rng : numpy.random.Generator, optional
    The source of randomness; by default NumPy's global random state (``numpy.random.seed``)."""

_NEW_LEAF = """\
Tensor
    A new leaf tensor of the given shape and dtype."""

_FAN_SCALED = f"""\
Parameters
----------
*shape : int or tuple of ints
    The shape of the weight, at least 2-D: ``(out_features, in_features, *receptive_field)``, e.g.
    ``(F, C, Hf, Wf)`` for a convolution's filter bank; given as integers, ``f(2, 3)``, or as one
    tuple, ``f((2, 3))``.
gain : Real, optional (default 1)
    The non-negative scale factor.
{_INITIALIZER_OPTIONS}

Returns
-------
{_NEW_LEAF}

Raises
------
ValueError
    If the shape has fewer than two dimensions, ``dtype`` is not a floating-point type, or ``gain`` is
    negative, not finite or does not broadcast to the shape.
TypeError
    If ``gain`` does not hold real numbers.

Notes
-----
With ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``:"""

FRAGMENTS: dict[str, str] = {
    # activations and losses
    "input": "x : array_like\n    The input.",
    "float_input": "x : array_like\n    The input. Integer and boolean inputs give float64.",
    "constant": _CONSTANT,
    "axis": "axis : None or int or tuple of ints, optional (default -1)\n"
    "    The axis or axes that are normalized together; None means all of them.",
    "labels": _LABELS,
    "focal_options": _FOCAL_OPTIONS,
    "focal_errors": _FOCAL_ERRORS,
    "mean_loss": "Tensor, shape ()\n    The mean loss over the samples.",
    "label_errors": _LABEL_ERRORS,
    # initializers
    "shape": "*shape : int or tuple of ints\n    The shape of the result, as integers, ``f(2, 3)``, or as one tuple, "
    "``f((2, 3))``.",
    "initializer_options": _INITIALIZER_OPTIONS,
    "new_leaf": _NEW_LEAF,
    "fan_scaled": _FAN_SCALED,
}

shared_docstring = docstring_fragments(FRAGMENTS)
