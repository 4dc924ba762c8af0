"""He (Kaiming) initialization from a normal distribution."""

from __future__ import annotations

import numpy as np

from mygrad import Tensor
from mygrad.nnet.initializers._utils import fan_scaled
from mygrad.typing import DTypeLikeReals, Real

__all__ = ["he_normal"]


def he_normal(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the He (Kaiming) normal distribution, ``N(0, std**2)``.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape of the weight, at least 2-D: ``(out_features, in_features, *receptive_field)``, e.g.
        ``(F, C, Hf, Wf)`` for a convolution's filter bank. ``he_normal(2, 3)`` or ``he_normal((2, 3))``.
    gain : Real, optional (default 1)
        The non-negative scale factor.
    dtype : data-type, optional (default float32)
        A floating-point dtype.
    constant : bool, optional
        If True, the result is a constant. By default it is not.
    rng : numpy.random.Generator, optional
        The source of randomness; by default NumPy's global random state (``numpy.random.seed``).

    Returns
    -------
    Tensor
        A new leaf tensor of the given shape and dtype.

    Raises
    ------
    ValueError
        If the shape has fewer than two dimensions, ``gain`` is negative or ``dtype`` is not a
        floating-point type.

    Notes
    -----
    With ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``:
    ``std = gain / sqrt(fan_in)`` (``fan_out`` is not used).

    He et al., "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
    Classification" (2015), who give the standard deviation ``sqrt(2 / ((1 + a**2) * fan_in))`` for a
    rectifier of negative slope ``a``: use ``gain = sqrt(2 / (1 + a**2))``.

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import he_normal
    >>> w = he_normal(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> print(round(float(w.data.std() * np.sqrt(300)), 1))
    1.0
    """
    return fan_scaled(
        "He normal", "normal", lambda fan_in, fan_out: 1 / np.sqrt(fan_in), shape, gain, dtype, constant, rng
    )
