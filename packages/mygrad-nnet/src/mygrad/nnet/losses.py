"""Loss functions: class-score losses (cross-entropy, likelihood, hinge, focal) and the margin ranking loss.

The class-score losses take scores of shape ``(N, C)`` and integer labels of shape ``(N,)``, checked by
:func:`_labels_of`.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet._docs import shared_docstring
from mygrad.nnet._utils import (
    TypeValueError,
    as_array,
    as_inexact,
    data,
    lane_max,
    real_array,
    real_scalar,
    shaped_like,
)
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = [
    "focal_loss",
    "margin_ranking_loss",
    "multiclass_hinge",
    "negative_log_likelihood",
    "softmax_crossentropy",
    "softmax_focal_loss",
]

# MyGrad 2's submodules (``mygrad.nnet.losses.focal_loss``, ...) are served by mygrad's import aliases: the
# import system looks for a module's submodules only if it has a ``__path__``.
__path__: list[str] = []


# ------------------------------------------------------------------------------------- shared helpers
def _labels_of(scores: Any, labels: Any, scores_name: str, labels_name: str) -> np.ndarray:
    """Check that ``scores`` is 2-D, shape ``(N, C)``, and that ``labels`` holds integers of shape ``(N,)``
    in ``[0, C)``; returns the labels as an integer array (a Tensor's data, not a copy)."""
    scores_ndim = np.ndim(data(scores))
    if scores_ndim != 2:
        raise ValueError(
            f"`{scores_name}` must be a 2-dimensional array-like object of shape (N, C), got {scores_ndim}-dim"
        )
    labels = np.asarray(data(labels))
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"`{labels_name}` must be an integer-type array-like object, got {labels.dtype}")
    n, c = np.shape(data(scores))
    if labels.shape != (n,):
        raise ValueError(
            f"`{labels_name}` must be a shape-(N,) array matching `{scores_name}`'s N={n}: "
            f"expected shape {(n,)}, got shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= c):  # a negative label would pick from the end
        bad = labels[(labels < 0) | (labels >= c)][0]
        raise IndexError(
            f"`{labels_name}` must hold class indices in [0, {c}) for `{scores_name}` of C={c} classes, got {bad}"
        )
    return labels


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """The (N, C) mask of each sample's true class."""
    return np.arange(classes) == labels[:, np.newaxis]


def _picked(x: Any, labels: np.ndarray) -> Any:
    """``x[i, labels[i]]`` for every row ``i``: the score of each sample's true class."""
    if type(x) is np.ndarray or isinstance(x, Tensor):
        return x[np.arange(x.shape[0]), labels]
    # another library's array (Dask's takes no index of two integer arrays): the same numbers, by a one-hot sum
    return np.sum(np.where(_one_hot(labels, x.shape[1]), x, 0), axis=1)


def _scatter_rows(labels: np.ndarray, shape: tuple[int, ...], values: Any, dtype: Any) -> Any:
    """An array of ``shape`` (N, C) holding ``values[i]`` at ``[i, labels[i]]`` and 0 elsewhere.

    Given a Tensor of values (a rule run by the recorded backward pass), a Tensor that depends on them; given
    another library's array, an array of that library."""
    if type(values) is not np.ndarray and hasattr(values, "__array_function__"):
        # a Tensor, or another library's array (kept in it; Dask's assignment takes no such index)
        one_hot = _one_hot(labels, shape[1])
        return (np.broadcast_to(values, shape[:1])[:, np.newaxis] * one_hot).astype(dtype)
    out = np.zeros(shape, dtype=dtype)
    out[np.arange(shape[0]), labels] = values
    return out


def _row_logsumexp(x: np.ndarray) -> np.ndarray:
    """``log(sum(exp(x), axis=1, keepdims=True))`` of a 2-D float array, without overflow."""
    shift = lane_max(x, 1)
    shift = np.where(np.isfinite(shift), shift, 0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - shift), axis=1, keepdims=True)) + shift


# ------------------------------------------------------------------------------- softmax cross-entropy
def _softmax_crossentropy(x: np.ndarray, *, labels: np.ndarray) -> np.ndarray:
    x = as_inexact(x)
    # -log softmax(x)[i, y_i] = logsumexp(x[i]) - x[i, y_i]
    return np.mean(_row_logsumexp(x)[:, 0] - _picked(x, labels))


def _softmax_crossentropy_grad(g: Any, out: Any, x: Any, *, labels: np.ndarray) -> Any:
    # (softmax(x) - onehot(labels)) / N, built in place in the fresh softmax array
    grad = np.exp(x - _row_logsumexp(x))
    if type(grad) is not np.ndarray:  # another library's array: no writes through an index of labels
        return (grad - _one_hot(labels, x.shape[1])) * (g / x.shape[0])
    grad[np.arange(x.shape[0]), labels] -= 1
    grad *= g / x.shape[0]
    return grad


SoftmaxCrossEntropy = primitive("SoftmaxCrossEntropy", _softmax_crossentropy, _softmax_crossentropy_grad)


@shared_docstring
def softmax_crossentropy(x: ArrayLike, y_true: ArrayLike, *, constant: bool | None = None) -> Tensor:
    """The mean cross-entropy between the softmax of class scores and the true labels.

    ``-mean(log(softmax(x, axis=1))[range(N), y_true])``, computed in one fused, stable step.

    Parameters
    ----------
    x : array_like, shape (N, C)
        The class scores (logits) of ``N`` samples over ``C`` classes.
    y_true : array_like of ints, shape (N,)
        $labels
    $constant

    Returns
    -------
    $mean_loss

    Raises
    ------
    $label_errors

    Notes
    -----
    The log-softmax is computed as ``x - logsumexp(x)`` with the row maximum subtracted first, so huge
    scores neither overflow nor produce ``log(0)``. The gradient is ``(softmax(x) - onehot(y_true)) / N``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import softmax_crossentropy
    >>> x = mg.tensor([[2.0, 2.0], [0.0, 1000.0]])
    >>> loss = softmax_crossentropy(x, [0, 1])
    >>> loss
    Tensor(0.34657359)
    >>> loss.backward()
    >>> x.grad
    array([[-0.25,  0.25],
           [ 0.  ,  0.  ]])
    """
    labels = _labels_of(x, y_true, "x", "y_true")
    return mg.execute_op(SoftmaxCrossEntropy, x, op_kwargs={"labels": labels}, constant=constant)


# ---------------------------------------------------------------------------- negative log-likelihood
def _sample_weights(labels: np.ndarray, weights: np.ndarray | None) -> Any:
    return 1 if weights is None else weights[labels]


def _negative_log_likelihood(x: np.ndarray, *, labels: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    return -np.mean(_picked(x, labels) * _sample_weights(labels, weights))


def _negative_log_likelihood_grad(
    g: Any, out: Any, x: Any, *, labels: np.ndarray, weights: np.ndarray | None
) -> Any:
    scale = -g * np.asarray(_sample_weights(labels, weights)) / x.shape[0]
    return _scatter_rows(labels, x.shape, scale, np.result_type(x, scale))


NegativeLogLikelihood = primitive(
    "NegativeLogLikelihood", _negative_log_likelihood, _negative_log_likelihood_grad
)


@shared_docstring
def negative_log_likelihood(
    x: ArrayLike,
    y_true: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    constant: bool | None = None,
) -> Tensor:
    """The mean negative log-likelihood of the true classes, optionally weighted per class.

    ``-mean(x[range(N), y_true] * weights[y_true])``.

    Parameters
    ----------
    x : array_like, shape (N, C)
        Log-probabilities of ``N`` samples over ``C`` classes (e.g. the output of
        :func:`~mygrad.nnet.activations.logsoftmax`).
    y_true : array_like of ints, shape (N,)
        $labels
    weights : array_like, shape (C,), optional
        A weight per class (all 1 by default). It is treated as a constant.
    $constant

    Returns
    -------
    Tensor, shape ()
        The mean weighted loss over the samples.

    Raises
    ------
    $label_errors
    ValueError
        If ``weights`` is not of shape ``(C,)``.
    TypeError
        If ``weights`` does not hold real numbers (also a ValueError, for code written against MyGrad 2).

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import negative_log_likelihood
    >>> x = mg.tensor([[-0.5, -1.0], [-2.0, -0.25]])
    >>> loss = negative_log_likelihood(x, [0, 1], weights=[1.0, 2.0])
    >>> loss
    Tensor(0.5)
    >>> loss.backward()
    >>> x.grad
    array([[-0.5,  0. ],
           [ 0. , -1. ]])
    """
    labels = _labels_of(x, y_true, "x", "y_true")
    if weights is not None:
        weights = real_array(weights, "weights", TypeValueError)  # MyGrad 2 raised ValueError
        n_classes = np.shape(data(x))[1]
        if weights.shape != (n_classes,):
            raise ValueError(
                f"`weights` must be a shape-(C,) array, one weight per class: expected shape {(n_classes,)}, "
                f"got shape {weights.shape}"
            )
    return mg.execute_op(
        NegativeLogLikelihood, x, op_kwargs={"labels": labels, "weights": weights}, constant=constant
    )


# ---------------------------------------------------------------------------------- multiclass hinge
def _violations(x: np.ndarray, labels: np.ndarray, hinge: Any) -> np.ndarray:
    """``x[i, j] - x[i, y_i] + hinge`` for every class, and 0 for the true class itself."""
    x = as_inexact(x)
    margins = x - _picked(x, labels)[:, np.newaxis] + hinge
    if type(margins) is not np.ndarray:  # another library's array: no writes through an index of labels
        return np.where(_one_hot(labels, x.shape[1]), 0, margins)
    margins[np.arange(x.shape[0]), labels] = 0  # the true class does not count against its sample
    return margins


def _multiclass_hinge(x: np.ndarray, *, labels: np.ndarray, hinge: Any) -> np.ndarray:
    return np.sum(np.maximum(_violations(x, labels, hinge), 0)) / x.shape[0]


def _multiclass_hinge_grad(g: Any, out: Any, x: Any, *, labels: np.ndarray, hinge: Any) -> Any:
    violated = _violations(data(x), labels, hinge) > 0  # a margin of exactly 0 passes no gradient
    scale = g / x.shape[0]
    grad = violated * scale
    # the true class's score enters every violated margin of its row with a minus sign
    true_class = -np.sum(violated, axis=1) * scale
    if type(grad) is not np.ndarray:  # another library's array: no writes through an index of labels
        return np.where(_one_hot(labels, x.shape[1]), true_class[:, np.newaxis], grad)
    grad[np.arange(x.shape[0]), labels] = true_class
    return grad


MulticlassHinge = primitive("MulticlassHinge", _multiclass_hinge, _multiclass_hinge_grad)


@shared_docstring
def multiclass_hinge(
    x: ArrayLike, y_true: ArrayLike, hinge: float = 1.0, *, constant: bool | None = None
) -> Tensor:
    """The mean multiclass hinge loss of class scores.

    For each sample ``i`` with true class ``y_i``, every other class ``j`` adds
    ``max(0, x[i, j] - x[i, y_i] + hinge)``; the result is the sum over ``i`` and ``j``, divided by ``N``.

    Parameters
    ----------
    x : array_like, shape (N, C)
        The class scores of ``N`` samples over ``C`` classes.
    y_true : array_like of ints, shape (N,)
        $labels
    hinge : Real, optional (default 1.0)
        The margin by which the true class's score must exceed every other score to cost nothing.
    $constant

    Returns
    -------
    $mean_loss

    Raises
    ------
    $label_errors
    TypeError
        If ``hinge`` is not a real number.

    Notes
    -----
    A term that is exactly 0 at its kink contributes no gradient.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import multiclass_hinge
    >>> x = mg.tensor([[3.0, 2.5, 0.0], [1.0, 2.0, 3.0]])
    >>> loss = multiclass_hinge(x, [0, 2])
    >>> loss
    Tensor(0.25)
    >>> loss.backward()
    >>> x.grad
    array([[-0.5,  0.5,  0. ],
           [ 0. ,  0. ,  0. ]])
    """
    labels = _labels_of(x, y_true, "x", "y_true")
    hinge = real_scalar(hinge, "hinge")
    return mg.execute_op(MulticlassHinge, x, op_kwargs={"labels": labels, "hinge": hinge}, constant=constant)


# ---------------------------------------------------------------------------------------- focal loss
# -alpha q^gamma log p, q = 1 - p, is not analytic at p = 1 (for a gamma that is not an integer): there its
# derivatives are 0, finite or infinite by their order. Written so, a derivative of order k holds
# q^(gamma - k) log p, infinity times 0 at p = 1: NaN. So the first-order rules use forms without such
# products, and higher orders differentiate composites in which none arises at any order:
# * of probabilities, alpha q^(gamma + 1) H(p) with H(p) = -log(p) / (1 - p), smooth (1 at p = 1), whose
#   derivatives of every order are LogOverComplement's;
# * of scores, -alpha exp(gamma log q) log p, with log p and log q from log-sum-exps of the scores: finite
#   even where p or q underflows, and so are their derivatives.
def _series_coefficients(order: int) -> np.ndarray:
    """The Taylor coefficients in ``q = 1 - p`` of the ``order``-th derivative of ``-log(1 - q) / q``,
    ``(k + order)! / (k! (k + order + 1))``, as many as make the remainder negligible for ``|q| <= 1/2``."""
    k = np.arange(60 + 8 * order, dtype=np.float64)
    ratios = (k[:-1] + order + 1) ** 2 / ((k[:-1] + 1) * (k[:-1] + order + 2))
    return math.factorial(order) / (order + 1) * np.concatenate([[1.0], np.cumprod(ratios)])


def _log_over_complement(p: Any, *, order: int) -> np.ndarray:
    """The ``order``-th derivative of ``H(p) = -log(p) / (1 - p)`` (``H(1) = 1``), accurate to every order:
    a Taylor series in ``q = 1 - p`` for ``|q| <= 1/2``, elsewhere ``H = -log(p) / q`` and its derivatives from
    ``q H_m = (-1)^m (m - 1)! / p^m + m H_(m-1)`` (the m-th derivative of ``q H(p) = -log(p)``)."""
    p = as_inexact(p)
    q = 1 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        if order == 0:
            return np.where(q == 0, 1.0, -np.log(p) / np.where(q == 0, 1, q))
        near = np.abs(q) <= 0.5
        series = 0.0
        for c in _series_coefficients(order)[::-1]:  # Horner's scheme
            series = series * np.where(near, q, 0) + c
        far_p = np.where(near, 0.25, p)  # the recursion only where the series is not used
        far = -np.log(far_p) / (1 - far_p)
        for m in range(1, order + 1):
            far = ((-1) ** m * math.factorial(m - 1) / far_p**m + m * far) / (1 - far_p)
        far = np.where(p == 0, (-1) ** order * np.inf, far)  # where it is +inf - inf: the limit
    return np.where(near, (-1) ** order * series, far)


def _log_over_complement_of(p: Any, order: int = 0) -> Any:
    """``H``'s derivative of ``order`` at ``p``: for a Tensor, a Tensor whose own derivative is the next order's."""
    if isinstance(p, Tensor):
        return mg.execute_op(LogOverComplement, p, op_kwargs={"order": order})
    return _log_over_complement(p, order=order)


LogOverComplement = primitive(
    "LogOverComplement",
    _log_over_complement,
    lambda g, out, p, *, order: g * _log_over_complement_of(p, order + 1),
)


def _complement(p: np.ndarray) -> np.ndarray:
    """``q = 1 - p``, 0 for a probability above 1 (rounding, or scores that are not probabilities): such a
    sample costs nothing for ``gamma > 0``, as in MyGrad 2, which clipped q to [0, 1]. (A negative base to a
    fractional power would be NaN.)"""
    return np.maximum(1 - p, 0)


def _focal_loss(probs: np.ndarray, *, labels: np.ndarray, alpha: Any, gamma: float) -> np.ndarray:
    p = _picked(as_inexact(probs), labels)
    with np.errstate(divide="ignore"):  # p == 0 costs log(0) = -inf: an infinite loss, as it should
        log_p = np.log(p)
    return -alpha * _complement(p) ** gamma * log_p


def _focal_loss_grad(g: Any, out: Any, probs: Any, *, labels: np.ndarray, alpha: Any, gamma: float) -> Any:
    p = _picked(probs, labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        if gamma == 0:  # the loss is -alpha * log(p)
            d_p = -alpha / p
        else:  # d/dp [-alpha q^gamma log p] = alpha [gamma q^(gamma-1) log p - q^gamma / p], log p = -q H(p)
            d_p = -alpha * _complement(p) ** gamma * (gamma * _log_over_complement(p, order=0) + 1 / p)
    return _scatter_rows(labels, probs.shape, g * d_p, np.result_type(probs, d_p))


def _focal_loss_composite(probs: Tensor, *, labels: np.ndarray, alpha: Any, gamma: float) -> Tensor:
    p = _picked(probs, labels)
    # above p = 1 the loss is the constant 0 (for gamma > 0): p is swapped for a harmless value there, so that
    # no derivative of any order evaluates q^(gamma + 1) at q = 0, whose high orders are infinite
    clipped = data(p) > 1 if gamma else np.zeros(p.shape, dtype=bool)
    p = mg.where(clipped, 0.5, p)
    return mg.where(clipped, 0, alpha * (1 - p) ** (gamma + 1) * _log_over_complement_of(p))


def _logsumexp_of_rows(x: np.ndarray) -> np.ndarray:
    return _row_logsumexp(x)[:, 0]


def _log_odds(scores: Any, labels: np.ndarray, logsumexp: Any) -> tuple[Any, Any]:
    """``u = log(q / p)`` of each sample's true class (the log-sum-exp of the other classes' scores minus
    the true class's: -inf if there is no other class), and those other scores (the true class's at -inf)."""
    others = np.where(np.arange(scores.shape[1]) == labels[:, np.newaxis], -np.inf, scores)
    return logsumexp(others) - _picked(scores, labels), others


def _log_p_and_q(u: Any) -> tuple[Any, Any]:
    """``log p`` and ``log q`` from ``u = log(q / p)``: the larger of p and q as a log-sigmoid, the smaller as
    that minus ``|u|``, so that no derivative holds ``1 - (a number near 1)``. Arrays or Tensors."""
    below = data(u) < 0  # p > q
    u_below, u_above = np.where(below, u, 0), np.where(below, 0, u)  # each side finite where unused
    # -log(1 + exp(v)) for v <= 0 (no overflow): numpy.logaddexp(0, v), which takes no complex numbers
    log_sigmoid_below, log_sigmoid_above = -np.log1p(np.exp(u_below)), -np.log1p(np.exp(-u_above))
    log_p = np.where(below, log_sigmoid_below, log_sigmoid_above - u_above)
    log_q = np.where(below, log_sigmoid_below + u_below, log_sigmoid_above)
    return log_p, log_q


def _softmax_focal_loss(scores: np.ndarray, *, labels: np.ndarray, alpha: Any, gamma: float) -> np.ndarray:
    log_p, log_q = _log_p_and_q(_log_odds(as_inexact(scores), labels, _logsumexp_of_rows)[0])
    return -alpha * log_p if gamma == 0 else -alpha * np.exp(gamma * log_q) * log_p


def _softmax_focal_loss_grad(
    g: Any, out: Any, scores: Any, *, labels: np.ndarray, alpha: Any, gamma: float
) -> Any:
    # d/du [-alpha q^gamma log p] = alpha q^gamma (q - gamma p log p), with du/ds = r - onehot, r the softmax of
    # the other classes alone
    u, others = _log_odds(scores, labels, _logsumexp_of_rows)
    log_p, log_q = _log_p_and_q(u)
    q_gamma = 1 if gamma == 0 else np.exp(gamma * log_q)
    d_u = alpha * g * q_gamma * (np.exp(log_q) - gamma * np.exp(log_p) * log_p)
    lse_others = (u + _picked(scores, labels))[:, np.newaxis]
    with np.errstate(invalid="ignore"):  # -inf - -inf where there is no other class: no r there
        r = np.where(np.isfinite(lse_others), np.exp(others - lse_others), 0)
    return np.reshape(d_u, (-1, 1)) * (r - (np.arange(scores.shape[1]) == labels[:, np.newaxis]))


def _softmax_focal_loss_composite(scores: Tensor, *, labels: np.ndarray, alpha: Any, gamma: float) -> Tensor:
    log_p, log_q = _log_p_and_q(_log_odds(scores, labels, lambda x: mg.logsumexp(x, axis=1))[0])
    return -alpha * log_p if gamma == 0 else -alpha * mg.exp(gamma * log_q) * log_p


FocalLoss = primitive("FocalLoss", _focal_loss, _focal_loss_grad, composite=_focal_loss_composite)
SoftmaxFocalLoss = primitive(
    "SoftmaxFocalLoss",
    _softmax_focal_loss,
    _softmax_focal_loss_grad,
    composite=_softmax_focal_loss_composite,
)


def _focal_options(scores: Any, targets: Any, scores_name: str, alpha: Any, gamma: Any) -> dict[str, Any]:
    labels = _labels_of(scores, targets, scores_name, "targets")
    gamma = real_scalar(gamma, "gamma", TypeValueError)  # MyGrad 2 raised ValueError
    if not gamma >= 0:
        raise ValueError(f"`gamma` must be a non-negative number, got {gamma!r}")
    if not isinstance(alpha, Real):
        alpha = shaped_like(real_array(alpha, "alpha"), labels.shape, "alpha", "the samples")
        if alpha.ndim == 0:  # as a Python number, which stays weak in type promotion (float32 stays float32)
            alpha = alpha.item()
    return {"labels": labels, "alpha": alpha, "gamma": gamma}


@shared_docstring
def focal_loss(
    class_probs: ArrayLike,
    targets: ArrayLike,
    *,
    alpha: float = 1,
    gamma: float = 0,
    constant: bool | None = None,
) -> Tensor:
    """The focal loss of each sample: ``-alpha * (1 - p) ** gamma * log(p)``, ``p`` the probability of
    the true class.

    Parameters
    ----------
    class_probs : array_like, shape (N, C)
        The probability that each of ``N`` samples is in each of ``C`` classes.
    targets : array_like of ints, shape (N,)
        $labels
    $focal_options

    Returns
    -------
    Tensor, shape (N,)
        The loss of each sample (not reduced: take the mean or sum yourself).

    Raises
    ------
    $focal_errors

    Notes
    -----
    Lin et al., "Focal Loss for Dense Object Detection" (2017). The derivatives of every order
    (:func:`mygrad.grad`, :func:`mygrad.hessian`, ...) are computed in forms that hold no ``0 * inf``:
    at ``p = 1`` they are their limits, 0 or finite, for every ``gamma``, up to the order ``gamma + 1``;
    above it they are infinite there (NaN past the first such order) unless ``gamma`` is an integer. At
    ``p = 0`` the loss is infinite.

    As in MyGrad 2, ``1 - p`` is clipped to ``[0, 1]``: for ``gamma > 0`` a probability above 1 (by
    rounding, say) costs 0, with derivatives 0 of every order, where ``(1 - p) ** gamma`` would be NaN.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import focal_loss
    >>> p = mg.tensor([[0.5, 0.5], [0.1, 0.9]])
    >>> loss = focal_loss(p, [0, 1], gamma=2)
    >>> loss
    Tensor([0.1732868 , 0.00105361])
    >>> loss.mean().backward()
    >>> p.grad
    array([[-0.59657359,  0.        ],
           [ 0.        , -0.01609161]])
    """
    options = _focal_options(class_probs, targets, "class_probs", alpha, gamma)
    return mg.execute_op(FocalLoss, class_probs, op_kwargs=options, constant=constant)


@shared_docstring
def softmax_focal_loss(
    scores: ArrayLike,
    targets: ArrayLike,
    *,
    alpha: float = 1,
    gamma: float = 0,
    constant: bool | None = None,
) -> Tensor:
    """The focal loss of the softmax of class scores, per sample: ``focal_loss(softmax(scores), targets)``.

    Parameters
    ----------
    scores : array_like, shape (N, C)
        The class scores (logits) of ``N`` samples over ``C`` classes.
    targets : array_like of ints, shape (N,)
        $labels
    $focal_options

    Returns
    -------
    Tensor, shape (N,)
        The loss of each sample (not reduced).

    Raises
    ------
    $focal_errors

    Notes
    -----
    Fused: the log-probabilities of the true class and of the others come from log-sum-exps of the
    scores, so scores far apart give a finite loss where ``focal_loss(softmax(scores), ...)`` would take
    ``log(0)``, and finite derivatives of every order where ``p`` rounds to 1.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import softmax_focal_loss
    >>> x = mg.tensor([[0.0, 0.0], [1000.0, 0.0]])
    >>> loss = softmax_focal_loss(x, [0, 1], gamma=2)
    >>> loss
    Tensor([1.73286795e-01, 1.00000000e+03])
    >>> loss.sum().backward()
    >>> x.grad
    array([[-0.2982868,  0.2982868],
           [ 1.       , -1.       ]])
    """
    options = _focal_options(scores, targets, "scores", alpha, gamma)
    return mg.execute_op(SoftmaxFocalLoss, scores, op_kwargs=options, constant=constant)


# ------------------------------------------------------------------------------- margin ranking loss
def _slack(x1: np.ndarray, x2: np.ndarray, y: np.ndarray, margin: Any) -> np.ndarray:
    """``margin - y * (x1 - x2)``: positive where the ranking is violated or within the margin."""
    return margin - y * (x1 - x2)


def _margin_ranking_loss(x1: np.ndarray, x2: np.ndarray, *, y: np.ndarray, margin: Any) -> np.floating:
    return np.mean(np.maximum(_slack(x1, x2, y, margin), 0))


def _margin_ranking_grad(sign: int) -> Any:
    """The rule for ``x1`` (``sign = -1``) or ``x2`` (``sign = 1``): ``sign * y / size`` where the slack is
    positive (a slack of exactly 0 passes no gradient), 0 elsewhere."""

    def rule(g: Any, out: Any, x1: Any, x2: Any, *, y: np.ndarray, margin: Any) -> Any:
        active = _slack(data(x1), data(x2), y, margin) > 0
        return np.where(active, sign * g * y, 0) / active.size

    return rule


MarginRanking = primitive(
    "MarginRanking", _margin_ranking_loss, _margin_ranking_grad(-1), _margin_ranking_grad(1)
)


def margin_ranking_loss(
    x1: ArrayLike, x2: ArrayLike, y: ArrayLike, margin: float, *, constant: bool | None = None
) -> Tensor:
    """The mean margin ranking loss: ``mean(maximum(0, margin - y * (x1 - x2)))``.

    ``y = 1`` says that ``x1`` should rank higher than ``x2`` by at least ``margin``; ``y = -1`` says
    the opposite.

    Parameters
    ----------
    x1, x2 : array_like of floats, shape (N,) or (N, D)
        The scores to compare; both of the same shape.
    y : Real or array_like, shape (N,)
        The desired ranking of each pair, +1 or -1 (one for all, or one per sample). It is not
        differentiated.
    margin : Real
        The non-negative margin.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x1`` and ``x2`` are.

    Returns
    -------
    Tensor, shape ()
        The mean over every element.

    Raises
    ------
    ValueError
        If ``x1`` is not 1-D or 2-D, the shapes of ``x1`` and ``x2`` differ, ``y`` is neither a scalar
        nor of shape ``(N,)``, or ``margin`` is negative.
    TypeError
        If ``x1`` or ``x2`` does not hold floats, ``y`` real numbers, or ``margin`` is not a real number
        (this one also a ValueError, for code written against MyGrad 2).

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.losses import margin_ranking_loss
    >>> x1 = mg.tensor([1.0, 2.0])
    >>> x2 = mg.tensor([1.5, 0.0])
    >>> loss = margin_ranking_loss(x1, x2, 1, margin=1.0)
    >>> loss
    Tensor(0.75)
    >>> loss.backward()
    >>> x1.grad, x2.grad
    (array([-0.5,  0. ]), array([0.5, 0. ]))
    """
    a, b = as_array(data(x1)), as_array(data(x2))  # (read for their shapes and dtypes only)
    if a.ndim not in (1, 2):
        raise ValueError(f"`x1` must have shape (N,) or (N, D), got shape {a.shape}")
    if a.shape != b.shape:
        raise ValueError(f"`x1` and `x2` must have the same shape, got {a.shape} and {b.shape}")
    for name, arr in (("x1", a), ("x2", b)):
        if arr.dtype.kind != "f":
            raise TypeError(f"`{name}` must contain floats, got dtype {arr.dtype}")
    margin = real_scalar(margin, "margin", TypeValueError)  # MyGrad 2 raised ValueError
    if not margin >= 0:
        raise ValueError(f"`margin` must be a non-negative scalar, got {margin!r}")
    labels = real_array(y, "y")
    if labels.ndim != 0 and labels.shape != a.shape[:1]:
        raise ValueError(
            f"`y` must be a scalar or a shape-(N,) array with N={a.shape[0]}, got shape {labels.shape}"
        )
    # +/-1 are exact in any float dtype: cast, so that float32 scores give a float32 loss
    labels = labels.astype(np.result_type(a, b))
    if labels.ndim == 1 and a.ndim == 2:
        labels = labels[:, np.newaxis]
    return mg.execute_op(MarginRanking, x1, x2, op_kwargs={"y": labels, "margin": margin}, constant=constant)
