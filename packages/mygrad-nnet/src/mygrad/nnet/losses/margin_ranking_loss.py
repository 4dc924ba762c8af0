"""The margin ranking loss of two sets of scores."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet.activations._utils import data, real_scalar
from mygrad.operation_base import primitive
from mygrad.typing import ArrayLike

__all__ = ["margin_ranking_loss"]


def _slack(x1: np.ndarray, x2: np.ndarray, y: np.ndarray, margin: Any) -> np.ndarray:
    """``margin - y * (x1 - x2)``: positive where the ranking is violated or within the margin."""
    return margin - y * (x1 - x2)


def _margin_ranking_loss(x1: np.ndarray, x2: np.ndarray, *, y: np.ndarray, margin: Any) -> np.ndarray:
    return np.mean(np.maximum(_slack(x1, x2, y, margin), 0))


def _grad_x1(g: Any, out: Any, x1: Any, x2: Any, *, y: np.ndarray, margin: Any) -> Any:
    active = _slack(data(x1), data(x2), y, margin) > 0  # a slack of exactly 0 passes no gradient
    return np.where(active, -g * y, 0) / active.size


def _grad_x2(g: Any, out: Any, x1: Any, x2: Any, *, y: np.ndarray, margin: Any) -> Any:
    active = _slack(data(x1), data(x2), y, margin) > 0
    return np.where(active, g * y, 0) / active.size


MarginRanking = primitive("MarginRanking", _margin_ranking_loss, _grad_x1, _grad_x2)


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
        If ``x1`` or ``x2`` does not hold floats, or ``margin`` is not a real number.

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
    a, b = np.asarray(data(x1)), np.asarray(data(x2))
    if a.ndim not in (1, 2):
        raise ValueError(f"`x1` must have shape (N,) or (N, D), got shape {a.shape}")
    if a.shape != b.shape:
        raise ValueError(f"`x1` and `x2` must have the same shape, got {a.shape} and {b.shape}")
    for name, arr in (("x1", a), ("x2", b)):
        if arr.dtype.kind != "f":
            raise TypeError(f"`{name}` must contain floats, got dtype {arr.dtype}")
    margin = real_scalar(margin, "margin")
    if not margin >= 0:
        raise ValueError(f"`margin` must be a non-negative scalar, got {margin!r}")
    labels = np.asarray(data(y))
    if labels.ndim != 0 and labels.shape != a.shape[:1]:
        raise ValueError(
            f"`y` must be a scalar or a shape-(N,) array with N={a.shape[0]}, got shape {labels.shape}"
        )
    # +/-1 are exact in any float dtype: cast, so that float32 scores give a float32 loss
    labels = labels.astype(np.result_type(a, b))
    if labels.ndim == 1 and a.ndim == 2:
        labels = labels[:, np.newaxis]
    return mg.execute_op(MarginRanking, x1, x2, op_kwargs={"y": labels, "margin": margin}, constant=constant)
