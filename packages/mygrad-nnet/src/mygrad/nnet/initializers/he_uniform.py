"""He (Kaiming) initialization from a uniform distribution."""

from __future__ import annotations

import numpy as np

from mygrad import Tensor
from mygrad.nnet.initializers._utils import fan_scaled
from mygrad.typing import DTypeLikeReals, Real

__all__ = ["he_uniform"]


def he_uniform(
    *shape: int | tuple[int, ...],
    gain: Real = 1,
    dtype: DTypeLikeReals = np.float32,
    constant: bool | None = None,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """A Tensor drawn from the He (Kaiming) uniform distribution, ``U(-bound, bound)``.

    Parameters
    ----------
    *shape : int or tuple of ints
        The shape of the weight, at least 2-D: ``(out_features, in_features, *receptive_field)``, e.g.
        ``(F, C, Hf, Wf)`` for a convolution's filter bank. ``he_uniform(2, 3)`` or ``he_uniform((2, 3))``.
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
    ``bound = gain * sqrt(6 / fan_in)`` (``fan_out`` is not used).

    He et al., "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
    Classification" (2015), who give the bound ``sqrt(6 / ((1 + a**2) * fan_in))`` for a rectifier of
    negative slope ``a``: use ``gain = 1 / sqrt(1 + a**2)``. (MyGrad 2 computed another bound than
    the one it documented.)

    Examples
    --------
    >>> import numpy as np
    >>> from mygrad.nnet.initializers import he_uniform
    >>> w = he_uniform(400, 300, rng=np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((400, 300), dtype('float32'))
    >>> bool(np.abs(w.data).max() <= np.sqrt(6 / 300))
    True
    """
    return fan_scaled(
        "He uniform",
        "uniform",
        lambda fan_in, fan_out: np.sqrt(6 / fan_in),
        shape,
        gain,
        dtype,
        constant,
        rng,
    )
