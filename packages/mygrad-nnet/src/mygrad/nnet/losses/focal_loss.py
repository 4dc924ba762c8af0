"""The focal loss (Lin et al., 2017) of class probabilities or of class scores, per sample."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import as_float, data, real_scalar
from mygrad.nnet.losses._utils import check_scores_and_labels, row_logsumexp, scatter_rows
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["focal_loss", "softmax_focal_loss"]


def _power_of_complement(one_minus_p: np.ndarray, exponent: float) -> np.ndarray:
    """``(1 - p) ** exponent``, except that it is 1 where ``1 - p == 0`` and the exponent is negative.

    It multiplies ``log(p) == 0`` there, and the product tends to 0, not to ``inf * 0``."""
    if exponent < 0:
        one_minus_p = np.where(one_minus_p == 0, 1, one_minus_p)
    return one_minus_p**exponent


def _focal_loss(probs: np.ndarray, *, labels: np.ndarray, alpha: Any, gamma: float) -> np.ndarray:
    p = as_float(probs)[np.arange(probs.shape[0]), labels]
    with np.errstate(divide="ignore"):  # p == 0 costs log(0) = -inf: an infinite loss, as it should
        log_p = np.log(p)
    return -alpha * (1 - p) ** gamma * log_p


def _focal_loss_grad(g: Any, out: Any, probs: Any, *, labels: np.ndarray, alpha: Any, gamma: float) -> Any:
    p = probs[np.arange(probs.shape[0]), labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        if gamma == 0:  # the loss is -alpha * log(p)
            d_p = -alpha / p
        else:
            # d/dp [-alpha (1-p)^gamma log p] = alpha [gamma (1-p)^(gamma-1) log p - (1-p)^gamma / p]
            one_minus_p = 1 - p
            d_p = alpha * (
                gamma * _power_of_complement(one_minus_p, gamma - 1) * np.log(p) - one_minus_p**gamma / p
            )
    return scatter_rows(labels, probs.shape, g * d_p, np.result_type(probs, d_p))


def _softmax_focal_loss(scores: np.ndarray, *, labels: np.ndarray, alpha: Any, gamma: float) -> np.ndarray:
    x = as_float(scores)
    # log p of the true class from the log-softmax: finite even where p itself underflows to 0
    log_p = x[np.arange(x.shape[0]), labels] - row_logsumexp(x)[:, 0]
    return -alpha * (-np.expm1(log_p)) ** gamma * log_p


def _softmax_focal_loss_grad(
    g: Any, out: Any, scores: Any, *, labels: np.ndarray, alpha: Any, gamma: float
) -> Any:
    logsumexp = row_logsumexp(scores)
    probs = np.exp(scores - logsumexp)  # the softmax
    log_p = scores[np.arange(scores.shape[0]), labels] - logsumexp[:, 0]
    if gamma == 0:
        d_log_p = -alpha * np.ones_like(log_p)
    else:
        # with q = 1 - p = -expm1(log p): d/dlog p [-alpha q^gamma log p] = -alpha q^gamma
        # + alpha gamma p q^(gamma-1) log p
        q = -np.expm1(log_p)
        d_log_p = alpha * (gamma * np.exp(log_p) * _power_of_complement(q, gamma - 1) * log_p - q**gamma)
    # d log p_{y_i} / d scores[i, j] = onehot[i, j] - softmax[i, j]; built in place in the fresh softmax
    coefficient = g * d_log_p
    grad = probs * -np.reshape(coefficient, (-1, 1))
    grad[np.arange(scores.shape[0]), labels] += coefficient
    return grad


FocalLoss = primitive("FocalLoss", _focal_loss, _focal_loss_grad)
SoftmaxFocalLoss = primitive("SoftmaxFocalLoss", _softmax_focal_loss, _softmax_focal_loss_grad)


def _check(scores: Any, targets: Any, scores_name: str, alpha: Any, gamma: Any) -> dict[str, Any]:
    labels = check_scores_and_labels(scores, targets, scores_name, "targets")
    gamma = real_scalar(gamma, "gamma")
    if not gamma >= 0:
        raise ValueError(f"`gamma` must be a non-negative number, got {gamma!r}")
    if not isinstance(alpha, Real):
        alpha = np.asarray(data(alpha))
        if alpha.ndim == 0:  # as a Python number, which stays weak in type promotion (float32 stays float32)
            alpha = alpha.item()
    return {"labels": labels, "alpha": alpha, "gamma": gamma}


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
        The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated).
    alpha : Real, optional (default 1)
        A weighting factor (an array broadcastable to ``(N,)`` is accepted, as a constant).
    gamma : Real, optional (default 0)
        The non-negative focusing parameter; ``gamma = 0`` gives the cross-entropy ``-alpha * log(p)``.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``class_probs`` is one.

    Returns
    -------
    Tensor, shape (N,)
        The loss of each sample (not reduced: take the mean or sum yourself).

    Raises
    ------
    ValueError
        If ``class_probs`` is not 2-D, ``targets`` is not of shape ``(N,)``, or ``gamma`` is negative.
    TypeError
        If ``targets`` does not hold integers, or ``gamma`` is not a real number.

    Notes
    -----
    Lin et al., "Focal Loss for Dense Object Detection" (2017). The derivative is evaluated in a form
    that stays finite where ``p = 1`` for any ``gamma``, including ``0 < gamma < 1``; at ``p = 0`` the
    loss is infinite.

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
    options = _check(class_probs, targets, "class_probs", alpha, gamma)
    return mg.execute_op(FocalLoss, class_probs, op_kwargs=options, constant=constant)


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
        The true class of each sample, in ``[0, C)``. A Tensor is accepted (it is not differentiated).
    alpha : Real, optional (default 1)
        A weighting factor (an array broadcastable to ``(N,)`` is accepted, as a constant).
    gamma : Real, optional (default 0)
        The non-negative focusing parameter; ``gamma = 0`` gives the softmax cross-entropy of each sample.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``scores`` is one.

    Returns
    -------
    Tensor, shape (N,)
        The loss of each sample (not reduced).

    Raises
    ------
    ValueError
        If ``scores`` is not 2-D, ``targets`` is not of shape ``(N,)``, or ``gamma`` is negative.
    TypeError
        If ``targets`` does not hold integers, or ``gamma`` is not a real number.

    Notes
    -----
    Fused: the log-probability of the true class comes from a stable log-softmax, so scores far apart
    give a finite loss where ``focal_loss(softmax(scores), ...)`` would take ``log(0)``.

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
    options = _check(scores, targets, "scores", alpha, gamma)
    return mg.execute_op(SoftmaxFocalLoss, scores, op_kwargs=options, constant=constant)
