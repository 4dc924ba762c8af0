"""Batch normalization (training mode) as one fused operation with an analytic backward pass."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg
from mygrad import Tensor
from mygrad.nnet._utils import as_inexact, data, real_array, real_scalar
from mygrad.operation_base import Operation
from mygrad.typing import ArrayLike

__all__ = ["batchnorm"]


def _layout(shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The axes the statistics are taken over (all but axis 1), and the shape a per-channel array takes
    to broadcast against ``x``."""
    axes = tuple(i for i in range(len(shape)) if i != 1)
    per_channel = tuple(n if i == 1 else 1 for i, n in enumerate(shape))
    return axes, per_channel


def _channel_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``sum(a * b)`` over every axis but 1, shaped per channel, without an array of ``a``'s size."""
    axes, per_channel = _layout(a.shape)
    labels = list(range(a.ndim))
    return np.reshape(np.einsum(a, labels, b, labels, [i for i in labels if i not in axes]), per_channel)


class BatchNorm(Operation):
    """``gamma * (x - mean) / sqrt(var + eps) + beta`` per channel; gamma and beta are optional inputs.

    The forward pass keeps the normalized ``x`` and ``1 / sqrt(var + eps)`` for the backward pass, which
    computes the three gradients from them without a second pass over the statistics. Higher-order
    derivatives differentiate ``composite``, the same function from mygrad operations.
    """

    def __call__(self, x: Tensor, *params: Tensor, eps: Any, has_gamma: bool, has_beta: bool) -> np.ndarray:
        self.variables = (x, *params)
        self.eps = eps
        self.has_gamma = has_gamma
        self.has_beta = has_beta
        self.gamma, self.beta = _split(tuple(p.data for p in params), has_gamma, has_beta)
        values = as_inexact(x.data)
        axes, per_channel = _layout(values.shape)
        self.count = values.size // max(1, math.prod(per_channel))  # values per channel
        if values.size == 0:  # no statistics to take (and no warnings about empty means)
            self.x_hat, self.inv_std = (
                np.zeros(values.shape, values.dtype),
                np.ones(per_channel, values.dtype),
            )
        else:
            x_hat = values - np.mean(values, axis=axes, keepdims=True)
            variance = _channel_dot(x_hat, x_hat) / self.count  # biased
            self.inv_std = 1 / np.sqrt(variance + eps)
            x_hat *= self.inv_std
            self.x_hat = x_hat
        out = self.x_hat
        if self.gamma is not None:
            out = out * np.reshape(self.gamma, per_channel)
        if self.beta is not None:
            out = out + np.reshape(self.beta, per_channel)
        return out

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        x = self.variables[0]
        axes, per_channel = _layout(x.shape)
        if index == 1 and self.has_gamma:
            return np.reshape(_channel_dot(grad, self.x_hat), np.shape(self.gamma))
        if index > 0:  # beta
            return np.reshape(np.sum(grad, axis=axes), np.shape(self.beta))
        if x.size == 0:
            return np.zeros(x.shape, dtype=self.x_hat.dtype)
        # the gradient w.r.t. x_hat, which depends on x directly and through the channel's mean and variance:
        # dx = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))
        g_hat = grad if self.gamma is None else grad * np.reshape(self.gamma, per_channel)
        mean_g = np.mean(g_hat, axis=axes, keepdims=True)
        mean_gx = _channel_dot(g_hat, self.x_hat) / self.count
        dx = g_hat - mean_g
        dx *= self.inv_std
        dx -= self.x_hat * (mean_gx * self.inv_std)
        return dx

    def composite(self, x: Tensor, *params: Tensor) -> Tensor:
        """The forward pass from differentiable mygrad operations: the recorded backward pass (higher-order
        derivatives) differentiates it, as ``backward_var`` works on arrays."""
        gamma, beta = _split(params, self.has_gamma, self.has_beta)
        axes, per_channel = _layout(x.shape)
        if x.size == 0:
            out = x * 0.0  # no statistics: x_hat is 0, as in the forward pass
        else:
            centered = x - mg.mean(x, axis=axes, keepdims=True)
            variance = mg.mean(centered * centered, axis=axes, keepdims=True)  # biased
            out = centered / mg.sqrt(variance + self.eps)
        if gamma is not None:
            out = out * mg.reshape(gamma, per_channel)
        if beta is not None:
            out = out + mg.reshape(beta, per_channel)
        return out


def _split(params: tuple[Any, ...], has_gamma: bool, has_beta: bool) -> tuple[Any, Any]:
    gamma = params[0] if has_gamma else None
    beta = params[int(has_gamma)] if has_beta else None
    return gamma, beta


def batchnorm(
    x: ArrayLike,
    *,
    gamma: ArrayLike | None = None,
    beta: ArrayLike | None = None,
    eps: float,
    constant: bool | None = None,
) -> Tensor:
    """Batch-normalize ``x`` per channel (axis 1) with the statistics of the batch, then scale and shift.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``, where ``mean`` and the biased ``var`` are taken
    over every axis of ``x`` except axis 1.

    Parameters
    ----------
    x : array_like, shape (N, C, ...)
        The batch; axis 1 holds the channels. (For a 1-D or 0-d ``x`` the statistics are taken over
        all of it.)
    gamma : array_like, shape (C,), optional
        The per-channel scale (no scaling by default).
    beta : array_like, shape (C,), optional
        The per-channel shift (no shift by default).
    eps : Real
        Added to the variance, for numerical stability.
    constant : bool, optional
        If True, the result does not back-propagate a gradient. By default it is a constant only if
        ``x``, ``gamma`` and ``beta`` are.

    Returns
    -------
    Tensor
        The normalized batch, shape of ``x``.

    Raises
    ------
    ValueError
        If ``gamma`` or ``beta`` does not hold one value per channel.
    TypeError
        If ``eps`` is not a real number, or ``gamma`` or ``beta`` does not hold real numbers.

    Notes
    -----
    Training mode only: no running statistics are kept. Ioffe and Szegedy, "Batch Normalization:
    Accelerating Deep Network Training by Reducing Internal Covariate Shift" (2015). The forward and
    backward passes are each one fused operation; ``x``, ``gamma`` and ``beta`` all get gradients.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.nnet.layers.batchnorm import batchnorm
    >>> x = mg.tensor([[1.0, 10.0], [3.0, 30.0]])
    >>> gamma = mg.tensor([1.0, 2.0])
    >>> beta = mg.tensor([0.0, 5.0])
    >>> y = batchnorm(x, gamma=gamma, beta=beta, eps=0.0)
    >>> y
    Tensor([[-1.,  3.],
            [ 1.,  7.]])
    >>> (y * mg.tensor([[1.0, 1.0], [2.0, 2.0]])).sum().backward()
    >>> gamma.grad, beta.grad
    (array([1., 1.]), array([3., 3.]))
    """
    arr = np.asarray(data(x))
    channels = arr.shape[1] if arr.ndim >= 2 else 1
    for name, param in (("gamma", gamma), ("beta", beta)):
        if param is not None and real_array(param, name).size != channels:
            raise ValueError(
                f"`{name}` must hold one value per channel, shape (C,) = ({channels},) for x of shape "
                f"{arr.shape}; got shape {np.shape(data(param))}"
            )
    options = {"eps": real_scalar(eps, "eps"), "has_gamma": gamma is not None, "has_beta": beta is not None}
    params = [p for p in (gamma, beta) if p is not None]
    return mg.execute_op(BatchNorm, x, *params, op_kwargs=options, constant=constant)
